/* jsw-test-util.c: a real jobswipe-server for a test (on SQLite or
 * PostgreSQL), its command line, REST clients and database reads; the
 * stream client is in jsw-test-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "jsw-pg-store.h"
#include "jsw-sqlite-store.h"
#include "jsw-test-util.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("JSW_SERVER_BIN");

  g_assert_nonnull (path);
  return path;
}

/* A server must never outlive its test, even one that aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A launcher for processes that must never outlive the test. */
GSubprocessLauncher *
jsw_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

/* The store the suites run against: SQLite, or PostgreSQL when
 * JSW_TEST_STORE=postgresql (the server-pg suite, tests/meson.build), on
 * the cluster JSW_TEST_DATABASE_URL names (tools/pg-test-cluster). */
gboolean
jsw_test_uses_postgresql (void)
{
  return g_strcmp0 (g_getenv ("JSW_TEST_STORE"), "postgresql") == 0;
}

static gboolean
is_url (const char *location)
{
  return g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://");
}

static PGconn *
connect_or_fail (const char *url)
{
  PGconn *conn = PQconnectdb (url);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to %s: %s", url, PQerrorMessage (conn));
  return conn;
}

static void
run_or_fail (PGconn     *conn,
             const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

/* @url with its database replaced by @database. */
static char *
url_with_database (const char *url,
                   const char *database)
{
  const char *authority = strstr (url, "://") + 3;
  const char *path = strchr (authority, '/');
  const char *query = path != NULL ? strchr (path, '?') : NULL;

  return g_strdup_printf ("%.*s/%s%s", (int) ((path ? path : authority + strlen (authority)) - url), url,
                          database, query ? query : "");
}

/**
 * jsw_test_database_new:
 * @dir: a temporary folder of the test's
 *
 * Returns: where a test's store lives: a SQLite file in @dir, or a new,
 *   empty PostgreSQL database's URL (dropped by jsw_test_database_drop())
 */
char *
jsw_test_database_new (const char *dir)
{
  static guint counter;
  const char *cluster = g_getenv ("JSW_TEST_DATABASE_URL");
  g_autofree char *name = NULL;
  g_autofree char *create = NULL;
  PGconn *conn;

  if (!jsw_test_uses_postgresql ())
    return g_build_filename (dir, "server.db", NULL);

  if (cluster == NULL || !is_url (cluster))
    g_error ("JSW_TEST_STORE=postgresql needs JSW_TEST_DATABASE_URL=postgresql://… "
             "(tools/run-tests starts a cluster: tools/pg-test-cluster start)");
  name = g_strdup_printf ("jsw_t_%d_%u_%u", (int) getpid (), ++counter, g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  conn = connect_or_fail (cluster);
  run_or_fail (conn, create);
  PQfinish (conn);
  return url_with_database (cluster, name);
}

void
jsw_test_database_drop (const char *location)
{
  if (is_url (location))
    {
      const char *cluster = g_getenv ("JSW_TEST_DATABASE_URL");
      const char *name = strrchr (location, '/') + 1;
      g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
                                               (int) strcspn (name, "?"), name);
      PGconn *conn = connect_or_fail (cluster);

      run_or_fail (conn, drop);
      PQfinish (conn);
      return;
    }

  for (guint i = 0; i < 3; i++)
    {
      static const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *path = g_strconcat (location, suffixes[i], NULL);

      g_remove (path);
    }
}

/**
 * jsw_test_database_run:
 * @location: a test's store (jsw_test_database_new()'s)
 * @sql: one statement that returns no rows, valid in SQLite and PostgreSQL
 *
 * Runs @sql on the store as an operator's tool would, behind the server's
 * back (stop the server first where it caches what @sql changes); aborts
 * the test if it fails.
 */
void
jsw_test_database_run (const char *location,
                       const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (is_url (location))
    {
      PGconn *conn = connect_or_fail (location);

      run_or_fail (conn, sql);
      PQfinish (conn);
      return;
    }
  if (sqlite3_open_v2 (location, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s on %s: %s", sql, location, message ? message : sqlite3_errmsg (db));
  sqlite3_close (db);
}

JswStore *
jsw_test_store_open (const char  *location,
                     GError     **error)
{
  if (is_url (location))
    return jsw_pg_store_open (location, error);
  return jsw_sqlite_store_open (location, error);
}

/* The command-line option that names @location. */
const char *
jsw_test_database_option (const char *location)
{
  return is_url (location) ? "--database-url" : "--db";
}

static void
spawn (JswTestServer *server)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *url;

  /* A restart comes back on the same port, as a real server would, so
   * that clients can reconnect to it. */
  g_autofree char *listen = server->url ? g_strdup (server->url + strlen ("http://")) : g_strdup ("127.0.0.1:0");

  /* prlimit sets the limit and then execs the server in the same process. */
  if (server->fd_limit > 0)
    {
      g_autofree char *nofile = g_strdup_printf ("--nofile=%u:%u", server->fd_limit, server->fd_limit);

      g_strv_builder_add_many (builder, "prlimit", nofile, NULL);
    }
  g_strv_builder_add_many (builder, server_binary (), "serve", "--listen", listen,
                           jsw_test_database_option (server->db_path), server->db_path,
                           "--log-level", "warning", NULL);
  if (server->extra_args != NULL)
    g_strv_builder_addv (builder, (const char **) server->extra_args);
  argv = g_strv_builder_end (builder);

  launcher = jsw_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &error);
  g_assert_no_error (error);

  /* The server prints {"listening": URL} once it accepts connections. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  url = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "listening");
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  g_free (server->url);
  g_free (server->ws_url);
  server->url = g_strdup (url);
  server->ws_url = g_strconcat ("ws://", url + strlen ("http://"), "/v1/stream", NULL);
}

JswTestServer *
jsw_test_server_start (const char *const *extra_args)
{
  return jsw_test_server_start_limited (extra_args, 0);
}

/* A server that may hold at most @fd_limit descriptors (0: as inherited). */
JswTestServer *
jsw_test_server_start_limited (const char *const *extra_args,
                               guint              fd_limit)
{
  JswTestServer *server = g_new0 (JswTestServer, 1);
  g_autoptr(GError) error = NULL;

  server->fd_limit = fd_limit;

  server->tmpdir = g_dir_make_tmp ("jsw-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = jsw_test_database_new (server->tmpdir);
  server->extra_args = g_strdupv ((char **) extra_args);
  spawn (server);
  return server;
}

/**
 * jsw_test_server_start_sharing:
 * @first: a running server
 *
 * Returns: another server process on @first's database (its own port);
 *   the database goes when @first is freed
 */
JswTestServer *
jsw_test_server_start_sharing (JswTestServer     *first,
                               const char *const *extra_args)
{
  JswTestServer *server = g_new0 (JswTestServer, 1);
  g_autoptr(GError) error = NULL;

  server->tmpdir = g_dir_make_tmp ("jsw-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_strdup (first->db_path);
  server->shares_database = TRUE;
  server->extra_args = g_strdupv ((char **) extra_args);
  spawn (server);
  return server;
}

GPid
jsw_test_server_pid (JswTestServer *server)
{
  const char *id = g_subprocess_get_identifier (server->process);

  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

/* The descriptors the server process holds now. */
guint
jsw_test_server_count_fds (JswTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) jsw_test_server_pid (server));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

void
jsw_test_server_kill (JswTestServer *server,
                      int            signum)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, signum);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  /* A clean stop exits 0: under the sanitizers, that also means no leak
   * and no undefined behaviour was reported. */
  if (signum == SIGTERM)
    {
      g_assert_true (g_subprocess_get_if_exited (server->process));
      g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
    }
  g_clear_object (&server->process);
}

void
jsw_test_server_stop (JswTestServer *server)
{
  jsw_test_server_kill (server, SIGTERM);
}

void
jsw_test_server_restart (JswTestServer *server)
{
  g_assert_null (server->process);
  spawn (server);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

void
jsw_test_server_free (JswTestServer *server)
{
  jsw_test_server_stop (server);
  if (is_url (server->db_path) && !server->shares_database)
    jsw_test_database_drop (server->db_path);
  remove_tree (server->tmpdir);
  g_free (server->tmpdir);
  g_free (server->db_path);
  g_free (server->url);
  g_free (server->ws_url);
  g_strfreev (server->extra_args);
  g_free (server);
}

JsonObject *
jsw_test_server_cli (JswTestServer *server,
                     const char    *stdin_text,
                     ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) argv = NULL;
  const char *arg;
  va_list args;

  g_strv_builder_add (builder, server_binary ());
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (args);
  g_strv_builder_add_many (builder, jsw_test_database_option (server->db_path), server->db_path, NULL);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char *const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
jsw_test_server_add_user (JswTestServer  *server,
                          const char     *email,
                          const char     *plan,
                          char          **user_id)
{
  g_autoptr(JsonObject) result = jsw_test_server_cli (server, NULL, "user", "add", email, "--plan", plan, NULL);

  if (user_id != NULL)
    *user_id = g_strdup (json_object_get_string_member (result, "user_id"));
  return g_strdup (json_object_get_string_member (result, "token"));
}

/* A profile key for `serve --profile-key-file` (docs/server.md): 32 random
 * bytes in base64, as `head -c 32 /dev/urandom | base64` makes, in
 * @dir/profile.key. Returns the file's path. */
char *
jsw_test_profile_key_new (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "profile.key", NULL);
  guchar key[32];
  g_autofree char *text = NULL;

  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guchar) g_random_int_range (0, 256);
  text = g_base64_encode (key, sizeof key);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

char *
jsw_test_server_worker_token (JswTestServer *server,
                              const char    *name)
{
  g_autoptr(JsonObject) result = jsw_test_server_cli (server, NULL, "worker-token", "add", name, NULL);

  return g_strdup (json_object_get_string_member (result, "token"));
}

SoupSession *
jsw_test_session_new (void)
{
  return soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 128, "timeout", 30, NULL);
}

JsonNode *
jsw_test_http (SoupSession   *session,
               JswTestServer *server,
               const char    *method,
               const char    *path,
               const char    *token,
               const char    *body,
               guint         *status)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  data = g_bytes_get_data (response, &length);
  if (length == 0)
    return NULL;
  json_parser_load_from_data (parser, data, length, &error);
  if (error != NULL)
    return NULL;  /* not JSON: the caller checks the status */
  return json_node_ref (json_parser_get_root (parser));
}

