/* test-handoff.c: an application handed to the person, and what a person
 * can do with any entry, end to end
 *
 * The real server, the fixture site and the real `jobswipe` with its
 * window under Xvfb (tests/app/jsw-app-fixture.c). The test does what a
 * person does in the window's detail pane, through the pane's test driver
 * on the app's bus connection (src/app/jsw-entry-detail-driver.c): it reads what
 * the pane asks, types into the question rows, clicks in the live page,
 * presses the pane's buttons (their entry.* actions), and takes pictures
 * of each state, light and dark, into tests/app/screenshots/ in the build
 * folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-app-driver.h"

/* Questions of every shape: a line, the form's options, yes or no; all
 * asked at once, in rows like the form's; Enter in the line sends them. */
static void
test_questions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *profile_path = g_build_filename (f->dir, "data", "jobswipe", "profile.json", NULL);
  g_autofree char *profile = NULL;
  g_autoptr(GVariant) questions = NULL;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "q-1", "/greenhouse/questions", "needs_user");

  questions = wait_showing (entry_id, "questions");
  g_assert_true (asks (questions, "What is your notice period?", "text"));
  g_assert_true (asks (questions, "Which office would you work from?", "choice"));
  g_assert_true (asks (questions, "Are you willing to relocate?", "yes_no"));
  /* An option the form does not offer cannot be chosen. */
  g_assert_false (driver_bool ("Answer", g_variant_new ("(ss)", "Which office would you work from?", "Paris")));
  answer ("Which office would you work from?", "Lisbon");
  answer ("Are you willing to relocate?", "Yes");
  answer ("What is your notice period?", "Three months");
  pictures ("handoff-questions");

  /* Enter in the line sends every answer. */
  g_assert_true (driver_bool ("PressEnter", g_variant_new ("(s)", "What is your notice period?")));
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  g_assert_cmpstr (field_of_last_post (f, "notice"), ==, "Three months");
  g_assert_cmpstr (field_of_last_post (f, "office"), ==, "lis");
  g_assert_cmpstr (field_of_last_post (f, "relocate"), ==, "yes");
  /* Remembered: "Remember" is on unless the person turns it off. */
  g_assert_true (g_file_get_contents (profile_path, &profile, NULL, NULL));
  g_assert_nonnull (strstr (profile, "What is your notice period?"));

  /* The history: what was filled in, beside the last page. */
  wait_showing (entry_id, "done");
  pictures ("handoff-submitted");
}

/* Answers given with "Remember this answer" off are for this entry only,
 * and kept with its run record until that run: the app stopped between
 * the answers and the run applies with them once started again. (The
 * server is held still meanwhile, so that the app stops before the
 * entry is queued again.) */
static void
test_answers_once_survive_restart (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *profile_path = g_build_filename (f->dir, "data", "jobswipe", "profile.json", NULL);
  g_autofree char *profile = NULL;
  g_autoptr(GVariant) questions = NULL;
  g_autoptr(JsonNode) entry = NULL;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "q-3", "/greenhouse/questions", "needs_user");
  questions = wait_showing (entry_id, "questions");
  g_assert_true (driver_bool ("SetRemember", g_variant_new ("(b)", FALSE)));
  answer ("Which office would you work from?", "Lisbon");
  answer ("Are you willing to relocate?", "No");
  answer ("What is your notice period?", "Six weeks");

  g_subprocess_send_signal (f->server->process, SIGSTOP);
  press ("continue");
  jsw_test_iterate_for (500);
  stop_app (f, SIGTERM);
  g_subprocess_send_signal (f->server->process, SIGCONT);

  /* The retry the app asked for may or may not have reached the server
   * before it stopped; if not, the person's other device asks again. */
  jsw_test_iterate_for (1000);
  entry = get_entry (f, entry_id);
  if (g_str_equal (json_object_get_string_member (json_node_get_object (entry), "state"), "needs_user"))
    {
      g_autofree char *path = g_strdup_printf ("/v1/queue/%s/retry", entry_id);
      guint status;
      g_autoptr(JsonNode) retried = jsw_test_http (f->session, f->server, "POST", path, f->watcher, NULL, &status);

      g_assert_cmpuint (status, ==, 200);
    }
  g_assert_cmpuint (f->site->posts->len, ==, 0);

  start_app_with (f, "--auto-apply");
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  g_assert_cmpstr (jsw_fixture_post_field (g_ptr_array_index (f->site->posts, 0), "notice"), ==, "Six weeks");
  g_assert_cmpstr (jsw_fixture_post_field (g_ptr_array_index (f->site->posts, 0), "relocate"), ==, "no");
  /* Not remembered: the saved answers do not have them. */
  g_assert_true (g_file_get_contents (profile_path, &profile, NULL, NULL));
  g_assert_null (strstr (profile, "What is your notice period?"));
}

