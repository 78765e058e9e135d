/* jsw-pg-store-billing.c: the PostgreSQL store's Stripe events, invoices,
 * and the figures operators read (usage report, /admin)
 *
 * The rules are one piece of code for both stores
 * (jsw_store_apply_billing_event_with(), given this store's statements).
 * What differs is how deliveries at once are kept apart: SQLite queues
 * them on its write lock; here the event's id is inserted first (a second
 * delivery of the same id, in any process, waits on that row and then
 * finds it), and the user's subscription row is read FOR UPDATE, so two
 * events of one user apply one after the other, each seeing the other's
 * effect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

static char *
lookup_one_text (JswPgStore  *self,
                 const char  *sql,
                 const char  *parameter,
                 GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_text (&p, parameter);
  result = jsw_pg_store_exec (self, sql, &p, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return g_strdup (jsw_pg_text (result, 0, 0));
}

/* This store's JswBillingWrites */

static gboolean
insert_event (gpointer                store,
              const JswBillingEvent  *event,
              gint64                  now,
              gboolean               *fresh,
              GError                **error)
{
  JswPgParams p = { 0 };
  gint64 changes;

  jsw_pg_params_text (&p, event->event_id);
  jsw_pg_params_text (&p, event->event_type);
  jsw_pg_params_int (&p, event->created);
  jsw_pg_params_int (&p, now);
  jsw_pg_params_text (&p, event->signature);
  if (!jsw_pg_store_run (store,
                         "INSERT INTO stripe_events (id, type, created, outcome, received_at, signature)"
                         " VALUES ($1, $2, $3, 'applied', $4, $5) ON CONFLICT (id) DO NOTHING",
                         &p, &changes, error))
    return FALSE;
  *fresh = changes == 1;
  return TRUE;
}

static char *
event_signature (gpointer     store,
                 const char  *event_id,
                 GError     **error)
{
  return lookup_one_text (store, "SELECT signature FROM stripe_events WHERE id = $1", event_id, error);
}

static char *
user_named (gpointer     store,
            const char  *user_id,
            GError     **error)
{
  return lookup_one_text (store, "SELECT id FROM users WHERE id = $1", user_id, error);
}

static char *
user_of_customer (gpointer     store,
                  const char  *customer,
                  GError     **error)
{
  return lookup_one_text (store, "SELECT user_id FROM subscriptions WHERE stripe_customer = $1 LIMIT 1",
                          customer, error);
}

static gboolean
note_outcome (gpointer            store,
              const char         *event_id,
              const char         *user_id,
              JswBillingOutcome   outcome,
              GError            **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, event_id);
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, jsw_billing_outcome_to_string (outcome));
  return jsw_pg_store_run (store, "UPDATE stripe_events SET user_id = $2, outcome = $3 WHERE id = $1",
                           &p, NULL, error);
}

static gboolean
record_customer (gpointer                store,
                 const char             *user_id,
                 const JswBillingEvent  *event,
                 GError                **error)
{
  JswPgParams p = { 0 };

  if (event->customer == NULL)
    return TRUE;
  /* Checkout made this customer for this user; any other event only
   * fills a customer in where none is known. */
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, event->customer);
  jsw_pg_params_bool (&p, event->customer_from_checkout);
  return jsw_pg_store_run (store,
                           "UPDATE subscriptions SET stripe_customer = $2"
                           " WHERE user_id = $1 AND ($3::boolean OR stripe_customer IS NULL)",
                           &p, NULL, error);
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
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, event->subscription);
  jsw_pg_params_int (&p, event->created);
  return jsw_pg_store_run (store,
                           "UPDATE subscriptions SET stripe_event_created = greatest(stripe_event_created, $3::bigint)"
                           " WHERE user_id = $1 AND stripe_subscription = $2",
                           &p, NULL, error);
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
  JswPgParams p = { 0 };
  gint64 changes;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, event->subscription);
  jsw_pg_params_text (&p, event->status);
  jsw_pg_params_text (&p, event->plan);
  jsw_pg_params_text (&p, event->price);
  jsw_pg_params_int (&p, event->period_start);
  jsw_pg_params_int (&p, event->period_end);
  jsw_pg_params_bool (&p, event->cancel_at_period_end);
  jsw_pg_params_bool (&p, same);
  jsw_pg_params_int (&p, event->created);
  jsw_pg_params_int (&p, now);
  /* Fields the event does not carry keep their value, unless the event is
   * about another subscription, whose values they are not. */
  if (!jsw_pg_store_run (store,
                         "UPDATE subscriptions SET"
                         " stripe_subscription = $2, status = $3,"
                         " plan = coalesce($4::text, plan),"
                         " stripe_price = CASE WHEN $4::text IS NOT NULL OR NOT $9::boolean THEN $5::text ELSE stripe_price END,"
                         " current_period_start = CASE WHEN $6::bigint <> 0 THEN $6::bigint WHEN $9::boolean THEN current_period_start END,"
                         " current_period_end = CASE WHEN $7::bigint <> 0 THEN $7::bigint WHEN $9::boolean THEN current_period_end END,"
                         " cancel_at_period_end = CASE WHEN $7::bigint <> 0 THEN $8::boolean"
                         "   WHEN $9::boolean THEN cancel_at_period_end ELSE false END,"
                         " stripe_event_created = greatest(stripe_event_created, $10::bigint),"
                         " updated_at = $11"
                         " WHERE user_id = $1 AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM plans WHERE name = $4::text))",
                         &p, &changes, error))
    return FALSE;
  *updated = changes > 0;
  return TRUE;
}

