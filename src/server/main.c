/* main.c: the jobswipe-server command line
 *
 * Each subcommand prints one JSON object on stdout (PROTOCOL.md); errors go
 * to stderr with exit status 1, usage errors with 2. Every subcommand
 * opens the database itself, so they all work beside a running server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>

#include "jsw-credentials.h"
#include "jsw-log.h"
#include "jsw-server.h"
#include "jsw-sqlite-store.h"

#define EXIT_USAGE 2

static char *opt_db;

static const GOptionEntry db_option[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, N_("The SQLite database file"), N_("PATH") },
  { NULL }
};

static char *
default_db_path (void)
{
  const char *env = g_getenv ("JOBSWIPE_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "jobswipe-server", "jobswipe.db", NULL);
}

static JswStore *
open_store (GError **error)
{
  g_autofree char *path = opt_db ? g_strdup (opt_db) : default_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  gboolean own_folder = !g_file_test (dir, G_FILE_TEST_EXISTS);
  const char *env_db = g_getenv ("JOBSWIPE_DB");

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create the folder “%s”"), dir);
      return NULL;
    }

  /* The default folder is ours alone: an older version may have left it
   * open to others. A folder named with --db may be shared (/tmp, say) and
   * is left as it is; the file itself is private either way. */
  if (opt_db == NULL && (env_db == NULL || *env_db == '\0'))
    own_folder = TRUE;
  if (own_folder && g_chmod (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot make the folder “%s” private"), dir);
      return NULL;
    }
  return jsw_sqlite_store_open (path, error);
}

static int
fail (const GError *error)
{
  g_printerr ("jobswipe-server: %s\n", error->message);
  return 1;
}

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (message != NULL)
    g_printerr ("jobswipe-server: %s\n\n", message);
  g_printerr ("%s", help);
  return EXIT_USAGE;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = jsw_json_node_to_string (root);

  g_print ("%s\n", text);
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               GError         **error)
{
  g_option_context_add_main_entries (context, db_option, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0' && strlen (email) <= 320 &&
         g_utf8_validate (email, -1, NULL) && strpbrk (email, " \t\r\n") == NULL;
}

static char *
read_password_from_stdin (void)
{
  char buffer[1024];
  char *line = fgets (buffer, sizeof buffer, stdin);

  if (line == NULL)
    return NULL;
  g_strchomp (line);
  return g_strdup (line);
}

static char *
issue_token (JswStore    *store,
             const char  *user_id,
             JswKind      kind,
             const char  *device,
             GError     **error)
{
  g_autofree char *token = jsw_token_generate ();
  g_autofree char *hash = jsw_token_hash (token);

  if (!jsw_store_add_token (store, hash, user_id, kind, device, g_get_real_time (), error))
    return NULL;
  return g_steal_pointer (&token);
}

/* user add EMAIL [--plan P] [--password-stdin] */
static int
cmd_user_add (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("user add EMAIL — create a user and a first device token"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *plan = NULL;
  g_autofree char *password = NULL;
  g_autofree char *password_hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "plan", 0, 0, G_OPTION_ARG_STRING, &plan, N_("free, basic, pro, premium or enterprise"), N_("PLAN") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read a password from standard input"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2 || !valid_email (argv[1]))
    return usage (context, _("Give one valid e-mail address"));

  if (password_stdin)
    {
      password = read_password_from_stdin ();
      if (password == NULL || strlen (password) < 8)
        return usage (context, _("The password must have at least 8 characters"));
      password_hash = jsw_password_hash (password, &error);
      if (password_hash == NULL)
        return fail (error);
    }

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  user_id = jsw_store_create_user (store, argv[1], plan ? plan : "free", password_hash, g_get_real_time (), &error);
  if (user_id == NULL)
    return fail (error);
  token = issue_token (store, user_id, JSW_KIND_DESKTOP, "first device", &error);
  if (token == NULL)
    return fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  print_json (builder);
  return 0;
}

/* user set-plan EMAIL PLAN [--status STATUS] */
static int
cmd_user_set_plan (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("user set-plan EMAIL PLAN — change a user’s plan"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *status = NULL;
  g_autofree char *user_id = NULL;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("The subscription status (default: active)"), N_("STATUS") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 3)
    return usage (context, _("Give an e-mail address and a plan"));

  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL ||
      !jsw_store_set_subscription (store, user_id, argv[2], status ? status : "active", g_get_real_time (), &error))
    return fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, argv[2]);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status ? status : "active");
  json_builder_end_object (builder);
  print_json (builder);
  return 0;
}

static int
print_token (const char *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  print_json (builder);
  return 0;
}

/* token add EMAIL --device NAME */
static int
cmd_token_add (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("token add EMAIL --device NAME — a token for another device"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autofree char *device = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("The device’s name"), N_("NAME") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2 || device == NULL || *device == '\0')
    return usage (context, _("Give an e-mail address and --device NAME"));

  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL)
    return fail (error);
  token = issue_token (store, user_id, JSW_KIND_DESKTOP, device, &error);
  if (token == NULL)
    return fail (error);
  return print_token (token);
}

