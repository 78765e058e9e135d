/* jsw-sqlite-store-idempotency.c: the SQLite store's Idempotency-Key answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include "jsw-sqlite-store-private.h"

gboolean
jsw_sqlite_store_idempotency_get (JswStore    *store,
                                  const char  *user_id,
                                  const char  *key,
                                  gint64       now,
                                  guint       *status,
                                  char       **body,
                                  char       **request_sha256,
                                  GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT i.status, i.body, i.entry_id, n.snapshot, i.request_sha256"
                                           " FROM idempotency i"
                                           " LEFT JOIN entries n ON n.id = i.entry_id"
                                           " WHERE i.user_id = ?1 AND i.key = ?2 AND i.created_at > ?3",
                                           error);
  gboolean has_row;

  *body = NULL;
  *request_sha256 = NULL;
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, key);
  jsw_sqlite_bind_int (stmt, 3, now - JSW_IDEMPOTENCY_TTL);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      *status = sqlite3_column_int (stmt, 0);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        *request_sha256 = g_strdup (jsw_sqlite_column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
        *body = g_strdup (jsw_sqlite_column_text (stmt, 1));
      else
        {
          g_autofree char *entry = jsw_entry_json_add_snapshot (jsw_sqlite_column_text (stmt, 1),
                                                                jsw_sqlite_column_text (stmt, 3));

          *body = g_strconcat ("{\"entry\":", entry, "}", NULL);
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
jsw_sqlite_store_idempotency_put (JswStore    *store,
                                  const char  *user_id,
                                  const char  *key,
                                  const char  *request_sha256,
                                  guint        status,
                                  const char  *body,
                                  const char  *entry_id,
                                  gint64       now,
                                  GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO idempotency (user_id, key, status, body, entry_id, created_at,"
                                           "  request_sha256)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8)"
                                           " ON CONFLICT (user_id, key) DO UPDATE SET status = excluded.status,"
                                           "  body = excluded.body, entry_id = excluded.entry_id,"
                                           "  created_at = excluded.created_at, request_sha256 = excluded.request_sha256"
                                           " WHERE idempotency.created_at <= ?7",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, key);
  jsw_sqlite_bind_int (stmt, 3, status);
  jsw_sqlite_bind_text (stmt, 4, body ? body : "");
  jsw_sqlite_bind_text (stmt, 5, entry_id);
  jsw_sqlite_bind_int (stmt, 6, now);
  jsw_sqlite_bind_int (stmt, 7, now - JSW_IDEMPOTENCY_TTL);
  jsw_sqlite_bind_text (stmt, 8, request_sha256);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  /* A user's answers beyond the newest JSW_IDEMPOTENCY_KEPT_PER_USER. */
  stmt = jsw_sqlite_prepare (self->db,
                             "DELETE FROM idempotency WHERE user_id = ?1 AND key IN ("
                             " SELECT key FROM idempotency WHERE user_id = ?1"
                             " ORDER BY created_at DESC LIMIT -1 OFFSET ?2)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, JSW_IDEMPOTENCY_KEPT_PER_USER);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

gboolean
jsw_sqlite_store_idempotency_expire (JswStore  *store,
                                     gint64     now,
                                     GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "DELETE FROM idempotency WHERE created_at <= ?1", error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, now - JSW_IDEMPOTENCY_TTL);
  return jsw_sqlite_step_done (self->db, stmt, error);
}