/* A long question gets a text area; the answer goes out as typed. */
static void
test_long_question (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autoptr(GVariant) questions = NULL;
  const char *text = "A queue of two million job applications a day,\nacross three regions.";

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "q-2", "/greenhouse/unknown", "needs_user");
  questions = wait_showing (entry_id, "questions");
  g_assert_true (asks (questions, "Describe the largest system you have scaled", "long_text"));
  answer ("Describe the largest system you have scaled", text);
  press ("continue");
  follow_until (f, stream, entry_id, "submitted");
  /* As typed; a form sends a text area's line breaks as CR LF (HTML). */
  g_assert_cmpstr (field_of_last_post (f, "scaled"), ==, "A queue of two million job applications a day,\r\nacross three regions.");
}

/* A captcha: the live page, where the person solves it; Continue goes
 * on from that page. */
static void
test_captcha (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autoptr(GVariant) questions = NULL;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "c-1", "/lever/captcha", "needs_user");
  questions = wait_showing (entry_id, "wall");
  /* No text box for a captcha. */
  g_assert_cmpuint (g_variant_n_children (questions), ==, 0);
  pictures ("handoff-captcha");
  g_assert_cmpuint (f->site->posts->len, ==, 0);

  /* The live page of the run, with its captcha; solved by a click. */
  {
    g_autofree char *before = run_in_page ("document.querySelector('.h-captcha') !== null");
    g_autofree char *after = run_in_page ("document.querySelector('.h-captcha button').click(); "
                                          "document.querySelector('.h-captcha') === null");

    g_assert_cmpstr (before, ==, "true");
    g_assert_cmpstr (after, ==, "true");
  }
  press ("continue");
  /* Past the captcha, the form asks what Ada's profile does not answer:
   * handed to her again, as a question this time, on the same page. */
  follow_until (f, stream, entry_id, "needs_user");
  g_clear_pointer (&questions, g_variant_unref);
  questions = wait_showing (entry_id, "questions");
  g_assert_true (asks (questions, "Are you willing to relocate to Berlin?", "yes_no"));
  answer ("Are you willing to relocate to Berlin?", "Yes");
  press ("continue");
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* No resume in the profile, and the form requires one: a file chooser,
 * and the file chosen becomes the profile's resume. */
static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *resume = g_build_filename (f->dir, "Ada_Lovelace_CV.pdf", NULL);
  g_autoptr(GVariant) questions = NULL;
  g_autofree char *profile = g_strdup_printf (PROFILE_JSON, "");
  JswFixturePost *post;
  GVariantIter iter;
  const char *label = NULL, *kind;

  write_file (f->profile, profile);
  write_file (resume, "%PDF-1.4\n% Ada's CV\n%%EOF\n");
  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "f-1", "/greenhouse/happy", "needs_user");
  questions = wait_showing (entry_id, "questions");
  g_variant_iter_init (&iter, questions);
  g_assert_true (g_variant_iter_next (&iter, "(&s&s)", &label, &kind));
  g_assert_cmpstr (kind, ==, "file");
  pictures ("handoff-file");

  answer (label, resume);
  press ("continue");
  follow_until (f, stream, entry_id, "submitted");
  post = g_ptr_array_index (f->site->posts, f->site->posts->len - 1);
  g_assert_nonnull (g_hash_table_lookup (post->files, "job_application[resume]"));
  g_assert_cmpstr (g_hash_table_lookup (post->file_names, "job_application[resume]"), ==, "Ada_Lovelace_CV.pdf");
}

/* The employer's form refused an answer: its words, shown as such, the
 * way to the profile, and Retry, not a text box. */
static void
test_field_rejected (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GVariant) questions = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *showing, *id, *text;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "v-1", "/greenhouse/validation", "needs_user");
  questions = wait_showing (entry_id, "rejected");
  g_assert_cmpuint (g_variant_n_children (questions), ==, 0);
  reply = driver_call ("GetShowing", NULL, G_VARIANT_TYPE ("(sssa(ss))"));
  g_variant_get (reply, "(&s&s&s@a(ss))", &showing, &id, &text, NULL);
  g_assert_nonnull (strstr (text, "Phone number is invalid"));
  pictures ("handoff-rejected");

  /* Fix in Profile: the profile, at the telephone number's row, in view. */
  press ("fix-in-profile");
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    g_autofree char *last = NULL;
    gboolean found = FALSE;

    while (!found && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GVariant) focused = driver_call ("GetFocusedRow", NULL, G_VARIANT_TYPE ("(ssb)"));
        const char *window, *row;
        gboolean in_view;

        jsw_test_iterate_for (200);
        if (focused == NULL)
          continue;
        g_variant_get (focused, "(&s&sb)", &window, &row, &in_view);
        found = g_str_equal (row, "phone") && in_view;
        g_free (last);
        last = g_strdup_printf ("%s: %s%s", window, row, in_view ? "" : " (out of view)");
      }
    g_test_message ("focus: %s", last);
    g_assert_true (found);
  }

  /* Retry queues it again and runs it (the fixture refuses again). */
  press ("retry");
  g_free (state);
  state = follow (f, stream, entry_id, 90, NULL, NULL);
  {
    g_autoptr(JsonNode) entry = get_entry (f, entry_id);
    g_autofree char *json = json_to_string (entry, FALSE);

    g_test_message ("after Retry: %s", json);
  }
  g_assert_cmpstr (state, ==, "needs_user");
  g_assert_cmpuint (f->site->posts->len, ==, 2);
}

