/* test-processes.c: two jobswipe-server processes on one PostgreSQL
 * database (issue 15): a change made through either reaches the streams
 * held by both, in order; concurrent claims through both have one winner
 * each; a process killed during a burst loses nothing it acknowledged; a
 * process whose database connections are cut resumes without losing a
 * change; a Stripe event delivered to either sends the person's streams on
 * both one `account` frame each. Runs in the server-pg suite only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "jsw-test-util.h"

typedef struct {
  JswTestServer *a;
  JswTestServer *b;
  SoupSession   *session;
  char          *bob;       /* enterprise, auto mode: his entries run on the server */
  char          *bob_id;
  char          *worker;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->a = jsw_test_server_start (NULL);
  f->b = jsw_test_server_start_sharing (f->a, NULL);
  f->session = jsw_test_session_new ();
  f->bob = jsw_test_server_add_user (f->a, "bob@example.com", "enterprise", &f->bob_id);
  f->worker = jsw_test_server_worker_token (f->b, "worker");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->b, jsw_test_server_free);
  g_clear_pointer (&f->a, jsw_test_server_free);
  g_free (f->bob);
  g_free (f->bob_id);
  g_free (f->worker);
}

#define WEBHOOK_SECRET "whsec_processes_test"

/* Both processes take Stripe's webhooks (the signing secret and the pro
 * plan's price, from the environment they are started with). */
static void
fixture_set_up_billing (Fixture       *f,
                        gconstpointer  data)
{
  g_setenv ("JOBSWIPE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET, TRUE);
  g_setenv ("JOBSWIPE_STRIPE_PRICE_PRO", "price_pro_test", TRUE);
  fixture_set_up (f, data);
  g_unsetenv ("JOBSWIPE_STRIPE_WEBHOOK_SECRET");
  g_unsetenv ("JOBSWIPE_STRIPE_PRICE_PRO");
}

static JswTestStream *
hello (JswTestServer *server,
       const char    *token)
{
  JswTestStream *stream = jsw_test_stream_open (server, token, NULL);
  g_autoptr(JsonObject) welcome = NULL;

  g_assert_nonnull (stream);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"test\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  return stream;
}

/* What a stream showed: its `entry` frames, checked to come in order,
 * each seq the one after the last, none twice. */
typedef struct {
  gint64      last_seq;
  GHashTable *job_ids;     /* job ids seen */
  GHashTable *states;      /* entry id -> the last state seen (owned strings) */
  guint       frames;
} Seen;

static void
seen_init (Seen *seen)
{
  seen->last_seq = -1;
  seen->job_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seen->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  seen->frames = 0;
}

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->job_ids, g_hash_table_unref);
  g_clear_pointer (&seen->states, g_hash_table_unref);
}

static void
seen_frame (Seen       *seen,
            JsonObject *frame)
{
  JsonObject *entry = json_object_get_object_member (frame, "entry");
  gint64 seq = json_object_get_int_member (frame, "seq");

  if (seen->last_seq >= 0 && seq != seen->last_seq + 1)
    g_error ("seq %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT ": a change out of order, missed or twice",
             seq, seen->last_seq);
  seen->last_seq = seq;
  seen->frames++;
  g_hash_table_add (seen->job_ids, g_strdup (json_object_get_string_member (entry, "job_id")));
  g_hash_table_insert (seen->states, g_strdup (json_object_get_string_member (entry, "id")),
                       g_strdup (json_object_get_string_member (entry, "state")));
}

/* Reads @stream's `entry` frames until it has shown @frames of them (or
 * nothing came for @quiet_ms), checking their order. */
static void
read_entries (JswTestStream *stream,
              Seen          *seen,
              guint          frames,
              guint          quiet_ms)
{
  while (seen->frames < frames)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_next (stream, quiet_ms);

      if (frame == NULL)
        return;
      if (g_str_equal (json_object_get_string_member (frame, "type"), "entry"))
        seen_frame (seen, frame);
    }
}

