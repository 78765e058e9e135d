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
 * @channel: (nullable): one channel, or %NULL for every channel
 * @keep_count: events kept per channel, at least 1 (the newest holds the
 *   channel's seq)
 * @keep_bytes: bytes of stored event text kept per channel; the newest
 *   event is kept whatever its size
 *
 * Forgets the oldest events of a channel beyond either bound; a client
 * that asks for them later gets a sync.
 */
gboolean
jsw_store_prune_events (JswStore *self,
                        const char *channel,
                        gint64 keep_count,
                        gint64 keep_bytes,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->prune_events (self, channel, keep_count, keep_bytes, error);
}
