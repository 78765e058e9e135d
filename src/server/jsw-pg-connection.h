/* jsw-pg-connection.h: a connection to PostgreSQL as JobSwipe opens it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* The NOTIFY channel every change is announced on (jsw-pg-store-events.c,
 * jsw-pg-listener.c). */
#define JSW_PG_NOTIFY_CHANNEL "jobswipe"

PGconn *jsw_pg_connect (const char  *url,
                        GError     **error);

G_END_DECLS
