/* jsw-queue-store.c: what the stream client keeps between frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-queue-store.h"

G_DEFINE_INTERFACE (JswQueueStore, jsw_queue_store, G_TYPE_OBJECT)

static void
jsw_queue_store_default_init (JswQueueStoreInterface *iface)
{
}

void
jsw_outbox_item_free (JswOutboxItem *item)
{
  g_free (item->request_id);
  g_free (item->lease);
  g_free (item->frame);
  g_free (item);
}

/* The last `seq` processed; 0 when nothing was. */
gint64
jsw_queue_store_get_last_seq (JswQueueStore *self)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->get_last_seq (self);
}

/* Keeps @entry as changed at @seq, which becomes the last processed. */
gboolean
jsw_queue_store_store_entry (JswQueueStore  *self,
                             JswEntry       *entry,
                             gint64          seq,
                             GError        **error)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->store_entry (self, entry, seq, error);
}

/* A `sync`: @entries (JswEntry*) are all there is, as of @seq. */
gboolean
jsw_queue_store_replace_all (JswQueueStore  *self,
                             GPtrArray      *entries,
                             gint64          seq,
                             GError        **error)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->replace_all (self, entries, seq, error);
}

/* Keeps @frame for sending. A progress frame (@request_id NULL) replaces
 * the lease's older progress; a result stays until removed by its
 * @request_id once acknowledged. */
gboolean
jsw_queue_store_outbox_add (JswQueueStore  *self,
                            const char     *request_id,
                            const char     *lease,
                            const char     *frame,
                            GError        **error)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->outbox_add (self, request_id, lease, frame, error);
}

/* Returns: (transfer container) JswOutboxItem*, oldest first. */
GPtrArray *
jsw_queue_store_outbox_list (JswQueueStore *self)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->outbox_list (self);
}

gboolean
jsw_queue_store_outbox_remove (JswQueueStore  *self,
                               gint64          id,
                               GError        **error)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->outbox_remove (self, id, error);
}

gboolean
jsw_queue_store_outbox_remove_request (JswQueueStore  *self,
                                       const char     *request_id,
                                       GError        **error)
{
  return JSW_QUEUE_STORE_GET_IFACE (self)->outbox_remove_request (self, request_id, error);
}
