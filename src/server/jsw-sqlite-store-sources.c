/* jsw-sqlite-store-sources.c: the SQLite store's job sources and the
 * postings synced from them (issue 12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-posting.h"
#include "jsw-sqlite-store-private.h"

#define SOURCE_COLUMNS \
  "s.id, s.kind, s.board, s.company, s.base_url, s.etag, s.last_modified, s.last_sync_at," \
  " s.last_success_at, s.last_error, s.failures," \
  " (SELECT count(*) FROM postings p WHERE p.source_id = s.id AND p.open = 1), s.next_sync_at"

gint64
jsw_sqlite_store_add_source (JswStore    *store,
                             const char  *kind,
                             const char  *board,
                             const char  *company,
                             const char  *base_url,
                             gint64       now,
                             GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 id;

  if (tx == NULL)
    return 0;
  stmt = jsw_sqlite_prepare (self->db, "SELECT id FROM sources WHERE kind = ?1 AND board = ?2", error);
  if (stmt == NULL)
    return 0;
  jsw_sqlite_bind_text (stmt, 1, kind);
  jsw_sqlite_bind_text (stmt, 2, board);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return 0;
  if (has_row)
    {
      id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("The %s board “%s” is a source already (id %" G_GINT64_FORMAT ")"), kind, board, id);
      return 0;
    }
  sqlite3_reset (stmt);

  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO sources (kind, board, company, base_url, created_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (stmt == NULL)
    return 0;
  jsw_sqlite_bind_text (stmt, 1, kind);
  jsw_sqlite_bind_text (stmt, 2, board);
  jsw_sqlite_bind_text (stmt, 3, company);
  jsw_sqlite_bind_text (stmt, 4, base_url);
  jsw_sqlite_bind_int (stmt, 5, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (jsw_sqlite_get_handle (self->db));
  if (!jsw_sqlite_transaction_commit (tx, error))
    return 0;
  return id;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup (jsw_sqlite_column_text (stmt, column));
}

GPtrArray *
jsw_sqlite_store_list_sources (JswStore  *store,
                               GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_source_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT " SOURCE_COLUMNS " FROM sources s ORDER BY s.id",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  for (;;)
    {
      JswSource *source;

      if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
        return NULL;
      if (!has_row)
        break;
      source = g_new0 (JswSource, 1);
      source->id = sqlite3_column_int64 (stmt, 0);
      source->kind = dup_column (stmt, 1);
      source->board = dup_column (stmt, 2);
      source->company = dup_column (stmt, 3);
      source->base_url = dup_column (stmt, 4);
      source->etag = dup_column (stmt, 5);
      source->last_modified = dup_column (stmt, 6);
      source->last_sync_at = sqlite3_column_int64 (stmt, 7);
      source->last_success_at = sqlite3_column_int64 (stmt, 8);
      source->last_error = dup_column (stmt, 9);
      source->failures = sqlite3_column_int64 (stmt, 10);
      source->open_postings = sqlite3_column_int64 (stmt, 11);
      source->next_sync_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (sources, source);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&sources);
}

gboolean
jsw_sqlite_store_remove_source (JswStore  *store,
                                gint64     source_id,
                                GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "DELETE FROM sources WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (jsw_sqlite_changes (self->db) == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no source %" G_GINT64_FORMAT), source_id);
      return FALSE;
    }
  /* Their left swipes go with them; entries keep their snapshots. */
  stmt = jsw_sqlite_prepare (self->db,
                             "DELETE FROM posting_left_swipes WHERE posting_id IN"
                             " (SELECT id FROM postings WHERE source_id = ?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "DELETE FROM postings WHERE source_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

GHashTable *
jsw_sqlite_store_posting_versions (JswStore  *store,
                                   gint64     source_id,
                                   GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT job_id, version FROM postings"
                                           " WHERE source_id = ?1 AND version IS NOT NULL AND questions IS NOT NULL",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  for (;;)
    {
      if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
        return NULL;
      if (!has_row)
        break;
      g_hash_table_insert (versions, dup_column (stmt, 0), dup_column (stmt, 1));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&versions);
}

/* The group of likely duplicates a new posting joins: the group whose
 * first posting (the one the group is named after) has its key and was
 * posted within JSW_DUPLICATE_WINDOW of it; else a group of its own (0:
 * the caller names it after the new posting). Measuring from the first
 * posting, not from any member, keeps a job posted again every few weeks
 * for a year from becoming one endless group. */
static gboolean
find_group (JswSqliteStore  *self,
            const char      *dup_key,
            gint64           sort_at,
            gint64          *group_id,
            GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT group_id FROM postings WHERE dup_key = ?1"
                                           " AND sort_at BETWEEN ?2 AND ?3 AND id = group_id"
                                           " ORDER BY id LIMIT 1",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, dup_key);
  jsw_sqlite_bind_int (stmt, 2, sort_at - JSW_DUPLICATE_WINDOW);
  jsw_sqlite_bind_int (stmt, 3, sort_at + JSW_DUPLICATE_WINDOW);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  *group_id = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

typedef enum {
  SYNC_ADDED,
  SYNC_UPDATED,
  SYNC_UNCHANGED,
} SyncOutcome;

static gboolean
update_posting (JswSqliteStore    *self,
                gint64             id,
                gint64             source_id,
                const JswPosting  *posting,
                const JswPostingRow *row,
                gint64             now,
                GError           **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE postings SET source_id = ?2, title = ?3, description = ?4,"
                                           " company_key = ?5, locations_key = ?6, remote = ?7,"
                                           " employment_type = ?8, job = ?9, questions = coalesce(?10, questions),"
                                           " version = ?11, content_sha = ?12, open = 1, last_seen = ?13,"
                                           " closed_at = NULL, sort_at = coalesce(?14, first_seen)"
                                           " WHERE id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, id);
  jsw_sqlite_bind_int (stmt, 2, source_id);
  jsw_sqlite_bind_text (stmt, 3, posting->title);
  jsw_sqlite_bind_text (stmt, 4, posting->description ? posting->description : "");
  jsw_sqlite_bind_text (stmt, 5, row->company_key);
  jsw_sqlite_bind_text (stmt, 6, row->locations_key);
  jsw_sqlite_bind_int (stmt, 7, posting->remote);
  jsw_sqlite_bind_text (stmt, 8, posting->employment_type);
  jsw_sqlite_bind_text (stmt, 9, row->job_json);
  jsw_sqlite_bind_text (stmt, 10, row->questions_json);
  jsw_sqlite_bind_text (stmt, 11, posting->version);
  jsw_sqlite_bind_text (stmt, 12, row->content_sha);
  jsw_sqlite_bind_int (stmt, 13, now);
  if (posting->posted_at > 0)
    jsw_sqlite_bind_int (stmt, 14, posting->posted_at);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
insert_posting (JswSqliteStore    *self,
                gint64             source_id,
                const JswPosting  *posting,
                const JswPostingRow *row,
                gint64             now,
                GError           **error)
{
  gint64 sort_at = posting->posted_at > 0 ? posting->posted_at : now;
  gint64 group_id;
  sqlite3_stmt *stmt;

  if (!find_group (self, row->dup_key, sort_at, &group_id, error))
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO postings (source_id, job_id, group_id, dup_key, title, description,"
                             " company_key, locations_key, remote, employment_type, sort_at, job, questions,"
                             " version, content_sha, first_seen, last_seen)"
                             " VALUES (?1, ?2, coalesce(?3, (SELECT coalesce(max(id), 0) + 1 FROM postings)),"
                             " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  jsw_sqlite_bind_text (stmt, 2, row->job_id);
  if (group_id != 0)
    jsw_sqlite_bind_int (stmt, 3, group_id);
  jsw_sqlite_bind_text (stmt, 4, row->dup_key);
  jsw_sqlite_bind_text (stmt, 5, posting->title);
  jsw_sqlite_bind_text (stmt, 6, posting->description ? posting->description : "");
  jsw_sqlite_bind_text (stmt, 7, row->company_key);
  jsw_sqlite_bind_text (stmt, 8, row->locations_key);
  jsw_sqlite_bind_int (stmt, 9, posting->remote);
  jsw_sqlite_bind_text (stmt, 10, posting->employment_type);
  jsw_sqlite_bind_int (stmt, 11, sort_at);
  jsw_sqlite_bind_text (stmt, 12, row->job_json);
  jsw_sqlite_bind_text (stmt, 13, row->questions_json);
  jsw_sqlite_bind_text (stmt, 14, posting->version);
  jsw_sqlite_bind_text (stmt, 15, row->content_sha);
  jsw_sqlite_bind_int (stmt, 16, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  /* A new group is named after its first posting: the id just given
   * (max(id) + 1 is that id, rowids being handed out in order here). */
  return TRUE;
}

/* Only seen again: the feed keeps it, nothing else is written. */
static gboolean
touch_posting (JswSqliteStore  *self,
               gint64           id,
               gint64           now,
               GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE postings SET last_seen = ?2, open = 1, closed_at = NULL"
                                           " WHERE id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, id);
  jsw_sqlite_bind_int (stmt, 2, now);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
save_posting (JswSqliteStore    *self,
              gint64             source_id,
              const JswPosting  *posting,
              gint64             now,
              SyncOutcome       *outcome,
              GError           **error)
{
  g_auto(JswPostingRow) row = { 0 };
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean same;
  gint64 id;

  if (!jsw_posting_row_init (&row, posting, error))
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "SELECT id, version, content_sha FROM postings WHERE job_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, row.job_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      *outcome = SYNC_ADDED;
      return insert_posting (self, source_id, posting, &row, now, error);
    }
  id = sqlite3_column_int64 (stmt, 0);
  /* The board's version unchanged means its details were not fetched
   * again: what is stored is what the board has. */
  same = (posting->version != NULL && g_strcmp0 (posting->version, jsw_sqlite_column_text (stmt, 1)) == 0) ||
         g_strcmp0 (row.content_sha, jsw_sqlite_column_text (stmt, 2)) == 0;
  sqlite3_reset (stmt);
  *outcome = same ? SYNC_UNCHANGED : SYNC_UPDATED;
  return same ? touch_posting (self, id, now, error)
              : update_posting (self, id, source_id, posting, &row, now, error);
}

static gboolean
record_success (JswSqliteStore  *self,
                gint64           source_id,
                const char      *etag,
                const char      *last_modified,
                gint64           now,
                GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE sources SET etag = ?2, last_modified = ?3, last_sync_at = ?4,"
                                           " last_success_at = ?4, last_error = NULL, failures = 0 WHERE id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  jsw_sqlite_bind_text (stmt, 2, etag);
  jsw_sqlite_bind_text (stmt, 3, last_modified);
  jsw_sqlite_bind_int (stmt, 4, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (jsw_sqlite_changes (self->db) == 0)
    {
      /* Removed while it was being synced. */
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no source %" G_GINT64_FORMAT), source_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
jsw_sqlite_store_sync_postings (JswStore       *store,
                                gint64          source_id,
                                GPtrArray      *postings,
                                const char     *etag,
                                const char     *last_modified,
                                gint64          now,
                                JswSyncCounts  *counts,
                                GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  memset (counts, 0, sizeof *counts);
  if (tx == NULL || !record_success (self, source_id, etag, last_modified, now, error))
    return FALSE;
  if (postings == NULL)
    {
      /* Unchanged (304): every open posting is still there. */
      stmt = jsw_sqlite_prepare (self->db,
                                 "UPDATE postings SET last_seen = ?2 WHERE source_id = ?1 AND open = 1", error);
      if (stmt == NULL)
        return FALSE;
      jsw_sqlite_bind_int (stmt, 1, source_id);
      jsw_sqlite_bind_int (stmt, 2, now);
      if (!jsw_sqlite_step_done (self->db, stmt, error))
        return FALSE;
      counts->unchanged = jsw_sqlite_changes (self->db);
      return jsw_sqlite_transaction_commit (tx, error);
    }

  for (guint i = 0; i < postings->len; i++)
    {
      SyncOutcome outcome;
      g_autoptr(GError) local_error = NULL;

      if (!save_posting (self, source_id, postings->pdata[i], now, &outcome, &local_error))
        {
          /* A posting that makes no JOB is the board's fault, not a reason
           * to lose the others. */
          if (!g_error_matches (local_error, JSW_ERROR, JSW_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          continue;
        }
      counts->added += outcome == SYNC_ADDED;
      counts->updated += outcome == SYNC_UPDATED;
      counts->unchanged += outcome == SYNC_UNCHANGED;
    }

  /* What the board no longer lists leaves the feed. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE postings SET open = 0, closed_at = ?2"
                             " WHERE source_id = ?1 AND open = 1 AND last_seen < ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  jsw_sqlite_bind_int (stmt, 2, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  counts->closed = jsw_sqlite_changes (self->db);
  return jsw_sqlite_transaction_commit (tx, error);
}

/* One write to a source's row: ?1 its id, ?2 @value, ?3 @text if any. */
static gboolean
update_source (JswSqliteStore  *self,
               const char      *sql,
               gint64           source_id,
               gint64           value,
               const char      *text,
               GError         **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, sql, error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  jsw_sqlite_bind_int (stmt, 2, value);
  if (text != NULL)
    jsw_sqlite_bind_text (stmt, 3, text);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

gboolean
jsw_sqlite_store_claim_source (JswStore  *store,
                               gint64     source_id,
                               gint64     due_by,
                               gint64     hold_until,
                               gboolean  *claimed,
                               GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  /* BEGIN IMMEDIATE: a second claimant (another process on the file)
   * waits for the first's commit, then finds the source planned later. */
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE sources SET next_sync_at = ?3 WHERE id = ?1 AND coalesce (next_sync_at, 0) <= ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, source_id);
  jsw_sqlite_bind_int (stmt, 2, due_by);
  jsw_sqlite_bind_int (stmt, 3, hold_until);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  *claimed = jsw_sqlite_changes (self->db) == 1;
  return jsw_sqlite_transaction_commit (tx, error);
}

gboolean
jsw_sqlite_store_sync_failed (JswStore    *store,
                              gint64       source_id,
                              const char  *message,
                              gint64       now,
                              GError     **error)
{
  return update_source (JSW_SQLITE_STORE (store),
                        "UPDATE sources SET last_sync_at = ?2, last_error = ?3, failures = failures + 1 WHERE id = ?1",
                        source_id, now, message, error);
}

gboolean
jsw_sqlite_store_schedule_source (JswStore  *store,
                                  gint64     source_id,
                                  gint64     next_sync_at,
                                  GError   **error)
{
  return update_source (JSW_SQLITE_STORE (store), "UPDATE sources SET next_sync_at = ?2 WHERE id = ?1",
                        source_id, next_sync_at, NULL, error);
}

/* Groups whose every posting closed before ?1 (jsw_store_purge_closed_postings()). */
#define PURGED_GROUPS \
  "SELECT p.group_id FROM postings p WHERE p.open = 0 AND p.closed_at < ?1" \
  " AND NOT EXISTS (SELECT 1 FROM postings q WHERE q.group_id = p.group_id" \
  "                 AND (q.open = 1 OR q.closed_at >= ?1))"

gboolean
jsw_sqlite_store_purge_closed_postings (JswStore  *store,
                                        gint64     closed_before,
                                        guint     *purged,
                                        GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  static const char *const statements[] = {
    "DELETE FROM posting_left_swipes WHERE group_id IN (" PURGED_GROUPS ")",
    "DELETE FROM postings WHERE group_id IN (" PURGED_GROUPS ")",
  };

  *purged = 0;
  if (tx == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      jsw_sqlite_bind_int (stmt, 1, closed_before);
      if (!jsw_sqlite_step_done (self->db, stmt, error))
        return FALSE;
    }
  *purged = jsw_sqlite_changes (self->db);
  return jsw_sqlite_transaction_commit (tx, error);
}
