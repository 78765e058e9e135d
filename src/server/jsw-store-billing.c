/* jsw-store-billing.c: the store's Stripe events, the usage report and the
 * /admin figures (issue 14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"

void
jsw_subscription_free (JswSubscription *subscription)
{
  if (subscription == NULL)
    return;
  g_free (subscription->user_id);
  g_free (subscription->plan);
  g_free (subscription->status);
  g_free (subscription->stripe_customer);
  g_free (subscription->stripe_subscription);
  g_free (subscription->stripe_price);
  g_free (subscription);
}

/* The outcome as logged and answered to Stripe, and kept with the event. */
const char *
jsw_billing_outcome_to_string (JswBillingOutcome outcome)
{
  static const char *const names[] = { "applied", "duplicate", "stale", "no_user", "replayed" };

  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (names), "applied");
  return names[outcome];
}

void
jsw_plan_usage_free (JswPlanUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->plan);
  g_clear_pointer (&usage->revenue, g_hash_table_unref);
  g_free (usage);
}

void
jsw_failed_entry_free (JswFailedEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->entry_id);
  g_free (entry->email);
  g_free (entry->job_id);
  g_free (entry->target);
  g_free (entry->error);
  g_free (entry);
}

/* Among events of one subscription made in the same second, the order of
 * a subscription's life: it only moves forward (past_due and active are
 * alike, since a payment moves past_due back to active). */
