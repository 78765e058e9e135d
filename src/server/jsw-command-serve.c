/* jsw-command-serve.c: `serve`, the queue server's own subcommand: its
 * settings from the command line, then the server run until SIGTERM or
 * SIGINT (streams closed with 1001), or until it cannot serve (exit 1, so
 * that systemd restarts it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "jsw-command.h"
#include "jsw-feed-syncer.h"
#include "jsw-log.h"
#include "jsw-server.h"

static void
on_shutdown_done (GObject      *server,
                  GAsyncResult *result,
                  gpointer      loop)
{
  jsw_server_shutdown_finish (JSW_SERVER (server), result, NULL);
  g_main_loop_quit (loop);
}

static gboolean
on_terminate (gpointer user_data)
{
  JswServer *server = g_object_get_data (G_OBJECT (user_data), "server");

  jsw_server_shutdown_async (server, NULL, on_shutdown_done, g_object_get_data (G_OBJECT (user_data), "loop"));
  return G_SOURCE_CONTINUE;
}

/* The server cannot serve any more: stop as on SIGTERM, but exit 1 so that
 * systemd restarts it. */
static void
on_server_failed (JswServer    *server,
                  const GError *error,
                  GObject      *holder)
{
  g_object_set_data (holder, "exit-status", GINT_TO_POINTER (1));
  on_terminate (holder);
}

static gboolean
parse_listen (const char  *listen,
              char       **host,
              guint       *port)
{
  const char *colon = strrchr (listen, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  *host = g_strndup (listen, colon - listen);
  /* [::1]:8080 */
  if (**host == '[' && (*host)[strlen (*host) - 1] == ']')
    {
      char *inner = g_strndup (*host + 1, strlen (*host) - 2);

      g_free (*host);
      *host = inner;
    }
  *port = (guint) value;
  return TRUE;
}

/* serve [--listen HOST:PORT] */

static char *opt_listen;
static char *opt_profile_key_file;
static int opt_lease_ttl, opt_heartbeat, opt_sweep_ms, opt_events_kept, opt_events_bytes_kept;
static gint64 opt_send_budget;
static int opt_max_connections, opt_max_per_address, opt_header_timeout = -1, opt_body_timeout = -1;
static int opt_sync_interval = -1, opt_sync_timeout, opt_sync_backoff, opt_purge_closed_after;
static char *listen_host;
static guint listen_port;
static char *opt_config;

static const GOptionEntry serve_options[] = {
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen, N_("Address and port (default 127.0.0.1:8080; port 0 picks a free one)"), N_("HOST:PORT") },
  { "lease-ttl", 0, 0, G_OPTION_ARG_INT, &opt_lease_ttl, N_("Seconds a lease lives without a heartbeat (default 60)"), N_("S") },
  { "heartbeat", 0, 0, G_OPTION_ARG_INT, &opt_heartbeat, N_("Seconds between heartbeats asked of clients (default 20)"), N_("S") },
  { "sweep-ms", 0, 0, G_OPTION_ARG_INT, &opt_sweep_ms, N_("How often expired leases are looked for (default 1000)"), N_("MS") },
  { "events-kept", 0, 0, G_OPTION_ARG_INT, &opt_events_kept, N_("Changes kept per stream for resuming (default 10000)"), N_("N") },
  { "events-bytes-kept", 0, 0, G_OPTION_ARG_INT, &opt_events_bytes_kept, N_("Bytes of changes kept per stream for resuming (default 4194304)"), N_("BYTES") },
  { "send-budget", 0, 0, G_OPTION_ARG_INT64, &opt_send_budget, N_("Bytes a stream may have waiting for its client before it is closed as too slow (default 4194304)"), N_("BYTES") },
  { "max-connections", 0, 0, G_OPTION_ARG_INT, &opt_max_connections, N_("Connections open at once, streams included (default 10000, at most the descriptor limit less a reserve)"), N_("N") },
  { "max-per-address", 0, 0, G_OPTION_ARG_INT, &opt_max_per_address, N_("Connections open at once from one client address (default 128)"), N_("N") },
  { "header-timeout", 0, 0, G_OPTION_ARG_INT, &opt_header_timeout, N_("Seconds a client has to send a request’s headers (default 10; 0: no limit)"), N_("S") },
  { "body-timeout", 0, 0, G_OPTION_ARG_INT, &opt_body_timeout, N_("Seconds a client has to send a request’s body (default 30; 0: no limit)"), N_("S") },
  { "sync-interval", 0, 0, G_OPTION_ARG_INT, &opt_sync_interval, N_("Seconds between two syncs of a job source, give or take a tenth (default 1800; 0: no syncing)"), N_("S") },
  { "sync-timeout", 0, 0, G_OPTION_ARG_INT, &opt_sync_timeout, N_("Seconds a job board may take to connect or send (default 30)"), N_("S") },
  { "sync-backoff", 0, 0, G_OPTION_ARG_INT, &opt_sync_backoff, N_("Seconds before a failed job source is tried again, doubled after each failure in a row (default 60)"), N_("S") },
  { "purge-closed-after", 0, 0, G_OPTION_ARG_INT, &opt_purge_closed_after, N_("Seconds a posting gone from its board is kept before it is purged (default 2592000: 30 days)"), N_("S") },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config, N_("A key file with billing’s settings under [jobswipe-server] (JOBSWIPE_STRIPE_SECRET_KEY=…); the environment wins"), N_("PATH") },
  { "profile-key-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_key_file, N_("The key that seals profiles and resumes kept for server execution: 32 random bytes in base64 (default $JOBSWIPE_PROFILE_KEY_FILE; none: no profiles are kept)"), N_("FILE") },
  { NULL }
};

