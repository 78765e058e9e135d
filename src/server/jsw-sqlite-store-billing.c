/* jsw-sqlite-store-billing.c: the SQLite store's Stripe events, invoices,
 * and the figures operators read (usage report, /admin)
 *
 * A Stripe event is applied in one transaction with the record of its id,
 * so a retried or repeated delivery changes nothing, and two deliveries at
 * once queue on the write lock. Stripe does not promise any order between
 * events, so the subscription row keeps the `created` of the newest event
 * seen for it (applied, or ruled stale by the subscription's own fields)
 * and an older one is recorded but changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

static char *
lookup_one_text (JswSqliteStore  *self,
                 const char      *sql,
                 const char      *parameter,
                 GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  g_autofree char *value = NULL;
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, parameter);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (has_row)
    value = g_strdup (jsw_sqlite_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_steal_pointer (&value);
}

/* This store's JswBillingWrites */

static gboolean
insert_event (gpointer                store,
              const JswBillingEvent  *event,
              gint64                  now,
              gboolean               *fresh,
              GError                **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO stripe_events (id, type, created, outcome, received_at, signature)"
                                           " VALUES (?1, ?2, ?3, 'applied', ?4, ?5) ON CONFLICT (id) DO NOTHING",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, event->event_id);
  jsw_sqlite_bind_text (stmt, 2, event->event_type);
  jsw_sqlite_bind_int (stmt, 3, event->created);
  jsw_sqlite_bind_int (stmt, 4, now);
  jsw_sqlite_bind_text (stmt, 5, event->signature);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  *fresh = jsw_sqlite_changes (self->db) == 1;
  return TRUE;
}

static char *
event_signature (gpointer     store,
                 const char  *event_id,
                 GError     **error)
{
  return lookup_one_text (store, "SELECT signature FROM stripe_events WHERE id = ?1", event_id, error);
}

static char *
user_named (gpointer     store,
            const char  *user_id,
            GError     **error)
{
  return lookup_one_text (store, "SELECT id FROM users WHERE id = ?1", user_id, error);
}

static char *
user_of_customer (gpointer     store,
                  const char  *customer,
                  GError     **error)
{
  return lookup_one_text (store, "SELECT user_id FROM subscriptions WHERE stripe_customer = ?1", customer, error);
}

