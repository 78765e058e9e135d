/* bench-pg-claim-throughput.c: add, then claim + result, per second, with
 * 1, 2 and 4 jobswipe-server processes on one PostgreSQL database
 *
 * For each number of processes: a fresh database; ENTRIES right swipes
 * through the processes' REST API (POST /v1/swipes, 32 at a time, in
 * turn), timed: the add rate; then 4 worker streams per process, each
 * claiming the next entry, sending its result and, once acknowledged,
 * claiming the next, timed: the claim + result rate. The workers'
 * streams are opened before the swipes, so each is offered every entry
 * as a worker would be; the offers are drained before the clock starts.
 *
 * usage: bench-pg-claim-throughput SERVER_BIN CLUSTER_URL [ENTRIES] [PROCESSES...]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-pg-cluster.h"

#define WORKERS_PER_PROCESS 4
#define SWIPES_IN_FLIGHT    32

typedef struct Run Run;

typedef struct {
  Run                     *run;
  SoupWebsocketConnection *ws;
  gboolean                 welcomed;
  guint                    offered;
  guint                    serial;
} Worker;

struct Run {
  GPtrArray *ids;           /* entry ids, in the order swiped */
  guint      next;          /* the next entry to claim */
  guint      done;          /* acknowledged results */
  guint      swiped;        /* swipes answered */
  guint      swipes_sent;
};

static JsonObject *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!json_parser_load_from_data (parser, data, size, NULL))
    g_error ("not JSON: %.*s", (int) size, data);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
claim_next (Worker *worker)
{
  g_autofree char *frame = NULL;

  if (worker->run->next >= worker->run->ids->len)
    return;
  frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c%u\",\"entry\":\"%s\"}", worker->serial++,
                           (const char *) g_ptr_array_index (worker->run->ids, worker->run->next++));
  soup_websocket_connection_send_text (worker->ws, frame);
}

static void
on_worker_message (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *bytes,
                   Worker                  *worker)
{
  g_autoptr(JsonObject) frame = parse (bytes);
  const char *kind = json_object_get_string_member (frame, "type");

  if (g_str_equal (kind, "welcome"))
    worker->welcomed = TRUE;
  else if (g_str_equal (kind, "entry"))
    worker->offered++;
  else if (g_str_equal (kind, "claimed"))
    {
      g_autofree char *result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r%u\",\"lease\":\"%s\","
                                                 "\"outcome\":\"submitted\",\"confirmation\":\"Thank you\"}",
                                                 worker->serial++, json_object_get_string_member (frame, "lease"));

      soup_websocket_connection_send_text (ws, result);
    }
  else if (g_str_equal (kind, "ack"))
    {
      worker->run->done++;
      claim_next (worker);
    }
  else if (g_str_equal (kind, "error"))
    g_error ("worker: %s", json_object_get_string_member (frame, "message"));
}

static void
on_worker_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;

  worker->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    g_error ("connect: %s", error->message);
  soup_websocket_connection_set_max_incoming_payload_size (worker->ws, 0);
  g_signal_connect (worker->ws, "message", G_CALLBACK (on_worker_message), worker);
  soup_websocket_connection_send_text (worker->ws, "{\"type\":\"hello\",\"device\":\"bench\",\"since\":0}");
}

static void
connect_worker (SoupSession *session,
                const char  *url,
                const char  *token,
                Worker      *worker)
{
  g_autofree char *ws_url = g_strconcat ("ws://", url + strlen ("http://"), "/v1/stream", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_worker_connected, worker);
}

typedef struct {
  Run  *run;
  guint index;
} SwipeCall;

static void
on_swiped (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  SwipeCall *call = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonObject) answer = NULL;

  if (body == NULL || soup_message_get_status (msg) != 201)
    g_error ("swipe: %u %s", soup_message_get_status (msg), error ? error->message : "");
  answer = parse (body);
  g_ptr_array_index (call->run->ids, call->index) =
    g_strdup (json_object_get_string_member (json_object_get_object_member (answer, "entry"), "id"));
  call->run->swiped++;
  g_free (call);
}

static void
swipe (SoupSession *session,
       const char  *url,
       const char  *token,
       Run         *run,
       guint        index)
{
  g_autofree char *endpoint = g_strconcat (url, "/v1/swipes", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"b-%u\","
                                           "\"title\":\"Backend developer\",\"company\":\"Example GmbH\","
                                           "\"apply_url\":\"https://jobs.example.com/%u\",\"location\":\"Berlin\","
                                           "\"description\":\"A typical posting of a few lines.\"}}",
                                           index, index);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", endpoint);
  SwipeCall *call = g_new0 (SwipeCall, 1);

  call->run = run;
  call->index = index;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_swiped, call);
}

