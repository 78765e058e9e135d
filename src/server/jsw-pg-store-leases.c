/* jsw-pg-store-leases.c: the PostgreSQL store's claims, leases, results and their expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-pg-store-private.h"

/* Why a claim lost, from the entry as the caller may see it now: the
 * claim skips a row another transaction has locked, so a queued entry
 * here is being claimed by another connection. */
static void
explain_failed_claim (JswPgStore     *self,
                      const JswAuth  *auth,
                      const char     *entry_id,
                      GError        **error)
{
  GError *load_error = NULL;
  g_autoptr(JswEntry) entry = jsw_pg_store_load_entry (self, auth->user_id, entry_id, FALSE, &load_error);

  jsw_store_explain_failed_claim (auth, entry, load_error, error);
}

typedef struct {
  const JswAuth *auth;
  const char    *entry_id;
  const char    *lease;
  gint64         ttl;
  gint64         now;
  gboolean       lost;
  JswEntry      *entry;
} Claim;

static gboolean
claim_in_tx (JswPgStore  *self,
             gpointer     data,
             GPtrArray   *events,
             GError     **error)
{
  Claim *call = data;
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  /* The row lock, skipped when another claim holds it (that one decides:
   * no process's main loop waits for another's claim), then the
   * compare-and-set on the state: of any number of concurrent claims
   * exactly one sees a change. */
  jsw_pg_params_text (&p, call->entry_id);
  jsw_pg_params_text (&p, call->lease);
  jsw_pg_params_int (&p, call->now + call->ttl);
  jsw_pg_params_text (&p, call->auth->device);
  jsw_pg_params_text (&p, jsw_kind_to_string (call->auth->kind));
  jsw_pg_params_int (&p, call->now);
  jsw_pg_params_text (&p, call->auth->kind == JSW_KIND_SERVER ? "server" : "desktop");
  jsw_pg_params_text (&p, call->auth->kind == JSW_KIND_SERVER ? NULL : call->auth->user_id);
  jsw_pg_params_text (&p, call->auth->token_hash);
  result = jsw_pg_store_exec (self,
                              "WITH candidate AS ("
                              "  SELECT id AS candidate_id FROM entries"
                              "  WHERE id = $1 AND state = 'queued' AND target = $7 AND ($8::text IS NULL OR user_id = $8)"
                              "  FOR UPDATE SKIP LOCKED)"
                              " UPDATE entries e SET state = 'claimed', lease = $2, lease_expires = $3,"
                              "  claimed_device = $4, claimed_kind = $5, claimed_token = $9,"
                              "  percent = 0, step = -1, max_step = -1, message = NULL, updated_at = $6"
                              " FROM candidate c WHERE e.id = c.candidate_id AND e.state = 'queued' AND e.lease IS NULL"
                              " RETURNING " JSW_PG_ENTRY_COLUMNS,
                              &p, error);
  if (result == NULL)
    return FALSE;

  if (PQntuples (result) != 1)
    {
      call->lost = TRUE;
      explain_failed_claim (self, call->auth, call->entry_id, error);
      return FALSE;
    }

  /* The entry as the claim left it: no need to read it back. */
  call->entry = jsw_pg_store_record_entry (self, jsw_pg_store_entry_from_row (result, 0), events);
  return TRUE;
}

JswEntry *
jsw_pg_store_claim (JswStore       *store,
                    const JswAuth  *auth,
                    const char     *entry_id,
                    gint64          ttl,
                    gint64          now,
                    char          **lease_out,
                    gint64         *expires_at,
                    GPtrArray      *events,
                    GError        **error)
{
  g_autofree char *secret = jsw_pg_store_random_id ("");
  g_autofree char *lease = g_strconcat (entry_id, ".", secret, NULL);
  Claim call = { auth, entry_id, lease, ttl, now, FALSE, NULL };

  if (!jsw_pg_store_transact (JSW_PG_STORE (store), claim_in_tx, &call, events, error))
    {
      g_clear_pointer (&call.entry, jsw_entry_unref);
      return NULL;
    }

  *lease_out = g_steal_pointer (&lease);
  *expires_at = now + ttl;
  return call.entry;
}

