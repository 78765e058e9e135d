/* bench-connections.c: what connections cost the server over time (issue 8)
 *
 *   bench-connections SERVER_BIN short [N]     descriptors and memory after N
 *                                              short connections (100,000)
 *   bench-connections SERVER_BIN stalled [S]   one client that stops reading
 *                                              (25 frames of 32 KiB a second)
 *                                              while 1,000 others are pushed
 *                                              100 frames a second, S seconds
 *                                              a phase (20)
 *
 * Any jobswipe-server binary can be measured, an older one included: only
 * its command line, HTTP and the stream are used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/socket.h>

#include "bench-util.h"

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert (dir != NULL);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static GPid
pid_of (GSubprocess *process)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
}

static GSocket *
connect_to (const char *url,
            int         receive_buffer)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  guint16 port = (guint16) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  if (receive_buffer > 0)
    g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, receive_buffer, NULL);
  g_socket_set_timeout (socket, 2);
  if (!g_socket_connect (socket, address, NULL, NULL))
    return NULL;
  return g_steal_pointer (&socket);
}

/* GET /healthz on a fresh connection, read until the answer's body is in,
 * and close first, as curl does. */
static gboolean
short_request (const char *url)
{
  static const char request[] = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
  g_autoptr(GSocket) socket = connect_to (url, 0);
  char buffer[2048];
  gsize have = 0;

  if (socket == NULL || g_socket_send (socket, request, sizeof request - 1, NULL, NULL) < 0)
    return FALSE;
  while (have < sizeof buffer - 1)
    {
      gssize n = g_socket_receive (socket, buffer + have, sizeof buffer - 1 - have, NULL, NULL);

      if (n <= 0)
        break;
      have += n;
      buffer[have] = '\0';
      if (strstr (buffer, "{\"ok\":true}") != NULL)
        return g_str_has_prefix (buffer, "HTTP/1.1 200 ");
    }
  return FALSE;
}

static int
bench_short (const char *server_bin,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  guint answered = 0, failed_in_a_row = 0, fds_before, fds_after, peak_fds = 0;
  gint64 rss_before, rss_after, start, seconds;

  server = bench_start_server (server_bin, db, &url);
  /* Warm up the code paths and the allocator first. */
  for (guint i = 0; i < 1000; i++)
    short_request (url);
  g_usleep (500 * 1000);
  fds_before = count_fds (pid_of (server));
  rss_before = bench_rss_kib (pid_of (server));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n && failed_in_a_row < 20; i++)
    {
      if (short_request (url))
        {
          answered++;
          failed_in_a_row = 0;
        }
      else
        failed_in_a_row++;
      if (i % 1000 == 0)
        peak_fds = MAX (peak_fds, count_fds (pid_of (server)));
    }
  seconds = g_get_monotonic_time () - start;

  /* Closing is asynchronous on both sides: give it a moment. */
  g_usleep (1000 * 1000);
  fds_after = count_fds (pid_of (server));
  rss_after = bench_rss_kib (pid_of (server));

  printf ("short connections: %u of %u answered (%.0f/s); server descriptors %u before, %u after "
          "(highest seen %u); RSS %.1f MiB before, %.1f MiB after\n",
          answered, n, answered / (seconds / (double) G_USEC_PER_SEC), fds_before, fds_after,
          MAX (peak_fds, fds_after), rss_before / 1024.0, rss_after / 1024.0);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  bench_remove_db (db);
  return answered == n && fds_after <= fds_before ? 0 : 1;
}

/* The stalled client: a stream whose socket has a small receive buffer and
 * is never read. */
