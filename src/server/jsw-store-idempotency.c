/* jsw-store-idempotency.c: the store's Idempotency-Key answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

/**
 * jsw_store_idempotency_get:
 * @now: wall-clock time, µs: answers older than JSW_IDEMPOTENCY_TTL are
 *   not found
 * @body: (out) (transfer full): the stored answer, %NULL when there is none
 * @request_sha256: (out) (transfer full): the hex SHA-256 of the request
 *   the key was first used with; %NULL for answers kept before it was
 */
gboolean
jsw_store_idempotency_get (JswStore *self,
                           const char *user_id,
                           const char *key,
                           gint64 now,
                           guint *status,
                           char **body,
                           char **request_sha256,
                           GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_get (self, user_id, key, now, status, body,
                                                      request_sha256, error);
}

/**
 * jsw_store_idempotency_put:
 * @body: the answer's body; when @entry_id is given, the entry's JSON
 *   without its snapshot (jsw_entry_to_json_without_snapshot()), and the
 *   answer is {"entry": ENTRY} with the snapshot the entry has
 * @entry_id: (nullable): the entry the answer is
 * @request_sha256: the hex SHA-256 of the request's body
 *
 * Keeps an answer for JSW_IDEMPOTENCY_TTL, and at most
 * JSW_IDEMPOTENCY_KEPT_PER_USER of a user's (the oldest go first). An
 * expired answer under the same key is replaced.
 */
gboolean
jsw_store_idempotency_put (JswStore *self,
                           const char *user_id,
                           const char *key,
                           const char *request_sha256,
                           guint status,
                           const char *body,
                           const char *entry_id,
                           gint64 now,
                           GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_put (self, user_id, key, request_sha256, status, body,
                                                      entry_id, now, error);
}

/* Forgets every answer older than JSW_IDEMPOTENCY_TTL. */
gboolean
jsw_store_idempotency_expire (JswStore *self,
                              gint64 now,
                              GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_expire (self, now, error);
}
