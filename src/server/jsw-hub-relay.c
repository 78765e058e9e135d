/* jsw-hub-relay.c: brings other processes' changes to this process's streams
 *
 * When several server processes share one store (PostgreSQL), a change
 * made through one must reach the streams held by all. Two ways in, both
 * ending in jsw_hub_publish_heard():
 *
 *  - announcements (jsw_store_watch(): NOTIFY), within milliseconds: each
 *    heard change on a channel this process has streams on, and has not
 *    published yet, is published; one too big to be announced whole is
 *    read from the log first;
 *  - a catch-up read every JSW_HUB_RELAY_CATCH_UP_MS: each channel with
 *    streams here whose seq in the store is past the last one published
 *    gets what it missed, so a lost announcement or a dropped database
 *    connection delays nothing by more than that. It runs in ten slices
 *    of the channels, one every tenth of that time.
 *
 * An account announcement (seq 0: another process applied a Stripe event,
 * jsw_store_announce_account()) becomes an `account` frame for the
 * person's streams here, read from the store as the process that made the
 * change built its own. It is not in the log, so the catch-up read cannot
 * bring one that was not heard.
 *
 * Order is kept by the streams: one that is handed a seq past the next
 * one it expects reads the gap from the log first
 * (jsw-stream-connection.c), and drops what it has sent already. So
 * whatever arrives late, twice or out of order, a client sees each change
 * once, in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-hub-relay"

#include "config.h"

#include "jsw-hub-relay.h"
#include "jsw-log.h"
#include "jsw-rest-billing.h"

/* Events read per channel by one catch-up; a stream further behind reads
 * the rest itself. */
#define CATCH_UP_SLICE 100

/* The channels are caught up in this many slices, one per tick. */
#define CATCH_UP_SLICES 10

struct _JswHubRelay
{
  GObject   parent_instance;

  JswStore *store;
  JswHub   *hub;
  const JswBillingConfig *billing;  /* the server's: what /v1/me says is for sale */
  guint     timeout_id;
  guint     tick;
  gboolean  watching;
};

G_DEFINE_FINAL_TYPE (JswHubRelay, jsw_hub_relay, G_TYPE_OBJECT)

/* The one event (@channel, @seq) read from the log. */
static JswEvent *
read_event (JswHubRelay *self,
            const char  *channel,
            gint64       seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean too_old;

  events = jsw_store_events_since (self->store, channel, seq - 1, 1, FALSE, &too_old, &error);
  if (events == NULL)
    {
      jsw_log (JSW_LOG_WARNING, NULL, "relay.read_failed", "message", 's', error->message, NULL);
      return NULL;
    }
  if (events->len == 0 || ((JswEvent *) g_ptr_array_index (events, 0))->seq != seq)
    return NULL;
  return g_ptr_array_steal_index (events, 0);
}

/* The changes heard before the account announcement go out first, in the
 * order they were committed. */
static void
tell_account (JswHubRelay *self,
              GPtrArray   *events,
              const char  *channel)
{
  if (!g_str_has_prefix (channel, "u:") || jsw_hub_get_n_subscribers (self->hub, channel) == 0)
    return;
  if (events->len > 0)
    {
      jsw_hub_publish_heard (self->hub, events);
      g_ptr_array_set_size (events, 0);
    }
  jsw_rest_billing_publish_account (self->store, self->hub, self->billing, channel + strlen ("u:"), NULL);
}

static void
on_changes (GPtrArray *heard,
            gpointer   user_data)
{
  JswHubRelay *self = user_data;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();

  for (guint i = 0; i < heard->len; i++)
    {
      JswEvent *event = g_ptr_array_index (heard, i);

      if (event->seq == 0)
        {
          tell_account (self, events, event->channel);
          continue;
        }
      if (jsw_hub_get_n_subscribers (self->hub, event->channel) == 0 ||
          event->seq <= jsw_hub_get_last_seq (self->hub, event->channel))
        continue;
      if (event->entry_json != NULL)
        g_ptr_array_add (events, g_ptr_array_steal_index (heard, i--));
      else
        {
          JswEvent *read = read_event (self, event->channel, event->seq);

          if (read != NULL)
            g_ptr_array_add (events, read);
        }
    }
  if (events->len > 0)
    jsw_hub_publish_heard (self->hub, events);
}

