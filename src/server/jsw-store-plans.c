/* jsw-store-plans.c: the store's plans, subscriptions and quotas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-store.h"

/* Sets @error to the quota error of @counter; returns FALSE. */
gboolean
jsw_store_quota_error (JswCounter   counter,
                       GError     **error)
{
  const char *what;

  switch (counter)
    {
    case JSW_COUNTER_SERVER_MONTH:
      what = _("This month’s applications on our servers are used up; apply from the desktop app, or upgrade your plan");
      break;
    case JSW_COUNTER_TOTAL_MONTH:
      what = _("This month’s applications are used up; upgrade your plan to apply to more jobs");
      break;
    case JSW_COUNTER_DAILY:
    default:
      what = _("Today’s applications are used up; more are available tomorrow (UTC)");
      break;
    }
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED, what);
  return FALSE;
}

gboolean
jsw_store_set_subscription (JswStore *self,
                            const char *user_id,
                            const char *plan,
                            const char *status,
                            gint64 now,
                            GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_subscription (self, user_id, plan, status, now, error);
}

gboolean
jsw_store_set_plan (JswStore *self,
                    const char *plan,
                    const JswPlanLimits *limits,
                    GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_plan (self, plan, limits, error);
}

GPtrArray *
jsw_store_list_plans (JswStore *self,
                      GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->list_plans (self, error);
}
