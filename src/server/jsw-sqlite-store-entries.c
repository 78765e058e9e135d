/* jsw-sqlite-store-entries.c: the SQLite store's swipes, queue and a user's own transitions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

/* Cannot fail: the snapshot was validated when it was stored, and is
 * passed through as text. */
JswEntry *
jsw_sqlite_store_entry_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  const char *outcome;

  entry->id = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_ID));
  entry->user_id = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_USER_ID));
  entry->job_id = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_JOB_ID));
  jsw_target_from_string (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_TARGET), &entry->target);
  jsw_state_from_string (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_STATE), &entry->state);
  entry->attempt = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_ATTEMPT);
  entry->percent = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_PERCENT);
  entry->step = (JswStep) sqlite3_column_int (stmt, JSW_SQLITE_COL_STEP);
  entry->message = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_MESSAGE));

  if (sqlite3_column_type (stmt, JSW_SQLITE_COL_CLAIMED_KIND) != SQLITE_NULL)
    {
      entry->claimed = TRUE;
      entry->claimed_device = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_CLAIMED_DEVICE));
      jsw_kind_from_string (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_CLAIMED_KIND), &entry->claimed_kind);
    }

  outcome = jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_OUTCOME);
  if (outcome != NULL && jsw_outcome_from_string (outcome, &entry->outcome))
    {
      entry->has_result = TRUE;
      entry->confirmation = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_CONFIRMATION));
      entry->error = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_ERROR));
      entry->screenshot_sha256 = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_SCREENSHOT));
    }

  entry->created_at = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_CREATED_AT);
  entry->updated_at = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_UPDATED_AT);
  entry->snapshot_json = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_SNAPSHOT));

  return g_steal_pointer (&entry);
}

/* Reads every row of @stmt (selecting JSW_SQLITE_ENTRY_COLUMNS, bound)
 * as an entry, and resets it. Returns: (transfer full): the entries, or
 * %NULL with @error set. */
GPtrArray *
jsw_sqlite_store_read_entries (JswSqliteStore  *self,
                               sqlite3_stmt    *stmt,
                               GError         **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  gboolean has_row;
  gboolean ok;

  while ((ok = jsw_sqlite_step_row (self->db, stmt, &has_row, error)) && has_row)
    g_ptr_array_add (entries, jsw_sqlite_store_entry_from_row (stmt));
  sqlite3_reset (stmt);
  return ok ? g_steal_pointer (&entries) : NULL;
}

/* Reads one entry by id, optionally only if it belongs to @user_id (NULL:
 * any user). Sets NOT_FOUND when there is none: another user's entry is
 * indistinguishable from a missing one. */
JswEntry *
jsw_sqlite_store_load_entry (JswSqliteStore  *self,
                             const char      *user_id,
                             const char      *entry_id,
                             GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT " JSW_SQLITE_ENTRY_COLUMNS " FROM entries"
                                           " WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)",
                                           error);
  JswEntry *entry;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, user_id);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_NOT_FOUND,
                            _("There is no such entry"), error))
    return NULL;
  entry = jsw_sqlite_store_entry_from_row (stmt);
  sqlite3_reset (stmt);
  return entry;
}