static gboolean
note_outcome (gpointer            store,
              const char         *event_id,
              const char         *user_id,
              JswBillingOutcome   outcome,
              GError            **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE stripe_events SET user_id = ?2, outcome = ?3 WHERE id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, event_id);
  jsw_sqlite_bind_text (stmt, 2, user_id);
  jsw_sqlite_bind_text (stmt, 3, jsw_billing_outcome_to_string (outcome));
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
record_customer (gpointer                store,
                 const char             *user_id,
                 const JswBillingEvent  *event,
                 GError                **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt;

  if (event->customer == NULL)
    return TRUE;
  /* Checkout made this customer for this user; any other event only
   * fills a customer in where none is known. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE subscriptions SET stripe_customer = ?2"
                             " WHERE user_id = ?1 AND (?3 OR stripe_customer IS NULL)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, event->customer);
  jsw_sqlite_bind_int (stmt, 3, event->customer_from_checkout);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* A stale event about the stored subscription still moves its newest
 * seen `created` forward: an event made before it must not apply after
 * it, whatever the newer one's own effect was. */
static gboolean
note_newest_created (gpointer                store,
                     const char             *user_id,
                     const JswBillingEvent  *event,
                     GError                **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE subscriptions SET stripe_event_created = max(stripe_event_created, ?3)"
                                           " WHERE user_id = ?1 AND stripe_subscription = ?2",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, event->subscription);
  jsw_sqlite_bind_int (stmt, 3, event->created);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
update_subscription (gpointer                store,
                     const char             *user_id,
                     const JswBillingEvent  *event,
                     gboolean                same,
                     gint64                  now,
                     gboolean               *updated,
                     GError                **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt;

  /* Fields the event does not carry keep their value, unless the event is
   * about another subscription, whose values they are not. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE subscriptions SET"
                             " stripe_subscription = ?2, status = ?3,"
                             " plan = coalesce(?4, plan),"
                             " stripe_price = CASE WHEN ?4 IS NOT NULL OR NOT ?9 THEN ?5 ELSE stripe_price END,"
                             " current_period_start = CASE WHEN ?6 != 0 THEN ?6 WHEN ?9 THEN current_period_start END,"
                             " current_period_end = CASE WHEN ?7 != 0 THEN ?7 WHEN ?9 THEN current_period_end END,"
                             " cancel_at_period_end = CASE WHEN ?7 != 0 THEN ?8 WHEN ?9 THEN cancel_at_period_end ELSE 0 END,"
                             " stripe_event_created = max(stripe_event_created, ?10),"
                             " updated_at = ?11"
                             " WHERE user_id = ?1 AND (?4 IS NULL OR EXISTS (SELECT 1 FROM plans WHERE name = ?4))",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, event->subscription);
  jsw_sqlite_bind_text (stmt, 3, event->status);
  jsw_sqlite_bind_text (stmt, 4, event->plan);
  jsw_sqlite_bind_text (stmt, 5, event->price);
  jsw_sqlite_bind_int (stmt, 6, event->period_start);
  jsw_sqlite_bind_int (stmt, 7, event->period_end);
  jsw_sqlite_bind_int (stmt, 8, event->cancel_at_period_end);
  jsw_sqlite_bind_int (stmt, 9, same);
  jsw_sqlite_bind_int (stmt, 10, event->created);
  jsw_sqlite_bind_int (stmt, 11, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  *updated = jsw_sqlite_changes (self->db) > 0;
  return TRUE;
}

static gboolean
record_invoice (gpointer                store,
                const char             *user_id,
                const JswBillingEvent  *event,
                gint64                  now,
                GError                **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt;

  /* A paid invoice stays paid: a payment_failed delivered after the
   * payment changes nothing. The plan is the one the invoice paid for. */
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO invoices (id, user_id, plan, status, amount_paid, currency, paid_at, updated_at)"
                             " VALUES (?1, ?2, coalesce(?3, (SELECT plan FROM subscriptions WHERE user_id = ?2)),"
                             "         ?4, ?5, ?6, nullif(?7, 0), ?8)"
                             " ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
                             "   amount_paid = excluded.amount_paid, paid_at = excluded.paid_at, updated_at = excluded.updated_at"
                             " WHERE invoices.status != 'paid'",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, event->invoice);
  jsw_sqlite_bind_text (stmt, 2, user_id);
  jsw_sqlite_bind_text (stmt, 3, event->plan);
  jsw_sqlite_bind_text (stmt, 4, event->invoice_status ? event->invoice_status : "open");
  jsw_sqlite_bind_int (stmt, 5, event->amount_paid);
  jsw_sqlite_bind_text (stmt, 6, event->currency ? event->currency : "usd");
  jsw_sqlite_bind_int (stmt, 7, event->paid_at);
  jsw_sqlite_bind_int (stmt, 8, now);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static JswSubscription *
load_subscription (JswSqliteStore  *self,
                   const char      *user_id,
                   GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT plan, status, stripe_customer, stripe_subscription, stripe_price,"
                                           " coalesce(current_period_start, 0), coalesce(current_period_end, 0),"
                                           " cancel_at_period_end, stripe_event_created"
                                           " FROM subscriptions WHERE user_id = ?1",
                                           error);
  g_autoptr(JswSubscription) subscription = NULL;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_NOT_FOUND, _("There is no such user"), error))
    return NULL;
  subscription = g_new0 (JswSubscription, 1);
  subscription->user_id = g_strdup (user_id);
  subscription->plan = g_strdup (jsw_sqlite_column_text (stmt, 0));
  subscription->status = g_strdup (jsw_sqlite_column_text (stmt, 1));
  subscription->stripe_customer = g_strdup (jsw_sqlite_column_text (stmt, 2));
  subscription->stripe_subscription = g_strdup (jsw_sqlite_column_text (stmt, 3));
  subscription->stripe_price = g_strdup (jsw_sqlite_column_text (stmt, 4));
  subscription->current_period_start = sqlite3_column_int64 (stmt, 5);
  subscription->current_period_end = sqlite3_column_int64 (stmt, 6);
  subscription->cancel_at_period_end = sqlite3_column_int (stmt, 7) != 0;
  subscription->event_created = sqlite3_column_int64 (stmt, 8);
  sqlite3_reset (stmt);
  return g_steal_pointer (&subscription);
}

