/* jsw-store.c: the store interface, and the values every part of it trades in
 *
 * The interface's calls are wrapped one file per concern, as the SQLite store
 * is split (jsw-sqlite-store-*.c): jsw-store-accounts.c, -plans.c,
 * -billing.c, -entries.c (entries and their leases), -events.c,
 * -idempotency.c, -vault.c and -feed.c. This file holds the interface
 * itself, what every part uses (tokens' owners, ids, channels) and whether
 * other processes share the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "jsw-store.h"

G_DEFINE_INTERFACE (JswStore, jsw_store, G_TYPE_OBJECT)

static void
jsw_store_default_init (JswStoreInterface *iface)
{
}

void
jsw_auth_free (JswAuth *auth)
{
  if (auth == NULL)
    return;
  g_free (auth->user_id);
  g_free (auth->device);
  g_free (auth->token_hash);
  g_free (auth);
}

/* The random part of ids and leases: 128 bits from libsodium (which the
 * store has initialised). */
char *
jsw_store_random_id (const char *prefix)
{
  guint8 bytes[16];
  char hex[sizeof bytes * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strconcat (prefix, hex, NULL);
}

char *
jsw_store_user_channel (const char *user_id)
{
  return g_strconcat ("u:", user_id, NULL);
}

/**
 * jsw_store_is_shared:
 *
 * Returns: whether other processes may change this store while this one
 *   runs (then jsw_store_watch() tells of their changes)
 */
gboolean
jsw_store_is_shared (JswStore *self)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->watch != NULL;
}

/**
 * jsw_store_watch:
 * @func: called on the main context with each batch of other processes'
 *   changes, as they are announced
 *
 * Starts listening for other processes' changes, until jsw_store_unwatch()
 * or the store goes away. A lost announcement is not retried: the caller
 * also reads what it missed (jsw_store_current_seqs()).
 *
 * Returns: %FALSE with @error set if listening could not start; %FALSE
 *   without an error on a store that is not shared
 */
gboolean
jsw_store_watch (JswStore             *self,
                 JswStoreChangesFunc   func,
                 gpointer              user_data,
                 GError              **error)
{
  JswStoreInterface *iface;

  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->watch == NULL)
    return FALSE;
  return iface->watch (self, func, user_data, error);
}

void
jsw_store_unwatch (JswStore *self)
{
  JswStoreInterface *iface;

  g_return_if_fail (JSW_IS_STORE (self));

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->unwatch != NULL)
    iface->unwatch (self);
}

/**
 * jsw_store_announce_account:
 * @user_id: the person whose account (plan, subscription) just changed,
 *   the change committed
 *
 * Tells the other processes sharing the store, so that they send the
 * person's streams an `account` frame (an event with seq 0 to their
 * watchers, jsw_store_watch()); this process's own streams are the
 * caller's to tell. Nothing on a store that is not shared. Like any
 * announcement it is not retried: a process that was not listening just
 * then does not hear it (the frame is not in the event log either).
 *
 * Returns: %FALSE with @error set if it could not be sent
 */
gboolean
jsw_store_announce_account (JswStore    *self,
                            const char  *user_id,
                            GError     **error)
{
  JswStoreInterface *iface;

  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->announce_account == NULL)
    return TRUE;
  return iface->announce_account (self, user_id, error);
}
