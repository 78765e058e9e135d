/* jsw-sqlite-store-feed.c: the SQLite store's searches, feed and swipes
 * by posting (issue 12)
 *
 * The feed is one keyset-paged query per tier over the open postings in
 * (sort_at, id) order, with full text through FTS5 (the unicode61
 * tokenizer without diacritics: whole words, any case, accents ignored).
 * Every filter is a bound parameter, so the statements are a fixed few and
 * stay prepared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-posting.h"
#include "jsw-search.h"
#include "jsw-sqlite-store-private.h"

/* Searches */

JswSearch *
jsw_sqlite_store_get_search (JswStore    *store,
                             const char  *user_id,
                             GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT search, updated_at FROM searches WHERE user_id = ?1", error);
  g_autoptr(JsonNode) root = NULL;
  JswSearch *search;
  JsonObject *object;
  gboolean has_row;
  gint64 updated_at;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      return jsw_search_new_empty ();
    }
  object = jsw_json_parse_object (jsw_sqlite_column_text (stmt, 0), -1, &root, error);
  updated_at = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  if (object == NULL)
    return NULL;
  search = jsw_search_from_stored (object, error);
  if (search != NULL)
    search->updated_at = updated_at;
  return search;
}

gboolean
jsw_sqlite_store_put_search (JswStore    *store,
                             const char  *user_id,
                             JswSearch   *search,
                             gint64       now,
                             GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 last = 0;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "SELECT updated_at FROM searches WHERE user_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    last = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Every save is a new version, even within one clock tick: a cursor of
   * the search before must be told. */
  search->updated_at = MAX (now, last + 1);
  node = jsw_search_to_node (search);
  json = jsw_json_node_to_string (node);
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO searches (user_id, search, updated_at) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (user_id) DO UPDATE SET search = excluded.search,"
                             " updated_at = excluded.updated_at",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, json);
  jsw_sqlite_bind_int (stmt, 3, search->updated_at);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

/* The server's secrets (jsw_store_server_secret()) */

