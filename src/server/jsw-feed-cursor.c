/* jsw-feed-cursor.c: the feed's cursors, signed for one person
 *
 * A cursor is the place of the last posting of a page in the feed's order
 * and the version of the search it was made under, and it is opaque to
 * clients. It is signed with libsodium's crypto_auth (HMAC-SHA-512-256)
 * under a secret of the server's kept in the database (every server
 * process on it shares the secret), over the person's user id and the
 * place: a cursor the server did not make, one altered in any byte, and
 * another person's are all refused alike, before the store is asked
 * anything. (Unsigned, a forged place was taken as it came and answered
 * with an empty page or another part of the feed.)
 *
 * The form: base64url("jf2.UPDATED_AT.TIER.SORT_AT.POSTING_ID") "."
 * base64url(tag), without padding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "jsw-feed-cursor.h"

#define CURSOR_PREFIX    "jf2"
#define SECRET_NAME      "feed-cursor"
#define MAX_CURSOR_BYTES 256

G_STATIC_ASSERT (crypto_auth_KEYBYTES == 32);

/**
 * jsw_feed_cursor_key:
 *
 * The key cursors are signed with: the store's secret of that name, made
 * here from 32 random bytes when the database has none yet (of server
 * processes starting at once, the first to store its own wins and the
 * others read it).
 *
 * Returns: (transfer full): crypto_auth_KEYBYTES bytes, or %NULL
 */
GBytes *
jsw_feed_cursor_key (JswStore  *store,
                     GError   **error)
{
  guchar candidate[crypto_auth_KEYBYTES];
  g_autofree char *candidate_text = NULL;
  g_autofree char *secret = NULL;
  g_autofree guchar *key = NULL;
  gsize length;

  crypto_auth_keygen (candidate);
  candidate_text = g_base64_encode (candidate, sizeof candidate);
  sodium_memzero (candidate, sizeof candidate);
  secret = jsw_store_server_secret (store, SECRET_NAME, candidate_text, error);
  if (secret == NULL)
    return NULL;
  key = g_base64_decode (secret, &length);
  if (length != crypto_auth_KEYBYTES)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "The stored secret “%s” is not %d bytes",
                   SECRET_NAME, crypto_auth_KEYBYTES);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&key), length);
}

static void
sign (const char    *place,
      GBytes        *key,
      const char    *user_id,
      unsigned char  tag[crypto_auth_BYTES])
{
  g_autofree char *message = g_strconcat (user_id, "\n", place, NULL);

  g_return_if_fail (g_bytes_get_size (key) == crypto_auth_KEYBYTES);
  crypto_auth (tag, (const guchar *) message, strlen (message), g_bytes_get_data (key, NULL));
}

static gboolean
verify (const char          *place,
        GBytes              *key,
        const char          *user_id,
        const unsigned char *tag)
{
  g_autofree char *message = g_strconcat (user_id, "\n", place, NULL);

  return crypto_auth_verify (tag, (const guchar *) message, strlen (message), g_bytes_get_data (key, NULL)) == 0;
}

/* base64url without padding: it goes into a query string as it is. */
static char *
encode_base64url (const guchar *data,
                  gsize         length)
{
  char *encoded = g_base64_encode (data, length);

  for (char *p = encoded; *p != '\0'; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  g_strdelimit (encoded, "=", '\0');
  return encoded;
}

static guchar *
decode_base64url (const char *encoded,
                  gsize      *length)
{
  gsize n = strlen (encoded);
  g_autofree char *padded = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *again = NULL;

  if (n == 0 || n % 4 == 1)
    return NULL;
  for (const char *p = encoded; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;
  padded = g_strnfill (n + (4 - n % 4) % 4, '=');
  memcpy (padded, encoded, n);
  for (char *p = padded; *p != '\0'; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  decoded = g_base64_decode (padded, length);
  /* Only the text this server writes: the last character's unused bits
   * are ignored by the decoder, so another text would decode alike. */
  again = encode_base64url (decoded, *length);
  if (!g_str_equal (again, encoded))
    return NULL;
  return g_steal_pointer (&decoded);
}

/**
 * jsw_feed_cursor_encode:
 * @key: jsw_feed_cursor_key()'s
 * @user_id: whose feed it pages; only they can use it
 *
 * Returns: (transfer full): the cursor, as `next_cursor` gives it
 */
char *
jsw_feed_cursor_encode (const JswFeedCursor *cursor,
                        GBytes              *key,
                        const char          *user_id)
{
  g_autofree char *place = g_strdup_printf (CURSOR_PREFIX ".%" G_GINT64_FORMAT ".%d.%" G_GINT64_FORMAT
                                            ".%" G_GINT64_FORMAT,
                                            cursor->updated_at, cursor->tier, cursor->sort_at, cursor->posting_id);
  unsigned char tag[crypto_auth_BYTES];
  g_autofree char *place_text = NULL;
  g_autofree char *tag_text = NULL;

  sign (place, key, user_id, tag);
  place_text = encode_base64url ((const guchar *) place, strlen (place));
  tag_text = encode_base64url (tag, sizeof tag);
  return g_strconcat (place_text, ".", tag_text, NULL);
}

static gboolean
parse_int64 (const char *text,
             gint64     *value)
{
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

/**
 * jsw_feed_cursor_decode:
 * @encoded: a cursor as a client sent it back
 * @cursor: (out): the place it names
 *
 * Returns: whether @encoded is a cursor this server made for @user_id
 *   (signed with @key), unchanged
 */
gboolean
jsw_feed_cursor_decode (const char    *encoded,
                        GBytes        *key,
                        const char    *user_id,
                        JswFeedCursor *cursor)
{
  g_auto(GStrv) halves = NULL;
  g_autofree guchar *place_bytes = NULL;
  g_autofree guchar *tag = NULL;
  g_autofree char *place = NULL;
  g_auto(GStrv) parts = NULL;
  gsize place_length, tag_length;
  gint64 tier;

  if (strlen (encoded) > MAX_CURSOR_BYTES)
    return FALSE;
  halves = g_strsplit (encoded, ".", -1);
  if (g_strv_length (halves) != 2 ||
      (place_bytes = decode_base64url (halves[0], &place_length)) == NULL ||
      (tag = decode_base64url (halves[1], &tag_length)) == NULL || tag_length != crypto_auth_BYTES)
    return FALSE;
  place = g_strndup ((const char *) place_bytes, place_length);
  /* A NUL inside would sign one text and parse a shorter one. */
  if (strlen (place) != place_length || !verify (place, key, user_id, tag))
    return FALSE;

  parts = g_strsplit (place, ".", -1);
  if (g_strv_length (parts) != 5 || !g_str_equal (parts[0], CURSOR_PREFIX) ||
      !parse_int64 (parts[1], &cursor->updated_at) || !parse_int64 (parts[2], &tier) ||
      !parse_int64 (parts[3], &cursor->sort_at) || !parse_int64 (parts[4], &cursor->posting_id) ||
      (tier != 0 && tier != 1))
    return FALSE;
  cursor->tier = (int) tier;
  return TRUE;
}
