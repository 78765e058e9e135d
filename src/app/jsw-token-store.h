/* jsw-token-store.h: where the device token lives
 *
 * Never in a plain file. On Linux that is the Secret Service (libsecret,
 * which GNOME Keyring and KWallet provide, and the secrets portal inside
 * Flatpak); another platform brings another backend behind these four
 * functions (the macOS Keychain, say).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  jsw_token_store_save   (const char  *server_url,
                                  const char  *token,
                                  GError     **error);
char     *jsw_token_store_lookup (const char  *server_url,
                                  GError     **error);
gboolean  jsw_token_store_clear  (const char  *server_url,
                                  GError     **error);

G_END_DECLS