static void
measure (const char *server_bin,
         const char *cluster_url,
         guint       n_entries,
         guint       n_processes)
{
  g_autofree char *name = g_strdup_printf ("jsw_bench_claims_%u", n_processes);
  g_autofree char *database_url = bench_pg_database_new (cluster_url, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_pg_store_open (database_url, &error);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256,
                                                                  "timeout", 60, NULL);
  g_autofree char *user = NULL;
  g_autofree char *user_token = NULL;
  g_autofree char *worker_token = NULL;
  GSubprocess *servers[8];
  char *urls[8];
  guint n_workers = n_processes * WORKERS_PER_PROCESS;
  g_autofree Worker *workers = g_new0 (Worker, n_workers);
  Run run = { g_ptr_array_new_full (n_entries, g_free), 0, 0, 0, 0 };
  gint64 start, add_us, claim_us, quiet_since;
  guint welcomed = 0;

  g_assert_no_error (error);
  user = jsw_store_create_user (store, "bench@example.com", "enterprise", NULL, g_get_real_time (), &error);
  g_assert_no_error (error);
  jsw_store_set_execution_mode (store, user, JSW_MODE_SERVER, &error);
  g_assert_no_error (error);
  user_token = bench_pg_token (store, user, JSW_KIND_DESKTOP);
  worker_token = bench_pg_token (store, NULL, JSW_KIND_SERVER);
  g_ptr_array_set_size (run.ids, n_entries);

  for (guint p = 0; p < n_processes; p++)
    servers[p] = bench_start_server_on (server_bin, "--database-url", database_url, &urls[p]);
  for (guint w = 0; w < n_workers; w++)
    {
      workers[w].run = &run;
      connect_worker (session, urls[w % n_processes], worker_token, &workers[w]);
    }
  while (welcomed < n_workers)
    {
      g_main_context_iteration (NULL, TRUE);
      welcomed = 0;
      for (guint w = 0; w < n_workers; w++)
        welcomed += workers[w].welcomed;
    }

  /* Add: right swipes through the processes in turn. */
  start = g_get_monotonic_time ();
  while (run.swiped < n_entries)
    {
      while (run.swipes_sent < n_entries && run.swipes_sent - run.swiped < SWIPES_IN_FLIGHT)
        {
          swipe (session, urls[run.swipes_sent % n_processes], user_token, &run, run.swipes_sent);
          run.swipes_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  add_us = g_get_monotonic_time () - start;

  /* Every worker has been offered every entry (or nothing comes for 2 s). */
  quiet_since = g_get_monotonic_time ();
  for (;;)
    {
      guint least = G_MAXUINT;
      guint before = 0, after = 0;

      for (guint w = 0; w < n_workers; w++)
        {
          least = MIN (least, workers[w].offered);
          before += workers[w].offered;
        }
      if (least >= n_entries || g_get_monotonic_time () - quiet_since > 2 * G_USEC_PER_SEC)
        break;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      for (guint w = 0; w < n_workers; w++)
        after += workers[w].offered;
      if (after != before)
        quiet_since = g_get_monotonic_time ();
    }

  /* Claim + result. */
  start = g_get_monotonic_time ();
  for (guint w = 0; w < n_workers; w++)
    claim_next (&workers[w]);
  while (run.done < n_entries)
    g_main_context_iteration (NULL, TRUE);
  claim_us = g_get_monotonic_time () - start;

  printf ("%u process%s, %2u workers: add %6.0f entries/s, claim + result %6.0f entries/s (%u entries)\n",
          n_processes, n_processes == 1 ? "  " : "es", n_workers,
          n_entries / (add_us / (double) G_USEC_PER_SEC), n_entries / (claim_us / (double) G_USEC_PER_SEC),
          n_entries);
  fflush (stdout);

  for (guint w = 0; w < n_workers; w++)
    {
      soup_websocket_connection_close (workers[w].ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&workers[w].ws);
    }
  for (guint p = 0; p < n_processes; p++)
    {
      bench_pg_stop_server (servers[p]);
      g_object_unref (servers[p]);
      g_free (urls[p]);
    }
  g_ptr_array_unref (run.ids);
  g_clear_object (&store);
  bench_pg_database_drop (cluster_url, name);
}

int
main (int    argc,
      char **argv)
{
  guint n_entries;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s SERVER_BIN CLUSTER_URL [ENTRIES] [PROCESSES...]\n", argv[0]);
      return 2;
    }
  n_entries = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 5000;
  bench_raise_fd_limit ();

  if (argc <= 4)
    {
      static const guint defaults[] = { 1, 2, 4 };

      for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
        measure (argv[1], argv[2], n_entries, defaults[i]);
      return 0;
    }
  for (int i = 4; i < argc; i++)
    measure (argv[1], argv[2], n_entries, CLAMP ((guint) g_ascii_strtoull (argv[i], NULL, 10), 1, 8));
  return 0;
}
