/* jsw-pg-store-events.c: the PostgreSQL store's event log behind `seq`
 *
 * A channel's next seq comes from its row in `channels`, taken with an
 * upsert that holds the row until the transaction ends: two transactions
 * that change one channel take their numbers one after the other and
 * commit in that order, so whoever reads a channel sees a prefix of its
 * seqs, never a gap that fills later. That is what lets another process
 * read "everything after seq N" and miss nothing.
 *
 * The append goes with the COMMIT, in the same round trip (libpq's
 * pipeline mode, jsw_pg_store_defer()), so the channel's row is held for
 * as short a time as it can be.
 *
 * Each event is announced with NOTIFY on JSW_PG_NOTIFY_CHANNEL, delivered
 * to the listeners when (and only if) the transaction commits, in commit
 * order. The payload is "<seq> <channel>\n<entry JSON>", or only
 * "<seq> <channel>" when the entry would not fit in NOTIFY's 8000 bytes
 * (the listener then reads it from the log).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-pg-store-private.h"

/* NOTIFY's payload limit is 8000 bytes; a little is kept for the seq. */
#define NOTIFY_PAYLOAD_MAX 7900

/* pg_try_advisory_xact_lock()'s key for trimming the whole log: "JSW2" */
#define PRUNE_ALL_LOCK "1246975794"

static char *
notify_payload (const char *channel,
                const char *entry_json)
{
  if (strlen (channel) + strlen (entry_json) + 1 > NOTIFY_PAYLOAD_MAX)
    return g_strdup (channel);
  return g_strconcat (channel, "\n", entry_json, NULL);
}

static void
take_seq (const PGresult *result,
          gpointer        data)
{
  JswEvent *event = data;

  event->seq = jsw_pg_int (result, 0, 0);
}

/* The log keeps the entry without its snapshot (@stored_json); what is
 * published and announced now is the whole entry (@entry_json). The
 * append is deferred to the COMMIT's round trip (jsw_pg_store_defer()):
 * nothing in the transaction needs its seq, which the event gets then. */
static void
append_event (JswPgStore  *self,
              const char  *channel,
              JswEntry    *entry,
              const char  *stored_json,
              const char  *entry_json,
              GPtrArray   *events)
{
  g_autofree char *payload = notify_payload (channel, entry_json);
  JswPgParams p = { 0 };
  JswEvent *event = NULL;

  if (events != NULL)
    {
      event = g_new0 (JswEvent, 1);
      event->channel = g_strdup (channel);
      event->entry_json = g_strdup (entry_json);
      g_ptr_array_add (events, event);
    }

  jsw_pg_params_text (&p, channel);
  jsw_pg_params_text (&p, entry->id);
  jsw_pg_params_text (&p, stored_json);
  jsw_pg_params_text (&p, payload);
  jsw_pg_store_defer (self,
                      "WITH next AS ("
                      "  INSERT INTO channels (channel, seq) VALUES ($1, 1)"
                      "  ON CONFLICT (channel) DO UPDATE SET seq = channels.seq + 1 RETURNING seq),"
                      " logged AS ("
                      "  INSERT INTO events (channel, seq, entry_id, entry, snapshot_spliced)"
                      "  SELECT $1, seq, $2, $3, TRUE FROM next RETURNING seq)"
                      " SELECT seq, pg_notify('" JSW_PG_NOTIFY_CHANNEL "', seq || ' ' || $4) FROM logged",
                      &p, event != NULL ? take_seq : NULL, event);
}

/**
 * jsw_pg_store_record_entry:
 * @entry: (transfer full): an entry as the transaction under way left it
 *   (read back, or the RETURNING of the statement that changed it)
 *
 * Records that @entry changed: logs the change on the user's channel and,
 * when it became a queued server entry, on the workers' channel (in that
 * order: the lock order), each announced with NOTIFY at COMMIT.
 *
 * Returns: (transfer full): @entry
 */
JswEntry *
jsw_pg_store_record_entry (JswPgStore  *self,
                           JswEntry    *entry,
                           GPtrArray   *events)
{
  g_autofree char *stored = jsw_entry_to_json_without_snapshot (entry);
  g_autofree char *json = jsw_entry_json_add_snapshot (stored, entry->snapshot_json);
  g_autofree char *channel = jsw_store_user_channel (entry->user_id);

  append_event (self, channel, entry, stored, json, events);
  if (entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_SERVER)
    append_event (self, JSW_STORE_WORKERS_CHANNEL, entry, stored, json, events);
  return entry;
}

