/* jsw-stripe-webhook.h: Stripe's webhook deliveries: the signature, and
 * the events JobSwipe acts on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jsw-server-config.h"
#include "jsw-store.h"

G_BEGIN_DECLS

/* Stripe's default tolerance between a signature's timestamp and now. */
#define JSW_STRIPE_SIGNATURE_TOLERANCE_S 300

gboolean jsw_stripe_verify_signature (const char             *secret,
                                      const char             *header,
                                      const char             *payload,
                                      gsize                   length,
                                      gint64                  now_s,
                                      char                  **signature,
                                      GError                **error);
gboolean jsw_stripe_read_event       (JsonObject             *root,
                                      const JswBillingConfig *config,
                                      JswBillingEvent        *event,
                                      gboolean               *handled,
                                      GError                **error);
const char *jsw_stripe_plan_for_price (const JswBillingConfig *config,
                                       const char             *price);
const char *jsw_stripe_price_for_plan (const JswBillingConfig *config,
                                       const char             *plan);

G_END_DECLS
