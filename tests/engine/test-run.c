/* test-run.c: a JswApplyRun in the test's own process, on a view the test
 * holds, for what jobswipe-apply cannot show from outside: a run that
 * starts on the page a person was left on (jsw_apply_run_set_on_page(),
 * the app's parked captcha page) after that page lost its web process;
 * and the caller's decision before the send button (JswApplyRun::ready-to-send),
 * which jobswipe-apply never makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "jsw-apply-run.h"
#include "jsw-browser.h"
#include "jsw-fixture-site.h"

#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"phone\":\"+44 20 7946 0958\",\"location\":\"London, UK\"," \
  "\"answers\":{\"requires_sponsorship\":\"No\",\"salary_expectation\":\"85000\"}}"

static void
load_finished (WebKitWebView   *view,
               WebKitLoadEvent  event,
               gboolean        *finished)
{
  if (event == WEBKIT_LOAD_FINISHED)
    *finished = TRUE;
}

static void
terminated (WebKitWebView                     *view,
            WebKitWebProcessTerminationReason  reason,
            gboolean                          *gone)
{
  *gone = TRUE;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  JswApplyResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = jsw_apply_run_finish (JSW_APPLY_RUN (source), result, &error);
  g_assert_no_error (error);
}

/* The page a person was left on lost its web process while it waited
 * (nobody watching: no run). The run that goes on "from that page" must
 * see that it is gone and open the application again, not poll a dead
 * page until it fails with "Unsupported result type". */
