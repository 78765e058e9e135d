/* jsw-server-config.h: the server's settings, given to each of its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jsw-acceptor.h"

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

/* The largest request body accepted (PROTOCOL.md: over 1 MiB gets 413). */
#define JSW_MAX_BODY_SIZE (1024 * 1024)

G_END_DECLS