#define LEASE_HOLDER_SELECT \
  "SELECT " JSW_PG_ENTRY_COLUMNS ", claimed_token FROM entries WHERE id = $1 AND lease = $2 FOR UPDATE"

static void
fill_holder (const PGresult *result,
             gpointer        data)
{
  JswLeaseHolder *holder = data;

  if (PQntuples (result) == 0)
    return;
  holder->expires = jsw_pg_is_null (result, 0, JSW_PG_COL_LEASE_EXPIRES)
                    ? -1 : jsw_pg_int (result, 0, JSW_PG_COL_LEASE_EXPIRES);
  holder->max_step = jsw_pg_int (result, 0, JSW_PG_COL_MAX_STEP);
  holder->claimed_token = g_strdup (jsw_pg_text (result, 0, JSW_PG_COL_LEASE_EXPIRES + 1));
  holder->entry = jsw_pg_store_entry_from_row (result, 0);
}

/* Reads (and locks) the entry that holds @lease, live or finished: this
 * store's JswStoreLeaseLoadFunc. */
static gboolean
load_lease_holder (gpointer         store,
                   const char      *lease,
                   JswLeaseHolder  *holder,
                   GError         **error)
{
  g_autofree char *entry_id = jsw_store_entry_id_of_lease (lease);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };

  if (entry_id == NULL)
    return TRUE;
  jsw_pg_params_text (&p, entry_id);
  jsw_pg_params_text (&p, lease);
  result = jsw_pg_store_exec (store, LEASE_HOLDER_SELECT, &p, error);
  if (result == NULL)
    return FALSE;
  fill_holder (result, holder);
  return TRUE;
}

/* A JswStoreLeaseLoadFunc for what was read already: @store is the
 * JswLeaseHolder that fill_holder () filled. */
static gboolean
take_read_holder (gpointer         store,
                  const char      *lease,
                  JswLeaseHolder  *holder,
                  GError         **error)
{
  JswLeaseHolder *read = store;

  *holder = *read;
  *read = (JswLeaseHolder) { NULL, -1, -1, NULL };
  return TRUE;
}

static gboolean
check_live_lease (JswPgStore     *self,
                  const JswAuth  *auth,
                  const char     *lease,
                  gint64          now,
                  JswEntry      **entry_out,
                  gint64         *max_step,
                  GError        **error)
{
  return jsw_store_check_live_lease (load_lease_holder, self, auth, lease, now, entry_out, max_step, error);
}

/* What a call on a lease is given, and what it leaves. */
typedef struct {
  const JswAuth *auth;
  const char    *lease;
  gint64         ttl;
  gint64         now;
  gint64         percent;
  JswStep        step;
  const char    *message;
  JswOutcome     outcome;
  const char    *confirmation;
  const char    *error_text;
  const char    *screenshot_sha256;
  JswEntry      *entry;
} LeaseCall;

static gboolean
heartbeat_in_tx (JswPgStore  *self,
                 gpointer     data,
                 GPtrArray   *events,
                 GError     **error)
{
  LeaseCall *call = data;
  g_autoptr(JswEntry) entry = NULL;
  JswPgParams p = { 0 };
  gint64 max_step;

  if (!check_live_lease (self, call->auth, call->lease, call->now, &entry, &max_step, error))
    return FALSE;

  jsw_pg_params_text (&p, call->lease);
  jsw_pg_params_int (&p, call->now + call->ttl);
  jsw_pg_params_int (&p, call->now);
  jsw_pg_params_text (&p, entry->id);
  return jsw_pg_store_run (self, "UPDATE entries SET lease_expires = $2 WHERE id = $4 AND lease = $1 AND lease_expires > $3",
                           &p, NULL, error);
}

