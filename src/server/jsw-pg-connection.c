/* jsw-pg-connection.c: a connection to PostgreSQL as JobSwipe opens it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "jsw-common.h"
#include "jsw-pg-connection.h"

static PGconn *
connect_to (const char  *url,
            GError     **error)
{
  /* Ours first: what the URL says wins (later keywords override). */
  static const char *const keywords[] = { "connect_timeout", "application_name", "dbname", NULL };
  /* pg_stat_activity tells the processes apart by it. */
  g_autofree char *name = g_strdup_printf ("jobswipe-server %d", (int) getpid ());
  const char *values[] = { "5", name, url, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, TRUE);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot connect to the database: %s"),
                   PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

/**
 * jsw_pg_connect:
 * @url: a libpq connection URI or string
 *
 * Opens a connection with the session settings every JobSwipe connection
 * has: UTF-8, and a lock wait bounded to 5 s so that no process's main
 * loop waits long on another's lock.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
PGconn *
jsw_pg_connect (const char  *url,
                GError     **error)
{
  PGconn *conn = connect_to (url, error);
  PGresult *result;

  if (conn == NULL)
    return NULL;
  result = PQexec (conn, "SET client_encoding = 'UTF8'; SET lock_timeout = '5s'; SET client_min_messages = 'warning'");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot set up the database connection: %s"),
                   PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return NULL;
    }
  PQclear (result);
  return conn;
}
