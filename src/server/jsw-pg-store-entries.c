/* jsw-pg-store-entries.c: the PostgreSQL store's swipes, queue and a user's own transitions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

/* Cannot fail: the snapshot was validated when it was stored. */
JswEntry *
jsw_pg_store_entry_from_row (const PGresult *result,
                             int             row)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  const char *outcome;

  entry->id = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_ID));
  entry->user_id = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_USER_ID));
  entry->job_id = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_JOB_ID));
  jsw_target_from_string (jsw_pg_text (result, row, JSW_PG_COL_TARGET), &entry->target);
  jsw_state_from_string (jsw_pg_text (result, row, JSW_PG_COL_STATE), &entry->state);
  entry->attempt = jsw_pg_int (result, row, JSW_PG_COL_ATTEMPT);
  entry->percent = jsw_pg_int (result, row, JSW_PG_COL_PERCENT);
  entry->step = (JswStep) jsw_pg_int (result, row, JSW_PG_COL_STEP);
  entry->message = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_MESSAGE));

  if (!jsw_pg_is_null (result, row, JSW_PG_COL_CLAIMED_KIND))
    {
      entry->claimed = TRUE;
      entry->claimed_device = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_CLAIMED_DEVICE));
      jsw_kind_from_string (jsw_pg_text (result, row, JSW_PG_COL_CLAIMED_KIND), &entry->claimed_kind);
    }

  outcome = jsw_pg_text (result, row, JSW_PG_COL_OUTCOME);
  if (outcome != NULL && jsw_outcome_from_string (outcome, &entry->outcome))
    {
      entry->has_result = TRUE;
      entry->confirmation = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_CONFIRMATION));
      entry->error = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_ERROR));
      entry->screenshot_sha256 = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_SCREENSHOT));
    }

  entry->created_at = jsw_pg_int (result, row, JSW_PG_COL_CREATED_AT);
  entry->updated_at = jsw_pg_int (result, row, JSW_PG_COL_UPDATED_AT);
  entry->snapshot_json = g_strdup (jsw_pg_text (result, row, JSW_PG_COL_SNAPSHOT));

  return g_steal_pointer (&entry);
}

/* Reads one entry by id, optionally only if it belongs to @user_id (NULL:
 * any user), and with @for_update, locks its row for the transaction
 * under way. Sets NOT_FOUND when there is none. */
JswEntry *
jsw_pg_store_load_entry (JswPgStore  *self,
                         const char  *user_id,
                         const char  *entry_id,
                         gboolean     for_update,
                         GError     **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_text (&p, entry_id);
  jsw_pg_params_text (&p, user_id);
  result = jsw_pg_store_exec (self,
                              for_update
                              ? "SELECT " JSW_PG_ENTRY_COLUMNS " FROM entries"
                                " WHERE id = $1 AND ($2::text IS NULL OR user_id = $2) FOR UPDATE"
                              : "SELECT " JSW_PG_ENTRY_COLUMNS " FROM entries"
                                " WHERE id = $1 AND ($2::text IS NULL OR user_id = $2)",
                              &p, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such entry"));
      return NULL;
    }
  return jsw_pg_store_entry_from_row (result, 0);
}

gboolean
jsw_pg_store_record_left_swipe (JswStore    *store,
                                const char  *user_id,
                                const char  *job_id,
                                gint64       now,
                                GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  JswPgParams p = { 0 };
  gint64 id;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, job_id);
  jsw_pg_params_int (&p, now);
  id = jsw_pg_store_int (self, "INSERT INTO swipes (user_id, job_id, direction, created_at)"
                               " VALUES ($1, $2, 'left', $3) RETURNING id",
                         &p, 0, error);
  if (id < 0 || !jsw_pg_store_hide_posting_of_job (self, user_id, job_id, now, error))
    return FALSE;

  /* Trimmed every hundredth row, as the SQLite store does. */
  if (id % 100 != 0)
    return TRUE;
  p = (JswPgParams) { 0 };
  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_int (&p, JSW_LEFT_SWIPES_KEPT_PER_USER);
  return jsw_pg_store_run (self,
                           "DELETE FROM swipes WHERE user_id = $1 AND id <= ("
                           " SELECT id FROM swipes WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
                           &p, NULL, error);
}