static GSocket *
open_stalled_stream (const char *url,
                     const char *token)
{
  g_autoptr(GSocket) socket = connect_to (url, 4096);
  g_autofree char *upgrade = g_strdup_printf ("GET /v1/stream HTTP/1.1\r\nHost: bench\r\n"
                                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", token);
  const char *hello = "{\"type\":\"hello\",\"device\":\"stalled\",\"since\":0}";
  guint8 frame[6 + 125] = { 0x81, 0x80 | strlen (hello), 0, 0, 0, 0 };

  g_assert (socket != NULL);
  memcpy (frame + 6, hello, strlen (hello));
  g_socket_send (socket, upgrade, strlen (upgrade), NULL, NULL);
  /* The 101 and then nothing is read, ever. */
  g_socket_send (socket, (const char *) frame, 6 + strlen (hello), NULL, NULL);
  return g_steal_pointer (&socket);
}

typedef struct {
  BenchStream *stream;
  guint        frames_before;
  gint64       sent_at;
  GArray      *latencies;
  gboolean     measured;
} Push;

static void
push_answered (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
}

static void
swipe (SoupSession *api,
       const char  *url,
       const char  *token,
       const char  *job_id,
       const char  *padding)
{
  g_autofree char *swipe_url = g_strconcat (url, "/v1/swipes", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\","
                                           "\"title\":\"Backend developer\",\"company\":\"Example GmbH\","
                                           "\"apply_url\":\"https://jobs.example.com/%s\",\"description\":\"%s\"}}",
                                           job_id, job_id, padding);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", swipe_url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (api, msg, G_PRIORITY_DEFAULT, NULL, push_answered, NULL);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @due (monotonic µs) without spinning: the load
 * generator must not take a core from the server. */
static void
iterate_until (gint64 due)
{
  gint64 now;

  while ((now = g_get_monotonic_time ()) < due)
    {
      guint id = g_timeout_add (MAX (1, (due - now) / 1000), wake_up, NULL);
      GSource *source = g_main_context_find_source_by_id (NULL, id);

      g_source_ref (source);
      g_main_context_iteration (NULL, TRUE);
      if (!g_source_is_destroyed (source))
        g_source_destroy (source);
      g_source_unref (source);
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  double  p50_ms, p99_ms;
  guint   measured, lost;
  gint64  peak_rss_kib;
} Phase;

/* @seconds of 100 swipes a second for random users of the 1,000, each
 * timed from the request to its entry frame, and 25 swipes of 32 KiB a
 * second for one more user, whose client reads them (@stalls FALSE) or
 * stops reading and comes back every 2 s to stop again (@stalls TRUE). */
static Phase
run_phase (SoupSession *api,
           const char  *url,
           GPtrArray   *tokens,
           BenchStream *streams,
           guint        n_streams,
           GPid         server_pid,
           guint        seconds,
           const char  *big_token,
           gboolean     stalls,
           const char  *phase_name)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *big = g_strnfill (32 * 1024, 'x');
  g_autoptr(GPtrArray) stalled = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree Push *pushes = g_new0 (Push, 100 * seconds);
  guint n_pushes = 100 * seconds;
  gint64 start = g_get_monotonic_time ();
  Phase phase = { 0 };

  if (stalls)
    g_ptr_array_add (stalled, open_stalled_stream (url, big_token));

  for (guint i = 0; i < n_pushes; i++)
    {
      gint64 due = start + (gint64) i * G_USEC_PER_SEC / 100;
      guint who = g_random_int_range (0, n_streams);
      g_autofree char *job_id = g_strdup_printf ("%s-%u", phase_name, i);

      iterate_until (due);

      /* Note which pushes arrived since the last turn. */
      for (guint j = 0; j < i; j++)
        if (!pushes[j].measured && pushes[j].stream->frames > pushes[j].frames_before)
          {
            gint64 latency = pushes[j].stream->last_frame_at - pushes[j].sent_at;

            g_array_append_val (latencies, latency);
            pushes[j].measured = TRUE;
          }

      pushes[i].stream = &streams[who];
      pushes[i].frames_before = streams[who].frames;
      pushes[i].sent_at = g_get_monotonic_time ();
      swipe (api, url, g_ptr_array_index (tokens, who), job_id, "");

      if (i % 4 == 0)
      {
        g_autofree char *big_id = g_strdup_printf ("%s-big-%u", phase_name, i);

        swipe (api, url, big_token, big_id, big);
        /* A client that keeps coming back, asks for everything again
         * (since = 0: a replay that grows 3.2 MiB a second) and never
         * reads. */
        if (stalls && i % 200 == 0 && i > 0)
          g_ptr_array_add (stalled, open_stalled_stream (url, big_token));
      }
      if (i % 10 == 0)
        phase.peak_rss_kib = MAX (phase.peak_rss_kib, bench_rss_kib (server_pid));
    }

  /* The last ones. */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < deadline)
      {
        gboolean all = TRUE;

        iterate_until (g_get_monotonic_time () + 10000);
        for (guint j = 0; j < n_pushes; j++)
          if (!pushes[j].measured)
            {
              if (pushes[j].stream->frames > pushes[j].frames_before)
                {
                  gint64 latency = pushes[j].stream->last_frame_at - pushes[j].sent_at;

                  g_array_append_val (latencies, latency);
                  pushes[j].measured = TRUE;
                }
              else
                all = FALSE;
            }
        if (all)
          break;
      }
  }
  phase.peak_rss_kib = MAX (phase.peak_rss_kib, bench_rss_kib (server_pid));

  g_array_sort (latencies, compare_gint64);
  phase.measured = latencies->len;
  phase.lost = n_pushes - latencies->len;
  if (latencies->len > 0)
    {
      phase.p50_ms = g_array_index (latencies, gint64, latencies->len / 2) / 1000.0;
      phase.p99_ms = g_array_index (latencies, gint64, (latencies->len * 99) / 100) / 1000.0;
    }
  return phase;
}

