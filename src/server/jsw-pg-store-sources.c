/* jsw-pg-store-sources.c: the PostgreSQL store's job sources and the
 * postings synced from them (issue 12 on issue 15's store)
 *
 * The same rules as jsw-sqlite-store-sources.c. What differs: a new
 * posting's group is named after the id PostgreSQL gave it (an identity
 * column, so a second statement); the words the feed searches are written
 * with the posting as two tsvectors of its normalised text (the title's
 * and all of it), where SQLite's FTS5 index is kept by triggers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-posting.h"
#include "jsw-pg-store-private.h"

gint64
jsw_pg_store_add_source (JswStore    *store,
                         const char  *kind,
                         const char  *board,
                         const char  *company,
                         const char  *base_url,
                         gint64       now,
                         GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  JswPgParams p = { 0 };
  gint64 id;

  jsw_pg_params_text (&p, kind);
  jsw_pg_params_text (&p, board);
  jsw_pg_params_text (&p, company);
  jsw_pg_params_text (&p, base_url);
  jsw_pg_params_int (&p, now);
  id = jsw_pg_store_int (self,
                         "INSERT INTO sources (kind, board, company, base_url, created_at)"
                         " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, board) DO NOTHING RETURNING id",
                         &p, 0, error);
  if (id != 0)
    return MAX (id, 0);

  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, kind);
  jsw_pg_params_text (&p, board);
  id = jsw_pg_store_int (self, "SELECT id FROM sources WHERE kind = $1 AND board = $2", &p, 0, error);
  if (id < 0)
    return 0;
  g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
               _("The %s board “%s” is a source already (id %" G_GINT64_FORMAT ")"), kind, board, id);
  return 0;
}

GPtrArray *
jsw_pg_store_list_sources (JswStore  *store,
                           GError   **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_source_free);
  g_autoptr(PGresult) result = NULL;

  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT s.id, s.kind, s.board, s.company, s.base_url, s.etag, s.last_modified,"
                              " s.last_sync_at, s.last_success_at, s.last_error, s.failures,"
                              " (SELECT count(*) FROM postings p WHERE p.source_id = s.id AND p.open),"
                              " s.next_sync_at"
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
      source->next_sync_at = jsw_pg_int (result, row, 12);
      g_ptr_array_add (sources, source);
    }
  return g_steal_pointer (&sources);
}

static gboolean
remove_source_in_tx (JswPgStore  *self,
                     gpointer     data,
                     GPtrArray   *events,
                     GError     **error)
{
  gint64 source_id = *(gint64 *) data;
  JswPgParams p = { 0 };
  gint64 changes = 0;

  jsw_pg_params_int (&p, source_id);
  if (!jsw_pg_store_run (self, "DELETE FROM sources WHERE id = $1", &p, &changes, error))
    return FALSE;
  if (changes == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no source %" G_GINT64_FORMAT), source_id);
      return FALSE;
    }
  /* Their left swipes go with them; entries keep their snapshots. */
  return jsw_pg_store_run (self,
                           "DELETE FROM posting_left_swipes WHERE posting_id IN"
                           " (SELECT id FROM postings WHERE source_id = $1)",
                           &p, NULL, error) &&
         jsw_pg_store_run (self, "DELETE FROM postings WHERE source_id = $1", &p, NULL, error);
}

gboolean
jsw_pg_store_remove_source (JswStore  *store,
                            gint64     source_id,
                            GError   **error)
{
  return jsw_pg_store_transact (JSW_PG_STORE (store), remove_source_in_tx, &source_id, NULL, error);
}

GHashTable *
jsw_pg_store_posting_versions (JswStore  *store,
                               gint64     source_id,
                               GError   **error)
{
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, source_id);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT job_id, version FROM postings"
                              " WHERE source_id = $1 AND version IS NOT NULL AND questions IS NOT NULL",
                              &p, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_insert (versions, g_strdup (jsw_pg_text (result, row, 0)), g_strdup (jsw_pg_text (result, row, 1)));
  return g_steal_pointer (&versions);
}

typedef struct {
  gint64          source_id;
  GPtrArray      *postings;
  const char     *etag;
  const char     *last_modified;
  gint64          now;
  JswSyncCounts  *counts;
} SyncCall;

/* The posting's searchable words, as jsw-pg-store-feed.c matches them. */
typedef struct {
  char *title;
  char *description;
} Words;