gboolean
jsw_sqlite_store_record_left_swipe (JswStore    *store,
                                    const char  *user_id,
                                    const char  *job_id,
                                    gint64       now,
                                    GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;

  if (tx == NULL)
    return FALSE;
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO swipes (user_id, job_id, direction, created_at)"
                             " VALUES (?1, ?2, 'left', ?3)",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, job_id);
  jsw_sqlite_bind_int (stmt, 3, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  /* Trimmed every hundredth row: the walk over the user's newest rows is
   * then paid once per hundred swipes. */
  if (sqlite3_last_insert_rowid (jsw_sqlite_get_handle (self->db)) % 100 == 0)
    {
      stmt = jsw_sqlite_prepare (self->db,
                                 "DELETE FROM swipes WHERE user_id = ?1 AND id <= ("
                                 " SELECT id FROM swipes WHERE user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      jsw_sqlite_bind_text (stmt, 1, user_id);
      jsw_sqlite_bind_int (stmt, 2, JSW_LEFT_SWIPES_KEPT_PER_USER);
      if (!jsw_sqlite_step_done (self->db, stmt, error))
        return FALSE;
    }

  /* A job of the feed passed on with the older body (a JOB, not its
   * posting_id) leaves the feed as a left swipe by posting does: a person
   * who passed on a job must not see it again (issue 12). */
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO posting_left_swipes (user_id, posting_id, group_id, created_at)"
                             " SELECT ?1, id, group_id, ?3 FROM postings WHERE job_id = ?2"
                             " ON CONFLICT (user_id, posting_id) DO NOTHING",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, job_id);
  jsw_sqlite_bind_int (stmt, 3, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}

static char *
find_live_entry_for_job (JswSqliteStore  *self,
                         const char      *user_id,
                         const char      *job_id,
                         GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT id FROM entries"
                                           " WHERE user_id = ?1 AND job_id = ?2 AND cancelled_at IS NULL",
                                           error);
  gboolean has_row;
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, job_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return NULL;
  if (has_row)
    id = g_strdup (jsw_sqlite_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

/* This store's quota charge, in the shape jsw_store_route_new_entry() calls. */
static gboolean
charge (gpointer    store,
        const char *user_id,
        JswCounter  counter,
        const char *period,
        gint64      limit,
        gboolean   *spent,
        GError    **error)
{
  return jsw_sqlite_store_charge (store, user_id, counter, period, limit, spent, error);
}

/**
 * jsw_sqlite_store_swipe_right_in:
 * @tx: the write transaction (jsw_sqlite_store_begin_change()) the swipe
 *   is part of; committed here when an entry is made
 *
 * The person's live entry for @job's job_id, or a new one, charged to the
 * quotas, inside @tx: what decided before it in @tx (no likely duplicate,
 * jsw_sqlite_store_swipe_right_posting()) still holds when the entry is
 * made. Sets @created when the entry is new.
 *
 * Returns: (transfer full): the entry, or %NULL with @error set (then @tx
 *   is left to roll back)
 */
JswEntry *
jsw_sqlite_store_swipe_right_in (JswSqliteStore        *self,
                                 JswSqliteTransaction  *tx,
                                 const char            *user_id,
                                 JswJob                *job,
                                 gint64                 now,
                                 gboolean              *created,
                                 GPtrArray             *events,
                                 GError               **error)
{
  g_autofree char *existing = NULL;
  g_autofree char *entry_id = NULL;
  g_autofree char *month = jsw_time_month_period (now);
  g_autofree char *day = jsw_time_day_period (now);
  JswExecutionMode mode;
  JswPlanLimits limits;
  JswTarget target = JSW_TARGET_UNDECIDED;  /* set by jsw_store_route_new_entry () */
  gboolean spent, charged_server;
  sqlite3_stmt *stmt;
  JswEntry *entry;

  *created = FALSE;
  existing = find_live_entry_for_job (self, user_id, job->job_id, error);
  if (error != NULL && *error != NULL)
    return NULL;
  if (existing != NULL)
    return jsw_sqlite_store_load_entry (self, user_id, existing, error);

  if (!jsw_sqlite_store_load_limits (self, user_id, now, &limits, error) ||
      !jsw_sqlite_store_load_execution_mode (self, user_id, &mode, error))
    return NULL;

  if (!jsw_sqlite_store_charge (self, user_id, JSW_COUNTER_TOTAL_MONTH, month,
                                limits.limit[JSW_COUNTER_TOTAL_MONTH], &spent, error))
    return NULL;
  if (spent)
    {
      jsw_store_quota_error (JSW_COUNTER_TOTAL_MONTH, error);
      return NULL;
    }
  if (!jsw_sqlite_store_charge (self, user_id, JSW_COUNTER_DAILY, day, limits.limit[JSW_COUNTER_DAILY], &spent, error))
    return NULL;
  if (spent)
    {
      jsw_store_quota_error (JSW_COUNTER_DAILY, error);
      return NULL;
    }
  if (!jsw_store_route_new_entry (charge, self, user_id, job, mode, &limits, month, &target, &charged_server, error))
    return NULL;

  entry_id = jsw_sqlite_store_random_id ("e_");
  stmt = jsw_sqlite_prepare (self->db,
                             "INSERT INTO entries (id, user_id, job_id, target, state, snapshot,"
                             " charged_total, charged_daily, charged_server, created_at, updated_at)"
                             " VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6, ?7, ?8, ?9, ?9)",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, user_id);
  jsw_sqlite_bind_text (stmt, 3, job->job_id);
  jsw_sqlite_bind_text (stmt, 4, jsw_target_to_string (target));
  jsw_sqlite_bind_text (stmt, 5, jsw_job_get_json (job));
  jsw_sqlite_bind_text (stmt, 6, month);
  jsw_sqlite_bind_text (stmt, 7, day);
  jsw_sqlite_bind_text (stmt, 8, charged_server ? month : NULL);
  jsw_sqlite_bind_int (stmt, 9, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;

  entry = jsw_sqlite_store_commit_change (self, tx, entry_id, events, error);
  if (entry == NULL)
    return NULL;

  *created = TRUE;
  return entry;
}

JswEntry *
jsw_sqlite_store_swipe_right (JswStore    *store,
                              const char  *user_id,
                              JswJob      *job,
                              gint64       now,
                              gboolean    *created,
                              GPtrArray   *events,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_store_begin_change (self, events, error);

  *created = FALSE;
  if (tx == NULL)
    return NULL;
  return jsw_sqlite_store_swipe_right_in (self, tx, user_id, job, now, created, events, error);
}

JswEntry *
jsw_sqlite_store_get_entry (JswStore    *store,
                            const char  *user_id,
                            const char  *entry_id,
                            GError     **error)
{
  return jsw_sqlite_store_load_entry (JSW_SQLITE_STORE (store), user_id, entry_id, error);
}

GPtrArray *
jsw_sqlite_store_list_entries (JswStore    *store,
                               const char  *user_id,
                               int          state,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT " JSW_SQLITE_ENTRY_COLUMNS " FROM entries"
                                           " WHERE user_id = ?1 AND (?2 IS NULL OR state = ?2)"
                                           " ORDER BY created_at DESC, rowid DESC",
                                           error);

  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, state >= 0 ? jsw_state_to_string ((JswState) state) : NULL);
  return jsw_sqlite_store_read_entries (self, stmt, error);
}

/* Applies a user's own transition (route, cancel, retry) to an entry after
 * checking its current state, inside one transaction. */
typedef gboolean (*UserTransition) (JswSqliteStore *self, JswEntry *entry, gpointer data,
                                    gint64 now, GError **error);

static JswEntry *
run_user_transition (JswSqliteStore  *self,
                     const char      *user_id,
                     const char      *entry_id,
                     UserTransition   transition,
                     gpointer         data,
                     gint64           now,
                     GPtrArray       *events,
                     GError         **error)
{
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(JswEntry) entry = NULL;

  tx = jsw_sqlite_store_begin_change (self, events, error);
  if (tx == NULL)
    return NULL;

  entry = jsw_sqlite_store_load_entry (self, user_id, entry_id, error);
  if (entry == NULL || !transition (self, entry, data, now, error))
    return NULL;

  return jsw_sqlite_store_commit_change (self, tx, entry_id, events, error);
}

static gboolean
update_state (JswSqliteStore  *self,
              const char      *entry_id,
              JswState         from,
              JswState         to,
              gint64           attempt_increment,
              gint64           now,
              GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE entries SET state = ?3, attempt = attempt + ?4, updated_at = ?5"
                                           " WHERE id = ?1 AND state = ?2",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, jsw_state_to_string (from));
  jsw_sqlite_bind_text (stmt, 3, jsw_state_to_string (to));
  jsw_sqlite_bind_int (stmt, 4, attempt_increment);
  jsw_sqlite_bind_int (stmt, 5, now);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (jsw_sqlite_changes (self->db) != 1)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT, _("The entry changed meanwhile; try again"));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  JswTarget target;
} RouteRequest;

