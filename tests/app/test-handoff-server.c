/* test-handoff-server.c: this desktop and the server around one
 * application: `submitting` on record at the server before the send
 * button is pressed (a reviewed form, and one sent straight away), and an entry the server's worker handed to the
 * person finished on this desktop
 *
 * The real server, the fixture site, the real `jobswipe` under Xvfb driven
 * through its detail pane's test driver (tests/app/jsw-app-driver.c) and,
 * for the server's side, the real `jobswipe-worker`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-app-driver.h"

/* The server's profile key and the worker, for the tests that have them. */
static char *key_dir;
static GSubprocess *worker;

static void
set_up_with_key (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = NULL;

  key_dir = g_dir_make_tmp ("jsw-key-XXXXXX", &error);
  g_assert_no_error (error);
  key_file = jsw_test_profile_key_new (key_dir);
  {
    const char *args[] = { "--profile-key-file", key_file, NULL };

    fixture_set_up (f, args);
  }
}

static void
tear_down_with_key (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", key_dir);

  if (worker != NULL)
    {
      g_subprocess_force_exit (worker);
      g_subprocess_wait (worker, NULL, NULL);
      g_clear_object (&worker);
    }
  fixture_tear_down (f, data);
  g_assert_cmpint (system (command), ==, 0);
  g_clear_pointer (&key_dir, g_free);
}

static void
start_worker (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = jsw_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *token = jsw_test_server_worker_token (f->server, "test-worker");
  g_autofree char *token_file = g_build_filename (f->dir, "worker.token", NULL);
  g_autofree char *shots = g_build_filename (f->dir, "worker-shots", NULL);
  g_autofree char *log = g_build_filename (f->dir, "worker.log", NULL);
  g_autoptr(GError) error = NULL;

  write_file (token_file, token);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  worker = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("JSW_WORKER_BIN"),
                                        "--server", f->server->url, "--token-file", token_file,
                                        "--screenshot-dir", shots, "--timeout", "60",
                                        "--allow-private-targets", NULL);
  g_assert_no_error (error);
}

static const char *
entry_member (JsonNode   *entry,
              const char *member)
{
  return json_object_get_string_member (json_node_get_object (entry), member);
}

/* The server froze as the person pressed Send: `submitting` was not on
 * record there, so the app did not send (a desktop killed right after
 * sending could otherwise leave an entry queued again and sent twice).
 * The server learns of `submitting` late and the run was given back: the
 * entry waits for the person to check it, and nothing was sent. */
static void
test_send_waits_for_the_server (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *entry_id = NULL;
  g_autoptr(JsonNode) entry = NULL;

  f->settings = "[org/jobswipe/JobSwipe]\nreview-before-submit=true\nauto-apply=false\n";
  start_app_with (f, NULL);
  entry_id = swipe (f, "k-1", "/greenhouse/happy");
  g_autoptr(GVariant) queued = wait_showing (entry_id, "queued");
  press ("apply-now");
  g_autoptr(GVariant) review = wait_showing (entry_id, "review");

  g_subprocess_send_signal (f->server->process, SIGSTOP);
  press ("send");
  /* The app waits 5 s for the server's ack, then gives up sending. */
  jsw_test_iterate_for (7000);
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  g_subprocess_send_signal (f->server->process, SIGCONT);

  wait_for_state (f, entry_id, "needs_review");
  g_autoptr(GVariant) check = wait_showing (entry_id, "check");
  jsw_test_iterate_for (2000);
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  entry = get_entry (f, entry_id);
  g_assert_cmpstr (entry_member (entry, "state"), ==, "needs_review");
}

/* The same without a review: the server froze as the fixture site served
 * the posting to the app's runner, so the engine came to the send button
 * with no way to put `submitting` on record. The engine was told not to
 * send: nothing reaches the site, the run is given back, and once the
 * server goes on the entry is what its record says (`submitting` reached
 * it, then the release: needs_review; PROTOCOL.md's release, had it not:
 * queued), which the app shows. */