/* A posting whose page is gone: failed, said plainly, with Retry and
 * Open Posting; nothing was sent. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "g-1", "/nowhere/gone", "failed");
  g_autoptr(GVariant) failed = wait_showing (entry_id, "failed");
  pictures ("entry-failed");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* Review before sending, across a restart: the filled form waits, the
 * app stops, and after it starts again the review is back; Send sends it
 * once. */
static void
test_review_survives_restart (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  f->settings = "[org/jobswipe/JobSwipe]\n" PHONE_WINDOW "review-before-submit=true\nauto-apply=false\n";
  start_app_with (f, NULL);
  entry_id = swipe (f, "r-1", "/greenhouse/happy");
  wait_showing (entry_id, "queued");
  press ("apply-now");
  g_autoptr(GVariant) first = wait_showing (entry_id, "review");
  pictures ("handoff-review");
  g_assert_cmpuint (f->site->posts->len, ==, 0);

  stop_app (f, SIGTERM);
  start_app_with (f, NULL);
  /* Its lease runs out (short leases here), it is queued again, and this
   * computer fills it in again for the review. */
  g_autoptr(GVariant) again = wait_showing (entry_id, "review");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  press ("send");
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* Don't Send cancels the application, and says so. */
static void
test_dont_send (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *entry_id = NULL;

  f->settings = "[org/jobswipe/JobSwipe]\n" PHONE_WINDOW "review-before-submit=true\nauto-apply=true\n";
  start_app_with (f, NULL);
  entry_id = swipe (f, "r-2", "/greenhouse/happy");
  g_autoptr(GVariant) review = wait_showing (entry_id, "review");
  press ("dont-send");
  wait_for_state (f, entry_id, "cancelled");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* Cancel waits for its Undo; undone, nothing changes at the server. */
static void
test_cancel_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *entry_id = NULL;
  g_autoptr(JsonNode) entry = NULL;

  start_app_with (f, NULL);
  entry_id = swipe (f, "x-1", "/greenhouse/happy");
  g_autoptr(GVariant) queued = wait_showing (entry_id, "queued");
  pictures ("entry-queued");

  /* Undone within the toast's 5 s. */
  press ("cancel");
  g_autoptr(GVariant) cancelled = wait_showing (entry_id, "cancelled");
  press ("undo-cancel");
  g_autoptr(GVariant) back = wait_showing (entry_id, "queued");
  jsw_test_iterate_for (7000);
  entry = get_entry (f, entry_id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry), "state"), ==, "queued");

  /* Not undone: cancelled at the server once the toast is gone. */
  press ("cancel");
  g_autoptr(GVariant) again = wait_showing (entry_id, "cancelled");
  pictures ("entry-cancel-undo");
  wait_for_state (f, entry_id, "cancelled");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* A row's context menu acts on that row's entry, not on the one shown
 * beside the list. */
static void
test_row_menu (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) entry = NULL;

  start_app_with (f, NULL);
  first = swipe (f, "m-1", "/greenhouse/happy");
  g_autoptr(GVariant) shown = wait_showing (first, "queued");
  second = swipe (f, "m-2", "/greenhouse/happy");
  /* The pane still shows the first; the menu of the second's row. */
  g_assert_true (driver_bool ("ActivateFromRowMenu", g_variant_new ("(ss)", second, "cancel")));
  g_autoptr(GVariant) cancelled = wait_showing (second, "cancelled");
  /* No such item in the menu: nothing is done. */
  g_assert_false (driver_bool ("ActivateFromRowMenu", g_variant_new ("(ss)", first, "no-such-action")));
  wait_for_state (f, second, "cancelled");
  entry = get_entry (f, first);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry), "state"), ==, "queued");
}

