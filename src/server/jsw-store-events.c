/* jsw-store-events.c: the store's event log behind `seq`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

void
jsw_event_free (JswEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->channel);
  g_free (event->entry_json);
  g_free (event);
}

GPtrArray *
jsw_event_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_event_free);
}

/* The entry is stored already serialised, so a frame is built by splicing
 * rather than by parsing and generating the entry again for each push. */
char *
jsw_event_to_frame (JswEvent *event)
{
  return g_strdup_printf ("{\"type\":\"entry\",\"seq\":%" G_GINT64_FORMAT ",\"entry\":%s}",
                          event->seq, event->entry_json);
}

gint64
jsw_store_current_seq (JswStore *self,
                       const char *channel,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), -1);
  return JSW_STORE_GET_IFACE (self)->current_seq (self, channel, error);
}

/**
 * jsw_store_current_seqs:
 * @channels: (array zero-terminated=1): channels
 * @seqs: (out caller-allocates) (array): each channel's current seq
 *
 * current_seq() of several channels at once: one query on a store that
 * can (the catch-up read of jsw-hub-relay.c asks for every channel with a
 * stream each second).
 */
gboolean
jsw_store_current_seqs (JswStore           *self,
                        const char *const  *channels,
                        gint64             *seqs,
                        GError            **error)
{
  JswStoreInterface *iface;

  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->current_seqs != NULL)
    return iface->current_seqs (self, channels, seqs, error);
  for (guint i = 0; channels[i] != NULL; i++)
    {
      seqs[i] = iface->current_seq (self, channels[i], error);
      if (seqs[i] < 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * jsw_store_events_since:
 * @since: the last seq the client has
 * @limit: at most this many events (0: all), so that a long replay can be
 *   read in slices
 * @weigh: also answer @too_old when the replay would be larger than a sync;
 *   asked when the client says hello, not for each slice after that (it
 *   sums the sizes of the whole replay)
 * @too_old: (out): set when @since is older than the log keeps, or ahead of
 *   it: the client needs the whole state instead (an empty array then)
 *
 * Returns: (transfer full): the events of @channel after @since, oldest
 *   first, or %NULL with @error set
 */
GPtrArray *
jsw_store_events_since (JswStore *self,
                        const char *channel,
                        gint64 since,
                        guint limit,
                        gboolean weigh,
                        gboolean *too_old,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->events_since (self, channel, since, limit, weigh, too_old, error);
}

/* A replay this small is sent as it is, whatever a sync would cost. */
#define REPLAY_ALWAYS_BYTES (1024 * 1024)

/**
 * jsw_event_new_from_log:
 * @stored_json: the entry as the log keeps it
 * @spliced: whether the log kept it without its snapshot
 * @snapshot: (nullable): the entry's snapshot, spliced back when @spliced
 *
 * Returns: (transfer full): an event of the log as a store read it
 */
JswEvent *
jsw_event_new_from_log (const char *channel,
                        gint64      seq,
                        const char *stored_json,
                        gboolean    spliced,
                        const char *snapshot)
{
  JswEvent *event = g_new0 (JswEvent, 1);

  event->channel = g_strdup (channel);
  event->seq = seq;
  event->entry_json = spliced ? jsw_entry_json_add_snapshot (stored_json, snapshot) : g_strdup (stored_json);
  return event;
}

/**
 * jsw_store_read_events_since:
 * @reads: the store's reads of its log, each on the snapshot the caller
 *   holds for the whole call
 * @store: (type gpointer): what @reads are called on
 * @events: where the events are appended
 *
 * jsw_store_events_since(), one rule for every store. A client ahead of
 * the log (another database) or behind what it keeps cannot be replayed
 * to: it gets the whole state instead (*@too_old). So does one whose
 * replay, with @weigh, would cost more than the state it leads to:
 * replaying a long absence can be 10,000 progress events of one entry
 * against one entry (issue 8: a hello with since = 0 cost 192 MiB), so a
 * replay larger than both REPLAY_ALWAYS_BYTES and the sync (every live
 * entry with its snapshot) is not sent.
 */
gboolean
jsw_store_read_events_since (const JswEventLogReads  *reads,
                             gpointer                 store,
                             const char              *channel,
                             gint64                   since,
                             guint                    limit,
                             gboolean                 weigh,
                             GPtrArray               *events,
                             gboolean                *too_old,
                             GError                 **error)
{
  gint64 current, oldest, replay_bytes, sync_bytes;

  *too_old = FALSE;
  current = reads->current_seq (store, channel, error);
  if (current < 0)
    return FALSE;
  /* No event kept: nothing before current + 1 can be replayed. */
  oldest = reads->oldest_seq (store, channel, current + 1, error);
  if (oldest < 0)
    return FALSE;
  if (since > current || (since < current && since + 1 < oldest))
    {
      *too_old = TRUE;
      return TRUE;
    }

  if (weigh)
    {
      replay_bytes = reads->replay_bytes (store, channel, since, error);
      if (replay_bytes < 0)
        return FALSE;
      if (replay_bytes > REPLAY_ALWAYS_BYTES)
        {
          sync_bytes = reads->sync_bytes (store, channel, error);
          if (sync_bytes < 0)
            return FALSE;
          *too_old = replay_bytes > sync_bytes;
          if (*too_old)
            return TRUE;
        }
    }
  return reads->read (store, channel, since, limit, events, error);
}

GPtrArray *
jsw_store_live_entries (JswStore *self,
                        const char *channel,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->live_entries (self, channel, error);
}

/**
 * jsw_store_prune_events:
 * @channels: (nullable): the channels to trim (%NULL-terminated; none:
 *   nothing), or %NULL for every channel
 * @keep_count: events kept per channel, at least 1 (the newest holds the
 *   channel's seq)
 * @keep_bytes: bytes of stored event text kept per channel; the newest
 *   event is kept whatever its size
 *
 * Forgets the oldest events of each channel beyond either bound; a client
 * that asks for them later gets a sync.
 */
gboolean
jsw_store_prune_events (JswStore          *self,
                        const char *const *channels,
                        gint64             keep_count,
                        gint64             keep_bytes,
                        GError           **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->prune_events (self, channels, keep_count, keep_bytes, error);
}