char *
jsw_sqlite_store_server_secret (JswStore    *store,
                                const char  *name,
                                const char  *candidate,
                                GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;
  gboolean has_row;
  g_autofree char *secret = NULL;

  if (tx == NULL)
    return NULL;
  stmt = jsw_sqlite_prepare (self->db, "INSERT INTO server_secrets (name, secret) VALUES (?1, ?2)"
                                       " ON CONFLICT (name) DO NOTHING", error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, name);
  jsw_sqlite_bind_text (stmt, 2, candidate);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;
  stmt = jsw_sqlite_prepare (self->db, "SELECT secret FROM server_secrets WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, name);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  secret = g_strdup (has_row ? jsw_sqlite_column_text (stmt, 0) : NULL);
  sqlite3_reset (stmt);
  if (!jsw_sqlite_transaction_commit (tx, error))
    return NULL;
  return g_steal_pointer (&secret);
}

/* The feed */

/* Open, after the cursor, not hidden from ?1 (a left swipe on any posting
 * of its group), the first open posting of its group, matching the
 * filters, and without a live entry of ?1 for any posting of its group.
 *
 * The terms are evaluated in this order, cheapest rejection first, and
 * all but the last read nothing but the feed's index postings_feed, which
 * holds each open posting's (sort_at, id, group_id) and the columns the
 * filters read (remote, employment_type, company_key, locations_key,
 * schema 12): SQLite reads a posting's row only for a posting it gives
 * back (EXPLAIN QUERY PLAN: "SEARCH p USING INDEX postings_feed"). Rows
 * are ~5 KiB, the filters' columns come after the description, so a
 * filter read from the row read its overflow pages: with keywords,
 * locations and a type, the first page of a person who swiped the 10,000
 * newest read ~8,000 pages that way.
 *
 * A person who swiped the 10,000 newest postings has a first page that
 * passes them all, so the left swipes come first. On the first page, the
 * groups the person swiped left are read once into a set (?12, a JswIdSet),
 * and each posting's group is looked up in it; on a page after a cursor
 * (?13 = 1), each posting probes posting_left_swipes_by_group, a b-tree
 * search keyed by the user's id. A person swipes what they were shown,
 * which is before their cursor, so a later page passes few swiped
 * postings, and reading 10,000 swipes into the set would cost it more
 * than its probes (server CPU a page under load, bench/feed-page
 * --newest: the first page 9.6 -> 2.5 ms with the set, a later page
 * 1.05 -> 2.7 ms with it too). SQLite's own NOT IN (SELECT ...) set was
 * tried before: 4.6 ms for the first page, its b-tree built an insert at
 * a time. Live
 * entries stay a correlated check, last: only postings that passed every
 * other term get there. A set of keyword matches (below) is checked
 * before anything else after the cursor (it turns away most postings of
 * a search), a per-posting full-text probe last. */
#define FEED_OPEN " p.open = 1 AND (p.sort_at, p.id) < (?7, ?8)"
#define FEED_HIDDEN \
  " AND NOT jsw_in_set(?12, p.group_id)" \
  " AND (?13 = 0 OR NOT EXISTS (SELECT 1 FROM posting_left_swipes s WHERE s.user_id = ?1" \
  "                              AND s.group_id = p.group_id))" \
  " AND NOT EXISTS (SELECT 1 FROM postings q WHERE q.group_id = p.group_id AND q.open = 1 AND q.id < p.id)"
/* The filters (from the index), then what needs more than the posting's
 * index entry. ?6 is the set of postings holding an excluded keyword. */
#define FEED_TAIL \
  " AND (?2 = 0 OR p.remote = 1)" \
  " AND (?3 IS NULL OR p.employment_type IS NULL OR instr(?3, ',' || p.employment_type || ',') > 0)" \
  " AND (?4 IS NULL OR instr(?4, char(31) || p.company_key || char(31)) = 0)" \
  " AND (?5 IS NULL OR jsw_contains_any(p.locations_key, ?5))" \
  " AND NOT jsw_in_set(?6, p.id)" \
  " AND NOT EXISTS (SELECT 1 FROM postings q WHERE q.group_id = p.group_id AND EXISTS" \
  "                 (SELECT 1 FROM entries e WHERE e.user_id = ?1 AND e.job_id = q.job_id" \
  "                  AND e.cancelled_at IS NULL))"

#define FEED_SELECT "SELECT p.id, p.sort_at, p.job, p.questions FROM postings p WHERE"
#define FEED_ORDER " ORDER BY p.sort_at DESC, p.id DESC LIMIT ?9"

/* Keywords in titles (tier 0) are looked up in the index once, into a
 * set (?10), and the feed read in its order among the matches: titles
 * are short, so even a common word ("engineer", in 45% of 100,000
 * titles) costs ~2.5 ms of CPU. Keywords only in descriptions (tier 1)
 * are matched in one of two ways, chosen per request by how many
 * postings hold the words (estimate_matches()): words in many are checked
 * posting by posting while the feed is read in its order (a page stops
 * after a few dozen checks of ~50 µs), words in few are looked up once
 * into a set (?11). Either alone is slow for the other kind of word:
 * seconds for a rare phrase checked posting by posting, tens of ms to look
 * up a word in every description. Tier 1 leaves out the title matches
 * with the tier 0 set, before the full-text probe. */
#define TITLE_MATCH_SET   " jsw_in_set(?10, p.id)"
#define ANY_MATCH_SET     " jsw_in_set(?11, p.id)"
#define ANY_MATCH_PROBE   " EXISTS (SELECT 1 FROM postings_fts f WHERE f.rowid = p.id AND postings_fts MATCH ?11)"

enum {
  QUERY_ALL,
  QUERY_TITLE_SET,
  QUERY_DESCRIPTION_PROBE,
  QUERY_DESCRIPTION_SET,
};

static const char *const feed_queries[] = {
  /* Without keywords: one tier. */
  [QUERY_ALL] = FEED_SELECT FEED_OPEN FEED_HIDDEN FEED_TAIL FEED_ORDER,
  /* Tier 0: a keyword in the title (?10). */
  [QUERY_TITLE_SET] = FEED_SELECT FEED_OPEN " AND" TITLE_MATCH_SET FEED_HIDDEN FEED_TAIL FEED_ORDER,
  /* Tier 1: keywords (?11) only in the description. */
  [QUERY_DESCRIPTION_PROBE] = FEED_SELECT FEED_OPEN " AND NOT" TITLE_MATCH_SET FEED_HIDDEN FEED_TAIL
                              " AND" ANY_MATCH_PROBE FEED_ORDER,
  [QUERY_DESCRIPTION_SET] = FEED_SELECT FEED_OPEN " AND" ANY_MATCH_SET " AND NOT" TITLE_MATCH_SET FEED_HIDDEN
                            FEED_TAIL FEED_ORDER,
};

/* How many postings hold @word, from FTS5's vocabulary table, which counts
 * them by reading the word's whole list: 4.8 ms of CPU for "payments",
 * in 99,940 of 100,000 descriptions, asked again by every page of the
 * description tier. The count only chooses how a page is read, never what
 * it holds, so it is kept a while (TERM_POSTINGS_KEPT) per connection. */
typedef struct {
  gint64 postings;
  gint64 counted_at;  /* monotonic µs */
} TermPostings;

#define TERM_POSTINGS_KEPT (5 * G_TIME_SPAN_MINUTE)
#define TERM_POSTINGS_MAX  1000

static gboolean
postings_holding (JswSqliteStore  *self,
                  sqlite3_stmt    *stmt,
                  const char      *word,
                  gint64          *postings,
                  GError         **error)
{
  TermPostings *known = g_hash_table_lookup (self->term_postings, word);
  gint64 now = g_get_monotonic_time ();
  gboolean has_row;

  if (known != NULL && now - known->counted_at < TERM_POSTINGS_KEPT)
    {
      *postings = known->postings;
      return TRUE;
    }
  sqlite3_reset (stmt);
  jsw_sqlite_bind_text (stmt, 1, word);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  *postings = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (g_hash_table_size (self->term_postings) >= TERM_POSTINGS_MAX)
    g_hash_table_remove_all (self->term_postings);
  known = g_new (TermPostings, 1);
  *known = (TermPostings) { *postings, now };
  g_hash_table_replace (self->term_postings, g_strdup (word), known);
  return TRUE;
}

/* How many postings hold @words, roughly (an upper bound: for a phrase,
 * its rarest word; for several keywords, the sum), from the index's own
 * counts (FTS5's vocabulary table): a lookup per word. */
static gboolean
estimate_matches (JswSqliteStore  *self,
                  char           **keywords,
                  gint64          *matches,
                  GError         **error)
{
  sqlite3_stmt *stmt;

  *matches = 0;
  if (!self->feed_vocabulary &&
      !jsw_sqlite_exec (self->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.postings_fts_terms"
                                  " USING fts5vocab (main, postings_fts, row)", error))
    return FALSE;
  self->feed_vocabulary = TRUE;
  stmt = jsw_sqlite_prepare (self->db, "SELECT doc FROM temp.postings_fts_terms WHERE term = ?1", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; keywords[i] != NULL; i++)
    {
      g_autofree char *key = jsw_posting_normalise_key (keywords[i]);
      g_auto(GStrv) words = g_strsplit (key, " ", -1);
      gint64 rarest = G_MAXINT64;

      for (guint w = 0; words[w] != NULL; w++)
        {
          gint64 postings;

          if (*words[w] == '\0')
            continue;
          if (!postings_holding (self, stmt, words[w], &postings, error))
            return FALSE;
          rarest = MIN (rarest, postings);
        }
      *matches += rarest == G_MAXINT64 ? 0 : rarest;
    }
  return TRUE;
}

/* Whether the words are in so many postings (a third or more) that
 * checking posting by posting finds a page sooner than looking them all up
 * (measured on 100,000 postings: a check costs ~50 µs of CPU, a match
 * looked up ~0.2 µs). */
static gboolean
words_are_common (JswSqliteStore  *self,
                  char           **keywords,
                  gboolean        *common,
                  GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 matches;
  gint64 postings;
  gboolean has_row;

  if (!estimate_matches (self, keywords, &matches, error))
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db, "SELECT coalesce(max(id), 0) FROM postings", error);
  if (stmt == NULL || !jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  postings = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  *common = matches * 3 > postings;
  return TRUE;
}

/* An FTS5 query matching any of @words, each a phrase in double quotes
 * (so that nothing in them is FTS5 syntax), in @column or in all. */
static char *
match_any (char       **words,
           const char  *column)
{
  GString *query = g_string_new (column ? column : "");

  if (column != NULL)
    g_string_append (query, " : ");
  g_string_append_c (query, '(');
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (query, " OR ");
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
    }
  g_string_append_c (query, ')');
  return g_string_free (query, FALSE);
}

