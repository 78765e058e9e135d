/* jsw-pg-store-plans.c: the PostgreSQL store's plans, subscriptions, quotas and usage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

/* A plan's limits from the columns (server_month, total_month, daily)
 * starting at @first_column. */
void
jsw_pg_store_read_limits (const PGresult *result,
             int             row,
             int             first_column,
             JswPlanLimits  *limits)
{
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    limits->limit[i] = jsw_pg_is_null (result, row, first_column + i)
                       ? -1 : jsw_pg_int (result, row, first_column + i);
}

/* The limits of the plan in force, so that a plan change takes effect
 * on the next swipe and a cancelled one ends with its period. */
gboolean
jsw_pg_store_load_limits (JswPgStore     *self,
                          const char     *user_id,
                          gint64          now,
                          JswPlanLimits  *limits,
                          GError        **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_int (&p, now);
  result = jsw_pg_store_exec (self, "SELECT p.server_month, p.total_month, p.daily"
                                    " FROM subscriptions s JOIN plans p ON p.name = " JSW_PG_PLAN_IN_FORCE ("$2")
                                    " WHERE s.user_id = $1",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return FALSE;
    }
  jsw_pg_store_read_limits (result, 0, 0, limits);
  return TRUE;
}

/* Consumes one unit of @counter, atomically: the conditional upsert only
 * counts while the counter is below its limit, and the row it locks makes
 * concurrent charges of one user wait for each other, so no concurrency
 * can make it pass. Returns FALSE with *spent set when the limit is
 * reached. */
gboolean
jsw_pg_store_charge (JswPgStore  *self,
                     const char  *user_id,
                     JswCounter   counter,
                     const char  *period,
                     gint64       limit,
                     gboolean    *spent,
                     GError     **error)
{
  JswPgParams p = { 0 };
  gint64 changes;

  *spent = FALSE;
  if (limit == 0)
    {
      *spent = TRUE;
      return TRUE;
    }

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, jsw_counter_to_string (counter));
  jsw_pg_params_text (&p, period);
  jsw_pg_params_int (&p, limit);
  if (!jsw_pg_store_run (self,
                         "INSERT INTO usage (user_id, counter, period, used) VALUES ($1, $2, $3, 1)"
                         " ON CONFLICT (user_id, counter, period) DO UPDATE SET used = usage.used + 1"
                         " WHERE $4::bigint < 0 OR usage.used < $4::bigint",
                         &p, &changes, error))
    return FALSE;

  *spent = changes == 0;
  return TRUE;
}

static gboolean
give_back (JswPgStore  *self,
           const char  *user_id,
           JswCounter   counter,
           const char  *period,
           GError     **error)
{
  JswPgParams p = { 0 };

  if (period == NULL)
    return TRUE;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, jsw_counter_to_string (counter));
  jsw_pg_params_text (&p, period);
  return jsw_pg_store_run (self,
                           "UPDATE usage SET used = used - 1"
                           " WHERE user_id = $1 AND counter = $2 AND period = $3 AND used > 0",
                           &p, NULL, error);
}

/* A failed or cancelled entry gives back what it consumed, once: the
 * charged_* columns are cleared as they are given back. */