static void
words_init (Words            *words,
            const JswPosting *posting)
{
  words->title = jsw_posting_normalise_key (posting->title);
  words->description = jsw_posting_normalise_key (posting->description);
}

static void
words_clear (Words *words)
{
  g_free (words->title);
  g_free (words->description);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Words, words_clear)

/* See jsw-sqlite-store-sources.c find_group(). */
static gboolean
find_group (JswPgStore  *self,
            const char  *dup_key,
            gint64       sort_at,
            gint64      *group_id,
            GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, dup_key);
  jsw_pg_params_int (&p, sort_at - JSW_DUPLICATE_WINDOW);
  jsw_pg_params_int (&p, sort_at + JSW_DUPLICATE_WINDOW);
  *group_id = jsw_pg_store_int (self,
                                "SELECT group_id FROM postings WHERE dup_key = $1"
                                " AND sort_at BETWEEN $2 AND $3 AND id = group_id ORDER BY id LIMIT 1",
                                &p, 0, error);
  return *group_id >= 0;
}

static gboolean
insert_posting (JswPgStore           *self,
                const SyncCall       *call,
                const JswPosting     *posting,
                const JswPostingRow  *row,
                GError              **error)
{
  g_auto(Words) words = { 0 };
  gint64 sort_at = posting->posted_at > 0 ? posting->posted_at : call->now;
  gint64 group_id;
  gint64 id;
  JswPgParams p = { 0 };

  if (!find_group (self, row->dup_key, sort_at, &group_id, error))
    return FALSE;
  words_init (&words, posting);
  jsw_pg_params_int (&p, call->source_id);
  jsw_pg_params_text (&p, row->job_id);
  jsw_pg_params_int (&p, group_id);
  jsw_pg_params_text (&p, row->dup_key);
  jsw_pg_params_text (&p, posting->title);
  jsw_pg_params_text (&p, posting->description ? posting->description : "");
  jsw_pg_params_text (&p, row->company_key);
  jsw_pg_params_text (&p, row->locations_key);
  jsw_pg_params_bool (&p, posting->remote);
  jsw_pg_params_text (&p, posting->employment_type);
  jsw_pg_params_int (&p, sort_at);
  jsw_pg_params_text (&p, row->job_json);
  jsw_pg_params_text (&p, row->questions_json);
  jsw_pg_params_text (&p, posting->version);
  jsw_pg_params_text (&p, row->content_sha);
  jsw_pg_params_int (&p, call->now);
  /* 16 parameters at most: the words go in with the update below. */
  id = jsw_pg_store_int (self,
                         "INSERT INTO postings (source_id, job_id, group_id, dup_key, title, description,"
                         " company_key, locations_key, remote, employment_type, sort_at, job, questions,"
                         " version, content_sha, first_seen, last_seen)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)"
                         " RETURNING id",
                         &p, 0, error);
  if (id <= 0)
    return FALSE;

  /* A new group is named after its first posting. */
  p = (JswPgParams) { 0 };
  jsw_pg_params_int (&p, id);
  jsw_pg_params_text (&p, words.title);
  jsw_pg_params_text (&p, words.description);
  return jsw_pg_store_run (self,
                           "UPDATE postings SET group_id = CASE WHEN group_id = 0 THEN id ELSE group_id END,"
                           " title_words = to_tsvector('simple', $2::text),"
                           " all_words = to_tsvector('simple', $2::text || ' ' || $3::text)"
                           " WHERE id = $1",
                           &p, NULL, error);
}

static gboolean
update_posting (JswPgStore           *self,
                gint64                id,
                const SyncCall       *call,
                const JswPosting     *posting,
                const JswPostingRow  *row,
                GError              **error)
{
  g_auto(Words) words = { 0 };
  JswPgParams p = { 0 };

  words_init (&words, posting);
  jsw_pg_params_int (&p, id);
  jsw_pg_params_int (&p, call->source_id);
  jsw_pg_params_text (&p, posting->title);
  jsw_pg_params_text (&p, posting->description ? posting->description : "");
  jsw_pg_params_text (&p, row->company_key);
  jsw_pg_params_text (&p, row->locations_key);
  jsw_pg_params_bool (&p, posting->remote);
  jsw_pg_params_text (&p, posting->employment_type);
  jsw_pg_params_text (&p, row->job_json);
  jsw_pg_params_text (&p, row->questions_json);
  jsw_pg_params_text (&p, posting->version);
  jsw_pg_params_text (&p, row->content_sha);
  jsw_pg_params_int (&p, call->now);
  if (posting->posted_at > 0)
    jsw_pg_params_int (&p, posting->posted_at);
  else
    jsw_pg_params_text (&p, NULL);
  jsw_pg_params_text (&p, words.title);
  jsw_pg_params_text (&p, words.description);
  return jsw_pg_store_run (self,
                           "UPDATE postings SET source_id = $2, title = $3, description = $4,"
                           " company_key = $5, locations_key = $6, remote = $7,"
                           " employment_type = $8, job = $9, questions = coalesce($10, questions),"
                           " version = $11, content_sha = $12, open = TRUE, last_seen = $13,"
                           " closed_at = NULL, sort_at = coalesce($14::bigint, first_seen),"
                           " title_words = to_tsvector('simple', $15::text),"
                           " all_words = to_tsvector('simple', $15::text || ' ' || $16::text)"
                           " WHERE id = $1",
                           &p, NULL, error);
}

