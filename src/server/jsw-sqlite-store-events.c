/* jsw-sqlite-store-events.c: the SQLite store's event log behind `seq`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include "jsw-sqlite-store-private.h"

/* The newest seq of @channel, 0 before its first change; -1 with @error
 * set on failure. */
static gint64
last_seq (JswSqliteStore  *self,
          const char      *channel,
          GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT coalesce(max(seq), 0) FROM events WHERE channel = ?1", error);
  gint64 seq = 0;

  if (stmt == NULL)
    return -1;
  jsw_sqlite_bind_text (stmt, 1, channel);
  if (!jsw_sqlite_step_int (self->db, stmt, &seq, error))
    return -1;
  return seq;
}

/* The log keeps the entry without its snapshot (@stored_json): the
 * snapshot never changes and is stored once, with the entry; a replay
 * splices it back. What is published now is the whole entry (@entry_json). */
static gboolean
append_event (JswSqliteStore  *self,
              const char      *channel,
              JswEntry        *entry,
              const char      *stored_json,
              const char      *entry_json,
              GPtrArray       *events,
              GError         **error)
{
  sqlite3_stmt *stmt;
  JswEvent *event;
  gint64 seq = last_seq (self, channel, error);

  if (seq < 0)
    return FALSE;
  seq++;

  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO events (channel, seq, entry_id, entry, snapshot_spliced)"
                             " VALUES (?1, ?2, ?3, ?4, 1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, channel);
  jsw_sqlite_bind_int (stmt, 2, seq);
  jsw_sqlite_bind_text (stmt, 3, entry->id);
  jsw_sqlite_bind_text (stmt, 4, stored_json);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  if (events != NULL)
    {
      event = g_new0 (JswEvent, 1);
      event->channel = g_strdup (channel);
      event->seq = seq;
      event->entry_json = g_strdup (entry_json);
      g_ptr_array_add (events, event);
    }
  return TRUE;
}

/* Records that @entry_id changed: reads it back, and logs the change on the
 * user's channel and, when it became a queued server entry, on the workers'
 * channel. Returns the entry as it is now. */
JswEntry *
jsw_sqlite_store_record_change (JswSqliteStore  *self,
                                const char      *entry_id,
                                GPtrArray       *events,
                                GError         **error)
{
  g_autoptr(JswEntry) entry = jsw_sqlite_store_load_entry (self, NULL, entry_id, error);
  g_autofree char *stored = NULL;
  g_autofree char *json = NULL;
  g_autofree char *channel = NULL;

  if (entry == NULL)
    return NULL;

  stored = jsw_entry_to_json_without_snapshot (entry);
  json = jsw_entry_json_add_snapshot (stored, entry->snapshot_json);
  channel = jsw_store_user_channel (entry->user_id);
  if (!append_event (self, channel, entry, stored, json, events, error))
    return NULL;

  if (entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_SERVER &&
      !append_event (self, JSW_STORE_WORKERS_CHANNEL, entry, stored, json, events, error))
    return NULL;

  return g_steal_pointer (&entry);
}

/**
 * jsw_sqlite_store_begin_change:
 * @events: (nullable): where the write appends the events it publishes
 *
 * Starts a write that changes entries: a write transaction that, if it is
 * rolled back, also forgets the events it added to @events (they describe
 * changes that did not happen).
 *
 * Returns: (transfer full): the transaction, or %NULL with @error set
 */
JswSqliteTransaction *
jsw_sqlite_store_begin_change (JswSqliteStore  *self,
                               GPtrArray       *events,
                               GError         **error)
{
  JswSqliteTransaction *tx = jsw_sqlite_begin_write (self->db, error);

  if (tx != NULL)
    jsw_sqlite_transaction_forget_on_rollback (tx, events);
  return tx;
}

/* The end of every successful write: log the change of @entry_id, then
 * commit @tx. Returns the entry as it is now, or %NULL with @error set
 * (then @tx is left to roll back). */