/* What a swipe needs to know before it charges anything, in one round
 * trip: the limits of the plan in force, the execution mode, and the live
 * entry of the job if there is one (*@existing, NULL if none). */
static gboolean
load_swipe_context (JswPgStore        *self,
                    const char        *user_id,
                    const char        *job_id,
                    gint64             now,
                    JswPlanLimits     *limits,
                    JswExecutionMode  *mode,
                    char             **existing,
                    GError           **error)
{
  JswPgParams p = { 0 };
  g_autoptr(PGresult) result = NULL;

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_int (&p, now);
  jsw_pg_params_text (&p, job_id);
  result = jsw_pg_store_exec (self,
                              "SELECT p.server_month, p.total_month, p.daily, u.execution_mode,"
                              " (SELECT id FROM entries WHERE user_id = $1 AND job_id = $3 AND cancelled_at IS NULL)"
                              " FROM subscriptions s JOIN plans p ON p.name = " JSW_PG_PLAN_IN_FORCE ("$2")
                              " JOIN users u ON u.id = s.user_id WHERE s.user_id = $1",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return FALSE;
    }
  jsw_pg_store_read_limits (result, 0, 0, limits);
  *mode = JSW_MODE_AUTO;
  jsw_execution_mode_from_string (jsw_pg_text (result, 0, 3), mode);
  *existing = g_strdup (jsw_pg_text (result, 0, 4));
  return TRUE;
}

static gboolean
charge_or_refuse (JswPgStore           *self,
                  const char           *user_id,
                  JswCounter            counter,
                  const char           *period,
                  const JswPlanLimits  *limits,
                  GError              **error)
{
  gboolean spent;

  if (!jsw_pg_store_charge (self, user_id, counter, period, limits->limit[counter], &spent, error))
    return FALSE;
  if (spent)
    return jsw_store_quota_error (counter, error);
  return TRUE;
}

/* Charges a new entry's quotas in one statement, in the lock order
 * (total_month, daily, then server_month when @with_server): each
 * counter's conditional upsert as jsw_pg_store_charge() makes it, with
 * the counters that were at their limit left in @spent (indexed by
 * JswCounter). A spent counter is not charged; the caller refuses the
 * swipe, which rolls the others back. */
static gboolean
charge_new_entry (JswPgStore           *self,
                  const char           *user_id,
                  const JswPlanLimits  *limits,
                  const char           *month,
                  const char           *day,
                  gboolean              with_server,
                  gboolean              spent[JSW_N_COUNTERS],
                  GError              **error)
{
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, month);
  jsw_pg_params_text (&p, day);
  jsw_pg_params_int (&p, limits->limit[JSW_COUNTER_TOTAL_MONTH]);
  jsw_pg_params_int (&p, limits->limit[JSW_COUNTER_DAILY]);
  jsw_pg_params_int (&p, limits->limit[JSW_COUNTER_SERVER_MONTH]);
  jsw_pg_params_bool (&p, with_server);
  result = jsw_pg_store_exec (self,
                              "WITH wanted (ord, counter, period, lim) AS (VALUES"
                              "  (1, 'total_month', $2::text, $4::bigint), (2, 'daily', $3::text, $5::bigint),"
                              "  (3, 'server_month', $2::text, $6::bigint))"
                              " INSERT INTO usage (user_id, counter, period, used)"
                              " SELECT $1, counter, period, 1 FROM wanted"
                              " WHERE lim <> 0 AND (counter <> 'server_month' OR $7::boolean) ORDER BY ord"
                              " ON CONFLICT (user_id, counter, period) DO UPDATE SET used = usage.used + 1"
                              " WHERE (CASE excluded.counter WHEN 'total_month' THEN $4::bigint"
                              "        WHEN 'daily' THEN $5::bigint ELSE $6::bigint END) < 0"
                              "  OR usage.used < (CASE excluded.counter WHEN 'total_month' THEN $4::bigint"
                              "                   WHEN 'daily' THEN $5::bigint ELSE $6::bigint END)"
                              " RETURNING counter",
                              &p, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    spent[i] = TRUE;
  for (int row = 0; row < PQntuples (result); row++)
    for (int i = 0; i < JSW_N_COUNTERS; i++)
      if (g_str_equal (jsw_pg_text (result, row, 0), jsw_counter_to_string ((JswCounter) i)))
        spent[i] = FALSE;
  return TRUE;
}

