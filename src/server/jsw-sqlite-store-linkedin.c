/* jsw-sqlite-store-linkedin.c: the SQLite store's LinkedIn limits and
 * pauses (issue 16): the data only; jsw-linkedin.c decides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-sqlite-store-private.h"

static gboolean
load_settings (JswSqliteStore    *self,
               const char        *user_id,
               JswLinkedinState  *state,
               GError           **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT timezone, auto_send, reviewed, paused_until, pause_reason, halved_until, restricted"
                                           " FROM linkedin_settings WHERE user_id = ?1",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  if (!jsw_sqlite_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      state->timezone = g_strdup (jsw_sqlite_column_text (stmt, 0));
      state->auto_send = sqlite3_column_int64 (stmt, 1) != 0;
      state->reviewed = sqlite3_column_int64 (stmt, 2);
      state->paused_until = sqlite3_column_int64 (stmt, 3);
      if (!jsw_linkedin_stop_from_string (jsw_sqlite_column_text (stmt, 4), &state->pause_reason))
        state->pause_reason = JSW_LINKEDIN_STOP_NONE;
      state->halved_until = sqlite3_column_int64 (stmt, 5);
      state->restricted = sqlite3_column_int64 (stmt, 6) != 0;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
load_starts (JswSqliteStore    *self,
             const char        *user_id,
             gint64             now,
             JswLinkedinState  *state,
             GError           **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "SELECT entry_id, started_at, automatic, sent FROM linkedin_starts"
                                           " WHERE user_id = ?1 AND started_at >= ?2 ORDER BY started_at, entry_id",
                                           error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_int (stmt, 2, now - JSW_LINKEDIN_WINDOW);
  while (jsw_sqlite_step_row (self->db, stmt, &has_row, error) && has_row)
    g_ptr_array_add (state->starts, jsw_linkedin_start_new (jsw_sqlite_column_text (stmt, 0),
                                                            sqlite3_column_int64 (stmt, 1),
                                                            sqlite3_column_int64 (stmt, 2) != 0,
                                                            sqlite3_column_int64 (stmt, 3) != 0));
  return error == NULL || *error == NULL;
}

static JswLinkedinState *
load_state (JswSqliteStore  *self,
            const char      *user_id,
            gint64           now,
            GError         **error)
{
  g_autoptr(JswLinkedinState) state = jsw_linkedin_state_new ();

  if (!load_settings (self, user_id, state, error) || !load_starts (self, user_id, now, state, error))
    return NULL;
  return g_steal_pointer (&state);
}

JswLinkedinState *
jsw_sqlite_store_linkedin_load (JswStore    *store,
                                const char  *user_id,
                                gint64       now,
                                GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_read (self->db, error);

  return tx ? load_state (self, user_id, now, error) : NULL;
}

static gboolean
save_settings (JswSqliteStore          *self,
               const char              *user_id,
               const JswLinkedinState  *state,
               GError                 **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db,
                                           "INSERT INTO linkedin_settings (user_id, timezone, auto_send, reviewed,"
                                           "  paused_until, pause_reason, halved_until, restricted)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                           " ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone,"
                                           "  auto_send = excluded.auto_send, reviewed = excluded.reviewed,"
                                           "  paused_until = excluded.paused_until, pause_reason = excluded.pause_reason,"
                                           "  halved_until = excluded.halved_until, restricted = excluded.restricted",
                                           error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, state->timezone);
  jsw_sqlite_bind_int (stmt, 3, state->auto_send);
  jsw_sqlite_bind_int (stmt, 4, state->reviewed);
  jsw_sqlite_bind_int (stmt, 5, state->paused_until);
  jsw_sqlite_bind_text (stmt, 6, state->pause_reason ? jsw_linkedin_stop_to_string (state->pause_reason) : NULL);
  jsw_sqlite_bind_int (stmt, 7, state->halved_until);
  jsw_sqlite_bind_int (stmt, 8, state->restricted);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

/* One statement on @user_id's start of @entry_id (?1, ?2; ?3 @started_at). */
static gboolean
run_on_start (JswSqliteStore  *self,
              const char      *sql,
              const char      *user_id,
              const char      *entry_id,
              gint64           started_at,
              gboolean         automatic,
              GError         **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, user_id);
  jsw_sqlite_bind_text (stmt, 2, entry_id);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    jsw_sqlite_bind_int (stmt, 3, started_at);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    jsw_sqlite_bind_int (stmt, 4, automatic);
  return jsw_sqlite_step_done (self->db, stmt, error);
}

static gboolean
save_changes (JswSqliteStore          *self,
              const char              *user_id,
              const JswLinkedinState  *state,
              GError                 **error)
{
  if (!save_settings (self, user_id, state, error))
    return FALSE;
  if (state->new_start != NULL &&
      !run_on_start (self, "INSERT INTO linkedin_starts (user_id, entry_id, started_at, automatic) VALUES (?1, ?2, ?3, ?4)",
                     user_id, state->new_start->entry_id, state->new_start->started_at, state->new_start->automatic, error))
    return FALSE;
  if (state->forget_entry != NULL &&
      !run_on_start (self, "DELETE FROM linkedin_starts WHERE user_id = ?1 AND entry_id = ?2 AND sent = 0"
                     " AND started_at = (SELECT max(started_at) FROM linkedin_starts WHERE user_id = ?1 AND entry_id = ?2)",
                     user_id, state->forget_entry, 0, FALSE, error))
    return FALSE;
  if (state->sent_entry != NULL &&
      !run_on_start (self, "UPDATE linkedin_starts SET sent = 1 WHERE user_id = ?1 AND entry_id = ?2",
                     user_id, state->sent_entry, 0, FALSE, error))
    return FALSE;
  return TRUE;
}

gboolean
jsw_sqlite_store_linkedin_change (JswStore               *store,
                                  const char             *user_id,
                                  gint64                  now,
                                  JswLinkedinChangeFunc   func,
                                  gpointer                data,
                                  GError                **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  g_autoptr(JswLinkedinState) state = NULL;

  if (tx == NULL)
    return FALSE;
  state = load_state (self, user_id, now, error);
  if (state == NULL || !func (state, now, data, error) || !save_changes (self, user_id, state, error))
    return FALSE;
  return jsw_sqlite_transaction_commit (tx, error);
}
