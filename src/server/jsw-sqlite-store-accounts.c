/* jsw-sqlite-store-accounts.c: the SQLite store's users, tokens and execution modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

char *
jsw_sqlite_store_create_user (JswStore    *store,
                              const char  *email,
                              const char  *plan,
                              const char  *password_hash,
                              gint64       now,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autofree char *user_id = jsw_sqlite_store_random_id ("u_");
  sqlite3_stmt *stmt;
  gboolean has_row;

  tx = jsw_sqlite_begin_write (self->db, error);
  if (tx == NULL)
    return NULL;

  stmt = jsw_sqlite_prepare (self->db, "SELECT 1 FROM plans WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, plan);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  sqlite3_reset (stmt);
  if (!has_row)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("There is no plan “%s”"), plan);
      return NULL;
    }

  stmt = jsw_sqlite_prepare (self->db, "SELECT 1 FROM users WHERE email = ?1", error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, email);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  sqlite3_reset (stmt);
  if (has_row)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT, _("A user with the e-mail address “%s” exists already"), email);
      return NULL;
    }

  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO users (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, email);
  jsw_sqlite_bind_text (stmt, 3, password_hash);
  jsw_sqlite_bind_int (stmt, 4, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;

  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO subscriptions (user_id, plan, status, updated_at) VALUES (?1, ?2, 'active', ?3)",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, plan);
  jsw_sqlite_bind_int (stmt, 3, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error) || !jsw_sqlite_transaction_commit (tx, error))
    return NULL;

  return g_steal_pointer (&user_id);
}

char *
jsw_sqlite_store_find_user (JswStore    *store,
                            const char  *email,
                            char       **password_hash,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT id, password_hash FROM users WHERE email = ?1", error);
  char *user_id;
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, email);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no user with the e-mail address “%s”"), email);
      return NULL;
    }
  user_id = g_strdup (jsw_sqlite_column_text (stmt, 0));
  if (password_hash != NULL)
    *password_hash = g_strdup (jsw_sqlite_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return user_id;
}

gboolean
jsw_sqlite_store_add_token (JswStore    *store,
                            const char  *token_hash,
                            const char  *user_id,
                            JswKind      kind,
                            const char  *device,
                            gint64       now,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO tokens (hash, user_id, kind, device, created_at)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, token_hash);
  jsw_sqlite_bind_text (stmt, 2, user_id);
  jsw_sqlite_bind_text (stmt, 3, jsw_kind_to_string (kind));
  jsw_sqlite_bind_text (stmt, 4, device);
  jsw_sqlite_bind_int (stmt, 5, now);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

JswAuth *
jsw_sqlite_store_lookup_token (JswStore    *store,
                               const char  *token_hash,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT user_id, kind, device FROM tokens WHERE hash = ?1", error);
  JswAuth *auth;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, token_hash);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_UNAUTHORIZED,
                            _("The token is not valid"), error))
    return NULL;
  auth = g_new0 (JswAuth, 1);
  auth->user_id = g_strdup (jsw_sqlite_column_text (stmt, 0));
  jsw_kind_from_string (jsw_sqlite_column_text (stmt, 1), &auth->kind);
  auth->device = g_strdup (jsw_sqlite_column_text (stmt, 2));
  auth->token_hash = g_strdup (token_hash);
  sqlite3_reset (stmt);
  return auth;
}

JswAccount *
jsw_sqlite_store_get_account (JswStore    *store,
                              const char  *user_id,
                              gint64       now,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswAccount) account = g_new0 (JswAccount, 1);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT u.email, u.execution_mode, "
                                           JSW_SQLITE_PLAN_IN_FORCE ("?2") ", s.status,"
                                           " s.current_period_end, s.cancel_at_period_end,"
                                           " s.stripe_customer IS NOT NULL"
                                           " FROM users u JOIN subscriptions s ON s.user_id = u.id WHERE u.id = ?1",
                                           error);

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, now);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_NOT_FOUND,
                            _("There is no such user"), error))
    return NULL;
  account->user_id = g_strdup (user_id);
  account->email = g_strdup (jsw_sqlite_column_text (stmt, 0));
  jsw_execution_mode_from_string (jsw_sqlite_column_text (stmt, 1), &account->execution_mode);
  account->plan = g_strdup (jsw_sqlite_column_text (stmt, 2));
  account->subscription_status = g_strdup (jsw_sqlite_column_text (stmt, 3));
  account->current_period_end = sqlite3_column_int64 (stmt, 4);
  account->cancel_at_period_end = sqlite3_column_int (stmt, 5) != 0;
  account->has_billing_customer = sqlite3_column_int (stmt, 6) != 0;
  sqlite3_reset (stmt);

  if (!jsw_sqlite_store_load_limits (self, user_id, now, &account->limits, error) ||
      !jsw_sqlite_store_load_usage (self, user_id, now, account->usage, error))
    return NULL;

  return g_steal_pointer (&account);
}

gboolean
jsw_sqlite_store_set_execution_mode (JswStore          *store,
                                     const char        *user_id,
                                     JswExecutionMode   mode,
                                     GError           **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "UPDATE users SET execution_mode = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, jsw_execution_mode_to_string (mode));
  return jsw_sqlite_step_done (self->db, stmt, error);
}

gboolean
jsw_sqlite_store_load_execution_mode (JswSqliteStore    *self,
                                      const char        *user_id,
                                      JswExecutionMode  *mode,
                                      GError           **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT execution_mode FROM users WHERE id = ?1", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  *mode = JSW_MODE_AUTO;
  if (has_row)
    jsw_execution_mode_from_string (jsw_sqlite_column_text (stmt, 0), mode);
  sqlite3_reset (stmt);
  return TRUE;
}
