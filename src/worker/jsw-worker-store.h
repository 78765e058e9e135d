/* jsw-worker-store.h: the worker's JswQueueStore, in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-queue-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_WORKER_STORE (jsw_worker_store_get_type ())

G_DECLARE_FINAL_TYPE (JswWorkerStore, jsw_worker_store, JSW, WORKER_STORE, GObject)

JswWorkerStore *jsw_worker_store_new         (void);
JswEntry       *jsw_worker_store_take_next   (JswWorkerStore *self);
guint           jsw_worker_store_n_waiting   (JswWorkerStore *self);
void            jsw_worker_store_put_back    (JswWorkerStore *self,
                                              JswEntry       *entry);

G_END_DECLS