JswEntry *
jsw_sqlite_store_commit_change (JswSqliteStore        *self,
                                JswSqliteTransaction  *tx,
                                const char            *entry_id,
                                GPtrArray             *events,
                                GError               **error)
{
  JswEntry *entry = jsw_sqlite_store_record_change (self, entry_id, events, error);

  if (entry != NULL && !jsw_sqlite_transaction_commit (tx, error))
    g_clear_pointer (&entry, jsw_entry_unref);
  return entry;
}

gint64
jsw_sqlite_store_current_seq (JswStore    *store,
                              const char  *channel,
                              GError     **error)
{
  return last_seq (JSW_SQLITE_STORE (store), channel, error);
}

/* This store's reads of its log, for jsw_store_read_events_since() */

static gint64
read_current_seq (gpointer     store,
                  const char  *channel,
                  GError     **error)
{
  return last_seq (store, channel, error);
}

/* The first column of @stmt's one row, @channel bound as ?1 (and @since
 * as ?2 when >= 0), or @if_none when it is NULL; -1 on error. */
static gint64
read_int (JswSqliteStore  *self,
          const char      *sql,
          const char      *channel,
          gint64           since,
          gint64           if_none,
          GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  gint64 value = if_none;

  if (stmt == NULL)
    return -1;
  jsw_sqlite_bind_text (stmt, 1, channel);
  if (since >= 0)
    jsw_sqlite_bind_int (stmt, 2, since);
  if (!jsw_sqlite_step_int (self->db, stmt, &value, error))
    return -1;
  return value;
}

static gint64
read_oldest_seq (gpointer     store,
                 const char  *channel,
                 gint64       if_none,
                 GError     **error)
{
  return read_int (store, "SELECT min(seq) FROM events WHERE channel = ?1", channel, -1, if_none, error);
}

static gint64
read_replay_bytes (gpointer     store,
                   const char  *channel,
                   gint64       since,
                   GError     **error)
{
  return read_int (store,
                   "SELECT coalesce(sum(length(e.entry) +"
                   "  CASE WHEN e.snapshot_spliced THEN coalesce(length(n.snapshot), 4) + 12 ELSE 0 END), 0)"
                   " FROM events e LEFT JOIN entries n ON n.id = e.entry_id"
                   " WHERE e.channel = ?1 AND e.seq > ?2",
                   channel, since, 0, error);
}

/* An entry's JSON besides its snapshot is a few hundred bytes. */
static gint64
read_sync_bytes (gpointer     store,
                 const char  *channel,
                 GError     **error)
{
  if (g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL))
    return read_int (store,
                     "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                     /* ?1, the channel, is bound in every statement read_int () runs */
                     " WHERE state = 'queued' AND target = 'server' AND ?1 IS NOT NULL",
                     channel, -1, 0, error);
  return read_int (store,
                   "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                   " WHERE user_id = substr(?1, 3) AND state <> 'cancelled'",
                   channel, -1, 0, error);
}

