/* jsw-admin-sessions.c: the operator's signed-in browser sessions for /admin
 *
 * A session is 256 random bits (libsodium) handed to the browser in a
 * cookie; only its SHA-256 is kept, in memory, with its expiry. A server
 * restart signs the operator out. At most MAX_SESSIONS live at once: the
 * oldest goes first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "jsw-admin-sessions.h"

#define MAX_SESSIONS 64

struct _JswAdminSessions
{
  GObject     parent_instance;

  GHashTable *expiries;  /* SHA-256 hex of the session -> gint64* expiry (µs) */
};

G_DEFINE_FINAL_TYPE (JswAdminSessions, jsw_admin_sessions, G_TYPE_OBJECT)

static char *
session_hash (const char *session)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, session, -1);
}

static void
forget_expired (JswAdminSessions *self,
                gint64            now)
{
  GHashTableIter iter;
  gpointer expiry;
  const char *oldest = NULL;
  gint64 oldest_expiry = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->expiries);
  while (g_hash_table_iter_next (&iter, NULL, &expiry))
    if (*(gint64 *) expiry <= now)
      g_hash_table_iter_remove (&iter);

  if (g_hash_table_size (self->expiries) < MAX_SESSIONS)
    return;
  g_hash_table_iter_init (&iter, self->expiries);
  while (g_hash_table_iter_next (&iter, (gpointer *) &oldest, &expiry))
    if (*(gint64 *) expiry < oldest_expiry)
      oldest_expiry = *(gint64 *) expiry;
  g_hash_table_iter_init (&iter, self->expiries);
  while (g_hash_table_iter_next (&iter, NULL, &expiry))
    if (*(gint64 *) expiry == oldest_expiry)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

/**
 * jsw_admin_sessions_open:
 *
 * Returns: (transfer full): a new session, valid for
 *   %JSW_ADMIN_SESSION_TTL from @now: 64 hex characters
 */
char *
jsw_admin_sessions_open (JswAdminSessions *self,
                         gint64            now)
{
  guint8 bytes[32];
  char hex[sizeof bytes * 2 + 1];
  gint64 expiry = now + JSW_ADMIN_SESSION_TTL;

  forget_expired (self, now);
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  g_hash_table_insert (self->expiries, session_hash (hex), g_memdup2 (&expiry, sizeof expiry));
  return g_strdup (hex);
}

/* Whether @session (nullable) is open and not expired at @now. */
gboolean
jsw_admin_sessions_check (JswAdminSessions *self,
                          const char       *session,
                          gint64            now)
{
  g_autofree char *hash = NULL;
  gint64 *expiry;

  if (session == NULL || strlen (session) != 64)
    return FALSE;
  hash = session_hash (session);
  expiry = g_hash_table_lookup (self->expiries, hash);
  return expiry != NULL && *expiry > now;
}

void
jsw_admin_sessions_close (JswAdminSessions *self,
                          const char       *session)
{
  g_autofree char *hash = NULL;

  if (session == NULL)
    return;
  hash = session_hash (session);
  g_hash_table_remove (self->expiries, hash);
}

static void
jsw_admin_sessions_finalize (GObject *object)
{
  JswAdminSessions *self = (JswAdminSessions *) object;

  g_clear_pointer (&self->expiries, g_hash_table_unref);

  G_OBJECT_CLASS (jsw_admin_sessions_parent_class)->finalize (object);
}

static void
jsw_admin_sessions_class_init (JswAdminSessionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_admin_sessions_finalize;
}

static void
jsw_admin_sessions_init (JswAdminSessions *self)
{
  self->expiries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

JswAdminSessions *
jsw_admin_sessions_new (void)
{
  return g_object_new (JSW_TYPE_ADMIN_SESSIONS, NULL);
}
