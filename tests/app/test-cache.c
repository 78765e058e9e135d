/* test-cache.c: the desktop app's SQLite cache
 *
 * A real database file in a temporary folder, opened again where it
 * matters (what a crash or a restart would find).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-app-test-entries.h"
#include "jsw-cache.h"

typedef struct {
  char     *dir;
  char     *path;
  JswCache *cache;
} Fixture;

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->cache);
  f->cache = jsw_cache_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-cache-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cache.db", NULL);
  reopen (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->cache);
  g_assert_cmpint (system (command), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

static void
store (Fixture    *f,
       const char *id,
       const char *state,
       gint64      seq)
{
  g_autoptr(JswEntry) entry = test_entry_new (id, state, "desktop", 1000, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_cache_store_entry (f->cache, entry, seq, &error));
  g_assert_no_error (error);
}

/* An entry and its seq are kept together, and a newer version replaces
 * the older; a sync replaces everything. */
static void
test_entries_and_seq (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) synced = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (jsw_cache_get_last_seq (f->cache), ==, 0);
  store (f, "a", "queued", 1);
  store (f, "b", "queued", 2);
  store (f, "a", "running", 3);
  reopen (f);

  g_assert_cmpint (jsw_cache_get_last_seq (f->cache), ==, 3);
  entry = jsw_cache_get_entry (f->cache, "a");
  g_assert_cmpint (entry->state, ==, JSW_STATE_RUNNING);
  all = jsw_cache_list_entries (f->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_null (jsw_cache_get_entry (f->cache, "nowhere"));

  g_ptr_array_add (synced, test_entry_new ("c", "submitted", "desktop", 1000, 100));
  g_assert_true (jsw_cache_replace_all (f->cache, synced, 10, &error));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = jsw_cache_list_entries (f->cache, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (jsw_cache_get_last_seq (f->cache), ==, 10);
}

/* A run that reached `submitting` may have been sent: never started
 * again, also after a restart; one that was interrupted is found. */
static void
test_runs_after_submitting (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) interrupted = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_cache_run_may_start (f->cache, "a"));
  g_assert_true (jsw_cache_run_started (f->cache, "a", "lease-1", &error));
  g_assert_true (jsw_cache_run_reached (f->cache, "a", JSW_STEP_FILLING, &error));
  g_assert_true (jsw_cache_run_may_start (f->cache, "a"));
  g_assert_true (jsw_cache_run_reached (f->cache, "a", JSW_STEP_SUBMITTING, &error));
  /* Steps only go forward. */
  g_assert_true (jsw_cache_run_reached (f->cache, "a", JSW_STEP_OPENING, &error));
  g_assert_no_error (error);

  reopen (f);
  g_assert_false (jsw_cache_run_may_start (f->cache, "a"));
  interrupted = jsw_cache_interrupted_runs (f->cache);
  g_assert_cmpuint (interrupted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (interrupted, 0), ==, "a");

  g_assert_true (jsw_cache_run_finished (f->cache, "a", &error));
  g_clear_pointer (&interrupted, g_ptr_array_unref);
  interrupted = jsw_cache_interrupted_runs (f->cache);
  g_assert_cmpuint (interrupted->len, ==, 0);
}

/* The outbox keeps every result until it is acknowledged, and of the
 * progress of a lease only the newest. */
static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  JswOutboxItem *item;

  g_assert_true (jsw_cache_outbox_add (f->cache, NULL, "lease-1", "{\"progress\":10}", &error));
  g_assert_true (jsw_cache_outbox_add (f->cache, NULL, "lease-1", "{\"progress\":60}", &error));
  g_assert_true (jsw_cache_outbox_add (f->cache, "r1", "lease-1", "{\"result\":1}", &error));
  g_assert_no_error (error);
  reopen (f);

  items = jsw_cache_outbox_list (f->cache);
  g_assert_cmpuint (items->len, ==, 2);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->frame, ==, "{\"progress\":60}");
  g_assert_null (item->request_id);
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (item->request_id, ==, "r1");

  g_assert_true (jsw_cache_outbox_remove_request (f->cache, "r1", &error));
  g_assert_true (jsw_cache_outbox_remove (f->cache, ((JswOutboxItem *) g_ptr_array_index (items, 0))->id, &error));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = jsw_cache_outbox_list (f->cache);
  g_assert_cmpuint (items->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/cache/entries-and-seq", Fixture, NULL, fixture_set_up, test_entries_and_seq, fixture_tear_down);
  g_test_add ("/app/cache/runs-after-submitting", Fixture, NULL, fixture_set_up, test_runs_after_submitting, fixture_tear_down);
  g_test_add ("/app/cache/outbox", Fixture, NULL, fixture_set_up, test_outbox, fixture_tear_down);
  return g_test_run ();
}
