/* jsw-pg-store.h: the store on PostgreSQL, for several server processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_PG_STORE (jsw_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (JswPgStore, jsw_pg_store, JSW, PG_STORE, GObject)

JswStore   *jsw_pg_store_open    (const char  *url,
                                  GError     **error);
const char *jsw_pg_store_get_url (JswPgStore  *self);
void        jsw_pg_store_get_counts (JswPgStore *self,
                                     guint64    *round_trips,
                                     guint64    *statements);

G_END_DECLS
