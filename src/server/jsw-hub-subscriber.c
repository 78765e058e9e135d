/* jsw-hub-subscriber.c: what the hub needs of a subscriber
 *
 * The hub knows its subscribers only through this interface, so that it
 * does not depend on the stream connection (which depends on the hub), and
 * so that it can be tested with any object that implements it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-hub"

#include "config.h"

#include "jsw-hub-subscriber.h"

G_DEFINE_INTERFACE (JswHubSubscriber, jsw_hub_subscriber, G_TYPE_OBJECT)

static void
jsw_hub_subscriber_default_init (JswHubSubscriberInterface *iface)
{
}

/**
 * jsw_hub_subscriber_push:
 * @seq: the change's seq in the subscriber's channel
 * @frame: the `entry` frame of PROTOCOL.md, as text
 *
 * Hands the subscriber one change published on its channel. The
 * subscriber may unsubscribe (or be closed) from within; the hub allows
 * for it.
 */
void
jsw_hub_subscriber_push (JswHubSubscriber *self,
                         gint64            seq,
                         const char       *frame)
{
  g_return_if_fail (JSW_IS_HUB_SUBSCRIBER (self));

  JSW_HUB_SUBSCRIBER_GET_IFACE (self)->push (self, seq, frame);
}
