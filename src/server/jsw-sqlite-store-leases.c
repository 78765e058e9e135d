/* jsw-sqlite-store-leases.c: the SQLite store's claims, leases, results and their expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

/* Reads the entry that holds @lease, live or finished: this store's
 * JswStoreLeaseLoadFunc. */
static gboolean
load_lease_holder (gpointer         store,
                   const char      *lease,
                   JswLeaseHolder  *holder,
                   GError         **error)
{
  JswSqliteStore *self = store;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT " JSW_SQLITE_ENTRY_COLUMNS ", claimed_token FROM entries"
                                           " WHERE id = ?1 AND lease = ?2",
                                           error);
  g_autofree char *entry_id = jsw_store_entry_id_of_lease (lease);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  /* A lease that names no entry binds NULL, which no id equals. */
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, lease);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      holder->expires = sqlite3_column_type (stmt, JSW_SQLITE_COL_LEASE_EXPIRES) == SQLITE_NULL
                        ? -1 : sqlite3_column_int64 (stmt, JSW_SQLITE_COL_LEASE_EXPIRES);
      holder->max_step = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_MAX_STEP);
      holder->claimed_token = g_strdup (jsw_sqlite_column_text (stmt, JSW_SQLITE_COL_LEASE_EXPIRES + 1));
      holder->entry = jsw_sqlite_store_entry_from_row (stmt);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Why a claim lost, from the entry as the caller may see it now. */
static void
explain_failed_claim (JswSqliteStore  *self,
                      const JswAuth   *auth,
                      const char      *entry_id,
                      GError         **error)
{
  GError *load_error = NULL;
  g_autoptr(JswEntry) entry = jsw_sqlite_store_load_entry (self, auth->user_id, entry_id, &load_error);

  jsw_store_explain_failed_claim (auth, entry, load_error, error);
}

JswEntry *
jsw_sqlite_store_claim (JswStore       *store,
                        const JswAuth  *auth,
                        const char     *entry_id,
                        gint64          ttl,
                        gint64          now,
                        char          **lease_out,
                        gint64         *expires_at,
                        GPtrArray      *events,
                        GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autofree char *secret = jsw_sqlite_store_random_id ("");
  g_autofree char *lease = g_strconcat (entry_id, ".", secret, NULL);
  sqlite3_stmt *stmt;
  JswEntry *entry;

  tx = jsw_sqlite_store_begin_change (self, events, error);
  if (tx == NULL)
    return NULL;

  /* The compare-and-set: only a queued entry of the caller's kind (and, for
   * a desktop, of the caller's user) changes, so of any number of concurrent
   * claims exactly one sees a change. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET state = 'claimed', lease = ?2, lease_expires = ?3,"
                             " claimed_device = ?4, claimed_kind = ?5, claimed_token = ?9,"
                             " percent = 0, step = -1, max_step = -1, message = NULL, updated_at = ?6"
                             " WHERE id = ?1 AND state = 'queued' AND target = ?7 AND (?8 IS NULL OR user_id = ?8)",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, lease);
  jsw_sqlite_bind_int (stmt, 3, now + ttl);
  jsw_sqlite_bind_text (stmt, 4, auth->device);
  jsw_sqlite_bind_text (stmt, 5, jsw_kind_to_string (auth->kind));
  jsw_sqlite_bind_int (stmt, 6, now);
  jsw_sqlite_bind_text (stmt, 7, auth->kind == JSW_KIND_SERVER ? "server" : "desktop");
  jsw_sqlite_bind_text (stmt, 8, auth->kind == JSW_KIND_SERVER ? NULL : auth->user_id);
  jsw_sqlite_bind_text (stmt, 9, auth->token_hash);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;

  if (jsw_sqlite_changes (self->db) != 1)
    {
      explain_failed_claim (self, auth, entry_id, error);
      return NULL;
    }

  entry = jsw_sqlite_store_commit_change (self, tx, entry_id, events, error);
  if (entry == NULL)
    return NULL;

  *lease_out = g_steal_pointer (&lease);
  *expires_at = now + ttl;
  return entry;
}

static gboolean
check_live_lease (JswSqliteStore  *self,
                  const JswAuth   *auth,
                  const char      *lease,
                  gint64           now,
                  JswEntry       **entry_out,
                  gint64          *max_step,
                  GError         **error)
{
  return jsw_store_check_live_lease (load_lease_holder, self, auth, lease, now, entry_out, max_step, error);
}

/* Starts a write on the entry that holds @lease, once the lease is found
 * live and held by @auth: the entry and its furthest step come back in
 * *@entry and *@max_step. */
static JswSqliteTransaction *
begin_lease_write (JswSqliteStore  *self,
                   const JswAuth   *auth,
                   const char      *lease,
                   gint64           now,
                   GPtrArray       *events,
                   JswEntry       **entry,
                   gint64          *max_step,
                   GError         **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_store_begin_change (self, events, error);

  if (tx == NULL || !check_live_lease (self, auth, lease, now, entry, max_step, error))
    return NULL;
  return g_steal_pointer (&tx);
}

gboolean
jsw_sqlite_store_heartbeat (JswStore       *store,
                            const JswAuth  *auth,
                            const char     *lease,
                            gint64          ttl,
                            gint64          now,
                            gint64         *expires_at,
                            GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(JswEntry) entry = NULL;
  sqlite3_stmt *stmt;
  gint64 max_step;

  tx = begin_lease_write (self, auth, lease, now, NULL, &entry, &max_step, error);
  if (tx == NULL)
    return FALSE;

  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET lease_expires = ?2"
                             " WHERE id = ?4 AND lease = ?1 AND lease_expires > ?3",
                             error);
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, lease);
  jsw_sqlite_bind_int (stmt, 2, now + ttl);
  jsw_sqlite_bind_int (stmt, 3, now);
  jsw_sqlite_bind_text (stmt, 4, entry->id);
  if (!jsw_sqlite_step_done (self->db, stmt, error) || !jsw_sqlite_transaction_commit (tx, error))
    return FALSE;

  *expires_at = now + ttl;
  return TRUE;
}

