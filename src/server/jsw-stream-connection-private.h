/* jsw-stream-connection-private.h: what the files of JswStreamConnection
 * share (jsw-stream-connection.c: the protocol; -replay.c: what a client
 * missed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-stream-connection.h"

G_BEGIN_DECLS

struct _JswStreamConnection
{
  GObject                  parent_instance;

  JswStore                *store;
  JswMetrics              *metrics;
  JswHub                  *hub;
  JswServerConfig          config;
  SoupWebsocketConnection *websocket;
  GSocket                 *socket;     /* for what the client has received */
  JswAuth                 *auth;
  char                    *channel;
  char                    *device;
  char                    *cid;
  guint                    n_frames;
  guint                    hello_timeout_id;
  gboolean                 said_hello;
  gboolean                 subscribed;

  guint64                  handed;     /* bytes given to libsoup to send */
  guint64                  acked;      /* bytes the client's TCP acknowledged, when last asked */

  GHashTable              *leases;     /* claimed on this connection */

  gboolean                 replaying;
  gint64                   replayed_to; /* the seq sent up to, replayed or live */
  guint                    replay_id;
  gint64                   waiting_since;  /* monotonic µs the replay began to wait for the client, else 0 */
  guint64                  acked_when_waiting;
};

void jsw_stream_connection_send_error      (JswStreamConnection *self,
                                            const char          *cid,
                                            const char          *re,
                                            const GError        *error);
void jsw_stream_connection_close_too_slow  (JswStreamConnection *self);
void jsw_stream_connection_send_sync       (JswStreamConnection *self,
                                            gint64               seq,
                                            const char          *cid);
void jsw_stream_connection_schedule_replay (JswStreamConnection *self,
                                            gboolean             client_behind);

G_END_DECLS
