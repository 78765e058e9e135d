/* jsw-sqlite.h: a small SQLite wrapper shared by the server's store and
 * the app's cache
 *
 * One JswSqlite is one connection, used by one thread at a time (it is
 * opened without SQLite's own mutex). It keeps its prepared statements,
 * maps SQLite's failures to GError, and runs a transaction as a guard that
 * rolls back unless committed:
 *
 *   g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (db, error);
 *
 *   if (tx == NULL || !do_the_writes (db, error))
 *     return FALSE;                          (rolled back here)
 *   return jsw_sqlite_transaction_commit (tx, error);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _JswSqlite JswSqlite;
typedef struct _JswSqliteTransaction JswSqliteTransaction;

JswSqlite    *jsw_sqlite_open          (const char    *path,
                                        int            busy_timeout_ms,
                                        const char    *pragmas,
                                        GError       **error);
void          jsw_sqlite_close         (JswSqlite     *self);
sqlite3      *jsw_sqlite_get_handle    (JswSqlite     *self);

gboolean      jsw_sqlite_set_error     (JswSqlite     *self,
                                        int            rc,
                                        GError       **error);
gboolean      jsw_sqlite_exec          (JswSqlite     *self,
                                        const char    *sql,
                                        GError       **error);
sqlite3_stmt *jsw_sqlite_prepare       (JswSqlite     *self,
                                        const char    *sql,
                                        GError       **error);
void          jsw_sqlite_bind_text     (sqlite3_stmt  *stmt,
                                        int            index,
                                        const char    *value);
void          jsw_sqlite_bind_int      (sqlite3_stmt  *stmt,
                                        int            index,
                                        gint64         value);
gboolean      jsw_sqlite_step_done     (JswSqlite     *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gboolean      jsw_sqlite_step_row      (JswSqlite     *self,
                                        sqlite3_stmt  *stmt,
                                        gboolean      *has_row,
                                        GError       **error);
gboolean      jsw_sqlite_step_one      (JswSqlite     *self,
                                        sqlite3_stmt  *stmt,
                                        int            missing_code,
                                        const char    *missing_message,
                                        GError       **error);
gboolean      jsw_sqlite_step_int      (JswSqlite     *self,
                                        sqlite3_stmt  *stmt,
                                        gint64        *value,
                                        GError       **error);
const char   *jsw_sqlite_column_text   (sqlite3_stmt  *stmt,
                                        int            column);
gint64        jsw_sqlite_changes       (JswSqlite     *self);

JswSqliteTransaction *jsw_sqlite_begin_write (JswSqlite             *self,
                                              GError               **error);
JswSqliteTransaction *jsw_sqlite_begin_read  (JswSqlite             *self,
                                              GError               **error);
void                  jsw_sqlite_transaction_forget_on_rollback
                                             (JswSqliteTransaction  *tx,
                                              GPtrArray             *array);
gboolean              jsw_sqlite_transaction_commit
                                             (JswSqliteTransaction  *tx,
                                              GError               **error);
void                  jsw_sqlite_transaction_free
                                             (JswSqliteTransaction  *tx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswSqlite, jsw_sqlite_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswSqliteTransaction, jsw_sqlite_transaction_free)

G_END_DECLS