JswEntry *
jsw_sqlite_store_progress (JswStore       *store,
                           const JswAuth  *auth,
                           const char     *lease,
                           gint64          percent,
                           JswStep         step,
                           const char     *message,
                           gint64          ttl,
                           gint64          now,
                           GPtrArray      *events,
                           GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(JswEntry) entry = NULL;
  sqlite3_stmt *stmt;
  gint64 max_step;

  tx = begin_lease_write (self, auth, lease, now, events, &entry, &max_step, error);
  if (tx == NULL)
    return NULL;

  if (!jsw_store_check_progress (entry, percent, error))
    return NULL;

  /* Reporting progress also proves the runner is alive: extend the lease. */
  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET state = 'running', percent = ?2, step = ?3, message = ?4,"
                             " max_step = max(max_step, ?3), lease_expires = ?5, updated_at = ?6"
                             " WHERE id = ?7 AND lease = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, lease);
  jsw_sqlite_bind_int (stmt, 2, percent);
  jsw_sqlite_bind_int (stmt, 3, step);
  jsw_sqlite_bind_text (stmt, 4, message);
  jsw_sqlite_bind_int (stmt, 5, now + ttl);
  jsw_sqlite_bind_int (stmt, 6, now);
  jsw_sqlite_bind_text (stmt, 7, entry->id);
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;

  return jsw_sqlite_store_commit_change (self, tx, entry->id, events, error);
}

JswEntry *
jsw_sqlite_store_finish (JswStore       *store,
                         const JswAuth  *auth,
                         const char     *lease,
                         JswOutcome      outcome,
                         const char     *confirmation,
                         const char     *error_text,
                         const char     *screenshot_sha256,
                         gint64          now,
                         GPtrArray      *events,
                         GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GError) lease_error = NULL;
  sqlite3_stmt *stmt;
  gint64 max_step;

  tx = jsw_sqlite_store_begin_change (self, events, error);
  if (tx == NULL)
    return NULL;

  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, &lease_error))
    {
      /* The same result sent again (its ack was lost on the way) is
       * acknowledged again, and changes nothing. */
      if (jsw_store_is_repeated_result (entry, outcome, lease_error))
        return g_steal_pointer (&entry);
      g_propagate_error (error, g_steal_pointer (&lease_error));
      return NULL;
    }

  stmt = jsw_sqlite_prepare (self->db,
                             "UPDATE entries SET state = ?8, outcome = ?2, confirmation = ?3, error = ?4,"
                             " screenshot_sha256 = ?5, lease_expires = NULL, updated_at = ?6,"
                             " percent = CASE WHEN ?2 = 'submitted' THEN 100 ELSE percent END"
                             " WHERE id = ?7 AND lease = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  jsw_sqlite_bind_text (stmt, 1, lease);
  jsw_sqlite_bind_text (stmt, 2, jsw_outcome_to_string (outcome));
  jsw_sqlite_bind_text (stmt, 3, confirmation);
  jsw_sqlite_bind_text (stmt, 4, error_text);
  jsw_sqlite_bind_text (stmt, 5, screenshot_sha256);
  jsw_sqlite_bind_int (stmt, 6, now);
  jsw_sqlite_bind_text (stmt, 7, entry->id);
  /* unconfirmed becomes needs_review: a person checks; the quota stays
   * used, as for any application that may have been sent. */
  jsw_sqlite_bind_text (stmt, 8, jsw_state_to_string (jsw_outcome_to_state (outcome)));
  if (!jsw_sqlite_step_done (self->db, stmt, error))
    return NULL;

  if (outcome == JSW_OUTCOME_FAILED && !jsw_sqlite_store_give_back_entry (self, entry->id, FALSE, error))
    return NULL;

  return jsw_sqlite_store_commit_change (self, tx, entry->id, events, error);
}