gboolean
jsw_pg_store_heartbeat (JswStore       *store,
                        const JswAuth  *auth,
                        const char     *lease,
                        gint64          ttl,
                        gint64          now,
                        gint64         *expires_at,
                        GError        **error)
{
  LeaseCall call = { .auth = auth, .lease = lease, .ttl = ttl, .now = now };

  if (!jsw_pg_store_transact (JSW_PG_STORE (store), heartbeat_in_tx, &call, NULL, error))
    return FALSE;
  *expires_at = now + ttl;
  return TRUE;
}

static gboolean
progress_in_tx (JswPgStore  *self,
                gpointer     data,
                GPtrArray   *events,
                GError     **error)
{
  LeaseCall *call = data;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };
  gint64 max_step;

  g_clear_pointer (&call->entry, jsw_entry_unref);
  if (!check_live_lease (self, call->auth, call->lease, call->now, &entry, &max_step, error))
    return FALSE;

  if (!jsw_store_check_progress (entry, call->percent, error))
    return FALSE;

  /* Reporting progress also proves the runner is alive: extend the lease. */
  jsw_pg_params_text (&p, call->lease);
  jsw_pg_params_int (&p, call->percent);
  jsw_pg_params_int (&p, call->step);
  jsw_pg_params_text (&p, call->message);
  jsw_pg_params_int (&p, call->now + call->ttl);
  jsw_pg_params_int (&p, call->now);
  jsw_pg_params_text (&p, entry->id);
  result = jsw_pg_store_exec (self,
                              "UPDATE entries SET state = 'running', percent = $2, step = $3, message = $4,"
                              " max_step = greatest(max_step, $3), lease_expires = $5, updated_at = $6"
                              " WHERE id = $7 AND lease = $1 RETURNING " JSW_PG_ENTRY_COLUMNS,
                              &p, error);
  if (result == NULL)
    return FALSE;

  call->entry = jsw_pg_store_record_entry (self, jsw_pg_store_entry_from_row (result, 0), events);
  return TRUE;
}

JswEntry *
jsw_pg_store_progress (JswStore       *store,
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
  LeaseCall call = { .auth = auth, .lease = lease, .ttl = ttl, .now = now,
                     .percent = percent, .step = step, .message = message };

  return jsw_pg_store_transact_entry (JSW_PG_STORE (store), progress_in_tx, &call, &call.entry, events, error);
}

/* A result in two round trips: the lease's row is read (and locked) and
 * the result written in one pipeline, the write only while the lease is
 * live; then the shared rules judge what was read, and when they refuse,
 * the transaction rolls the write back. */
