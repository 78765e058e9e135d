/* jsw-pg-store-accounts.c: the PostgreSQL store's users, tokens and execution modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

typedef struct {
  const char *email;
  const char *plan;
  const char *password_hash;
  gint64      now;
  char       *user_id;
} CreateUser;

static gboolean
create_user_in_tx (JswPgStore  *self,
                   gpointer     data,
                   GPtrArray   *events,
                   GError     **error)
{
  CreateUser *call = data;
  JswPgParams p = { 0 };
  gint64 found;

  jsw_pg_params_text (&p, call->plan);
  found = jsw_pg_store_int (self, "SELECT 1 FROM plans WHERE name = $1", &p, 0, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("There is no plan “%s”"), call->plan);
      return FALSE;
    }

  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, call->email);
  found = jsw_pg_store_int (self, "SELECT 1 FROM users WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")",
                            &p, 0, error);
  if (found < 0)
    return FALSE;
  if (found == 1)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT, _("A user with the e-mail address “%s” exists already"),
                   call->email);
      return FALSE;
    }

  g_free (call->user_id);
  call->user_id = jsw_pg_store_random_id ("u_");
  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_text (&p, call->email);
  jsw_pg_params_text (&p, call->password_hash);
  jsw_pg_params_int (&p, call->now);
  if (!jsw_pg_store_run (self, "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)",
                         &p, NULL, error))
    return FALSE;

  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_text (&p, call->plan);
  jsw_pg_params_int (&p, call->now);
  return jsw_pg_store_run (self, "INSERT INTO subscriptions (user_id, plan, status, updated_at) VALUES ($1, $2, 'active', $3)",
                           &p, NULL, error);
}

char *
jsw_pg_store_create_user (JswStore    *store,
                          const char  *email,
                          const char  *plan,
                          const char  *password_hash,
                          gint64       now,
                          GError     **error)
{
  CreateUser call = { email, plan, password_hash, now, NULL };

  if (!jsw_pg_store_transact (JSW_PG_STORE (store), create_user_in_tx, &call, NULL, error))
    {
      g_free (call.user_id);
      return NULL;
    }
  return call.user_id;
}

char *
jsw_pg_store_find_user (JswStore    *store,
                        const char  *email,
                        char       **password_hash,
                        GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_text (&p, email);
  result = jsw_pg_store_exec (self, "SELECT id, password_hash FROM users"
                                    " WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no user with the e-mail address “%s”"), email);
      return NULL;
    }
  if (password_hash != NULL)
    *password_hash = g_strdup (jsw_pg_text (result, 0, 1));
  return g_strdup (jsw_pg_text (result, 0, 0));
}

gboolean
jsw_pg_store_add_token (JswStore    *store,
                        const char  *token_hash,
                        const char  *user_id,
                        JswKind      kind,
                        const char  *device,
                        gint64       now,
                        GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, token_hash);
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, jsw_kind_to_string (kind));
  jsw_pg_params_text (&p, device);
  jsw_pg_params_int (&p, now);
  return jsw_pg_store_run (JSW_PG_STORE (store),
                           "INSERT INTO tokens (hash, user_id, kind, device, created_at) VALUES ($1, $2, $3, $4, $5)",
                           &p, NULL, error);
}

JswAuth *
jsw_pg_store_lookup_token (JswStore    *store,
                           const char  *token_hash,
                           GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;
  JswAuth *auth;

  jsw_pg_params_text (&p, token_hash);
  result = jsw_pg_store_exec (JSW_PG_STORE (store), "SELECT user_id, kind, device FROM tokens WHERE hash = $1",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_UNAUTHORIZED, _("The token is not valid"));
      return NULL;
    }
  auth = g_new0 (JswAuth, 1);
  auth->user_id = g_strdup (jsw_pg_text (result, 0, 0));
  jsw_kind_from_string (jsw_pg_text (result, 0, 1), &auth->kind);
  auth->device = g_strdup (jsw_pg_text (result, 0, 2));
  auth->token_hash = g_strdup (token_hash);
  return auth;
}

JswAccount *
jsw_pg_store_get_account (JswStore    *store,
                          const char  *user_id,
                          gint64       now,
                          GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autoptr(JswAccount) account = g_new0 (JswAccount, 1);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_int (&p, now);
  result = jsw_pg_store_exec (self, "SELECT u.email, u.execution_mode, " JSW_PG_PLAN_IN_FORCE ("$2") ", s.status,"
                                    " s.current_period_end, s.cancel_at_period_end, s.stripe_customer IS NOT NULL"
                                    " FROM users u JOIN subscriptions s ON s.user_id = u.id WHERE u.id = $1",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return NULL;
    }
  account->user_id = g_strdup (user_id);
  account->email = g_strdup (jsw_pg_text (result, 0, 0));
  jsw_execution_mode_from_string (jsw_pg_text (result, 0, 1), &account->execution_mode);
  account->plan = g_strdup (jsw_pg_text (result, 0, 2));
  account->subscription_status = g_strdup (jsw_pg_text (result, 0, 3));
  account->current_period_end = jsw_pg_int (result, 0, 4);
  account->cancel_at_period_end = g_strcmp0 (jsw_pg_text (result, 0, 5), "t") == 0;
  account->has_billing_customer = g_strcmp0 (jsw_pg_text (result, 0, 6), "t") == 0;

  if (!jsw_pg_store_load_limits (self, user_id, now, &account->limits, error) ||
      !jsw_pg_store_load_usage (self, user_id, now, account->usage, error))
    return NULL;

  return g_steal_pointer (&account);
}

gboolean
jsw_pg_store_set_execution_mode (JswStore          *store,
                                 const char        *user_id,
                                 JswExecutionMode   mode,
                                 GError           **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, jsw_execution_mode_to_string (mode));
  return jsw_pg_store_run (JSW_PG_STORE (store), "UPDATE users SET execution_mode = $2 WHERE id = $1",
                           &p, NULL, error);
}