static char *
job_id_of (guint i)
{
  return g_strdup_printf ("job-%04u", i);
}

/* Swipes through one process, claims through both: the workers' streams
 * of both processes are offered every entry, in order; 8 workers, four on
 * each process, each claim all 1,000 entries at once: exactly one wins
 * each; bob's stream on the other process sees each entry queued then
 * claimed, in order. */

#define N_ENTRIES 1000
#define N_WORKERS 8

static void
test_claims_across_processes (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JswTestStream) bob_on_b = hello (f->b, f->bob);
  JswTestStream *workers[N_WORKERS];
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *wins = g_new0 (guint, N_ENTRIES);
  Seen bob_seen;
  guint total_won = 0;

  for (guint w = 0; w < N_WORKERS; w++)
    workers[w] = hello (w % 2 == 0 ? f->a : f->b, f->worker);

  for (guint i = 0; i < N_ENTRIES; i++)
    {
      g_autofree char *job_id = job_id_of (i);
      guint status;
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->a, f->bob, job_id, &status);

      g_assert_cmpuint (status, ==, 201);
      g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "server");
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (entry, "id")));
    }

  /* Every worker, on either process, was offered every entry, in order. */
  for (guint w = 0; w < N_WORKERS; w++)
    {
      Seen offered;

      seen_init (&offered);
      read_entries (workers[w], &offered, N_ENTRIES, 5000);
      g_assert_cmpuint (offered.frames, ==, N_ENTRIES);
      g_assert_cmpuint (g_hash_table_size (offered.job_ids), ==, N_ENTRIES);
      seen_clear (&offered);
    }

  /* All claims sent at once, each worker starting elsewhere. */
  for (guint w = 0; w < N_WORKERS; w++)
    for (guint n = 0; n < N_ENTRIES; n++)
      {
        guint i = (n + w * (N_ENTRIES / N_WORKERS)) % N_ENTRIES;
        g_autofree char *frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"%u\",\"entry\":\"%s\"}",
                                                  i, (const char *) g_ptr_array_index (ids, i));

        jsw_test_stream_send (workers[w], frame);
      }

  for (guint w = 0; w < N_WORKERS; w++)
    {
      guint answers = 0;

      while (answers < N_ENTRIES)
        {
          g_autoptr(JsonObject) frame = jsw_test_stream_next (workers[w], 20000);
          const char *type;
          guint i;

          g_assert_nonnull (frame);
          type = json_object_get_string_member (frame, "type");
          if (g_str_equal (type, "entry"))
            continue;
          i = (guint) g_ascii_strtoull (json_object_get_string_member (frame, "re"), NULL, 10);
          g_assert_cmpuint (i, <, N_ENTRIES);
          answers++;
          if (g_str_equal (type, "claimed"))
            {
              wins[i]++;
              total_won++;
            }
          else
            {
              g_assert_cmpstr (type, ==, "error");
              g_assert_cmpstr (json_object_get_string_member (frame, "code"), ==, "already_claimed");
            }
        }
    }

  for (guint i = 0; i < N_ENTRIES; i++)
    g_assert_cmpuint (wins[i], ==, 1);
  g_assert_cmpuint (total_won, ==, N_ENTRIES);
  g_assert_cmpint (jsw_test_db_int (f->a->db_path, "SELECT count(*) FROM entries WHERE state = 'claimed'", NULL),
                   ==, N_ENTRIES);

  /* Bob, on the process that neither swiped nor claimed, saw it all in
   * order: each entry queued, then claimed. */
  seen_init (&bob_seen);
  read_entries (bob_on_b, &bob_seen, 2 * N_ENTRIES, 5000);
  g_assert_cmpuint (bob_seen.frames, ==, 2 * N_ENTRIES);
  for (guint i = 0; i < N_ENTRIES; i++)
    g_assert_cmpstr (g_hash_table_lookup (bob_seen.states, g_ptr_array_index (ids, i)), ==, "claimed");
  seen_clear (&bob_seen);

  for (guint w = 0; w < N_WORKERS; w++)
    jsw_test_stream_free (workers[w]);
}