gboolean
jsw_pg_store_give_back_entry (JswPgStore  *self,
                              const char  *entry_id,
                              gboolean     server_only,
                              GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;
  const char *user_id;

  jsw_pg_params_text (&p, entry_id);
  result = jsw_pg_store_exec (self, "SELECT user_id, charged_total, charged_daily, charged_server"
                                    " FROM entries WHERE id = $1",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  user_id = jsw_pg_text (result, 0, 0);
  if ((!server_only && !give_back (self, user_id, JSW_COUNTER_TOTAL_MONTH, jsw_pg_text (result, 0, 1), error)) ||
      (!server_only && !give_back (self, user_id, JSW_COUNTER_DAILY, jsw_pg_text (result, 0, 2), error)) ||
      !give_back (self, user_id, JSW_COUNTER_SERVER_MONTH, jsw_pg_text (result, 0, 3), error))
    return FALSE;

  jsw_pg_params_bool (&p, server_only);
  return jsw_pg_store_run (self,
                           "UPDATE entries SET charged_server = NULL,"
                           " charged_total = CASE WHEN $2::boolean THEN charged_total ELSE NULL END,"
                           " charged_daily = CASE WHEN $2::boolean THEN charged_daily ELSE NULL END"
                           " WHERE id = $1",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_load_usage (JswPgStore  *self,
                         const char  *user_id,
                         gint64       now,
                         gint64       usage[JSW_N_COUNTERS],
                         GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *month = jsw_time_month_period (now);
  g_autofree char *day = jsw_time_day_period (now);

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, month);
  jsw_pg_params_text (&p, day);
  result = jsw_pg_store_exec (self, "SELECT counter, used FROM usage WHERE user_id = $1"
                                    " AND period = CASE WHEN counter = 'daily' THEN $3 ELSE $2 END",
                              &p, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    usage[i] = 0;
  for (int row = 0; row < PQntuples (result); row++)
    for (int i = 0; i < JSW_N_COUNTERS; i++)
      if (g_str_equal (jsw_pg_text (result, row, 0), jsw_counter_to_string ((JswCounter) i)))
        usage[i] = jsw_pg_int (result, row, 1);
  return TRUE;
}

gboolean
jsw_pg_store_set_subscription (JswStore    *store,
                               const char  *user_id,
                               const char  *plan,
                               const char  *status,
                               gint64       now,
                               GError     **error)
{
  JswPgParams p = { 0 };
  gint64 changes;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, plan);
  jsw_pg_params_text (&p, status);
  jsw_pg_params_int (&p, now);
  if (!jsw_pg_store_run (JSW_PG_STORE (store),
                         "UPDATE subscriptions SET plan = $2, status = $3, updated_at = $4"
                         " WHERE user_id = $1 AND EXISTS (SELECT 1 FROM plans WHERE name = $2)",
                         &p, &changes, error))
    return FALSE;
  if (changes == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("No such user, or no plan “%s”"), plan);
      return FALSE;
    }
  return TRUE;
}

static void
params_limit (JswPgParams *p,
              gint64       limit)
{
  if (limit < 0)
    jsw_pg_params_text (p, NULL);
  else
    jsw_pg_params_int (p, limit);
}

gboolean
jsw_pg_store_set_plan (JswStore             *store,
                       const char           *plan,
                       const JswPlanLimits  *limits,
                       GError              **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, plan);
  params_limit (&p, limits->limit[JSW_COUNTER_SERVER_MONTH]);
  params_limit (&p, limits->limit[JSW_COUNTER_TOTAL_MONTH]);
  params_limit (&p, limits->limit[JSW_COUNTER_DAILY]);
  return jsw_pg_store_run (JSW_PG_STORE (store),
                           "INSERT INTO plans (name, server_month, total_month, daily) VALUES ($1, $2, $3, $4)"
                           " ON CONFLICT (name) DO UPDATE SET server_month = $2, total_month = $3, daily = $4",
                           &p, NULL, error);
}

/* Returns an array of JswAccount used as (plan, limits) pairs: only `plan`
 * and `limits` are set. */
GPtrArray *
jsw_pg_store_list_plans (JswStore  *store,
                         GError   **error)
{
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_account_free);
  g_autoptr(PGresult) result = NULL;

  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT name, server_month, total_month, daily FROM plans"
                              " ORDER BY coalesce(total_month, 9223372036854775807), name",
                              NULL, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswAccount *plan = g_new0 (JswAccount, 1);

      plan->plan = g_strdup (jsw_pg_text (result, row, 0));
      jsw_pg_store_read_limits (result, row, 1, &plan->limits);
      g_ptr_array_add (plans, plan);
    }
  return g_steal_pointer (&plans);
}

/* The users whose `canceled` or `unpaid` subscription's period ended
 * after @after and by @until (jsw_store_list_plan_ends()). */
GPtrArray *
jsw_pg_store_list_plan_ends (JswStore  *store,
                             gint64     after,
                             gint64     until,
                             GError   **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, after);
  jsw_pg_params_int (&p, until);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT user_id FROM subscriptions WHERE status IN ('canceled', 'unpaid')"
                              " AND current_period_end > $1 AND current_period_end <= $2",
                              &p, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (users, g_strdup (jsw_pg_text (result, row, 0)));
  return g_steal_pointer (&users);
}
