/* jsw-pg-store-idempotency.c: the PostgreSQL store's Idempotency-Key answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-pg-store-private.h"

gboolean
jsw_pg_store_idempotency_get (JswStore    *store,
                              const char  *user_id,
                              const char  *key,
                              gint64       now,
                              guint       *status,
                              char       **body,
                              char       **request_sha256,
                              GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  *body = NULL;
  *request_sha256 = NULL;
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, key);
  jsw_pg_params_int (&p, now - JSW_IDEMPOTENCY_TTL);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT i.status, i.body, i.entry_id, n.snapshot, i.request_sha256"
                              " FROM idempotency i"
                              " LEFT JOIN entries n ON n.id = i.entry_id"
                              " WHERE i.user_id = $1 AND i.key = $2 AND i.created_at > $3",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  *status = (guint) jsw_pg_int (result, 0, 0);
  *request_sha256 = g_strdup (jsw_pg_text (result, 0, 4));
  if (jsw_pg_is_null (result, 0, 2))
    *body = g_strdup (jsw_pg_text (result, 0, 1));
  else
    {
      g_autofree char *entry = jsw_entry_json_add_snapshot (jsw_pg_text (result, 0, 1), jsw_pg_text (result, 0, 3));

      *body = g_strconcat ("{\"entry\":", entry, "}", NULL);
    }
  return TRUE;
}

typedef struct {
  const char *user_id;
  const char *key;
  const char *request_sha256;
  guint       status;
  const char *body;
  const char *entry_id;
  gint64      now;
} IdempotencyPut;

static gboolean
idempotency_put_in_tx (JswPgStore  *self,
                       gpointer     data,
                       GPtrArray   *events,
                       GError     **error)
{
  IdempotencyPut *call = data;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_text (&p, call->key);
  jsw_pg_params_int (&p, call->status);
  jsw_pg_params_text (&p, call->body ? call->body : "");
  jsw_pg_params_text (&p, call->entry_id);
  jsw_pg_params_int (&p, call->now);
  jsw_pg_params_int (&p, call->now - JSW_IDEMPOTENCY_TTL);
  jsw_pg_params_text (&p, call->request_sha256);
  if (!jsw_pg_store_run (self,
                         "INSERT INTO idempotency (user_id, key, status, body, entry_id, created_at, request_sha256)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $8)"
                         " ON CONFLICT (user_id, key) DO UPDATE SET status = excluded.status,"
                         "  body = excluded.body, entry_id = excluded.entry_id,"
                         "  created_at = excluded.created_at, request_sha256 = excluded.request_sha256"
                         " WHERE idempotency.created_at <= $7",
                         &p, NULL, error))
    return FALSE;

  /* A user's answers beyond the newest JSW_IDEMPOTENCY_KEPT_PER_USER. */
  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_int (&p, JSW_IDEMPOTENCY_KEPT_PER_USER);
  return jsw_pg_store_run (self,
                           "DELETE FROM idempotency WHERE user_id = $1 AND key IN ("
                           " SELECT key FROM idempotency WHERE user_id = $1"
                           " ORDER BY created_at DESC OFFSET $2)",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_idempotency_put (JswStore    *store,
                              const char  *user_id,
                              const char  *key,
                              const char  *request_sha256,
                              guint        status,
                              const char  *body,
                              const char  *entry_id,
                              gint64       now,
                              GError     **error)
{
  IdempotencyPut call = { user_id, key, request_sha256, status, body, entry_id, now };

  return jsw_pg_store_transact (JSW_PG_STORE (store), idempotency_put_in_tx, &call, NULL, error);
}

gboolean
jsw_pg_store_idempotency_expire (JswStore  *store,
                                 gint64     now,
                                 GError   **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, now - JSW_IDEMPOTENCY_TTL);
  return jsw_pg_store_run (JSW_PG_STORE (store), "DELETE FROM idempotency WHERE created_at <= $1", &p, NULL, error);
}