/* SQLite's write lock keeps other events out until the transaction ends. */
static JswSubscription *
load_subscription_to_change (gpointer     store,
                             const char  *user_id,
                             GError     **error)
{
  return load_subscription (store, user_id, error);
}

static const JswBillingWrites billing_writes = {
  insert_event, event_signature, user_named, user_of_customer, load_subscription_to_change,
  record_customer, record_invoice, note_newest_created, update_subscription, note_outcome,
};

gboolean
jsw_sqlite_store_apply_billing_event (JswStore                *store,
                                      const JswBillingEvent   *event,
                                      gint64                   now,
                                      JswBillingOutcome       *outcome,
                                      char                   **user_id_out,
                                      GError                 **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autofree char *user_id = NULL;

  g_return_val_if_fail (event->event_id != NULL && event->event_type != NULL, FALSE);

  tx = jsw_sqlite_begin_write (self->db, error);
  if (tx == NULL ||
      !jsw_store_apply_billing_event_with (&billing_writes, self, event, now, outcome, &user_id, error) ||
      !jsw_sqlite_transaction_commit (tx, error))
    return FALSE;
  if (user_id_out != NULL)
    *user_id_out = g_steal_pointer (&user_id);
  return TRUE;
}

JswSubscription *
jsw_sqlite_store_get_subscription (JswStore    *store,
                                   const char  *user_id,
                                   GError     **error)
{
  return load_subscription (JSW_SQLITE_STORE (store), user_id, error);
}

/* The usage report */

/* Runs @sql (parameters ?1 month start, ?2 month end, ?3 now), whose rows
 * are (plan, value...), and adds each value to @offsets in the plan's line. */
static gboolean
add_figures (JswSqliteStore  *self,
             GPtrArray       *lines,
             const char      *sql,
             const gsize     *offsets,
             guint            n_offsets,
             gint64           month_start,
             gint64           month_end,
             gint64           now,
             GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, month_start);
  jsw_sqlite_bind_int (stmt, 2, month_end);
  jsw_sqlite_bind_int (stmt, 3, now);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswPlanUsage *line = jsw_plan_usage_line (lines, jsw_sqlite_column_text (stmt, 0));

      for (guint i = 0; i < n_offsets; i++)
        G_STRUCT_MEMBER (gint64, line, offsets[i]) += sqlite3_column_int64 (stmt, i + 1);
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

static gboolean
add_revenue (JswSqliteStore  *self,
             GPtrArray       *lines,
             gint64           month_start,
             gint64           month_end,
             GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT coalesce(plan, 'free'), currency, sum(amount_paid) FROM invoices"
                                           " WHERE status = 'paid' AND paid_at >= ?1 AND paid_at < ?2"
                                           " GROUP BY 1, 2",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_int (stmt, 1, month_start);
  jsw_sqlite_bind_int (stmt, 2, month_end);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswPlanUsage *line = jsw_plan_usage_line (lines, jsw_sqlite_column_text (stmt, 0));

      g_hash_table_insert (line->revenue, g_strdup (jsw_sqlite_column_text (stmt, 1)),
                           g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 2) }, sizeof (gint64)));
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

