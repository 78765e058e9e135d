/* jsw-pg-store-feed.c: the PostgreSQL store's searches, feed and swipes
 * by posting (issue 12 on issue 15's store)
 *
 * The same rules, order and cursors as jsw-sqlite-store-feed.c. Full text
 * is PostgreSQL's: each posting's normalised words are kept as a title
 * vector and an all-words vector, both GIN-indexed
 * (jsw-pg-store-sources.c), and a search's keywords become one tsquery,
 * each keyword a phrase (phraseto_tsquery of its normalised words), the
 * keywords OR'ed: whole words, any case, accents ignored, as FTS5 reads
 * them. PostgreSQL's planner chooses between walking the feed's index in
 * order and looking the words up, which the SQLite store decides itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-posting.h"
#include "jsw-search.h"
#include "jsw-pg-store-private.h"

/* Searches */

JswSearch *
jsw_pg_store_get_search (JswStore    *store,
                         const char  *user_id,
                         GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  JswPgParams p = { 0 };
  JswSearch *search;
  JsonObject *object;

  jsw_pg_params_text (&p, user_id);
  result = jsw_pg_store_exec (JSW_PG_STORE (store), "SELECT search, updated_at FROM searches WHERE user_id = $1",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    return jsw_search_new_empty ();
  object = jsw_json_parse_object (jsw_pg_text (result, 0, 0), -1, &root, error);
  if (object == NULL)
    return NULL;
  search = jsw_search_from_stored (object, error);
  if (search != NULL)
    search->updated_at = jsw_pg_int (result, 0, 1);
  return search;
}

typedef struct {
  const char *user_id;
  JswSearch  *search;
  gint64      now;
} PutSearch;

static gboolean
put_search_in_tx (JswPgStore  *self,
                  gpointer     data,
                  GPtrArray   *events,
                  GError     **error)
{
  PutSearch *call = data;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  JswPgParams p = { 0 };
  gint64 last;

  jsw_pg_params_text (&p, call->user_id);
  last = jsw_pg_store_int (self, "SELECT updated_at FROM searches WHERE user_id = $1 FOR UPDATE", &p, 0, error);
  if (last < 0)
    return FALSE;

  /* Every save is a new version, even within one clock tick: a cursor of
   * the search before must be told. */
  call->search->updated_at = MAX (call->now, last + 1);
  node = jsw_search_to_node (call->search);
  json = jsw_json_node_to_string (node);
  jsw_pg_params_text (&p, json);
  jsw_pg_params_int (&p, call->search->updated_at);
  return jsw_pg_store_run (self,
                           "INSERT INTO searches (user_id, search, updated_at) VALUES ($1, $2, $3)"
                           " ON CONFLICT (user_id) DO UPDATE SET search = excluded.search,"
                           " updated_at = excluded.updated_at",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_put_search (JswStore    *store,
                         const char  *user_id,
                         JswSearch   *search,
                         gint64       now,
                         GError     **error)
{
  PutSearch call = { user_id, search, now };

  return jsw_pg_store_transact (JSW_PG_STORE (store), put_search_in_tx, &call, NULL, error);
}

/* The server's secrets (jsw_store_server_secret()) */

char *
jsw_pg_store_server_secret (JswStore    *store,
                            const char  *name,
                            const char  *candidate,
                            GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, name);
  jsw_pg_params_text (&p, candidate);
  if (!jsw_pg_store_run (self, "INSERT INTO server_secrets (name, secret) VALUES ($1, $2)"
                               " ON CONFLICT (name) DO NOTHING", &p, NULL, error))
    return NULL;
  /* A statement of its own, so that it sees the row another process
   * inserted first (the insert above waited for it). */
  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, name);
  result = jsw_pg_store_exec (self, "SELECT secret FROM server_secrets WHERE name = $1", &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "The server secret “%s” was not kept", name);
      return NULL;
    }
  return g_strdup (jsw_pg_text (result, 0, 0));
}

/* The feed */

/* The rule of jsw-sqlite-store-feed.c's FEED_OPEN, FEED_HIDDEN and FEED_TAIL: open,
 * after the cursor, not in a group ?1 swiped left, the first open posting
 * of its group, matching the filters, no live entry of ?1 in its group.
 * PostgreSQL turns the NOT EXISTS into anti-joins itself. */
