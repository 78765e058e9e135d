/* jsw-apply-main.c: jobswipe-apply, the engine on the command line
 *
 *   jobswipe-apply --profile PROFILE.json [--resume FILE] [--mode desktop|server]
 *                  [--no-submit] [--timeout SECONDS] [--screenshot FILE.png] [--json] URL
 *
 * Additions: --proxy URL (server mode, repeatable: a rotation),
 * --browser-profile DIR (desktop mode), --repeat N (benchmarks).
 *
 * Exit status: 0 submitted (or filled, with --no-submit), 3 needs_user,
 * 1 failed, 2 usage error (PROTOCOL.md); addition: 4 unconfirmed (the send
 * button was pressed, then neither a confirmation nor an error showed; do
 * not retry, a person checks).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "jsw-apply-run.h"
#include "jsw-browser.h"
#include "jsw-engine.h"

#define EXIT_NEEDS_USER 3
#define EXIT_UNCONFIRMED 4
#define EXIT_USAGE      2

typedef struct {
  GMainLoop      *loop;
  JswEngine      *engine;
  JswBrowser     *browser;
  WebKitWebView  *view;          /* the browser's */
  JswProfile     *profile;
  const char     *url;
  const char     *resume;
  gboolean        submit;
  gboolean        linkedin_auto_send;
  guint           timeout;
  JswApplyRun    *run;
  JswApplyResult *result;
  GError         *error;
  const char     *screenshot;
  gboolean        json;
  int             runs_left;
  int             run_number;
  gint64          started;
} Run;

static void start_run (Run *state);
static void print_result (Run *state);

static void
print_json_line (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = jsw_json_node_to_string (root);

  printf ("%s\n", line);
  fflush (stdout);
}

static void
on_progress (JswApplyRun *run,
             int          percent,
             const char  *step,
             const char  *message,
             Run         *state)
{
  if (state->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "progress");
      json_builder_set_member_name (builder, "percent");
      json_builder_add_int_value (builder, percent);
      json_builder_set_member_name (builder, "step");
      json_builder_add_string_value (builder, step);
      if (message != NULL)
        {
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, message);
        }
      json_builder_end_object (builder);
      print_json_line (builder);
    }
  else
    g_printerr ("%3d%%  %-11s %s\n", percent, step, message ? message : "");
}

static void
add_list (JsonBuilder *builder,
          const char  *name,
          GPtrArray   *items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; items != NULL && i < items->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

static const char *
outcome_name (JswApplyResult *result)
{
  /* With --no-submit nothing is sent; saying "submitted" would be a lie. */
  if (result->outcome == JSW_OUTCOME_SUBMITTED && !result->submitted)
    return "filled";
  return jsw_outcome_to_string (result->outcome);
}

static void
print_result (Run *state)
{
  JswApplyResult *result = state->result;

  if (state->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "result");
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, outcome_name (result));
      json_builder_set_member_name (builder, "ats");
      json_builder_add_string_value (builder, result->ats);
      add_list (builder, "filled", result->filled);
      add_list (builder, "missing", result->missing);
      json_builder_set_member_name (builder, "blockers");
      json_builder_begin_array (builder);
      for (guint i = 0; i < result->blockers->len; i++)
        jsw_blocker_add_json (g_ptr_array_index (result->blockers, i), builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "confirmation");
      json_builder_add_string_value (builder, result->confirmation ? result->confirmation : "");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, result->error ? result->error : "");
      json_builder_end_object (builder);
      print_json_line (builder);
      return;
    }

  printf (_("Outcome: %s (%s)\n"), outcome_name (result), result->ats);
  for (guint i = 0; i < result->missing->len; i++)
    printf (_("  needs you: %s\n"), (char *) g_ptr_array_index (result->missing, i));
  if (result->confirmation)
    printf (_("  confirmation: %s\n"), result->confirmation);
  if (result->error)
    printf (_("  %s\n"), result->error);
}

static void
last_page_saved (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Run *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = jsw_browser_save_last_page_finish (JSW_BROWSER (source), res, &error);

  if (sha256 == NULL)
    g_printerr (_("jobswipe-apply: no screenshot: %s\n"), error->message);
  g_main_loop_quit (state->loop);
}

/* With --repeat, how long each application took in this one engine: the
 * first one pays for starting the browser, the others are warm. */
static void
print_timing (Run *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "timing");
  json_builder_set_member_name (builder, "run");
  json_builder_add_int_value (builder, state->run_number);
  json_builder_set_member_name (builder, "ms");
  json_builder_add_double_value (builder, (g_get_monotonic_time () - state->started) / 1000.0);
  json_builder_end_object (builder);
  print_json_line (builder);
}

static void
run_finished (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Run *state = user_data;

  g_clear_pointer (&state->result, jsw_apply_result_free);
  state->result = jsw_apply_run_finish (JSW_APPLY_RUN (source), res, &state->error);
  if (state->result != NULL && --state->runs_left > 0)
    {
      if (state->json)
        print_timing (state);
      print_result (state);
      start_run (state);
      return;
    }
  if (state->json && state->run_number > 1)
    print_timing (state);
  if (state->result != NULL && state->screenshot != NULL)
    {
      jsw_browser_save_last_page_async (state->browser, state->screenshot, NULL, last_page_saved, state);
      return;
    }
  g_main_loop_quit (state->loop);
}

