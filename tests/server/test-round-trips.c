/* test-round-trips.c: what the PostgreSQL store's operations cost in
 * round trips to the database (issue 15: claim + result throughput)
 *
 * On a loopback connection a round trip costs more than the statement it
 * carries, and on a busy machine every round trip waits for a core, so
 * the store's speed is counted here rather than timed: a claim is one
 * round trip for its BEGIN and claim together and one for the event log
 * and COMMIT together (libpq's pipeline mode, jsw_pg_store_defer()); a
 * result is two; a swipe four. Each count is the most allowed, and the events the
 * operations published carry the seqs the log gave them.
 *
 * PostgreSQL only (pg-round-trips, tests/meson.build `pg_only`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-pg-store.h"
#include "jsw-store-fixture.h"
#include "jsw-sweeper.h"

static guint64
round_trips (Fixture *f)
{
  guint64 n;

  jsw_pg_store_get_counts (JSW_PG_STORE (f->store), &n, NULL);
  return n;
}

static char *
add_server_user (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *user_id = store_add_user (f, "runner@example.com", "enterprise");

  g_assert_true (jsw_store_set_execution_mode (f->store, user_id, JSW_MODE_SERVER, &error));
  g_assert_no_error (error);
  return user_id;
}

static void
assert_seqs (GPtrArray  *events,
             const char *channel,
             gint64      first)
{
  gint64 expected = first;

  for (guint i = 0; i < events->len; i++)
    {
      JswEvent *event = g_ptr_array_index (events, i);

      if (g_str_equal (event->channel, channel))
        g_assert_cmpint (event->seq, ==, expected++);
    }
  g_assert_cmpint (expected, >, first);
}

/* A statement's first use on a connection prepares it (a round trip of
 * its own): each operation is run once before it is counted. */
static void
test_claim_and_result (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *user_id = add_server_user (f);
  g_autofree char *channel = jsw_store_user_channel (user_id);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1", (char *) "token-hash" };
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("job-%u", i);
      g_autoptr(JswJob) job = store_make_job (job_id);
      g_autoptr(JswEntry) entry = NULL;
      g_autoptr(JswEntry) claimed = NULL;
      g_autoptr(JswEntry) finished = NULL;
      g_autofree char *lease = NULL;
      guint64 before;
      gboolean created;
      gint64 expires;

      before = round_trips (f);
      entry = jsw_store_swipe_right (f->store, user_id, job, NOON, &created, events, &error);
      g_assert_no_error (error);
      g_assert_cmpint (entry->state, ==, JSW_STATE_QUEUED);
      g_assert_cmpint (entry->target, ==, JSW_TARGET_SERVER);
      if (i > 0)
        {
          g_test_message ("swipe: %" G_GUINT64_FORMAT " round trips", round_trips (f) - before);
          g_assert_cmpuint (round_trips (f) - before, <=, 4);
        }

      before = round_trips (f);
      claimed = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, NOON, &lease, &expires, events, &error);
      g_assert_no_error (error);
      g_assert_cmpint (claimed->state, ==, JSW_STATE_CLAIMED);
      g_assert_cmpstr (claimed->claimed_device, ==, "w1");
      if (i > 0)
        {
          g_test_message ("claim: %" G_GUINT64_FORMAT " round trips", round_trips (f) - before);
          g_assert_cmpuint (round_trips (f) - before, <=, 2);
        }

      before = round_trips (f);
      finished = jsw_store_finish (f->store, &worker, lease, JSW_OUTCOME_SUBMITTED, "ref-1", NULL, NULL,
                                   NOON + SEC, events, &error);
      g_assert_no_error (error);
      g_assert_cmpint (finished->state, ==, JSW_STATE_SUBMITTED);
      g_assert_cmpint (finished->percent, ==, 100);
      g_assert_cmpstr (finished->confirmation, ==, "ref-1");
      if (i > 0)
        {
          g_test_message ("result: %" G_GUINT64_FORMAT " round trips", round_trips (f) - before);
          g_assert_cmpuint (round_trips (f) - before, <=, 2);
        }
    }

  /* Per entry: created, claimed, submitted on the user's channel; queued
   * on the workers'; the seqs the log gave, in order, with no gap. */
  assert_seqs (events, channel, 1);
  assert_seqs (events, JSW_STORE_WORKERS_CHANNEL, 1);
  g_assert_cmpuint (events->len, ==, 8);
  g_assert_cmpint (jsw_store_current_seq (f->store, channel, &error), ==, 6);
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT count(*) FROM events WHERE channel = ?1", channel), ==, 6);
}

/* A claim that loses changes nothing and publishes nothing; the winner's
 * events are the only ones logged. */
