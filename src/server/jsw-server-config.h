/* jsw-server-config.h: the server's settings, given to each of its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jsw-acceptor.h"

G_BEGIN_DECLS

/* Billing and the operator's page (issue 14), from the environment or the
 * server's config file (jsw_server_config_load_billing()). The strings
 * are borrowed: they must outlive the server. */
typedef struct {
  const char *stripe_secret_key;      /* JOBSWIPE_STRIPE_SECRET_KEY; NULL: billing is off */
  const char *stripe_webhook_secret;  /* JOBSWIPE_STRIPE_WEBHOOK_SECRET (whsec_…); NULL: webhooks refused */
  const char *stripe_api_base;        /* JOBSWIPE_STRIPE_API_BASE, default https://api.stripe.com */
  const char *stripe_prices[3];       /* JOBSWIPE_STRIPE_PRICE_BASIC, _PRO, _PREMIUM (price_…) */
  const char *public_url;             /* JOBSWIPE_PUBLIC_URL: where Checkout returns to; NULL: the request's host */
  const char *operator_token;         /* JOBSWIPE_OPERATOR_TOKEN: signs in to /admin; NULL: /admin is closed */
} JswBillingConfig;

/* The plans that can be bought, in the order of JswBillingConfig's prices. */
#define JSW_BILLING_N_PLANS 3
extern const char *const jsw_billing_plans[JSW_BILLING_N_PLANS];

typedef struct {
  gint64 lease_ttl_s;        /* PROTOCOL.md: 60 */
  gint64 heartbeat_s;        /* PROTOCOL.md: 20 */
  guint  ping_interval_s;    /* PROTOCOL.md: 25 */
  guint  sweep_interval_ms;  /* how often expired leases are looked for */
  gint64 events_kept;        /* per channel, for resuming with `since` */
  gint64 events_bytes_kept;  /* per channel, bytes of stored event text */
  guint64 send_budget;       /* bytes a stream may have waiting for its client */
  JswAcceptorLimits connections;
  JswBillingConfig billing;
} JswServerConfig;

void     jsw_server_config_init_defaults (JswServerConfig  *config);
gboolean jsw_server_config_load_billing  (JswBillingConfig *billing,
                                          const char       *config_file,
                                          GError          **error);

/* The largest request body accepted (PROTOCOL.md: over 1 MiB gets 413). */
#define JSW_MAX_BODY_SIZE (1024 * 1024)

G_END_DECLS
