/* jsw-server.h: the queue server: REST endpoints and the push stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-acceptor.h"
#include "jsw-metrics.h"
#include "jsw-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64 lease_ttl_s;        /* PROTOCOL.md: 60 */
  gint64 heartbeat_s;        /* PROTOCOL.md: 20 */
  guint  ping_interval_s;    /* PROTOCOL.md: 25 */
  guint  sweep_interval_ms;  /* how often expired leases are looked for */
  gint64 events_kept;        /* per channel, for resuming with `since` */
  gint64 events_bytes_kept;  /* per channel, bytes of stored event text */
  guint64 send_budget;       /* bytes a stream may have waiting for its client */
  JswAcceptorLimits connections;
} JswServerConfig;

void jsw_server_config_init_defaults (JswServerConfig *config);

#define JSW_TYPE_SERVER (jsw_server_get_type ())

G_DECLARE_FINAL_TYPE (JswServer, jsw_server, JSW, SERVER, GObject)

/* The largest request body accepted (PROTOCOL.md: over 1 MiB gets 413). */
#define JSW_MAX_BODY_SIZE (1024 * 1024)

JswServer             *jsw_server_new          (JswStore               *store,
                                                const JswServerConfig  *config);
gboolean               jsw_server_listen       (JswServer              *self,
                                                const char             *host,
                                                guint                   port,
                                                guint                  *bound_port,
                                                GError                **error);
void                   jsw_server_shutdown     (JswServer              *self,
                                                GCallback               done,
                                                gpointer                user_data);
JswStore              *jsw_server_get_store    (JswServer              *self);
JswMetrics            *jsw_server_get_metrics  (JswServer              *self);
const JswServerConfig *jsw_server_get_config   (JswServer              *self);
void                   jsw_server_publish      (JswServer              *self,
                                                GPtrArray              *events);
void                   jsw_server_subscribe    (JswServer              *self,
                                                const char             *channel,
                                                gpointer                connection);

G_END_DECLS