static void
test_on_page_lost (void)
{
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autoptr(JswFixtureSite) site = jsw_fixture_site_new (fixtures);
  g_autofree char *url = jsw_fixture_site_url (site, "/generic/happy");
  g_autofree char *resume = g_test_build_filename (G_TEST_DIST, "fixtures", "Mara_Lindqvist_CV.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) profile = jsw_profile_new_from_json (PROFILE_JSON, &error);
  g_autoptr(JswEngine) engine = jsw_engine_new (JSW_ENGINE_MODE_SERVER, NULL);
  g_autoptr(JswBrowser) browser = jsw_browser_new (engine);
  WebKitWebView *view = jsw_browser_get_view (browser);
  g_autoptr(JswApplyRun) run = NULL;
  JswApplyResult *result = NULL;
  gboolean finished = FALSE, gone = FALSE;
  GPid web_process;

  g_assert_no_error (error);
  jsw_browser_hold (browser, FALSE);
  g_signal_connect (view, "load-changed", G_CALLBACK (load_finished), &finished);
  g_signal_connect (view, "web-process-terminated", G_CALLBACK (terminated), &gone);
  webkit_web_view_load_uri (view, url);
  while (!finished)
    g_main_context_iteration (NULL, TRUE);

  web_process = jsw_fixture_web_process_of (getpid ());
  g_assert_cmpint (web_process, >, 0);
  g_assert_cmpint (kill (web_process, SIGKILL), ==, 0);
  while (!gone)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (jsw_engine_view_lost_page (view));

  run = jsw_apply_run_new (view, profile, url);
  jsw_apply_run_set_on_page (run, TRUE);
  jsw_apply_run_set_timeout (run, 60);
  jsw_apply_run_set_resume (run, resume);
  jsw_apply_run_start (run, NULL, run_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("outcome %d: %s", result->outcome, result->error ? result->error : "");
  g_assert_cmpint (result->outcome, ==, JSW_OUTCOME_SUBMITTED);
  g_assert_cmpuint (site->posts->len, ==, 1);
  g_assert_cmpstr (jsw_fixture_post_field (g_ptr_array_index (site->posts, 0), "contact"), ==, "ada@example.org");
  g_assert_nonnull (g_hash_table_lookup (((JswFixturePost *) g_ptr_array_index (site->posts, 0))->files, "cv"));
  g_assert_false (jsw_engine_view_lost_page (view));
  jsw_apply_result_free (result);
}

/* The caller's decision before the send button */

typedef struct {
  JswFixtureSite *site;
  JswApplyRun    *run;
  gboolean        send;         /* what the caller decides */
  guint           asked;        /* ready-to-send emissions */
  gboolean        decided;
  GPtrArray      *requests;     /* "METHOD /path" the site read, in order */
  GPtrArray      *steps;        /* progress steps, in order */
  JswApplyResult *result;
  GError         *error;
  gboolean        done;
} Decision;

static void
site_read (SoupServer        *server,
           SoupServerMessage *msg,
           Decision          *d)
{
  g_ptr_array_add (d->requests, g_strdup_printf ("%s %s", soup_server_message_get_method (msg),
                                                 g_uri_get_path (soup_server_message_get_uri (msg))));
}

static void
progress (JswApplyRun *run,
          int          percent,
          const char  *step,
          const char  *message,
          Decision    *d)
{
  g_ptr_array_add (d->steps, g_strdup (step));
}

/* Answered a while later from the main loop, as a runner answers once its
 * server did or did not acknowledge `submitting`. */
static gboolean
decide (gpointer user_data)
{
  Decision *d = user_data;

  d->decided = TRUE;
  /* Marks the moment in the site's log: the press must come after it. */
  g_ptr_array_add (d->requests, g_strdup ("-- decided"));
  if (d->send)
    jsw_apply_run_allow_send (d->run);
  else
    jsw_apply_run_withhold (d->run, "not on record");
  return G_SOURCE_REMOVE;
}

static gboolean
ready_to_send (JswApplyRun *run,
               int          percent,
               const char  *message,
               Decision    *d)
{
  g_assert_cmpint (percent, ==, 85);
  d->asked++;
  g_timeout_add (1500, decide, d);
  return TRUE;
}

static void
decision_run_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Decision *d = user_data;

  d->result = jsw_apply_run_finish (JSW_APPLY_RUN (source), result, &d->error);
  d->done = TRUE;
}

static guint
count_requests (Decision   *d,
                const char *request)
{
  guint n = 0;

  for (guint i = 0; i < d->requests->len; i++)
    n += g_str_equal (g_ptr_array_index (d->requests, i), request);
  return n;
}

static gboolean
has_step (Decision   *d,
          const char *step)
{
  return g_ptr_array_find_with_equal_func (d->steps, step, g_str_equal, NULL);
}

static gboolean
flag_up (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean up = FALSE;

  g_timeout_add (ms, flag_up, &up);
  while (!up)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs /generic/happy with a caller that decides @send 1.5 s after it is
 * asked. */
static void
run_deciding (Decision *d,
              gboolean  send)
{
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *url = NULL;
  g_autofree char *resume = g_test_build_filename (G_TEST_DIST, "fixtures", "Mara_Lindqvist_CV.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) profile = jsw_profile_new_from_json (PROFILE_JSON, &error);
  g_autoptr(JswEngine) engine = jsw_engine_new (JSW_ENGINE_MODE_SERVER, NULL);
  g_autoptr(JswBrowser) browser = jsw_browser_new (engine);

  g_assert_no_error (error);
  d->site = jsw_fixture_site_new (fixtures);
  d->requests = g_ptr_array_new_with_free_func (g_free);
  d->steps = g_ptr_array_new_with_free_func (g_free);
  d->send = send;
  url = jsw_fixture_site_url (d->site, "/generic/happy");
  g_signal_connect (d->site->server, "request-read", G_CALLBACK (site_read), d);
  jsw_browser_hold (browser, FALSE);

  d->run = jsw_apply_run_new (jsw_browser_get_view (browser), profile, url);
  jsw_apply_run_set_timeout (d->run, 60);
  jsw_apply_run_set_resume (d->run, resume);
  g_signal_connect (d->run, "progress", G_CALLBACK (progress), d);
  g_signal_connect (d->run, "ready-to-send", G_CALLBACK (ready_to_send), d);
  jsw_apply_run_start (d->run, NULL, decision_run_done, d);
  while (!d->done)
    g_main_context_iteration (NULL, TRUE);

  /* Whatever the run still had under way (a press, the page opened
   * again) would reach the site meanwhile. */
  iterate_for (3000);
  for (guint i = 0; i < d->requests->len; i++)
    g_test_message ("site: %s", (char *) g_ptr_array_index (d->requests, i));
}

static void
decision_clear (Decision *d)
{
  g_signal_handlers_disconnect_by_data (d->site->server, d);
  g_clear_object (&d->run);
  g_clear_pointer (&d->site, jsw_fixture_site_free);
  g_clear_pointer (&d->requests, g_ptr_array_unref);
  g_clear_pointer (&d->steps, g_ptr_array_unref);
  g_clear_pointer (&d->result, jsw_apply_result_free);
  g_clear_error (&d->error);
}

/* Told not to send: the run ends unsent with JSW_APPLY_RUN_ERROR_NOT_SENT
 * and the caller's words, the form's submit is never requested, and the
 * application is not opened again. */
static void
test_send_withheld (void)
{
  Decision d = { 0 };

  run_deciding (&d, FALSE);
  g_assert_cmpuint (d.asked, ==, 1);
  g_assert_true (d.decided);
  g_assert_null (d.result);
  g_assert_error (d.error, JSW_APPLY_RUN_ERROR, JSW_APPLY_RUN_ERROR_NOT_SENT);
  g_assert_cmpstr (d.error->message, ==, "not on record");
  g_assert_cmpuint (count_requests (&d, "POST /generic/happy/submit"), ==, 0);
  g_assert_cmpuint (d.site->posts->len, ==, 0);
  g_assert_cmpuint (count_requests (&d, "GET /generic/happy"), ==, 1);
  /* Reviewing was reached, `submitting` never reported. */
  g_assert_true (has_step (&d, "reviewing"));
  g_assert_false (has_step (&d, "submitting"));
  decision_clear (&d);
}

/* Allowed late: nothing is sent while the caller decides; once allowed,
 * `submitting` is reported and the application is sent once. */
static void
test_send_allowed_late (void)
{
  Decision d = { 0 };
  guint decided_at, submitted_at;

  run_deciding (&d, TRUE);
  g_assert_no_error (d.error);
  g_assert_nonnull (d.result);
  g_assert_cmpint (d.result->outcome, ==, JSW_OUTCOME_SUBMITTED);
  g_assert_cmpuint (d.asked, ==, 1);
  g_assert_cmpuint (count_requests (&d, "POST /generic/happy/submit"), ==, 1);
  g_assert_cmpuint (d.site->posts->len, ==, 1);
  g_assert_true (g_ptr_array_find_with_equal_func (d.requests, "-- decided", g_str_equal, &decided_at));
  g_assert_true (g_ptr_array_find_with_equal_func (d.requests, "POST /generic/happy/submit", g_str_equal, &submitted_at));
  g_assert_cmpuint (decided_at, <, submitted_at);
  g_assert_true (has_step (&d, "submitting"));
  decision_clear (&d);
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
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();

  g_test_add_func ("/engine/run/on-page-lost", test_on_page_lost);
  g_test_add_func ("/engine/run/send-withheld", test_send_withheld);
  g_test_add_func ("/engine/run/send-allowed-late", test_send_allowed_late);

  return g_test_run ();
}
