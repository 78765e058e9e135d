/* test-store.c: the store's rules, with an injected clock: quotas,
 * results, leases, refused writes, the schema; its retention is in
 * test-store-retention.c, its races in test-store-races.c. On SQLite, and
 * on PostgreSQL in the server-pg suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store-fixture.h"

static void
test_quota_rollover (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "a@example.com", "free");
  gint64 day = NOV20;
  guint made = 0;
  int code;

  /* free: 3 a day, 10 a month. Four days of three... */
  for (guint d = 0; d < 4; d++, day += DAY)
    {
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *job_id = g_strdup_printf ("d%u-%u", d, i);
          g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, day, &code);

          if (made == 10)
            {
              /* ...but the eleventh passes the month's limit. */
              g_assert_null (entry);
              g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
              continue;
            }
          g_assert_nonnull (entry);
          made++;
        }

      if (d == 0)
        {
          g_autoptr(JswEntry) fourth = store_swipe (f->store, user, "d0-extra", day, &code);

          g_assert_null (fourth);
          g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
          g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, day), ==, 3);
        }
    }
  g_assert_cmpuint (made, ==, 10);
  /* 2026-12-01: a new month; the day resets at midnight UTC */
  {
    gint64 december = DEC1;
    g_autoptr(JswEntry) last_of_november = store_swipe (f->store, user, "late", december - SEC, &code);
    g_autoptr(JswEntry) first_of_december = store_swipe (f->store, user, "early", december, &code);

    g_assert_null (last_of_november);
    g_assert_nonnull (first_of_december);
    g_assert_cmpint (store_usage (f, user, JSW_COUNTER_TOTAL_MONTH, december), ==, 1);
    g_assert_cmpint (store_usage (f, user, JSW_COUNTER_TOTAL_MONTH, december - SEC), ==, 10);
  }
}

static void
test_server_quota_routing (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "b@example.com", "premium");
  g_autoptr(GError) error = NULL;
  int code;

  /* premium: 500 on the server a month; use a plan with 2 to see the edge */
  JswPlanLimits limits = { { 2, 100, 100 } };

  g_assert_true (jsw_store_set_plan (f->store, "premium", &limits, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("s%u", i);
      g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, NOON, &code);

      g_assert_cmpint (entry->target, ==, i < 2 ? JSW_TARGET_SERVER : JSW_TARGET_DESKTOP);
    }
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 2);

  g_assert_true (jsw_store_set_execution_mode (f->store, user, JSW_MODE_SERVER, &error));
  {
    g_autoptr(JswEntry) refused = store_swipe (f->store, user, "s-refused", NOON, &code);

    g_assert_null (refused);
    g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
    /* A refused swipe consumed nothing. */
    g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 4);
  }
}

/* A server entry swiped at noon, claimed by a worker and finished a
 * second later with @outcome and @error_text. */
static JswEntry *
run_on_server (Fixture    *f,
               const char *user,
               const char *job_id,
               JswOutcome  outcome,
               const char *error_text)
{
  g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, NOON, NULL);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1" };
  g_autoptr(GError) error = NULL;
  g_autofree char *lease = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  JswEntry *finished;
  gint64 expires;

  g_assert_cmpint (entry->target, ==, JSW_TARGET_SERVER);
  claimed = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, NOON, &lease, &expires, NULL, &error);
  g_assert_no_error (error);
  finished = jsw_store_finish (f->store, &worker, lease, outcome, NULL, error_text, NULL, NOON + SEC, NULL, &error);
  g_assert_no_error (error);
  return finished;
}

static void
test_result_gives_back (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "c@example.com", "free");
  g_autoptr(JswEntry) failed = run_on_server (f, user, "fail-me", JSW_OUTCOME_FAILED, "The form is gone");
  g_autoptr(JswEntry) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (failed->state, ==, JSW_STATE_FAILED);
  g_assert_cmpstr (failed->error, ==, "The form is gone");
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 0);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 0);

  /* Cancelling it afterwards gives nothing back a second time. */
  cancelled = jsw_store_cancel_entry (f->store, user, failed->id, NOON + 2 * SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cancelled->state, ==, JSW_STATE_CANCELLED);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 0);
}

/* A run that pressed send and saw no confirmation nor error: the entry
 * goes to a person (needs_review, final: never retried, which could apply
 * twice), the outcome is kept as sent, and the quota stays used. */
static void
test_result_unconfirmed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "u@example.com", "free");
  g_autoptr(JswEntry) finished = run_on_server (f, user, "maybe-sent", JSW_OUTCOME_UNCONFIRMED,
                                                "No confirmation was seen after sending");
  g_autoptr(JswEntry) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (finished->state, ==, JSW_STATE_NEEDS_REVIEW);
  g_assert_true (jsw_state_is_final (finished->state));
  g_assert_true (finished->has_result);
  g_assert_cmpint (finished->outcome, ==, JSW_OUTCOME_UNCONFIRMED);
  g_assert_cmpstr (finished->error, ==, "No confirmation was seen after sending");
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 1);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 1);

  /* As stored, not only as returned. */
  stored = jsw_store_get_entry (f->store, user, finished->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->state, ==, JSW_STATE_NEEDS_REVIEW);
  g_assert_cmpint (stored->outcome, ==, JSW_OUTCOME_UNCONFIRMED);
}

