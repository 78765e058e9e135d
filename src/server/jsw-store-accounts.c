/* jsw-store-accounts.c: the store's users, tokens and execution mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

void
jsw_account_free (JswAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->user_id);
  g_free (account->email);
  g_free (account->plan);
  g_free (account->subscription_status);
  g_free (account);
}

char *
jsw_store_create_user (JswStore *self,
                       const char *email,
                       const char *plan,
                       const char *password_hash,
                       gint64 now,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->create_user (self, email, plan, password_hash, now, error);
}

char *
jsw_store_find_user (JswStore *self,
                     const char *email,
                     char **password_hash,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->find_user (self, email, password_hash, error);
}

gboolean
jsw_store_add_token (JswStore *self,
                     const char *token_hash,
                     const char *user_id,
                     JswKind kind,
                     const char *device,
                     gint64 now,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->add_token (self, token_hash, user_id, kind, device, now, error);
}

JswAuth *
jsw_store_lookup_token (JswStore *self,
                        const char *token_hash,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->lookup_token (self, token_hash, error);
}

JswAccount *
jsw_store_get_account (JswStore *self,
                       const char *user_id,
                       gint64 now,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_account (self, user_id, now, error);
}

gboolean
jsw_store_set_execution_mode (JswStore *self,
                              const char *user_id,
                              JswExecutionMode mode,
                              GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_execution_mode (self, user_id, mode, error);
}