static void
test_lost_claim (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *user_id = add_server_user (f);
  g_autofree char *channel = jsw_store_user_channel (user_id);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1", (char *) "token-hash" };
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = store_swipe (f->store, user_id, "job-1", NOON, NULL);
  g_autoptr(JswEntry) won = NULL;
  g_autoptr(JswEntry) lost = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *lease2 = NULL;
  gint64 expires;

  won = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, NOON, &lease, &expires, events, &error);
  g_assert_no_error (error);
  lost = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, NOON, &lease2, &expires, events, &error);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_ALREADY_CLAIMED);
  g_assert_null (lost);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((JswEvent *) g_ptr_array_index (events, 0))->seq, ==, 2);
  g_assert_cmpint (jsw_store_current_seq (f->store, channel, NULL), ==, 2);
}

/* A result is written in the same round trip as its lease is read, before
 * the lease is judged: a result the lease refuses (another token's, an
 * expired one) must leave nothing written. */
static void
test_refused_result_writes_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *user_id = add_server_user (f);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1", (char *) "token-hash" };
  JswAuth other = { NULL, JSW_KIND_SERVER, (char *) "w2", (char *) "other-token-hash" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = store_swipe (f->store, user_id, "job-1", NOON, NULL);
  g_autoptr(JswEntry) claimed = NULL;
  g_autoptr(JswEntry) refused = NULL;
  g_autoptr(JswEntry) late = NULL;
  g_autoptr(JswEntry) now = NULL;
  g_autofree char *lease = NULL;
  gint64 expires;

  claimed = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, NOON, &lease, &expires, NULL, &error);
  g_assert_no_error (error);

  refused = jsw_store_finish (f->store, &other, lease, JSW_OUTCOME_SUBMITTED, "ref", NULL, NULL, NOON + SEC,
                              NULL, &error);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_FORBIDDEN);
  g_assert_null (refused);
  g_clear_error (&error);

  late = jsw_store_finish (f->store, &worker, lease, JSW_OUTCOME_SUBMITTED, "ref", NULL, NULL, NOON + 61 * SEC,
                           NULL, &error);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED);
  g_assert_null (late);
  g_clear_error (&error);

  now = jsw_store_get_entry (f->store, user_id, entry->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (now->state, ==, JSW_STATE_CLAIMED);
  g_assert_false (now->has_result);
  g_assert_null (now->confirmation);
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT count(*) FROM entries WHERE lease_expires IS NOT NULL AND id = ?1",
                                    entry->id), ==, 1);
}

/* Swipes once for each of @n new users and publishes the changes to @hub,
 * as the REST handler does, so that their channels are the hub's changed
 * ones. */
static void
swipe_for_users (Fixture    *f,
                 JswHub     *hub,
                 const char *prefix,
                 guint       n)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("%s%u@example.com", prefix, i);
      g_autofree char *user_id = store_add_user (f, email, "pro");
      g_autoptr(JswEntry) entry = store_swipe (f->store, user_id, "job-1", NOON, NULL);
      JswEvent *event = g_new0 (JswEvent, 1);

      event->channel = jsw_store_user_channel (user_id);
      event->seq = jsw_store_current_seq (f->store, event->channel, NULL);
      event->entry_json = jsw_entry_to_json (entry);
      g_ptr_array_add (events, event);
    }
  jsw_hub_publish (hub, events);
}

/* A sweep is a fixed number of round trips however many channels changed
 * since the last: it runs on the main loop, so while it waits on the
 * database no push goes out (bench/pg-push-latency's tail was sweeps
 * trimming each changed channel in a transaction of its own). */
static void
test_sweep (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  g_autoptr(JswSweeper) sweeper = NULL;
  JswServerConfig config;
  guint64 before;

  jsw_server_config_init_defaults (&config);
  config.events_kept = 1;
  sweeper = jsw_sweeper_new (f->store, hub, metrics, &config);

  swipe_for_users (f, hub, "first", 1);
  jsw_sweeper_sweep (sweeper, NOON);
  swipe_for_users (f, hub, "many", 20);

  before = round_trips (f);
  jsw_sweeper_sweep (sweeper, NOON + SEC);
  /* Leases expired, the changed channels trimmed, plans that ended. */
  g_assert_cmpuint (round_trips (f) - before, <=, 3);
  /* And trimmed: each of the 21 channels keeps its newest event. */
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT count(*) FROM events WHERE channel LIKE 'u:%'", NULL), ==, 21);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/round-trips/claim-and-result", test_claim_and_result);
  STORE_TEST_ADD ("/round-trips/lost-claim", test_lost_claim);
  STORE_TEST_ADD ("/round-trips/refused-result-writes-nothing", test_refused_result_writes_nothing);
  STORE_TEST_ADD ("/round-trips/sweep", test_sweep);
  return g_test_run ();
}
