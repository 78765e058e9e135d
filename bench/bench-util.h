/* bench-util.h: what the stream benchmarks share: users made straight in
 * the store, a server process, and many WebSocket clients in one process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <sys/resource.h>

#include "jsw-credentials.h"
#include "jsw-sqlite-store.h"

typedef struct {
  SoupWebsocketConnection *ws;
  gboolean                 welcomed;
  gint64                   last_frame_at;
  guint                    frames;
} BenchStream;

static inline void
bench_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* Makes @n desktop users with a token each; returns the tokens. */
static inline GPtrArray *
bench_make_users (const char *db_path,
                  guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_sqlite_store_open (db_path, &error);
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@bench.example", i);
      g_autofree char *user = jsw_store_create_user (store, email, "enterprise", NULL, g_get_real_time (), &error);
      g_autofree char *token = jsw_token_generate ();
      g_autofree char *hash = jsw_token_hash (token);

      g_assert_no_error (error);
      jsw_store_set_execution_mode (store, user, JSW_MODE_DESKTOP, &error);
      jsw_store_add_token (store, hash, user, JSW_KIND_DESKTOP, "bench", g_get_real_time (), &error);
      g_assert_no_error (error);
      g_ptr_array_add (tokens, g_steal_pointer (&token));
    }
  return tokens;
}

/* Whether `SERVER_BIN serve --help` lists @option. */
static inline gboolean
bench_server_has_option (const char *server_bin,
                         const char *option)
{
  g_autoptr(GSubprocess) help = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                  NULL, server_bin, "serve", "--help", NULL);
  g_autofree char *out = NULL;

  if (help == NULL || !g_subprocess_communicate_utf8 (help, NULL, NULL, &out, NULL, NULL))
    return FALSE;
  return out != NULL && strstr (out, option) != NULL;
}

/* `jobswipe-server serve` on a free port, its database named by
 * @db_option ("--db" or "--database-url") @db; its URL in *@url. */
static inline GSubprocess *
bench_start_server_on (const char  *server_bin,
                       const char  *db_option,
                       const char  *db,
                       char       **url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GSubprocess *process;

  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;

  g_strv_builder_add_many (argv, server_bin, "serve", "--listen", "127.0.0.1:0", db_option, db,
                           "--log-level", "warning", NULL);
  /* The load comes from one address: lift the connection caps (a server
   * that has none takes no such options). */
  if (bench_server_has_option (server_bin, "--max-per-address"))
    g_strv_builder_add_many (argv, "--max-per-address", "1000000", "--max-connections", "1000000", NULL);
  args = g_strv_builder_end (argv);
  process = g_subprocess_newv ((const char *const *) args, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  *url = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "listening"));
  return process;
}

static inline GSubprocess *
bench_start_server (const char  *server_bin,
                    const char  *db_path,
                    char       **url)
{
  return bench_start_server_on (server_bin, "--db", db_path, url);
}

/* A swipe's answer, for a loop that waits for it (bench-*push-latency.c). */
typedef struct {
  gboolean answered;
  guint    status;
} BenchSwipeState;

static inline void
bench_swiped (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BenchSwipeState *state = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  state->status = soup_message_get_status (msg);
  state->answered = TRUE;
}

static inline int
bench_compare_gint64 (gconstpointer a,
                      gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  BenchStream *stream;
  guint       *pending;
} ConnectData;

static inline void
bench_stream_message (SoupWebsocketConnection *ws,
                      gint                     type,
                      GBytes                  *bytes,
                      BenchStream             *stream)
{
  stream->last_frame_at = g_get_monotonic_time ();
  stream->frames++;
  if (!stream->welcomed && g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\"welcome\""))
    stream->welcomed = TRUE;
}

static inline void
bench_stream_connected (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ConnectData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->stream->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    g_error ("connect: %s", error->message);
  g_signal_connect (data->stream->ws, "message", G_CALLBACK (bench_stream_message), data->stream);
  soup_websocket_connection_send_text (data->stream->ws, "{\"type\":\"hello\",\"device\":\"bench\",\"since\":0}");
  (*data->pending)--;
  g_free (data);
}

/* Opens one stream per token, @batch at a time, and waits for every
 * welcome. */
static inline BenchStream *
bench_open_streams (SoupSession *session,
                    const char  *url,
                    GPtrArray   *tokens,
                    guint        batch)
{
  g_autofree char *ws_url = g_strconcat ("ws://", url + strlen ("http://"), "/v1/stream", NULL);
  BenchStream *streams = g_new0 (BenchStream, tokens->len);
  guint pending = 0;

  for (guint i = 0; i < tokens->len; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_url);
      g_autofree char *auth = g_strconcat ("Bearer ", (char *) g_ptr_array_index (tokens, i), NULL);
      ConnectData *data = g_new0 (ConnectData, 1);

      data->stream = &streams[i];
      data->pending = &pending;
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      pending++;
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            bench_stream_connected, data);
      while (pending >= batch)
        g_main_context_iteration (NULL, TRUE);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < tokens->len; i++)
    while (!streams[i].welcomed)
      g_main_context_iteration (NULL, TRUE);
  return streams;
}

static inline gint64
bench_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

static inline void
bench_remove_db (const char *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (db_path);

  g_remove (db_path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
}
