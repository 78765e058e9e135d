/* test-apply.c: the real engine (jobswipe-apply, WebKitGTK under Xvfb)
 * against the local fixture site of application systems
 *
 * What a job seeker would check: the employer received exactly the
 * profile's details and the resume's bytes; nothing at all was sent when a
 * person was needed; "submitted" only with the employer's confirmation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>

#include "jsw-fixture-site.h"

#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"phone\":\"+44 20 7946 0958\",\"location\":\"London, UK\"," \
  "\"linkedin_url\":\"https://www.linkedin.com/in/ada-lovelace\",\"github_url\":\"https://github.com/ada\"," \
  "\"website_url\":\"https://ada.example.org\",\"current_company\":\"Analytical Engines Ltd\"," \
  "\"current_title\":\"Engineer\",\"cover_letter\":\"I would love to build your queue.\"," \
  "\"answers\":{\"work_authorization\":\"Yes\",\"requires_sponsorship\":\"No\",\"salary_expectation\":\"85000\"," \
  "\"willing_to_relocate\":\"Yes\",\"how_did_you_hear\":\"LinkedIn\"," \
  "\"How many years of experience do you have with C?\":\"12\"}," \
  "\"eeo\":{\"gender\":\"Female\"}}"

#define RESUME_BYTES "%PDF-1.4\n% Ada Lovelace, resume\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

typedef struct {
  JswFixtureSite *site;
  char           *dir;
  char           *profile;
  char           *resume;
} Fixture;

typedef struct {
  int         status;
  JsonObject *result;
  GArray     *percents;
  GPtrArray  *steps;
  char       *out;
  char       *err;
} Apply;

static void
apply_free (Apply *apply)
{
  g_clear_pointer (&apply->result, json_object_unref);
  g_array_unref (apply->percents);
  g_ptr_array_unref (apply->steps);
  g_free (apply->out);
  g_free (apply->err);
  g_free (apply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Apply, apply_free)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);

  f->site = jsw_fixture_site_new (fixtures);
  f->dir = g_dir_make_tmp ("jsw-apply-XXXXXX", &error);
  g_assert_no_error (error);
  f->profile = g_build_filename (f->dir, "profile.json", NULL);
  f->resume = g_build_filename (f->dir, "Ada Lovelace - Resume.pdf", NULL);
  g_file_set_contents (f->profile, PROFILE_JSON, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (f->resume, RESUME_BYTES, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_remove (f->profile);
  g_remove (f->resume);
  g_rmdir (f->dir);
  g_free (f->profile);
  g_free (f->resume);
  g_free (f->dir);
  jsw_fixture_site_free (f->site);
}

typedef struct {
  gboolean done;
  char    *out;
  char    *err;
} Communicate;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Communicate *c = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

/* The jobswipe-apply running now (its process id), for a test that makes
 * its web process go away. */
static GPid running_apply;

/* Runs jobswipe-apply on a fixture page, serving the site meanwhile. */
static Apply *
run_apply_with (Fixture            *f,
                const char         *path,
                const char * const *extra_args)
{
  g_autofree char *url = jsw_fixture_site_url (f->site, path);
  g_autofree char *resume_arg = g_strconcat ("--resume=", f->resume, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  Communicate c = { FALSE, NULL, NULL };
  Apply *apply = g_new0 (Apply, 1);
  const char *bin = g_getenv ("JSW_APPLY_BIN");

  g_assert_nonnull (bin);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) argv = NULL;

    g_strv_builder_add_many (builder, bin, "--json", "--timeout", "60", "--profile", f->profile, resume_arg, NULL);
    if (extra_args == NULL || !g_strv_contains (extra_args, "--mode"))
      g_strv_builder_add_many (builder, "--mode", "server", NULL);
    if (extra_args != NULL)
      g_strv_builder_addv (builder, (const char **) extra_args);
    g_strv_builder_add (builder, url);
    argv = g_strv_builder_end (builder);
    process = g_subprocess_newv ((const char * const *) argv,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
  }
  running_apply = atoi (g_subprocess_get_identifier (process));
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated, &c);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  running_apply = 0;

  apply->status = g_subprocess_get_exit_status (process);
  apply->out = c.out;
  apply->err = c.err;
  apply->percents = g_array_new (FALSE, FALSE, sizeof (int));
  apply->steps = g_ptr_array_new_with_free_func (g_free);
  g_test_message ("jobswipe-apply %s: exit %d\n%s%s", path, apply->status, c.out, c.err ? c.err : "");

  lines = g_strsplit (c.out ? c.out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *event;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      event = json_node_get_object (node);
      if (g_str_equal (json_object_get_string_member (event, "event"), "progress"))
        {
          int percent = json_object_get_int_member (event, "percent");

          g_array_append_val (apply->percents, percent);
          g_ptr_array_add (apply->steps, g_strdup (json_object_get_string_member (event, "step")));
        }
      else if (g_str_equal (json_object_get_string_member (event, "event"), "result"))
        {
          g_clear_pointer (&apply->result, json_object_unref);
          apply->result = json_object_ref (event);
        }
    }
  g_assert_nonnull (apply->result);
  return apply;
}