static gboolean
finish_in_tx (JswPgStore  *self,
              gpointer     data,
              GPtrArray   *events,
              GError     **error)
{
  LeaseCall *call = data;
  g_autofree char *entry_id = jsw_store_entry_id_of_lease (call->lease);
  g_auto(JswLeaseHolder) read = { NULL, -1, -1, NULL };
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GError) lease_error = NULL;
  g_autoptr(PGresult) result = NULL;
  JswPgParams select = { 0 };
  JswPgParams p = { 0 };
  gint64 max_step;

  g_clear_pointer (&call->entry, jsw_entry_unref);
  if (entry_id != NULL)
    {
      jsw_pg_params_text (&select, entry_id);
      jsw_pg_params_text (&select, call->lease);
      jsw_pg_store_defer (self, LEASE_HOLDER_SELECT, &select, fill_holder, &read);

      jsw_pg_params_text (&p, call->lease);
      jsw_pg_params_text (&p, jsw_outcome_to_string (call->outcome));
      jsw_pg_params_text (&p, call->confirmation);
      jsw_pg_params_text (&p, call->error_text);
      jsw_pg_params_text (&p, call->screenshot_sha256);
      jsw_pg_params_int (&p, call->now);
      jsw_pg_params_text (&p, entry_id);
      /* unconfirmed becomes needs_review: a person checks; the quota
       * stays used, as for any application that may have been sent. */
      jsw_pg_params_text (&p, jsw_state_to_string (jsw_outcome_to_state (call->outcome)));
      result = jsw_pg_store_exec (self,
                                  "UPDATE entries SET state = $8, outcome = $2, confirmation = $3, error = $4,"
                                  " screenshot_sha256 = $5, lease_expires = NULL, updated_at = $6,"
                                  " percent = CASE WHEN $2 = 'submitted' THEN 100 ELSE percent END"
                                  " WHERE id = $7 AND lease = $1 AND lease_expires > $6"
                                  " RETURNING " JSW_PG_ENTRY_COLUMNS,
                                  &p, error);
      if (result == NULL)
        return FALSE;
    }

  if (!jsw_store_check_live_lease (take_read_holder, &read, call->auth, call->lease, call->now,
                                   &entry, &max_step, &lease_error))
    {
      /* The same result sent again (its ack was lost on the way) is
       * acknowledged again, and changes nothing (the write found no live
       * lease). */
      if (jsw_store_is_repeated_result (entry, call->outcome, lease_error))
        {
          call->entry = g_steal_pointer (&entry);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&lease_error));
      return FALSE;
    }
  /* Read and written under one row lock: a live lease was written. */
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "database: the result was not written");
      return FALSE;
    }

  if (call->outcome == JSW_OUTCOME_FAILED && !jsw_pg_store_give_back_entry (self, entry->id, FALSE, error))
    return FALSE;

  /* The entry as the result left it (giving back the quota changes no
   * column an entry shows). */
  call->entry = jsw_pg_store_record_entry (self, jsw_pg_store_entry_from_row (result, 0), events);
  return TRUE;
}

JswEntry *
jsw_pg_store_finish (JswStore       *store,
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
  LeaseCall call = { .auth = auth, .lease = lease, .now = now, .outcome = outcome,
                     .confirmation = confirmation, .error_text = error_text,
                     .screenshot_sha256 = screenshot_sha256 };

  return jsw_pg_store_transact_entry (JSW_PG_STORE (store), finish_in_tx, &call, &call.entry, events, error);
}

/* Ends the lease on @entry_id without a result, where
 * jsw_store_state_after_lease() says. */
static gboolean
return_entry (JswPgStore  *self,
              const char  *entry_id,
              gint64       max_step,
              gint64       attempt_increment,
              gint64       now,
              GError     **error)
{
  gint64 attempts;
  JswState state = jsw_store_state_after_lease (max_step, attempt_increment, &attempts);
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, entry_id);
  jsw_pg_params_text (&p, jsw_state_to_string (state));
  jsw_pg_params_int (&p, attempts);
  jsw_pg_params_int (&p, now);
  return jsw_pg_store_run (self,
                           "UPDATE entries SET state = $2, attempt = attempt + $3, updated_at = $4,"
                           " lease = NULL, lease_expires = NULL,"
                           " claimed_device = CASE WHEN $2 = 'queued' THEN NULL ELSE claimed_device END,"
                           " claimed_kind = CASE WHEN $2 = 'queued' THEN NULL ELSE claimed_kind END,"
                           " claimed_token = CASE WHEN $2 = 'queued' THEN NULL ELSE claimed_token END,"
                           " percent = CASE WHEN $2 = 'queued' THEN 0 ELSE percent END,"
                           " step = CASE WHEN $2 = 'queued' THEN -1 ELSE step END,"
                           " max_step = CASE WHEN $2 = 'queued' THEN -1 ELSE max_step END"
                           " WHERE id = $1",
                           &p, NULL, error);
}

static gboolean
release_in_tx (JswPgStore  *self,
               gpointer     data,
               GPtrArray   *events,
               GError     **error)
{
  LeaseCall *call = data;
  g_autoptr(JswEntry) entry = NULL;
  gint64 max_step;

  g_clear_pointer (&call->entry, jsw_entry_unref);
  if (!check_live_lease (self, call->auth, call->lease, call->now, &entry, &max_step, error) ||
      !return_entry (self, entry->id, max_step, 0, call->now, error))
    return FALSE;

  call->entry = jsw_pg_store_record_change (self, entry->id, events, error);
  return call->entry != NULL;
}

