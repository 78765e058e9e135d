/* jsw-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-cache"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-cache.h"
#include "jsw-sqlite.h"

struct _JswCache
{
  GObject    parent_instance;

  JswSqlite *db;
};

static void jsw_cache_queue_store_init (JswQueueStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswCache, jsw_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_QUEUE_STORE, jsw_cache_queue_store_init))

static const char *schema =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE IF NOT EXISTS entries ("
  "  id TEXT PRIMARY KEY, json TEXT NOT NULL, created_at INTEGER NOT NULL);"
  /* max_step: the furthest step this device reported for the run */
  "CREATE TABLE IF NOT EXISTS runs ("
  "  entry_id TEXT PRIMARY KEY, lease TEXT NOT NULL, max_step INTEGER NOT NULL DEFAULT -1,"
  "  finished INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT, lease TEXT NOT NULL, frame TEXT NOT NULL);";

/* Runs one statement whose parameters are all text (NULL binds NULL). */
static gboolean
run (JswCache    *self,
     const char  *sql,
     GError     **error,
     ...)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  va_list args;

  if (stmt == NULL)
    return FALSE;
  va_start (args, error);
  for (int i = 1, n = sqlite3_bind_parameter_count (stmt); i <= n; i++)
    jsw_sqlite_bind_text (stmt, i, va_arg (args, const char *));
  va_end (args);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* Returns the first column of the first row, or NULL. */
static char *
query_text (JswCache   *self,
            const char *sql,
            const char *param)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, NULL);
  gboolean has_row = FALSE;
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, param);
  if (jsw_sqlite_step_row (self->db, stmt, &has_row, NULL) && has_row)
    value = g_strdup (jsw_sqlite_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

char *
jsw_cache_get_meta (JswCache   *self,
                    const char *key)
{
  return query_text (self, "SELECT value FROM meta WHERE key = ?1", key);
}

gboolean
jsw_cache_set_meta (JswCache    *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  return run (self, "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                    " ON CONFLICT (key) DO UPDATE SET value = ?2", error, key, value);
}

gint64
jsw_cache_get_last_seq (JswCache *self)
{
  g_autofree char *seq = jsw_cache_get_meta (self, "last_seq");

  return seq ? g_ascii_strtoll (seq, NULL, 10) : 0;
}

static gboolean
store_entry_row (JswCache  *self,
                 JswEntry  *entry,
                 GError   **error)
{
  g_autofree char *json = jsw_entry_to_json (entry);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO entries (id, json, created_at) VALUES (?1, ?2, ?3)"
                                           " ON CONFLICT (id) DO UPDATE SET json = ?2",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry->id);
  jsw_sqlite_bind_text (stmt, 2, json);
  jsw_sqlite_bind_int (stmt, 3, entry->created_at);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
set_last_seq (JswCache  *self,
              gint64     seq,
              GError   **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  return jsw_cache_set_meta (self, "last_seq", seq_text, error);
}

/* The entry and the seq it came with change together, so a crash between
 * them can neither skip a change nor apply one twice. */
gboolean
jsw_cache_store_entry (JswCache  *self,
                       JswEntry  *entry,
                       gint64     seq,
                       GError   **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);

  return tx != NULL &&
         store_entry_row (self, entry, error) &&
         set_last_seq (self, seq, error) &&
         jsw_sqlite_transaction_commit (tx, error);
}

gboolean
jsw_cache_replace_all (JswCache   *self,
                       GPtrArray  *entries,
                       gint64      seq,
                       GError    **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);

  if (tx == NULL || !run (self, "DELETE FROM entries", error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!store_entry_row (self, g_ptr_array_index (entries, i), error))
      return FALSE;
  return set_last_seq (self, seq, error) && jsw_sqlite_transaction_commit (tx, error);
}

static JswEntry *
entry_from_json (const char *json)
{
  g_autoptr(JsonNode) root = json ? jsw_json_parse (json, -1, NULL) : NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return jsw_entry_new_from_object (json_node_get_object (root), NULL);
}

/* Newest first, like the server's queue. Times have whole seconds, so
 * swipes of the same second keep the order the stream delivered them in
 * (an upsert keeps its row). */
GPtrArray *
jsw_cache_list_entries (JswCache  *self,
                        GError   **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT json FROM entries ORDER BY created_at DESC, rowid DESC",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswEntry *entry = entry_from_json (jsw_sqlite_column_text (stmt, 0));

      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&entries);
}

JswEntry *
jsw_cache_get_entry (JswCache   *self,
                     const char *id)
{
  g_autofree char *json = query_text (self, "SELECT json FROM entries WHERE id = ?1", id);

  return entry_from_json (json);
}

/* Runs */

gboolean
jsw_cache_run_started (JswCache    *self,
                       const char  *entry_id,
                       const char  *lease,
                       GError     **error)
{
  return run (self, "INSERT INTO runs (entry_id, lease) VALUES (?1, ?2)"
                    " ON CONFLICT (entry_id) DO UPDATE SET lease = ?2, max_step = -1, finished = 0",
              error, entry_id, lease);
}