static Apply *
run_apply (Fixture    *f,
           const char *path,
           const char *extra_arg)
{
  const char *args[] = { extra_arg, NULL };

  return run_apply_with (f, path, extra_arg ? args : NULL);
}

static const char *
outcome_of (Apply *apply)
{
  return json_object_get_string_member (apply->result, "outcome");
}

static gboolean
list_contains (JsonObject *object,
               const char *member,
               const char *needle)
{
  JsonArray *array = json_object_get_array_member (object, member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (strstr (json_array_get_string_element (array, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_progress_never_goes_down (Apply *apply)
{
  static const char *order[] = { "opening", "detecting", "filling", "uploading", "answering", "reviewing", "submitting", "confirming" };

  g_assert_cmpuint (apply->percents->len, >, 0);
  for (guint i = 1; i < apply->percents->len; i++)
    g_assert_cmpint (g_array_index (apply->percents, int, i), >=, g_array_index (apply->percents, int, i - 1));
  for (guint i = 0; i < apply->steps->len; i++)
    g_assert_true (g_strv_contains (order, g_ptr_array_index (apply->steps, i)));
}

static JswFixturePost *
only_post (Fixture *f)
{
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  return g_ptr_array_index (f->site->posts, 0);
}

static void
assert_resume_arrived (JswFixturePost *post,
                       const char     *field)
{
  GBytes *bytes = g_hash_table_lookup (post->files, field);

  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), RESUME_BYTES, strlen (RESUME_BYTES));
  g_assert_cmpstr (g_hash_table_lookup (post->file_names, field), ==, "Ada Lovelace - Resume.pdf");
}

static void
test_greenhouse_happy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse/happy", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (outcome_of (apply), ==, "submitted");
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "greenhouse");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "confirmation"), "Thank you for applying"));
  assert_progress_never_goes_down (apply);
  g_assert_cmpstr (g_ptr_array_index (apply->steps, apply->steps->len - 1), ==, "confirming");

  post = only_post (f);
  jsw_fixture_post_assert_greenhouse_profile (post);
  assert_resume_arrived (post, "job_application[resume]");
}

static void
test_greenhouse_unknown_question (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse/unknown", NULL);

  g_assert_cmpint (apply->status, ==, 3);
  g_assert_cmpstr (outcome_of (apply), ==, "needs_user");
  g_assert_true (list_contains (apply->result, "missing", "Describe the largest system you have scaled"));
  /* Never invent, never send. */
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

static void
test_greenhouse_validation (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse/validation", NULL);

  /* The employer refused the form: never "submitted"; the reason is read. */
  g_assert_cmpint (apply->status, ==, 3);
  g_assert_cmpstr (outcome_of (apply), ==, "needs_user");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "error"), "Phone number is invalid"));
}

static void
test_greenhouse_iframe (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/embed/greenhouse", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "greenhouse");
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[email]"), ==, "ada@example.org");
  assert_resume_arrived (post, "job_application[resume]");
}