char *
jsw_test_job_json (const char *job_id)
{
  return g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"Backend developer\",\"company\":\"Example GmbH\","
                          "\"apply_url\":\"https://jobs.example.com/%s\",\"location\":\"Berlin\","
                          "\"extra\":{\"team\":\"platform\"}}",
                          job_id, job_id);
}

JsonObject *
jsw_test_swipe_right (SoupSession   *session,
                      JswTestServer *server,
                      const char    *token,
                      const char    *job_id,
                      guint         *status)
{
  g_autofree char *job = jsw_test_job_json (job_id);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
  g_autoptr(JsonNode) node = jsw_test_http (session, server, "POST", "/v1/swipes", token, body, status);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "entry"))
    return NULL;
  return json_object_ref (json_object_get_object_member (json_node_get_object (node), "entry"));
}

const char *
jsw_test_error_code (JsonNode *node)
{
  JsonObject *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");
  return error ? json_object_get_string_member (error, "code") : NULL;
}

/* Whether /metrics, as @metrics renders it (with no entries), has @line
 * as one of its lines. */
gboolean
jsw_test_metrics_say (JswMetrics *metrics,
                      const char *line)
{
  gint64 counts[JSW_N_STATES] = { 0 };
  g_autofree char *text = jsw_metrics_render (metrics, counts);
  g_autofree char *whole_line = g_strconcat ("\n", line, "\n", NULL);

  return strstr (text, whole_line) != NULL;
}

