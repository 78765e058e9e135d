/* jsw-pg-store-vault.c: the PostgreSQL store's sealed profiles and resumes
 *
 * The rows hold what jsw-vault.c sealed; nothing here can read them. They
 * travel as bytea's hex text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

static char *
bytea_hex (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *hex = g_string_sized_new (2 + size * 2);

  g_string_append (hex, "\\x");
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

gboolean
jsw_pg_store_vault_put (JswStore    *store,
                        const char  *user_id,
                        const char  *kind,
                        GBytes      *sealed,
                        gint64       now,
                        GError     **error)
{
  g_autofree char *hex = bytea_hex (sealed);
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, kind);
  jsw_pg_params_text (&p, hex);
  jsw_pg_params_int (&p, now);
  return jsw_pg_store_run (JSW_PG_STORE (store),
                           "INSERT INTO vault (user_id, kind, sealed, updated_at) VALUES ($1, $2, $3::bytea, $4)"
                           " ON CONFLICT (user_id, kind) DO UPDATE SET sealed = excluded.sealed,"
                           "  updated_at = excluded.updated_at",
                           &p, NULL, error);
}

GBytes *
jsw_pg_store_vault_get (JswStore    *store,
                        const char  *user_id,
                        const char  *kind,
                        gint64      *updated_at,
                        GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };
  unsigned char *data;
  size_t size;
  GBytes *sealed;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, kind);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT sealed, updated_at FROM vault WHERE user_id = $1 AND kind = $2",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("Nothing of this kind is kept on the server"));
      return NULL;
    }
  data = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, 0, 0), &size);
  if (data == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "database: cannot read a bytea");
      return NULL;
    }
  sealed = g_bytes_new (data, size);
  PQfreemem (data);
  *updated_at = jsw_pg_int (result, 0, 1);
  return sealed;
}

gboolean
jsw_pg_store_vault_delete (JswStore    *store,
                           const char  *user_id,
                           const char  *kind,
                           GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, kind);
  return jsw_pg_store_run (JSW_PG_STORE (store), "DELETE FROM vault WHERE user_id = $1 AND kind = $2",
                           &p, NULL, error);
}