/* The server quota's charge as jsw_store_route_new_entry() calls it,
 * made already by charge_new_entry(): @store points at whether it was
 * spent. */
static gboolean
charged_already (gpointer    store,
                 const char *user_id,
                 JswCounter  counter,
                 const char *period,
                 gint64      limit,
                 gboolean   *spent,
                 GError    **error)
{
  *spent = *(gboolean *) store;
  return TRUE;
}

/**
 * jsw_pg_store_swipe_right_in_tx:
 * @data: a JswPgSwipeRight
 *
 * The person's live entry for the job, or a new one charged to the
 * quotas, inside the transaction under way (a JswPgWork): also the end of
 * a right swipe by posting (jsw-pg-store-feed.c), after its check for a
 * likely duplicate in the same transaction.
 */
gboolean
jsw_pg_store_swipe_right_in_tx (JswPgStore  *self,
                                gpointer     data,
                                GPtrArray   *events,
                                GError     **error)
{
  JswPgSwipeRight *call = data;
  g_autofree char *existing = NULL;
  g_autofree char *entry_id = NULL;
  g_autofree char *month = jsw_time_month_period (call->now);
  g_autofree char *day = jsw_time_day_period (call->now);
  JswExecutionMode mode;
  JswPlanLimits limits;
  JswTarget target = JSW_TARGET_UNDECIDED;  /* set by jsw_store_route_new_entry () */
  gboolean charged_server;
  gboolean spent[JSW_N_COUNTERS];
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  call->created = FALSE;
  g_clear_pointer (&call->entry, jsw_entry_unref);

  /* A concurrent swipe of the same job that commits first makes our
   * insert fail on entries_one_live_per_job; the retry finds its entry. */
  if (!load_swipe_context (self, call->user_id, call->job->job_id, call->now, &limits, &mode, &existing, error))
    return FALSE;
  if (existing != NULL)
    {
      call->entry = jsw_pg_store_load_entry (self, call->user_id, existing, FALSE, error);
      return call->entry != NULL;
    }

  if (!charge_new_entry (self, call->user_id, &limits, month, day,
                         jsw_store_new_entry_charges_server (mode, call->job), spent, error))
    return FALSE;
  if (spent[JSW_COUNTER_TOTAL_MONTH])
    return jsw_store_quota_error (JSW_COUNTER_TOTAL_MONTH, error);
  if (spent[JSW_COUNTER_DAILY])
    return jsw_store_quota_error (JSW_COUNTER_DAILY, error);
  if (!jsw_store_route_new_entry (charged_already, &spent[JSW_COUNTER_SERVER_MONTH], call->user_id, call->job,
                                  mode, &limits, month, &target, &charged_server, error))
    return FALSE;

  entry_id = jsw_pg_store_random_id ("e_");
  jsw_pg_params_text (&p, entry_id);
  jsw_pg_params_text (&p, call->user_id);
  jsw_pg_params_text (&p, call->job->job_id);
  jsw_pg_params_text (&p, jsw_target_to_string (target));
  jsw_pg_params_text (&p, jsw_job_get_json (call->job));
  jsw_pg_params_text (&p, month);
  jsw_pg_params_text (&p, day);
  jsw_pg_params_text (&p, charged_server ? month : NULL);
  jsw_pg_params_int (&p, call->now);
  result = jsw_pg_store_exec (self,
                              "INSERT INTO entries (id, user_id, job_id, target, state, snapshot,"
                              " charged_total, charged_daily, charged_server, created_at, updated_at)"
                              " VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $9)"
                              " RETURNING " JSW_PG_ENTRY_COLUMNS,
                              &p, error);
  if (result == NULL)
    return FALSE;

  call->entry = jsw_pg_store_record_entry (self, jsw_pg_store_entry_from_row (result, 0), events);
  call->created = TRUE;
  return TRUE;
}

