/* test-store.c: the store's rules, with an injected clock, and under
 * real concurrency (threads with their own connections to one database);
 * on SQLite, and on PostgreSQL in the server-pg suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-test-util.h"

/* 2026-11-28T12:00:00Z */
#define NOON G_GINT64_CONSTANT (1795867200000000)
/* 2026-11-20T12:00:00Z and 2026-12-01T00:00:00Z */
#define NOV20 G_GINT64_CONSTANT (1795176000000000)
#define DEC1  G_GINT64_CONSTANT (1796083200000000)
#define DAY  (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define SEC  G_USEC_PER_SEC

typedef struct {
  char     *dir;
  char     *path;
  JswStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = jsw_test_database_new (f->dir);
  f->store = jsw_test_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  jsw_test_database_drop (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
add_user (Fixture    *f,
          const char *email,
          const char *plan)
{
  g_autoptr(GError) error = NULL;
  char *user_id = jsw_store_create_user (f->store, email, plan, NULL, NOON, &error);

  g_assert_no_error (error);
  return user_id;
}

static JswJob *
make_job (const char *job_id)
{
  g_autofree char *json = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"T\",\"company\":\"C\","
                                           "\"apply_url\":\"https://c.example/%s\"}", job_id, job_id);
  g_autoptr(GError) error = NULL;
  JswJob *job = jsw_job_new_from_json (json, &error);

  g_assert_no_error (error);
  return job;
}

/* Swipes right; returns the entry, or NULL with the error code in *code. */
static JswEntry *
swipe (JswStore   *store,
       const char *user_id,
       const char *job_id,
       gint64      now,
       int        *code)
{
  g_autoptr(JswJob) job = make_job (job_id);
  g_autoptr(GError) error = NULL;
  gboolean created;
  JswEntry *entry = jsw_store_swipe_right (store, user_id, job, now, &created, NULL, &error);

  if (code != NULL)
    *code = entry ? -1 : error->code;
  if (entry == NULL && error->domain == JSW_ERROR && error->code != JSW_ERROR_INTERNAL)
    return NULL;
  g_assert_no_error (error);
  return entry;
}

static gint64
usage (Fixture    *f,
       const char *user_id,
       JswCounter  counter,
       gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAccount) account = jsw_store_get_account (f->store, user_id, now, &error);

  g_assert_no_error (error);
  return account->usage[counter];
}

static void
test_quota_rollover (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *user = add_user (f, "a@example.com", "free");
  gint64 day = NOV20;
  guint made = 0;
  int code;

  /* free: 3 a day, 10 a month. Four days of three... */
  for (guint d = 0; d < 4; d++, day += DAY)
    {
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *job_id = g_strdup_printf ("d%u-%u", d, i);
          g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, day, &code);

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
          g_autoptr(JswEntry) fourth = swipe (f->store, user, "d0-extra", day, &code);

          g_assert_null (fourth);
          g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
          g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, day), ==, 3);
        }
    }
  g_assert_cmpuint (made, ==, 10);
  /* 2026-12-01: a new month; the day resets at midnight UTC */
  {
    gint64 december = DEC1;
    g_autoptr(JswEntry) last_of_november = swipe (f->store, user, "late", december - SEC, &code);
    g_autoptr(JswEntry) first_of_december = swipe (f->store, user, "early", december, &code);

    g_assert_null (last_of_november);
    g_assert_nonnull (first_of_december);
    g_assert_cmpint (usage (f, user, JSW_COUNTER_TOTAL_MONTH, december), ==, 1);
    g_assert_cmpint (usage (f, user, JSW_COUNTER_TOTAL_MONTH, december - SEC), ==, 10);
  }
}