static void
catch_up_channel (JswHubRelay *self,
                  const char  *channel,
                  gint64       seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 last = jsw_hub_get_last_seq (self->hub, channel);
  gboolean too_old;

  if (seq <= last)
    return;
  /* Nothing published here yet: the newest is enough for the streams to
   * see whether they miss anything. */
  events = jsw_store_events_since (self->store, channel, last > 0 ? last : seq - 1, CATCH_UP_SLICE,
                                   FALSE, &too_old, &error);
  if (events == NULL)
    {
      jsw_log (JSW_LOG_WARNING, NULL, "relay.catch_up_failed", "message", 's', error->message, NULL);
      return;
    }
  if (too_old)
    events = jsw_store_events_since (self->store, channel, seq - 1, 1, FALSE, &too_old, NULL);
  if (events != NULL && events->len > 0)
    {
      jsw_log (JSW_LOG_DEBUG, NULL, "relay.caught_up", "channel", 's', channel, "seq", 'l', seq, NULL);
      jsw_hub_publish_heard (self->hub, events);
    }
}

/* Catches up the channels among @channels whose slice is @slice (of
 * CATCH_UP_SLICES; all of them with -1): one query for their seqs, and a
 * read of each that is behind. */
static void
catch_up_slice (JswHubRelay  *self,
                char        **channels,
                int           slice)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autofree gint64 *seqs = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; channels[i] != NULL; i++)
    if (slice < 0 || g_str_hash (channels[i]) % CATCH_UP_SLICES == (guint) slice)
      g_ptr_array_add (mine, channels[i]);
  if (mine->len == 0)
    return;
  g_ptr_array_add (mine, NULL);

  seqs = g_new0 (gint64, mine->len);
  if (!jsw_store_current_seqs (self->store, (const char *const *) mine->pdata, seqs, &error))
    {
      jsw_log (JSW_LOG_WARNING, NULL, "relay.catch_up_failed", "message", 's', error->message, NULL);
      return;
    }
  for (guint i = 0; i + 1 < mine->len; i++)
    catch_up_channel (self, g_ptr_array_index (mine, i), seqs[i]);
}

/**
 * jsw_hub_relay_catch_up:
 *
 * Publishes what the channels with streams here missed, all of them now.
 */
void
jsw_hub_relay_catch_up (JswHubRelay *self)
{
  g_auto(GStrv) channels = NULL;

  g_return_if_fail (JSW_IS_HUB_RELAY (self));

  channels = jsw_hub_dup_channels (self->hub);
  catch_up_slice (self, channels, -1);
}

/* Each tick catches up one slice of the channels, chosen by the channel's
 * hash, so that every channel is read once per JSW_HUB_RELAY_CATCH_UP_MS
 * whatever streams come and go, and the main loop, which also delivers
 * the announcements, is never held for a read of every channel at once
 * (with 1,000 streams that read took milliseconds: a push that arrived
 * meanwhile waited for it). */
static gboolean
on_timeout (gpointer data)
{
  JswHubRelay *self = data;
  g_auto(GStrv) channels = jsw_hub_dup_channels (self->hub);

  catch_up_slice (self, channels, self->tick++ % CATCH_UP_SLICES);
  return G_SOURCE_CONTINUE;
}

/**
 * jsw_hub_relay_start:
 *
 * Listens for other processes' changes, and catches up every
 * JSW_HUB_RELAY_CATCH_UP_MS; nothing if started.
 *
 * Returns: %FALSE with @error set if listening could not start
 */
gboolean
jsw_hub_relay_start (JswHubRelay  *self,
                     GError      **error)
{
  g_return_val_if_fail (JSW_IS_HUB_RELAY (self), FALSE);

  if (self->watching)
    return TRUE;
  if (!jsw_store_watch (self->store, on_changes, self, error))
    return FALSE;
  self->watching = TRUE;
  self->timeout_id = g_timeout_add (JSW_HUB_RELAY_CATCH_UP_MS / CATCH_UP_SLICES, on_timeout, self);
  return TRUE;
}

void
jsw_hub_relay_stop (JswHubRelay *self)
{
  g_return_if_fail (JSW_IS_HUB_RELAY (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->watching)
    jsw_store_unwatch (self->store);
  self->watching = FALSE;
}

static void
jsw_hub_relay_dispose (GObject *object)
{
  JswHubRelay *self = (JswHubRelay *) object;

  if (self->store != NULL)
    jsw_hub_relay_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (jsw_hub_relay_parent_class)->dispose (object);
}

static void
jsw_hub_relay_class_init (JswHubRelayClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_hub_relay_dispose;
}

static void
jsw_hub_relay_init (JswHubRelay *self)
{
}

/**
 * jsw_hub_relay_new:
 * @store: a shared store (jsw_store_is_shared())
 * @billing: the server's billing settings, which must outlive the relay
 *   (an `account` frame says which plans are for sale)
 *
 * Returns: a relay, not started (jsw_hub_relay_start())
 */
JswHubRelay *
jsw_hub_relay_new (JswStore               *store,
                   JswHub                 *hub,
                   const JswBillingConfig *billing)
{
  JswHubRelay *self = g_object_new (JSW_TYPE_HUB_RELAY, NULL);

  self->billing = billing;
  self->store = g_object_ref (store);
  self->hub = g_object_ref (hub);
  return self;
}
