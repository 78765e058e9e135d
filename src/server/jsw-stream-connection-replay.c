/* jsw-stream-connection-replay.c: what a stream missed, sent in slices
 *
 * After `hello`, and whenever a live change arrives past the next seq (a
 * change made through another process that has not reached this one yet),
 * the changes the client has not seen are read from the store's event log
 * and sent in slices, one per turn of the main loop at low priority, so
 * that a client far behind does not stall everyone else; live changes
 * wait until the replay has caught up with them. A client too far behind
 * for the log gets a `sync` instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-stream-connection"

#include "config.h"

#include "jsw-log.h"
#include "jsw-stream-connection-private.h"

/* Events read per turn of the main loop during a replay; fewer are sent
 * when they fill half the send budget first. */
#define REPLAY_SLICE 64

/* How long a replay waits for the client to take what it was sent, before
 * looking again. */
#define REPLAY_BACKOFF_MS 20

/* How long a replay the store failed waits before it tries again. */
#define REPLAY_RETRY_MS 1000

/* A replay waiting this long without the client taking a byte closes the
 * connection as too slow. */
#define REPLAY_STALL_S 30

void
jsw_stream_connection_send_sync (JswStreamConnection *self,
                                 gint64               seq,
                                 const char          *cid)
{
  JswStore *store = self->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) live = jsw_store_live_entries (store, self->channel, &error);
  g_autofree char *sync = NULL;

  if (live == NULL)
    {
      jsw_stream_connection_send_error (self, cid, NULL, error);
      return;
    }
  sync = jsw_message_build_sync (seq, live);
  jsw_stream_connection_send (self, sync);
}

static void
finish_replay (JswStreamConnection *self)
{
  self->replaying = FALSE;
  self->replay_id = 0;
  jsw_log (JSW_LOG_DEBUG, self->cid, "stream.replayed", "seq", 'l', self->replayed_to, NULL);
}

static gboolean replay_next_slice (gpointer data);

/* While the replay waits for the client, live changes are not sent either,
 * so the budget alone would never close a client that stopped reading. */
static gboolean
replay_stalled (JswStreamConnection *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->waiting_since == 0 || self->acked != self->acked_when_waiting)
    {
      self->waiting_since = now;
      self->acked_when_waiting = self->acked;
      return FALSE;
    }
  return now - self->waiting_since > REPLAY_STALL_S * G_USEC_PER_SEC;
}

void
jsw_stream_connection_schedule_replay (JswStreamConnection *self,
                                       gboolean             client_behind)
{
  if (!client_behind)
    self->waiting_since = 0;
  else if (replay_stalled (self))
    {
      jsw_stream_connection_close_too_slow (self);
      return;
    }

  /* Low priority: a slice waits for the other connections' work. */
  if (client_behind)
    self->replay_id = g_timeout_add_full (G_PRIORITY_LOW, REPLAY_BACKOFF_MS, replay_next_slice, self, NULL);
  else
    self->replay_id = g_idle_add_full (G_PRIORITY_LOW, replay_next_slice, self, NULL);
}

/* One slice of the replay; the next one is scheduled when the client has
 * taken most of what it was sent, so a replay never fills the budget. */
static gboolean
replay_next_slice (gpointer data)
{
  JswStreamConnection *self = data;
  JswStore *store = self->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 half_budget = self->config.send_budget / 2;
  gboolean too_old = FALSE;

  self->replay_id = 0;
  if (!jsw_stream_connection_is_open (self))
    return G_SOURCE_REMOVE;
  if (jsw_stream_connection_get_queued (self) > half_budget)
    {
      jsw_stream_connection_schedule_replay (self, TRUE);
      return G_SOURCE_REMOVE;
    }

  events = jsw_store_events_since (store, self->channel, self->replayed_to, REPLAY_SLICE, FALSE,
                                   &too_old, &error);
  /* The store may be a database that is back in a moment: the replay
   * goes on from where it is, and live changes wait for it. */
  if (events == NULL)
    {
      jsw_log (JSW_LOG_WARNING, self->cid, "stream.replay_failed", "message", 's', error->message, NULL);
      self->replay_id = g_timeout_add_full (G_PRIORITY_LOW, REPLAY_RETRY_MS, replay_next_slice, self, NULL);
      return G_SOURCE_REMOVE;
    }
  /* The log was trimmed under a slow replay: the whole state instead. */
  if (too_old)
    {
      gint64 seq = jsw_store_current_seq (store, self->channel, NULL);

      jsw_stream_connection_send_sync (self, seq, self->cid);
      self->replayed_to = seq;
      finish_replay (self);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < events->len; i++)
    {
      JswEvent *event = g_ptr_array_index (events, i);
      g_autofree char *frame = jsw_event_to_frame (event);

      /* Big changes: the rest of the slice waits for the client. */
      if (i > 0 && jsw_stream_connection_get_queued (self) > half_budget)
        {
          jsw_stream_connection_schedule_replay (self, TRUE);
          return G_SOURCE_REMOVE;
        }
      jsw_stream_connection_send (self, frame);
      self->replayed_to = event->seq;
    }

  if (events->len < REPLAY_SLICE)
    finish_replay (self);
  else
    jsw_stream_connection_schedule_replay (self, FALSE);
  return G_SOURCE_REMOVE;
}
