/* jsw-worker-main.c: jobswipe-worker, the server-side worker
 *
 *   jobswipe-worker --server URL --token-file FILE [--concurrency N]
 *                   [--proxy-list FILE] [--timeout S] [--screenshot-dir DIR]
 *                   [--allow-private-targets] [--allow-target ADDRESS:PORT]...
 *                   [--log-level L]
 *
 * Exit status: 0 drained after SIGTERM or SIGINT, 1 failed to start,
 * 2 usage error. WebKitGTK needs a display: run it under xvfb-run
 * (docs/worker.md, data/jobswipe-worker.service).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <unistd.h>

#include "jsw-engine.h"
#include "jsw-log.h"
#include "jsw-proxy-pool.h"
#include "jsw-worker.h"

#define EXIT_USAGE 2
#define MAX_CONCURRENCY 64

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("jobswipe-worker: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

/* The token file holds the token and nothing else but white space. */
static char *
read_token (const char  *path,
            GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_strstrip (text);
  if (*text == '\0' || strpbrk (text, " \t\r\n") != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s does not hold one token"), path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static gboolean
valid_server_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
}

static gboolean
on_stop_signal (gpointer user_data)
{
  jsw_worker_drain (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— apply to server-targeted entries"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswWorker) worker = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) proxies = NULL;
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *token = NULL;
  g_autofree char *proxy_list = NULL;
  g_autofree char *screenshot_dir = NULL;
  g_autofree char *log_level = NULL;
  g_autofree char *device = NULL;
  gboolean allow_private = FALSE;
  g_auto(GStrv) allowed_targets = NULL;
  int concurrency = 1;
  int timeout = 120;
  JswLogLevel level = JSW_LOG_INFO;
  JswWorkerConfig config = { 0 };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The jobswipe-server to work for"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("A file holding a worker token"), N_("FILE") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Applications at once (default 1)"), N_("N") },
    { "proxy-list", 0, 0, G_OPTION_ARG_FILENAME, &proxy_list, N_("Proxy URLs, one a line (http, https, socks5)"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up an application after this many seconds (default 120)"), N_("S") },
    { "screenshot-dir", 0, 0, G_OPTION_ARG_FILENAME, &screenshot_dir, N_("Keep a picture of each application’s last page here"), N_("DIR") },
    { "allow-private-targets", 0, 0, G_OPTION_ARG_NONE, &allow_private, N_("Let applications reach loopback, link-local and private addresses (tests and demos)"), NULL },
    { "allow-target", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allowed_targets, N_("Let applications reach this one private address and port (repeatable)"), N_("ADDRESS:PORT") },
    { "log-level", 0, 0, G_OPTION_ARG_STRING, &log_level, N_("debug, info, warning or error (default info)"), N_("L") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 1)
    return usage (context, _("Unexpected argument"));
  if (server == NULL || !valid_server_url (server))
    return usage (context, _("--server must be the server’s http:// or https:// URL"));
  if (token_file == NULL)
    return usage (context, _("--token-file is required"));
  if (concurrency < 1 || concurrency > MAX_CONCURRENCY)
    return usage (context, _("--concurrency must be between 1 and 64"));
  if (timeout <= 0)
    return usage (context, _("--timeout must be positive"));
  if (log_level != NULL && !jsw_log_level_from_string (log_level, &level))
    return usage (context, _("--log-level is debug, info, warning or error"));
  token = read_token (token_file, &error);
  if (token == NULL)
    return usage (context, error->message);
  if (proxy_list != NULL && (proxies = jsw_proxy_pool_read_list (proxy_list, &error)) == NULL)
    return usage (context, error->message);
  if (screenshot_dir != NULL && g_mkdir_with_parents (screenshot_dir, 0750) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot make %s: %s"), screenshot_dir, g_strerror (errno));

      return usage (context, message);
    }
  jsw_log_set_level (level);

  jsw_engine_prepare_server_process ();
  if (!gtk_init_check ())
    {
      jsw_log (JSW_LOG_ERROR, NULL, "worker.no_display", "why", 's',
               "WebKitGTK needs a display: run the worker under xvfb-run (docs/worker.md)", NULL);
      return 1;
    }

  device = g_strdup_printf ("worker-%s-%d", g_get_host_name (), (int) getpid ());
  config.server_url = server;
  config.token = token;
  config.device = device;
  config.concurrency = (guint) concurrency;
  config.proxies = proxies ? (const char * const *) proxies->pdata : NULL;
  config.timeout_s = (guint) timeout;
  config.screenshot_dir = screenshot_dir;
  config.allow_private = allow_private;
  config.allowed_targets = (const char * const *) allowed_targets;
  worker = jsw_worker_new (&config, &error);
  if (worker == NULL)
    {
      jsw_log (JSW_LOG_ERROR, NULL, "worker.not_started", "why", 's', error->message, NULL);
      return 1;
    }
  memset (token, 0, strlen (token));

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect_swapped (worker, "drained", G_CALLBACK (g_main_loop_quit), loop);
  g_unix_signal_add (SIGTERM, on_stop_signal, worker);
  g_unix_signal_add (SIGINT, on_stop_signal, worker);
  jsw_worker_start (worker);
  g_main_loop_run (loop);
  return 0;
}