/* TRUE when a Secret Service (a keyring) is on the session bus, as
 * tools/run-tests starts one for the app's token. */
gboolean
jsw_test_keyring_available (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* PUT /v1/me/preference, which must succeed. */
void
jsw_test_set_mode (SoupSession   *session,
                   JswTestServer *server,
                   const char    *token,
                   const char    *mode)
{
  g_autofree char *body = g_strdup_printf ("{\"execution_mode\":\"%s\"}", mode);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (session, server, "PUT", "/v1/me/preference", token, body, &status);

  g_assert_cmpuint (status, ==, 200);
}

/* A counter of GET /v1/me's "usage". */
gint64
jsw_test_usage_of (SoupSession   *session,
                   JswTestServer *server,
                   const char    *token,
                   const char    *counter)
{
  guint status;
  g_autoptr(JsonNode) me = jsw_test_http (session, server, "GET", "/v1/me", token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (me), "usage"), counter);
}

/* @sql with SQLite's ?1 written as PostgreSQL's $1. */
static char *
pg_dialect (const char *sql)
{
  g_autoptr(GString) text = g_string_new (sql);

  g_string_replace (text, "?1", "$1", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* One number read from a database (a SQLite file, read-only, so a running
 * server is not disturbed; or a PostgreSQL URL): @sql's first column,
 * with ?1 bound to @parameter. */
gint64
jsw_test_db_int (const char *db_path,
                 const char *sql,
                 const char *parameter)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (is_url (db_path))
    {
      g_autofree char *pg_sql = pg_dialect (sql);
      PGconn *conn = connect_or_fail (db_path);
      const char *values[] = { parameter };
      PGresult *result = PQexecParams (conn, pg_sql, parameter != NULL ? 1 : 0, NULL, values, NULL, NULL, 0);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      g_assert_cmpint (PQntuples (result), >=, 1);
      value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      PQfinish (conn);
      return value;
    }

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (parameter != NULL)
    sqlite3_bind_text (stmt, 1, parameter, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Freezing the server */

/* Whether every thread of @pid is stopped (state T in /proc). */
static gboolean
all_threads_stopped (GPid pid)
{
  g_autofree char *tasks = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (tasks, 0, NULL);
  const char *tid;

  if (dir == NULL)
    return FALSE;
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks, tid, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *end;

      /* "pid (comm) S ...": the state follows the last ')'. */
      if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL ||
          end[1] != ' ' || end[2] != 'T')
        return FALSE;
    }
  return TRUE;
}

/* SIGSTOP, and back once the kernel has stopped every thread of it: a
 * signal is only sent when kill() returns, and a thread running on
 * another CPU could still read a frame sent right after. */
void
jsw_test_server_pause (JswTestServer *server)
{
  GPid pid = atoi (g_subprocess_get_identifier (server->process));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_subprocess_send_signal (server->process, SIGSTOP);
  while (!all_threads_stopped (pid))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

void
jsw_test_server_resume (JswTestServer *server)
{
  g_subprocess_send_signal (server->process, SIGCONT);
}

struct _JswTestFreeze {
  JswTestServer *server;
  SoupServer    *site;
  char          *path;
  gboolean       stopped;
};

static void
freeze_when_served (SoupServer        *site,
                    SoupServerMessage *msg,
                    JswTestFreeze     *freeze)
{
  if (freeze->stopped || !g_str_equal (soup_server_message_get_method (msg), "GET") ||
      !g_str_equal (g_uri_get_path (soup_server_message_get_uri (msg)), freeze->path))
    return;
  jsw_test_server_pause (freeze->server);
  freeze->stopped = TRUE;
}

/* Stops @server as @site reads the first GET of @path (the test's own
 * main loop serves @site), until jsw_test_freeze_end(). */
JswTestFreeze *
jsw_test_freeze_on_page (JswTestServer *server,
                         SoupServer    *site,
                         const char    *path)
{
  JswTestFreeze *freeze = g_new0 (JswTestFreeze, 1);

  freeze->server = server;
  freeze->site = g_object_ref (site);
  freeze->path = g_strdup (path);
  g_signal_connect (site, "request-read", G_CALLBACK (freeze_when_served), freeze);
  return freeze;
}

gboolean
jsw_test_freeze_happened (JswTestFreeze *freeze)
{
  return freeze->stopped;
}

/* Lets the server go on (SIGCONT) if it was stopped; no freeze after. */
void
jsw_test_freeze_end (JswTestFreeze *freeze)
{
  g_signal_handlers_disconnect_by_data (freeze->site, freeze);
  if (freeze->stopped)
    jsw_test_server_resume (freeze->server);
  g_object_unref (freeze->site);
  g_free (freeze->path);
  g_free (freeze);
}