#define FEED_SELECT \
  "SELECT p.id, p.sort_at, p.job, p.questions FROM postings p" \
  " WHERE p.open AND (p.sort_at, p.id) < ($7::bigint, $8::bigint)" \
  " AND NOT EXISTS (SELECT 1 FROM posting_left_swipes s WHERE s.user_id = $1 AND s.group_id = p.group_id)" \
  " AND NOT EXISTS (SELECT 1 FROM postings q WHERE q.group_id = p.group_id AND q.open AND q.id < p.id)" \
  " AND (NOT $2::boolean OR p.remote)" \
  " AND ($3::text IS NULL OR p.employment_type IS NULL OR strpos($3, ',' || p.employment_type || ',') > 0)" \
  " AND ($4::text IS NULL OR strpos($4, chr(31) || p.company_key || chr(31)) = 0)" \
  " AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(string_to_array($5, chr(31))) AS l (key)" \
  "      WHERE l.key <> '' AND strpos(p.locations_key, l.key) > 0))" \
  " AND ($6::tsquery IS NULL OR NOT p.all_words @@ $6::tsquery)" \
  " AND NOT EXISTS (SELECT 1 FROM postings q JOIN entries e ON e.job_id = q.job_id" \
  "                 WHERE q.group_id = p.group_id AND e.user_id = $1 AND e.cancelled_at IS NULL)"
#define FEED_ORDER " ORDER BY p.sort_at DESC, p.id DESC LIMIT $9"

static const char *const feed_queries[] = {
  /* Without keywords: one tier. */
  FEED_SELECT FEED_ORDER,
  /* Tier 0: a keyword in the title. */
  FEED_SELECT " AND p.title_words @@ $10::tsquery" FEED_ORDER,
  /* Tier 1: keywords only in the description. */
  FEED_SELECT " AND p.all_words @@ $10::tsquery AND NOT p.title_words @@ $10::tsquery" FEED_ORDER,
};

/* A PostgreSQL array literal of @texts normalised as search words
 * (letters, digits and single spaces only, so nothing in them needs
 * quoting but the quotes around each). */
static char *
normalised_array (char **texts)
{
  GString *array = g_string_new ("{");

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *key = jsw_posting_normalise_key (texts[i]);

      g_string_append_printf (array, "%s\"%s\"", i > 0 ? "," : "", key);
    }
  g_string_append_c (array, '}');
  return g_string_free (array, FALSE);
}

/* One tsquery matching any of @keywords, each a phrase; NULL when there
 * are none or none holds a word (which then matches nothing). */
static gboolean
keywords_query (JswPgStore   *self,
                char        **keywords,
                char        **query,
                GError      **error)
{
  g_autofree char *array = NULL;
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  *query = NULL;
  if (keywords[0] == NULL)
    return TRUE;
  array = normalised_array (keywords);
  jsw_pg_params_text (&p, array);
  result = jsw_pg_store_exec (self,
                              "SELECT string_agg('(' || q.query::text || ')', ' | ')"
                              " FROM (SELECT phraseto_tsquery('simple', k) AS query"
                              "       FROM unnest($1::text[]) AS k) AS q"
                              " WHERE q.query::text <> ''",
                              &p, error);
  if (result == NULL)
    return FALSE;
  *query = g_strdup (jsw_pg_text (result, 0, 0));
  return TRUE;
}

typedef struct {
  const char           *user_id;
  const JswSearch      *search;
  const JswFeedCursor  *after;
  guint                 limit;
  GPtrArray            *items;
} FeedCall;

static gboolean
read_tier (JswPgStore   *self,
           FeedCall     *call,
           int           query,
           int           tier,
           const char   *match,
           char        **filters,
           GError      **error)
{
  gboolean resume = call->after != NULL && tier == call->after->tier;
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_bool (&p, call->search->remote_only);
  for (guint i = 0; i < 4; i++)
    jsw_pg_params_text (&p, filters[i]);
  jsw_pg_params_int (&p, resume ? call->after->sort_at : G_MAXINT64);
  jsw_pg_params_int (&p, resume ? call->after->posting_id : G_MAXINT64);
  jsw_pg_params_int (&p, call->limit - call->items->len);
  if (query > 0)
    jsw_pg_params_text (&p, match);
  result = jsw_pg_store_exec (self, feed_queries[query], &p, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswFeedItem *item = g_new0 (JswFeedItem, 1);

      item->posting_id = jsw_pg_int (result, row, 0);
      item->sort_at = jsw_pg_int (result, row, 1);
      item->job_json = g_strdup (jsw_pg_text (result, row, 2));
      item->questions_json = g_strdup (jsw_pg_text (result, row, 3));
      item->tier = tier;
      g_ptr_array_add (call->items, item);
    }
  return TRUE;
}