static gboolean
record_invoice (gpointer                store,
                const char             *user_id,
                const JswBillingEvent  *event,
                gint64                  now,
                GError                **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, event->invoice);
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, event->plan);
  jsw_pg_params_text (&p, event->invoice_status ? event->invoice_status : "open");
  jsw_pg_params_int (&p, event->amount_paid);
  jsw_pg_params_text (&p, event->currency ? event->currency : "usd");
  jsw_pg_params_int (&p, event->paid_at);
  jsw_pg_params_int (&p, now);
  /* A paid invoice stays paid: a payment_failed delivered after the
   * payment changes nothing. The plan is the one the invoice paid for. */
  return jsw_pg_store_run (store,
                           "INSERT INTO invoices (id, user_id, plan, status, amount_paid, currency, paid_at, updated_at)"
                           " VALUES ($1, $2, coalesce($3::text, (SELECT plan FROM subscriptions WHERE user_id = $2)),"
                           "         $4, $5, $6, nullif($7::bigint, 0), $8)"
                           " ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
                           "   amount_paid = excluded.amount_paid, paid_at = excluded.paid_at, updated_at = excluded.updated_at"
                           " WHERE invoices.status <> 'paid'",
                           &p, NULL, error);
}

#define SUBSCRIPTION_SELECT \
  "SELECT plan, status, stripe_customer, stripe_subscription, stripe_price," \
  " coalesce(current_period_start, 0), coalesce(current_period_end, 0)," \
  " cancel_at_period_end, stripe_event_created FROM subscriptions WHERE user_id = $1"

/* @sql: SUBSCRIPTION_SELECT, locking the row or not */
static JswSubscription *
read_subscription (JswPgStore  *self,
                   const char  *sql,
                   const char  *user_id,
                   GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;
  JswSubscription *subscription;

  jsw_pg_params_text (&p, user_id);
  result = jsw_pg_store_exec (self, sql, &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return NULL;
    }
  subscription = g_new0 (JswSubscription, 1);
  subscription->user_id = g_strdup (user_id);
  subscription->plan = g_strdup (jsw_pg_text (result, 0, 0));
  subscription->status = g_strdup (jsw_pg_text (result, 0, 1));
  subscription->stripe_customer = g_strdup (jsw_pg_text (result, 0, 2));
  subscription->stripe_subscription = g_strdup (jsw_pg_text (result, 0, 3));
  subscription->stripe_price = g_strdup (jsw_pg_text (result, 0, 4));
  subscription->current_period_start = jsw_pg_int (result, 0, 5);
  subscription->current_period_end = jsw_pg_int (result, 0, 6);
  subscription->cancel_at_period_end = g_strcmp0 (jsw_pg_text (result, 0, 7), "t") == 0;
  subscription->event_created = jsw_pg_int (result, 0, 8);
  return subscription;
}

static JswSubscription *
load_subscription (gpointer     store,
                   const char  *user_id,
                   GError     **error)
{
  return read_subscription (store, SUBSCRIPTION_SELECT " FOR UPDATE", user_id, error);
}

