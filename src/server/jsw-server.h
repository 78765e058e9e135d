/* jsw-server.h: the queue server: REST endpoints and the push stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-feed-syncer.h"
#include "jsw-server-config.h"
#include "jsw-store.h"
#include "jsw-vault.h"

G_BEGIN_DECLS

#define JSW_TYPE_SERVER (jsw_server_get_type ())

G_DECLARE_FINAL_TYPE (JswServer, jsw_server, JSW, SERVER, GObject)

JswServer *jsw_server_new             (JswStore               *store,
                                       const JswServerConfig  *config);
void       jsw_server_set_vault       (JswServer              *self,
                                       JswVault               *vault);
gboolean   jsw_server_listen          (JswServer              *self,
                                       const char             *host,
                                       guint                   port,
                                       guint                  *bound_port,
                                       GError                **error);
void       jsw_server_set_feed_syncer (JswServer              *self,
                                       JswFeedSyncer          *syncer);
void       jsw_server_shutdown_async  (JswServer              *self,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
gboolean   jsw_server_shutdown_finish (JswServer              *self,
                                       GAsyncResult           *result,
                                       GError                **error);

G_END_DECLS
