/* jsw-test-subscriber.c: a hub subscriber that keeps what it is pushed
 *
 * A real implementation of JswHubSubscriber, as the stream connection is
 * one, for testing the hub and what publishes to it without a WebSocket.
 * Told to, it unsubscribes itself or another subscriber from within a
 * push, as a stream closed for being too slow does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-test-subscriber.h"

static void jsw_test_subscriber_iface_init (JswHubSubscriberInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswTestSubscriber, jsw_test_subscriber, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_HUB_SUBSCRIBER, jsw_test_subscriber_iface_init))

static void
jsw_test_subscriber_push (JswHubSubscriber *subscriber,
                          gint64            seq,
                          const char       *frame)
{
  JswTestSubscriber *self = JSW_TEST_SUBSCRIBER (subscriber);
  JswTestSubscriber *leaving = self->leaving;

  g_ptr_array_add (self->frames, g_strdup (frame));
  g_array_append_val (self->seqs, seq);
  if (leaving == NULL)
    return;
  self->leaving = NULL;
  jsw_hub_unsubscribe (self->hub, self->channel, JSW_HUB_SUBSCRIBER (leaving));
  if (self->drop_reference)
    g_object_unref (leaving);
}

static void
jsw_test_subscriber_iface_init (JswHubSubscriberInterface *iface)
{
  iface->push = jsw_test_subscriber_push;
}

static void
jsw_test_subscriber_finalize (GObject *object)
{
  JswTestSubscriber *self = JSW_TEST_SUBSCRIBER (object);

  g_ptr_array_unref (self->frames);
  g_array_unref (self->seqs);
  g_free (self->channel);
  G_OBJECT_CLASS (jsw_test_subscriber_parent_class)->finalize (object);
}

static void
jsw_test_subscriber_class_init (JswTestSubscriberClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_test_subscriber_finalize;
}

static void
jsw_test_subscriber_init (JswTestSubscriber *self)
{
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Subscribed to @channel of @hub (which must outlive it, or be told). */
JswTestSubscriber *
jsw_test_subscriber_new (JswHub     *hub,
                         const char *channel)
{
  JswTestSubscriber *self = g_object_new (JSW_TYPE_TEST_SUBSCRIBER, NULL);

  self->hub = hub;
  self->channel = g_strdup (channel);
  jsw_hub_subscribe (hub, channel, JSW_HUB_SUBSCRIBER (self));
  return self;
}
