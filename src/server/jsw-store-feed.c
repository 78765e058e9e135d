/* jsw-store-feed.c: the store's job feed: sources, postings, searches and
 * pages (issue 12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

void
jsw_source_free (JswSource *source)
{
  if (source == NULL)
    return;
  g_free (source->kind);
  g_free (source->board);
  g_free (source->company);
  g_free (source->base_url);
  g_free (source->etag);
  g_free (source->last_modified);
  g_free (source->last_error);
  g_free (source);
}

/* A search that matches every posting: what a person has before saving one. */
JswSearch *
jsw_search_new_empty (void)
{
  JswSearch *search = g_new0 (JswSearch, 1);

  search->keywords = g_new0 (char *, 1);
  search->exclude_keywords = g_new0 (char *, 1);
  search->locations = g_new0 (char *, 1);
  search->employment_types = g_new0 (char *, 1);
  search->exclude_companies = g_new0 (char *, 1);
  return search;
}

void
jsw_search_free (JswSearch *search)
{
  if (search == NULL)
    return;
  g_strfreev (search->keywords);
  g_strfreev (search->exclude_keywords);
  g_strfreev (search->locations);
  g_strfreev (search->employment_types);
  g_strfreev (search->exclude_companies);
  g_free (search);
}

void
jsw_feed_item_free (JswFeedItem *item)
{
  if (item == NULL)
    return;
  g_free (item->job_json);
  g_free (item->questions_json);
  g_free (item);
}

void
jsw_posting_record_free (JswPostingRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->job_id);
  g_free (record->job_json);
  g_free (record);
}

/**
 * jsw_store_add_source:
 * @company: (nullable): the name postings carry; NULL: the board's own
 * @base_url: (nullable): where the kind's API is; NULL: the vendor's
 * @error: JSW_ERROR_CONFLICT when the same kind and board are there already
 *
 * Returns: the new source's id, or 0
 */
gint64
jsw_store_add_source (JswStore   *self,
                      const char *kind,
                      const char *board,
                      const char *company,
                      const char *base_url,
                      gint64      now,
                      GError    **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), 0);
  return JSW_STORE_GET_IFACE (self)->add_source (self, kind, board, company, base_url, now, error);
}

/* Returns: (element-type JswSource): every source, oldest first */
GPtrArray *
jsw_store_list_sources (JswStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->list_sources (self, error);
}

/* Removes a source and its postings (entries keep their snapshots, which
 * never change); JSW_ERROR_NOT_FOUND when there is no such source. */
gboolean
jsw_store_remove_source (JswStore  *self,
                         gint64     source_id,
                         GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->remove_source (self, source_id, error);
}

/* Returns: (transfer full): job_id -> version of the source's postings
 * whose details the store holds (a posting seen again at the same version
 * needs none fetched). */
GHashTable *
jsw_store_posting_versions (JswStore  *self,
                            gint64     source_id,
                            GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->posting_versions (self, source_id, error);
}

/**
 * jsw_store_sync_postings:
 * @postings: (element-type JswPosting) (nullable): the board's postings now;
 *   NULL when the board said it is unchanged (304)
 * @counts: (out): what changed
 *
 * In one transaction: every posting added, or updated when it changed (a
 * posting at the version stored is left as it is), every posting of the
 * source that the board no longer lists closed (it leaves the feed), and
 * the source's validators and last success recorded.
 */
gboolean
jsw_store_sync_postings (JswStore      *self,
                         gint64         source_id,
                         GPtrArray     *postings,
                         const char    *etag,
                         const char    *last_modified,
                         gint64         now,
                         JswSyncCounts *counts,
                         GError       **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->sync_postings (self, source_id, postings, etag, last_modified, now,
                                                    counts, error);
}

/* Records a failed sync: its message, and one more failure in a row. The
 * source's postings stay as they are. */
gboolean
jsw_store_sync_failed (JswStore    *self,
                       gint64       source_id,
                       const char  *message,
                       gint64       now,
                       GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->sync_failed (self, source_id, message, now, error);
}

/* Records when the schedule syncs the source next (µs, real time), so that
 * a restarted server keeps the plan, backoffs included. No such source
 * (removed meanwhile) is not an error. */
gboolean
jsw_store_schedule_source (JswStore  *self,
                           gint64     source_id,
                           gint64     next_sync_at,
                           GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->schedule_source (self, source_id, next_sync_at, error);
}

/**
 * jsw_store_claim_source:
 * @due_by: µs, real time: the source is claimed only if its next sync is
 *   planned for then or before (never planned counts as due);
 *   %G_MAXINT64 claims it whatever its plan
 * @hold_until: µs, real time: its next sync is planned for then, so that
 *   no other syncer finds it due while this one syncs it (and, should
 *   this one die, it is synced again then)
 * @claimed: (out): whether this caller now syncs it; %FALSE if another
 *   claimed it first, it is not due, or there is no such source
 *
 * Takes a source for one sync, in one statement: of several syncers
 * sharing the store (server processes on one PostgreSQL database, or an
 * operator's `source sync` beside a server), one syncs it, the others
 * pass. The caller plans the next sync afterwards
 * (jsw_store_schedule_source()).
 */
