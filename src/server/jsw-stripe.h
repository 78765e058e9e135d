/* jsw-stripe.h: the calls JobSwipe makes to Stripe's REST API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jsw-server-config.h"

G_BEGIN_DECLS

#define JSW_TYPE_STRIPE (jsw_stripe_get_type ())

G_DECLARE_FINAL_TYPE (JswStripe, jsw_stripe, JSW, STRIPE, GObject)

/* What a Checkout Session is opened with. */
typedef struct {
  const char *user_id;
  const char *email;            /* (nullable): prefilled for a new customer */
  const char *customer;         /* (nullable): the customer recorded at an earlier checkout */
  const char *plan;
  const char *price;
  const char *idempotency_key;
  const char *success_url;
  const char *cancel_url;
} JswStripeCheckout;

JswStripe *jsw_stripe_new             (const JswBillingConfig   *config);
gboolean   jsw_stripe_is_configured   (JswStripe                *self);
void       jsw_stripe_checkout_async  (JswStripe                *self,
                                       const JswStripeCheckout  *checkout,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data);
void       jsw_stripe_portal_async    (JswStripe                *self,
                                       const char               *customer,
                                       const char               *return_url,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data);
char      *jsw_stripe_session_finish  (JswStripe                *self,
                                       GAsyncResult             *result,
                                       GError                  **error);

G_END_DECLS
