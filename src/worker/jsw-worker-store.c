/* jsw-worker-store.c: what the worker's stream client keeps, in memory
 *
 * The worker keeps nothing on disk: its leases are bound to its stream
 * connection (docs/server.md, Additions), so a worker that restarts holds
 * none, and a result it could not send is settled by the lease's expiry.
 * It keeps the last `seq` (to resume after a reconnect), the queued server
 * entries it was told of, oldest first (the ones it may claim), and an
 * outbox like the app's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-worker-store.h"

struct _JswWorkerStore
{
  GObject     parent_instance;

  gint64      last_seq;
  GQueue      waiting;       /* JswEntry*, oldest first */
  GHashTable *waiting_ids;   /* entry id -> the GList link in waiting */
  GPtrArray  *outbox;        /* JswOutboxItem* */
  gint64      outbox_ids;
};

static void jsw_worker_store_queue_store_init (JswQueueStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswWorkerStore, jsw_worker_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_QUEUE_STORE, jsw_worker_store_queue_store_init))

static void
forget (JswWorkerStore *self,
        const char     *id)
{
  GList *link = g_hash_table_lookup (self->waiting_ids, id);

  if (link == NULL)
    return;
  g_hash_table_remove (self->waiting_ids, id);
  jsw_entry_unref (link->data);
  g_queue_delete_link (&self->waiting, link);
}

/* A queued server entry waits (once); any other state means another
 * worker has it or it is done. */
static void
note_entry (JswWorkerStore *self,
            JswEntry       *entry)
{
  forget (self, entry->id);
  if (entry->state != JSW_STATE_QUEUED || entry->target != JSW_TARGET_SERVER)
    return;
  g_queue_push_tail (&self->waiting, jsw_entry_ref (entry));
  g_hash_table_insert (self->waiting_ids, g_strdup (entry->id), g_queue_peek_tail_link (&self->waiting));
}

static gint64
get_last_seq (JswQueueStore *store)
{
  return JSW_WORKER_STORE (store)->last_seq;
}

static gboolean
store_entry (JswQueueStore  *store,
             JswEntry       *entry,
             gint64          seq,
             GError        **error)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);

  note_entry (self, entry);
  self->last_seq = seq;
  return TRUE;
}

static gboolean
replace_all (JswQueueStore  *store,
             GPtrArray      *entries,
             gint64          seq,
             GError        **error)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);

  g_hash_table_remove_all (self->waiting_ids);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) jsw_entry_unref);
  for (guint i = 0; i < entries->len; i++)
    note_entry (self, g_ptr_array_index (entries, i));
  self->last_seq = seq;
  return TRUE;
}

static gboolean
outbox_add (JswQueueStore  *store,
            const char     *request_id,
            const char     *lease,
            const char     *frame,
            GError        **error)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);
  JswOutboxItem *item = g_new0 (JswOutboxItem, 1);

  /* Only the newest progress of a lease matters. */
  for (guint i = self->outbox->len; request_id == NULL && i > 0; i--)
    {
      JswOutboxItem *old = g_ptr_array_index (self->outbox, i - 1);

      if (old->request_id == NULL && g_str_equal (old->lease, lease))
        g_ptr_array_remove_index (self->outbox, i - 1);
    }
  item->id = ++self->outbox_ids;
  item->request_id = g_strdup (request_id);
  item->lease = g_strdup (lease);
  item->frame = g_strdup (frame);
  g_ptr_array_add (self->outbox, item);
  return TRUE;
}

static JswOutboxItem *
outbox_item_copy (const JswOutboxItem *item,
                  gpointer             unused)
{
  JswOutboxItem *copy = g_new0 (JswOutboxItem, 1);

  copy->id = item->id;
  copy->request_id = g_strdup (item->request_id);
  copy->lease = g_strdup (item->lease);
  copy->frame = g_strdup (item->frame);
  return copy;
}

static GPtrArray *
outbox_list (JswQueueStore *store)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);

  return g_ptr_array_copy (self->outbox, (GCopyFunc) outbox_item_copy, NULL);
}

static gboolean
outbox_remove (JswQueueStore  *store,
               gint64          id,
               GError        **error)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);

  for (guint i = 0; i < self->outbox->len; i++)
    if (((JswOutboxItem *) g_ptr_array_index (self->outbox, i))->id == id)
      {
        g_ptr_array_remove_index (self->outbox, i);
        break;
      }
  return TRUE;
}

static gboolean
outbox_remove_request (JswQueueStore  *store,
                       const char     *request_id,
                       GError        **error)
{
  JswWorkerStore *self = JSW_WORKER_STORE (store);

  for (guint i = self->outbox->len; i > 0; i--)
    if (g_strcmp0 (((JswOutboxItem *) g_ptr_array_index (self->outbox, i - 1))->request_id, request_id) == 0)
      g_ptr_array_remove_index (self->outbox, i - 1);
  return TRUE;
}

static void
jsw_worker_store_queue_store_init (JswQueueStoreInterface *iface)
{
  iface->get_last_seq = get_last_seq;
  iface->store_entry = store_entry;
  iface->replace_all = replace_all;
  iface->outbox_add = outbox_add;
  iface->outbox_list = outbox_list;
  iface->outbox_remove = outbox_remove;
  iface->outbox_remove_request = outbox_remove_request;
}

static void
jsw_worker_store_finalize (GObject *object)
{
  JswWorkerStore *self = (JswWorkerStore *) object;

  g_hash_table_unref (self->waiting_ids);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) jsw_entry_unref);
  g_ptr_array_unref (self->outbox);
  G_OBJECT_CLASS (jsw_worker_store_parent_class)->finalize (object);
}

static void
jsw_worker_store_class_init (JswWorkerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_worker_store_finalize;
}

static void
jsw_worker_store_init (JswWorkerStore *self)
{
  g_queue_init (&self->waiting);
  self->waiting_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_outbox_item_free);
}

JswWorkerStore *
jsw_worker_store_new (void)
{
  return g_object_new (JSW_TYPE_WORKER_STORE, NULL);
}

/* The oldest entry waiting to be claimed, no longer waiting; NULL when
 * none is. Returns: (transfer full) */
JswEntry *
jsw_worker_store_take_next (JswWorkerStore *self)
{
  JswEntry *entry = g_queue_pop_head (&self->waiting);

  if (entry != NULL)
    g_hash_table_remove (self->waiting_ids, entry->id);
  return entry;
}

/* An entry taken with jsw_worker_store_take_next() that could not be
 * claimed for want of a connection waits again, first in line (unless
 * news of it came meanwhile). */
void
jsw_worker_store_put_back (JswWorkerStore *self,
                           JswEntry       *entry)
{
  if (g_hash_table_contains (self->waiting_ids, entry->id))
    return;
  g_queue_push_head (&self->waiting, jsw_entry_ref (entry));
  g_hash_table_insert (self->waiting_ids, g_strdup (entry->id), g_queue_peek_head_link (&self->waiting));
}

guint
jsw_worker_store_n_waiting (JswWorkerStore *self)
{
  return self->waiting.length;
}