gboolean
jsw_cache_run_reached (JswCache    *self,
                       const char  *entry_id,
                       JswStep      step,
                       GError     **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE runs SET max_step = max(max_step, ?2) WHERE entry_id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_int (stmt, 2, step);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

gboolean
jsw_cache_run_finished (JswCache    *self,
                        const char  *entry_id,
                        GError     **error)
{
  return run (self, "UPDATE runs SET finished = 1 WHERE entry_id = ?1", error, entry_id);
}

/* An entry may be run by this device unless an earlier run of it got as
 * far as submitting: that one may have been sent, and only a person can
 * tell (PROTOCOL.md: no code path re-runs an attempt that reached
 * `submitting`). */
gboolean
jsw_cache_run_may_start (JswCache   *self,
                         const char *entry_id)
{
  g_autofree char *max_step = query_text (self, "SELECT max_step FROM runs WHERE entry_id = ?1", entry_id);

  return max_step == NULL || g_ascii_strtoll (max_step, NULL, 10) < JSW_STEP_SUBMITTING;
}

/* Runs that were going when the app stopped (crashed, killed). */
GPtrArray *
jsw_cache_interrupted_runs (JswCache *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT entry_id FROM runs WHERE finished = 0", NULL);
  gboolean has_row;

  if (stmt == NULL)
    return ids;
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, NULL) && has_row)
    g_ptr_array_add (ids, g_strdup (jsw_sqlite_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}

/* Outbox */

gboolean
jsw_cache_outbox_add (JswCache    *self,
                      const char  *request_id,
                      const char  *lease,
                      const char  *frame,
                      GError     **error)
{
  /* Only the newest progress of a lease matters: older ones are dropped. */
  if (request_id == NULL &&
      !run (self, "DELETE FROM outbox WHERE lease = ?1 AND request_id IS NULL", error, lease))
    return FALSE;
  return run (self, "INSERT INTO outbox (request_id, lease, frame) VALUES (?1, ?2, ?3)",
              error, request_id, lease, frame);
}

GPtrArray *
jsw_cache_outbox_list (JswCache *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_outbox_item_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT id, request_id, lease, frame FROM outbox ORDER BY id", NULL);
  gboolean has_row;

  if (stmt == NULL)
    return items;
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, NULL) && has_row)
    {
      JswOutboxItem *item = g_new0 (JswOutboxItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->request_id = g_strdup (jsw_sqlite_column_text (stmt, 1));
      item->lease = g_strdup (jsw_sqlite_column_text (stmt, 2));
      item->frame = g_strdup (jsw_sqlite_column_text (stmt, 3));
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  return items;
}

gboolean
jsw_cache_outbox_remove (JswCache  *self,
                         gint64     id,
                         GError   **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "DELETE FROM outbox WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, id);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

gboolean
jsw_cache_outbox_remove_request (JswCache    *self,
                                 const char  *request_id,
                                 GError     **error)
{
  return run (self, "DELETE FROM outbox WHERE request_id = ?1", error, request_id);
}

/* The queue client's store: the same calls, through the interface. */
static void
jsw_cache_queue_store_init (JswQueueStoreInterface *iface)
{
  iface->get_last_seq = (gint64 (*) (JswQueueStore *)) jsw_cache_get_last_seq;
  iface->store_entry = (gboolean (*) (JswQueueStore *, JswEntry *, gint64, GError **)) jsw_cache_store_entry;
  iface->replace_all = (gboolean (*) (JswQueueStore *, GPtrArray *, gint64, GError **)) jsw_cache_replace_all;
  iface->outbox_add = (gboolean (*) (JswQueueStore *, const char *, const char *, const char *, GError **)) jsw_cache_outbox_add;
  iface->outbox_list = (GPtrArray * (*) (JswQueueStore *)) jsw_cache_outbox_list;
  iface->outbox_remove = (gboolean (*) (JswQueueStore *, gint64, GError **)) jsw_cache_outbox_remove;
  iface->outbox_remove_request = (gboolean (*) (JswQueueStore *, const char *, GError **)) jsw_cache_outbox_remove_request;
}

static void
jsw_cache_finalize (GObject *object)
{
  JswCache *self = (JswCache *) object;

  g_clear_pointer (&self->db, jsw_sqlite_close);
  G_OBJECT_CLASS (jsw_cache_parent_class)->finalize (object);
}

static void
jsw_cache_class_init (JswCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_cache_finalize;
}

static void
jsw_cache_init (JswCache *self)
{
}

JswCache *
jsw_cache_open (const char  *path,
                GError     **error)
{
  g_autoptr(JswCache) self = g_object_new (JSW_TYPE_CACHE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  self->db = jsw_sqlite_open (path, 5000, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", error);
  if (self->db == NULL || !jsw_sqlite_exec (self->db, schema, error))
    return NULL;
  return g_steal_pointer (&self);
}