static const JswBillingWrites billing_writes = {
  insert_event, event_signature, user_named, user_of_customer, load_subscription,
  record_customer, record_invoice, note_newest_created, update_subscription, note_outcome,
};

typedef struct {
  const JswBillingEvent *event;
  gint64                 now;
  JswBillingOutcome     *outcome;
  char                  *user_id;
} ApplyEvent;

static gboolean
apply_event (JswPgStore  *self,
             gpointer     data,
             GPtrArray   *events,
             GError     **error)
{
  ApplyEvent *apply = data;

  g_clear_pointer (&apply->user_id, g_free);
  return jsw_store_apply_billing_event_with (&billing_writes, self, apply->event, apply->now, apply->outcome,
                                             &apply->user_id, error);
}

gboolean
jsw_pg_store_apply_billing_event (JswStore                *store,
                                  const JswBillingEvent   *event,
                                  gint64                   now,
                                  JswBillingOutcome       *outcome,
                                  char                   **user_id_out,
                                  GError                 **error)
{
  ApplyEvent apply = { event, now, outcome, NULL };
  g_autofree char *user_id = NULL;
  gboolean applied;

  g_return_val_if_fail (event->event_id != NULL && event->event_type != NULL, FALSE);

  applied = jsw_pg_store_transact (JSW_PG_STORE (store), apply_event, &apply, NULL, error);
  user_id = g_steal_pointer (&apply.user_id);
  if (applied && user_id_out != NULL)
    *user_id_out = g_steal_pointer (&user_id);
  return applied;
}

JswSubscription *
jsw_pg_store_get_subscription (JswStore    *store,
                               const char  *user_id,
                               GError     **error)
{
  return read_subscription (JSW_PG_STORE (store), SUBSCRIPTION_SELECT, user_id, error);
}

/* The usage report */

typedef struct {
  GPtrArray *lines;
  gint64     month_start;
  gint64     month_end;
  gint64     now;
} UsageReport;

/* Runs @sql (parameters $1 month start, $2 month end, $3 now), whose rows
 * are (plan, value...), and adds each value to @offsets in the plan's line. */
static gboolean
add_figures (JswPgStore    *self,
             UsageReport   *report,
             const char    *sql,
             const gsize   *offsets,
             guint          n_offsets,
             GError       **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_int (&p, report->month_start);
  jsw_pg_params_int (&p, report->month_end);
  jsw_pg_params_int (&p, report->now);
  result = jsw_pg_store_exec (self, sql, &p, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswPlanUsage *line = jsw_plan_usage_line (report->lines, jsw_pg_text (result, row, 0));

      for (guint i = 0; i < n_offsets; i++)
        G_STRUCT_MEMBER (gint64, line, offsets[i]) += jsw_pg_int (result, row, i + 1);
    }
  return TRUE;
}

static gboolean
add_revenue (JswPgStore   *self,
             UsageReport  *report,
             GError      **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_int (&p, report->month_start);
  jsw_pg_params_int (&p, report->month_end);
  result = jsw_pg_store_exec (self,
                              "SELECT coalesce(plan, 'free'), currency, sum(amount_paid) FROM invoices"
                              " WHERE status = 'paid' AND paid_at >= $1 AND paid_at < $2"
                              " GROUP BY 1, 2",
                              &p, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswPlanUsage *line = jsw_plan_usage_line (report->lines, jsw_pg_text (result, row, 0));

      g_hash_table_insert (line->revenue, g_strdup (jsw_pg_text (result, row, 1)),
                           g_memdup2 (&(gint64) { jsw_pg_int (result, row, 2) }, sizeof (gint64)));
    }
  return TRUE;
}

