/* jsw-rest-queue.h: the queue's endpoints: /v1/queue and its entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_queue_list (JswRestContext *rest,
                          JswRestRequest *request);
void jsw_rest_queue_entry (JswRestContext *rest,
                           JswRestRequest *request);

G_END_DECLS
