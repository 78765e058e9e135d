/* jsw-sqlite.c: a small SQLite wrapper shared by the server's store and
 * the app's cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-sqlite.h"

struct _JswSqlite
{
  sqlite3    *db;
  GHashTable *statements;  /* SQL literal (by address) -> sqlite3_stmt */
};

struct _JswSqliteTransaction
{
  JswSqlite *owner;
  gboolean   done;        /* committed: nothing to roll back */
  GPtrArray *forget;      /* truncated to forget_len on rollback */
  guint      forget_len;
};

/**
 * jsw_sqlite_open:
 * @path: the database file, created if missing (its folder must exist)
 * @busy_timeout_ms: how long a statement waits for another connection's
 *   lock before failing with SQLITE_BUSY, in milliseconds
 * @pragmas: (nullable): SQL run once the connection is open, e.g.
 *   "PRAGMA journal_mode = WAL;"
 *
 * Opens one connection, to be used by one thread at a time.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 *   (%JSW_ERROR_INTERNAL)
 */
JswSqlite *
jsw_sqlite_open (const char  *path,
                 int          busy_timeout_ms,
                 const char  *pragmas,
                 GError     **error)
{
  g_autoptr(JswSqlite) self = g_new0 (JswSqlite, 1);
  int rc;

  /* Keyed by the address of the SQL literal: every statement is a literal
   * at its caller, and hashing its text on every call is measurable. */
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, busy_timeout_ms);
  if (pragmas != NULL && !jsw_sqlite_exec (self, pragmas, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Finalizes the statements first: SQLite does not close a connection that
 * still has some. */
void
jsw_sqlite_close (JswSqlite *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self);
}

/* For what the wrapper does not cover (sqlite3_last_insert_rowid...). */
sqlite3 *
jsw_sqlite_get_handle (JswSqlite *self)
{
  return self->db;
}

/**
 * jsw_sqlite_set_error:
 * @rc: the SQLite result code that failed
 *
 * Sets @error to %JSW_ERROR_INTERNAL with SQLite's message: a database
 * failure is never the caller's fault (a 500, not a 400).
 *
 * Returns: %FALSE, to be returned by the caller
 */
gboolean
jsw_sqlite_set_error (JswSqlite  *self,
                      int         rc,
                      GError    **error)
{
  g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s (%d)",
               self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc), rc);
  return FALSE;
}

/* Runs @sql, which may hold several statements and no parameters (the
 * schema, pragmas). */