static void
test_isolated_world (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse/happy", "--no-submit");

  /* --no-submit fills and sends nothing */
  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (outcome_of (apply), ==, "filled");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  /* The page's own script looked for the engine and found nothing. */
  g_assert_cmpuint (f->site->spy_reports->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (f->site->spy_reports, 0), ==, "{\"jobswipe\":\"undefined\"}");
}

static void
test_greenhouse_react (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse-react/happy", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "greenhouse");
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "first_name"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "email"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "question_30112"), ==, "https://www.linkedin.com/in/ada-lovelace");
  /* react-select comboboxes: typed, then the matching option clicked */
  g_assert_cmpstr (jsw_fixture_post_field (post, "question_30113"), ==, "Yes");
  g_assert_cmpstr (jsw_fixture_post_field (post, "question_30114"), ==, "LinkedIn");
  assert_resume_arrived (post, "resume");
}

static void
test_generic_emailed_code (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/generic/code", NULL);

  g_assert_cmpint (apply->status, ==, 3);
  g_assert_true (list_contains (apply->result, "missing", "code"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

static void
test_lever_happy (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "final.png", NULL);
  g_autofree char *png_arg = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr(Apply) apply = run_apply (f, "/lever/happy", png_arg);
  g_autofree char *picture = NULL;
  gsize picture_size = 0;
  JswFixturePost *post;

  /* The final page, as a picture for the person's history. */
  g_assert_true (g_file_get_contents (png, &picture, &picture_size, NULL));
  g_assert_cmpuint (picture_size, >, 1000);
  g_assert_cmpmem (picture, 8, "\x89PNG\r\n\x1a\n", 8);
  g_remove (png);

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "lever");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "confirmation"), "Application submitted"));
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "name"), ==, "Ada Lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "email"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "org"), ==, "Analytical Engines Ltd");
  g_assert_cmpstr (jsw_fixture_post_field (post, "urls[LinkedIn]"), ==, "https://www.linkedin.com/in/ada-lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "urls[GitHub]"), ==, "https://github.com/ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "urls[Portfolio]"), ==, "https://ada.example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "cards[5a1e][field0]"), ==, "Yes");
  g_assert_cmpstr (jsw_fixture_post_field (post, "cards[5a1e][field1]"), ==, "LinkedIn");
  g_assert_cmpstr (jsw_fixture_post_field (post, "comments"), ==, "I would love to build your queue.");
  g_assert_cmpstr (jsw_fixture_post_field (post, "eeo[gender]"), ==, "Female");
  g_assert_cmpstr (jsw_fixture_post_field (post, "eeo[veteran]"), ==, "Decline to self-identify");
  assert_resume_arrived (post, "resume");
}

static void
test_lever_captcha (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/lever/captcha", NULL);

  g_assert_cmpint (apply->status, ==, 3);
  g_assert_cmpstr (outcome_of (apply), ==, "needs_user");
  g_assert_true (list_contains (apply->result, "missing", "captcha"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

static void
test_ashby_happy (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/ashby/happy", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "ashby");
  /* The page sends its own state, built from input events: proof that the
   * values were typed in the way a framework accepts. */
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "_systemfield_name"), ==, "Ada Lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "_systemfield_email"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "8c1f2d"), ==, "+44 20 7946 0958");
  g_assert_cmpstr (jsw_fixture_post_field (post, "a77e01"), ==, "https://www.linkedin.com/in/ada-lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "e3b0c4"), ==, "Yes");
  g_assert_cmpstr (jsw_fixture_post_field (post, "f4a9d2"), ==, "No");
  assert_resume_arrived (post, "_systemfield_resume");
}

static void
test_workday_wizard (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/workday/happy", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "workday");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "confirmation"), "Application Submitted"));
  assert_progress_never_goes_down (apply);
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "legalNameSection_firstName"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "legalNameSection_lastName"), ==, "Lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "phone-number"), ==, "+44 20 7946 0958");
  g_assert_cmpstr (jsw_fixture_post_field (post, "sponsorship"), ==, "No");
  assert_resume_arrived (post, "resume-input");
}

static void
test_workday_login_wall (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/workday/login", NULL);

  g_assert_cmpint (apply->status, ==, 3);
  g_assert_true (list_contains (apply->result, "missing", "sign in"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

static void
test_generic_slow (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/generic/slow", NULL);
  JswFixturePost *post;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (apply->result, "ats"), ==, "generic");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "confirmation"), "received your application"));
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "applicant_first"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "applicant_last"), ==, "Lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "contact"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "tel"), ==, "+44 20 7946 0958");
  g_assert_cmpstr (jsw_fixture_post_field (post, "city"), ==, "London, UK");
  g_assert_cmpstr (jsw_fixture_post_field (post, "visa"), ==, "no");
  g_assert_cmpstr (jsw_fixture_post_field (post, "salary"), ==, "85000");
  /* An optional box nobody answered stays unticked. */
  g_assert_null (jsw_fixture_post_field (post, "newsletter"));
  assert_resume_arrived (post, "cv");
}