/* worker-token add NAME */
static int
cmd_worker_token_add (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("worker-token add NAME — a token for a server-side worker"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autofree char *token = NULL;

  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2 || *argv[1] == '\0')
    return usage (context, _("Give the worker’s name"));

  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  token = issue_token (store, NULL, JSW_KIND_SERVER, argv[1], &error);
  if (token == NULL)
    return fail (error);
  return print_token (token);
}

static gboolean
parse_limit (const char *text,
             gint64     *limit)
{
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "null") || g_str_equal (text, "unlimited"))
    {
      *limit = -1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return FALSE;
  *limit = (gint64) value;
  return TRUE;
}

static void
add_plan_json (JsonBuilder *builder,
               JswAccount  *plan)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, plan->plan);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      json_builder_set_member_name (builder, jsw_counter_to_string ((JswCounter) i));
      if (plan->limits.limit[i] < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, plan->limits.limit[i]);
    }
  json_builder_end_object (builder);
}

static JswAccount *
find_plan (GPtrArray  *plans,
           const char *name)
{
  for (guint i = 0; i < plans->len; i++)
    {
      JswAccount *plan = g_ptr_array_index (plans, i);

      if (g_str_equal (plan->plan, name))
        return plan;
    }
  return NULL;
}

/* plan set NAME [--server-month N] [--total-month N] [--daily N] ; plan list */
static int
cmd_plan (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("plan list | plan set NAME [--server-month N] [--total-month N] [--daily N]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *server_month = NULL;
  g_autofree char *total_month = NULL;
  g_autofree char *daily = NULL;
  const GOptionEntry entries[] = {
    { "server-month", 0, 0, G_OPTION_ARG_STRING, &server_month, N_("Applications on the server per month (a number or null)"), N_("N") },
    { "total-month", 0, 0, G_OPTION_ARG_STRING, &total_month, N_("Applications per month (a number or null)"), N_("N") },
    { "daily", 0, 0, G_OPTION_ARG_STRING, &daily, N_("Applications per day (a number or null)"), N_("N") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc < 2 || (!g_str_equal (argv[1], "list") && !(g_str_equal (argv[1], "set") && argc == 3)))
    return usage (context, NULL);

  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  plans = jsw_store_list_plans (store, &error);
  if (plans == NULL)
    return fail (error);

  if (g_str_equal (argv[1], "set"))
    {
      JswAccount *existing = find_plan (plans, argv[2]);
      JswPlanLimits limits = { { 0, 0, 0 } };

      if (existing != NULL)
        limits = existing->limits;
      if (!parse_limit (server_month, &limits.limit[JSW_COUNTER_SERVER_MONTH]) ||
          !parse_limit (total_month, &limits.limit[JSW_COUNTER_TOTAL_MONTH]) ||
          !parse_limit (daily, &limits.limit[JSW_COUNTER_DAILY]))
        return usage (context, _("A limit is a whole number or null"));
      if (!jsw_store_set_plan (store, argv[2], &limits, &error))
        return fail (error);
      g_clear_pointer (&plans, g_ptr_array_unref);
      plans = jsw_store_list_plans (store, &error);
      if (plans == NULL)
        return fail (error);
      add_plan_json (builder, find_plan (plans, argv[2]));
      print_json (builder);
      return 0;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plans");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plans->len; i++)
    add_plan_json (builder, g_ptr_array_index (plans, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  print_json (builder);
  return 0;
}

/* Every stream is a file descriptor; the soft limit of 1,024 would cap a
 * server far below what it can hold. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

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
static int
cmd_serve (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("serve — run the queue server"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autoptr(JswServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GObject) holder = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *listen = NULL;
  g_autofree char *host = NULL;
  g_autofree char *log_level = NULL;
  g_autofree char *url = NULL;
  JswServerConfig config;
  int lease_ttl = 0, heartbeat = 0, sweep_ms = 0, events_kept = 0, events_bytes_kept = 0;
  gint64 send_budget = 0;
  int max_connections = 0, max_per_address = 0, header_timeout = -1, body_timeout = -1;
  guint port, bound_port = 0;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address and port (default 127.0.0.1:8080; port 0 picks a free one)"), N_("HOST:PORT") },
    { "lease-ttl", 0, 0, G_OPTION_ARG_INT, &lease_ttl, N_("Seconds a lease lives without a heartbeat (default 60)"), N_("S") },
    { "heartbeat", 0, 0, G_OPTION_ARG_INT, &heartbeat, N_("Seconds between heartbeats asked of clients (default 20)"), N_("S") },
    { "sweep-ms", 0, 0, G_OPTION_ARG_INT, &sweep_ms, N_("How often expired leases are looked for (default 1000)"), N_("MS") },
    { "events-kept", 0, 0, G_OPTION_ARG_INT, &events_kept, N_("Changes kept per stream for resuming (default 10000)"), N_("N") },
    { "events-bytes-kept", 0, 0, G_OPTION_ARG_INT, &events_bytes_kept, N_("Bytes of changes kept per stream for resuming (default 4194304)"), N_("BYTES") },
    { "send-budget", 0, 0, G_OPTION_ARG_INT64, &send_budget, N_("Bytes a stream may have waiting for its client before it is closed as too slow (default 4194304)"), N_("BYTES") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, N_("Connections open at once, streams included (default 10000, at most the descriptor limit less a reserve)"), N_("N") },
    { "max-per-address", 0, 0, G_OPTION_ARG_INT, &max_per_address, N_("Connections open at once from one client address (default 128)"), N_("N") },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout, N_("Seconds a client has to send a request’s headers (default 10; 0: no limit)"), N_("S") },
    { "body-timeout", 0, 0, G_OPTION_ARG_INT, &body_timeout, N_("Seconds a client has to send a request’s body (default 30; 0: no limit)"), N_("S") },
    { "log-level", 0, 0, G_OPTION_ARG_STRING, &log_level, N_("debug, info, warning or error (default info)"), N_("LEVEL") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 1)
    return usage (context, _("serve takes no arguments"));

  if (!parse_listen (listen ? listen : "127.0.0.1:8080", &host, &port))
    return usage (context, _("--listen takes HOST:PORT"));

  if (log_level != NULL)
    {
      JswLogLevel level;

      if (!jsw_log_level_from_string (log_level, &level))
        return usage (context, _("Unknown log level"));
      jsw_log_set_level (level);
    }

  jsw_server_config_init_defaults (&config);
  if (lease_ttl > 0)
    config.lease_ttl_s = lease_ttl;
  if (heartbeat > 0)
    config.heartbeat_s = heartbeat;
  if (sweep_ms > 0)
    config.sweep_interval_ms = sweep_ms;
  if (events_kept > 0)
    config.events_kept = events_kept;
  if (events_bytes_kept > 0)
    config.events_bytes_kept = events_bytes_kept;
  if (send_budget > 0)
    config.send_budget = send_budget;
  if (max_connections > 0)
    config.connections.max_connections = max_connections;
  if (max_per_address > 0)
    config.connections.max_per_address = max_per_address;
  if (header_timeout >= 0)
    config.connections.header_timeout_s = header_timeout;
  if (body_timeout >= 0)
    config.connections.body_timeout_s = body_timeout;
  if (config.heartbeat_s >= config.lease_ttl_s)
    config.heartbeat_s = MAX (1, config.lease_ttl_s / 3);

  raise_fd_limit ();
  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  server = jsw_server_new (store, &config);
  if (!jsw_server_listen (server, host, port, &bound_port, &error))
    return fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  holder = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_set_data (holder, "server", server);
  g_object_set_data (holder, "loop", loop);
  g_signal_connect (server, "failed", G_CALLBACK (on_server_failed), holder);
  g_unix_signal_add (SIGTERM, on_terminate, holder);
  g_unix_signal_add (SIGINT, on_terminate, holder);

  url = g_strdup_printf (strchr (host, ':') ? "http://[%s]:%u" : "http://%s:%u", host, bound_port);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "listening");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  print_json (builder);
  fflush (stdout);
  jsw_log (JSW_LOG_INFO, NULL, "server.listening", "url", 's', url, NULL);

  g_main_loop_run (loop);
  jsw_log (JSW_LOG_INFO, NULL, "server.stopped", NULL);
  return GPOINTER_TO_INT (g_object_get_data (holder, "exit-status"));
}

static int
print_main_usage (void)
{
  g_printerr ("%s",
              _("Usage: jobswipe-server COMMAND [OPTIONS] [--db PATH]\n"
                "\n"
                "Commands:\n"
                "  serve [--listen HOST:PORT]               run the queue server\n"
                "  user add EMAIL [--plan P] [--password-stdin]\n"
                "                                           create a user and a first device token\n"
                "  user set-plan EMAIL PLAN [--status S]    change a user’s plan\n"
                "  token add EMAIL --device NAME            a token for another device\n"
                "  worker-token add NAME                    a token for a server-side worker\n"
                "  plan list | plan set NAME [--daily N] …  show or change the plans\n"
                "\n"
                "The database defaults to $JOBSWIPE_DB, else ~/.local/share/jobswipe-server/jobswipe.db.\n"));
  return EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return print_main_usage ();

  /* Subcommands of two words shift by two, of one word by one, so each
   * parser sees its own name in argv[0]. */
  if (argc >= 3 && g_str_equal (argv[1], "user") && g_str_equal (argv[2], "add"))
    return cmd_user_add (argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "user") && g_str_equal (argv[2], "set-plan"))
    return cmd_user_set_plan (argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "token") && g_str_equal (argv[2], "add"))
    return cmd_token_add (argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "worker-token") && g_str_equal (argv[2], "add"))
    return cmd_worker_token_add (argc - 2, argv + 2);
  if (g_str_equal (argv[1], "plan"))
    return cmd_plan (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "serve"))
    return cmd_serve (argc - 1, argv + 1);

  return print_main_usage ();
}