JswEntry *
jsw_pg_store_swipe_right (JswStore    *store,
                          const char  *user_id,
                          JswJob      *job,
                          gint64       now,
                          gboolean    *created,
                          GPtrArray   *events,
                          GError     **error)
{
  JswPgSwipeRight call = { user_id, job, now, FALSE, NULL };

  *created = FALSE;
  if (!jsw_pg_store_transact (JSW_PG_STORE (store), jsw_pg_store_swipe_right_in_tx, &call, events, error))
    {
      g_clear_pointer (&call.entry, jsw_entry_unref);
      return NULL;
    }
  *created = call.created;
  return call.entry;
}

JswEntry *
jsw_pg_store_get_entry (JswStore    *store,
                        const char  *user_id,
                        const char  *entry_id,
                        GError     **error)
{
  return jsw_pg_store_load_entry (JSW_PG_STORE (store), user_id, entry_id, FALSE, error);
}

GPtrArray *
jsw_pg_store_list_entries (JswStore    *store,
                           const char  *user_id,
                           int          state,
                           GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, state >= 0 ? jsw_state_to_string ((JswState) state) : NULL);
  result = jsw_pg_store_exec (JSW_PG_STORE (store),
                              "SELECT " JSW_PG_ENTRY_COLUMNS " FROM entries"
                              " WHERE user_id = $1 AND ($2::text IS NULL OR state = $2)"
                              " ORDER BY created_at DESC, ord DESC",
                              &p, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (entries, jsw_pg_store_entry_from_row (result, row));
  return g_steal_pointer (&entries);
}

/* A user's own transition (route, cancel, retry): the entry's row locked,
 * its state checked, changed, logged, in one transaction. */
typedef gboolean (*UserTransition) (JswPgStore *self, JswEntry *entry, gpointer data,
                                    gint64 now, GError **error);

typedef struct {
  const char     *user_id;
  const char     *entry_id;
  UserTransition  transition;
  gpointer        data;
  gint64          now;
  JswEntry       *entry;
} UserChange;

static gboolean
user_change_in_tx (JswPgStore  *self,
                   gpointer     data,
                   GPtrArray   *events,
                   GError     **error)
{
  UserChange *call = data;
  g_autoptr(JswEntry) entry = NULL;

  g_clear_pointer (&call->entry, jsw_entry_unref);
  entry = jsw_pg_store_load_entry (self, call->user_id, call->entry_id, TRUE, error);
  if (entry == NULL || !call->transition (self, entry, call->data, call->now, error))
    return FALSE;

  call->entry = jsw_pg_store_record_change (self, call->entry_id, events, error);
  return call->entry != NULL;
}

static JswEntry *
run_user_transition (JswPgStore      *self,
                     const char      *user_id,
                     const char      *entry_id,
                     UserTransition   transition,
                     gpointer         data,
                     gint64           now,
                     GPtrArray       *events,
                     GError         **error)
{
  UserChange call = { user_id, entry_id, transition, data, now, NULL };

  return jsw_pg_store_transact_entry (self, user_change_in_tx, &call, &call.entry, events, error);
}

