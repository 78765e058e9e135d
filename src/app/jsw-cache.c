/* jsw-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "jsw-cache.h"

struct _JswCache
{
  GObject  parent_instance;

  sqlite3 *db;
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

static gboolean
fail (JswCache  *self,
      GError   **error)
{
  g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

/* Runs one statement with text parameters (NULL binds NULL). */
static gboolean
run (JswCache    *self,
     const char  *sql,
     GError     **error,
     ...)
{
  sqlite3_stmt *stmt = NULL;
  const char *value;
  va_list args;
  int i = 1, rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail (self, error);
  va_start (args, error);
  for (int n = sqlite3_bind_parameter_count (stmt); i <= n; i++)
    {
      value = va_arg (args, const char *);
      sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
    }
  va_end (args);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return fail (self, error);
  return TRUE;
}

/* Returns the first column of the first row, or NULL. */
static char *
query_text (JswCache   *self,
            const char *sql,
            const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
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
  g_autofree char *created = g_strdup_printf ("%" G_GINT64_FORMAT, entry->created_at);

  return run (self, "INSERT INTO entries (id, json, created_at) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (id) DO UPDATE SET json = ?2", error, entry->id, json, created);
}

/* The entry and the seq it came with change together, so a crash between
 * them can neither skip a change nor apply one twice. */
gboolean
jsw_cache_store_entry (JswCache  *self,
                       JswEntry  *entry,
                       gint64     seq,
                       GError   **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  if (!run (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!store_entry_row (self, entry, error) ||
      !jsw_cache_set_meta (self, "last_seq", seq_text, error) ||
      !run (self, "COMMIT", error))
    {
      run (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
jsw_cache_replace_all (JswCache   *self,
                       GPtrArray  *entries,
                       gint64      seq,
                       GError    **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  if (!run (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!run (self, "DELETE FROM entries", error))
    goto failed;
  for (guint i = 0; i < entries->len; i++)
    if (!store_entry_row (self, g_ptr_array_index (entries, i), error))
      goto failed;
  if (!jsw_cache_set_meta (self, "last_seq", seq_text, error) || !run (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  run (self, "ROLLBACK", NULL);
  return FALSE;
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
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT json FROM entries ORDER BY created_at DESC, rowid DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (self, error);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JswEntry *entry = entry_from_json ((const char *) sqlite3_column_text (stmt, 0));

      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  sqlite3_finalize (stmt);
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
  g_autofree char *step_text = g_strdup_printf ("%d", (int) step);

  return run (self, "UPDATE runs SET max_step = max(max_step, CAST(?2 AS INTEGER)) WHERE entry_id = ?1",
              error, entry_id, step_text);
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
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT entry_id FROM runs WHERE finished = 0", -1, &stmt, NULL) != SQLITE_OK)
    return ids;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
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
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, request_id, lease, frame FROM outbox ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return items;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JswOutboxItem *item = g_new0 (JswOutboxItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->request_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->lease = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      item->frame = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);
  return items;
}

gboolean
jsw_cache_outbox_remove (JswCache  *self,
                         gint64     id,
                         GError   **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return run (self, "DELETE FROM outbox WHERE id = CAST(?1 AS INTEGER)", error, id_text);
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

  if (self->db != NULL)
    sqlite3_close (self->db);
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
  char *message = NULL;

  g_mkdir_with_parents (dir, 0700);
  if (sqlite3_open (path, &self->db) != SQLITE_OK)
    {
      fail (self, error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", NULL, NULL, &message) != SQLITE_OK ||
      sqlite3_exec (self->db, schema, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s", message);
      sqlite3_free (message);
      return NULL;
    }
  return g_steal_pointer (&self);
}