typedef enum {
  SYNC_ADDED,
  SYNC_UPDATED,
  SYNC_UNCHANGED,
} SyncOutcome;

static gboolean
save_posting (JswPgStore        *self,
              const SyncCall    *call,
              const JswPosting  *posting,
              SyncOutcome       *outcome,
              GError           **error)
{
  g_auto(JswPostingRow) row = { 0 };
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };
  gboolean same;
  gint64 id;

  if (!jsw_posting_row_init (&row, posting, error))
    return FALSE;
  jsw_pg_params_text (&p, row.job_id);
  result = jsw_pg_store_exec (self, "SELECT id, version, content_sha FROM postings WHERE job_id = $1", &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      *outcome = SYNC_ADDED;
      return insert_posting (self, call, posting, &row, error);
    }
  id = jsw_pg_int (result, 0, 0);
  /* The board's version unchanged means its details were not fetched
   * again: what is stored is what the board has. */
  same = (posting->version != NULL && g_strcmp0 (posting->version, jsw_pg_text (result, 0, 1)) == 0) ||
         g_strcmp0 (row.content_sha, jsw_pg_text (result, 0, 2)) == 0;
  *outcome = same ? SYNC_UNCHANGED : SYNC_UPDATED;
  if (!same)
    return update_posting (self, id, call, posting, &row, error);
  p = (JswPgParams) { 0 };
  jsw_pg_params_int (&p, id);
  jsw_pg_params_int (&p, call->now);
  return jsw_pg_store_run (self, "UPDATE postings SET last_seen = $2, open = TRUE, closed_at = NULL WHERE id = $1",
                           &p, NULL, error);
}