static gboolean
read_usage_report (JswPgStore  *self,
                   gpointer     data,
                   GPtrArray   *events,
                   GError     **error)
{
  UsageReport *report = data;
  g_autoptr(GPtrArray) plans = NULL;
  static const gsize user_offsets[] = {
    G_STRUCT_OFFSET (JswPlanUsage, users), G_STRUCT_OFFSET (JswPlanUsage, paying_users),
  };
  static const gsize entry_offsets[] = {
    G_STRUCT_OFFSET (JswPlanUsage, server_entries), G_STRUCT_OFFSET (JswPlanUsage, desktop_entries),
    G_STRUCT_OFFSET (JswPlanUsage, finished), G_STRUCT_OFFSET (JswPlanUsage, submitted),
    G_STRUCT_OFFSET (JswPlanUsage, needs_you),
  };

  /* A retried snapshot starts its figures again. */
  g_ptr_array_set_size (report->lines, 0);
  plans = jsw_pg_store_list_plans (JSW_STORE (self), error);
  if (plans == NULL)
    return FALSE;
  for (guint i = 0; i < plans->len; i++)
    jsw_plan_usage_line (report->lines, ((JswAccount *) g_ptr_array_index (plans, i))->plan);

  return add_figures (self, report,
                      "SELECT " JSW_PG_PLAN_IN_FORCE ("$3") ", count(*),"
                      " count(*) FILTER (WHERE s.stripe_subscription IS NOT NULL"
                      "   AND s.status IN ('active', 'trialing', 'past_due'))"
                      /* $1 and $2 are not needed here, but PostgreSQL
                       * refuses a parameter whose type it cannot tell. */
                      " FROM subscriptions s WHERE $1::bigint <= $2::bigint GROUP BY 1",
                      user_offsets, G_N_ELEMENTS (user_offsets), error) &&
         add_figures (self, report,
                      "SELECT " JSW_PG_PLAN_IN_FORCE ("$3") ","
                      " count(*) FILTER (WHERE e.target = 'server'), count(*) FILTER (WHERE e.target = 'desktop'),"
                      " count(*) FILTER (WHERE e.state IN ('submitted', 'failed', 'needs_user', 'needs_review')),"
                      " count(*) FILTER (WHERE e.state = 'submitted'),"
                      " count(*) FILTER (WHERE e.state IN ('needs_user', 'needs_review'))"
                      " FROM entries e JOIN subscriptions s ON s.user_id = e.user_id"
                      " WHERE e.created_at >= $1 AND e.created_at < $2 GROUP BY 1",
                      entry_offsets, G_N_ELEMENTS (entry_offsets), error) &&
         add_revenue (self, report, error);
}

GPtrArray *
jsw_pg_store_usage_report (JswStore  *store,
                           gint64     month_start,
                           gint64     month_end,
                           gint64     now,
                           GError   **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_plan_usage_free);
  UsageReport report = { lines, month_start, month_end, now };

  /* One snapshot for all the figures. */
  if (!jsw_pg_store_read_snapshot (JSW_PG_STORE (store), read_usage_report, &report, error))
    return NULL;
  return g_steal_pointer (&lines);
}

/* The operator's page */

gboolean
jsw_pg_store_count_by_state_and_target (JswStore  *store,
                                        gint64     counts[JSW_N_STATES][3],
                                        GError   **error)
{
  g_autoptr(PGresult) result = jsw_pg_store_exec (JSW_PG_STORE (store),
                                                  "SELECT state, target, count(*) FROM entries GROUP BY state, target",
                                                  NULL, error);

  if (result == NULL)
    return FALSE;
  memset (counts, 0, sizeof (gint64) * JSW_N_STATES * 3);
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswState state;
      JswTarget target;

      if (jsw_state_from_string (jsw_pg_text (result, row, 0), &state) &&
          jsw_target_from_string (jsw_pg_text (result, row, 1), &target))
        counts[state][target] = jsw_pg_int (result, row, 2);
    }
  return TRUE;
}

GPtrArray *
jsw_pg_store_list_failed_entries (JswStore  *store,
                                  guint      limit,
                                  GError   **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_failed_entry_free);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_int (&p, limit);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT e.id, u.email, e.job_id, e.target, e.error, e.updated_at"
                              " FROM entries e JOIN users u ON u.id = e.user_id"
                              " WHERE e.state = 'failed' ORDER BY e.updated_at DESC, e.id LIMIT $1",
                              &p, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswFailedEntry *entry = g_new0 (JswFailedEntry, 1);

      entry->entry_id = g_strdup (jsw_pg_text (result, row, 0));
      entry->email = g_strdup (jsw_pg_text (result, row, 1));
      entry->job_id = g_strdup (jsw_pg_text (result, row, 2));
      entry->target = g_strdup (jsw_pg_text (result, row, 3));
      entry->error = g_strdup (jsw_pg_text (result, row, 4));
      entry->updated_at = jsw_pg_int (result, row, 5);
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}