static void
test_server_quota_routing (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *user = add_user (f, "b@example.com", "premium");
  g_autoptr(GError) error = NULL;
  int code;

  /* premium: 500 on the server a month; use a plan with 2 to see the edge */
  JswPlanLimits limits = { { 2, 100, 100 } };

  g_assert_true (jsw_store_set_plan (f->store, "premium", &limits, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("s%u", i);
      g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, NOON, &code);

      g_assert_cmpint (entry->target, ==, i < 2 ? JSW_TARGET_SERVER : JSW_TARGET_DESKTOP);
    }
  g_assert_cmpint (usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 2);

  g_assert_true (jsw_store_set_execution_mode (f->store, user, JSW_MODE_SERVER, &error));
  {
    g_autoptr(JswEntry) refused = swipe (f->store, user, "s-refused", NOON, &code);

    g_assert_null (refused);
    g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
    /* A refused swipe consumed nothing. */
    g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 4);
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
  g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, NOON, NULL);
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
  g_autofree char *user = add_user (f, "c@example.com", "free");
  g_autoptr(JswEntry) failed = run_on_server (f, user, "fail-me", JSW_OUTCOME_FAILED, "The form is gone");
  g_autoptr(JswEntry) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (failed->state, ==, JSW_STATE_FAILED);
  g_assert_cmpstr (failed->error, ==, "The form is gone");
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 0);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 0);

  /* Cancelling it afterwards gives nothing back a second time. */
  cancelled = jsw_store_cancel_entry (f->store, user, failed->id, NOON + 2 * SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cancelled->state, ==, JSW_STATE_CANCELLED);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 0);
}

/* A run that pressed send and saw no confirmation nor error: the entry
 * goes to a person (needs_review, final: never retried, which could apply
 * twice), the outcome is kept as sent, and the quota stays used. */
static void
test_result_unconfirmed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *user = add_user (f, "u@example.com", "free");
  g_autoptr(JswEntry) finished = run_on_server (f, user, "maybe-sent", JSW_OUTCOME_UNCONFIRMED,
                                                "No confirmation was seen after sending");
  g_autoptr(JswEntry) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (finished->state, ==, JSW_STATE_NEEDS_REVIEW);
  g_assert_true (jsw_state_is_final (finished->state));
  g_assert_true (finished->has_result);
  g_assert_cmpint (finished->outcome, ==, JSW_OUTCOME_UNCONFIRMED);
  g_assert_cmpstr (finished->error, ==, "No confirmation was seen after sending");
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 1);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 1);

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
  g_autofree char *user = add_user (f, "d@example.com", "pro");
  g_autoptr(JswEntry) entry = swipe (f->store, user, "slow", NOON, NULL);
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
  g_autofree char *user = add_user (f, "r@example.com", "free");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(JswJob) first = make_job ("first");
  g_autoptr(JswJob) over = make_job ("fourth");
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
  entry = swipe (f->store, user, "server-job", NOON, NULL);
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
  entry = swipe (f->store, user, "second", NOON, NULL);
  g_clear_pointer (&entry, jsw_entry_unref);
  entry = swipe (f->store, user, "third", NOON, NULL);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 3);
  seq = user_seq (f, user);
  refused = jsw_store_swipe_right (f->store, user, over, NOON, &created, events, &error);
  g_assert_null (refused);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED);
  g_assert_false (created);
  g_assert_cmpuint (events->len, ==, published);
  g_assert_cmpint (user_seq (f, user), ==, seq);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, NOON), ==, 3);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_TOTAL_MONTH, NOON), ==, 3);
}

static void
test_progress_rules (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *user = add_user (f, "e@example.com", "pro");
  g_autofree char *other = add_user (f, "f@example.com", "pro");
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
  entry = swipe (f->store, user, "p", NOON, NULL);
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
test_events_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *user = add_user (f, "g@example.com", "pro");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) since2 = NULL;
  g_autoptr(GPtrArray) after_prune = NULL;
  g_autoptr(GPtrArray) live = NULL;
  gboolean too_old;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("ev%u", i);
      g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, NOON, NULL);
    }

  g_assert_cmpint (jsw_store_current_seq (f->store, channel, &error), ==, 5);
  since2 = jsw_store_events_since (f->store, channel, 2, 0, TRUE, &too_old, &error);
  g_assert_no_error (error);
  g_assert_false (too_old);
  g_assert_cmpuint (since2->len, ==, 3);
  g_assert_cmpint (((JswEvent *) g_ptr_array_index (since2, 0))->seq, ==, 3);
  g_assert_nonnull (strstr (((JswEvent *) g_ptr_array_index (since2, 2))->entry_json, "\"job_id\":\"ev4\""));

  g_assert_true (jsw_store_prune_events (f->store, NULL, 2, G_MAXINT64, &error));
  after_prune = jsw_store_events_since (f->store, channel, 1, 0, TRUE, &too_old, &error);
  g_assert_true (too_old);
  live = jsw_store_live_entries (f->store, channel, &error);
  g_assert_cmpuint (live->len, ==, 5);

  /* A client ahead of the server (another database) also gets a sync. */
  g_clear_pointer (&after_prune, g_ptr_array_unref);
  after_prune = jsw_store_events_since (f->store, channel, 99, 0, TRUE, &too_old, &error);
  g_assert_true (too_old);
}

