/* bench-claim-throughput.c: claims + results per second through the
 * SQLite store, the way a fleet of workers drives it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "jsw-sqlite-store.h"

#define MAX_THREADS 16

typedef struct {
  const char *path;
  GPtrArray  *ids;
  guint       index;
  guint       n_threads;
} Slice;

/* One worker process's connection: claims and finishes its share. */
static gpointer
claim_and_finish (gpointer data)
{
  Slice *slice = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_sqlite_store_open (slice->path, &error);
  g_autofree char *device = g_strdup_printf ("bench-worker-%u", slice->index);
  JswAuth worker = { NULL, JSW_KIND_SERVER, device };

  g_assert_no_error (error);
  for (guint i = slice->index; i < slice->ids->len; i += slice->n_threads)
    {
      g_autofree char *lease = NULL;
      g_autoptr(JswEntry) claimed = NULL;
      g_autoptr(JswEntry) done = NULL;
      g_autoptr(GPtrArray) events = jsw_event_list_new ();
      gint64 expires, now = g_get_real_time ();

      claimed = jsw_store_claim (store, &worker, g_ptr_array_index (slice->ids, i), 60 * G_USEC_PER_SEC, now,
                                 &lease, &expires, events, &error);
      g_assert_no_error (error);
      done = jsw_store_finish (store, &worker, lease, JSW_OUTCOME_SUBMITTED, "Thank you for applying",
                               NULL, NULL, now, events, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  guint n_threads = argc > 2 ? CLAMP ((guint) g_ascii_strtoull (argv[2], NULL, 10), 1, MAX_THREADS) : 1;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(JswStore) store = jsw_sqlite_store_open (path, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *user = NULL;
  gint64 start, elapsed;

  g_assert_no_error (error);
  user = jsw_store_create_user (store, "bench@example.com", "enterprise", NULL, g_get_real_time (), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"job_id\":\"b-%u\",\"title\":\"Backend developer\","
                                               "\"company\":\"Example GmbH\",\"apply_url\":\"https://jobs.example.com/%u\","
                                               "\"location\":\"Berlin\",\"description\":\"A typical posting of a few lines.\"}",
                                               i, i);
      g_autoptr(JswJob) job = jsw_job_new_from_json (json, &error);
      g_autoptr(JswEntry) entry = NULL;
      gboolean created;

      entry = jsw_store_swipe_right (store, user, job, g_get_real_time (), &created, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (ids, g_strdup (entry->id));
    }

  start = g_get_monotonic_time ();
  {
    GThread *threads[MAX_THREADS];
    Slice slices[MAX_THREADS];

    for (guint t = 0; t < n_threads; t++)
      {
        slices[t] = (Slice) { path, ids, t, n_threads };
        threads[t] = g_thread_new ("worker", claim_and_finish, &slices[t]);
      }
    for (guint t = 0; t < n_threads; t++)
      g_thread_join (threads[t]);
  }
  elapsed = g_get_monotonic_time () - start;

  printf ("claim+result throughput (SQLite, WAL, synchronous=%s, %u worker connections): "
          "%.0f entries/s (%u entries in %.2f s)\n",
          g_strcmp0 (g_getenv ("JSW_SQLITE_SYNC"), "full") == 0 ? "FULL" : "NORMAL", n_threads,
          n / (elapsed / (double) G_USEC_PER_SEC), n, elapsed / (double) G_USEC_PER_SEC);

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
  return 0;
}
