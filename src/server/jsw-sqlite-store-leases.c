/* jsw-sqlite-store-leases.c: the SQLite store's claims, leases, results and their expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-sqlite-store-private.h"

/* A lease names its entry ("<entry id>.<random>"), so finding the entry is
 * a primary-key lookup and no index on leases is kept up to date. */
static char *
entry_id_of_lease (const char *lease)
{
  const char *dot = strrchr (lease, '.');

  if (dot == NULL || dot == lease)
    return NULL;
  return g_strndup (lease, dot - lease);
}

/* Reads the entry that holds @lease, live or finished. */
static JswEntry *
load_entry_by_lease (JswSqliteStore  *self,
                     const char      *lease,
                     gint64          *lease_expires,
                     gint64          *max_step,
                     GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT " JSW_SQLITE_ENTRY_COLUMNS " FROM entries WHERE id = ?1 AND lease = ?2",
                                           error);
  g_autofree char *entry_id = entry_id_of_lease (lease);
  JswEntry *entry;

  if (stmt == NULL)
    return NULL;
  /* A lease that names no entry binds NULL, which no id equals. */
  jsw_sqlite_bind_text (stmt, 1, entry_id);
  jsw_sqlite_bind_text (stmt, 2, lease);
  if (!jsw_sqlite_step_one (self->db, stmt, JSW_ERROR_LEASE_EXPIRED,
                            _("This lease is not held any more"), error))
    return NULL;
  *lease_expires = sqlite3_column_type (stmt, JSW_SQLITE_COL_LEASE_EXPIRES) == SQLITE_NULL
                   ? -1 : sqlite3_column_int64 (stmt, JSW_SQLITE_COL_LEASE_EXPIRES);
  *max_step = sqlite3_column_int64 (stmt, JSW_SQLITE_COL_MAX_STEP);
  entry = jsw_sqlite_store_entry_from_row (stmt);
  sqlite3_reset (stmt);
  return entry;
}

/* Explains why a claim lost: the entry does not exist for this caller,
 * targets the other kind, or is not queued. */
static void
explain_failed_claim (JswSqliteStore  *self,
                      const JswAuth   *auth,
                      const char      *entry_id,
                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JswEntry) entry = jsw_sqlite_store_load_entry (self, auth->user_id, entry_id, &local_error);
  JswTarget wanted = auth->kind == JSW_KIND_SERVER ? JSW_TARGET_SERVER : JSW_TARGET_DESKTOP;

  if (entry == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (entry->target != wanted)
    g_set_error (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                 _("This entry is for the %s, not for this connection"), jsw_target_to_string (entry->target));
  else
    g_set_error (error, JSW_ERROR, JSW_ERROR_ALREADY_CLAIMED,
                 _("This entry is not queued (it is %s)"), jsw_state_to_string (entry->state));
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

/* The hash of the token that claimed @lease (NULL: claimed before tokens
 * were recorded, or no such lease), in *@token. */
static gboolean
load_claimed_token (JswSqliteStore  *self,
                    const char      *lease,
                    char           **token,
                    GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, "SELECT claimed_token FROM entries WHERE lease = ?1", error);
  gboolean has_row;

  *token = NULL;
  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, lease);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    *token = g_strdup (jsw_sqlite_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Checks that @lease is live and held by the caller. The entry comes back
 * in *entry_out whenever the lease was found, even when it is no longer
 * live, so that a repeated result can be recognised. */
static gboolean
check_live_lease (JswSqliteStore  *self,
                  const JswAuth   *auth,
                  const char      *lease,
                  gint64           now,
                  JswEntry       **entry_out,
                  gint64          *max_step,
                  GError         **error)
{
  g_autoptr(JswEntry) entry = NULL;
  g_autofree char *claimed_token = NULL;
  gint64 expires;

  entry = load_entry_by_lease (self, lease, &expires, max_step, error);
  if (entry == NULL ||
      !load_claimed_token (self, lease, &claimed_token, error) ||
      !jsw_store_may_use_lease (auth, entry, claimed_token, error))
    return FALSE;

  *entry_out = g_steal_pointer (&entry);
  if (expires < 0 || expires <= now)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED, _("This lease has expired"));
      return FALSE;
    }
  return TRUE;
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

  if (percent < entry->percent)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("Progress cannot go down within an attempt (%d%% after %d%%)"),
                   (int) percent, (int) entry->percent);
      return NULL;
    }

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
      if (entry != NULL && entry->has_result && entry->outcome == outcome &&
          g_error_matches (lease_error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED))
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

/* Ends the lease on @entry_id without a result: back to the queue, or to a
 * person when the attempt may already have submitted. */
static gboolean
return_entry (JswSqliteStore  *self,
              const char      *entry_id,
              gint64           max_step,
              gint64           attempt_increment,
              gint64           now,
              GError         **error)
{
  gboolean may_have_submitted = max_step >= JSW_STEP_SUBMITTING;
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
  jsw_sqlite_bind_text (stmt, 2, may_have_submitted ? "needs_review" : "queued");
  jsw_sqlite_bind_int (stmt, 3, may_have_submitted ? 0 : attempt_increment);
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

  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, error))
    return NULL;
  /* A live lease of another entry shows nothing about this one. */
  if (g_strcmp0 (entry->id, entry_id) != 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN, _("This lease is not this entry’s"));
      return NULL;
    }
  return g_steal_pointer (&entry);
}