static gboolean
update_state (JswPgStore  *self,
              const char  *entry_id,
              JswState     from,
              JswState     to,
              gint64       attempt_increment,
              gint64       now,
              GError     **error)
{
  JswPgParams p = { 0 };
  gint64 changes;

  jsw_pg_params_text (&p, entry_id);
  jsw_pg_params_text (&p, jsw_state_to_string (from));
  jsw_pg_params_text (&p, jsw_state_to_string (to));
  jsw_pg_params_int (&p, attempt_increment);
  jsw_pg_params_int (&p, now);
  if (!jsw_pg_store_run (self,
                         "UPDATE entries SET state = $3, attempt = attempt + $4, updated_at = $5"
                         " WHERE id = $1 AND state = $2",
                         &p, &changes, error))
    return FALSE;
  if (changes != 1)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT, _("The entry changed meanwhile; try again"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
route_transition (JswPgStore  *self,
                  JswEntry    *entry,
                  gpointer     data,
                  gint64       now,
                  GError     **error)
{
  JswTarget *target = data;
  g_autofree char *month = jsw_time_month_period (now);
  JswPgParams p = { 0 };

  if (entry->state != JSW_STATE_QUEUED)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only a queued entry can be routed; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  if (entry->target == *target)
    return TRUE;

  if (*target == JSW_TARGET_SERVER)
    {
      JswPlanLimits limits;

      if (!jsw_pg_store_load_limits (self, entry->user_id, now, &limits, error) ||
          !charge_or_refuse (self, entry->user_id, JSW_COUNTER_SERVER_MONTH, month, &limits, error))
        return FALSE;
    }
  else if (!jsw_pg_store_give_back_entry (self, entry->id, TRUE, error))
    return FALSE;

  jsw_pg_params_text (&p, entry->id);
  jsw_pg_params_text (&p, jsw_target_to_string (*target));
  jsw_pg_params_int (&p, now);
  jsw_pg_params_text (&p, month);
  return jsw_pg_store_run (self,
                           "UPDATE entries SET target = $2, updated_at = $3,"
                           " charged_server = CASE WHEN $2 = 'server' THEN $4 ELSE NULL END"
                           " WHERE id = $1",
                           &p, NULL, error);
}

JswEntry *
jsw_pg_store_route_entry (JswStore    *store,
                          const char  *user_id,
                          const char  *entry_id,
                          JswTarget    target,
                          gint64       now,
                          GPtrArray   *events,
                          GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autoptr(JswEntry) current = NULL;

  if (target == JSW_TARGET_UNDECIDED)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("An entry can only be routed to “server” or “desktop”"));
      return NULL;
    }

  /* Routing to where it already is changes nothing and logs nothing. */
  current = jsw_pg_store_load_entry (self, user_id, entry_id, FALSE, error);
  if (current == NULL)
    return NULL;
  if (current->target == target &&
      (current->state == JSW_STATE_QUEUED || current->target == JSW_TARGET_UNDECIDED))
    return g_steal_pointer (&current);

  return run_user_transition (self, user_id, entry_id, route_transition, &target, now, events, error);
}

static gboolean
cancel_transition (JswPgStore  *self,
                   JswEntry    *entry,
                   gpointer     data,
                   gint64       now,
                   GError     **error)
{
  JswPgParams p = { 0 };

  if (entry->state != JSW_STATE_QUEUED &&
      entry->state != JSW_STATE_NEEDS_USER &&
      entry->state != JSW_STATE_FAILED)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only a queued, failed or waiting entry can be cancelled; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  if (!jsw_pg_store_give_back_entry (self, entry->id, FALSE, error) ||
      !update_state (self, entry->id, entry->state, JSW_STATE_CANCELLED, 0, now, error))
    return FALSE;

  jsw_pg_params_text (&p, entry->id);
  jsw_pg_params_int (&p, now);
  return jsw_pg_store_run (self, "UPDATE entries SET cancelled_at = $2 WHERE id = $1", &p, NULL, error);
}