/* A burst of swipes through A, A killed with SIGKILL in the middle: every
 * swipe A acknowledged is in the database, and bob's stream on B saw every
 * one of them, in order. */

#define BURST 400

typedef struct {
  char      *job_id;
  GPtrArray *acknowledged;
  guint     *done;
} Swipe;

static void
on_swiped (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Swipe *swipe = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 201)
    g_ptr_array_add (swipe->acknowledged, g_steal_pointer (&swipe->job_id));
  (*swipe->done)++;
  g_free (swipe->job_id);
  g_free (swipe);
}

static void
swipe_async (Fixture    *f,
             const char *job_id,
             GPtrArray  *acknowledged,
             guint      *done)
{
  g_autofree char *url = g_strconcat (f->a->url, "/v1/swipes", NULL);
  g_autofree char *job = jsw_test_job_json (job_id);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
  g_autofree char *authorization = g_strconcat ("Bearer ", f->bob, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  Swipe *swipe = g_new0 (Swipe, 1);

  swipe->job_id = g_strdup (job_id);
  swipe->acknowledged = acknowledged;
  swipe->done = done;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_swiped, swipe);
}

static void
test_kill_during_burst (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JswTestStream) bob_on_b = hello (f->b, f->bob);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  guint done = 0;
  Seen seen;

  for (guint i = 0; i < BURST; i++)
    {
      g_autofree char *job_id = job_id_of (i);

      swipe_async (f, job_id, acknowledged, &done);
    }
  while (acknowledged->len < BURST / 4)
    g_main_context_iteration (NULL, TRUE);
  jsw_test_server_kill (f->a, SIGKILL);
  while (done < BURST)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u of %u swipes acknowledged before the kill", acknowledged->len, BURST);
  g_assert_cmpuint (acknowledged->len, <, BURST);

  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (jsw_test_db_int (f->b->db_path, "SELECT count(*) FROM entries WHERE job_id = ?1",
                                      g_ptr_array_index (acknowledged, i)), ==, 1);

  /* B's stream: every acknowledged swipe, in order, none twice (and what
   * A committed but could not acknowledge, as it committed). */
  seen_init (&seen);
  read_entries (bob_on_b, &seen, G_MAXUINT, 2000);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_true (g_hash_table_contains (seen.job_ids, g_ptr_array_index (acknowledged, i)));
  g_assert_cmpint (seen.frames, ==, jsw_test_db_int (f->b->db_path, "SELECT count(*) FROM entries", NULL));
  seen_clear (&seen);
}

/* B's database connections are cut (as when the database restarts): its
 * streams get what A changes meanwhile, in order, within the catch-up
 * period, and B serves requests again. */
static void
test_connection_lost (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JswTestStream) bob_on_b = hello (f->b, f->bob);
  g_autofree char *cut = g_strdup_printf ("SELECT count(pg_terminate_backend (pid)) FROM pg_stat_activity"
                                          " WHERE application_name = 'jobswipe-server %d'",
                                          (int) jsw_test_server_pid (f->b));
  g_autoptr(JsonObject) through_b = NULL;
  guint status;
  Seen seen;

  /* All of B's connections: its store's, its listener's and its feed
   * syncer's (which has a store of its own, jsw-feed-syncer.c). */
  g_assert_cmpint (jsw_test_db_int (f->a->db_path, cut, NULL), ==, 3);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *job_id = job_id_of (i);
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->a, f->bob, job_id, &status);

      g_assert_cmpuint (status, ==, 201);
    }

  seen_init (&seen);
  read_entries (bob_on_b, &seen, 5, 3000);
  g_assert_cmpuint (seen.frames, ==, 5);

  /* B's first request after the cut is served (its read is sent again on
   * a new connection), and A's streams would hear of it as well. */
  through_b = jsw_test_swipe_right (f->session, f->b, f->bob, "job-through-b", &status);
  g_assert_cmpuint (status, ==, 201);
  read_entries (bob_on_b, &seen, 6, 3000);
  g_assert_cmpuint (seen.frames, ==, 6);
  g_assert_true (g_hash_table_contains (seen.job_ids, "job-through-b"));
  seen_clear (&seen);
}

