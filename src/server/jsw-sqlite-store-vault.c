/* jsw-sqlite-store-vault.c: the SQLite store's sealed profiles and resumes
 *
 * The rows hold what jsw-vault.c sealed; nothing here can read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

gboolean
jsw_sqlite_store_vault_put (JswStore    *store,
                            const char  *user_id,
                            const char  *kind,
                            GBytes      *sealed,
                            gint64       now,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;
  gsize size;
  const void *data = g_bytes_get_data (sealed, &size);

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO vault (user_id, kind, sealed, updated_at) VALUES (?1, ?2, ?3, ?4)"
                             " ON CONFLICT (user_id, kind) DO UPDATE SET sealed = excluded.sealed,"
                             "  updated_at = excluded.updated_at",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, kind);
  sqlite3_bind_blob64 (stmt, 3, data, size, SQLITE_TRANSIENT);
  jsw_sqlite_bind_int (stmt, 4, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

GBytes *
jsw_sqlite_store_vault_get (JswStore    *store,
                            const char  *user_id,
                            const char  *kind,
                            gint64      *updated_at,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT sealed, updated_at FROM vault WHERE user_id = ?1 AND kind = ?2",
                                           error);
  gboolean has_row;
  GBytes *sealed;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, kind);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("Nothing of this kind is kept on the server"));
      return NULL;
    }
  sealed = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  *updated_at = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return sealed;
}

gboolean
jsw_sqlite_store_vault_delete (JswStore    *store,
                               const char  *user_id,
                               const char  *kind,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "DELETE FROM vault WHERE user_id = ?1 AND kind = ?2", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, kind);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}