static gboolean
route_transition (JswSqliteStore  *self,
                  JswEntry        *entry,
                  gpointer         data,
                  gint64           now,
                  GError         **error)
{
  RouteRequest *request = data;
  g_autofree char *month = jsw_time_month_period (now);
  sqlite3_stmt *stmt;

  /* Whatever its target: a cancelled entry (in "ask" mode it stays
   * undecided) must not be charged server_month that nothing gives back. */
  if (entry->state != JSW_STATE_QUEUED)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only a queued entry can be routed; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  if (entry->target == request->target)
    return TRUE;

  if (request->target == JSW_TARGET_SERVER)
    {
      JswPlanLimits limits;
      gboolean spent;

      if (!jsw_sqlite_store_load_limits (self, entry->user_id, now, &limits, error) ||
          !jsw_sqlite_store_charge (self, entry->user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits.limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      if (spent)
        return jsw_store_quota_error (JSW_COUNTER_SERVER_MONTH, error);
    }
  else if (!jsw_sqlite_store_give_back_entry (self, entry->id, TRUE, error))
    return FALSE;

  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET target = ?2, updated_at = ?3,"
                             " charged_server = CASE WHEN ?2 = 'server' THEN ?4 ELSE NULL END"
                             " WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry->id);
  jsw_sqlite_bind_text (stmt, 2, jsw_target_to_string (request->target));
  jsw_sqlite_bind_int (stmt, 3, now);
  jsw_sqlite_bind_text (stmt, 4, month);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

JswEntry *
jsw_sqlite_store_route_entry (JswStore    *store,
                              const char  *user_id,
                              const char  *entry_id,
                              JswTarget    target,
                              gint64       now,
                              GPtrArray   *events,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswEntry) current = NULL;
  RouteRequest request = { target };

  if (target == JSW_TARGET_UNDECIDED)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("An entry can only be routed to “server” or “desktop”"));
      return NULL;
    }

  /* Routing to where it already is changes nothing and logs nothing. */
  current = jsw_sqlite_store_load_entry (self, user_id, entry_id, error);
  if (current == NULL)
    return NULL;
  if (current->target == target &&
      (current->state == JSW_STATE_QUEUED || current->target == JSW_TARGET_UNDECIDED))
    return g_steal_pointer (&current);

  return run_user_transition (self, user_id, entry_id, route_transition, &request, now, events, error);
}

