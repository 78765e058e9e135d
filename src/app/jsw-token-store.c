/* jsw-token-store.c: the Secret Service backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "jsw-token-store.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.jobswipe.JobSwipe.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

gboolean
jsw_token_store_save (const char  *server_url,
                      const char  *token,
                      GError     **error)
{
  g_autofree char *label = g_strdup_printf (_("JobSwipe token for %s"), server_url);

  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL, error,
                                     "server", server_url, NULL);
}

char *
jsw_token_store_lookup (const char  *server_url,
                        GError     **error)
{
  char *secret = secret_password_lookup_sync (token_schema (), NULL, error, "server", server_url, NULL);
  char *token = g_strdup (secret);

  secret_password_free (secret);
  return token;
}

gboolean
jsw_token_store_clear (const char  *server_url,
                       GError     **error)
{
  return secret_password_clear_sync (token_schema (), NULL, error, "server", server_url, NULL);
}
