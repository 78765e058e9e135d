/* jsw-rest-billing.h: buying a plan: Stripe Checkout, the billing portal and Stripe's webhook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_billing_checkout        (JswRestContext *rest,
                                       JswRestRequest *request);
void jsw_rest_billing_portal          (JswRestContext *rest,
                                       JswRestRequest *request);
void jsw_rest_billing_webhook         (JswRestContext *rest,
                                       JswRestRequest *request);
void jsw_rest_billing_return_page     (JswRestContext *rest,
                                       JswRestRequest *request);
void jsw_rest_billing_publish_account (JswStore               *store,
                                       JswHub                 *hub,
                                       const JswBillingConfig *billing,
                                       const char             *user_id,
                                       const char             *cid);

G_END_DECLS
