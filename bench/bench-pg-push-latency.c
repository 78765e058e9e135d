/* bench-pg-push-latency.c: from a swipe through one jobswipe-server
 * process to the `entry` frame on a stream held by another, both on one
 * PostgreSQL database, with 1,000 desktop streams connected to the other
 *
 * The change crosses processes as NOTIFY (jsw-pg-store-events.c) heard by
 * the second process's listener (jsw-pg-listener.c) and published to its
 * streams (jsw-hub-relay.c).
 *
 * usage: bench-pg-push-latency SERVER_BIN CLUSTER_URL [STREAMS] [SWIPES]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-pg-cluster.h"

static GPtrArray *
make_desktop_users (const char *database_url,
                    guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_pg_store_open (database_url, &error);
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@bench.example", i);
      g_autofree char *user = jsw_store_create_user (store, email, "enterprise", NULL, g_get_real_time (), &error);

      g_assert_no_error (error);
      jsw_store_set_execution_mode (store, user, JSW_MODE_DESKTOP, &error);
      g_assert_no_error (error);
      g_ptr_array_add (tokens, bench_pg_token (store, user, JSW_KIND_DESKTOP));
    }
  return tokens;
}

int
main (int    argc,
      char **argv)
{
  const char *name = "jsw_bench_push";
  guint n_streams = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 1000;
  guint n_swipes = argc > 4 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 2000;
  g_autofree char *database_url = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GSubprocess) swiped_through = NULL;
  g_autoptr(GSubprocess) streams_on = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) api = NULL;
  g_autofree char *url_a = NULL;
  g_autofree char *url_b = NULL;
  g_autofree char *swipe_url = NULL;
  g_autofree BenchStream *streams = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s SERVER_BIN CLUSTER_URL [STREAMS] [SWIPES]\n", argv[0]);
      return 2;
    }
  bench_raise_fd_limit ();
  database_url = bench_pg_database_new (argv[2], name);
  tokens = make_desktop_users (database_url, n_streams);
  swiped_through = bench_start_server_on (argv[1], "--database-url", database_url, &url_a);
  streams_on = bench_start_server_on (argv[1], "--database-url", database_url, &url_b);
  session = soup_session_new_with_options ("max-conns", 10000, "max-conns-per-host", 10000, NULL);
  api = soup_session_new ();
  streams = bench_open_streams (session, url_b, tokens, 200);
  swipe_url = g_strconcat (url_a, "/v1/swipes", NULL);

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
      gint64 start, latency;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      start = g_get_monotonic_time ();
      soup_session_send_and_read_async (api, msg, G_PRIORITY_DEFAULT, NULL, bench_swiped, &state);
      while (stream->frames == frames_before || !state.answered)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (state.status, ==, 201);
      latency = stream->last_frame_at - start;
      g_array_append_val (latencies, latency);
    }

  g_array_sort (latencies, bench_compare_gint64);
  printf ("push latency across processes, swipe through one -> entry frame on a stream held by the other, "
          "%u desktop streams connected, %u swipes: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
          n_streams, n_swipes,
          g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
          g_array_index (latencies, gint64, (latencies->len * 99) / 100) / 1000.0,
          g_array_index (latencies, gint64, latencies->len - 1) / 1000.0);

  bench_pg_stop_server (swiped_through);
  bench_pg_stop_server (streams_on);
  bench_pg_database_drop (argv[2], name);
  return 0;
}
