/* test-store-races.c: the store's rules under real concurrency (threads
 * with their own connections to one database); on SQLite, and on
 * PostgreSQL in the server-pg suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store-fixture.h"

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
  g_autofree char *user = store_add_user (f, "race@example.com", "enterprise");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *wins = g_new0 (guint, N_ENTRIES);
  Racer racers[N_RACERS];
  GThread *threads[N_RACERS];
  guint total_won = 0, total_lost = 0;

  for (guint i = 0; i < N_ENTRIES; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("race-%u", i);
      g_autoptr(JswEntry) entry = store_swipe (f->store, user, job_id, g_get_real_time (), NULL);

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
      g_autoptr(JswEntry) entry = store_swipe (store, swiper->user, job_id, g_get_real_time (), &code);

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
  g_autofree char *user = store_add_user (f, "rush@example.com", "free");
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
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, g_get_real_time ()), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/store/claim/race", test_claim_race);
  STORE_TEST_ADD ("/store/swipe/race", test_swipe_race);

  return g_test_run ();
}
