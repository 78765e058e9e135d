/* jsw-vault.h: the operator's key, sealing what people keep on the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JSW_VAULT_PROFILE "profile"
#define JSW_VAULT_RESUME  "resume"

#define JSW_TYPE_VAULT (jsw_vault_get_type ())

G_DECLARE_FINAL_TYPE (JswVault, jsw_vault, JSW, VAULT, GObject)

JswVault *jsw_vault_new_from_key_file (const char  *path,
                                       GError     **error);
GBytes   *jsw_vault_seal              (JswVault    *self,
                                       const char  *user_id,
                                       const char  *kind,
                                       GBytes      *plain);
GBytes   *jsw_vault_open              (JswVault    *self,
                                       const char  *user_id,
                                       const char  *kind,
                                       GBytes      *sealed,
                                       GError     **error);

G_END_DECLS