static void
test_not_sent_without_submitting_on_record (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(JswTestFreeze) freeze = NULL;
  g_autofree char *entry_id = NULL;
  g_autoptr(JsonNode) entry = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  const char *state;

  f->settings = "[org/jobswipe/JobSwipe]\nreview-before-submit=false\nauto-apply=false\n";
  start_app_with (f, NULL);
  entry_id = swipe (f, "k-3", "/greenhouse/happy");
  g_autoptr(GVariant) queued = wait_showing (entry_id, "queued");
  freeze = jsw_test_freeze_on_page (f->server, f->site->server, "/greenhouse/happy");
  press ("apply-now");
  while (!jsw_test_freeze_happened (freeze))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      jsw_test_iterate_for (100);
    }
  g_autoptr(GVariant) running = wait_showing (entry_id, "running");
  /* The run ended here (no longer this computer's), while the server is
   * still stopped: 5 s without the ack. */
  g_autoptr(GVariant) ended = wait_showing (entry_id, "elsewhere");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  g_clear_pointer (&freeze, jsw_test_freeze_end);

  do
    {
      g_clear_pointer (&entry, json_node_unref);
      jsw_test_iterate_for (200);
      entry = get_entry (f, entry_id);
      state = entry_member (entry, "state");
    }
  while ((g_str_equal (state, "running") || g_str_equal (state, "claimed")) && g_get_monotonic_time () < deadline);
  g_test_message ("after the server went on: %s", state);
  if (!g_str_equal (state, "needs_review"))
    g_assert_cmpstr (state, ==, "queued");
  g_assert_true (json_object_get_null_member (json_node_get_object (entry), "result"));
  g_autoptr(GVariant) shown = wait_showing (entry_id, g_str_equal (state, "needs_review") ? "check" : "queued");
  picture ("handoff-not-sent", FALSE);
  /* Nothing went out later either (the app holds no run of it). */
  jsw_test_iterate_for (3000);
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* Killed right after the form went out: the entry is never sent again,
 * by this desktop started again or by anyone (the server makes it
 * needs_review when the lease runs out, since `submitting` is on record). */
static void
test_killed_after_send (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *entry_id = NULL;
  g_autoptr(JsonNode) entry = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  start_app_with (f, "--auto-apply");
  entry_id = swipe (f, "k-2", "/greenhouse/happy");
  while (f->site->posts->len == 0 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (5);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  stop_app (f, SIGKILL);

  start_app_with (f, "--auto-apply");
  /* Its lease runs out (short leases here), unless the result got out
   * before the kill. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&entry, json_node_unref);
      jsw_test_iterate_for (250);
      entry = get_entry (f, entry_id);
    }
  while (!g_str_equal (entry_member (entry, "state"), "needs_review") &&
         !g_str_equal (entry_member (entry, "state"), "submitted") && g_get_monotonic_time () < deadline);
  g_test_message ("after the kill: %s", entry_member (entry, "state"));
  g_assert_true (g_str_equal (entry_member (entry, "state"), "needs_review") ||
                 g_str_equal (entry_member (entry, "state"), "submitted"));
  /* The app started again does not apply a second time. */
  jsw_test_iterate_for (8000);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* The person lets the server apply, without a copy of their profile
 * there: the worker hands the entry to them. Apply Now in the app moves
 * it to this computer (no worker takes it back), where the form's
 * questions are answered in the app and it is sent once. */
static void
test_apply_now_from_server (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autoptr(GVariant) questions = NULL;
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) handed = NULL;

  jsw_test_set_mode (f->session, f->server, f->token, "server");
  start_worker (f);
  /* Opened as on a phone: pictures() take the narrow pictures first. */
  f->settings = "[org/jobswipe/JobSwipe]\n" PHONE_WINDOW;
  start_app_with (f, NULL);
  entry_id = swipe_until (f, stream, "n-1", "/greenhouse/questions", "needs_user");
  handed = get_entry (f, entry_id);
  g_assert_cmpstr (entry_member (handed, "target"), ==, "server");

  g_autoptr(GVariant) shown = wait_showing (entry_id, "from-server");
  pictures ("handoff-from-server");
  press ("apply-now");

  /* Here now, and asked here: the rows shaped like the form's fields. */
  follow_until (f, stream, entry_id, "needs_user");
  entry = get_entry (f, entry_id);
  g_assert_cmpstr (entry_member (entry, "target"), ==, "desktop");
  questions = wait_showing (entry_id, "questions");
  g_assert_true (asks (questions, "Which office would you work from?", "choice"));
  answer ("Which office would you work from?", "Lisbon");
  answer ("Are you willing to relocate?", "Yes");
  answer ("What is your notice period?", "Two weeks");
  press ("continue");
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  g_assert_cmpstr (field_of_last_post (f, "notice"), ==, "Two weeks");
  g_assert_cmpstr (field_of_last_post (f, "office"), ==, "lis");
  g_clear_pointer (&entry, json_node_unref);
  entry = get_entry (f, entry_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (entry),
                                                                                 "claimed_by"), "kind"), ==, "desktop");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (skip_without_desktop ())
    return 0;

  g_test_add ("/app/handoff-server/send-waits-for-the-server", Fixture, NULL,
              fixture_set_up, test_send_waits_for_the_server, fixture_tear_down);
  g_test_add ("/app/handoff-server/not-sent-without-submitting-on-record", Fixture, NULL,
              fixture_set_up, test_not_sent_without_submitting_on_record, fixture_tear_down);
  g_test_add ("/app/handoff-server/killed-after-send", Fixture, short_leases,
              fixture_set_up, test_killed_after_send, fixture_tear_down);
  g_test_add ("/app/handoff-server/apply-now-from-server", Fixture, NULL,
              set_up_with_key, test_apply_now_from_server, tear_down_with_key);

  return g_test_run ();
}
