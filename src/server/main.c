/* main.c: the jobswipe-server command line
 *
 * Each subcommand prints one JSON object on stdout (PROTOCOL.md); errors go
 * to stderr with exit status 1, usage errors with 2. Every subcommand
 * opens the database itself, so they all work beside a running server.
 *
 * The subcommands share one setup (run_command()): their options beside
 * the common --db and --log-level, what they were given checked before
 * anything is opened, then the store opened. A subcommand is a line in
 * `commands` with its options, a check and a run function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

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
#include "jsw-usage-report.h"

#define EXIT_USAGE 2

/* The options every subcommand takes */
static char *opt_db;
static char *opt_log_level;

static const GOptionEntry common_options[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, N_("The SQLite database file"), N_("PATH") },
  { "log-level", 0, 0, G_OPTION_ARG_STRING, &opt_log_level, N_("debug, info, warning or error (default info)"), N_("LEVEL") },
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

/* user add EMAIL [--plan P] [--password-stdin] */

static char *opt_plan;
static gboolean opt_password_stdin;
static char *password;

static const GOptionEntry user_add_options[] = {
  { "plan", 0, 0, G_OPTION_ARG_STRING, &opt_plan, N_("free, basic, pro, premium or enterprise"), N_("PLAN") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin, N_("Read a password from standard input"), NULL },
  { NULL }
};

static gboolean
check_user_add (int          argc,
                char       **argv,
                const char **problem)
{
  if (argc != 2 || !valid_email (argv[1]))
    {
      *problem = _("Give one valid e-mail address");
      return FALSE;
    }
  if (!opt_password_stdin)
    return TRUE;

  password = read_password_from_stdin ();
  *problem = _("The password must have at least 8 characters");
  return password != NULL && strlen (password) >= 8;
}

static int
run_user_add (JswStore  *store,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *password_hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;

  if (password != NULL)
    {
      password_hash = jsw_password_hash (password, &error);
      if (password_hash == NULL)
        return fail (error);
    }
  user_id = jsw_store_create_user (store, argv[1], opt_plan ? opt_plan : "free", password_hash,
                                   g_get_real_time (), &error);
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

static char *opt_status;

static const GOptionEntry user_set_plan_options[] = {
  { "status", 0, 0, G_OPTION_ARG_STRING, &opt_status, N_("The subscription status (default: active)"), N_("STATUS") },
  { NULL }
};

static gboolean
check_user_set_plan (int          argc,
                     char       **argv,
                     const char **problem)
{
  *problem = _("Give an e-mail address and a plan");
  return argc == 3;
}

static int
run_user_set_plan (JswStore  *store,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *user_id = NULL;
  const char *status = opt_status ? opt_status : "active";

  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL ||
      !jsw_store_set_subscription (store, user_id, argv[2], status, g_get_real_time (), &error))
    return fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, argv[2]);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_end_object (builder);
  print_json (builder);
  return 0;
}

/* token add EMAIL --device NAME */

static char *opt_device;

static const GOptionEntry token_add_options[] = {
  { "device", 0, 0, G_OPTION_ARG_STRING, &opt_device, N_("The device’s name"), N_("NAME") },
  { NULL }
};

static gboolean
check_token_add (int          argc,
                 char       **argv,
                 const char **problem)
{
  *problem = _("Give an e-mail address and --device NAME");
  return argc == 2 && opt_device != NULL && *opt_device != '\0';
}

static int
run_token_add (JswStore  *store,
               int        argc,
               char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;

  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL)
    return fail (error);
  token = issue_token (store, user_id, JSW_KIND_DESKTOP, opt_device, &error);
  if (token == NULL)
    return fail (error);
  return print_token (token);
}

/* worker-token add NAME */

static gboolean
check_worker_token_add (int          argc,
                        char       **argv,
                        const char **problem)
{
  *problem = _("Give the worker’s name");
  return argc == 2 && *argv[1] != '\0';
}

static int
run_worker_token_add (JswStore  *store,
                      int        argc,
                      char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = issue_token (store, NULL, JSW_KIND_SERVER, argv[1], &error);

  if (token == NULL)
    return fail (error);
  return print_token (token);
}

/* plan set NAME [--server-month N] [--total-month N] [--daily N] ; plan list */