gboolean
jsw_store_claim_source (JswStore  *self,
                        gint64     source_id,
                        gint64     due_by,
                        gint64     hold_until,
                        gboolean  *claimed,
                        GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  g_return_val_if_fail (claimed != NULL, FALSE);

  *claimed = FALSE;
  return JSW_STORE_GET_IFACE (self)->claim_source (self, source_id, due_by, hold_until, claimed, error);
}

/**
 * jsw_store_purge_closed_postings:
 * @closed_before: µs; the syncer passes now - JSW_CLOSED_POSTINGS_KEPT
 * @purged: (out): how many postings went
 *
 * Deletes the postings that left their board before @closed_before, a
 * group of likely duplicates at a time: only groups whose every posting
 * is closed and was closed before then, so that a left swipe or an entry
 * on one copy of a job keeps hiding the copies still open. The left
 * swipes on the purged groups go with them (nothing is left for them to
 * hide); entries keep their frozen snapshots, which never pointed at the
 * posting's row. A posting its board lists again after that is a new
 * posting.
 */
gboolean
jsw_store_purge_closed_postings (JswStore  *self,
                                 gint64     closed_before,
                                 guint     *purged,
                                 GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->purge_closed_postings (self, closed_before, purged, error);
}

/* Returns: (transfer full): the person's search, or an empty one */
JswSearch *
jsw_store_get_search (JswStore    *self,
                      const char  *user_id,
                      GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_search (self, user_id, error);
}

/* Saves @search; sets its updated_at to @now (a later one if @now is not
 * after the last save, so cursors of the old search are always told). */
gboolean
jsw_store_put_search (JswStore    *self,
                      const char  *user_id,
                      JswSearch   *search,
                      gint64       now,
                      GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->put_search (self, user_id, search, now, error);
}

/**
 * jsw_store_feed_page:
 * @after: (nullable): where the last page ended
 * @limit: postings at most
 *
 * The feed's rule (docs/server.md "The job feed"): open postings matching
 * @search (full text on title and description), not swiped by this person
 * (this posting or a likely duplicate; a right swipe counts while its
 * entry is not cancelled), one of each group of likely duplicates, in the
 * order (tier, sort_at newest first, posting_id highest first).
 *
 * Returns: (element-type JswFeedItem) (transfer full): the page
 */
GPtrArray *
jsw_store_feed_page (JswStore            *self,
                     const char          *user_id,
                     const JswSearch     *search,
                     const JswFeedCursor *after,
                     guint                limit,
                     GError             **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->feed_page (self, user_id, search, after, limit, error);
}

/* Returns: (transfer full): the posting, open or not; NULL and
 * JSW_ERROR_NOT_FOUND when there is none */
JswPostingRecord *
jsw_store_get_posting (JswStore  *self,
                       gint64     posting_id,
                       GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_posting (self, posting_id, error);
}

/* Remembers a left swipe on a posting for good (again: no change). */
gboolean
jsw_store_left_swipe_posting (JswStore    *self,
                              const char  *user_id,
                              gint64       posting_id,
                              gint64       now,
                              GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->left_swipe_posting (self, user_id, posting_id, now, error);
}

/* Forgets a left swipe; JSW_ERROR_NOT_FOUND when there is none. */
gboolean
jsw_store_forget_left_swipe (JswStore    *self,
                             const char  *user_id,
                             gint64       posting_id,
                             GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->forget_left_swipe (self, user_id, posting_id, error);
}

/**
 * jsw_store_swipe_right_posting:
 * @posting_id: the posting swiped
 * @job: its stored JOB, the entry's snapshot
 * @allow_duplicate: make the entry even when the person has a live entry
 *   for a likely duplicate (issue 12: the same company and normalised
 *   title within 30 days, the posting's group)
 * @duplicate: (out) (transfer full) (nullable): that entry, when one
 *   stopped the swipe
 * @duplicate_posting_id: (out): the posting of @duplicate
 *
 * A right swipe on a posting of the feed, as jsw_store_swipe_right(),
 * with the check for a likely duplicate in the same write transaction:
 * of two swipes at once on two copies of one job, exactly one makes an
 * entry.
 *
 * Returns: (transfer full): the entry (@created says whether it is new),
 *   or %NULL with @error set: %JSW_ERROR_CONFLICT with @duplicate set for
 *   a likely duplicate, or a quota's error as jsw_store_swipe_right()
 */
JswEntry *
jsw_store_swipe_right_posting (JswStore    *self,
                               const char  *user_id,
                               gint64       posting_id,
                               JswJob      *job,
                               gboolean     allow_duplicate,
                               gint64       now,
                               gboolean    *created,
                               JswEntry   **duplicate,
                               gint64      *duplicate_posting_id,
                               GPtrArray   *events,
                               GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->swipe_right_posting (self, user_id, posting_id, job, allow_duplicate, now,
                                                          created, duplicate, duplicate_posting_id, events,
                                                          error);
}

/**
 * jsw_store_server_secret:
 * @name: which secret: "feed-cursor" (jsw-feed-cursor.c)
 * @candidate: the value to keep when the store holds none of that name
 *   yet (random, made by the caller), as text
 *
 * A secret of the server's, kept in the database so that every server
 * process on it uses the same: the first @candidate stored for @name
 * stays for good, whichever process it came from.
 *
 * Returns: (transfer full): the secret, or %NULL
 */
char *
jsw_store_server_secret (JswStore    *self,
                         const char  *name,
                         const char  *candidate,
                         GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->server_secret (self, name, candidate, error);
}