/* `ask` mode: the entry waits for the person's choice, and gets it. */
static void
test_choose_where (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  guint status;
  g_autoptr(JsonNode) preference = jsw_test_http (f->session, f->server, "PUT", "/v1/me/preference", f->token,
                                                  "{\"execution_mode\":\"ask\"}", &status);

  g_assert_cmpuint (status, ==, 200);
  start_app_with (f, "--auto-apply");
  entry_id = swipe (f, "w-1", "/greenhouse/happy");
  g_autoptr(GVariant) choice = wait_showing (entry_id, "choice");
  pictures ("entry-choice");
  press ("run-here");
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* Open Posting: the person's browser, given the posting's address. A
 * "browser" of the test's own, set as the default for http in the app's
 * folders, writes down what it was asked to open. */
static void
test_open_posting (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *entry_id = NULL;
  g_autofree char *opened = g_build_filename (f->dir, "opened.txt", NULL);
  g_autofree char *apps = g_build_filename (f->dir, "data", "applications", NULL);
  g_autofree char *desktop = g_build_filename (apps, "test-browser.desktop", NULL);
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                                            "Exec=sh -c 'echo \"$1\" > %s' sh %%u\n"
                                            "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n", opened);
  g_autofree char *url = jsw_fixture_site_url (f->site, "/greenhouse/happy");
  g_autofree char *contents = NULL;
  gint64 deadline;

  g_mkdir_with_parents (apps, 0700);
  g_mkdir_with_parents (config, 0700);
  write_file (desktop, entry);
  write_file (mimeapps, "[Default Applications]\nx-scheme-handler/http=test-browser.desktop\n"
                        "x-scheme-handler/https=test-browser.desktop\n");
  start_app_with (f, NULL);
  entry_id = swipe (f, "o-1", "/greenhouse/happy");
  g_autoptr(GVariant) queued = wait_showing (entry_id, "queued");
  press ("open-posting");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_file_get_contents (opened, &contents, NULL, NULL) && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (200);
  g_assert_nonnull (contents);
  g_assert_cmpstr (g_strstrip (contents), ==, url);
}

/* The form was sent and the employer's page said nothing: the person
 * checks, and says so; the server takes their word. */
static void
test_mark_sent (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "u-1", "/corpus/plain-unconfirmed/index.html", "needs_review");
  g_autoptr(GVariant) check = wait_showing (entry_id, "check");
  pictures ("entry-check");
  press ("mark-sent");
  wait_for_state (f, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* The app opens its window as a phone has it, at PHONE_WIDTH (pictures()
 * take the narrow pictures first, then the wide ones); a test may give
 * settings of its own, with PHONE_WINDOW in them. */
static void
phone_set_up (Fixture       *f,
              gconstpointer  data)
{
  fixture_set_up (f, data);
  f->settings = "[org/jobswipe/JobSwipe]\n" PHONE_WINDOW;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (skip_without_desktop ())
    return 0;

  g_test_add ("/app/handoff/questions", Fixture, NULL, phone_set_up, test_questions, fixture_tear_down);
  g_test_add ("/app/handoff/answers-once-survive-restart", Fixture, NULL, phone_set_up, test_answers_once_survive_restart, fixture_tear_down);
  g_test_add ("/app/handoff/long-question", Fixture, NULL, phone_set_up, test_long_question, fixture_tear_down);
  g_test_add ("/app/handoff/captcha", Fixture, NULL, phone_set_up, test_captcha, fixture_tear_down);
  g_test_add ("/app/handoff/missing-file", Fixture, NULL, phone_set_up, test_missing_file, fixture_tear_down);
  g_test_add ("/app/handoff/field-rejected", Fixture, NULL, phone_set_up, test_field_rejected, fixture_tear_down);
  g_test_add ("/app/entry/failed", Fixture, NULL, phone_set_up, test_failed, fixture_tear_down);
  g_test_add ("/app/handoff/review-survives-restart", Fixture, short_leases, phone_set_up, test_review_survives_restart, fixture_tear_down);
  g_test_add ("/app/handoff/dont-send", Fixture, NULL, phone_set_up, test_dont_send, fixture_tear_down);
  g_test_add ("/app/entry/cancel-and-undo", Fixture, NULL, phone_set_up, test_cancel_and_undo, fixture_tear_down);
  g_test_add ("/app/entry/row-menu", Fixture, NULL, phone_set_up, test_row_menu, fixture_tear_down);
  g_test_add ("/app/entry/choose-where", Fixture, NULL, phone_set_up, test_choose_where, fixture_tear_down);
  g_test_add ("/app/entry/mark-sent", Fixture, NULL, phone_set_up, test_mark_sent, fixture_tear_down);
  g_test_add ("/app/entry/open-posting", Fixture, NULL, phone_set_up, test_open_posting, fixture_tear_down);

  return g_test_run ();
}