JswEntry *
jsw_pg_store_cancel_entry (JswStore    *store,
                           const char  *user_id,
                           const char  *entry_id,
                           gint64       now,
                           GPtrArray   *events,
                           GError     **error)
{
  return run_user_transition (JSW_PG_STORE (store), user_id, entry_id,
                              cancel_transition, NULL, now, events, error);
}

static gboolean
retry_transition (JswPgStore  *self,
                  JswEntry    *entry,
                  gpointer     data,
                  gint64       now,
                  GError     **error)
{
  JswPgParams p = { 0 };

  if (entry->state != JSW_STATE_NEEDS_USER)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only an entry that needs you can be retried; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  /* A new attempt starts from nothing. */
  jsw_pg_params_text (&p, entry->id);
  return jsw_pg_store_run (self,
                           "UPDATE entries SET percent = 0, step = -1, max_step = -1, message = NULL,"
                           " claimed_device = NULL, claimed_kind = NULL, claimed_token = NULL,"
                           " lease = NULL, lease_expires = NULL,"
                           " outcome = NULL, confirmation = NULL, error = NULL, screenshot_sha256 = NULL"
                           " WHERE id = $1",
                           &p, NULL, error) &&
         update_state (self, entry->id, JSW_STATE_NEEDS_USER, JSW_STATE_QUEUED, 1, now, error);
}

JswEntry *
jsw_pg_store_retry_entry (JswStore    *store,
                          const char  *user_id,
                          const char  *entry_id,
                          gint64       now,
                          GPtrArray   *events,
                          GError     **error)
{
  return run_user_transition (JSW_PG_STORE (store), user_id, entry_id,
                              retry_transition, NULL, now, events, error);
}

/* As the SQLite store's (jsw-sqlite-store-entries.c resolve_transition). */
static gboolean
resolve_transition (JswPgStore  *self,
                    JswEntry    *entry,
                    gpointer     data,
                    gint64       now,
                    GError     **error)
{
  gboolean sent = GPOINTER_TO_INT (data);
  JswPgParams p = { 0 };

  if (entry->state != JSW_STATE_NEEDS_REVIEW)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only an entry waiting to be checked can be marked as sent or not; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }
  jsw_pg_params_text (&p, entry->id);
  jsw_pg_params_text (&p, _("Not sent, as checked by the person"));
  if (!sent && !jsw_pg_store_run (self, "UPDATE entries SET error = $2 WHERE id = $1", &p, NULL, error))
    return FALSE;
  return update_state (self, entry->id, JSW_STATE_NEEDS_REVIEW, sent ? JSW_STATE_SUBMITTED : JSW_STATE_FAILED,
                       0, now, error);
}

JswEntry *
jsw_pg_store_resolve_entry (JswStore    *store,
                            const char  *user_id,
                            const char  *entry_id,
                            gboolean     sent,
                            gint64       now,
                            GPtrArray   *events,
                            GError     **error)
{
  return run_user_transition (JSW_PG_STORE (store), user_id, entry_id,
                              resolve_transition, GINT_TO_POINTER (sent), now, events, error);
}

gboolean
jsw_pg_store_count_by_state (JswStore  *store,
                             gint64     counts[JSW_N_STATES],
                             GError   **error)
{
  g_autoptr(PGresult) result = jsw_pg_store_exec (JSW_PG_STORE (store),
                                                  "SELECT state, count(*) FROM entries GROUP BY state",
                                                  NULL, error);

  if (result == NULL)
    return FALSE;
  for (int i = 0; i < JSW_N_STATES; i++)
    counts[i] = 0;
  for (int row = 0; row < PQntuples (result); row++)
    {
      JswState state;

      if (jsw_state_from_string (jsw_pg_text (result, row, 0), &state))
        counts[state] = jsw_pg_int (result, row, 1);
    }
  return TRUE;
}
