/* test-queue-model.c: the queue as the window lists it and the runner
 * picks from it
 *
 * A real cache (SQLite in a temporary folder) written the way the stream
 * writes it; the model is told which entry changed, as the queue client
 * tells it. What the window relies on: the order of the groups, one row
 * changed per change, a moved entry staying selected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "jsw-app-test-entries.h"
#include "jsw-queue-model.h"

typedef struct {
  char          *dir;
  JswCache      *cache;
  JswQueueModel *model;
  GArray        *changes;   /* of Change, as items-changed reported them */
  gint64         seq;
} Fixture;

typedef struct {
  guint position, removed, added;
} Change;

static void
store (Fixture    *f,
       const char *id,
       const char *state,
       gint64      created_s,
       int         percent)
{
  g_autoptr(JswEntry) entry = test_entry_new (id, state, "desktop", created_s, percent);
  g_autoptr(GError) error = NULL;

  jsw_cache_store_entry (f->cache, entry, ++f->seq, &error);
  g_assert_no_error (error);
}

/* What the queue client does for each `entry` frame. */
static void
change (Fixture    *f,
        const char *id,
        const char *state,
        gint64      created_s,
        int         percent)
{
  store (f, id, state, created_s, percent);
  jsw_queue_model_refresh_entry (f->model, id);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change c = { position, removed, added };

  g_array_append_val (f->changes, c);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("jsw-queue-model-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = jsw_cache_open (path, &error);
  g_assert_no_error (error);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));

  /* Already in the cache when the app starts. */
  store (f, "older", "queued", 1000, 0);
  store (f, "newer", "queued", 2000, 0);
  store (f, "done", "submitted", 3000, 100);
  store (f, "running", "running", 500, 40);
  store (f, "stuck", "needs_user", 100, 60);

  f->model = jsw_queue_model_new (f->cache);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->model);
  g_clear_object (&f->cache);
  g_array_unref (f->changes);
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* The ids in the model's order, space-separated. */
static char *
order (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->model);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(JswEntryItem) item = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", i ? " " : "", jsw_entry_item_get_id (item));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_order (Fixture    *f,
              const char *expected)
{
  g_autofree char *ids = order (f);

  g_assert_cmpstr (ids, ==, expected);
}

static void
assert_one_change (Fixture *f,
                   guint    position,
                   guint    removed,
                   guint    added)
{
  Change *c;

  g_assert_cmpuint (f->changes->len, ==, 1);
  c = &g_array_index (f->changes, Change, 0);
  g_assert_cmpuint (c->position, ==, position);
  g_assert_cmpuint (c->removed, ==, removed);
  g_assert_cmpuint (c->added, ==, added);
  g_array_set_size (f->changes, 0);
}

/* Needs you, running, queued (newest first), finished. */
static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == JSW_TYPE_ENTRY_ITEM);
  assert_order (f, "stuck running newer older done");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

/* Progress of a run: the item says what changed, the list does not move. */
static void
test_progress_changes_one_item (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  JswEntryItem *item = jsw_queue_model_lookup (f->model, "running");
  double progress;

  g_signal_connect (item, "notify", G_CALLBACK (count_notify), counts);
  change (f, "running", "running", 500, 70);

  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_true (jsw_queue_model_lookup (f->model, "running") == item);
  g_object_get (item, "progress", &progress, NULL);
  g_assert_cmpfloat_with_epsilon (progress, 0.7, 1e-9);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "progress")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "title")), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "state")), ==, 0);
  g_signal_handlers_disconnect_by_data (item, counts);
}

/* A queued entry starts running: it moves up into the running group, as
 * one change over the rows it crossed, and stays selected. */