static char *
idempotency_answer (Fixture    *f,
                    const char *user,
                    const char *key,
                    gint64      now,
                    guint      *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *expected_request = g_strconcat ("request-of-", key, NULL);
  char *body = NULL;

  g_assert_true (jsw_store_idempotency_get (f->store, user, key, now, status, &body, &request, &error));
  g_assert_no_error (error);
  /* The request the key was first used with comes back with its answer. */
  g_assert_cmpstr (request, ==, body != NULL ? expected_request : NULL);
  return body;
}

static void
remember (Fixture    *f,
          const char *user,
          const char *key,
          guint       status,
          const char *body,
          const char *entry_id,
          gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strconcat ("request-of-", key, NULL);

  g_assert_true (jsw_store_idempotency_put (f->store, user, key, request, status, body, entry_id, now, &error));
  g_assert_no_error (error);
}

/* Answers are kept 24 hours, the entry's snapshot spliced back in. */
static void
test_idempotency_expiry (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *user = add_user (f, "i@example.com", "pro");
  g_autoptr(JswEntry) entry = swipe (f->store, user, "idem", NOON, NULL);
  g_autofree char *whole = jsw_entry_to_json (entry);
  g_autofree char *without = jsw_entry_to_json_without_snapshot (entry);
  g_autofree char *expected = g_strconcat ("{\"entry\":", whole, "}", NULL);
  g_autofree char *at_once = NULL;
  g_autofree char *next_day = NULL;
  g_autofree char *too_late = NULL;
  g_autofree char *replaced = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_assert_null (strstr (without, "\"snapshot\""));
  remember (f, user, "k1", 201, without, entry->id, NOON);
  at_once = idempotency_answer (f, user, "k1", NOON + SEC, &status);
  g_assert_cmpstr (at_once, ==, expected);
  g_assert_cmpuint (status, ==, 201);
  next_day = idempotency_answer (f, user, "k1", NOON + DAY - SEC, &status);
  g_assert_cmpstr (next_day, ==, expected);
  too_late = idempotency_answer (f, user, "k1", NOON + DAY, &status);
  g_assert_null (too_late);

  /* The key can be used again once its answer expired. */
  remember (f, user, "k1", 204, "", NULL, NOON + DAY);
  replaced = idempotency_answer (f, user, "k1", NOON + DAY + SEC, &status);
  g_assert_cmpstr (replaced, ==, "");
  g_assert_cmpuint (status, ==, 204);

  /* Expired answers are deleted, not only hidden. */
  remember (f, user, "k2", 204, "", NULL, NOON);
  g_assert_true (jsw_store_idempotency_expire (f->store, NOON + 2 * DAY, &error));
  g_assert_no_error (error);
  g_clear_pointer (&replaced, g_free);
  replaced = idempotency_answer (f, user, "k1", NOON + DAY + SEC, &status);
  g_assert_null (replaced);
}

/* A user keeps at most JSW_IDEMPOTENCY_KEPT_PER_USER answers; the oldest go. */
static void
test_idempotency_per_user (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *user = add_user (f, "j@example.com", "pro");
  g_autofree char *other = add_user (f, "k@example.com", "pro");
  guint status;

  remember (f, other, "theirs", 204, "", NULL, NOON);
  for (guint i = 0; i < JSW_IDEMPOTENCY_KEPT_PER_USER + 5; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);

      remember (f, user, key, 204, "", NULL, NOON + i);
    }
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      g_autofree char *body = idempotency_answer (f, user, key, NOON + SEC, &status);

      g_assert_true ((body != NULL) == (i >= 5));
    }
  {
    g_autofree char *theirs = idempotency_answer (f, other, "theirs", NOON + SEC, &status);

    g_assert_nonnull (theirs);
  }
}