static gboolean
feed_page_in_snapshot (JswPgStore  *self,
                       gpointer     data,
                       GPtrArray   *events,
                       GError     **error)
{
  FeedCall *call = data;
  g_autofree char *types = jsw_search_types_list (call->search);
  g_autofree char *companies = jsw_search_keys_list (call->search->exclude_companies, TRUE);
  g_autofree char *locations = jsw_search_keys_list (call->search->locations, FALSE);
  g_autofree char *exclude = NULL;
  g_autofree char *match = NULL;
  char *filters[] = { types, companies, locations, NULL };
  gboolean keywords = jsw_search_has_keywords (call->search);

  g_ptr_array_set_size (call->items, 0);
  if (!keywords_query (self, call->search->exclude_keywords, &exclude, error))
    return FALSE;
  filters[3] = exclude;
  if (!keywords)
    return read_tier (self, call, 0, 0, NULL, filters, error);
  if (!keywords_query (self, call->search->keywords, &match, error))
    return FALSE;
  for (int tier = call->after != NULL ? call->after->tier : 0; tier < 2 && call->items->len < call->limit; tier++)
    if (!read_tier (self, call, 1 + tier, tier, match, filters, error))
      return FALSE;
  return TRUE;
}

GPtrArray *
jsw_pg_store_feed_page (JswStore             *store,
                        const char           *user_id,
                        const JswSearch      *search,
                        const JswFeedCursor  *after,
                        guint                 limit,
                        GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_feed_item_free);
  FeedCall call = { user_id, search, after, limit, items };

  /* Both tiers on one snapshot of the postings. */
  if (!jsw_pg_store_read_snapshot (JSW_PG_STORE (store), feed_page_in_snapshot, &call, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Swipes by posting */

JswPostingRecord *
jsw_pg_store_get_posting (JswStore  *store,
                          gint64     posting_id,
                          GError   **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };
  JswPostingRecord *record;

  jsw_pg_params_int (&p, posting_id);
  result = jsw_pg_store_exec (JSW_PG_STORE (store), "SELECT open, job_id, job FROM postings WHERE id = $1", &p,
                              error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such posting"));
      return NULL;
    }
  record = g_new0 (JswPostingRecord, 1);
  record->posting_id = posting_id;
  record->open = g_strcmp0 (jsw_pg_text (result, 0, 0), "t") == 0;
  record->job_id = g_strdup (jsw_pg_text (result, 0, 1));
  record->job_json = g_strdup (jsw_pg_text (result, 0, 2));
  return record;
}

/* Remembers @user_id's left swipe on the postings @sql finds by $2. */
static gboolean
record_left_swipe (JswPgStore  *self,
                   const char  *sql,
                   const char  *user_id,
                   const char  *posting,
                   gint64       now,
                   GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, posting);
  jsw_pg_params_int (&p, now);
  return jsw_pg_store_run (self, sql, &p, NULL, error);
}

#define INSERT_LEFT_SWIPE \
  "INSERT INTO posting_left_swipes (user_id, posting_id, group_id, created_at)" \
  " SELECT $1, id, group_id, $3 FROM postings"
#define ON_CONFLICT " ON CONFLICT (user_id, posting_id) DO NOTHING"

gboolean
jsw_pg_store_left_swipe_posting (JswStore    *store,
                                 const char  *user_id,
                                 gint64       posting_id,
                                 gint64       now,
                                 GError     **error)
{
  char id[24];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, posting_id);
  return record_left_swipe (JSW_PG_STORE (store), INSERT_LEFT_SWIPE " WHERE id = $2::bigint" ON_CONFLICT,
                            user_id, id, now, error);
}

