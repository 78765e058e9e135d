/* jsw-queue-store.h: what the stream client keeps between frames
 *
 * The queue client (jsw-queue-client.h) is the same for the desktop app and
 * the server-side worker; where it keeps the last `seq` it processed, the
 * entries it was sent and the frames not yet acknowledged differs: the app
 * keeps them in its SQLite cache so that a crash loses nothing, the worker
 * keeps them in memory since its leases die with its connection anyway
 * (docs/server.md, "A lease is bound to who claimed it"). This is the
 * delegate, as Epiphany's EphyEmbedContainer is one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-entry.h"

G_BEGIN_DECLS

/* A frame waiting to be sent, or (a result) to be acknowledged. */
typedef struct {
  gint64  id;          /* the store's own, in the order added */
  char   *request_id;  /* results only: what the ack refers to; NULL for progress */
  char   *lease;
  char   *frame;       /* the JSON text, as sent */
} JswOutboxItem;

void jsw_outbox_item_free (JswOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswOutboxItem, jsw_outbox_item_free)

#define JSW_TYPE_QUEUE_STORE (jsw_queue_store_get_type ())

G_DECLARE_INTERFACE (JswQueueStore, jsw_queue_store, JSW, QUEUE_STORE, GObject)

struct _JswQueueStoreInterface
{
  GTypeInterface parent_iface;

  gint64      (*get_last_seq)          (JswQueueStore  *self);
  gboolean    (*store_entry)           (JswQueueStore  *self,
                                        JswEntry       *entry,
                                        gint64          seq,
                                        GError        **error);
  gboolean    (*replace_all)           (JswQueueStore  *self,
                                        GPtrArray      *entries,
                                        gint64          seq,
                                        GError        **error);
  gboolean    (*outbox_add)            (JswQueueStore  *self,
                                        const char     *request_id,
                                        const char     *lease,
                                        const char     *frame,
                                        GError        **error);
  GPtrArray * (*outbox_list)           (JswQueueStore  *self);
  gboolean    (*outbox_remove)         (JswQueueStore  *self,
                                        gint64          id,
                                        GError        **error);
  gboolean    (*outbox_remove_request) (JswQueueStore  *self,
                                        const char     *request_id,
                                        GError        **error);
};

gint64     jsw_queue_store_get_last_seq          (JswQueueStore  *self);
gboolean   jsw_queue_store_store_entry           (JswQueueStore  *self,
                                                  JswEntry       *entry,
                                                  gint64          seq,
                                                  GError        **error);
gboolean   jsw_queue_store_replace_all           (JswQueueStore  *self,
                                                  GPtrArray      *entries,
                                                  gint64          seq,
                                                  GError        **error);
gboolean   jsw_queue_store_outbox_add            (JswQueueStore  *self,
                                                  const char     *request_id,
                                                  const char     *lease,
                                                  const char     *frame,
                                                  GError        **error);
GPtrArray *jsw_queue_store_outbox_list           (JswQueueStore  *self);
gboolean   jsw_queue_store_outbox_remove         (JswQueueStore  *self,
                                                  gint64          id,
                                                  GError        **error);
gboolean   jsw_queue_store_outbox_remove_request (JswQueueStore  *self,
                                                  const char     *request_id,
                                                  GError        **error);

G_END_DECLS