/* The log is kept by count and by bytes; the newest event always stays. */
static void
test_events_prune_bytes (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *user = add_user (f, "p@example.com", "pro");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  gsize event_size;
  gboolean too_old;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("pb%u", i);
      g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, NOON, NULL);
    }
  all = jsw_store_events_since (f->store, channel, 0, 0, TRUE, &too_old, &error);
  g_assert_no_error (error);
  g_assert_false (too_old);
  g_assert_cmpuint (all->len, ==, 10);
  /* Replayed events carry the snapshot again. */
  g_assert_nonnull (strstr (((JswEvent *) g_ptr_array_index (all, 9))->entry_json,
                            "\"snapshot\":{\"job_id\":\"pb9\""));

  /* Room for three stored events (without their snapshots) and a bit. */
  event_size = strlen (((JswEvent *) g_ptr_array_index (all, 9))->entry_json) -
               strlen ("\"snapshot\":,") - strlen ("{\"job_id\":\"pb9\",\"title\":\"T\",\"company\":\"C\","
                                                   "\"apply_url\":\"https://c.example/pb9\"}");
  g_assert_true (jsw_store_prune_events (f->store, channel, 100, 3 * event_size + 10, &error));
  g_assert_no_error (error);
  kept = jsw_store_events_since (f->store, channel, 7, 0, TRUE, &too_old, &error);
  g_assert_false (too_old);
  g_assert_cmpuint (kept->len, ==, 3);
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = jsw_store_events_since (f->store, channel, 6, 0, TRUE, &too_old, &error);
  g_assert_true (too_old);

  /* Even with no bytes to spare the newest event stays: it holds the seq. */
  g_assert_true (jsw_store_prune_events (f->store, NULL, 100, 0, &error));
  g_assert_cmpint (jsw_store_current_seq (f->store, channel, &error), ==, 10);
}

static gint64
count_left_swipes (Fixture    *f,
                   const char *user)
{
  return jsw_test_db_int (f->path, "SELECT count(*) FROM swipes WHERE user_id = ?1", user);
}

