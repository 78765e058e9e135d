/* jsw-pg-store-unsupported.c: what the PostgreSQL store does not hold yet
 *
 * The job feed (sources, postings, searches: issue 12; only the list of
 * sources is read, for /metrics) came to the SQLite store while the
 * PostgreSQL store was written. Until they are
 * ported, each of their calls fails with a clear "not supported on
 * PostgreSQL yet" (an internal error: 500 on REST), never a crash; the
 * tables exist already (the migrations are the same).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

#define FEED _("The job feed")

gint64
jsw_pg_store_add_source (JswStore    *store,
                         const char  *kind,
                         const char  *board,
                         const char  *company,
                         const char  *base_url,
                         gint64       now,
                         GError     **error)
{
  jsw_pg_store_not_supported (FEED, error);
  return 0;
}

gboolean
jsw_pg_store_remove_source (JswStore  *store,
                            gint64     source_id,
                            GError   **error)
{
  return jsw_pg_store_not_supported (FEED, error);
}

GHashTable *
jsw_pg_store_posting_versions (JswStore  *store,
                               gint64     source_id,
                               GError   **error)
{
  jsw_pg_store_not_supported (FEED, error);
  return NULL;
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
  return jsw_pg_store_not_supported (FEED, error);
}

gboolean
jsw_pg_store_sync_failed (JswStore    *store,
                          gint64       source_id,
                          const char  *message,
                          gint64       now,
                          GError     **error)
{
  return jsw_pg_store_not_supported (FEED, error);
}

JswSearch *
jsw_pg_store_get_search (JswStore    *store,
                         const char  *user_id,
                         GError     **error)
{
  jsw_pg_store_not_supported (FEED, error);
  return NULL;
}

gboolean
jsw_pg_store_put_search (JswStore    *store,
                         const char  *user_id,
                         JswSearch   *search,
                         gint64       now,
                         GError     **error)
{
  return jsw_pg_store_not_supported (FEED, error);
}

GPtrArray *
jsw_pg_store_feed_page (JswStore             *store,
                        const char           *user_id,
                        const JswSearch      *search,
                        const JswFeedCursor  *after,
                        guint                 limit,
                        GError              **error)
{
  jsw_pg_store_not_supported (FEED, error);
  return NULL;
}

JswPostingRecord *
jsw_pg_store_get_posting (JswStore  *store,
                          gint64     posting_id,
                          GError   **error)
{
  jsw_pg_store_not_supported (FEED, error);
  return NULL;
}

gboolean
jsw_pg_store_left_swipe_posting (JswStore    *store,
                                 const char  *user_id,
                                 gint64       posting_id,
                                 gint64       now,
                                 GError     **error)
{
  return jsw_pg_store_not_supported (FEED, error);
}

gboolean
jsw_pg_store_forget_left_swipe (JswStore    *store,
                                const char  *user_id,
                                gint64       posting_id,
                                GError     **error)
{
  return jsw_pg_store_not_supported (FEED, error);
}

JswEntry  *
jsw_pg_store_swipe_right_posting (JswStore    *store,
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
  *created = FALSE;
  *duplicate = NULL;
  *duplicate_posting_id = 0;
  jsw_pg_store_not_supported (FEED, error);
  return NULL;
}