/* A job of the feed passed on with the older body (a JOB, not its
 * posting_id) leaves the feed as a left swipe by posting does
 * (jsw_pg_store_record_left_swipe()). */
gboolean
jsw_pg_store_hide_posting_of_job (JswPgStore  *self,
                                  const char  *user_id,
                                  const char  *job_id,
                                  gint64       now,
                                  GError     **error)
{
  return record_left_swipe (self, INSERT_LEFT_SWIPE " WHERE job_id = $2" ON_CONFLICT, user_id, job_id, now, error);
}

gboolean
jsw_pg_store_forget_left_swipe (JswStore    *store,
                                const char  *user_id,
                                gint64       posting_id,
                                GError     **error)
{
  JswPgParams p = { 0 };
  gint64 changes = 0;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_int (&p, posting_id);
  if (!jsw_pg_store_run (JSW_PG_STORE (store),
                         "DELETE FROM posting_left_swipes WHERE user_id = $1 AND posting_id = $2",
                         &p, &changes, error))
    return FALSE;
  if (changes == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND,
                           _("There is no left swipe on this posting to undo"));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  JswPgSwipeRight  swipe;
  gint64           posting_id;
  gboolean         allow_duplicate;
  JswEntry        *duplicate;
  gint64           duplicate_posting_id;
} SwipeRightPosting;

/* The person's live entry for a likely duplicate of the posting (another
 * posting of its group) and that posting's id, or none. */
static gboolean
find_duplicate_entry (JswPgStore         *self,
                      SwipeRightPosting  *call,
                      GError            **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, call->swipe.user_id);
  jsw_pg_params_int (&p, call->posting_id);
  result = jsw_pg_store_exec (self,
                              "SELECT e.id, q.id FROM postings p"
                              " JOIN postings q ON q.group_id = p.group_id AND q.id <> p.id"
                              " JOIN entries e ON e.job_id = q.job_id AND e.user_id = $1 AND e.cancelled_at IS NULL"
                              " WHERE p.id = $2 ORDER BY e.created_at LIMIT 1",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;
  call->duplicate_posting_id = jsw_pg_int (result, 0, 1);
  call->duplicate = jsw_pg_store_load_entry (self, call->swipe.user_id, jsw_pg_text (result, 0, 0), FALSE, error);
  return call->duplicate != NULL;
}

/* Two right swipes on two copies of a job through two processes at once
 * are one after the other: each takes a lock on the person and the
 * posting's group for its transaction first, so the second sees the
 * first's entry. */
static gboolean
swipe_right_posting_in_tx (JswPgStore  *self,
                           gpointer     data,
                           GPtrArray   *events,
                           GError     **error)
{
  SwipeRightPosting *call = data;
  JswPgParams p = { 0 };

  g_clear_pointer (&call->duplicate, jsw_entry_unref);
  call->duplicate_posting_id = 0;
  jsw_pg_params_text (&p, call->swipe.user_id);
  jsw_pg_params_int (&p, call->posting_id);
  if (!jsw_pg_store_run (self,
                         "SELECT pg_advisory_xact_lock(hashtext($1 || ':feed'),"
                         " (SELECT coalesce(max(group_id), 0)::int FROM postings WHERE id = $2))",
                         &p, NULL, error))
    return FALSE;
  if (!call->allow_duplicate)
    {
      if (!find_duplicate_entry (self, call, error))
        return FALSE;
      if (call->duplicate != NULL)
        {
          g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                               _("You applied to a likely duplicate of this posting"));
          return FALSE;
        }
    }
  return jsw_pg_store_swipe_right_in_tx (self, &call->swipe, events, error);
}

JswEntry *
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
  SwipeRightPosting call = { { user_id, job, now, FALSE, NULL }, posting_id, allow_duplicate, NULL, 0 };
  gboolean done = jsw_pg_store_transact (JSW_PG_STORE (store), swipe_right_posting_in_tx, &call, events, error);

  *created = done && call.swipe.created;
  *duplicate = g_steal_pointer (&call.duplicate);
  *duplicate_posting_id = call.duplicate_posting_id;
  if (!done)
    {
      g_clear_pointer (&call.swipe.entry, jsw_entry_unref);
      return NULL;
    }
  return call.swipe.entry;
}