JswEntry *
jsw_pg_store_release (JswStore       *store,
                      const JswAuth  *auth,
                      const char     *lease,
                      gint64          now,
                      GPtrArray      *events,
                      GError        **error)
{
  LeaseCall call = { .auth = auth, .lease = lease, .now = now };

  return jsw_pg_store_transact_entry (JSW_PG_STORE (store), release_in_tx, &call, &call.entry, events, error);
}

typedef struct {
  const char *entry_id;
  gint64      now;
  gboolean    expired;
} Expiry;

/* One expired lease, in its own transaction: its row locked, skipped if
 * another process's sweeper has it, and checked again under the lock. */
static gboolean
expire_one_in_tx (JswPgStore  *self,
                  gpointer     data,
                  GPtrArray   *events,
                  GError     **error)
{
  Expiry *call = data;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JswEntry) changed = NULL;
  JswPgParams p = { 0 };

  call->expired = FALSE;
  jsw_pg_params_text (&p, call->entry_id);
  jsw_pg_params_int (&p, call->now);
  result = jsw_pg_store_exec (self,
                              "SELECT max_step FROM entries WHERE id = $1"
                              " AND lease_expires IS NOT NULL AND lease_expires <= $2"
                              " AND state IN ('claimed', 'running') FOR UPDATE SKIP LOCKED",
                              &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  if (!return_entry (self, call->entry_id, jsw_pg_int (result, 0, 0), 1, call->now, error))
    return FALSE;
  changed = jsw_pg_store_record_change (self, call->entry_id, events, error);
  call->expired = changed != NULL;
  return changed != NULL;
}

/* Safe from every process at once: each expiry is its own transaction on
 * a row only one of them can lock, checked again under that lock. */
guint
jsw_pg_store_expire_leases (JswStore    *store,
                            gint64       now,
                            GPtrArray   *events,
                            GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;
  JswPgParams p = { 0 };
  guint expired = 0;

  jsw_pg_params_int (&p, now);
  result = jsw_pg_store_exec (self,
                              "SELECT id FROM entries WHERE lease_expires IS NOT NULL AND lease_expires <= $1"
                              " AND state IN ('claimed', 'running')",
                              &p, error);
  if (result == NULL)
    return 0;

  for (int row = 0; row < PQntuples (result); row++)
    {
      Expiry call = { jsw_pg_text (result, row, 0), now, FALSE };

      if (!jsw_pg_store_transact (self, expire_one_in_tx, &call, events, error))
        return expired;
      expired += call.expired;
    }
  return expired;
}

typedef struct {
  const JswAuth *auth;
  const char    *entry_id;
  const char    *lease;
  gint64         now;
  JswEntry      *entry;
} LeaseCheck;

static gboolean
check_lease_in_tx (JswPgStore  *self,
                   gpointer     data,
                   GPtrArray   *events,
                   GError     **error)
{
  LeaseCheck *call = data;
  g_autoptr(JswEntry) entry = NULL;
  gint64 max_step;

  if (!check_live_lease (self, call->auth, call->lease, call->now, &entry, &max_step, error) ||
      !jsw_store_check_lease_is_entrys (entry, call->entry_id, error))
    return FALSE;
  call->entry = g_steal_pointer (&entry);
  return TRUE;
}

JswEntry *
jsw_pg_store_check_lease (JswStore       *store,
                          const JswAuth  *auth,
                          const char     *entry_id,
                          const char     *lease,
                          gint64          now,
                          GError        **error)
{
  LeaseCheck call = { auth, entry_id, lease, now, NULL };

  return jsw_pg_store_transact_entry (JSW_PG_STORE (store), check_lease_in_tx, &call, &call.entry, NULL, error);
}