static void
test_moved_entry_stays_selected (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GtkSingleSelection) selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (f->model)));
  JswEntryItem *older = jsw_queue_model_lookup (f->model, "older");
  g_autofree char *state = NULL;
  g_autofree char *label = NULL;

  gtk_single_selection_set_selected (selection, 3);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == older);

  change (f, "older", "running", 1000, 5);

  assert_order (f, "stuck older running newer done");
  assert_one_change (f, 1, 3, 3);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == older);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  g_object_get (older, "state", &state, "state-label", &label, NULL);
  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpstr (label, ==, "Applying");
}

/* A new swipe is inserted at its place; of two from the same second, the
 * later one comes first, as in the cache. */
static void
test_new_entries (Fixture       *f,
                  gconstpointer  data)
{
  change (f, "fresh", "queued", 1500, 0);
  assert_order (f, "stuck running newer fresh older done");
  assert_one_change (f, 3, 0, 1);

  change (f, "twin", "queued", 1500, 0);
  assert_order (f, "stuck running newer twin fresh older done");
  assert_one_change (f, 3, 0, 1);
}

/* After a `sync`: entries gone from the cache leave the list, the others
 * keep their item objects (and so a view's selection). */
static void
test_sync_reload (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  JswEntryItem *newer = jsw_queue_model_lookup (f->model, "newer");
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (entries, test_entry_new ("newer", "submitted", "desktop", 2000, 100));
  g_ptr_array_add (entries, test_entry_new ("running", "running", "desktop", 500, 90));
  jsw_cache_replace_all (f->cache, entries, 100, &error);
  g_assert_no_error (error);

  jsw_queue_model_reload (f->model);
  assert_order (f, "running newer");
  assert_one_change (f, 0, 5, 2);
  g_assert_true (jsw_queue_model_lookup (f->model, "newer") == newer);
  g_assert_null (jsw_queue_model_lookup (f->model, "stuck"));
  g_assert_cmpint (jsw_entry_item_get_state (newer), ==, JSW_STATE_SUBMITTED);
}

/* A queued entry this computer holds back (a refused claim) reads why in
 * its row and detail, until the runner lets go or it leaves the queue. */
static void
test_waiting_label (Fixture       *f,
                    gconstpointer  data)
{
  JswEntryItem *item;
  guint notified = 0;

  store (f, "w1", "queued", 100, 0);
  jsw_queue_model_refresh_entry (f->model, "w1");
  item = jsw_queue_model_lookup (f->model, "w1");
  g_assert_nonnull (item);
  g_assert_cmpstr (jsw_entry_item_get_state_label (item), ==, "Waiting to apply on this computer");
  g_signal_connect_swapped (item, "notify::state-label", G_CALLBACK (g_atomic_int_inc), &notified);

  jsw_entry_item_set_waiting (item, "LinkedIn applications are paused until 07:00");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (jsw_entry_item_get_state_label (item), ==, "LinkedIn applications are paused until 07:00");

  change (f, "w1", "running", 100, 10);
  g_assert_cmpstr (jsw_entry_item_get_state_label (item), ==, "Applying");
  change (f, "w1", "queued", 100, 0);
  jsw_entry_item_set_waiting (item, NULL);
  g_assert_cmpstr (jsw_entry_item_get_state_label (item), ==, "Waiting to apply on this computer");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/queue-model/groups", Fixture, NULL, fixture_set_up, test_groups, fixture_tear_down);
  g_test_add ("/app/queue-model/progress-changes-one-item", Fixture, NULL, fixture_set_up, test_progress_changes_one_item, fixture_tear_down);
  g_test_add ("/app/queue-model/moved-entry-stays-selected", Fixture, NULL, fixture_set_up, test_moved_entry_stays_selected, fixture_tear_down);
  g_test_add ("/app/queue-model/new-entries", Fixture, NULL, fixture_set_up, test_new_entries, fixture_tear_down);
  g_test_add ("/app/queue-model/waiting-label", Fixture, NULL, fixture_set_up, test_waiting_label, fixture_tear_down);
  g_test_add ("/app/queue-model/sync-reload", Fixture, NULL, fixture_set_up, test_sync_reload, fixture_tear_down);
  return g_test_run ();
}
