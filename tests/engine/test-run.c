/* test-run.c: a JswApplyRun in the test's own process, on a view the test
 * holds, for what jobswipe-apply cannot show from outside: a run that
 * starts on the page a person was left on (jsw_apply_run_set_on_page(),
 * the app's parked captcha page) after that page lost its web process.
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

  return g_test_run ();
}
