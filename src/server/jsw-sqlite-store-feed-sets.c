/* jsw-sqlite-store-feed-sets.c: the SQL functions the SQLite store's
 * feed queries call, and the sets of ids they test (issue 12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-sqlite-store-private.h"

/* jsw_contains_any(HAYSTACK, NEEDLES): whether HAYSTACK contains one of
 * NEEDLES, which are separated by U+001F (the locations filter: "berlin"
 * is in "\x1fberlin germany\x1fremote eu\x1f"). */
static void
contains_any (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  const char *haystack = (const char *) sqlite3_value_text (argv[0]);
  const char *needles = (const char *) sqlite3_value_text (argv[1]);
  g_auto(GStrv) owned = NULL;
  char **list;

  if (haystack == NULL || needles == NULL)
    {
      sqlite3_result_int (context, 0);
      return;
    }
  /* NEEDLES is the same bound parameter for every posting of a page:
   * split once and kept by SQLite beside it for the statement's run
   * (which SQLite may also decline: then split here each time). */
  list = sqlite3_get_auxdata (context, 1);
  if (list == NULL)
    {
      sqlite3_set_auxdata (context, 1, g_strsplit (needles, "\x1f", -1), (void (*) (void *)) g_strfreev);
      list = sqlite3_get_auxdata (context, 1);
    }
  if (list == NULL)
    list = owned = g_strsplit (needles, "\x1f", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (*list[i] != '\0' && strstr (haystack, list[i]) != NULL)
      {
        sqlite3_result_int (context, 1);
        return;
      }
  sqlite3_result_int (context, 0);
}

/* JswIdSet (jsw-sqlite-store-private.h): a set of posting (or group)
 * ids, one bit each: what a page's query asks "is this posting among
 * them?" of, once per posting it passes. The set is read once per page,
 * before the query: the ids FTS5 matches for the keywords, or the groups
 * the person swiped left. A bit costs a fraction of what SQLite's own
 * IN (SELECT ...) list costs to build (an ephemeral b-tree, an insert per
 * id: 6 ms of CPU for the 45,000 postings with "engineer" in their
 * title, ~2.5 ms here), and a look-up is a bit test instead of a b-tree
 * search. */
void
jsw_id_set_free (JswIdSet *set)
{
  if (set == NULL)
    return;
  g_free (set->words);
  g_free (set);
}

static void
id_set_add (JswIdSet *set,
            gint64    id)
{
  gsize word = (gsize) id / 64;

  if (id < 0)
    return;
  if (word >= set->n_words)
    {
      gsize n_words = MAX (word + 1, set->n_words * 2);

      set->words = g_renew (guint64, set->words, n_words);
      memset (set->words + set->n_words, 0, (n_words - set->n_words) * sizeof (guint64));
      set->n_words = n_words;
    }
  set->words[word] |= G_GUINT64_CONSTANT (1) << (id % 64);
}

static gboolean
id_set_contains (const JswIdSet *set,
                 gint64       id)
{
  gsize word = (gsize) id / 64;

  return set != NULL && id >= 0 && word < set->n_words &&
         (set->words[word] & (G_GUINT64_CONSTANT (1) << (id % 64))) != 0;
}

/* jsw_collect_ids(SET, ID): an aggregate that adds each ID to SET (an
 * JswIdSet bound with sqlite3_bind_pointer()) inside the one step of its
 * statement, instead of a row handed back to C for each. */
static void
collect_ids_step (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  JswIdSet *set = sqlite3_value_pointer (argv[0], JSW_ID_SET_POINTER);

  if (set != NULL)
    id_set_add (set, sqlite3_value_int64 (argv[1]));
}

static void
collect_ids_final (sqlite3_context *context)
{
  sqlite3_result_null (context);
}

/**
 * jsw_id_set_read:
 * @sql: an aggregate query over jsw_collect_ids(?2, id), ?1 its parameter
 * @text: ?1
 *
 * Returns: (transfer full): the ids @sql collects, as a set; %NULL with
 *   @error set when it fails
 */
JswIdSet *
jsw_id_set_read (JswSqliteStore  *self,
                 const char      *sql,
                 const char      *text,
                 GError         **error)
{
  g_autoptr(JswIdSet) set = g_new0 (JswIdSet, 1);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  gboolean has_row;
  gboolean ok;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, text);
  sqlite3_bind_pointer (stmt, 2, set, JSW_ID_SET_POINTER, NULL);
  ok = jsw_sqlite_step_row (self->db, stmt, &has_row, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok ? g_steal_pointer (&set) : NULL;
}

/* jsw_in_set(SET, ID): whether ID is in SET, an JswIdSet bound with
 * sqlite3_bind_pointer() (none bound: an empty set). */
static void
in_set (sqlite3_context  *context,
        int               argc,
        sqlite3_value   **argv)
{
  const JswIdSet *set = sqlite3_value_pointer (argv[0], JSW_ID_SET_POINTER);

  sqlite3_result_int (context, id_set_contains (set, sqlite3_value_int64 (argv[1])));
}

gboolean
jsw_sqlite_store_init_feed (JswSqliteStore  *self,
                            GError         **error)
{
  sqlite3 *db = jsw_sqlite_get_handle (self->db);
  int rc = sqlite3_create_function_v2 (db, "jsw_contains_any", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                       contains_any, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "jsw_in_set", 2, SQLITE_UTF8, NULL, in_set, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "jsw_collect_ids", 2, SQLITE_UTF8, NULL, NULL, collect_ids_step,
                                     collect_ids_final, NULL);
  return rc == SQLITE_OK || jsw_sqlite_set_error (self->db, rc, error);
}