gboolean
jsw_sqlite_exec (JswSqlite   *self,
                 const char  *sql,
                 GError     **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s", errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_sqlite_prepare:
 * @sql: one statement, as a string literal: it is cached by its address,
 *   so a string built at run time would leak a statement per call
 *
 * Returns: (transfer none): the statement, reset and unbound, owned by
 *   @self; or %NULL with @error set
 */
sqlite3_stmt *
jsw_sqlite_prepare (JswSqlite   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      jsw_sqlite_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Binds @value, or NULL when @value is %NULL. */
void
jsw_sqlite_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
jsw_sqlite_bind_int (sqlite3_stmt *stmt,
                     int           index,
                     gint64        value)
{
  sqlite3_bind_int64 (stmt, index, value);
}

/* Runs a statement whose rows, if any, are not read; resets it. */
gboolean
jsw_sqlite_step_done (JswSqlite     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return jsw_sqlite_set_error (self, rc, error);
  return TRUE;
}

/* Steps once: TRUE with *@has_row set (the caller reads the row, then
 * resets the statement), or FALSE on error (the statement is reset). */
gboolean
jsw_sqlite_step_row (JswSqlite     *self,
                     sqlite3_stmt  *stmt,
                     gboolean      *has_row,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return jsw_sqlite_set_error (self, rc, error);
    }
  return TRUE;
}

/**
 * jsw_sqlite_step_one:
 * @missing_code: the #JswError when there is no row (%JSW_ERROR_NOT_FOUND...)
 * @missing_message: its message, translated
 *
 * Steps to the row @stmt must find (a user, a token, an entry).
 *
 * Returns: %TRUE with the row to read, then reset @stmt; %FALSE with
 *   @error set (SQLite's failure, or @missing_code when there is no row)
 *   and @stmt reset
 */
gboolean
jsw_sqlite_step_one (JswSqlite     *self,
                     sqlite3_stmt  *stmt,
                     int            missing_code,
                     const char    *missing_message,
                     GError       **error)
{
  gboolean has_row;

  if (!jsw_sqlite_step_row (self, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, missing_code, missing_message);
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_sqlite_step_int:
 * @value: (inout): set to the first column of the first row; left as it
 *   is when there is no row or the column is NULL, so it holds the default
 *
 * Reads one integer (a count, a max(), a pragma) and resets @stmt.
 *
 * Returns: %FALSE with @error set when SQLite fails
 */
gboolean
jsw_sqlite_step_int (JswSqlite     *self,
                     sqlite3_stmt  *stmt,
                     gint64        *value,
                     GError       **error)
{
  gboolean has_row;

  if (!jsw_sqlite_step_row (self, stmt, &has_row, error))
    return FALSE;
  if (has_row && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* (transfer none): valid until the statement steps or resets; %NULL for
 * NULL. */
const char *
jsw_sqlite_column_text (sqlite3_stmt *stmt,
                        int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Rows changed by the last INSERT, UPDATE or DELETE. */
gint64
jsw_sqlite_changes (JswSqlite *self)
{
  return sqlite3_changes64 (self->db);
}

/* Transactions */

static gboolean
run_cached (JswSqlite   *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self, sql, error);

  return stmt != NULL && jsw_sqlite_step_done (self, stmt, error);
}

static JswSqliteTransaction *
begin (JswSqlite   *self,
       const char  *sql,
       GError     **error)
{
  JswSqliteTransaction *tx;

  if (!run_cached (self, sql, error))
    return NULL;
  tx = g_new0 (JswSqliteTransaction, 1);
  tx->owner = self;
  return tx;
}

/**
 * jsw_sqlite_begin_write:
 *
 * Starts a write transaction (BEGIN IMMEDIATE): it takes the write lock
 * now, so two writers queue on the busy timeout instead of one failing
 * when it upgrades a read lock (SQLite's "deferred" default).
 *
 * Returns: (transfer full): the transaction, rolled back when freed unless
 *   jsw_sqlite_transaction_commit() succeeded; or %NULL with @error set
 */
JswSqliteTransaction *
jsw_sqlite_begin_write (JswSqlite  *self,
                        GError    **error)
{
  return begin (self, "BEGIN IMMEDIATE", error);
}

/**
 * jsw_sqlite_begin_read:
 *
 * Starts a deferred transaction, so that several reads see one snapshot.
 *
 * Returns: (transfer full): as jsw_sqlite_begin_write()
 */
JswSqliteTransaction *
jsw_sqlite_begin_read (JswSqlite  *self,
                       GError    **error)
{
  return begin (self, "BEGIN", error);
}

/**
 * jsw_sqlite_transaction_forget_on_rollback:
 * @array: what the transaction collects for after its commit (the store's
 *   events to publish); must outlive @tx
 *
 * On rollback, @array is cut back to its length of now: what was added to
 * it describes changes that did not happen.
 */
void
jsw_sqlite_transaction_forget_on_rollback (JswSqliteTransaction *tx,
                                           GPtrArray            *array)
{
  tx->forget = array;
  tx->forget_len = array != NULL ? array->len : 0;
}

/* Returns: %TRUE once committed; %FALSE with @error set, and the
 * transaction is rolled back when freed. */
gboolean
jsw_sqlite_transaction_commit (JswSqliteTransaction  *tx,
                               GError               **error)
{
  g_return_val_if_fail (!tx->done, FALSE);

  tx->done = run_cached (tx->owner, "COMMIT", error);
  return tx->done;
}

/* Rolls back unless committed. SQLite may have rolled back already (a
 * failed COMMIT, some I/O errors): then there is nothing left to undo. */
void
jsw_sqlite_transaction_free (JswSqliteTransaction *tx)
{
  if (tx == NULL)
    return;
  if (!tx->done)
    {
      if (!sqlite3_get_autocommit (tx->owner->db))
        run_cached (tx->owner, "ROLLBACK", NULL);
      if (tx->forget != NULL)
        g_ptr_array_set_size (tx->forget, tx->forget_len);
    }
  g_free (tx);
}
