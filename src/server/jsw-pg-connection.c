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
 * has: UTF-8, a lock wait bounded to 5 s so that no process's main loop
 * waits long on another's lock, and commits not waited for on disk
 * (unless JSW_PG_SYNC=full).
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
PGconn *
jsw_pg_connect (const char  *url,
                GError     **error)
{
  PGconn *conn = connect_to (url, error);
  g_autofree char *settings = NULL;
  PGresult *result;
  gboolean full;

  if (conn == NULL)
    return NULL;
  /* Durability as the SQLite store's (synchronous=NORMAL): a commit is in
   * the database when it is acknowledged, and survives this process's
   * death (kill -9), but it is not waited for on disk, so a power cut
   * (or PostgreSQL's own crash) can lose the last fraction of a second.
   * JSW_PG_SYNC=full waits for the disk on every commit. */
  full = g_strcmp0 (g_getenv ("JSW_PG_SYNC"), "full") == 0;
  settings = g_strdup_printf ("SET client_encoding = 'UTF8'; SET lock_timeout = '5s';"
                              " SET client_min_messages = 'warning'; SET synchronous_commit = %s",
                              full ? "on" : "off");
  result = PQexec (conn, settings);
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
