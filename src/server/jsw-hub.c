/* jsw-hub.c: delivers each change to the subscribers of its channel
 *
 * A channel is a user's (every device of theirs) or the workers'. The hub
 * is the one place a change fans out: the REST handlers, the streams and
 * the sweeper publish the events their store calls produced, and every
 * subscriber of each event's channel is handed its frame, built once.
 *
 * Subscribers are reached through JswHubSubscriber and are not owned: a
 * subscriber unsubscribes before it goes away. A push may close its
 * subscriber (a client too slow to read), which then unsubscribes while
 * the hub is still going through that channel: such a subscriber is only
 * blanked out, and the channel's list tidied once publishing is over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-hub"

#include "config.h"

#include "jsw-hub.h"
#include "jsw-store.h"

struct _JswHub
{
  GObject     parent_instance;

  JswMetrics *metrics;
  GHashTable *channels;          /* channel -> GPtrArray of unowned subscribers (NULL: left mid-publish) */
  GHashTable *changed_channels;  /* channel set, since the last jsw_hub_take_changed_channels() */
  GHashTable *untidy_channels;   /* channel set with blanked-out subscribers */
  GHashTable *last_seqs;         /* channel with subscribers -> the highest seq published on it (gint64 *) */
  guint       publishing;        /* depth of jsw_hub_publish() calls under way */
};

G_DEFINE_FINAL_TYPE (JswHub, jsw_hub, G_TYPE_OBJECT)

/**
 * jsw_hub_subscribe:
 * @channel: a user's channel (jsw_store_user_channel()) or
 *   %JSW_STORE_WORKERS_CHANNEL
 * @subscriber: (transfer none): unsubscribed with jsw_hub_unsubscribe()
 *   before it is finalized
 *
 * From now on @subscriber is pushed every change published on @channel.
 */
void
jsw_hub_subscribe (JswHub           *self,
                   const char       *channel,
                   JswHubSubscriber *subscriber)
{
  GPtrArray *subscribers;

  g_return_if_fail (JSW_IS_HUB (self));
  g_return_if_fail (JSW_IS_HUB_SUBSCRIBER (subscriber));

  subscribers = g_hash_table_lookup (self->channels, channel);
  if (subscribers == NULL)
    {
      subscribers = g_ptr_array_new ();
      g_hash_table_insert (self->channels, g_strdup (channel), subscribers);
    }
  g_ptr_array_add (subscribers, subscriber);
}

static void
forget_empty_channel (JswHub     *self,
                      const char *channel,
                      GPtrArray  *subscribers)
{
  if (subscribers->len == 0)
    {
      g_hash_table_remove (self->last_seqs, channel);
      g_hash_table_remove (self->channels, channel);
    }
}

/**
 * jsw_hub_unsubscribe:
 *
 * Stops pushing @channel's changes to @subscriber; nothing if it was not
 * subscribed. Safe from within a push.
 */
void
jsw_hub_unsubscribe (JswHub           *self,
                     const char       *channel,
                     JswHubSubscriber *subscriber)
{
  GPtrArray *subscribers;
  guint index;

  g_return_if_fail (JSW_IS_HUB (self));

  subscribers = g_hash_table_lookup (self->channels, channel);
  if (subscribers == NULL || !g_ptr_array_find (subscribers, subscriber, &index))
    return;

  if (self->publishing > 0)
    {
      /* The publish under way walks this array by index. */
      g_ptr_array_index (subscribers, index) = NULL;
      g_hash_table_add (self->untidy_channels, g_strdup (channel));
      return;
    }
  g_ptr_array_remove_index_fast (subscribers, index);
  forget_empty_channel (self, channel, subscribers);
}

static void
tidy_channels (JswHub *self)
{
  GHashTableIter iter;
  const char *channel;

  g_hash_table_iter_init (&iter, self->untidy_channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &channel, NULL))
    {
      GPtrArray *subscribers = g_hash_table_lookup (self->channels, channel);

      if (subscribers != NULL)
        {
          while (g_ptr_array_remove_fast (subscribers, NULL))
            ;
          forget_empty_channel (self, channel, subscribers);
        }
      g_hash_table_iter_remove (&iter);
    }
}

static guint
push_to_channel (GPtrArray  *subscribers,
                 gint64      seq,
                 const char *frame)
{
  guint pushed = 0;

  /* Not a copy: the array may grow or have slots blanked while we go. */
  for (guint i = 0; i < subscribers->len; i++)
    {
      JswHubSubscriber *subscriber = g_ptr_array_index (subscribers, i);
      g_autoptr(JswHubSubscriber) hold = NULL;

      if (subscriber == NULL)
        continue;
      /* Closing in its push may drop the subscriber's last reference. */
      hold = g_object_ref (subscriber);
      jsw_hub_subscriber_push (subscriber, seq, frame);
      pushed++;
    }
  return pushed;
}

static void
note_seq (JswHub   *self,
          JswEvent *event)
{
  gint64 *last = g_hash_table_lookup (self->last_seqs, event->channel);

  if (last == NULL)
    {
      last = g_new0 (gint64, 1);
      g_hash_table_insert (self->last_seqs, g_strdup (event->channel), last);
    }
  *last = MAX (*last, event->seq);
}

