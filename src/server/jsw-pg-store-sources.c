/* jsw-pg-store-sources.c: the PostgreSQL store's job sources
 *
 * Only read so far (for /metrics): adding sources and syncing their
 * postings are not supported on PostgreSQL yet (jsw-pg-store-unsupported.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-pg-store-private.h"

GPtrArray *
jsw_pg_store_list_sources (JswStore  *store,
                           GError   **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_source_free);
  g_autoptr(PGresult) result = NULL;

  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT s.id, s.kind, s.board, s.company, s.base_url, s.etag, s.last_modified,"
                              " s.last_sync_at, s.last_success_at, s.last_error, s.failures,"
                              " (SELECT count(*) FROM postings p WHERE p.source_id = s.id AND p.open)"
                              " FROM sources s ORDER BY s.id",
                              NULL, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswSource *source = g_new0 (JswSource, 1);

      source->id = jsw_pg_int (result, row, 0);
      source->kind = g_strdup (jsw_pg_text (result, row, 1));
      source->board = g_strdup (jsw_pg_text (result, row, 2));
      source->company = g_strdup (jsw_pg_text (result, row, 3));
      source->base_url = g_strdup (jsw_pg_text (result, row, 4));
      source->etag = g_strdup (jsw_pg_text (result, row, 5));
      source->last_modified = g_strdup (jsw_pg_text (result, row, 6));
      source->last_sync_at = jsw_pg_int (result, row, 7);
      source->last_success_at = jsw_pg_int (result, row, 8);
      source->last_error = g_strdup (jsw_pg_text (result, row, 9));
      source->failures = jsw_pg_int (result, row, 10);
      source->open_postings = jsw_pg_int (result, row, 11);
      g_ptr_array_add (sources, source);
    }
  return g_steal_pointer (&sources);
}