static void
test_lease_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "d@example.com", "pro");
  g_autoptr(JswEntry) entry = store_swipe (f->store, user, "slow", NOON, NULL);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autofree char *lease = NULL;
  g_autofree char *lease2 = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  g_autoptr(JswEntry) progressed = NULL;
  g_autoptr(JswEntry) after = NULL;
  g_autoptr(JswEntry) stale = NULL;
  g_autoptr(JswEntry) claimed2 = NULL;
  g_autoptr(JswEntry) submitting = NULL;
  g_autoptr(JswEntry) review = NULL;
  gint64 expires;

  claimed = jsw_store_claim (f->store, &worker, entry->id, 10 * SEC, NOON, &lease, &expires, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expires, ==, NOON + 10 * SEC);

  progressed = jsw_store_progress (f->store, &worker, lease, 30, JSW_STEP_FILLING, NULL, 10 * SEC, NOON + 5 * SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (progressed->state, ==, JSW_STATE_RUNNING);

  /* The progress extended the lease to +15 s. */
  g_assert_cmpuint (jsw_store_expire_leases (f->store, NOON + 14 * SEC, NULL, &error), ==, 0);
  g_assert_cmpuint (jsw_store_expire_leases (f->store, NOON + 15 * SEC, events, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);  /* the user's channel and the workers' */

  after = jsw_store_get_entry (f->store, user, entry->id, &error);
  g_assert_cmpint (after->state, ==, JSW_STATE_QUEUED);
  g_assert_cmpint (after->attempt, ==, 2);
  g_assert_cmpint (after->percent, ==, 0);
  g_assert_false (after->claimed);

  /* The old lease changes nothing any more. */
  stale = jsw_store_progress (f->store, &worker, lease, 90, JSW_STEP_SUBMITTING, NULL, 10 * SEC, NOON + 16 * SEC, NULL, &error);
  g_assert_null (stale);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED);
  g_clear_error (&error);

  /* Once `submitting` was reported, an expiry hands it to a person. */
  claimed2 = jsw_store_claim (f->store, &worker, entry->id, 10 * SEC, NOON + 20 * SEC, &lease2, &expires, NULL, &error);
  g_assert_no_error (error);
  submitting = jsw_store_progress (f->store, &worker, lease2, 90, JSW_STEP_SUBMITTING, NULL, 10 * SEC, NOON + 21 * SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jsw_store_expire_leases (f->store, NOON + 40 * SEC, NULL, &error), ==, 1);
  review = jsw_store_get_entry (f->store, user, entry->id, &error);
  g_assert_cmpint (review->state, ==, JSW_STATE_NEEDS_REVIEW);
  g_assert_cmpint (review->attempt, ==, 2);
}

static gint64
user_seq (Fixture    *f,
          const char *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *channel = jsw_store_user_channel (user_id);
  gint64 seq = jsw_store_current_seq (f->store, channel, &error);

  g_assert_no_error (error);
  return seq;
}

/* A refused write rolls back whole: it publishes nothing (the caller's
 * events stay as they were), moves no seq and changes no entry. */
static void
test_refused_write_publishes_nothing (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "r@example.com", "free");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(JswJob) first = store_make_job ("first");
  g_autoptr(JswJob) over = store_make_job ("fourth");
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(JswEntry) cancelled = NULL;
  g_autoptr(JswEntry) again = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  g_autoptr(JswEntry) refused = NULL;
  g_autoptr(JswEntry) now_entry = NULL;
  JswAuth laptop = { user, JSW_KIND_DESKTOP, (char *) "laptop", NULL };
  g_autofree char *lease = NULL;
  gboolean created;
  gint64 expires, seq;
  guint published;

  entry = jsw_store_swipe_right (f->store, user, first, NOON, &created, events, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->target, ==, JSW_TARGET_SERVER);
  cancelled = jsw_store_cancel_entry (f->store, user, entry->id, NOON, events, &error);
  g_assert_no_error (error);
  published = events->len;
  seq = user_seq (f, user);
  g_assert_cmpint (seq, ==, 2);

  /* Cancelling twice: a conflict. */
  again = jsw_store_cancel_entry (f->store, user, entry->id, NOON + SEC, events, &error);
  g_assert_null (again);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (events->len, ==, published);
  g_assert_cmpint (user_seq (f, user), ==, seq);

  /* A desktop claiming a server entry: forbidden. */
  g_clear_pointer (&entry, jsw_entry_unref);
  entry = store_swipe (f->store, user, "server-job", NOON, NULL);
  seq = user_seq (f, user);
  claimed = jsw_store_claim (f->store, &laptop, entry->id, 10 * SEC, NOON, &lease, &expires, events, &error);
  g_assert_null (claimed);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpuint (events->len, ==, published);
  g_assert_cmpint (user_seq (f, user), ==, seq);
  now_entry = jsw_store_get_entry (f->store, user, entry->id, &error);
  g_assert_cmpint (now_entry->state, ==, JSW_STATE_QUEUED);
  g_assert_false (now_entry->claimed);

  /* Over the day's quota (free: 3; the cancelled one was given back):
   * refused, and nothing is charged. */
  g_clear_pointer (&entry, jsw_entry_unref);
  entry = store_swipe (f->store, user, "second", NOON, NULL);
  g_clear_pointer (&entry, jsw_entry_unref);
  entry = store_swipe (f->store, user, "third", NOON, NULL);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 3);
  seq = user_seq (f, user);
  refused = jsw_store_swipe_right (f->store, user, over, NOON, &created, events, &error);
  g_assert_null (refused);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED);
  g_assert_false (created);
  g_assert_cmpuint (events->len, ==, published);
  g_assert_cmpint (user_seq (f, user), ==, seq);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 3);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_TOTAL_MONTH, NOON), ==, 3);
}

