/* jsw-sqlite-store.h: the embedded default store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_SQLITE_STORE (jsw_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (JswSqliteStore, jsw_sqlite_store, JSW, SQLITE_STORE, GObject)

JswStore *jsw_sqlite_store_open         (const char  *path,
                                         GError     **error);
JswStore *jsw_sqlite_store_open_another (const char  *path,
                                         GError     **error);

G_END_DECLS