static gboolean
record_success (JswPgStore      *self,
                const SyncCall  *call,
                GError         **error)
{
  JswPgParams p = { 0 };
  gint64 changes = 0;

  jsw_pg_params_int (&p, call->source_id);
  jsw_pg_params_text (&p, call->etag);
  jsw_pg_params_text (&p, call->last_modified);
  jsw_pg_params_int (&p, call->now);
  if (!jsw_pg_store_run (self,
                         "UPDATE sources SET etag = $2, last_modified = $3, last_sync_at = $4,"
                         " last_success_at = $4, last_error = NULL, failures = 0 WHERE id = $1",
                         &p, &changes, error))
    return FALSE;
  if (changes == 0)
    {
      /* Removed while it was being synced. */
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no source %" G_GINT64_FORMAT),
                   call->source_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sync_postings_in_tx (JswPgStore  *self,
                     gpointer     data,
                     GPtrArray   *events,
                     GError     **error)
{
  SyncCall *call = data;
  JswPgParams p = { 0 };
  gint64 changes = 0;

  memset (call->counts, 0, sizeof *call->counts);
  if (!record_success (self, call, error))
    return FALSE;
  jsw_pg_params_int (&p, call->source_id);
  jsw_pg_params_int (&p, call->now);
  if (call->postings == NULL)
    {
      /* Unchanged (304): every open posting is still there. */
      if (!jsw_pg_store_run (self, "UPDATE postings SET last_seen = $2 WHERE source_id = $1 AND open",
                             &p, &changes, error))
        return FALSE;
      call->counts->unchanged = changes;
      return TRUE;
    }

  for (guint i = 0; i < call->postings->len; i++)
    {
      SyncOutcome outcome;
      g_autoptr(GError) local_error = NULL;

      if (!save_posting (self, call, call->postings->pdata[i], &outcome, &local_error))
        {
          /* A posting that makes no JOB (refused before any statement)
           * is the board's fault, not a reason to lose the others. */
          if (!g_error_matches (local_error, JSW_ERROR, JSW_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          continue;
        }
      call->counts->added += outcome == SYNC_ADDED;
      call->counts->updated += outcome == SYNC_UPDATED;
      call->counts->unchanged += outcome == SYNC_UNCHANGED;
    }

  /* What the board no longer lists leaves the feed. */
  if (!jsw_pg_store_run (self,
                         "UPDATE postings SET open = FALSE, closed_at = $2"
                         " WHERE source_id = $1 AND open AND last_seen < $2",
                         &p, &changes, error))
    return FALSE;
  call->counts->closed = changes;
  return TRUE;
}

gboolean
jsw_pg_store_sync_postings (JswStore       *store,
                            gint64          source_id,
                            GPtrArray      *postings,
                            const char     *etag,
                            const char     *last_modified,
                            gint64          now,
                            JswSyncCounts  *counts,
                            GError        **error)
{
  SyncCall call = { source_id, postings, etag, last_modified, now, counts };

  memset (counts, 0, sizeof *counts);
  return jsw_pg_store_transact (JSW_PG_STORE (store), sync_postings_in_tx, &call, NULL, error);
}

gboolean
jsw_pg_store_sync_failed (JswStore    *store,
                          gint64       source_id,
                          const char  *message,
                          gint64       now,
                          GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, source_id);
  jsw_pg_params_int (&p, now);
  jsw_pg_params_text (&p, message);
  return jsw_pg_store_run (JSW_PG_STORE (store),
                           "UPDATE sources SET last_sync_at = $2, last_error = $3, failures = failures + 1"
                           " WHERE id = $1",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_schedule_source (JswStore  *store,
                              gint64     source_id,
                              gint64     next_sync_at,
                              GError   **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, source_id);
  jsw_pg_params_int (&p, next_sync_at);
  return jsw_pg_store_run (JSW_PG_STORE (store), "UPDATE sources SET next_sync_at = $2 WHERE id = $1",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_claim_source (JswStore  *store,
                           gint64     source_id,
                           gint64     due_by,
                           gint64     hold_until,
                           gboolean  *claimed,
                           GError   **error)
{
  JswPgParams p = { 0 };
  gint64 changes = 0;

  jsw_pg_params_int (&p, source_id);
  jsw_pg_params_int (&p, due_by);
  jsw_pg_params_int (&p, hold_until);
  /* The row lock makes a second claimant wait for the first's commit,
   * then find the source planned later: one wins. */
  if (!jsw_pg_store_run (JSW_PG_STORE (store),
                         "UPDATE sources SET next_sync_at = $3 WHERE id = $1 AND coalesce (next_sync_at, 0) <= $2",
                         &p, &changes, error))
    return FALSE;
  *claimed = changes == 1;
  return TRUE;
}

/* Groups whose every posting closed before $1 (jsw_store_purge_closed_postings()). */
#define PURGED_GROUPS \
  "SELECT p.group_id FROM postings p WHERE NOT p.open AND p.closed_at < $1" \
  " AND NOT EXISTS (SELECT 1 FROM postings q WHERE q.group_id = p.group_id" \
  "                 AND (q.open OR q.closed_at >= $1))"

typedef struct {
  gint64 closed_before;
  guint  purged;
} PurgeCall;

static gboolean
purge_in_tx (JswPgStore  *self,
             gpointer     data,
             GPtrArray   *events,
             GError     **error)
{
  PurgeCall *call = data;
  JswPgParams p = { 0 };
  gint64 changes = 0;

  jsw_pg_params_int (&p, call->closed_before);
  if (!jsw_pg_store_run (self, "DELETE FROM posting_left_swipes WHERE group_id IN (" PURGED_GROUPS ")",
                         &p, NULL, error) ||
      !jsw_pg_store_run (self, "DELETE FROM postings WHERE group_id IN (" PURGED_GROUPS ")", &p, &changes, error))
    return FALSE;
  call->purged = changes;
  return TRUE;
}

gboolean
jsw_pg_store_purge_closed_postings (JswStore  *store,
                                    gint64     closed_before,
                                    guint     *purged,
                                    GError   **error)
{
  PurgeCall call = { closed_before, 0 };

  *purged = 0;
  if (!jsw_pg_store_transact (JSW_PG_STORE (store), purge_in_tx, &call, NULL, error))
    return FALSE;
  *purged = call.purged;
  return TRUE;
}
