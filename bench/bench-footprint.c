/* bench-footprint.c: what one user can make the server store, and what a
 * hello after a long absence costs (issue 8, amplification)
 *
 *   bench-footprint SERVER_BIN [swipes|progress|hello]
 *
 * SERVER_BIN may be any version of jobswipe-server: users are made through
 * its own command line and everything else goes over HTTP and the stream,
 * so an older binary can be measured the same way. Prints one line per
 * figure (all three without a second argument):
 *
 *   swipes:      100 right swipes of one job, each with a new Idempotency-Key
 *   progress:    100 progress frames on one entry
 *   hello:       hello with since = 0 after 10,000 changes of one entry
 *
 * each with the largest job snapshot the server takes (the first two) or a
 * 16 KiB one (the third). "Stored" is the text the server keeps for it
 * (entries, events, idempotency answers), read from its SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include "bench-util.h"

typedef struct {
  const char  *server_bin;
  char        *db_path;
  char        *url;
  GSubprocess *server;
  SoupSession *session;
} Bench;

static char *
cli_token (Bench      *bench,
           const char *email,
           const char *plan)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bench->server_bin,
                                                 "user", "add", email, "--plan", plan, "--db", bench->db_path, NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));
}

static guint
http (Bench      *bench,
      const char *method,
      const char *path,
      const char *token,
      const char *key,
      const char *body)
{
  g_autofree char *url = g_strconcat (bench->url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (bench->session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static char *
swipe_body (const char *direction,
            const char *job_id,
            gsize       snapshot_size)
{
  g_autofree char *head = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"Engineer\",\"company\":\"Acme\","
                                           "\"apply_url\":\"https://jobs.example/1\",\"description\":\"", job_id);
  GString *body = g_string_new (NULL);

  g_string_append_printf (body, "{\"direction\":\"%s\",\"job\":%s", direction, head);
  for (gsize i = strlen (head) + 2; i < snapshot_size; i++)
    g_string_append_c (body, 'a' + i % 26);
  g_string_append (body, "\"}}");
  return g_string_free (body, FALSE);
}

/* The largest snapshot this server takes: a left swipe stores nothing, but
 * the snapshot is checked all the same. */
static gsize
largest_snapshot (Bench      *bench,
                  const char *token)
{
  static const gsize sizes[] = { 1024 * 1024 - 256, 64 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *body = swipe_body ("left", "probe", sizes[i]);

      if (http (bench, "POST", "/v1/swipes", token, NULL, body) == 204)
        return sizes[i];
    }
  g_error ("the server takes neither snapshot size");
}

static gint64
stored_bytes (Bench *bench)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 bytes;

  g_assert_cmpint (sqlite3_open_v2 (bench->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT (SELECT coalesce(sum(length(snapshot)), 0) FROM entries)"
                                       " + (SELECT coalesce(sum(length(entry)), 0) FROM events)"
                                       " + (SELECT coalesce(sum(length(body)), 0) FROM idempotency)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  bytes = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return bytes;
}

static double
mib (gint64 bytes)
{
  return bytes / (1024.0 * 1024.0);
}

static void
measure_idempotency (Bench *bench)
{
  g_autofree char *token = cli_token (bench, "free@bench.example", "free");
  gsize size = largest_snapshot (bench, token);
  g_autofree char *body = swipe_body ("right", "same-job", size);
  gint64 before = stored_bytes (bench);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      guint status = http (bench, "POST", "/v1/swipes", token, key, body);

      g_assert_true (status == 200 || status == 201);
    }
  printf ("swipes: 100 right swipes of one job with new Idempotency-Keys, %zu-byte snapshot: stored %.2f MiB\n",
          size, mib (stored_bytes (bench) - before));
}

/* One desktop stream that claims an entry and reports progress on it. */
typedef struct {
  SoupWebsocketConnection *ws;
  GQueue                   frames;  /* char * */
} Stream;

