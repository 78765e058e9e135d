/* jsw-pg-listener.h: hears the changes other processes announce with NOTIFY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_PG_LISTENER (jsw_pg_listener_get_type ())

G_DECLARE_FINAL_TYPE (JswPgListener, jsw_pg_listener, JSW, PG_LISTENER, GObject)

JswPgListener *jsw_pg_listener_new   (const char           *url,
                                      const char           *origin,
                                      JswStoreChangesFunc   func,
                                      gpointer              user_data);
gboolean       jsw_pg_listener_start (JswPgListener        *self,
                                      GError              **error);

G_END_DECLS