static gboolean
cancel_transition (JswSqliteStore  *self,
                   JswEntry        *entry,
                   gpointer         data,
                   gint64           now,
                   GError         **error)
{
  if (entry->state != JSW_STATE_QUEUED &&
      entry->state != JSW_STATE_NEEDS_USER &&
      entry->state != JSW_STATE_FAILED)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only a queued, failed or waiting entry can be cancelled; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  sqlite3_stmt *stmt;

  if (!jsw_sqlite_store_give_back_entry (self, entry->id, FALSE, error) ||
      !update_state (self, entry->id, entry->state, JSW_STATE_CANCELLED, 0, now, error))
    return FALSE;

  stmt = jsw_sqlite_prepare (self->db, "UPDATE entries SET cancelled_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry->id);
  jsw_sqlite_bind_int (stmt, 2, now);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

JswEntry *
jsw_sqlite_store_cancel_entry (JswStore    *store,
                               const char  *user_id,
                               const char  *entry_id,
                               gint64       now,
                               GPtrArray   *events,
                               GError     **error)
{
  return run_user_transition (JSW_SQLITE_STORE (store), user_id, entry_id,
                              cancel_transition, NULL, now, events, error);
}

static gboolean
retry_transition (JswSqliteStore  *self,
                  JswEntry        *entry,
                  gpointer         data,
                  gint64           now,
                  GError         **error)
{
  sqlite3_stmt *stmt;

  if (entry->state != JSW_STATE_NEEDS_USER)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only an entry that needs you can be retried; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }

  /* A new attempt starts from nothing. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET percent = 0, step = -1, max_step = -1, message = NULL,"
                             " claimed_device = NULL, claimed_kind = NULL, claimed_token = NULL,"
                             " lease = NULL, lease_expires = NULL,"
                             " outcome = NULL, confirmation = NULL, error = NULL, screenshot_sha256 = NULL"
                             " WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry->id);
  return jsw_sqlite_step_done (self->db, stmt, error) &&
         update_state (self, entry->id, JSW_STATE_NEEDS_USER, JSW_STATE_QUEUED, 1, now, error);
}

JswEntry *
jsw_sqlite_store_retry_entry (JswStore    *store,
                              const char  *user_id,
                              const char  *entry_id,
                              gint64       now,
                              GPtrArray   *events,
                              GError     **error)
{
  return run_user_transition (JSW_SQLITE_STORE (store), user_id, entry_id,
                              retry_transition, NULL, now, events, error);
}

/* A person checked an entry that may have been sent (needs_review): sent,
 * it is submitted; not sent, it failed, and can be applied to again with
 * a new swipe. Its quota stays used either way, as for any application
 * that may have gone out. */
static gboolean
resolve_transition (JswSqliteStore  *self,
                    JswEntry        *entry,
                    gpointer         data,
                    gint64           now,
                    GError         **error)
{
  gboolean sent = GPOINTER_TO_INT (data);
  sqlite3_stmt *stmt;

  if (entry->state != JSW_STATE_NEEDS_REVIEW)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   _("Only an entry waiting to be checked can be marked as sent or not; this one is %s"),
                   jsw_state_to_string (entry->state));
      return FALSE;
    }
  if (!sent)
    {
      stmt = jsw_sqlite_prepare (self->db, "UPDATE entries SET error = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      jsw_sqlite_bind_text (stmt, 1, entry->id);
      jsw_sqlite_bind_text (stmt, 2, _("Not sent, as checked by the person"));
      if (!jsw_sqlite_step_done (self->db, stmt, error))
        return FALSE;
    }
  return update_state (self, entry->id, JSW_STATE_NEEDS_REVIEW, sent ? JSW_STATE_SUBMITTED : JSW_STATE_FAILED,
                       0, now, error);
}

JswEntry *
jsw_sqlite_store_resolve_entry (JswStore    *store,
                                const char  *user_id,
                                const char  *entry_id,
                                gboolean     sent,
                                gint64       now,
                                GPtrArray   *events,
                                GError     **error)
{
  return run_user_transition (JSW_SQLITE_STORE (store), user_id, entry_id,
                              resolve_transition, GINT_TO_POINTER (sent), now, events, error);
}

gboolean
jsw_sqlite_store_count_by_state (JswStore  *store,
                                 gint64     counts[JSW_N_STATES],
                                 GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT state, count(*) FROM entries GROUP BY state", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  for (int i = 0; i < JSW_N_STATES; i++)
    counts[i] = 0;
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      JswState state;

      if (jsw_state_from_string (jsw_sqlite_column_text (stmt, 0), &state))
        counts[state] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}