typedef struct {
  char *types;
  char *companies;
  char *locations;
  char *title_match;
  char *any_match;
  gboolean common_words;
  JswIdSet *hidden_groups;   /* the groups the person swiped left */
  JswIdSet *excluded;        /* postings holding an excluded keyword, or NULL */
  JswIdSet *title_matches;   /* postings with a keyword in the title */
  JswIdSet *any_matches;     /* postings with a keyword anywhere (tier 1, when the words are rare) */
} FeedParameters;

static void
feed_parameters_clear (FeedParameters *parameters)
{
  g_free (parameters->types);
  g_free (parameters->companies);
  g_free (parameters->locations);
  g_free (parameters->title_match);
  g_free (parameters->any_match);
  jsw_id_set_free (parameters->hidden_groups);
  jsw_id_set_free (parameters->excluded);
  jsw_id_set_free (parameters->title_matches);
  jsw_id_set_free (parameters->any_matches);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FeedParameters, feed_parameters_clear)

#define FTS_MATCHES "SELECT jsw_collect_ids(?2, rowid) FROM postings_fts WHERE postings_fts MATCH ?1"

static gboolean
read_tier (JswSqliteStore        *self,
           int                    tier,
           const char            *user_id,
           const JswSearch       *search,
           const FeedParameters  *parameters,
           gint64                 after_sort,
           gint64                 after_id,
           guint                  limit,
           GPtrArray             *items,
           GError               **error)
{
  const char *sql = !jsw_search_has_keywords (search) ? feed_queries[QUERY_ALL]
                    : tier == 0 ? feed_queries[QUERY_TITLE_SET]
                    : feed_queries[parameters->common_words ? QUERY_DESCRIPTION_PROBE : QUERY_DESCRIPTION_SET];
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, search->remote_only);
  jsw_sqlite_bind_text (stmt, 3, parameters->types);
  jsw_sqlite_bind_text (stmt, 4, parameters->companies);
  jsw_sqlite_bind_text (stmt, 5, parameters->locations);
  /* The sets stay the caller's; SQLite only borrows them for the run. */
  sqlite3_bind_pointer (stmt, 6, parameters->excluded, JSW_ID_SET_POINTER, NULL);
  jsw_sqlite_bind_int (stmt, 7, after_sort);
  jsw_sqlite_bind_int (stmt, 8, after_id);
  jsw_sqlite_bind_int (stmt, 9, limit);
  sqlite3_bind_pointer (stmt, 10, parameters->title_matches, JSW_ID_SET_POINTER, NULL);
  if (tier == 1 && parameters->common_words)
    jsw_sqlite_bind_text (stmt, 11, parameters->any_match);
  else
    sqlite3_bind_pointer (stmt, 11, parameters->any_matches, JSW_ID_SET_POINTER, NULL);
  sqlite3_bind_pointer (stmt, 12, parameters->hidden_groups, JSW_ID_SET_POINTER, NULL);
  jsw_sqlite_bind_int (stmt, 13, parameters->hidden_groups == NULL);
  for (;;)
    {
      JswFeedItem *item;

      if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
        {
          sqlite3_clear_bindings (stmt);
          return FALSE;
        }
      if (!has_row)
        break;
      item = g_new0 (JswFeedItem, 1);
      item->posting_id = sqlite3_column_int64 (stmt, 0);
      item->sort_at = sqlite3_column_int64 (stmt, 1);
      item->job_json = g_strdup (jsw_sqlite_column_text (stmt, 2));
      item->questions_json = g_strdup (jsw_sqlite_column_text (stmt, 3));
      item->tier = tier;
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  /* The statement stays prepared: it must not keep the sets' pointers. */
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

/* The sets a page needs: the person's hidden groups (on the first page,
 * see FEED_HIDDEN), the postings excluded, and for keywords the title
 * matches. */
static gboolean
read_page_sets (JswSqliteStore   *self,
                const char       *user_id,
                const JswSearch  *search,
                gboolean          first_page,
                FeedParameters   *parameters,
                GError          **error)
{
  g_autofree char *exclude = NULL;

  if (first_page &&
      (parameters->hidden_groups = jsw_id_set_read (self, "SELECT jsw_collect_ids(?2, group_id) FROM posting_left_swipes"
                                                      " WHERE user_id = ?1", user_id, error)) == NULL)
    return FALSE;
  if (search->exclude_keywords[0] != NULL)
    {
      exclude = match_any (search->exclude_keywords, NULL);
      parameters->excluded = jsw_id_set_read (self, FTS_MATCHES, exclude, error);
      if (parameters->excluded == NULL)
        return FALSE;
    }
  if (jsw_search_has_keywords (search))
    {
      parameters->title_match = match_any (search->keywords, "title");
      parameters->any_match = match_any (search->keywords, NULL);
      parameters->title_matches = jsw_id_set_read (self, FTS_MATCHES, parameters->title_match, error);
      if (parameters->title_matches == NULL)
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
jsw_sqlite_store_feed_page (JswStore             *store,
                            const char           *user_id,
                            const JswSearch      *search,
                            const JswFeedCursor  *after,
                            guint                 limit,
                            GError              **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_feed_item_free);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_read (self->db, error);
  g_auto(FeedParameters) parameters = { 0 };
  int tiers = jsw_search_has_keywords (search) ? 2 : 1;
  int first_tier = after != NULL ? after->tier : 0;

  if (tx == NULL)
    return NULL;
  parameters.types = jsw_search_types_list (search);
  parameters.companies = jsw_search_keys_list (search->exclude_companies, TRUE);
  parameters.locations = jsw_search_keys_list (search->locations, FALSE);
  /* In the page's read transaction: the sets are of the same snapshot. */
  if (!read_page_sets (self, user_id, search, after == NULL, &parameters, error))
    return NULL;

  /* One tier after the other, in one read transaction so that the page
   * is one snapshot of the postings. */
  for (int tier = first_tier; tier < tiers && items->len < limit; tier++)
    {
      gboolean resume = after != NULL && tier == after->tier;

      /* Only a page that reaches the description tier needs to know. */
      if (tier == 1)
        {
          if (!words_are_common (self, search->keywords, &parameters.common_words, error))
            return NULL;
          if (!parameters.common_words &&
              (parameters.any_matches = jsw_id_set_read (self, FTS_MATCHES, parameters.any_match, error)) == NULL)
            return NULL;
        }
      if (!read_tier (self, tier, user_id, search, &parameters,
                      resume ? after->sort_at : G_MAXINT64, resume ? after->posting_id : G_MAXINT64,
                      limit - items->len, items, error))
        return NULL;
    }
  if (!jsw_sqlite_transaction_commit (tx, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Swipes by posting */

JswPostingRecord *
jsw_sqlite_store_get_posting (JswStore  *store,
                              gint64     posting_id,
                              GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT open, job_id, job FROM postings WHERE id = ?1",
                                           error);
  JswPostingRecord *record;
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_int (stmt, 1, posting_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such posting"));
      return NULL;
    }
  record = g_new0 (JswPostingRecord, 1);
  record->posting_id = posting_id;
  record->open = sqlite3_column_int (stmt, 0) != 0;
  record->job_id = g_strdup (jsw_sqlite_column_text (stmt, 1));
  record->job_json = g_strdup (jsw_sqlite_column_text (stmt, 2));
  sqlite3_reset (stmt);
  return record;
}

gboolean
jsw_sqlite_store_left_swipe_posting (JswStore    *store,
                                     const char  *user_id,
                                     gint64       posting_id,
                                     gint64       now,
                                     GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO posting_left_swipes (user_id, posting_id, group_id, created_at)"
                             " SELECT ?1, id, group_id, ?3 FROM postings WHERE id = ?2"
                             " ON CONFLICT (user_id, posting_id) DO NOTHING",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, posting_id);
  jsw_sqlite_bind_int (stmt, 3, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

gboolean
jsw_sqlite_store_forget_left_swipe (JswStore    *store,
                                    const char  *user_id,
                                    gint64       posting_id,
                                    GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "DELETE FROM posting_left_swipes WHERE user_id = ?1 AND posting_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, posting_id);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (jsw_sqlite_changes (self->db) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND,
                           _("There is no left swipe on this posting to undo"));
      return FALSE;
    }
  return jsw_sqlite_transaction_commit (tx, error);
}

/* The person's live entry for a likely duplicate of the posting (another
 * posting of its group), with that posting's id; NULL with @error unset
 * when there is none. */
static JswEntry *
find_duplicate_entry (JswSqliteStore  *self,
                      const char      *user_id,
                      gint64           posting_id,
                      gint64          *duplicate_posting_id,
                      GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT e.id, q.id FROM postings p"
                                           " JOIN postings q ON q.group_id = p.group_id AND q.id != p.id"
                                           " JOIN entries e ON e.job_id = q.job_id AND e.user_id = ?1"
                                           "  AND e.cancelled_at IS NULL"
                                           " WHERE p.id = ?2 ORDER BY e.created_at LIMIT 1",
                                           error);
  g_autofree char *entry_id = NULL;
  gboolean has_row;

  *duplicate_posting_id = 0;
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, posting_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  entry_id = g_strdup (jsw_sqlite_column_text (stmt, 0));
  *duplicate_posting_id = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return jsw_sqlite_store_load_entry (self, user_id, entry_id, error);
}

/* The check for a likely duplicate and the entry's creation are one write
 * transaction (BEGIN IMMEDIATE): two right swipes on two copies of a job,
 * through two connections at once, are one after the other, and the second
 * sees the first's entry. */
JswEntry *
jsw_sqlite_store_swipe_right_posting (JswStore    *store,
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
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_store_begin_change (self, events, error);
  GError *local_error = NULL;

  *created = FALSE;
  *duplicate = NULL;
  *duplicate_posting_id = 0;
  if (tx == NULL)
    return NULL;
  if (!allow_duplicate)
    {
      *duplicate = find_duplicate_entry (self, user_id, posting_id, duplicate_posting_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (*duplicate != NULL)
        {
          g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                               _("You applied to a likely duplicate of this posting"));
          return NULL;
        }
    }
  return jsw_sqlite_store_swipe_right_in (self, tx, user_id, job, now, created, events, error);
}
