/* jsw-pg-store-unsupported.c: what the PostgreSQL store does not hold yet
 *
 * Billing (Stripe events, invoices, operators' figures: issue 14) came to
 * the SQLite store while the PostgreSQL store was written. Until it is
 * ported, each of its calls fails with a clear "not supported on
 * PostgreSQL yet" (an internal error: 500 on REST), never a crash; the
 * tables exist already (the migrations are the same). The job feed is
 * ported (jsw-pg-store-sources.c, jsw-pg-store-feed.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

#define BILLING _("Billing")

gboolean
jsw_pg_store_apply_billing_event (JswStore               *store,
                                  const JswBillingEvent  *event,
                                  gint64                  now,
                                  JswBillingOutcome      *outcome,
                                  char                  **user_id,
                                  GError                **error)
{
  return jsw_pg_store_not_supported (BILLING, error);
}

JswSubscription *
jsw_pg_store_get_subscription (JswStore    *store,
                               const char  *user_id,
                               GError     **error)
{
  jsw_pg_store_not_supported (BILLING, error);
  return NULL;
}

GPtrArray *
jsw_pg_store_usage_report (JswStore  *store,
                           gint64     month_start,
                           gint64     month_end,
                           gint64     now,
                           GError   **error)
{
  jsw_pg_store_not_supported (BILLING, error);
  return NULL;
}

gboolean
jsw_pg_store_count_by_state_and_target (JswStore  *store,
                                        gint64     counts[JSW_N_STATES][3],
                                        GError   **error)
{
  return jsw_pg_store_not_supported (BILLING, error);
}

GPtrArray *
jsw_pg_store_list_failed_entries (JswStore  *store,
                                  guint      limit,
                                  GError   **error)
{
  jsw_pg_store_not_supported (BILLING, error);
  return NULL;
}
