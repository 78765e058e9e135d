/* jsw-hub-relay.h: brings other processes' changes to this process's streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-hub.h"
#include "jsw-server-config.h"
#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_HUB_RELAY (jsw_hub_relay_get_type ())

G_DECLARE_FINAL_TYPE (JswHubRelay, jsw_hub_relay, JSW, HUB_RELAY, GObject)

/* How often the catch-up read runs: the most a lost announcement delays. */
#define JSW_HUB_RELAY_CATCH_UP_MS 1000

JswHubRelay *jsw_hub_relay_new      (JswStore               *store,
                                     JswHub                 *hub,
                                     const JswBillingConfig *billing);
gboolean     jsw_hub_relay_start    (JswHubRelay  *self,
                                     GError      **error);
void         jsw_hub_relay_stop     (JswHubRelay  *self);
void         jsw_hub_relay_catch_up (JswHubRelay  *self);

G_END_DECLS