static int
status_rank (const char *status)
{
  static const char *const ranks[][2] = {
    { "incomplete", "0" }, { "trialing", "1" }, { "active", "2" }, { "past_due", "2" },
    { "unpaid", "3" }, { "paused", "3" }, { "incomplete_expired", "4" }, { "canceled", "4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ranks); i++)
    if (g_strcmp0 (status, ranks[i][0]) == 0)
      return ranks[i][1][0] - '0';
  return 0;
}

static gboolean
status_is_final (const char *status)
{
  return g_strcmp0 (status, "canceled") == 0 || g_strcmp0 (status, "incomplete_expired") == 0;
}

/**
 * jsw_billing_event_is_stale:
 * @stored: the user's subscription as stored, read under the transaction
 *   that applies @event
 * @event: a subscription event (subscription and status set)
 *
 * Whether @event is older than what @stored holds, and so must not move
 * it; the one rule both stores apply. By the event's `created` first;
 * then by the subscription's own fields: a canceled subscription stays
 * canceled (Stripe never revives one), a period never goes back, and an
 * event about a subscription that is not the user's current one cannot
 * end the current one. Stripe promises no order between events
 * (docs.stripe.com/webhooks: "Event ordering").
 */
gboolean
jsw_billing_event_is_stale (const JswSubscription *stored,
                            const JswBillingEvent *event)
{
  gboolean same = g_strcmp0 (stored->stripe_subscription, event->subscription) == 0;

  if (event->created < stored->event_created)
    return TRUE;
  if (!same)
    return stored->stripe_subscription != NULL && !status_is_final (stored->status) &&
           status_is_final (event->status);
  if (status_is_final (stored->status) && !status_is_final (event->status))
    return TRUE;
  if (event->period_end != 0 && event->period_end < stored->current_period_end)
    return TRUE;
  return event->created == stored->event_created &&
         status_rank (event->status) < status_rank (stored->status);
}

/* The user of an event: metadata.user_id when it names a user, else the
 * user whose customer id was recorded at checkout. NULL (and no error)
 * when neither matches. */
static char *
find_event_user (const JswBillingWrites  *writes,
                 gpointer                 store,
                 const JswBillingEvent   *event,
                 GError                 **error)
{
  g_autofree char *user_id = NULL;

  if (event->user_id != NULL)
    {
      user_id = writes->user_named (store, event->user_id, error);
      if (user_id != NULL || (error != NULL && *error != NULL))
        return g_steal_pointer (&user_id);
    }
  if (event->customer != NULL)
    return writes->user_of_customer (store, event->customer, error);
  return NULL;
}

/* The effect of one event on the user's row; the outcome says whether it
 * changed anything. */
static gboolean
apply_to_user (const JswBillingWrites  *writes,
               gpointer                 store,
               const char              *user_id,
               const JswBillingEvent   *event,
               gint64                   now,
               JswBillingOutcome       *outcome,
               GError                 **error)
{
  g_autoptr(JswSubscription) stored = writes->load_subscription (store, user_id, error);
  gboolean changes_subscription = event->subscription != NULL && event->status != NULL;
  gboolean updated;

  if (stored == NULL || !writes->record_customer (store, user_id, event, error))
    return FALSE;

  *outcome = JSW_BILLING_APPLIED;
  if (event->invoice != NULL && !writes->record_invoice (store, user_id, event, now, error))
    return FALSE;
  if (!changes_subscription)
    return TRUE;
  if (jsw_billing_event_is_stale (stored, event))
    {
      if (event->invoice == NULL)
        *outcome = JSW_BILLING_STALE;
      return writes->note_newest_created (store, user_id, event, error);
    }
  if (!writes->update_subscription (store, user_id, event,
                                    g_strcmp0 (stored->stripe_subscription, event->subscription) == 0,
                                    now, &updated, error))
    return FALSE;
  if (!updated)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "There is no plan “%s” for the event’s price", event->plan);
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_store_apply_billing_event_with:
 * @writes: the store's statements
 * @store: (type gpointer): what @writes are called on, inside the
 *   caller's write transaction
 * @user_id: (out) (transfer full) (nullable): the user it concerned
 *
 * jsw_store_apply_billing_event(), one rule for every store: the event's
 * id recorded first (an id seen before is a duplicate, Stripe sending an
 * event again, signed anew, until it gets a 2xx; or, with the very
 * signature it came with, a replay of that delivery), then its effect on
 * its user, and its outcome kept with it.
 */
gboolean
jsw_store_apply_billing_event_with (const JswBillingWrites  *writes,
                                    gpointer                 store,
                                    const JswBillingEvent   *event,
                                    gint64                   now,
                                    JswBillingOutcome       *outcome,
                                    char                   **user_id,
                                    GError                 **error)
{
  g_autofree char *seen_signature = NULL;
  gboolean fresh;

  *user_id = NULL;
  if (!writes->insert_event (store, event, now, &fresh, error))
    return FALSE;
  if (!fresh)
    {
      seen_signature = writes->event_signature (store, event->event_id, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      *outcome = event->signature != NULL && g_strcmp0 (seen_signature, event->signature) == 0
                 ? JSW_BILLING_REPLAYED : JSW_BILLING_DUPLICATE;
      return TRUE;
    }

  *user_id = find_event_user (writes, store, event, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (*user_id == NULL)
    *outcome = JSW_BILLING_NO_USER;
  else if (!apply_to_user (writes, store, *user_id, event, now, outcome, error))
    return FALSE;
  return writes->note_outcome (store, event->event_id, *user_id, *outcome, error);
}

/**
 * jsw_plan_usage_line:
 * @lines: (element-type JswPlanUsage): the report so far
 *
 * Returns: (transfer none): @plan's line in @lines, added at the end when
 *   there is none yet (a plan that was deleted but still has users or
 *   invoices)
 */
JswPlanUsage *
jsw_plan_usage_line (GPtrArray  *lines,
                     const char *plan)
{
  JswPlanUsage *line;

  for (guint i = 0; i < lines->len; i++)
    {
      line = g_ptr_array_index (lines, i);
      if (g_strcmp0 (line->plan, plan) == 0)
        return line;
    }
  line = g_new0 (JswPlanUsage, 1);
  line->plan = g_strdup (plan);
  line->revenue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (lines, line);
  return line;
}

/* Billing: a store that does not implement these yet (a new backend)
 * answers with an internal error rather than crashing. */
static gboolean
billing_missing (GError **error)
{
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "This store does not implement billing yet");
  return FALSE;
}

/**
 * jsw_store_apply_billing_event:
 * @event: a verified Stripe event, reduced (JswBillingEvent)
 * @outcome: (out): what it did
 * @user_id: (out) (optional) (nullable): the user it concerned, if any
 *
 * Records @event's id and applies its effect in one transaction, so that
 * an event is applied at most once whatever the retries. An event older
 * than what is stored (by its `created`, then by the subscription's own
 * fields) never moves a subscription backwards.
 */
gboolean
jsw_store_apply_billing_event (JswStore *self,
                               const JswBillingEvent *event,
                               gint64 now,
                               JswBillingOutcome *outcome,
                               char **user_id,
                               GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  if (JSW_STORE_GET_IFACE (self)->apply_billing_event == NULL)
    return billing_missing (error);
  return JSW_STORE_GET_IFACE (self)->apply_billing_event (self, event, now, outcome, user_id, error);
}

JswSubscription *
jsw_store_get_subscription (JswStore *self,
                            const char *user_id,
                            GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->get_subscription == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->get_subscription (self, user_id, error);
}

/**
 * jsw_store_usage_report:
 * @month_start: (µs) the first instant of the month
 * @month_end: (µs) the first instant of the next month
 * @now: (µs) for the plan in force
 *
 * Returns: (transfer full) (element-type JswPlanUsage): one line per plan,
 *   in the order of jsw_store_list_plans(); %NULL with @error set
 */
GPtrArray *
jsw_store_usage_report (JswStore *self,
                        gint64 month_start,
                        gint64 month_end,
                        gint64 now,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->usage_report == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->usage_report (self, month_start, month_end, now, error);
}

/* counts[state][target], target as JswTarget */
gboolean
jsw_store_count_by_state_and_target (JswStore *self,
                                     gint64 counts[JSW_N_STATES][3],
                                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  if (JSW_STORE_GET_IFACE (self)->count_by_state_and_target == NULL)
    return billing_missing (error);
  return JSW_STORE_GET_IFACE (self)->count_by_state_and_target (self, counts, error);
}

/* Returns: (element-type JswFailedEntry): the newest failed entries first */
GPtrArray *
jsw_store_list_failed_entries (JswStore *self,
                               guint limit,
                               GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->list_failed_entries == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->list_failed_entries (self, limit, error);
}

/**
 * jsw_store_list_plan_ends:
 * @after: (µs) exclusive
 * @until: (µs) inclusive
 *
 * Returns: (element-type utf8): the users whose `canceled` or `unpaid`
 *   subscription's period ended after @after and by @until, whose plan in
 *   force became `free` then; a store without billing has none
 */
GPtrArray *
jsw_store_list_plan_ends (JswStore *self,
                          gint64 after,
                          gint64 until,
                          GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->list_plan_ends == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return JSW_STORE_GET_IFACE (self)->list_plan_ends (self, after, until, error);
}
