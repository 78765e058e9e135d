/* jsw-queue-model.c
 *
 * The queue the window lists and the runner picks from, kept in the order
 * the window shows it (see jsw_entry_item_compare()). It reads the whole
 * queue from the cache once, and again only after the stream's `sync`;
 * each `entry` change after that reads the one entry from the cache and
 * updates, moves, adds or removes its one item. A moved item is announced
 * as one change over the rows between its old and new place, which holds
 * the same item object, so a GtkSingleSelection keeps it selected.
 * Modelled on GNOME Text Editor's editor-sidebar-model.c (a GSequence
 * sorted by the items' own comparison).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-queue-model"

#include "config.h"

#include "jsw-queue-model.h"

struct _JswQueueModel
{
  GObject         parent_instance;

  JswCache       *cache;
  JswQueueClient *client;
  GSequence      *items;   /* of JswEntryItem, owned */
  GHashTable     *by_id;   /* entry id (the item's) -> GSequenceIter */
};

enum {
  ITEM_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
jsw_queue_model_get_item_type (GListModel *model)
{
  return JSW_TYPE_ENTRY_ITEM;
}

static guint
jsw_queue_model_get_n_items (GListModel *model)
{
  return g_sequence_get_length (JSW_QUEUE_MODEL (model)->items);
}

static gpointer
jsw_queue_model_get_item (GListModel *model,
                          guint       position)
{
  JswQueueModel *self = JSW_QUEUE_MODEL (model);
  GSequenceIter *iter = g_sequence_get_iter_at_pos (self->items, position);

  return g_sequence_iter_is_end (iter) ? NULL : g_object_ref (g_sequence_get (iter));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = jsw_queue_model_get_item_type;
  iface->get_n_items = jsw_queue_model_get_n_items;
  iface->get_item = jsw_queue_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (JswQueueModel, jsw_queue_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return jsw_entry_item_compare ((JswEntryItem *) a, (JswEntryItem *) b);
}

static GHashTable *
new_index (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
index_item (GHashTable    *by_id,
            GSequenceIter *iter)
{
  /* A copy: a newer version of the entry replaces the one the item holds. */
  g_hash_table_insert (by_id, g_strdup (jsw_entry_item_get_id (g_sequence_get (iter))), iter);
}

static void
add_item (JswQueueModel *self,
          JswEntry      *entry)
{
  GSequenceIter *iter = g_sequence_insert_sorted (self->items, jsw_entry_item_new (entry), compare_items, NULL);

  index_item (self->by_id, iter);
  g_list_model_items_changed (G_LIST_MODEL (self), g_sequence_iter_get_position (iter), 0, 1);
  g_signal_emit (self, signals[ITEM_UPDATED], 0, g_sequence_get (iter));
}

static void
remove_item (JswQueueModel *self,
             GSequenceIter *iter)
{
  guint position = g_sequence_iter_get_position (iter);

  g_hash_table_remove (self->by_id, jsw_entry_item_get_id (g_sequence_get (iter)));
  g_sequence_remove (iter);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* The newer version's properties first (rows bound to them redraw), then
 * the item's place, if its group changed. */
static void
update_item (JswQueueModel *self,
             GSequenceIter *iter,
             JswEntry      *entry)
{
  JswEntryItem *item = g_sequence_get (iter);
  guint before = g_sequence_iter_get_position (iter);
  guint after;

  jsw_entry_item_set_entry (item, entry);
  g_sequence_sort_changed (iter, compare_items, NULL);
  after = g_sequence_iter_get_position (iter);
  if (after != before)
    g_list_model_items_changed (G_LIST_MODEL (self), MIN (before, after),
                                ABS ((int) after - (int) before) + 1, ABS ((int) after - (int) before) + 1);
  g_signal_emit (self, signals[ITEM_UPDATED], 0, item);
}

/**
 * jsw_queue_model_refresh_entry:
 * @entry_id: the entry the stream just changed in the cache
 *
 * Reads that one entry from the cache and brings its item up to date:
 * added if new, updated (and moved, if its group changed) if known,
 * removed if the cache no longer has it.
 */
void
jsw_queue_model_refresh_entry (JswQueueModel *self,
                               const char    *entry_id)
{
  g_autoptr(JswEntry) entry = NULL;
  GSequenceIter *iter;

  g_return_if_fail (JSW_IS_QUEUE_MODEL (self));
  g_return_if_fail (entry_id != NULL);

  entry = jsw_cache_get_entry (self->cache, entry_id);
  iter = g_hash_table_lookup (self->by_id, entry_id);
  g_debug ("%s %s", entry_id, entry == NULL ? "gone" : jsw_state_to_string (entry->state));
  if (entry == NULL && iter != NULL)
    remove_item (self, iter);
  else if (entry != NULL && iter == NULL)
    add_item (self, entry);
  else if (entry != NULL)
    update_item (self, iter, entry);
}

/**
 * jsw_queue_model_reload:
 *
 * Reads the whole queue from the cache again: after the stream's `sync`
 * replaced it. Items of entries still there are kept (updated), so a view's
 * selection stays on them.
 */
void
jsw_queue_model_reload (JswQueueModel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = jsw_cache_list_entries (self->cache, &error);
  GSequence *items;
  GHashTable *by_id;
  guint before;

  g_return_if_fail (JSW_IS_QUEUE_MODEL (self));

  if (entries == NULL)
    {
      g_warning ("Cannot read the queue from the cache: %s", error->message);
      return;
    }

  items = g_sequence_new (g_object_unref);
  by_id = new_index ();
  /* Oldest first, so that later arrivals count as later. */
  for (guint i = entries->len; i > 0; i--)
    {
      JswEntry *entry = g_ptr_array_index (entries, i - 1);
      GSequenceIter *old = g_hash_table_lookup (self->by_id, entry->id);
      JswEntryItem *item;

      if (old != NULL)
        {
          item = g_object_ref (g_sequence_get (old));
          jsw_entry_item_set_entry (item, entry);
          jsw_entry_item_mark_arrival (item);
        }
      else
        item = jsw_entry_item_new (entry);
      g_sequence_append (items, item);
    }
  g_sequence_sort (items, compare_items, NULL);
  for (GSequenceIter *iter = g_sequence_get_begin_iter (items); !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    index_item (by_id, iter);

  before = g_sequence_get_length (self->items);
  g_hash_table_unref (self->by_id);
  g_sequence_free (self->items);
  self->items = items;
  self->by_id = by_id;
  if (before > 0 || g_sequence_get_length (items) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, before, g_sequence_get_length (items));
}

/* Returns: (transfer none) (nullable): the item of @entry_id */
JswEntryItem *
jsw_queue_model_lookup (JswQueueModel *self,
                        const char    *entry_id)
{
  GSequenceIter *iter;

  g_return_val_if_fail (JSW_IS_QUEUE_MODEL (self), NULL);

  iter = entry_id ? g_hash_table_lookup (self->by_id, entry_id) : NULL;
  return iter ? g_sequence_get (iter) : NULL;
}

/* Where @entry_id is in the list, if it is there. */
gboolean
jsw_queue_model_find (JswQueueModel *self,
                      const char    *entry_id,
                      guint         *position)
{
  GSequenceIter *iter;

  g_return_val_if_fail (JSW_IS_QUEUE_MODEL (self), FALSE);

  iter = entry_id ? g_hash_table_lookup (self->by_id, entry_id) : NULL;
  if (iter != NULL && position != NULL)
    *position = g_sequence_iter_get_position (iter);
  return iter != NULL;
}

static void
on_entry_changed (JswQueueClient *client,
                  JswEntry       *entry,
                  JswQueueModel  *self)
{
  jsw_queue_model_refresh_entry (self, entry->id);
}

/* Keeps the model up to date with what @client's stream writes into the
 * cache: one entry per `entry`, everything after a `sync`. */
void
jsw_queue_model_follow (JswQueueModel  *self,
                        JswQueueClient *client)
{
  g_return_if_fail (JSW_IS_QUEUE_MODEL (self));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "entry-changed", G_CALLBACK (on_entry_changed), self, 0);
  g_signal_connect_object (client, "synced", G_CALLBACK (jsw_queue_model_reload), self, G_CONNECT_SWAPPED);
}

static void
jsw_queue_model_dispose (GObject *object)
{
  JswQueueModel *self = (JswQueueModel *) object;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (jsw_queue_model_parent_class)->dispose (object);
}

static void
jsw_queue_model_finalize (GObject *object)
{
  JswQueueModel *self = (JswQueueModel *) object;

  g_hash_table_unref (self->by_id);
  g_sequence_free (self->items);
  G_OBJECT_CLASS (jsw_queue_model_parent_class)->finalize (object);
}

static void
jsw_queue_model_class_init (JswQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_queue_model_dispose;
  object_class->finalize = jsw_queue_model_finalize;

  /**
   * JswQueueModel::item-updated:
   * @item: the JswEntryItem that was added or changed
   *
   * After each change of one entry, moved or not; for those (the runner)
   * who care about any change rather than one property.
   */
  signals[ITEM_UPDATED] = g_signal_new ("item-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, JSW_TYPE_ENTRY_ITEM);
}

static void
jsw_queue_model_init (JswQueueModel *self)
{
  self->items = g_sequence_new (g_object_unref);
  self->by_id = new_index ();
}

/* The queue as the cache holds it now. */
JswQueueModel *
jsw_queue_model_new (JswCache *cache)
{
  JswQueueModel *self;

  g_return_val_if_fail (JSW_IS_CACHE (cache), NULL);

  self = g_object_new (JSW_TYPE_QUEUE_MODEL, NULL);
  self->cache = g_object_ref (cache);
  jsw_queue_model_reload (self);
  return self;
}
