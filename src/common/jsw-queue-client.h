/* jsw-queue-client.h: a client's end of the stream, the desktop's and the worker's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-common.h"
#include "jsw-queue-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_QUEUE_CLIENT (jsw_queue_client_get_type ())

G_DECLARE_FINAL_TYPE (JswQueueClient, jsw_queue_client, JSW, QUEUE_CLIENT, GObject)

JswQueueClient *jsw_queue_client_new           (SoupSession         *session,
                                                const char          *server_url,
                                                const char          *token,
                                                const char          *device,
                                                JswQueueStore       *store);
void            jsw_queue_client_start         (JswQueueClient      *self);
void            jsw_queue_client_stop          (JswQueueClient      *self);
gboolean        jsw_queue_client_is_connected  (JswQueueClient      *self);
JswQueueStore  *jsw_queue_client_get_store     (JswQueueClient      *self);
void            jsw_queue_client_claim_async   (JswQueueClient      *self,
                                                const char          *entry_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char           *jsw_queue_client_claim_finish  (JswQueueClient      *self,
                                                GAsyncResult        *result,
                                                GError             **error);
gint64          jsw_queue_client_claim_retry_at (GAsyncResult       *result);
void            jsw_queue_client_progress      (JswQueueClient      *self,
                                                const char          *lease,
                                                int                  percent,
                                                JswStep              step,
                                                const char          *message);
void            jsw_queue_client_progress_confirmed_async  (JswQueueClient      *self,
                                                            const char          *lease,
                                                            int                  percent,
                                                            JswStep              step,
                                                            const char          *message,
                                                            guint                timeout_ms,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean        jsw_queue_client_progress_confirmed_finish (JswQueueClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
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
gboolean        jsw_queue_client_sends_linkedin_automatically (JswQueueClient *self,
                                                               const char     *lease);
void            jsw_queue_client_linkedin_stop_async  (JswQueueClient      *self,
                                                       const char          *reason,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        jsw_queue_client_linkedin_stop_finish (JswQueueClient      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
