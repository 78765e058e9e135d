/* bench-push-latency.c: from a swipe on the server to the `entry` frame on
 * the user's desktop stream, with 1,000 desktop streams connected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

int
main (int    argc,
      char **argv)
{
  const char *server_bin = argv[1];
  guint n_streams = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000;
  guint n_swipes = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 2000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) api = NULL;
  g_autofree char *url = NULL;
  g_autofree char *swipe_url = NULL;
  g_autofree BenchStream *streams = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert (server_bin != NULL);
  bench_raise_fd_limit ();
  tokens = bench_make_users (db, n_streams);
  server = bench_start_server (server_bin, db, &url);
  session = soup_session_new_with_options ("max-conns", 10000, "max-conns-per-host", 10000, NULL);
  api = soup_session_new ();
  streams = bench_open_streams (session, url, tokens, 200);
  swipe_url = g_strconcat (url, "/v1/swipes", NULL);

  for (guint i = 0; i < n_swipes; i++)
    {
      guint who = g_random_int_range (0, n_streams);
      BenchStream *stream = &streams[who];
      guint frames_before = stream->frames;
      g_autofree char *auth = g_strconcat ("Bearer ", (char *) g_ptr_array_index (tokens, who), NULL);
      g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"bench-%u\","
                                               "\"title\":\"Backend developer\",\"company\":\"Example GmbH\","
                                               "\"apply_url\":\"https://jobs.example.com/%u\"}}", i, i);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", swipe_url);
      BenchSwipeState state = { FALSE, 0 };
      gint64 start;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      start = g_get_monotonic_time ();
      soup_session_send_and_read_async (api, msg, G_PRIORITY_DEFAULT, NULL, bench_swiped, &state);
      while (stream->frames == frames_before || !state.answered)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (state.status, ==, 201);

      {
        gint64 latency = stream->last_frame_at - start;

        g_array_append_val (latencies, latency);
      }
    }

  g_array_sort (latencies, bench_compare_gint64);
  printf ("push latency, swipe -> entry frame, %u desktop streams connected, %u swipes: "
          "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
          n_streams, n_swipes,
          g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
          g_array_index (latencies, gint64, (latencies->len * 99) / 100) / 1000.0,
          g_array_index (latencies, gint64, latencies->len - 1) / 1000.0);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  bench_remove_db (db);
  return 0;
}