static void
test_generic_unknown (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/generic/unknown", NULL);

  g_assert_cmpint (apply->status, ==, 3);
  g_assert_true (list_contains (apply->result, "missing", "Describe the largest system you have scaled"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

static void
test_desktop_profile_persists (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *browser = g_build_filename (f->dir, "browser", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other-browser", NULL);
  const char *desktop[] = { "--mode", "desktop", "--browser-profile", browser, NULL };
  const char *fresh[] = { "--mode", "desktop", "--browser-profile", other, NULL };
  g_autoptr(Apply) signin = run_apply_with (f, "/account/signin", desktop);
  g_autoptr(Apply) again = NULL;
  g_autoptr(Apply) server = NULL;
  g_autoptr(Apply) elsewhere = NULL;

  g_assert_cmpint (signin->status, ==, 0);
  /* The same person's browser profile is still signed in next time... */
  again = run_apply_with (f, "/account/apply", desktop);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpuint (f->site->posts->len, ==, 2);
  /* ...while a server run, and another profile, know nothing of it. */
  server = run_apply (f, "/account/apply", NULL);
  g_assert_cmpint (server->status, ==, 3);
  g_assert_true (list_contains (server->result, "missing", "sign in"));
  elsewhere = run_apply_with (f, "/account/apply", fresh);
  g_assert_cmpint (elsewhere->status, ==, 3);
  g_assert_cmpuint (f->site->posts->len, ==, 2);

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s' '%s'", browser, other);

    g_assert_cmpint (system (command), ==, 0);
  }
}

static void
test_server_proxy (Fixture       *f,
                   gconstpointer  data)
{
  const char *proxy = jsw_fixture_site_start_proxy (f->site);
  g_autofree char *proxy_arg = g_strconcat ("--proxy=", proxy, NULL);
  g_autoptr(Apply) apply = run_apply (f, "/generic/happy", proxy_arg);
  gboolean page_through_proxy = FALSE;

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  for (guint i = 0; i < f->site->proxied->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (f->site->proxied, i), "/generic/happy"))
      page_through_proxy = TRUE;
  g_assert_true (page_through_proxy);
}

/* One engine, one application after the other: the second is as complete
 * as the first (the resume included). */
static void
test_two_in_one_engine (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Apply) apply = run_apply (f, "/greenhouse/happy", "--repeat=2");

  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpuint (f->site->posts->len, ==, 2);
  assert_resume_arrived (g_ptr_array_index (f->site->posts, 0), "job_application[resume]");
  assert_resume_arrived (g_ptr_array_index (f->site->posts, 1), "job_application[resume]");
}

/* The generic form, whose resume field asks the site something the moment
 * a file is chosen and waits for the answer (a synchronous request); the
 * first time, the site's answer is to end the page's web process, as a
 * crash would, in the middle of the engine's upload step. */
static void
handle_crashing (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  guint *kills = user_data;

  if (g_str_equal (path, "/crashing/form"))
    {
      g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "generic", "form.html", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GString) page = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (fixture, &contents, NULL, &error);
      g_assert_no_error (error);
      page = g_string_new (contents);
      g_string_replace (page, "{{action}}", "/generic/crashing/submit", 0);
      g_string_replace (page, "</body>",
                        "<script>document.querySelector('input[type=file]').addEventListener('change', () => {"
                        " const request = new XMLHttpRequest(); request.open('GET', '/crashing/check', false);"
                        " request.send(); });</script></body>", 0);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, page->str, page->len);
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  if (g_str_equal (path, "/crashing/check"))
    {
      GPid web_process = *kills == 0 && running_apply != 0 ? jsw_fixture_web_process_of (running_apply) : 0;

      if (web_process != 0 && kill (web_process, SIGKILL) == 0)
        ++*kills;
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

/* The page's web process goes away in the middle of a run, before
 * anything was sent (a crash, the system ending it). Every call into the
 * page then fails at once with WebKit's "Unsupported result type"; the run
 * must not poll that dead page until its deadline and fail, but open the
 * application again and send it, once. */
static void
test_web_process_gone (Fixture       *f,
                       gconstpointer  data)
{
  guint kills = 0;
  g_autoptr(Apply) apply = NULL;
  JswFixturePost *post;
  guint openings = 0;

  soup_server_add_handler (f->site->server, "/crashing", handle_crashing, &kills, NULL);
  apply = run_apply (f, "/crashing/form", NULL);

  g_assert_cmpuint (kills, ==, 1);
  g_assert_cmpint (apply->status, ==, 0);
  g_assert_cmpstr (outcome_of (apply), ==, "submitted");
  g_assert_nonnull (strstr (json_object_get_string_member (apply->result, "confirmation"), "received your application"));
  assert_progress_never_goes_down (apply);
  for (guint i = 0; i < apply->steps->len; i++)
    if (g_str_equal (g_ptr_array_index (apply->steps, i), "opening"))
      openings++;
  g_assert_cmpuint (openings, ==, 2);
  /* Sent once, complete. */
  post = only_post (f);
  g_assert_cmpstr (jsw_fixture_post_field (post, "applicant_first"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "contact"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "salary"), ==, "85000");
  assert_resume_arrived (post, "cv");
  soup_server_remove_handler (f->site->server, "/crashing");
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *bin = g_getenv ("JSW_APPLY_BIN");
  const char *cases[][5] = {
    { bin, "--json", NULL },                                               /* no URL, no profile */
    { bin, "--profile", "/nonexistent.json", "https://x.example/", NULL },  /* unreadable profile */
    { bin, "--mode", "cloud", "https://x.example/", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = g_subprocess_newv (cases[i], G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                                          G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

      g_assert_no_error (error);
      g_subprocess_wait (process, NULL, &error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* Said as TAP, so the runner reports a skip rather than a pass. */
      g_print ("1..0 # SKIP WebKitGTK needs a display: run under xvfb-run (tools/run-tests does)\n");
      return 0;
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/greenhouse/happy", test_greenhouse_happy);
  ADD ("/engine/greenhouse/unknown-question", test_greenhouse_unknown_question);
  ADD ("/engine/greenhouse/validation-error", test_greenhouse_validation);
  ADD ("/engine/greenhouse/iframe", test_greenhouse_iframe);
  ADD ("/engine/isolation/no-submit", test_isolated_world);
  ADD ("/engine/greenhouse/react-board", test_greenhouse_react);
  ADD ("/engine/generic/emailed-code", test_generic_emailed_code);
  ADD ("/engine/lever/happy", test_lever_happy);
  ADD ("/engine/lever/captcha", test_lever_captcha);
  ADD ("/engine/ashby/happy", test_ashby_happy);
  ADD ("/engine/workday/wizard", test_workday_wizard);
  ADD ("/engine/workday/login-wall", test_workday_login_wall);
  ADD ("/engine/generic/slow", test_generic_slow);
  ADD ("/engine/generic/unknown-question", test_generic_unknown);
  ADD ("/engine/cli/usage", test_usage_errors);
  ADD ("/engine/cli/repeat", test_two_in_one_engine);
  ADD ("/engine/desktop/profile-persists", test_desktop_profile_persists);
  ADD ("/engine/server/proxy", test_server_proxy);
  ADD ("/engine/server/web-process-gone", test_web_process_gone);
#undef ADD

  return g_test_run ();
}
