/* jsw-queue-client-private.h: what the stream client's parts share
 * (jsw-queue-client.c: the connection and the server's frames;
 * jsw-queue-client-leases.c: claims, heartbeats, progress, results, the
 * requests awaiting an answer; jsw-queue-client-linkedin.c: LinkedIn's
 * stops told to the server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-queue-client.h"

G_BEGIN_DECLS

struct _JswQueueClient
{
  GObject                  parent_instance;

  char                    *server_url;
  char                    *token;
  char                    *device;
  JswQueueStore           *store;

  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GCancellable            *connecting;
  gboolean                 running;
  gboolean                 welcomed;
  guint                    failures;
  guint                    reconnect_id;
  guint                    watchdog_id;
  gint64                   last_pong;
  gint64                   heartbeat_s;
  guint                    request_counter;
  GHashTable              *pending_claims;   /* request id -> awaited claim (_jsw_queue_client_pending_new()) */
  GHashTable              *pending_progress; /* request id -> awaited progress: its ack */
  GHashTable              *leases;           /* lease -> heartbeat source id */
  GHashTable              *linkedin_automatic; /* leases of LinkedIn entries the server let send automatically */
  gulong                   network_changed_id;
};

char *_jsw_queue_client_next_request_id (JswQueueClient *self,
                                         const char     *kind);
/* Sent when connected; dropped otherwise (the caller keeps what must
 * not be lost in the outbox). */
void  _jsw_queue_client_send_frame      (JswQueueClient *self,
                                         const char     *frame);

/* jsw-queue-client-leases.c: the requests awaiting an answer */
GHashTable *_jsw_queue_client_pending_new  (void);
GTask      *_jsw_queue_client_take_awaited (GHashTable *pending,
                                            const char *request_id);

G_END_DECLS