static void
stream_message (SoupWebsocketConnection *ws,
                gint                     type,
                GBytes                  *bytes,
                Stream                  *stream)
{
  g_queue_push_tail (&stream->frames, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

static void
stream_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(GError) error = NULL;

  stream->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  soup_websocket_connection_set_max_incoming_payload_size (stream->ws, 64 * 1024 * 1024);
  g_signal_connect (stream->ws, "message", G_CALLBACK (stream_message), stream);
}

static Stream *
stream_open (Bench      *bench,
             const char *token)
{
  g_autofree char *ws_url = g_strconcat ("ws://", bench->url + strlen ("http://"), "/v1/stream", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_url);
  Stream *stream = g_new0 (Stream, 1);

  g_queue_init (&stream->frames);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (bench->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        stream_connected, stream);
  while (stream->ws == NULL)
    g_main_context_iteration (NULL, TRUE);
  return stream;
}

/* Waits for the next frame whose text holds @needle; returns it. */
static char *
stream_wait (Stream     *stream,
             const char *needle)
{
  for (;;)
    {
      g_autofree char *frame = NULL;

      while (g_queue_is_empty (&stream->frames))
        g_main_context_iteration (NULL, TRUE);
      frame = g_queue_pop_head (&stream->frames);
      if (strstr (frame, needle) != NULL)
        return g_steal_pointer (&frame);
    }
}

static void
stream_free (Stream *stream)
{
  soup_websocket_connection_close (stream->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&stream->ws);
  g_queue_clear_full (&stream->frames, g_free);
  g_free (stream);
}

static char *
string_member (const char *frame,
               const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, frame, -1, NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), name));
}

/* Swipes a job of @size for @token's user, claims it on a new stream and
 * reports @n progress frames; returns the stream. */
static Stream *
claim_and_progress (Bench      *bench,
                    const char *token,
                    const char *job_id,
                    gsize       size,
                    guint       n)
{
  g_autofree char *body = swipe_body ("right", job_id, size);
  Stream *stream = NULL;
  g_autofree char *created = NULL;
  g_autofree char *claimed = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *claim = NULL;
  g_autofree char *entry_id = NULL;

  g_assert_cmpuint (http (bench, "PUT", "/v1/me/preference", token, NULL, "{\"execution_mode\":\"desktop\"}"), ==, 200);
  stream = stream_open (bench, token);
  soup_websocket_connection_send_text (stream->ws, "{\"type\":\"hello\",\"device\":\"bench\",\"since\":0}");
  g_free (stream_wait (stream, "\"welcome\""));
  g_assert_cmpuint (http (bench, "POST", "/v1/swipes", token, NULL, body), ==, 201);
  created = stream_wait (stream, "\"entry\"");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, created, -1, NULL));
    entry_id = g_strdup (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "entry"), "id"));
  }
  claim = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c\",\"entry\":\"%s\"}", entry_id);
  soup_websocket_connection_send_text (stream->ws, claim);
  claimed = stream_wait (stream, "\"claimed\"");
  lease = string_member (claimed, "lease");
  g_free (stream_wait (stream, "\"entry\""));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":%u,"
                                                   "\"step\":\"filling\",\"message\":\"step %u\"}",
                                                   lease, i * 100 / n, i);

      soup_websocket_connection_send_text (stream->ws, progress);
      g_free (stream_wait (stream, "\"entry\""));
    }
  return stream;
}

static void
measure_progress (Bench *bench)
{
  g_autofree char *token = cli_token (bench, "progress@bench.example", "enterprise");
  gsize size = largest_snapshot (bench, token);
  gint64 before = stored_bytes (bench);
  Stream *stream = claim_and_progress (bench, token, "progress-job", size, 100);

  printf ("progress: 100 progress frames on one entry, %zu-byte snapshot: stored %.2f MiB\n",
          size, mib (stored_bytes (bench) - before));
  stream_free (stream);
}

/* Meanwhile another client asks for /healthz over and over: the longest
 * answer is how long the server's main loop stood still. */
typedef struct {
  char     *url;
  gboolean  stop;
  gint64    longest;
} Prober;