/* jsw_pg_store_record_entry() for @entry_id, read back first. */
JswEntry *
jsw_pg_store_record_change (JswPgStore  *self,
                            const char  *entry_id,
                            GPtrArray   *events,
                            GError     **error)
{
  JswEntry *entry = jsw_pg_store_load_entry (self, NULL, entry_id, FALSE, error);

  if (entry == NULL)
    return NULL;
  return jsw_pg_store_record_entry (self, entry, events);
}

gint64
jsw_pg_store_current_seq (JswStore    *store,
                          const char  *channel,
                          GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, channel);
  return jsw_pg_store_int (JSW_PG_STORE (store), "SELECT seq FROM channels WHERE channel = $1", &p, 0, error);
}

/* A PostgreSQL array literal of @strings. */
static char *
text_array (const char *const *strings)
{
  g_autoptr(GString) array = g_string_new ("{");

  for (guint i = 0; strings[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (array, ',');
      g_string_append_c (array, '"');
      for (const char *c = strings[i]; *c != '\0'; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (array, '\\');
          g_string_append_c (array, *c);
        }
      g_string_append_c (array, '"');
    }
  g_string_append_c (array, '}');
  return g_string_free (g_steal_pointer (&array), FALSE);
}

gboolean
jsw_pg_store_current_seqs (JswStore           *store,
                           const char *const  *channels,
                           gint64             *seqs,
                           GError            **error)
{
  g_autofree char *array = text_array (channels);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, array);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT coalesce(ch.seq, 0) FROM unnest($1::text[]) WITH ORDINALITY AS c(name, i)"
                              " LEFT JOIN channels ch ON ch.channel = c.name ORDER BY c.i",
                              &p, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    seqs[row] = jsw_pg_int (result, row, 0);
  return TRUE;
}

/* This store's reads of its log, for jsw_store_read_events_since() */

static gint64
read_current_seq (gpointer     store,
                  const char  *channel,
                  GError     **error)
{
  return jsw_pg_store_current_seq (store, channel, error);
}

static gint64
read_oldest_seq (gpointer     store,
                 const char  *channel,
                 gint64       if_none,
                 GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, channel);
  return jsw_pg_store_int (store, "SELECT min(seq) FROM events WHERE channel = $1", &p, if_none, error);
}

static gint64
read_replay_bytes (gpointer     store,
                   const char  *channel,
                   gint64       since,
                   GError     **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, channel);
  jsw_pg_params_int (&p, since);
  return jsw_pg_store_int (store,
                           "SELECT coalesce(sum(length(e.entry) +"
                           "  CASE WHEN e.snapshot_spliced THEN coalesce(length(n.snapshot), 4) + 12 ELSE 0 END), 0)"
                           " FROM events e LEFT JOIN entries n ON n.id = e.entry_id"
                           " WHERE e.channel = $1 AND e.seq > $2",
                           &p, 0, error);
}

/* An entry's JSON besides its snapshot is a few hundred bytes. */
static gint64
read_sync_bytes (gpointer     store,
                 const char  *channel,
                 GError     **error)
{
  JswPgParams p = { 0 };

  if (g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL))
    return jsw_pg_store_int (store,
                             "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                             " WHERE state = 'queued' AND target = 'server'",
                             &p, 0, error);
  jsw_pg_params_text (&p, channel + strlen ("u:"));
  return jsw_pg_store_int (store,
                           "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                           " WHERE user_id = $1 AND state <> 'cancelled'",
                           &p, 0, error);
}

static gboolean
read_events (gpointer     store,
             const char  *channel,
             gint64       since,
             guint        limit,
             GPtrArray   *events,
             GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, channel);
  jsw_pg_params_int (&p, since);
  if (limit > 0)
    jsw_pg_params_int (&p, limit);
  else
    jsw_pg_params_text (&p, NULL);
  result = jsw_pg_store_exec (store,
                              "SELECT e.seq, e.entry, e.snapshot_spliced, n.snapshot FROM events e"
                              " LEFT JOIN entries n ON n.id = e.entry_id"
                              " WHERE e.channel = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
                              &p, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (events, jsw_event_new_from_log (channel, jsw_pg_int (result, row, 0),
                                                     jsw_pg_text (result, row, 1),
                                                     g_str_equal (jsw_pg_text (result, row, 2), "t"),
                                                     jsw_pg_text (result, row, 3)));
  return TRUE;
}

static const JswEventLogReads log_reads = {
  read_current_seq, read_oldest_seq, read_replay_bytes, read_sync_bytes, read_events,
};

typedef struct {
  const char *channel;
  gint64      since;
  guint       limit;
  gboolean    weigh;
  gboolean    too_old;
  GPtrArray  *events;
} EventsSince;

