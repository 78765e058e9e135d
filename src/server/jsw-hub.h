/* jsw-hub.h: delivers each change to the subscribers of its channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-hub-subscriber.h"
#include "jsw-metrics.h"

G_BEGIN_DECLS

#define JSW_TYPE_HUB (jsw_hub_get_type ())

G_DECLARE_FINAL_TYPE (JswHub, jsw_hub, JSW, HUB, GObject)

JswHub  *jsw_hub_new                   (JswMetrics       *metrics);
void     jsw_hub_subscribe             (JswHub           *self,
                                        const char       *channel,
                                        JswHubSubscriber *subscriber);
void     jsw_hub_unsubscribe           (JswHub           *self,
                                        const char       *channel,
                                        JswHubSubscriber *subscriber);
void     jsw_hub_publish               (JswHub           *self,
                                        GPtrArray        *events);
void     jsw_hub_publish_heard         (JswHub           *self,
                                        GPtrArray        *events);
void     jsw_hub_publish_frame         (JswHub           *self,
                                        const char       *channel,
                                        const char       *frame);
guint    jsw_hub_get_n_subscribers     (JswHub           *self,
                                        const char       *channel);
GStrv    jsw_hub_take_changed_channels (JswHub           *self);
gint64   jsw_hub_get_last_seq          (JswHub           *self,
                                        const char       *channel);
GStrv    jsw_hub_dup_channels          (JswHub           *self);

G_END_DECLS