static char *opt_server_month;
static char *opt_total_month;
static char *opt_daily;

static const GOptionEntry plan_options[] = {
  { "server-month", 0, 0, G_OPTION_ARG_STRING, &opt_server_month, N_("Applications on the server per month (a number or null)"), N_("N") },
  { "total-month", 0, 0, G_OPTION_ARG_STRING, &opt_total_month, N_("Applications per month (a number or null)"), N_("N") },
  { "daily", 0, 0, G_OPTION_ARG_STRING, &opt_daily, N_("Applications per day (a number or null)"), N_("N") },
  { NULL }
};

static JswPlanLimits plan_changes;

static gboolean
check_plan (int          argc,
            char       **argv,
            const char **problem)
{
  gboolean list = argc == 2 && g_str_equal (argv[1], "list");
  gboolean set = argc == 3 && g_str_equal (argv[1], "set");

  /* The plain help: which of the two was meant is not known. */
  *problem = NULL;
  if (!list && !set)
    return FALSE;
  if (list)
    return TRUE;

  /* A limit not given keeps its value (-2 until the plan is read). */
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    plan_changes.limit[i] = -2;
  *problem = _("A limit is a whole number or null");
  return parse_limit (opt_server_month, &plan_changes.limit[JSW_COUNTER_SERVER_MONTH]) &&
         parse_limit (opt_total_month, &plan_changes.limit[JSW_COUNTER_TOTAL_MONTH]) &&
         parse_limit (opt_daily, &plan_changes.limit[JSW_COUNTER_DAILY]);
}

static int
set_plan (JswStore   *store,
          GPtrArray  *plans,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JswAccount *existing = find_plan (plans, name);
  JswPlanLimits limits = { { 0, 0, 0 } };

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      if (plan_changes.limit[i] != -2)
        limits.limit[i] = plan_changes.limit[i];
      else if (existing != NULL)
        limits.limit[i] = existing->limits.limit[i];
    }
  if (!jsw_store_set_plan (store, name, &limits, &error))
    return fail (error);
  changed = jsw_store_list_plans (store, &error);
  if (changed == NULL)
    return fail (error);
  add_plan_json (builder, find_plan (changed, name));
  print_json (builder);
  return 0;
}

static int
run_plan (JswStore  *store,
          int        argc,
          char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  plans = jsw_store_list_plans (store, &error);
  if (plans == NULL)
    return fail (error);
  if (g_str_equal (argv[1], "set"))
    return set_plan (store, plans, argv[2]);

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

/* usage report [--month YYYY-MM] [--format json|table] */

static char *opt_month;
static char *opt_format;
static gint64 report_start, report_end;
static char *report_month;

static const GOptionEntry usage_report_options[] = {
  { "month", 0, 0, G_OPTION_ARG_STRING, &opt_month, N_("The month (default: this month, UTC)"), N_("YYYY-MM") },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_("json (default) or table"), N_("FORMAT") },
  { NULL }
};

static gboolean
check_usage_report (int          argc,
                    char       **argv,
                    const char **problem)
{
  *problem = _("usage report takes no arguments");
  if (argc != 1)
    return FALSE;
  *problem = _("--format is json or table");
  if (opt_format != NULL && !g_str_equal (opt_format, "json") && !g_str_equal (opt_format, "table"))
    return FALSE;
  *problem = _("--month takes YYYY-MM");
  return jsw_usage_report_month (opt_month, g_get_real_time (), &report_start, &report_end, &report_month, NULL);
}

