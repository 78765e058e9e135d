/* jsw-pg-store-linkedin.c: the PostgreSQL store's LinkedIn limits and
 * pauses (issue 16): the data only; jsw-linkedin.c decides
 *
 * A change locks the person's settings row first (made if missing), so
 * that two processes admitting applications for one person at once take
 * turns and the second sees the first's start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-pg-store-private.h"

typedef struct {
  const char            *user_id;
  gint64                 now;
  JswLinkedinChangeFunc  func;
  gpointer               data;
  JswLinkedinState      *state;  /* out */
} LinkedinCall;

static gboolean
load_state (JswPgStore    *self,
            LinkedinCall  *call,
            gboolean       for_update,
            GError       **error)
{
  g_autoptr(JswLinkedinState) state = jsw_linkedin_state_new ();
  g_autoptr(PGresult) settings = NULL;
  g_autoptr(PGresult) starts = NULL;
  JswPgParams p = { 0 };
  JswPgParams q = { 0 };

  jsw_pg_params_text (&p, call->user_id);
  settings = jsw_pg_store_exec (self,
                                for_update
                                ? "SELECT timezone, auto_send::int, reviewed, paused_until, pause_reason, halved_until, restricted::int"
                                  " FROM linkedin_settings WHERE user_id = $1 FOR UPDATE"
                                : "SELECT timezone, auto_send::int, reviewed, paused_until, pause_reason, halved_until, restricted::int"
                                  " FROM linkedin_settings WHERE user_id = $1",
                                &p, error);
  if (settings == NULL)
    return FALSE;
  if (PQntuples (settings) > 0)
    {
      state->timezone = g_strdup (jsw_pg_text (settings, 0, 0));
      state->auto_send = jsw_pg_int (settings, 0, 1) != 0;
      state->reviewed = jsw_pg_int (settings, 0, 2);
      state->paused_until = jsw_pg_int (settings, 0, 3);
      if (!jsw_linkedin_stop_from_string (jsw_pg_text (settings, 0, 4), &state->pause_reason))
        state->pause_reason = JSW_LINKEDIN_STOP_NONE;
      state->halved_until = jsw_pg_int (settings, 0, 5);
      state->restricted = jsw_pg_int (settings, 0, 6) != 0;
    }

  jsw_pg_params_text (&q, call->user_id);
  jsw_pg_params_int (&q, call->now - JSW_LINKEDIN_WINDOW);
  starts = jsw_pg_store_exec (self,
                              "SELECT entry_id, started_at, automatic::int, sent::int FROM linkedin_starts"
                              " WHERE user_id = $1 AND started_at >= $2 ORDER BY started_at, entry_id",
                              &q, error);
  if (starts == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (starts); row++)
    g_ptr_array_add (state->starts, jsw_linkedin_start_new (jsw_pg_text (starts, row, 0), jsw_pg_int (starts, row, 1),
                                                            jsw_pg_int (starts, row, 2) != 0,
                                                            jsw_pg_int (starts, row, 3) != 0));
  call->state = g_steal_pointer (&state);
  return TRUE;
}

static gboolean
load_in_tx (JswPgStore  *self,
            gpointer     data,
            GPtrArray   *events,
            GError     **error)
{
  return load_state (self, data, FALSE, error);
}

JswLinkedinState *
jsw_pg_store_linkedin_load (JswStore    *store,
                            const char  *user_id,
                            gint64       now,
                            GError     **error)
{
  LinkedinCall call = { user_id, now, NULL, NULL, NULL };

  if (!jsw_pg_store_read_snapshot (JSW_PG_STORE (store), load_in_tx, &call, error))
    {
      g_clear_pointer (&call.state, jsw_linkedin_state_free);
      return NULL;
    }
  return call.state;
}

static gboolean
save_changes (JswPgStore        *self,
              const char        *user_id,
              JswLinkedinState  *state,
              GError           **error)
{
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, user_id);
  jsw_pg_params_text (&p, state->timezone);
  jsw_pg_params_bool (&p, state->auto_send);
  jsw_pg_params_int (&p, state->reviewed);
  jsw_pg_params_int (&p, state->paused_until);
  jsw_pg_params_text (&p, state->pause_reason ? jsw_linkedin_stop_to_string (state->pause_reason) : NULL);
  jsw_pg_params_int (&p, state->halved_until);
  jsw_pg_params_bool (&p, state->restricted);
  if (!jsw_pg_store_run (self,
                         "UPDATE linkedin_settings SET timezone = $2, auto_send = $3, reviewed = $4,"
                         " paused_until = $5, pause_reason = $6, halved_until = $7, restricted = $8 WHERE user_id = $1",
                         &p, NULL, error))
    return FALSE;
  if (state->new_start != NULL)
    {
      JswPgParams s = { 0 };

      jsw_pg_params_text (&s, user_id);
      jsw_pg_params_text (&s, state->new_start->entry_id);
      jsw_pg_params_int (&s, state->new_start->started_at);
      jsw_pg_params_bool (&s, state->new_start->automatic);
      if (!jsw_pg_store_run (self,
                             "INSERT INTO linkedin_starts (user_id, entry_id, started_at, automatic) VALUES ($1, $2, $3, $4)",
                             &s, NULL, error))
        return FALSE;
    }
  if (state->forget_entry != NULL)
    {
      JswPgParams f = { 0 };

      jsw_pg_params_text (&f, user_id);
      jsw_pg_params_text (&f, state->forget_entry);
      if (!jsw_pg_store_run (self,
                             "DELETE FROM linkedin_starts WHERE user_id = $1 AND entry_id = $2 AND NOT sent"
                             " AND started_at = (SELECT max(started_at) FROM linkedin_starts WHERE user_id = $1 AND entry_id = $2)",
                             &f, NULL, error))
        return FALSE;
    }
  if (state->sent_entry != NULL)
    {
      JswPgParams d = { 0 };

      jsw_pg_params_text (&d, user_id);
      jsw_pg_params_text (&d, state->sent_entry);
      if (!jsw_pg_store_run (self, "UPDATE linkedin_starts SET sent = TRUE WHERE user_id = $1 AND entry_id = $2",
                             &d, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
change_in_tx (JswPgStore  *self,
              gpointer     data,
              GPtrArray   *events,
              GError     **error)
{
  LinkedinCall *call = data;
  JswPgParams p = { 0 };

  /* A retried transaction starts from what is stored again. */
  g_clear_pointer (&call->state, jsw_linkedin_state_free);
  jsw_pg_params_text (&p, call->user_id);
  if (!jsw_pg_store_run (self, "INSERT INTO linkedin_settings (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING",
                         &p, NULL, error) ||
      !load_state (self, call, TRUE, error))
    return FALSE;
  return call->func (call->state, call->now, call->data, error) &&
         save_changes (self, call->user_id, call->state, error);
}

gboolean
jsw_pg_store_linkedin_change (JswStore               *store,
                              const char             *user_id,
                              gint64                  now,
                              JswLinkedinChangeFunc   func,
                              gpointer                data,
                              GError                **error)
{
  LinkedinCall call = { user_id, now, func, data, NULL };
  gboolean ok = jsw_pg_store_transact (JSW_PG_STORE (store), change_in_tx, &call, NULL, error);

  g_clear_pointer (&call.state, jsw_linkedin_state_free);
  return ok;
}