static gboolean
read_events (gpointer     store,
             const char  *channel,
             gint64       since,
             guint        limit,
             GPtrArray   *events,
             GError     **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT e.seq, e.entry, e.snapshot_spliced, n.snapshot FROM events e"
                                           " LEFT JOIN entries n ON n.id = e.entry_id"
                                           " WHERE e.channel = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, channel);
  jsw_sqlite_bind_int (stmt, 2, since);
  jsw_sqlite_bind_int (stmt, 3, limit > 0 ? (gint64) limit : -1);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    g_ptr_array_add (events, jsw_event_new_from_log (channel, sqlite3_column_int64 (stmt, 0),
                                                     jsw_sqlite_column_text (stmt, 1),
                                                     sqlite3_column_int (stmt, 2) != 0,
                                                     jsw_sqlite_column_text (stmt, 3)));
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

static const JswEventLogReads log_reads = {
  read_current_seq, read_oldest_seq, read_replay_bytes, read_sync_bytes, read_events,
};

GPtrArray *
jsw_sqlite_store_events_since (JswStore    *store,
                               const char  *channel,
                               gint64       since,
                               guint        limit,
                               gboolean     weigh,
                               gboolean    *too_old,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(JswSqliteTransaction) tx = NULL;

  *too_old = FALSE;

  /* Read the bounds and the events in one snapshot. */
  tx = jsw_sqlite_begin_read (self->db, error);
  if (tx == NULL ||
      !jsw_store_read_events_since (&log_reads, self, channel, since, limit, weigh, events, too_old, error) ||
      !jsw_sqlite_transaction_commit (tx, error))
    return NULL;
  return g_steal_pointer (&events);
}

/* What a client that cannot be replayed to needs to know: a user's entries
 * that are not cancelled, or the queued server entries for workers. */
GPtrArray *
jsw_sqlite_store_live_entries (JswStore    *store,
                               const char  *channel,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  gboolean workers = g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL);
  sqlite3_stmt *stmt;

  if (workers)
    stmt = jsw_sqlite_prepare (self->db,
                               "SELECT " JSW_SQLITE_ENTRY_COLUMNS " FROM entries"
                               " WHERE state = 'queued' AND target = 'server'"
                               " ORDER BY created_at, rowid",
                               error);
  else
    stmt = jsw_sqlite_prepare (self->db,
                               "SELECT " JSW_SQLITE_ENTRY_COLUMNS " FROM entries WHERE user_id = ?1 AND state <> 'cancelled'"
                               " ORDER BY created_at, rowid",
                               error);
  if (stmt == NULL)
    return NULL;
  if (!workers)
    jsw_sqlite_bind_text (stmt, 1, channel + strlen ("u:"));

  return jsw_sqlite_store_read_entries (self, stmt, error);
}

#define PRUNE_SQL(WHERE) \
  "DELETE FROM events WHERE (channel, seq) IN (" \
  " SELECT channel, seq FROM (" \
  "  SELECT channel, seq," \
  "   row_number () OVER newest AS rank," \
  "   sum (length (entry)) OVER newest AS bytes" \
  "  FROM events " WHERE \
  "  WINDOW newest AS (PARTITION BY channel ORDER BY seq DESC))" \
  " WHERE rank > 1 AND (rank > ?2 OR bytes > ?3))"

/* @channel: one channel, or %NULL for every channel.
 *
 * Two statements, not one with "?1 IS NULL OR channel = ?1": SQLite plans
 * a statement before it knows its parameters, so that form scans the whole
 * event log for each channel (EXPLAIN QUERY PLAN: SCAN events), and the
 * sweeper prunes every channel changed in the last second: a log of N
 * events with C channels changed is N × C rows read every second, on the
 * main loop. (bench/push-latency's log of 2,000 events is too small to
 * show it: its p99 did not move.) */
static gboolean
prune_channel (JswSqliteStore  *self,
               const char      *channel,
               gint64           keep_count,
               gint64           keep_bytes,
               GError         **error)
{
  /* Newest first in each channel: what is kept is a prefix, bounded by
   * count and by bytes, and never empty (the newest holds the seq). */
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           channel != NULL ? PRUNE_SQL ("WHERE channel = ?1") : PRUNE_SQL (""),
                                           error);

  if (stmt == NULL)
    return FALSE;
  if (channel != NULL)
    jsw_sqlite_bind_text (stmt, 1, channel);
  jsw_sqlite_bind_int (stmt, 2, MAX (keep_count, 1));
  jsw_sqlite_bind_int (stmt, 3, MAX (keep_bytes, 0));
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* The channels one by one, in one transaction. */
gboolean
jsw_sqlite_store_prune_events (JswStore           *store,
                               const char *const  *channels,
                               gint64              keep_count,
                               gint64              keep_bytes,
                               GError            **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;

  if (channels == NULL)
    return prune_channel (self, NULL, keep_count, keep_bytes, error);
  if (channels[0] == NULL)
    return TRUE;
  tx = jsw_sqlite_begin_write (self->db, error);
  if (tx == NULL)
    return FALSE;
  for (guint i = 0; channels[i] != NULL; i++)
    if (!prune_channel (self, channels[i], keep_count, keep_bytes, error))
      return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}