static void
test_progress_rules (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "e@example.com", "pro");
  g_autofree char *other = store_add_user (f, "f@example.com", "pro");
  g_autoptr(GError) error = NULL;
  JswAuth mine = { user, JSW_KIND_DESKTOP, (char *) "laptop" };
  JswAuth theirs = { other, JSW_KIND_DESKTOP, (char *) "laptop" };
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  g_autoptr(JswEntry) up = NULL;
  g_autoptr(JswEntry) down = NULL;
  g_autoptr(JswEntry) foreign = NULL;
  g_autoptr(JswEntry) done = NULL;
  g_autoptr(JswEntry) again = NULL;
  g_autofree char *lease = NULL;
  gint64 expires;

  g_assert_true (jsw_store_set_execution_mode (f->store, user, JSW_MODE_DESKTOP, &error));
  entry = store_swipe (f->store, user, "p", NOON, NULL);
  claimed = jsw_store_claim (f->store, &mine, entry->id, 60 * SEC, NOON, &lease, &expires, NULL, &error);
  g_assert_no_error (error);

  up = jsw_store_progress (f->store, &mine, lease, 50, JSW_STEP_ANSWERING, "Two questions", 60 * SEC, NOON, NULL, &error);
  g_assert_no_error (error);
  down = jsw_store_progress (f->store, &mine, lease, 40, JSW_STEP_ANSWERING, NULL, 60 * SEC, NOON, NULL, &error);
  g_assert_null (down);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_clear_error (&error);

  foreign = jsw_store_progress (f->store, &theirs, lease, 60, JSW_STEP_ANSWERING, NULL, 60 * SEC, NOON, NULL, &error);
  g_assert_null (foreign);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_FORBIDDEN);
  g_clear_error (&error);

  done = jsw_store_finish (f->store, &mine, lease, JSW_OUTCOME_SUBMITTED, "Thank you for applying", NULL, NULL, NOON + SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (done->state, ==, JSW_STATE_SUBMITTED);
  g_assert_cmpint (done->percent, ==, 100);

  /* The same result again (a lost ack) is accepted and changes nothing. */
  {
    g_autoptr(GPtrArray) events = jsw_event_list_new ();

    again = jsw_store_finish (f->store, &mine, lease, JSW_OUTCOME_SUBMITTED, "Thank you for applying", NULL, NULL,
                              NOON + 2 * SEC, events, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 0);
    g_assert_cmpint (again->updated_at, ==, done->updated_at);
  }
}


static void
test_reopen_keeps_schema (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "h@example.com", "basic");
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) again = NULL;
  g_autoptr(JswAccount) account = NULL;

  g_clear_object (&f->store);
  again = jsw_test_store_open (f->path, &error);
  g_assert_no_error (error);
  account = jsw_store_get_account (again, user, NOON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->plan, ==, "basic");
  g_assert_cmpint (account->limits.limit[JSW_COUNTER_TOTAL_MONTH], ==, 100);
  f->store = g_steal_pointer (&again);
}


int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/store/quota/rollover", test_quota_rollover);
  STORE_TEST_ADD ("/store/quota/server-routing", test_server_quota_routing);
  STORE_TEST_ADD ("/store/quota/give-back", test_result_gives_back);
  STORE_TEST_ADD ("/store/result/unconfirmed", test_result_unconfirmed);
  STORE_TEST_ADD ("/store/lease/expiry", test_lease_expiry);
  STORE_TEST_ADD ("/store/lease/progress-rules", test_progress_rules);
  STORE_TEST_ADD ("/store/refused/publishes-nothing", test_refused_write_publishes_nothing);
  STORE_TEST_ADD ("/store/schema/reopen", test_reopen_keeps_schema);

  return g_test_run ();
}
