/* jsw-queue-model.h: the queue as a GListModel of JswEntryItem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jsw-cache.h"
#include "jsw-entry-item.h"
#include "jsw-queue-client.h"

G_BEGIN_DECLS

#define JSW_TYPE_QUEUE_MODEL (jsw_queue_model_get_type ())

G_DECLARE_FINAL_TYPE (JswQueueModel, jsw_queue_model, JSW, QUEUE_MODEL, GObject)

JswQueueModel *jsw_queue_model_new           (JswCache       *cache);
void           jsw_queue_model_follow        (JswQueueModel  *self,
                                              JswQueueClient *client);
void           jsw_queue_model_refresh_entry (JswQueueModel  *self,
                                              const char     *entry_id);
void           jsw_queue_model_reload        (JswQueueModel  *self);
JswEntryItem  *jsw_queue_model_lookup        (JswQueueModel  *self,
                                              const char     *entry_id);
gboolean       jsw_queue_model_find          (JswQueueModel  *self,
                                              const char     *entry_id,
                                              guint          *position);

G_END_DECLS
