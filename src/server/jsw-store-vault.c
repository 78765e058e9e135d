/* jsw-store-vault.c: the store's sealed profiles and resumes (issue 11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

/* Keeps @sealed as @user_id's @kind ("profile" or "resume"), replacing
 * what was kept. */
gboolean
jsw_store_vault_put (JswStore    *self,
                     const char  *user_id,
                     const char  *kind,
                     GBytes      *sealed,
                     gint64       now,
                     GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_put (self, user_id, kind, sealed, now, error);
}

/* Returns: (transfer full): what is kept, with when it was put in
 * *@updated_at; NULL with %JSW_ERROR_NOT_FOUND when nothing is. */
GBytes *
jsw_store_vault_get (JswStore    *self,
                     const char  *user_id,
                     const char  *kind,
                     gint64      *updated_at,
                     GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_get (self, user_id, kind, updated_at, error);
}

/* Forgets @user_id's @kind; TRUE also when nothing was kept. */
gboolean
jsw_store_vault_delete (JswStore    *self,
                        const char  *user_id,
                        const char  *kind,
                        GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_delete (self, user_id, kind, error);
}
