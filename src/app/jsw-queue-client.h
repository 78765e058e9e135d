/* jsw-queue-client.h: the desktop's end of the stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-cache.h"

G_BEGIN_DECLS

#define JSW_TYPE_QUEUE_CLIENT (jsw_queue_client_get_type ())

G_DECLARE_FINAL_TYPE (JswQueueClient, jsw_queue_client, JSW, QUEUE_CLIENT, GObject)

JswQueueClient *jsw_queue_client_new           (SoupSession         *session,
                                                const char          *server_url,
                                                const char          *token,
                                                const char          *device,
                                                JswCache            *cache);
void            jsw_queue_client_start         (JswQueueClient      *self);
void            jsw_queue_client_stop          (JswQueueClient      *self);
gboolean        jsw_queue_client_is_connected  (JswQueueClient      *self);
JswCache       *jsw_queue_client_get_cache     (JswQueueClient      *self);
void            jsw_queue_client_claim_async   (JswQueueClient      *self,
                                                const char          *entry_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char           *jsw_queue_client_claim_finish  (JswQueueClient      *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void            jsw_queue_client_progress      (JswQueueClient      *self,
                                                const char          *lease,
                                                int                  percent,
                                                JswStep              step,
                                                const char          *message);
void            jsw_queue_client_result        (JswQueueClient      *self,
                                                const char          *lease,
                                                JswOutcome           outcome,
                                                const char          *confirmation,
                                                const char          *error_text,
                                                const char          *screenshot_sha256);
void            jsw_queue_client_release       (JswQueueClient      *self,
                                                const char          *lease);
void            jsw_queue_client_let_go        (JswQueueClient      *self,
                                                const char          *lease);

G_END_DECLS
