/* jsw-sqlite-store-plans.c: the SQLite store's plans, subscriptions, quotas and usage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

gboolean
jsw_sqlite_store_load_limits (JswSqliteStore  *self,
                              const char      *user_id,
                              gint64           now,
                              JswPlanLimits   *limits,
                              GError         **error)
{
  /* The limits of the plan in force, so that a plan change takes effect
   * on the next swipe and a cancelled one ends with its period. */
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT p.server_month, p.total_month, p.daily"
                                           " FROM subscriptions s JOIN plans p ON p.name = "
                                           JSW_SQLITE_PLAN_IN_FORCE ("?2")
                                           " WHERE s.user_id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, now);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_NOT_FOUND,
                            _("There is no such user"), error))
    return FALSE;
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    limits->limit[i] = sqlite3_column_type (stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, i);
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
period_for (JswCounter counter,
            gint64     now)
{
  return counter == JSW_COUNTER_DAILY ? jsw_time_day_period (now) : jsw_time_month_period (now);
}

/* Consumes one unit of @counter, atomically: the conditional upsert only
 * counts while the counter is below its limit, so no concurrency can make it
 * pass. Returns FALSE with *spent set when the limit is reached. */
gboolean
jsw_sqlite_store_charge (JswSqliteStore  *self,
                         const char      *user_id,
                         JswCounter       counter,
                         const char      *period,
                         gint64           limit,
                         gboolean        *spent,
                         GError         **error)
{
  sqlite3_stmt *stmt;

  *spent = FALSE;
  if (limit == 0)
    {
      *spent = TRUE;
      return TRUE;
    }

  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO usage (user_id, counter, period, used) VALUES (?1, ?2, ?3, 1)"
                             " ON CONFLICT (user_id, counter, period) DO UPDATE SET used = used + 1"
                             " WHERE ?4 < 0 OR used < ?4",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, jsw_counter_to_string (counter));
  jsw_sqlite_bind_text (stmt, 3, period);
  jsw_sqlite_bind_int (stmt, 4, limit);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  *spent = jsw_sqlite_changes (self->db) == 0;
  return TRUE;
}

static gboolean
give_back (JswSqliteStore  *self,
           const char      *user_id,
           JswCounter       counter,
           const char      *period,
           GError         **error)
{
  sqlite3_stmt *stmt;

  if (period == NULL)
    return TRUE;

  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE usage SET used = used - 1"
                             " WHERE user_id = ?1 AND counter = ?2 AND period = ?3 AND used > 0",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, jsw_counter_to_string (counter));
  jsw_sqlite_bind_text (stmt, 3, period);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* A failed or cancelled entry gives back what it consumed, once: the
 * charged_* columns are cleared as they are given back. */
gboolean
jsw_sqlite_store_give_back_entry (JswSqliteStore  *self,
                                  const char      *entry_id,
                                  gboolean         server_only,
                                  GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT user_id, charged_total, charged_daily, charged_server"
                                           " FROM entries WHERE id = ?1",
                                           error);
  g_autofree char *user_id = NULL;
  g_autofree char *total = NULL;
  g_autofree char *daily = NULL;
  g_autofree char *server = NULL;
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      user_id = g_strdup (jsw_sqlite_column_text (stmt, 0));
      total = g_strdup (jsw_sqlite_column_text (stmt, 1));
      daily = g_strdup (jsw_sqlite_column_text (stmt, 2));
      server = g_strdup (jsw_sqlite_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (!has_row)
    return TRUE;

  if (server_only)
    {
      g_clear_pointer (&total, g_free);
      g_clear_pointer (&daily, g_free);
    }

  if (!give_back (self, user_id, JSW_COUNTER_TOTAL_MONTH, total, error) ||
      !give_back (self, user_id, JSW_COUNTER_DAILY, daily, error) ||
      !give_back (self, user_id, JSW_COUNTER_SERVER_MONTH, server, error))
    return FALSE;

  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET charged_server = NULL,"
                             " charged_total = CASE WHEN ?2 THEN charged_total ELSE NULL END,"
                             " charged_daily = CASE WHEN ?2 THEN charged_daily ELSE NULL END"
                             " WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_int (stmt, 2, server_only);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

gboolean
jsw_sqlite_store_load_usage (JswSqliteStore  *self,
                             const char      *user_id,
                             gint64           now,
                             gint64           usage[JSW_N_COUNTERS],
                             GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT used FROM usage WHERE user_id = ?1 AND counter = ?2 AND period = ?3",
                                           error);

  if (stmt == NULL)
    return FALSE;

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      g_autofree char *period = period_for ((JswCounter) i, now);
      gboolean has_row;

      sqlite3_reset (stmt);
      jsw_sqlite_bind_text (stmt, 1, user_id);
      jsw_sqlite_bind_text (stmt, 2, jsw_counter_to_string ((JswCounter) i));
      jsw_sqlite_bind_text (stmt, 3, period);
      if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
        return FALSE;
      usage[i] = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

gboolean
jsw_sqlite_store_set_subscription (JswStore    *store,
                                   const char  *user_id,
                                   const char  *plan,
                                   const char  *status,
                                   gint64       now,
                                   GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE subscriptions SET plan = ?2, status = ?3, updated_at = ?4"
                                           " WHERE user_id = ?1 AND EXISTS (SELECT 1 FROM plans WHERE name = ?2)",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, plan);
  jsw_sqlite_bind_text (stmt, 3, status);
  jsw_sqlite_bind_int (stmt, 4, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (jsw_sqlite_changes (self->db) == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("No such user, or no plan “%s”"), plan);
      return FALSE;
    }
  return TRUE;
}

static void
bind_limit (sqlite3_stmt *stmt,
            int           index,
            gint64        limit)
{
  if (limit < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, limit);
}

gboolean
jsw_sqlite_store_set_plan (JswStore             *store,
                           const char           *plan,
                           const JswPlanLimits  *limits,
                           GError              **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO plans (name, server_month, total_month, daily) VALUES (?1, ?2, ?3, ?4)"
                                           " ON CONFLICT (name) DO UPDATE SET server_month = ?2, total_month = ?3, daily = ?4",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, plan);
  bind_limit (stmt, 2, limits->limit[JSW_COUNTER_SERVER_MONTH]);
  bind_limit (stmt, 3, limits->limit[JSW_COUNTER_TOTAL_MONTH]);
  bind_limit (stmt, 4, limits->limit[JSW_COUNTER_DAILY]);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* Returns an array of JswAccount used as (plan, limits) pairs: only `plan`
 * and `limits` are set. */
GPtrArray *
jsw_sqlite_store_list_plans (JswStore  *store,
                             GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_account_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT name, server_month, total_month, daily FROM plans"
                                           " ORDER BY coalesce(total_month, 9223372036854775807)",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswAccount *plan = g_new0 (JswAccount, 1);

      plan->plan = g_strdup (jsw_sqlite_column_text (stmt, 0));
      for (int i = 0; i < JSW_N_COUNTERS; i++)
        plan->limits.limit[i] = sqlite3_column_type (stmt, i + 1) == SQLITE_NULL
                                ? -1 : sqlite3_column_int64 (stmt, i + 1);
      g_ptr_array_add (plans, plan);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&plans);
}