static gboolean
events_since_in_tx (JswPgStore  *self,
                    gpointer     data,
                    GPtrArray   *unused,
                    GError     **error)
{
  EventsSince *call = data;

  g_ptr_array_set_size (call->events, 0);
  return jsw_store_read_events_since (&log_reads, self, call->channel, call->since, call->limit, call->weigh,
                                      call->events, &call->too_old, error);
}

GPtrArray *
jsw_pg_store_events_since (JswStore    *store,
                           const char  *channel,
                           gint64       since,
                           guint        limit,
                           gboolean     weigh,
                           gboolean    *too_old,
                           GError     **error)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  EventsSince call = { channel, since, limit, weigh, FALSE, events };

  *too_old = FALSE;
  /* The bounds and the events from one snapshot. */
  if (!jsw_pg_store_read_snapshot (JSW_PG_STORE (store), events_since_in_tx, &call, error))
    return NULL;
  *too_old = call.too_old;
  return g_steal_pointer (&events);
}

/* What a client that cannot be replayed to needs to know: a user's entries
 * that are not cancelled, or the queued server entries for workers. */
GPtrArray *
jsw_pg_store_live_entries (JswStore    *store,
                           const char  *channel,
                           GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  if (g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL))
    result = jsw_pg_store_exec (JSW_PG_STORE (store),
                                "SELECT " JSW_PG_ENTRY_COLUMNS " FROM entries WHERE state = 'queued' AND target = 'server'"
                                " ORDER BY created_at, ord",
                                NULL, error);
  else
    {
      jsw_pg_params_text (&p, channel + strlen ("u:"));
      result = jsw_pg_store_exec (JSW_PG_STORE (store),
                                  "SELECT " JSW_PG_ENTRY_COLUMNS " FROM entries WHERE user_id = $1 AND state <> 'cancelled'"
                                  " ORDER BY created_at, ord",
                                  &p, error);
    }
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (entries, jsw_pg_store_entry_from_row (result, row));
  return g_steal_pointer (&entries);
}

/* Newest first in each channel: what is kept is a prefix, bounded by
 * count ($2) and by bytes ($3), and never empty (the newest holds the
 * seq). WHERE picks the channels. */
#define PRUNE_SQL(WHERE) \
  "DELETE FROM events e USING (" \
  " SELECT channel, seq FROM (" \
  "  SELECT channel, seq," \
  "   row_number () OVER newest AS rank," \
  "   sum (length (entry)) OVER newest AS bytes" \
  "  FROM events " WHERE \
  "  WINDOW newest AS (PARTITION BY channel ORDER BY seq DESC)) ranked" \
  " WHERE rank > 1 AND (rank > $2 OR bytes > $3)) old" \
  " WHERE e.channel = old.channel AND e.seq = old.seq"

typedef struct {
  gint64 keep_count;
  gint64 keep_bytes;
} Prune;

/* The whole log is trimmed by one process at a time; the others skip. */
static gboolean
prune_all_in_tx (JswPgStore  *self,
                 gpointer     data,
                 GPtrArray   *events,
                 GError     **error)
{
  Prune *call = data;
  JswPgParams p = { 0 };
  gint64 locked = jsw_pg_store_int (self, "SELECT CASE WHEN pg_try_advisory_xact_lock(" PRUNE_ALL_LOCK ")"
                                          " THEN 1 ELSE 0 END",
                                    NULL, 0, error);

  if (locked != 1)
    return locked == 0;
  jsw_pg_params_text (&p, NULL);
  jsw_pg_params_int (&p, MAX (call->keep_count, 1));
  jsw_pg_params_int (&p, MAX (call->keep_bytes, 0));
  return jsw_pg_store_run (self, PRUNE_SQL ("WHERE $1::text IS NULL"), &p, NULL, error);
}

/* The channels are trimmed in one statement, one round trip however many
 * they are. */
gboolean
jsw_pg_store_prune_events (JswStore           *store,
                           const char *const  *channels,
                           gint64              keep_count,
                           gint64              keep_bytes,
                           GError            **error)
{
  Prune call = { keep_count, keep_bytes };
  g_autofree char *array = NULL;
  JswPgParams p = { 0 };

  if (channels == NULL)
    return jsw_pg_store_transact (JSW_PG_STORE (store), prune_all_in_tx, &call, NULL, error);
  if (channels[0] == NULL)
    return TRUE;

  array = text_array (channels);
  jsw_pg_params_text (&p, array);
  jsw_pg_params_int (&p, MAX (keep_count, 1));
  jsw_pg_params_int (&p, MAX (keep_bytes, 0));
  return jsw_pg_store_run (JSW_PG_STORE (store), PRUNE_SQL ("WHERE channel = ANY ($1::text[])"), &p, NULL, error);
}