/* Delivers a signed `customer.subscription.created` of the pro plan for
 * @user_id to @server, as Stripe does; returns the outcome it answered. */
static char *
deliver_upgrade (SoupSession   *session,
                 JswTestServer *server,
                 const char    *user_id)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *payload = g_strdup_printf (
    "{\"id\":\"evt_processes_1\",\"object\":\"event\",\"type\":\"customer.subscription.created\","
    "\"created\":%" G_GINT64_FORMAT ",\"api_version\":\"2024-06-20\",\"data\":{\"object\":{"
    "\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\",\"status\":\"active\","
    "\"cancel_at_period_end\":false,\"current_period_start\":%" G_GINT64_FORMAT ","
    "\"current_period_end\":%" G_GINT64_FORMAT ",\"items\":{\"object\":\"list\",\"data\":["
    "{\"id\":\"si_1\",\"price\":{\"id\":\"price_pro_test\"}}]},\"metadata\":{\"user_id\":\"%s\"}}}}",
    now - 10, now - 10, now + 30 * 86400, user_id);
  g_autofree char *signed_payload = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", now, payload);
  g_autofree char *mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) WEBHOOK_SECRET,
                                                    strlen (WEBHOOK_SECRET), signed_payload, -1);
  g_autofree char *header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", now, mac);
  g_autofree char *url = g_strconcat (server->url, "/v1/webhooks/stripe", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (payload, strlen (payload));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Stripe-Signature", header);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "outcome"));
}

/* The `account` frame @stream is sent next says the pro plan. */
static void
expect_pro_account (JswTestStream *stream,
                    const char    *user_id)
{
  g_autoptr(JsonObject) frame = jsw_test_stream_expect (stream, "account");
  JsonObject *account = json_object_get_object_member (frame, "account");

  g_assert_cmpstr (json_object_get_string_member (account, "user_id"), ==, user_id);
  g_assert_cmpstr (json_object_get_string_member (account, "plan"), ==, "pro");
}

/* Carol has the app open on two devices, one connected to each process;
 * Stripe's event reaches one: both devices are told her new plan, once
 * each, and Bob, connected too, is told nothing. The next change reaches
 * both right after (no second `account` frame in between). */
static void
test_account_across_processes (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *carol_id = NULL;
  g_autofree char *carol = jsw_test_server_add_user (f->a, "carol@example.com", "free", &carol_id);
  g_autoptr(JswTestStream) carol_a = hello (f->a, carol);
  g_autoptr(JswTestStream) carol_b = hello (f->b, carol);
  g_autoptr(JswTestStream) bob_b = hello (f->b, f->bob);
  g_autoptr(JsonObject) swiped = NULL;
  g_autofree char *outcome = deliver_upgrade (f->session, f->a, carol_id);
  guint status;

  g_assert_cmpstr (outcome, ==, "applied");
  expect_pro_account (carol_b, carol_id);
  expect_pro_account (carol_a, carol_id);

  swiped = jsw_test_swipe_right (f->session, f->b, carol, "job-after-upgrade", &status);
  g_assert_cmpuint (status, ==, 201);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) next = jsw_test_stream_expect (i == 0 ? carol_a : carol_b, "entry");

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (next, "entry"), "job_id"),
                       ==, "job-after-upgrade");
    }
  g_assert_true (jsw_test_stream_quiet (bob_b, 300));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/processes/claims", test_claims_across_processes);
  ADD ("/processes/kill-9", test_kill_during_burst);
  ADD ("/processes/connection-lost", test_connection_lost);
#undef ADD
  g_test_add ("/processes/account", Fixture, NULL, fixture_set_up_billing, test_account_across_processes,
              fixture_tear_down);

  return g_test_run ();
}