/* Ends the lease on @entry_id without a result, where
 * jsw_store_state_after_lease() says. */
static gboolean
return_entry (JswSqliteStore  *self,
              const char      *entry_id,
              gint64           max_step,
              gint64           attempt_increment,
              gint64           now,
              GError         **error)
{
  gint64 attempts;
  JswState state = jsw_store_state_after_lease (max_step, attempt_increment, &attempts);
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "UPDATE entries SET state = ?2, attempt = attempt + ?3, updated_at = ?4,"
                                           " lease = NULL, lease_expires = NULL,"
                                           " claimed_device = CASE WHEN ?2 = 'queued' THEN NULL ELSE claimed_device END,"
                                           " claimed_kind = CASE WHEN ?2 = 'queued' THEN NULL ELSE claimed_kind END,"
                                           " claimed_token = CASE WHEN ?2 = 'queued' THEN NULL ELSE claimed_token END,"
                                           " percent = CASE WHEN ?2 = 'queued' THEN 0 ELSE percent END,"
                                           " step = CASE WHEN ?2 = 'queued' THEN -1 ELSE step END,"
                                           " max_step = CASE WHEN ?2 = 'queued' THEN -1 ELSE max_step END"
                                           " WHERE id = ?1",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, jsw_state_to_string (state));
  jsw_sqlite_bind_int (stmt, 3, attempts);
  jsw_sqlite_bind_int (stmt, 4, now);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

JswEntry *
jsw_sqlite_store_release (JswStore       *store,
                          const JswAuth  *auth,
                          const char     *lease,
                          gint64          now,
                          GPtrArray      *events,
                          GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(JswEntry) entry = NULL;
  gint64 max_step;

  tx = begin_lease_write (self, auth, lease, now, events, &entry, &max_step, error);
  if (tx == NULL || !return_entry (self, entry->id, max_step, 0, now, error))
    return NULL;

  return jsw_sqlite_store_commit_change (self, tx, entry->id, events, error);
}

guint
jsw_sqlite_store_expire_leases (JswStore    *store,
                                gint64       now,
                                GPtrArray   *events,
                                GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = NULL;
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) max_steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean has_row;

  tx = jsw_sqlite_store_begin_change (self, events, error);
  if (tx == NULL)
    return 0;

  stmt = jsw_sqlite_prepare (self->db,
                             "SELECT id, max_step FROM entries"
                             " WHERE lease_expires IS NOT NULL AND lease_expires <= ?1"
                             " AND state IN ('claimed', 'running')",
                             error);
  if (stmt == NULL)
    return 0;
  jsw_sqlite_bind_int (stmt, 1, now);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    {
      gint64 max_step = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (expired, g_strdup (jsw_sqlite_column_text (stmt, 0)));
      g_array_append_val (max_steps, max_step);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return 0;

  for (guint i = 0; i < expired->len; i++)
    {
      g_autoptr(JswEntry) changed = NULL;
      const char *id = g_ptr_array_index (expired, i);

      if (!return_entry (self, id, g_array_index (max_steps, gint64, i), 1, now, error))
        return 0;
      changed = jsw_sqlite_store_record_change (self, id, events, error);
      if (changed == NULL)
        return 0;
    }

  if (!jsw_sqlite_transaction_commit (tx, error))
    return 0;
  return expired->len;
}

JswEntry *
jsw_sqlite_store_check_lease (JswStore       *store,
                              const JswAuth  *auth,
                              const char     *entry_id,
                              const char     *lease,
                              gint64          now,
                              GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswEntry) entry = NULL;
  gint64 max_step;

  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, error) ||
      !jsw_store_check_lease_is_entrys (entry, entry_id, error))
    return NULL;
  return g_steal_pointer (&entry);
}