static int
run_usage_report (JswStore  *store,
                  int        argc,
                  char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = jsw_store_usage_report (store, report_start, report_end, g_get_real_time (), &error);

  if (lines == NULL)
    return fail (error);
  if (g_strcmp0 (opt_format, "table") == 0)
    {
      g_autofree char *table = jsw_usage_report_to_table (lines, report_month);

      g_print ("%s", table);
    }
  else
    {
      g_autoptr(JsonNode) root = jsw_usage_report_to_json (lines, report_month);
      g_autofree char *text = jsw_json_node_to_string (root);

      g_print ("%s\n", text);
    }
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

static char *opt_listen;
static char *opt_profile_key_file;
static int opt_lease_ttl, opt_heartbeat, opt_sweep_ms, opt_events_kept, opt_events_bytes_kept;
static gint64 opt_send_budget;
static int opt_max_connections, opt_max_per_address, opt_header_timeout = -1, opt_body_timeout = -1;
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
  print_json (builder);
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
  JswServerConfig config;
  guint bound_port = 0;

  serve_config (&config);
  if (!jsw_server_config_load_billing (&config.billing, opt_config, &error))
    return fail (error);
  server = jsw_server_new (store, &config);
  if (!set_up_vault (server, &error))
    return fail (error);
  if (!jsw_server_listen (server, listen_host, listen_port, &bound_port, &error))
    return fail (error);

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
  jsw_log (JSW_LOG_INFO, NULL, "server.stopped", NULL);
  return GPOINTER_TO_INT (g_object_get_data (holder, "exit-status"));
}

/* The subcommands */

typedef struct {
  const char         *words[2];   /* one or two words; the second may be NULL */
  const char         *synopsis;   /* N_(): --help's summary line */
  const GOptionEntry *options;    /* (nullable): its own, beside common_options */
  /* Checks what it was given (argv[0] is its last word), before anything
   * is opened; FALSE with the usage problem, or NULL for the plain help. */
  gboolean          (*check) (int argc, char **argv, const char **problem);
  /* Runs it on the opened store; returns the exit status. */
  int               (*run)   (JswStore *store, int argc, char **argv);
  gboolean            raise_fd_limit;
} Command;

static const Command commands[] = {
  { { "user", "add" }, N_("user add EMAIL — create a user and a first device token"),
    user_add_options, check_user_add, run_user_add, FALSE },
  { { "user", "set-plan" }, N_("user set-plan EMAIL PLAN — change a user’s plan"),
    user_set_plan_options, check_user_set_plan, run_user_set_plan, FALSE },
  { { "token", "add" }, N_("token add EMAIL --device NAME — a token for another device"),
    token_add_options, check_token_add, run_token_add, FALSE },
  { { "worker-token", "add" }, N_("worker-token add NAME — a token for a server-side worker"),
    NULL, check_worker_token_add, run_worker_token_add, FALSE },
  { { "plan", NULL }, N_("plan list | plan set NAME [--server-month N] [--total-month N] [--daily N]"),
    plan_options, check_plan, run_plan, FALSE },
  { { "usage", "report" }, N_("usage report [--month YYYY-MM] [--format json|table] — figures per plan"),
    usage_report_options, check_usage_report, run_usage_report, FALSE },
  { { "serve", NULL }, N_("serve — run the queue server"),
    serve_options, check_serve, run_serve, TRUE },
};

/* The setup every subcommand shares: options parsed (its own, --db and
 * --log-level), the log level set, what it was given checked, the store
 * opened; then the command runs. */
static int
run_command (const Command  *command,
             int             argc,
             char          **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_(command->synopsis));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  const char *problem = NULL;

  if (command->options != NULL)
    g_option_context_add_main_entries (context, command->options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);

  if (opt_log_level != NULL)
    {
      JswLogLevel level;

      if (!jsw_log_level_from_string (opt_log_level, &level))
        return usage (context, _("Unknown log level"));
      jsw_log_set_level (level);
    }

  if (!command->check (argc, argv, &problem))
    return usage (context, problem);

  if (command->raise_fd_limit)
    raise_fd_limit ();
  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  return command->run (store, argc, argv);
}

static gboolean
command_named (const Command  *command,
               int             argc,
               char          **argv)
{
  if (command->words[1] == NULL)
    return argc >= 2 && g_str_equal (argv[1], command->words[0]);
  return argc >= 3 && g_str_equal (argv[1], command->words[0]) && g_str_equal (argv[2], command->words[1]);
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
                "  usage report [--month YYYY-MM] [--format json|table]\n"
                "                                           users, applications and revenue per plan\n"
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

  /* Each command's parser sees its last word in argv[0]. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (command_named (&commands[i], argc, argv))
      {
        guint shift = commands[i].words[1] != NULL ? 2 : 1;

        return run_command (&commands[i], argc - shift, argv + shift);
      }

  return print_main_usage ();
}
