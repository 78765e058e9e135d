/* jsw-credentials.h: tokens and passwords
 *
 * Tokens are 256 random bits, shown once and stored only as their SHA-256
 * (a token has far too much entropy for a slow hash to add anything).
 * Passwords are stored as Argon2id strings (libsodium).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *jsw_token_generate   (void);
char     *jsw_token_hash       (const char *token);
char     *jsw_password_hash    (const char *password,
                                GError    **error);
gboolean  jsw_password_verify  (const char *hash,
                                const char *password);
const char *jsw_password_dummy_hash (void);

G_END_DECLS