/* One user's left swipes are kept up to JSW_LEFT_SWIPES_KEPT_PER_USER. */
static void
test_left_swipes_kept (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *user = add_user (f, "l@example.com", "free");
  g_autofree char *other = add_user (f, "m@example.com", "free");
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_store_record_left_swipe (f->store, other, "theirs", NOON, &error));
  for (guint i = 0; i < JSW_LEFT_SWIPES_KEPT_PER_USER + 250; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("left-%u", i);

      g_assert_true (jsw_store_record_left_swipe (f->store, user, job_id, NOON + i, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (count_left_swipes (f, user), >=, JSW_LEFT_SWIPES_KEPT_PER_USER);
  g_assert_cmpint (count_left_swipes (f, user), <, JSW_LEFT_SWIPES_KEPT_PER_USER + 100);
  g_assert_cmpint (count_left_swipes (f, other), ==, 1);
}

/* 8 threads, each with its own connection, race to claim the same 1,000
 * entries: each entry has exactly one winner. */

#define N_RACERS  8
#define N_ENTRIES 1000

typedef struct {
  const char *path;
  GPtrArray  *ids;
  guint       offset;
  guint      *wins;      /* per entry, atomically counted */
  guint       won;
  guint       lost;
} Racer;

static gpointer
race_claims (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_test_store_open (racer->path, &error);
  g_autofree char *device = g_strdup_printf ("worker-%u", racer->offset);
  JswAuth worker = { NULL, JSW_KIND_SERVER, device };

  g_assert_no_error (error);
  for (guint n = 0; n < racer->ids->len; n++)
    {
      /* Each racer starts elsewhere, so they collide all over the range. */
      guint i = (n + racer->offset * 125) % racer->ids->len;
      g_autofree char *lease = NULL;
      g_autoptr(JswEntry) entry = NULL;
      g_autoptr(GError) claim_error = NULL;
      gint64 expires;

      entry = jsw_store_claim (store, &worker, g_ptr_array_index (racer->ids, i), 60 * SEC, g_get_real_time (),
                               &lease, &expires, NULL, &claim_error);
      if (entry != NULL)
        {
          g_atomic_int_inc ((gint *) &racer->wins[i]);
          racer->won++;
        }
      else
        {
          g_assert_error (claim_error, JSW_ERROR, JSW_ERROR_ALREADY_CLAIMED);
          racer->lost++;
        }
    }
  return NULL;
}

static void
test_claim_race (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *user = add_user (f, "race@example.com", "enterprise");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *wins = g_new0 (guint, N_ENTRIES);
  Racer racers[N_RACERS];
  GThread *threads[N_RACERS];
  guint total_won = 0, total_lost = 0;

  for (guint i = 0; i < N_ENTRIES; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("race-%u", i);
      g_autoptr(JswEntry) entry = swipe (f->store, user, job_id, g_get_real_time (), NULL);

      g_assert_cmpint (entry->target, ==, JSW_TARGET_SERVER);
      g_ptr_array_add (ids, g_strdup (entry->id));
    }

  for (guint t = 0; t < N_RACERS; t++)
    {
      racers[t] = (Racer) { f->path, ids, t, wins, 0, 0 };
      threads[t] = g_thread_new ("racer", race_claims, &racers[t]);
    }
  for (guint t = 0; t < N_RACERS; t++)
    {
      g_thread_join (threads[t]);
      total_won += racers[t].won;
      total_lost += racers[t].lost;
    }

  for (guint i = 0; i < N_ENTRIES; i++)
    g_assert_cmpuint (wins[i], ==, 1);
  g_assert_cmpuint (total_won, ==, N_ENTRIES);
  g_assert_cmpuint (total_lost, ==, N_ENTRIES * (N_RACERS - 1));
}

/* 8 threads swipe right for one free user at once: the daily limit of 3
 * holds across connections. */

typedef struct {
  const char *path;
  const char *user;
  guint       thread;
  guint       created;
} Swiper;

static gpointer
race_swipes (gpointer data)
{
  Swiper *swiper = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_test_store_open (swiper->path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("t%u-%u", swiper->thread, i);
      int code;
      g_autoptr(JswEntry) entry = swipe (store, swiper->user, job_id, g_get_real_time (), &code);

      if (entry != NULL)
        swiper->created++;
      else
        g_assert_cmpint (code, ==, JSW_ERROR_QUOTA_EXCEEDED);
    }
  return NULL;
}

static void
test_swipe_race (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *user = add_user (f, "rush@example.com", "free");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  Swiper swipers[N_RACERS];
  GThread *threads[N_RACERS];
  guint created = 0;

  for (guint t = 0; t < N_RACERS; t++)
    {
      swipers[t] = (Swiper) { f->path, user, t, 0 };
      threads[t] = g_thread_new ("swiper", race_swipes, &swipers[t]);
    }
  for (guint t = 0; t < N_RACERS; t++)
    {
      g_thread_join (threads[t]);
      created += swipers[t].created;
    }

  g_assert_cmpuint (created, ==, 3);
  entries = jsw_store_list_entries (f->store, user, -1, &error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (usage (f, user, JSW_COUNTER_DAILY, g_get_real_time ()), ==, 3);
}

static void
test_reopen_keeps_schema (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *user = add_user (f, "h@example.com", "basic");
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/quota/rollover", test_quota_rollover);
  ADD ("/store/quota/server-routing", test_server_quota_routing);
  ADD ("/store/quota/give-back", test_result_gives_back);
  ADD ("/store/result/unconfirmed", test_result_unconfirmed);
  ADD ("/store/lease/expiry", test_lease_expiry);
  ADD ("/store/lease/progress-rules", test_progress_rules);
  ADD ("/store/refused/publishes-nothing", test_refused_write_publishes_nothing);
  ADD ("/store/events/resume", test_events_resume);
  ADD ("/store/events/prune-bytes", test_events_prune_bytes);
  ADD ("/store/idempotency/expiry", test_idempotency_expiry);
  ADD ("/store/idempotency/per-user", test_idempotency_per_user);
  ADD ("/store/swipes/left-kept", test_left_swipes_kept);
  ADD ("/store/claim/race", test_claim_race);
  ADD ("/store/swipe/race", test_swipe_race);
  ADD ("/store/schema/reopen", test_reopen_keeps_schema);
#undef ADD

  return g_test_run ();
}