static int
bench_stalled (const char *server_bin,
               guint       seconds)
{
  const guint n_streams = 1000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) api = NULL;
  g_autofree char *url = NULL;
  g_autofree BenchStream *streams = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GPtrArray) reader_token = NULL;
  g_autofree BenchStream *reader = NULL;
  const char *reader_user, *stalled_user;
  gint64 rss_start;
  Phase calm, stalled;

  bench_raise_fd_limit ();
  /* Two more users: one whose client reads, then one whose client stalls. */
  tokens = bench_make_users (db, n_streams + 2);
  reader_user = g_ptr_array_index (tokens, n_streams);
  stalled_user = g_ptr_array_index (tokens, n_streams + 1);
  others = g_ptr_array_new ();
  for (guint i = 0; i < n_streams; i++)
    g_ptr_array_add (others, g_ptr_array_index (tokens, i));

  server = bench_start_server (server_bin, db, &url);
  session = soup_session_new_with_options ("max-conns", 10000, "max-conns-per-host", 10000, NULL);
  api = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  streams = bench_open_streams (session, url, others, 200);
  rss_start = bench_rss_kib (pid_of (server));

  /* First the big user's client reads what it is sent... */
  reader_token = g_ptr_array_new ();
  g_ptr_array_add (reader_token, (gpointer) reader_user);
  reader = bench_open_streams (session, url, reader_token, 1);
  calm = run_phase (api, url, others, streams, n_streams, pid_of (server), seconds, reader_user, FALSE, "calm");
  /* ... then another's does not. */
  g_clear_object (&reader->ws);
  stalled = run_phase (api, url, others, streams, n_streams, pid_of (server), seconds, stalled_user, TRUE, "stalled");

  printf ("1,000 streams pushed 100 frames/s and one more 25 frames/s of 32 KiB, %u s a phase: "
          "that one reading, the others' p50 %.2f ms, p99 %.2f ms (%u lost), peak RSS %.1f MiB; "
          "that one not reading (and back every 2 s): p50 %.2f ms, p99 %.2f ms (%u lost), peak RSS %.1f MiB "
          "(%.1f MiB after connecting)\n",
          seconds, calm.p50_ms, calm.p99_ms, calm.lost, calm.peak_rss_kib / 1024.0,
          stalled.p50_ms, stalled.p99_ms, stalled.lost, stalled.peak_rss_kib / 1024.0, rss_start / 1024.0);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  bench_remove_db (db);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc < 3)
    {
      g_printerr ("usage: bench-connections SERVER_BIN short [N] | stalled [SECONDS]\n");
      return 2;
    }
  if (g_str_equal (argv[2], "short"))
    return bench_short (argv[1], argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 100000);
  if (g_str_equal (argv[2], "stalled"))
    return bench_stalled (argv[1], argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 20);
  return 2;
}
