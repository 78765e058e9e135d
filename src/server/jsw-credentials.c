/* jsw-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "jsw-credentials.h"
#include "jsw-error.h"

char *
jsw_token_generate (void)
{
  guint8 bytes[32];
  char encoded[sodium_base64_ENCODED_LEN (sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strconcat ("jsw_", encoded, NULL);
}

char *
jsw_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
jsw_password_hash (const char  *password,
                   GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Not enough memory to hash the password"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
jsw_password_verify (const char *hash,
                     const char *password)
{
  if (hash == NULL || *hash == '\0')
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* Verifying against this when the e-mail is unknown makes a wrong e-mail
 * take as long as a wrong password, so timing does not tell them apart. */
const char *
jsw_password_dummy_hash (void)
{
  static char *dummy;

  if (g_once_init_enter (&dummy))
    {
      char *hash = jsw_password_hash ("not a password of anyone", NULL);

      g_once_init_leave (&dummy, hash);
    }
  return dummy;
}