static gboolean
check_serve (int          argc,
             char       **argv,
             const char **problem)
{
  *problem = _("serve takes no arguments");
  if (argc != 1)
    return FALSE;
  *problem = _("--listen takes HOST:PORT");
  return parse_listen (opt_listen ? opt_listen : "127.0.0.1:8080", &listen_host, &listen_port);
}

static void
serve_config (JswServerConfig *config)
{
  jsw_server_config_init_defaults (config);
  if (opt_lease_ttl > 0)
    config->lease_ttl_s = opt_lease_ttl;
  if (opt_heartbeat > 0)
    config->heartbeat_s = opt_heartbeat;
  if (opt_sweep_ms > 0)
    config->sweep_interval_ms = opt_sweep_ms;
  if (opt_events_kept > 0)
    config->events_kept = opt_events_kept;
  if (opt_events_bytes_kept > 0)
    config->events_bytes_kept = opt_events_bytes_kept;
  if (opt_send_budget > 0)
    config->send_budget = opt_send_budget;
  if (opt_max_connections > 0)
    config->connections.max_connections = opt_max_connections;
  if (opt_max_per_address > 0)
    config->connections.max_per_address = opt_max_per_address;
  if (opt_header_timeout >= 0)
    config->connections.header_timeout_s = opt_header_timeout;
  if (opt_body_timeout >= 0)
    config->connections.body_timeout_s = opt_body_timeout;
  if (config->heartbeat_s >= config->lease_ttl_s)
    config->heartbeat_s = MAX (1, config->lease_ttl_s / 3);
}

static void
print_listening (const char *url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "listening");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  fflush (stdout);
}

/* The profile key: named by --profile-key-file or
 * $JOBSWIPE_PROFILE_KEY_FILE. One named but unusable stops the start; none
 * named is said once, and the profile endpoints then refuse. */
static gboolean
set_up_vault (JswServer  *server,
              GError    **error)
{
  const char *path = opt_profile_key_file ? opt_profile_key_file : g_getenv ("JOBSWIPE_PROFILE_KEY_FILE");
  g_autoptr(JswVault) vault = NULL;

  if (path == NULL || *path == '\0')
    {
      jsw_log (JSW_LOG_WARNING, NULL, "server.no_profile_key", "message", 's',
               "no --profile-key-file or JOBSWIPE_PROFILE_KEY_FILE: profiles and resumes are not kept, "
               "so server execution cannot apply for anyone", NULL);
      return TRUE;
    }
  vault = jsw_vault_new_from_key_file (path, error);
  if (vault == NULL)
    return FALSE;
  jsw_server_set_vault (server, vault);
  return TRUE;
}

static int
run_serve (JswStore  *store,
           int        argc,
           char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GObject) holder = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JswFeedSyncer) syncer = NULL;
  g_autofree char *db_path = jsw_command_db_path ();
  JswServerConfig config;
  JswFeedSyncerConfig sync_config;
  guint bound_port = 0;

  serve_config (&config);
  if (!jsw_server_config_load_billing (&config.billing, opt_config, &error))
    return jsw_command_fail (error);
  server = jsw_server_new (store, &config);
  if (!set_up_vault (server, &error))
    return jsw_command_fail (error);
  if (!jsw_server_listen (server, listen_host, listen_port, &bound_port, &error))
    return jsw_command_fail (error);

  jsw_feed_syncer_config_init_defaults (&sync_config);
  if (opt_sync_timeout > 0)
    sync_config.timeout_s = opt_sync_timeout;
  if (opt_sync_backoff > 0)
    sync_config.backoff_s = opt_sync_backoff;
  if (opt_sync_interval >= 0)
    sync_config.interval_s = opt_sync_interval;
  if (opt_purge_closed_after > 0)
    sync_config.purge_after_s = opt_purge_closed_after;
  /* The syncer opens the database itself, for its thread. */
  syncer = jsw_feed_syncer_new (db_path, jsw_command_database_url (), &sync_config);
  jsw_server_set_feed_syncer (server, syncer);
  jsw_feed_syncer_start (syncer);

  loop = g_main_loop_new (NULL, FALSE);
  holder = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_set_data (holder, "server", server);
  g_object_set_data (holder, "loop", loop);
  g_signal_connect (server, "failed", G_CALLBACK (on_server_failed), holder);
  g_unix_signal_add (SIGTERM, on_terminate, holder);
  g_unix_signal_add (SIGINT, on_terminate, holder);

  url = g_strdup_printf (strchr (listen_host, ':') ? "http://[%s]:%u" : "http://%s:%u", listen_host, bound_port);
  print_listening (url);
  jsw_log (JSW_LOG_INFO, NULL, "server.listening", "url", 's', url, NULL);

  g_main_loop_run (loop);
  if (syncer != NULL)
    jsw_feed_syncer_stop (syncer);
  jsw_log (JSW_LOG_INFO, NULL, "server.stopped", NULL);
  return GPOINTER_TO_INT (g_object_get_data (holder, "exit-status"));
}

const JswCommand jsw_command_serve = {
  { "serve", NULL }, N_("serve — run the queue server"),
  serve_options, check_serve, run_serve, TRUE,
};
