/* jsw-hub-subscriber.h: what the hub needs of a subscriber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JSW_TYPE_HUB_SUBSCRIBER (jsw_hub_subscriber_get_type ())

G_DECLARE_INTERFACE (JswHubSubscriber, jsw_hub_subscriber, JSW, HUB_SUBSCRIBER, GObject)

struct _JswHubSubscriberInterface
{
  GTypeInterface parent_iface;

  void (*push) (JswHubSubscriber *self,
                gint64            seq,
                const char       *frame);
};

void jsw_hub_subscriber_push (JswHubSubscriber *self,
                              gint64            seq,
                              const char       *frame);

G_END_DECLS
