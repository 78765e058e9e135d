/* test-store-retention.c: what the store keeps and forgets: the event log
 * (resuming, pruning by count and bytes), Idempotency-Key answers, left
 * swipes; on SQLite, and on PostgreSQL in the server-pg suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store-fixture.h"

static void
test_events_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "g@example.com", "pro");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) since2 = NULL;
  g_autoptr(GPtrArray) after_prune = NULL;
  g_autoptr(GPtrArray) live = NULL;
  gboolean too_old;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("ev%u", i);
      g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, NOON, NULL);
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
/* The sweeper trims the channels changed since its last sweep in one
 * call: each listed channel is trimmed, the others are left whole. */
static void
test_events_prune_listed (Fixture       *f,
                          gconstpointer  data)
{
  const char *emails[] = { "l1@example.com", "l2@example.com", "l3@example.com" };
  g_autoptr(GPtrArray) channel_list = g_ptr_array_new_with_free_func (g_free);
  char **channels;
  g_autoptr(GError) error = NULL;

  for (guint u = 0; u < G_N_ELEMENTS (emails); u++)
    {
      g_autofree char *user = store_add_user (f, emails[u], "pro");

      g_ptr_array_add (channel_list, jsw_store_user_channel (user));
      for (guint i = 0; i < 5; i++)
        {
          g_autofree char *job_id = g_strdup_printf ("pl%u-%u", u, i);
          g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, NOON, NULL);
        }
    }

  channels = (char **) channel_list->pdata;
  g_assert_true (jsw_store_prune_events (f->store, (const char *const[]) { channels[0], channels[1], NULL },
                                         2, G_MAXINT64, &error));
  g_assert_no_error (error);
  g_assert_true (jsw_store_prune_events (f->store, (const char *const[]) { NULL }, 1, 0, &error));
  for (guint u = 0; u < G_N_ELEMENTS (emails); u++)
    {
      gboolean too_old;
      g_autoptr(GPtrArray) kept = jsw_store_events_since (f->store, channels[u], 0, 0, TRUE, &too_old, &error);

      g_assert_no_error (error);
      g_assert_cmpint (too_old, ==, u < 2);
      if (u < 2)
        {
          g_autoptr(GPtrArray) last2 = jsw_store_events_since (f->store, channels[u], 3, 0, TRUE, &too_old, &error);

          g_assert_false (too_old);
          g_assert_cmpuint (last2->len, ==, 2);
        }
      else
        g_assert_cmpuint (kept->len, ==, 5);
      g_assert_cmpint (jsw_store_current_seq (f->store, channels[u], &error), ==, 5);
    }
}

static void
test_idempotency_expiry (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "i@example.com", "pro");
  g_autoptr(JswEntry) entry = store_swipe (f->store, user, "idem", NOON, NULL);
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
  g_autofree char *user = store_add_user (f, "j@example.com", "pro");
  g_autofree char *other = store_add_user (f, "k@example.com", "pro");
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
  g_autofree char *user = store_add_user (f, "p@example.com", "pro");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  gsize event_size;
  gboolean too_old;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("pb%u", i);
      g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, NOON, NULL);
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
  g_assert_true (jsw_store_prune_events (f->store, (const char *const[]) { channel, NULL }, 100, 3 * event_size + 10, &error));
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
  g_autofree char *user = store_add_user (f, "l@example.com", "free");
  g_autofree char *other = store_add_user (f, "m@example.com", "free");
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/store/events/resume", test_events_resume);
  STORE_TEST_ADD ("/store/events/prune-bytes", test_events_prune_bytes);
  STORE_TEST_ADD ("/store/events/prune-listed", test_events_prune_listed);
  STORE_TEST_ADD ("/store/idempotency/expiry", test_idempotency_expiry);
  STORE_TEST_ADD ("/store/idempotency/per-user", test_idempotency_per_user);
  STORE_TEST_ADD ("/store/swipes/left-kept", test_left_swipes_kept);

  return g_test_run ();
}