GPtrArray *
jsw_sqlite_store_usage_report (JswStore  *store,
                               gint64     month_start,
                               gint64     month_end,
                               gint64     now,
                               GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_plan_usage_free);
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(JswSqliteTransaction) tx = NULL;
  static const gsize user_offsets[] = {
    G_STRUCT_OFFSET (JswPlanUsage, users), G_STRUCT_OFFSET (JswPlanUsage, paying_users),
  };
  static const gsize entry_offsets[] = {
    G_STRUCT_OFFSET (JswPlanUsage, server_entries), G_STRUCT_OFFSET (JswPlanUsage, desktop_entries),
    G_STRUCT_OFFSET (JswPlanUsage, finished), G_STRUCT_OFFSET (JswPlanUsage, submitted),
    G_STRUCT_OFFSET (JswPlanUsage, needs_you),
  };

  /* One snapshot for all the figures. */
  tx = jsw_sqlite_begin_read (self->db, error);
  if (tx == NULL)
    return NULL;
  plans = jsw_sqlite_store_list_plans (store, error);
  if (plans == NULL)
    return NULL;
  for (guint i = 0; i < plans->len; i++)
    jsw_plan_usage_line (lines, ((JswAccount *) g_ptr_array_index (plans, i))->plan);

  if (!add_figures (self, lines,
                    "SELECT " JSW_SQLITE_PLAN_IN_FORCE ("?3") ", count(*),"
                    " sum(s.stripe_subscription IS NOT NULL AND s.status IN ('active', 'trialing', 'past_due'))"
                    " FROM subscriptions s GROUP BY 1",
                    user_offsets, G_N_ELEMENTS (user_offsets), month_start, month_end, now, error) ||
      !add_figures (self, lines,
                    "SELECT " JSW_SQLITE_PLAN_IN_FORCE ("?3") ","
                    " sum(e.target = 'server'), sum(e.target = 'desktop'),"
                    " sum(e.state IN ('submitted', 'failed', 'needs_user', 'needs_review')),"
                    " sum(e.state = 'submitted'), sum(e.state IN ('needs_user', 'needs_review'))"
                    " FROM entries e JOIN subscriptions s ON s.user_id = e.user_id"
                    " WHERE e.created_at >= ?1 AND e.created_at < ?2 GROUP BY 1",
                    entry_offsets, G_N_ELEMENTS (entry_offsets), month_start, month_end, now, error) ||
      !add_revenue (self, lines, month_start, month_end, error))
    return NULL;

  return g_steal_pointer (&lines);
}

/* The operator's page */

gboolean
jsw_sqlite_store_count_by_state_and_target (JswStore  *store,
                                            gint64     counts[JSW_N_STATES][3],
                                            GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT state, target, count(*) FROM entries GROUP BY state, target",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, sizeof (gint64) * JSW_N_STATES * 3);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswState state;
      JswTarget target;

      if (jsw_state_from_string (jsw_sqlite_column_text (stmt, 0), &state) &&
          jsw_target_from_string (jsw_sqlite_column_text (stmt, 1), &target))
        counts[state][target] = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

GPtrArray *
jsw_sqlite_store_list_failed_entries (JswStore  *store,
                                      guint      limit,
                                      GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_failed_entry_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT e.id, u.email, e.job_id, e.target, e.error, e.updated_at"
                                           " FROM entries e JOIN users u ON u.id = e.user_id"
                                           " WHERE e.state = 'failed' ORDER BY e.updated_at DESC, e.id LIMIT ?1",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_int (stmt, 1, limit);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswFailedEntry *entry = g_new0 (JswFailedEntry, 1);

      entry->entry_id = g_strdup (jsw_sqlite_column_text (stmt, 0));
      entry->email = g_strdup (jsw_sqlite_column_text (stmt, 1));
      entry->job_id = g_strdup (jsw_sqlite_column_text (stmt, 2));
      entry->target = g_strdup (jsw_sqlite_column_text (stmt, 3));
      entry->error = g_strdup (jsw_sqlite_column_text (stmt, 4));
      entry->updated_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&entries);
}

GPtrArray *
jsw_sqlite_store_list_plan_ends (JswStore  *store,
                                 gint64     after,
                                 gint64     until,
                                 GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT user_id FROM subscriptions"
                                           " WHERE status IN ('canceled', 'unpaid')"
                                           " AND current_period_end > ?1 AND current_period_end <= ?2",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_int (stmt, 1, after);
  jsw_sqlite_bind_int (stmt, 2, until);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    g_ptr_array_add (users, g_strdup (jsw_sqlite_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&users);
}
