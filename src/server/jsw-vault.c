/* jsw-vault.c: the operator's key, sealing what people keep on the server
 *
 * A person's profile and resume, kept so that a worker can apply while
 * their computer is off, are stored sealed with libsodium's secretbox
 * (XSalsa20-Poly1305) under a key the operator keeps in a file of its own
 * (32 random bytes in base64, as `head -c 32 /dev/urandom | base64` makes
 * it), never in the database: a copy of the database alone reveals no
 * profile and no resume.
 *
 * What is sealed starts with the owner and the kind ("jobswipe-vault-1",
 * user id, kind, each ended by a NUL), checked when opened, so a row moved
 * to another user or kind in the database does not open there.
 *
 * Sealed: a random nonce (24 bytes), then the box.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "jsw-common.h"
#include "jsw-vault.h"

#define MAGIC "jobswipe-vault-1"

struct _JswVault
{
  GObject        parent_instance;

  unsigned char *key;   /* crypto_secretbox_KEYBYTES, in sodium_malloc()'s guarded memory */
};

G_DEFINE_FINAL_TYPE (JswVault, jsw_vault, G_TYPE_OBJECT)

static void
jsw_vault_finalize (GObject *object)
{
  JswVault *self = (JswVault *) object;

  if (self->key != NULL)
    sodium_free (self->key);
  G_OBJECT_CLASS (jsw_vault_parent_class)->finalize (object);
}

static void
jsw_vault_class_init (JswVaultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_vault_finalize;
}

static void
jsw_vault_init (JswVault *self)
{
}

/**
 * jsw_vault_new_from_key_file:
 * @path: a file holding 32 bytes in base64 (white space around it is
 *   ignored)
 *
 * Returns: the vault, or NULL with @error when the file cannot be read or
 *   does not hold exactly 32 bytes in base64
 */
JswVault *
jsw_vault_new_from_key_file (const char  *path,
                             GError     **error)
{
  g_autoptr(JswVault) self = g_object_new (JSW_TYPE_VAULT, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  gsize key_length = 0;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "libsodium could not start");
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  g_strstrip (text);
  self->key = sodium_malloc (crypto_secretbox_KEYBYTES);
  if (sodium_base642bin (self->key, crypto_secretbox_KEYBYTES, text, strlen (text), NULL, &key_length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      key_length != crypto_secretbox_KEYBYTES)
    {
      sodium_memzero (text, length);
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("%s does not hold a profile key: 32 random bytes in base64, as “head -c 32 /dev/urandom | base64” makes"),
                   path);
      return NULL;
    }
  sodium_memzero (text, length);
  sodium_mprotect_readonly (self->key);
  return g_steal_pointer (&self);
}

static GByteArray *
header (const char *user_id,
        const char *kind)
{
  GByteArray *plain = g_byte_array_new ();

  g_byte_array_append (plain, (const guint8 *) MAGIC, sizeof MAGIC);
  g_byte_array_append (plain, (const guint8 *) user_id, strlen (user_id) + 1);
  g_byte_array_append (plain, (const guint8 *) kind, strlen (kind) + 1);
  return plain;
}

/* Returns: (transfer full): @plain sealed for @user_id's @kind */
GBytes *
jsw_vault_seal (JswVault   *self,
                const char *user_id,
                const char *kind,
                GBytes     *plain)
{
  g_autoptr(GByteArray) message = header (user_id, kind);
  gsize sealed_length;
  guint8 *sealed;

  g_byte_array_append (message, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  sealed_length = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + message->len;
  sealed = g_malloc (sealed_length);
  randombytes_buf (sealed, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (sealed + crypto_secretbox_NONCEBYTES, message->data, message->len, sealed, self->key);
  sodium_memzero (message->data, message->len);
  return g_bytes_new_take (sealed, sealed_length);
}

/**
 * jsw_vault_open:
 *
 * Returns: (transfer full): what jsw_vault_seal() sealed for @user_id's
 *   @kind; NULL with %JSW_ERROR_INTERNAL when @sealed was not sealed with
 *   this key, was altered, or belongs to another user or kind
 */
GBytes *
jsw_vault_open (JswVault    *self,
                const char  *user_id,
                const char  *kind,
                GBytes      *sealed,
                GError     **error)
{
  g_autoptr(GByteArray) expected = header (user_id, kind);
  gsize sealed_length;
  const guint8 *data = g_bytes_get_data (sealed, &sealed_length);
  gsize message_length;
  guint8 *message;
  GBytes *plain;

  if (sealed_length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + expected->len)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "a sealed record is too short");
      return NULL;
    }
  message_length = sealed_length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  message = g_malloc (message_length);
  if (crypto_secretbox_open_easy (message, data + crypto_secretbox_NONCEBYTES,
                                  sealed_length - crypto_secretbox_NONCEBYTES, data, self->key) != 0 ||
      memcmp (message, expected->data, expected->len) != 0)
    {
      g_free (message);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL,
                           "a sealed record does not open with this key for this user (another key file?)");
      return NULL;
    }
  plain = g_bytes_new (message + expected->len, message_length - expected->len);
  sodium_memzero (message, message_length);
  g_free (message);
  return plain;
}