static gpointer
probe_health (gpointer data)
{
  Prober *prober = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strconcat (prober->url, "/healthz", NULL);

  g_main_context_push_thread_default (context);
  session = soup_session_new ();
  while (!g_atomic_int_get (&prober->stop))
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      gint64 start = g_get_monotonic_time ();

      body = soup_session_send_and_read (session, msg, NULL, NULL);
      prober->longest = MAX (prober->longest, g_get_monotonic_time () - start);
      g_usleep (2000);
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
measure_hello (Bench *bench)
{
  g_autofree char *token = cli_token (bench, "hello@bench.example", "enterprise");
  Stream *writer = claim_and_progress (bench, token, "hello-job", 16 * 1024, 10000);
  Stream *reader = stream_open (bench, token);
  GPid pid = atoi (g_subprocess_get_identifier (bench->server));
  Prober prober = { bench->url, FALSE, 0 };
  GThread *thread = NULL;
  gint64 rss_before, rss_peak, start, elapsed;
  guint frames = 0;
  gboolean synced = FALSE;

  /* Let the server settle, then watch it while the hello is answered. */
  g_usleep (500 * 1000);
  rss_before = rss_peak = bench_rss_kib (pid);
  thread = g_thread_new ("prober", probe_health, &prober);
  g_usleep (50 * 1000);
  start = g_get_monotonic_time ();
  soup_websocket_connection_send_text (reader->ws, "{\"type\":\"hello\",\"device\":\"late\",\"since\":0}");
  /* Until the last change (seq 10,002) or a sync has arrived. */
  while (TRUE)
    {
      g_autofree char *frame = NULL;

      while (g_queue_is_empty (&reader->frames))
        {
          g_main_context_iteration (NULL, FALSE);
          rss_peak = MAX (rss_peak, bench_rss_kib (pid));
          g_usleep (200);
        }
      frame = g_queue_pop_head (&reader->frames);
      frames++;
      if (strstr (frame, "\"type\":\"sync\"") != NULL)
        {
          synced = TRUE;
          break;
        }
      if (g_str_has_prefix (frame, "{\"type\":\"entry\",\"seq\":10002,"))
        break;
    }
  elapsed = g_get_monotonic_time () - start;
  g_atomic_int_set (&prober.stop, TRUE);
  g_thread_join (thread);

  printf ("hello: since = 0 after 10,000 changes of one entry (16 KiB snapshot): %s in %u frames, "
          "%.0f ms to the last frame, server RSS +%.1f MiB, longest /healthz meanwhile %.0f ms\n",
          synced ? "a sync" : "a replay", frames, elapsed / 1000.0, (rss_peak - rss_before) / 1024.0,
          prober.longest / 1000.0);
  stream_free (reader);
  stream_free (writer);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-footprint-XXXXXX", &error);
  Bench bench = { 0 };

  if (argc < 2 || argc > 3 ||
      (argc == 3 && !g_strv_contains ((const char *const[]) { "swipes", "progress", "hello", NULL }, argv[2])))
    {
      g_printerr ("usage: %s SERVER_BIN [swipes|progress|hello]\n", argv[0]);
      return 2;
    }
  g_assert_no_error (error);
  bench.server_bin = argv[1];
  bench.db_path = g_build_filename (dir, "bench.db", NULL);
  /* The server makes the database itself (the binary's own schema). */
  g_free (cli_token (&bench, "first@bench.example", "free"));
  bench.server = bench_start_server (bench.server_bin, bench.db_path, &bench.url);
  bench.session = soup_session_new_with_options ("timeout", 600, NULL);

  if (argc < 3 || g_str_equal (argv[2], "swipes"))
    measure_idempotency (&bench);
  if (argc < 3 || g_str_equal (argv[2], "progress"))
    measure_progress (&bench);
  if (argc < 3 || g_str_equal (argv[2], "hello"))
    measure_hello (&bench);

  g_subprocess_send_signal (bench.server, SIGTERM);
  g_subprocess_wait (bench.server, NULL, NULL);
  g_clear_object (&bench.server);
  g_clear_object (&bench.session);
  bench_remove_db (bench.db_path);
  g_free (bench.db_path);
  g_free (bench.url);
  return 0;
}
