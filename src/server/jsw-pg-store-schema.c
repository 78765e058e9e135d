/* jsw-pg-store-schema.c: the PostgreSQL store's schema, migrated on open
 *
 * The migrations themselves are in jsw-pg-schema.h; this runs the ones a
 * database has not had yet, one transaction each, under an advisory lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-pg-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-schema.h"
#include "jsw-pg-store-private.h"

/* pg_advisory_lock()'s key for migrations: "JSW1" */
#define MIGRATION_LOCK "1246975793"

static gboolean
exec_script (JswPgStore  *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot update the database schema: %s"),
                   PQresultErrorMessage (result));
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_migrations (JswPgStore  *self,
                  GError     **error)
{
  gint64 version;

  if (!exec_script (self, "CREATE TABLE IF NOT EXISTS jsw_schema (version INTEGER NOT NULL);"
                          "INSERT INTO jsw_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM jsw_schema)", error))
    return FALSE;
  version = jsw_pg_store_int (self, "SELECT version FROM jsw_schema", NULL, 0, error);
  if (version < 0)
    return FALSE;
  if (version > (gint64) G_N_ELEMENTS (jsw_pg_migrations))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL,
                   _("The database was written by a newer version (schema %lld)"), (long long) version);
      return FALSE;
    }

  for (; version < (gint64) G_N_ELEMENTS (jsw_pg_migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("UPDATE jsw_schema SET version = %" G_GINT64_FORMAT,
                                                      version + 1);

      if (!exec_script (self, "BEGIN", error))
        return FALSE;
      if (!exec_script (self, jsw_pg_migrations[version], error) ||
          !exec_script (self, set_version, error) ||
          !exec_script (self, "COMMIT", error))
        {
          jsw_pg_store_roll_back (self);
          return FALSE;
        }
    }
  return TRUE;
}

/* Several processes may start at once: one migrates, the others wait for
 * the lock and then find the schema current. */
gboolean
jsw_pg_store_migrate (JswPgStore  *self,
                      GError     **error)
{
  gboolean migrated;

  if (!exec_script (self, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", error))
    return FALSE;
  migrated = apply_migrations (self, error);
  /* Session-level: released when the connection closes, if not here. */
  exec_script (self, "SELECT pg_advisory_unlock(" MIGRATION_LOCK ")", NULL);
  return migrated;
}

/* Several processes */
