/* jsw-stream-connection.h: one client on /v1/stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-hub.h"
#include "jsw-metrics.h"
#include "jsw-server-config.h"
#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_STREAM_CONNECTION (jsw_stream_connection_get_type ())

G_DECLARE_FINAL_TYPE (JswStreamConnection, jsw_stream_connection, JSW, STREAM_CONNECTION, GObject)

/* The close code for a client that has not taken what it was sent: more
 * than the send budget waited for it. It reconnects and resumes with
 * `since` like after any other close. */
#define JSW_CLOSE_TOO_SLOW 4001

JswStreamConnection *jsw_stream_connection_new         (JswStore                *store,
                                                        JswMetrics              *metrics,
                                                        const JswServerConfig   *config,
                                                        JswHub                  *hub,
                                                        SoupWebsocketConnection *websocket,
                                                        GSocket                 *socket,
                                                        JswAuth                 *auth);
const char          *jsw_stream_connection_get_channel (JswStreamConnection     *self);
JswKind              jsw_stream_connection_get_kind    (JswStreamConnection     *self);
void                 jsw_stream_connection_send        (JswStreamConnection     *self,
                                                        const char              *text);
guint64              jsw_stream_connection_get_queued  (JswStreamConnection     *self);
void                 jsw_stream_connection_close       (JswStreamConnection     *self,
                                                        gushort                  code,
                                                        const char              *reason);
gboolean             jsw_stream_connection_is_open     (JswStreamConnection     *self);

G_END_DECLS