static void
start_run (Run *state)
{
  /* Each application goes out through the next proxy of the rotation. */
  if (state->engine != NULL)
    jsw_engine_next_proxy (state->engine);
  g_clear_object (&state->run);
  state->run = jsw_apply_run_new (state->view, state->profile, state->url);
  jsw_apply_run_set_submit (state->run, state->submit);
  jsw_apply_run_set_linkedin_auto_send (state->run, state->linkedin_auto_send);
  jsw_apply_run_set_timeout (state->run, state->timeout);
  if (state->resume != NULL)
    jsw_apply_run_set_resume (state->run, state->resume);
  g_signal_connect (state->run, "progress", G_CALLBACK (on_progress), state);
  state->run_number++;
  state->started = g_get_monotonic_time ();
  jsw_apply_run_start (state->run, NULL, run_finished, state);
}

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("jobswipe-apply: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("URL — apply to the job posting at URL"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) profile = NULL;
  g_autoptr(JswEngine) engine = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *mode_name = NULL;
  g_autofree char *screenshot = NULL;
  g_autofree char *browser_dir = NULL;
  g_auto(GStrv) proxies = NULL;
  gboolean no_submit = FALSE, json = FALSE, linkedin_auto_send = FALSE;
  int timeout = 120;
  int repeat = 1;
  GtkWidget *window;
  Run state = { 0 };
  JswEngineMode mode;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_path, N_("The profile (PROFILE.json)"), N_("FILE") },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &resume, N_("The resume to attach (else the profile’s resume_path)"), N_("FILE") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, N_("desktop (a visible window, your browser profile) or server (no window)"), N_("MODE") },
    { "no-submit", 0, 0, G_OPTION_ARG_NONE, &no_submit, N_("Fill in the form but do not send it"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up after this many seconds (default 120)"), N_("SECONDS") },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, N_("Save a picture of the final page"), N_("FILE.png") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per line"), NULL },
    { "proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &proxies, N_("Server mode: a proxy URL (repeat for a rotation)"), N_("URL") },
    { "browser-profile", 0, 0, G_OPTION_ARG_FILENAME, &browser_dir, N_("Desktop mode: the browser profile folder"), N_("DIR") },
    { "linkedin-auto-send", 0, 0, G_OPTION_ARG_NONE, &linkedin_auto_send,
      N_("LinkedIn: send without stopping on the review step (only when you opted in)"), NULL },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, N_("Apply this many times in one engine (for benchmarks)"), N_("N") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2)
    return usage (context, _("Give exactly one URL"));
  if (profile_path == NULL)
    return usage (context, _("--profile is required"));
  if (mode_name == NULL || g_str_equal (mode_name, "desktop"))
    mode = JSW_ENGINE_MODE_DESKTOP;
  else if (g_str_equal (mode_name, "server"))
    mode = JSW_ENGINE_MODE_SERVER;
  else
    return usage (context, _("--mode is desktop or server"));
  if (timeout <= 0)
    return usage (context, _("--timeout must be positive"));
  if (repeat < 1)
    return usage (context, _("--repeat must be positive"));
  {
    g_autoptr(GUri) uri = g_uri_parse (argv[1], G_URI_FLAGS_NONE, NULL);

    if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                        g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
      return usage (context, _("The URL must be an http or https URL"));
  }

  profile = jsw_profile_new_from_file (profile_path, &error);
  if (profile == NULL)
    return usage (context, error->message);

  if (mode == JSW_ENGINE_MODE_SERVER)
    jsw_engine_prepare_server_process ();
  gtk_init ();

  engine = jsw_engine_new (mode, browser_dir);
  if (proxies != NULL)
    jsw_engine_set_proxies (engine, (const char * const *) proxies);

  state.loop = g_main_loop_new (NULL, FALSE);
  state.engine = engine;
  state.browser = jsw_browser_new (engine);
  state.view = jsw_browser_get_view (state.browser);
  state.json = json;
  state.screenshot = screenshot;

  /* The view always lives in a desktop-sized window; only DESKTOP mode
   * shows it. */
  window = jsw_browser_hold (state.browser, mode == JSW_ENGINE_MODE_DESKTOP);
  gtk_window_set_title (GTK_WINDOW (window), _("JobSwipe — applying"));

  state.profile = profile;
  state.url = argv[1];
  state.resume = resume;
  state.submit = !no_submit;
  state.linkedin_auto_send = linkedin_auto_send;
  state.timeout = (guint) timeout;
  state.runs_left = repeat;
  start_run (&state);

  g_main_loop_run (state.loop);

  if (state.result == NULL)
    {
      g_printerr ("jobswipe-apply: %s\n", state.error->message);
      return 1;
    }
  print_result (&state);

  {
    int status = state.result->outcome == JSW_OUTCOME_SUBMITTED ? 0
               : state.result->outcome == JSW_OUTCOME_NEEDS_USER ? EXIT_NEEDS_USER
               : state.result->outcome == JSW_OUTCOME_UNCONFIRMED ? EXIT_UNCONFIRMED : 1;

    g_clear_object (&state.run);
    g_clear_object (&state.browser);
    jsw_apply_result_free (state.result);
    g_main_loop_unref (state.loop);
    return status;
  }
}