static void
publish_events (JswHub    *self,
                GPtrArray *events,
                gboolean   made_here)
{
  self->publishing++;
  for (guint i = 0; i < events->len; i++)
    {
      JswEvent *event = g_ptr_array_index (events, i);
      GPtrArray *subscribers = g_hash_table_lookup (self->channels, event->channel);
      g_autofree char *frame = NULL;

      if (made_here)
        g_hash_table_add (self->changed_channels, g_strdup (event->channel));
      if (subscribers == NULL)
        continue;

      note_seq (self, event);
      frame = jsw_event_to_frame (event);
      jsw_metrics_frame_sent (self->metrics, push_to_channel (subscribers, event->seq, frame));
    }
  if (--self->publishing == 0)
    tidy_channels (self);
}

/**
 * jsw_hub_publish:
 * @events: (element-type JswEvent): changes this process just committed,
 *   in order
 *
 * Pushes each event's `entry` frame to the subscribers of its channel, and
 * notes the channel as changed (for jsw_hub_take_changed_channels()).
 */
void
jsw_hub_publish (JswHub    *self,
                 GPtrArray *events)
{
  g_return_if_fail (JSW_IS_HUB (self));

  publish_events (self, events, TRUE);
}

/**
 * jsw_hub_publish_heard:
 * @events: (element-type JswEvent): changes another process sharing the
 *   store committed (jsw-hub-relay.c), in order
 *
 * Pushes each event's `entry` frame to the subscribers of its channel, as
 * jsw_hub_publish() does, but does not note the channel as changed: the
 * process that made the change trims its log. (Each process trimming
 * every channel it heard of made each sweep a round trip per channel any
 * process changed, during which no push went out.)
 */
void
jsw_hub_publish_heard (JswHub    *self,
                       GPtrArray *events)
{
  g_return_if_fail (JSW_IS_HUB (self));

  publish_events (self, events, FALSE);
}

/**
 * jsw_hub_publish_frame:
 * @frame: a whole frame that is not a change of the event log (an
 *   `account` frame, say): pushed with seq 0, which subscribers send at
 *   once, whatever their replay
 *
 * Pushes @frame to every subscriber of @channel.
 */
void
jsw_hub_publish_frame (JswHub     *self,
                       const char *channel,
                       const char *frame)
{
  GPtrArray *subscribers;

  g_return_if_fail (JSW_IS_HUB (self));

  subscribers = g_hash_table_lookup (self->channels, channel);
  if (subscribers == NULL)
    return;
  self->publishing++;
  jsw_metrics_frame_sent (self->metrics, push_to_channel (subscribers, 0, frame));
  if (--self->publishing == 0)
    tidy_channels (self);
}

/**
 * jsw_hub_get_n_subscribers:
 *
 * Returns: how many subscribers @channel has
 */
guint
jsw_hub_get_n_subscribers (JswHub     *self,
                           const char *channel)
{
  GPtrArray *subscribers;
  guint n = 0;

  g_return_val_if_fail (JSW_IS_HUB (self), 0);

  subscribers = g_hash_table_lookup (self->channels, channel);
  for (guint i = 0; subscribers != NULL && i < subscribers->len; i++)
    n += g_ptr_array_index (subscribers, i) != NULL;
  return n;
}

/**
 * jsw_hub_get_last_seq:
 *
 * Returns: the highest seq published on @channel while it had
 *   subscribers, 0 if none
 */
gint64
jsw_hub_get_last_seq (JswHub     *self,
                      const char *channel)
{
  gint64 *last;

  g_return_val_if_fail (JSW_IS_HUB (self), 0);

  last = g_hash_table_lookup (self->last_seqs, channel);
  return last != NULL ? *last : 0;
}

/**
 * jsw_hub_dup_channels:
 *
 * Returns: (transfer full): the channels that have subscribers, in no
 *   order; an empty list if none
 */
GStrv
jsw_hub_dup_channels (JswHub *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  const char *channel;

  g_return_val_if_fail (JSW_IS_HUB (self), NULL);

  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &channel, NULL))
    g_strv_builder_add (builder, channel);
  return g_strv_builder_end (builder);
}

/**
 * jsw_hub_take_changed_channels:
 *
 * Returns: (transfer full): the channels published on since the last
 *   call, each once, in no order; an empty list if none
 */
GStrv
jsw_hub_take_changed_channels (JswHub *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  const char *channel;

  g_return_val_if_fail (JSW_IS_HUB (self), NULL);

  g_hash_table_iter_init (&iter, self->changed_channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &channel, NULL))
    g_strv_builder_add (builder, channel);
  g_hash_table_remove_all (self->changed_channels);
  return g_strv_builder_end (builder);
}

static void
jsw_hub_dispose (GObject *object)
{
  JswHub *self = (JswHub *) object;

  g_clear_object (&self->metrics);

  G_OBJECT_CLASS (jsw_hub_parent_class)->dispose (object);
}

static void
jsw_hub_finalize (GObject *object)
{
  JswHub *self = (JswHub *) object;

  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_clear_pointer (&self->changed_channels, g_hash_table_unref);
  g_clear_pointer (&self->untidy_channels, g_hash_table_unref);
  g_clear_pointer (&self->last_seqs, g_hash_table_unref);

  G_OBJECT_CLASS (jsw_hub_parent_class)->finalize (object);
}

static void
jsw_hub_class_init (JswHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_hub_dispose;
  object_class->finalize = jsw_hub_finalize;
}

static void
jsw_hub_init (JswHub *self)
{
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  self->changed_channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->untidy_channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * jsw_hub_new:
 * @metrics: counts the frames pushed
 */
JswHub *
jsw_hub_new (JswMetrics *metrics)
{
  JswHub *self = g_object_new (JSW_TYPE_HUB, NULL);

  self->metrics = g_object_ref (metrics);
  return self;
}
