/* jsw-sqlite-store.c: the store on SQLite
 *
 * One connection per object, used by one thread at a time. Several objects
 * (threads, or processes such as the CLI next to a running server) may open
 * the same file: WAL lets readers run beside the writer, and every write
 * runs in a BEGIN IMMEDIATE transaction so two writers queue on the busy
 * timeout instead of failing on a lock upgrade.
 *
 * Durability: synchronous=NORMAL in WAL mode loses nothing a committed
 * transaction wrote when the *process* dies (kill -9); only a power cut can
 * lose the last commits. `JSW_SQLITE_SYNC=full` trades speed for that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>

#include "jsw-schema.h"
#include "jsw-sqlite-store.h"

struct _JswSqliteStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements;  /* SQL literal (by address) -> sqlite3_stmt */
};

static void jsw_sqlite_store_iface_init (JswStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswSqliteStore, jsw_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_STORE, jsw_sqlite_store_iface_init))

#define ENTRY_COLUMNS \
  "id, user_id, job_id, target, state, attempt, percent, step, message, " \
  "claimed_device, claimed_kind, outcome, confirmation, error, screenshot_sha256, " \
  "snapshot, created_at, updated_at, max_step, lease, lease_expires"

enum {
  COL_ID, COL_USER_ID, COL_JOB_ID, COL_TARGET, COL_STATE, COL_ATTEMPT, COL_PERCENT,
  COL_STEP, COL_MESSAGE, COL_CLAIMED_DEVICE, COL_CLAIMED_KIND, COL_OUTCOME,
  COL_CONFIRMATION, COL_ERROR, COL_SCREENSHOT, COL_SNAPSHOT, COL_CREATED_AT,
  COL_UPDATED_AT, COL_MAX_STEP, COL_LEASE, COL_LEASE_EXPIRES,
};

/* SQLite plumbing */

static gboolean
set_sqlite_error (JswSqliteStore  *self,
                  int              rc,
                  GError         **error)
{
  /* Never the caller's fault: these become 500s, not 400s. */
  g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s (%d)",
               self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc), rc);
  return FALSE;
}

static sqlite3_stmt *
prepare (JswSqliteStore  *self,
         const char      *sql,
         GError         **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_int (sqlite3_stmt *stmt,
          int           index,
          gint64        value)
{
  sqlite3_bind_int64 (stmt, index, value);
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (JswSqliteStore  *self,
           sqlite3_stmt    *stmt,
           GError         **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

/* Steps once: TRUE with *has_row set, or FALSE on error. */
static gboolean
step_row (JswSqliteStore  *self,
          sqlite3_stmt    *stmt,
          gboolean        *has_row,
          GError         **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, rc, error);
    }
  return TRUE;
}

static gboolean
exec_sql (JswSqliteStore  *self,
          const char      *sql,
          GError         **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "SQLite: %s", errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gboolean
run_cached (JswSqliteStore  *self,
            const char      *sql,
            GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  return stmt != NULL && step_done (self, stmt, error);
}

static gboolean
begin_write (JswSqliteStore  *self,
             GError         **error)
{
  return run_cached (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (JswSqliteStore  *self,
        GError         **error)
{
  return run_cached (self, "COMMIT", error);
}

static void
rollback (JswSqliteStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    run_cached (self, "ROLLBACK", NULL);
}

static char *
random_id (const char *prefix)
{
  guint8 bytes[16];
  char hex[sizeof bytes * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strconcat (prefix, hex, NULL);
}

/* Schema */

static gboolean
migrate (JswSqliteStore  *self,
         GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 version;
  gboolean has_row;

  if (!begin_write (self, error))
    return FALSE;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL || !step_row (self, stmt, &has_row, error))
    goto failed;
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (version > (gint64) G_N_ELEMENTS (jsw_sqlite_migrations))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL,
                   _("The database was written by a newer version (schema %lld)"), (long long) version);
      goto failed;
    }

  for (; version < (gint64) G_N_ELEMENTS (jsw_sqlite_migrations); version++)
    {
      g_autofree char *set_version = NULL;

      if (!exec_sql (self, jsw_sqlite_migrations[version], error))
        goto failed;
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);
      if (!exec_sql (self, set_version, error))
        goto failed;
    }

  return commit (self, error);

failed:
  rollback (self);
  return FALSE;
}

/* Entries */

/* Cannot fail: the snapshot was validated when it was stored, and is
 * passed through as text. */
static JswEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  const char *outcome;

  entry->id = g_strdup (column_text (stmt, COL_ID));
  entry->user_id = g_strdup (column_text (stmt, COL_USER_ID));
  entry->job_id = g_strdup (column_text (stmt, COL_JOB_ID));
  jsw_target_from_string (column_text (stmt, COL_TARGET), &entry->target);
  jsw_state_from_string (column_text (stmt, COL_STATE), &entry->state);
  entry->attempt = sqlite3_column_int64 (stmt, COL_ATTEMPT);
  entry->percent = sqlite3_column_int64 (stmt, COL_PERCENT);
  entry->step = (JswStep) sqlite3_column_int (stmt, COL_STEP);
  entry->message = g_strdup (column_text (stmt, COL_MESSAGE));

  if (sqlite3_column_type (stmt, COL_CLAIMED_KIND) != SQLITE_NULL)
    {
      entry->claimed = TRUE;
      entry->claimed_device = g_strdup (column_text (stmt, COL_CLAIMED_DEVICE));
      jsw_kind_from_string (column_text (stmt, COL_CLAIMED_KIND), &entry->claimed_kind);
    }

  outcome = column_text (stmt, COL_OUTCOME);
  if (outcome != NULL && jsw_outcome_from_string (outcome, &entry->outcome))
    {
      entry->has_result = TRUE;
      entry->confirmation = g_strdup (column_text (stmt, COL_CONFIRMATION));
      entry->error = g_strdup (column_text (stmt, COL_ERROR));
      entry->screenshot_sha256 = g_strdup (column_text (stmt, COL_SCREENSHOT));
    }

  entry->created_at = sqlite3_column_int64 (stmt, COL_CREATED_AT);
  entry->updated_at = sqlite3_column_int64 (stmt, COL_UPDATED_AT);
  entry->snapshot_json = g_strdup (column_text (stmt, COL_SNAPSHOT));

  return g_steal_pointer (&entry);
}

/* Reads one entry by id, optionally only if it belongs to @user_id (NULL:
 * any user). Sets NOT_FOUND when there is none: another user's entry is
 * indistinguishable from a missing one. */
static JswEntry *
load_entry (JswSqliteStore  *self,
            const char      *user_id,
            const char      *entry_id,
            GError         **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT " ENTRY_COLUMNS " FROM entries"
                                " WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)",
                                error);
  gboolean has_row;
  JswEntry *entry;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, user_id);
  if (!step_row (self, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such entry"));
      return NULL;
    }
  entry = entry_from_row (stmt);
  sqlite3_reset (stmt);
  return entry;
}

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
  sqlite3_stmt *stmt = prepare (self, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1 AND lease = ?2", error);
  g_autofree char *entry_id = entry_id_of_lease (lease);
  gboolean has_row = FALSE;
  JswEntry *entry;

  if (stmt == NULL)
    return NULL;
  if (entry_id != NULL)
    {
      bind_text (stmt, 1, entry_id);
      bind_text (stmt, 2, lease);
      if (!step_row (self, stmt, &has_row, error))
        return NULL;
    }
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED, _("This lease is not held any more"));
      return NULL;
    }
  *lease_expires = sqlite3_column_type (stmt, COL_LEASE_EXPIRES) == SQLITE_NULL
                   ? -1 : sqlite3_column_int64 (stmt, COL_LEASE_EXPIRES);
  *max_step = sqlite3_column_int64 (stmt, COL_MAX_STEP);
  entry = entry_from_row (stmt);
  sqlite3_reset (stmt);
  return entry;
}

static gint64
next_seq (JswSqliteStore  *self,
          const char      *channel,
          GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE channel = ?1", error);
  gboolean has_row;
  gint64 seq;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, channel);
  if (!step_row (self, stmt, &has_row, error))
    return -1;
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}

/* The log keeps the entry without its snapshot (@stored_json): the
 * snapshot never changes and is stored once, with the entry; a replay
 * splices it back. What is published now is the whole entry (@entry_json). */
static gboolean
append_event (JswSqliteStore  *self,
              const char      *channel,
              JswEntry        *entry,
              const char      *stored_json,
              const char      *entry_json,
              GPtrArray       *events,
              GError         **error)
{
  sqlite3_stmt *stmt;
  JswEvent *event;
  gint64 seq = next_seq (self, channel, error);

  if (seq < 0)
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO events (channel, seq, entry_id, entry, snapshot_spliced)"
                  " VALUES (?1, ?2, ?3, ?4, 1)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, channel);
  bind_int (stmt, 2, seq);
  bind_text (stmt, 3, entry->id);
  bind_text (stmt, 4, stored_json);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (events != NULL)
    {
      event = g_new0 (JswEvent, 1);
      event->channel = g_strdup (channel);
      event->seq = seq;
      event->entry_json = g_strdup (entry_json);
      g_ptr_array_add (events, event);
    }
  return TRUE;
}

/* Records that @entry_id changed: reads it back, and logs the change on the
 * user's channel and, when it became a queued server entry, on the workers'
 * channel. Returns the entry as it is now. */
static JswEntry *
record_change (JswSqliteStore  *self,
               const char      *entry_id,
               GPtrArray       *events,
               GError         **error)
{
  g_autoptr(JswEntry) entry = load_entry (self, NULL, entry_id, error);
  g_autofree char *stored = NULL;
  g_autofree char *json = NULL;
  g_autofree char *channel = NULL;

  if (entry == NULL)
    return NULL;

  stored = jsw_entry_to_json_without_snapshot (entry);
  json = jsw_entry_json_add_snapshot (stored, entry->snapshot_json);
  channel = jsw_store_user_channel (entry->user_id);
  if (!append_event (self, channel, entry, stored, json, events, error))
    return NULL;

  if (entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_SERVER &&
      !append_event (self, JSW_STORE_WORKERS_CHANNEL, entry, stored, json, events, error))
    return NULL;

  return g_steal_pointer (&entry);
}

/* The end of every successful write: log the change, then commit. */
static JswEntry *
commit_change (JswSqliteStore  *self,
               const char      *entry_id,
               GPtrArray       *events,
               GError         **error)
{
  JswEntry *entry = record_change (self, entry_id, events, error);

  if (entry != NULL && !commit (self, error))
    g_clear_pointer (&entry, jsw_entry_unref);
  return entry;
}

/* Undoes a failed write, and forgets the events it would have published. */
static void
abandon_change (JswSqliteStore *self,
                GPtrArray      *events)
{
  rollback (self);
  if (events != NULL)
    g_ptr_array_set_size (events, 0);
}

/* Quotas */

static gboolean
load_limits (JswSqliteStore  *self,
             const char      *user_id,
             JswPlanLimits   *limits,
             GError         **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT p.server_month, p.total_month, p.daily"
                                " FROM subscriptions s JOIN plans p ON p.name = s.plan"
                                " WHERE s.user_id = ?1",
                                error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  if (!step_row (self, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return FALSE;
    }
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    limits->limit[i] = sqlite3_column_type (stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, i);
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
period_for (JswCounter counter,
            gint64     now)
{
  return counter == JSW_COUNTER_DAILY ? jsw_time_day_period (now) : jsw_time_month_period (now);
}

/* Consumes one unit of @counter, atomically: the conditional upsert only
 * counts while the counter is below its limit, so no concurrency can make it
 * pass. Returns FALSE with *spent set when the limit is reached. */
static gboolean
charge (JswSqliteStore  *self,
        const char      *user_id,
        JswCounter       counter,
        const char      *period,
        gint64           limit,
        gboolean        *spent,
        GError         **error)
{
  sqlite3_stmt *stmt;

  *spent = FALSE;
  if (limit == 0)
    {
      *spent = TRUE;
      return TRUE;
    }

  stmt = prepare (self,
                  "INSERT INTO usage (user_id, counter, period, used) VALUES (?1, ?2, ?3, 1)"
                  " ON CONFLICT (user_id, counter, period) DO UPDATE SET used = used + 1"
                  " WHERE ?4 < 0 OR used < ?4",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, jsw_counter_to_string (counter));
  bind_text (stmt, 3, period);
  bind_int (stmt, 4, limit);
  if (!step_done (self, stmt, error))
    return FALSE;

  *spent = sqlite3_changes (self->db) == 0;
  return TRUE;
}

static gboolean
give_back (JswSqliteStore  *self,
           const char      *user_id,
           JswCounter       counter,
           const char      *period,
           GError         **error)
{
  sqlite3_stmt *stmt;

  if (period == NULL)
    return TRUE;

  stmt = prepare (self,
                  "UPDATE usage SET used = used - 1"
                  " WHERE user_id = ?1 AND counter = ?2 AND period = ?3 AND used > 0",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, jsw_counter_to_string (counter));
  bind_text (stmt, 3, period);
  return step_done (self, stmt, error);
}

/* A failed or cancelled entry gives back what it consumed, once: the
 * charged_* columns are cleared as they are given back. */
static gboolean
give_back_entry (JswSqliteStore  *self,
                 const char      *entry_id,
                 gboolean         server_only,
                 GError         **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT user_id, charged_total, charged_daily, charged_server"
                                " FROM entries WHERE id = ?1",
                                error);
  g_autofree char *user_id = NULL;
  g_autofree char *total = NULL;
  g_autofree char *daily = NULL;
  g_autofree char *server = NULL;
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  if (!step_row (self, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      user_id = g_strdup (column_text (stmt, 0));
      total = g_strdup (column_text (stmt, 1));
      daily = g_strdup (column_text (stmt, 2));
      server = g_strdup (column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (!has_row)
    return TRUE;

  if (server_only)
    {
      g_clear_pointer (&total, g_free);
      g_clear_pointer (&daily, g_free);
    }

  if (!give_back (self, user_id, JSW_COUNTER_TOTAL_MONTH, total, error) ||
      !give_back (self, user_id, JSW_COUNTER_DAILY, daily, error) ||
      !give_back (self, user_id, JSW_COUNTER_SERVER_MONTH, server, error))
    return FALSE;

  stmt = prepare (self,
                  "UPDATE entries SET charged_server = NULL,"
                  " charged_total = CASE WHEN ?2 THEN charged_total ELSE NULL END,"
                  " charged_daily = CASE WHEN ?2 THEN charged_daily ELSE NULL END"
                  " WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  bind_int (stmt, 2, server_only);
  return step_done (self, stmt, error);
}

static gboolean
quota_error (JswCounter   counter,
             GError     **error)
{
  const char *what;

  switch (counter)
    {
    case JSW_COUNTER_SERVER_MONTH:
      what = _("This month’s applications on our servers are used up; apply from the desktop app, or upgrade your plan");
      break;
    case JSW_COUNTER_TOTAL_MONTH:
      what = _("This month’s applications are used up; upgrade your plan to apply to more jobs");
      break;
    case JSW_COUNTER_DAILY:
    default:
      what = _("Today’s applications are used up; more are available tomorrow (UTC)");
      break;
    }
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED, what);
  return FALSE;
}

/* Accounts */

static char *
jsw_sqlite_store_create_user (JswStore    *store,
                              const char  *email,
                              const char  *plan,
                              const char  *password_hash,
                              gint64       now,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autofree char *user_id = random_id ("u_");
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (!begin_write (self, error))
    return NULL;

  stmt = prepare (self, "SELECT 1 FROM plans WHERE name = ?1", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, plan);
  if (!step_row (self, stmt, &has_row, error))
    goto failed;
  sqlite3_reset (stmt);
  if (!has_row)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("There is no plan “%s”"), plan);
      goto failed;
    }

  stmt = prepare (self, "SELECT 1 FROM users WHERE email = ?1", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, email);
  if (!step_row (self, stmt, &has_row, error))
    goto failed;
  sqlite3_reset (stmt);
  if (has_row)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT, _("A user with the e-mail address “%s” exists already"), email);
      goto failed;
    }

  stmt = prepare (self,
                  "INSERT INTO users (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, email);
  bind_text (stmt, 3, password_hash);
  bind_int (stmt, 4, now);
  if (!step_done (self, stmt, error))
    goto failed;

  stmt = prepare (self,
                  "INSERT INTO subscriptions (user_id, plan, status, updated_at) VALUES (?1, ?2, 'active', ?3)",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, plan);
  bind_int (stmt, 3, now);
  if (!step_done (self, stmt, error) || !commit (self, error))
    goto failed;

  return g_steal_pointer (&user_id);

failed:
  rollback (self);
  return NULL;
}

static char *
jsw_sqlite_store_find_user (JswStore    *store,
                            const char  *email,
                            char       **password_hash,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, password_hash FROM users WHERE email = ?1", error);
  char *user_id;
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, email);
  if (!step_row (self, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no user with the e-mail address “%s”"), email);
      return NULL;
    }
  user_id = g_strdup (column_text (stmt, 0));
  if (password_hash != NULL)
    *password_hash = g_strdup (column_text (stmt, 1));
  sqlite3_reset (stmt);
  return user_id;
}

static gboolean
jsw_sqlite_store_add_token (JswStore    *store,
                            const char  *token_hash,
                            const char  *user_id,
                            JswKind      kind,
                            const char  *device,
                            gint64       now,
                            GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO tokens (hash, user_id, kind, device, created_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, user_id);
  bind_text (stmt, 3, jsw_kind_to_string (kind));
  bind_text (stmt, 4, device);
  bind_int (stmt, 5, now);
  return step_done (self, stmt, error);
}

static JswAuth *
jsw_sqlite_store_lookup_token (JswStore    *store,
                               const char  *token_hash,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT user_id, kind, device FROM tokens WHERE hash = ?1", error);
  JswAuth *auth;
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  if (!step_row (self, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_UNAUTHORIZED, _("The token is not valid"));
      return NULL;
    }
  auth = g_new0 (JswAuth, 1);
  auth->user_id = g_strdup (column_text (stmt, 0));
  jsw_kind_from_string (column_text (stmt, 1), &auth->kind);
  auth->device = g_strdup (column_text (stmt, 2));
  auth->token_hash = g_strdup (token_hash);
  sqlite3_reset (stmt);
  return auth;
}

static gboolean
load_usage (JswSqliteStore  *self,
            const char      *user_id,
            gint64           now,
            gint64           usage[JSW_N_COUNTERS],
            GError         **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT used FROM usage WHERE user_id = ?1 AND counter = ?2 AND period = ?3",
                                error);

  if (stmt == NULL)
    return FALSE;

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      g_autofree char *period = period_for ((JswCounter) i, now);
      gboolean has_row;

      sqlite3_reset (stmt);
      bind_text (stmt, 1, user_id);
      bind_text (stmt, 2, jsw_counter_to_string ((JswCounter) i));
      bind_text (stmt, 3, period);
      if (!step_row (self, stmt, &has_row, error))
        return FALSE;
      usage[i] = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static JswAccount *
jsw_sqlite_store_get_account (JswStore    *store,
                              const char  *user_id,
                              gint64       now,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswAccount) account = g_new0 (JswAccount, 1);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT u.email, u.execution_mode, s.plan, s.status"
                                " FROM users u JOIN subscriptions s ON s.user_id = u.id WHERE u.id = ?1",
                                error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user_id);
  if (!step_row (self, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("There is no such user"));
      return NULL;
    }
  account->user_id = g_strdup (user_id);
  account->email = g_strdup (column_text (stmt, 0));
  jsw_execution_mode_from_string (column_text (stmt, 1), &account->execution_mode);
  account->plan = g_strdup (column_text (stmt, 2));
  account->subscription_status = g_strdup (column_text (stmt, 3));
  sqlite3_reset (stmt);

  if (!load_limits (self, user_id, &account->limits, error) ||
      !load_usage (self, user_id, now, account->usage, error))
    return NULL;

  return g_steal_pointer (&account);
}

static gboolean
jsw_sqlite_store_set_execution_mode (JswStore          *store,
                                     const char        *user_id,
                                     JswExecutionMode   mode,
                                     GError           **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "UPDATE users SET execution_mode = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, jsw_execution_mode_to_string (mode));
  return step_done (self, stmt, error);
}

static gboolean
jsw_sqlite_store_set_subscription (JswStore    *store,
                                   const char  *user_id,
                                   const char  *plan,
                                   const char  *status,
                                   gint64       now,
                                   GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "UPDATE subscriptions SET plan = ?2, status = ?3, updated_at = ?4"
                                " WHERE user_id = ?1 AND EXISTS (SELECT 1 FROM plans WHERE name = ?2)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, plan);
  bind_text (stmt, 3, status);
  bind_int (stmt, 4, now);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND, _("No such user, or no plan “%s”"), plan);
      return FALSE;
    }
  return TRUE;
}

static void
bind_limit (sqlite3_stmt *stmt,
            int           index,
            gint64        limit)
{
  if (limit < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, limit);
}

static gboolean
jsw_sqlite_store_set_plan (JswStore             *store,
                           const char           *plan,
                           const JswPlanLimits  *limits,
                           GError              **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO plans (name, server_month, total_month, daily) VALUES (?1, ?2, ?3, ?4)"
                                " ON CONFLICT (name) DO UPDATE SET server_month = ?2, total_month = ?3, daily = ?4",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, plan);
  bind_limit (stmt, 2, limits->limit[JSW_COUNTER_SERVER_MONTH]);
  bind_limit (stmt, 3, limits->limit[JSW_COUNTER_TOTAL_MONTH]);
  bind_limit (stmt, 4, limits->limit[JSW_COUNTER_DAILY]);
  return step_done (self, stmt, error);
}

/* Returns an array of JswAccount used as (plan, limits) pairs: only `plan`
 * and `limits` are set. */
static GPtrArray *
jsw_sqlite_store_list_plans (JswStore  *store,
                             GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_account_free);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT name, server_month, total_month, daily FROM plans"
                                " ORDER BY coalesce(total_month, 9223372036854775807)",
                                error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      JswAccount *plan = g_new0 (JswAccount, 1);

      plan->plan = g_strdup (column_text (stmt, 0));
      for (int i = 0; i < JSW_N_COUNTERS; i++)
        plan->limits.limit[i] = sqlite3_column_type (stmt, i + 1) == SQLITE_NULL
                                ? -1 : sqlite3_column_int64 (stmt, i + 1);
      g_ptr_array_add (plans, plan);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&plans);
}

/* Swipes */

static gboolean
jsw_sqlite_store_record_left_swipe (JswStore    *store,
                                    const char  *user_id,
                                    const char  *job_id,
                                    gint64       now,
                                    GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO swipes (user_id, job_id, direction, created_at) VALUES (?1, ?2, 'left', ?3)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, job_id);
  bind_int (stmt, 3, now);
  if (!step_done (self, stmt, error))
    return FALSE;

  /* Trimmed every hundredth row: the walk over the user's newest rows is
   * then paid once per hundred swipes. */
  if (sqlite3_last_insert_rowid (self->db) % 100 != 0)
    return TRUE;
  stmt = prepare (self,
                  "DELETE FROM swipes WHERE user_id = ?1 AND id <= ("
                  " SELECT id FROM swipes WHERE user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_int (stmt, 2, JSW_LEFT_SWIPES_KEPT_PER_USER);
  return step_done (self, stmt, error);
}

static char *
find_live_entry_for_job (JswSqliteStore  *self,
                         const char      *user_id,
                         const char      *job_id,
                         GError         **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT id FROM entries WHERE user_id = ?1 AND job_id = ?2 AND cancelled_at IS NULL",
                                error);
  gboolean has_row;
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, job_id);
  if (!step_row (self, stmt, &has_row, error))
    return NULL;
  if (has_row)
    id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

static gboolean
load_execution_mode (JswSqliteStore    *self,
                     const char        *user_id,
                     JswExecutionMode  *mode,
                     GError           **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT execution_mode FROM users WHERE id = ?1", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  if (!step_row (self, stmt, &has_row, error))
    return FALSE;
  *mode = JSW_MODE_AUTO;
  if (has_row)
    jsw_execution_mode_from_string (column_text (stmt, 0), mode);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Decides where a new entry runs (PROTOCOL.md, "User") and consumes the
 * server quota when it runs on the server. */
static gboolean
route_new_entry (JswSqliteStore    *self,
                 const char        *user_id,
                 JswExecutionMode   mode,
                 const JswPlanLimits *limits,
                 const char        *month,
                 JswTarget         *target,
                 gboolean          *charged_server,
                 GError           **error)
{
  gboolean spent = FALSE;

  *charged_server = FALSE;
  switch (mode)
    {
    case JSW_MODE_DESKTOP:
      *target = JSW_TARGET_DESKTOP;
      return TRUE;

    case JSW_MODE_ASK:
      *target = JSW_TARGET_UNDECIDED;
      return TRUE;

    case JSW_MODE_SERVER:
      if (!charge (self, user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits->limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      if (spent)
        return quota_error (JSW_COUNTER_SERVER_MONTH, error);
      *target = JSW_TARGET_SERVER;
      *charged_server = TRUE;
      return TRUE;

    case JSW_MODE_AUTO:
    default:
      if (!charge (self, user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits->limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      *target = spent ? JSW_TARGET_DESKTOP : JSW_TARGET_SERVER;
      *charged_server = !spent;
      return TRUE;
    }
}

static JswEntry *
jsw_sqlite_store_swipe_right (JswStore    *store,
                              const char  *user_id,
                              JswJob      *job,
                              gint64       now,
                              gboolean    *created,
                              GPtrArray   *events,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autofree char *existing = NULL;
  g_autofree char *entry_id = NULL;
  g_autofree char *month = jsw_time_month_period (now);
  g_autofree char *day = jsw_time_day_period (now);
  JswExecutionMode mode;
  JswPlanLimits limits;
  JswTarget target;
  gboolean spent, charged_server;
  sqlite3_stmt *stmt;
  JswEntry *entry;

  *created = FALSE;
  if (!begin_write (self, error))
    return NULL;

  existing = find_live_entry_for_job (self, user_id, job->job_id, error);
  if (error != NULL && *error != NULL)
    goto failed;
  if (existing != NULL)
    {
      entry = load_entry (self, user_id, existing, error);
      rollback (self);
      return entry;
    }

  if (!load_limits (self, user_id, &limits, error) ||
      !load_execution_mode (self, user_id, &mode, error))
    goto failed;

  if (!charge (self, user_id, JSW_COUNTER_TOTAL_MONTH, month, limits.limit[JSW_COUNTER_TOTAL_MONTH], &spent, error))
    goto failed;
  if (spent)
    {
      quota_error (JSW_COUNTER_TOTAL_MONTH, error);
      goto failed;
    }
  if (!charge (self, user_id, JSW_COUNTER_DAILY, day, limits.limit[JSW_COUNTER_DAILY], &spent, error))
    goto failed;
  if (spent)
    {
      quota_error (JSW_COUNTER_DAILY, error);
      goto failed;
    }
  if (!route_new_entry (self, user_id, mode, &limits, month, &target, &charged_server, error))
    goto failed;

  entry_id = random_id ("e_");
  stmt = prepare (self,
                  "INSERT INTO entries (id, user_id, job_id, target, state, snapshot,"
                  " charged_total, charged_daily, charged_server, created_at, updated_at)"
                  " VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6, ?7, ?8, ?9, ?9)",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, user_id);
  bind_text (stmt, 3, job->job_id);
  bind_text (stmt, 4, jsw_target_to_string (target));
  bind_text (stmt, 5, jsw_job_get_json (job));
  bind_text (stmt, 6, month);
  bind_text (stmt, 7, day);
  bind_text (stmt, 8, charged_server ? month : NULL);
  bind_int (stmt, 9, now);
  if (!step_done (self, stmt, error))
    goto failed;

  entry = commit_change (self, entry_id, events, error);
  if (entry == NULL)
    goto failed;

  *created = TRUE;
  return entry;

failed:
  abandon_change (self, events);
  return NULL;
}

static JswEntry *
jsw_sqlite_store_get_entry (JswStore    *store,
                            const char  *user_id,
                            const char  *entry_id,
                            GError     **error)
{
  return load_entry (JSW_SQLITE_STORE (store), user_id, entry_id, error);
}

static GPtrArray *
jsw_sqlite_store_list_entries (JswStore    *store,
                               const char  *user_id,
                               int          state,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT " ENTRY_COLUMNS " FROM entries"
                                " WHERE user_id = ?1 AND (?2 IS NULL OR state = ?2)"
                                " ORDER BY created_at DESC, rowid DESC",
                                error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, state >= 0 ? jsw_state_to_string ((JswState) state) : NULL);
  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      g_ptr_array_add (entries, entry_from_row (stmt));
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&entries);
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
  g_autoptr(JswEntry) entry = NULL;
  JswEntry *changed;

  if (!begin_write (self, error))
    return NULL;

  entry = load_entry (self, user_id, entry_id, error);
  if (entry == NULL || !transition (self, entry, data, now, error))
    goto failed;

  changed = commit_change (self, entry_id, events, error);
  if (changed == NULL)
    goto failed;
  return changed;

failed:
  abandon_change (self, events);
  return NULL;
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
  sqlite3_stmt *stmt = prepare (self,
                                "UPDATE entries SET state = ?3, attempt = attempt + ?4, updated_at = ?5"
                                " WHERE id = ?1 AND state = ?2",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, jsw_state_to_string (from));
  bind_text (stmt, 3, jsw_state_to_string (to));
  bind_int (stmt, 4, attempt_increment);
  bind_int (stmt, 5, now);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) != 1)
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

      if (!load_limits (self, entry->user_id, &limits, error) ||
          !charge (self, entry->user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits.limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      if (spent)
        return quota_error (JSW_COUNTER_SERVER_MONTH, error);
    }
  else if (!give_back_entry (self, entry->id, TRUE, error))
    return FALSE;

  stmt = prepare (self,
                  "UPDATE entries SET target = ?2, updated_at = ?3,"
                  " charged_server = CASE WHEN ?2 = 'server' THEN ?4 ELSE NULL END"
                  " WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->id);
  bind_text (stmt, 2, jsw_target_to_string (request->target));
  bind_int (stmt, 3, now);
  bind_text (stmt, 4, month);
  return step_done (self, stmt, error);
}

static JswEntry *
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
  current = load_entry (self, user_id, entry_id, error);
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

  if (!give_back_entry (self, entry->id, FALSE, error) ||
      !update_state (self, entry->id, entry->state, JSW_STATE_CANCELLED, 0, now, error))
    return FALSE;

  stmt = prepare (self, "UPDATE entries SET cancelled_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->id);
  bind_int (stmt, 2, now);
  return step_done (self, stmt, error);
}

static JswEntry *
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
  stmt = prepare (self,
                  "UPDATE entries SET percent = 0, step = -1, max_step = -1, message = NULL,"
                  " claimed_device = NULL, claimed_kind = NULL, claimed_token = NULL,"
                  " lease = NULL, lease_expires = NULL,"
                  " outcome = NULL, confirmation = NULL, error = NULL, screenshot_sha256 = NULL"
                  " WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->id);
  return step_done (self, stmt, error) &&
         update_state (self, entry->id, JSW_STATE_NEEDS_USER, JSW_STATE_QUEUED, 1, now, error);
}

static JswEntry *
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

/* Leases */

/* Explains why a claim lost: the entry does not exist for this caller,
 * targets the other kind, or is not queued. */
static void
explain_failed_claim (JswSqliteStore  *self,
                      const JswAuth   *auth,
                      const char      *entry_id,
                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JswEntry) entry = load_entry (self, auth->user_id, entry_id, &local_error);
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

static JswEntry *
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
  g_autofree char *secret = random_id ("");
  g_autofree char *lease = g_strconcat (entry_id, ".", secret, NULL);
  sqlite3_stmt *stmt;
  JswEntry *entry;

  if (!begin_write (self, error))
    return NULL;

  /* The compare-and-set: only a queued entry of the caller's kind (and, for
   * a desktop, of the caller's user) changes, so of any number of concurrent
   * claims exactly one sees a change. */
  stmt = prepare (self,
                  "UPDATE entries SET state = 'claimed', lease = ?2, lease_expires = ?3,"
                  " claimed_device = ?4, claimed_kind = ?5, claimed_token = ?9,"
                  " percent = 0, step = -1, max_step = -1, message = NULL, updated_at = ?6"
                  " WHERE id = ?1 AND state = 'queued' AND target = ?7 AND (?8 IS NULL OR user_id = ?8)",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, lease);
  bind_int (stmt, 3, now + ttl);
  bind_text (stmt, 4, auth->device);
  bind_text (stmt, 5, jsw_kind_to_string (auth->kind));
  bind_int (stmt, 6, now);
  bind_text (stmt, 7, auth->kind == JSW_KIND_SERVER ? "server" : "desktop");
  bind_text (stmt, 8, auth->kind == JSW_KIND_SERVER ? NULL : auth->user_id);
  bind_text (stmt, 9, auth->token_hash);
  if (!step_done (self, stmt, error))
    goto failed;

  if (sqlite3_changes (self->db) != 1)
    {
      explain_failed_claim (self, auth, entry_id, error);
      goto failed;
    }

  entry = commit_change (self, entry_id, events, error);
  if (entry == NULL)
    goto failed;

  *lease_out = g_steal_pointer (&lease);
  *expires_at = now + ttl;
  return entry;

failed:
  abandon_change (self, events);
  return NULL;
}

/* Whether @auth's token is the one that claimed @lease. Leases claimed
 * before tokens were recorded, and callers without a token (the store's
 * own tests), are not bound. */
static gboolean
claimed_with_token (JswSqliteStore  *self,
                    const JswAuth   *auth,
                    const char      *lease,
                    gboolean        *same,
                    GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT claimed_token FROM entries WHERE lease = ?1", error);
  gboolean has_row;
  const char *claimed;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, lease);
  if (!step_row (self, stmt, &has_row, error))
    return FALSE;
  claimed = has_row ? column_text (stmt, 0) : NULL;
  *same = claimed == NULL || auth->token_hash == NULL || g_str_equal (claimed, auth->token_hash);
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
  gboolean same_token;
  gint64 expires;

  entry = load_entry_by_lease (self, lease, &expires, max_step, error);
  if (entry == NULL)
    return FALSE;

  /* A lease is as secret as a token, but a leaked one still cannot be
   * used by someone else's connection. */
  if ((auth->kind == JSW_KIND_SERVER) != (entry->claimed_kind == JSW_KIND_SERVER) ||
      (auth->kind == JSW_KIND_DESKTOP && g_strcmp0 (auth->user_id, entry->user_id) != 0))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN, _("This lease belongs to someone else"));
      return FALSE;
    }
  if (!claimed_with_token (self, auth, lease, &same_token, error))
    return FALSE;
  if (!same_token)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                           _("This lease was claimed with another token; only that token can use it"));
      return FALSE;
    }

  *entry_out = g_steal_pointer (&entry);
  if (expires < 0 || expires <= now)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED, _("This lease has expired"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
jsw_sqlite_store_heartbeat (JswStore       *store,
                            const JswAuth  *auth,
                            const char     *lease,
                            gint64          ttl,
                            gint64          now,
                            gint64         *expires_at,
                            GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswEntry) entry = NULL;
  sqlite3_stmt *stmt;
  gint64 max_step;

  if (!begin_write (self, error))
    return FALSE;
  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, error))
    goto failed;

  stmt = prepare (self, "UPDATE entries SET lease_expires = ?2 WHERE id = ?4 AND lease = ?1 AND lease_expires > ?3", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, lease);
  bind_int (stmt, 2, now + ttl);
  bind_int (stmt, 3, now);
  bind_text (stmt, 4, entry->id);
  if (!step_done (self, stmt, error) || !commit (self, error))
    goto failed;

  *expires_at = now + ttl;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

static JswEntry *
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
  g_autoptr(JswEntry) entry = NULL;
  sqlite3_stmt *stmt;
  JswEntry *changed;
  gint64 max_step;

  if (!begin_write (self, error))
    return NULL;
  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, error))
    goto failed;

  if (percent < entry->percent)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("Progress cannot go down within an attempt (%d%% after %d%%)"),
                   (int) percent, (int) entry->percent);
      goto failed;
    }

  /* Reporting progress also proves the runner is alive: extend the lease. */
  stmt = prepare (self,
                  "UPDATE entries SET state = 'running', percent = ?2, step = ?3, message = ?4,"
                  " max_step = max(max_step, ?3), lease_expires = ?5, updated_at = ?6"
                  " WHERE id = ?7 AND lease = ?1",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, lease);
  bind_int (stmt, 2, percent);
  bind_int (stmt, 3, step);
  bind_text (stmt, 4, message);
  bind_int (stmt, 5, now + ttl);
  bind_int (stmt, 6, now);
  bind_text (stmt, 7, entry->id);
  if (!step_done (self, stmt, error))
    goto failed;

  changed = commit_change (self, entry->id, events, error);
  if (changed == NULL)
    goto failed;
  return changed;

failed:
  abandon_change (self, events);
  return NULL;
}

static JswEntry *
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
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GError) lease_error = NULL;
  sqlite3_stmt *stmt;
  JswEntry *changed;
  gint64 max_step;

  if (!begin_write (self, error))
    return NULL;

  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, &lease_error))
    {
      /* The same result sent again (its ack was lost on the way) is
       * acknowledged again, and changes nothing. */
      if (entry != NULL && entry->has_result && entry->outcome == outcome &&
          g_error_matches (lease_error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED))
        {
          rollback (self);
          return g_steal_pointer (&entry);
        }
      g_propagate_error (error, g_steal_pointer (&lease_error));
      goto failed;
    }

  stmt = prepare (self,
                  "UPDATE entries SET state = ?8, outcome = ?2, confirmation = ?3, error = ?4,"
                  " screenshot_sha256 = ?5, lease_expires = NULL, updated_at = ?6,"
                  " percent = CASE WHEN ?2 = 'submitted' THEN 100 ELSE percent END"
                  " WHERE id = ?7 AND lease = ?1",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, lease);
  bind_text (stmt, 2, jsw_outcome_to_string (outcome));
  bind_text (stmt, 3, confirmation);
  bind_text (stmt, 4, error_text);
  bind_text (stmt, 5, screenshot_sha256);
  bind_int (stmt, 6, now);
  bind_text (stmt, 7, entry->id);
  /* unconfirmed becomes needs_review: a person checks; the quota stays
   * used, as for any application that may have been sent. */
  bind_text (stmt, 8, jsw_state_to_string (jsw_outcome_to_state (outcome)));
  if (!step_done (self, stmt, error))
    goto failed;

  if (outcome == JSW_OUTCOME_FAILED && !give_back_entry (self, entry->id, FALSE, error))
    goto failed;

  changed = commit_change (self, entry->id, events, error);
  if (changed == NULL)
    goto failed;
  return changed;

failed:
  abandon_change (self, events);
  return NULL;
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
  sqlite3_stmt *stmt = prepare (self,
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
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, may_have_submitted ? "needs_review" : "queued");
  bind_int (stmt, 3, may_have_submitted ? 0 : attempt_increment);
  bind_int (stmt, 4, now);
  return step_done (self, stmt, error);
}

static JswEntry *
jsw_sqlite_store_release (JswStore       *store,
                          const JswAuth  *auth,
                          const char     *lease,
                          gint64          now,
                          GPtrArray      *events,
                          GError        **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(JswEntry) entry = NULL;
  JswEntry *changed;
  gint64 max_step;

  if (!begin_write (self, error))
    return NULL;
  if (!check_live_lease (self, auth, lease, now, &entry, &max_step, error) ||
      !return_entry (self, entry->id, max_step, 0, now, error))
    goto failed;

  changed = commit_change (self, entry->id, events, error);
  if (changed == NULL)
    goto failed;
  return changed;

failed:
  abandon_change (self, events);
  return NULL;
}

static guint
jsw_sqlite_store_expire_leases (JswStore    *store,
                                gint64       now,
                                GPtrArray   *events,
                                GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) max_steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (!begin_write (self, error))
    return 0;

  stmt = prepare (self,
                  "SELECT id, max_step FROM entries"
                  " WHERE lease_expires IS NOT NULL AND lease_expires <= ?1"
                  " AND state IN ('claimed', 'running')",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_int (stmt, 1, now);
  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      gint64 max_step = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (expired, g_strdup (column_text (stmt, 0)));
      g_array_append_val (max_steps, max_step);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    goto failed;

  for (guint i = 0; i < expired->len; i++)
    {
      g_autoptr(JswEntry) changed = NULL;
      const char *id = g_ptr_array_index (expired, i);

      if (!return_entry (self, id, g_array_index (max_steps, gint64, i), 1, now, error))
        goto failed;
      changed = record_change (self, id, events, error);
      if (changed == NULL)
        goto failed;
    }

  if (!commit (self, error))
    goto failed;
  return expired->len;

failed:
  abandon_change (self, events);
  return 0;
}

/* The event log */

static gint64
jsw_sqlite_store_current_seq (JswStore    *store,
                              const char  *channel,
                              GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT coalesce(max(seq), 0) FROM events WHERE channel = ?1", error);
  gboolean has_row;
  gint64 seq;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, channel);
  if (!step_row (self, stmt, &has_row, error))
    return -1;
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}

/* A replay this small is sent as it is, whatever a sync would cost. */
#define REPLAY_ALWAYS_BYTES (1024 * 1024)

static gint64
single_int (JswSqliteStore  *self,
            sqlite3_stmt    *stmt,
            GError         **error)
{
  gboolean has_row;
  gint64 value = -1;

  if (stmt != NULL && step_row (self, stmt, &has_row, error) && has_row)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

/* Replaying a long absence can cost far more than the state it leads to:
 * 10,000 progress events of one entry against one entry (issue 8: a hello
 * with since = 0 cost 192 MiB). So when the replay, snapshots spliced,
 * would be larger than both REPLAY_ALWAYS_BYTES and the sync (every live
 * entry with its snapshot), the client gets the sync, as one too far
 * behind does. Sets *@use_sync. */
static gboolean
replay_is_smaller (JswSqliteStore  *self,
                   const char      *channel,
                   gint64           since,
                   gboolean        *use_sync,
                   GError         **error)
{
  gboolean workers = g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL);
  sqlite3_stmt *stmt;
  gint64 replay_bytes, sync_bytes;

  stmt = prepare (self,
                  "SELECT coalesce(sum(length(e.entry) +"
                  "  CASE WHEN e.snapshot_spliced THEN coalesce(length(n.snapshot), 4) + 12 ELSE 0 END), 0)"
                  " FROM events e LEFT JOIN entries n ON n.id = e.entry_id"
                  " WHERE e.channel = ?1 AND e.seq > ?2",
                  error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, channel);
      bind_int (stmt, 2, since);
    }
  replay_bytes = single_int (self, stmt, error);
  if (replay_bytes < 0)
    return FALSE;
  *use_sync = FALSE;
  if (replay_bytes <= REPLAY_ALWAYS_BYTES)
    return TRUE;

  /* An entry's JSON besides its snapshot is a few hundred bytes. */
  if (workers)
    stmt = prepare (self,
                    "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                    " WHERE state = 'queued' AND target = 'server'",
                    error);
  else
    {
      stmt = prepare (self,
                      "SELECT coalesce(sum(length(snapshot) + 512), 0) FROM entries"
                      " WHERE user_id = ?1 AND state <> 'cancelled'",
                      error);
      if (stmt != NULL)
        bind_text (stmt, 1, channel + strlen ("u:"));
    }
  sync_bytes = single_int (self, stmt, error);
  if (sync_bytes < 0)
    return FALSE;
  *use_sync = replay_bytes > sync_bytes;
  return TRUE;
}

static GPtrArray *
jsw_sqlite_store_events_since (JswStore    *store,
                               const char  *channel,
                               gint64       since,
                               guint        limit,
                               gboolean     weigh,
                               gboolean    *too_old,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 current, oldest;

  *too_old = FALSE;

  /* Read the bounds and the events in one snapshot. */
  if (!exec_sql (self, "BEGIN", error))
    return NULL;

  current = jsw_sqlite_store_current_seq (store, channel, error);
  if (current < 0)
    goto failed;

  stmt = prepare (self, "SELECT min(seq) FROM events WHERE channel = ?1", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, channel);
  if (!step_row (self, stmt, &has_row, error))
    goto failed;
  oldest = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? current + 1 : sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* A client ahead of us (another database) or behind what we keep cannot
   * be replayed to: it gets the whole state instead. */
  if (since > current || (since < current && since + 1 < oldest))
    {
      *too_old = TRUE;
      exec_sql (self, "COMMIT", NULL);
      return g_steal_pointer (&events);
    }

  if (weigh && !replay_is_smaller (self, channel, since, too_old, error))
    goto failed;
  if (*too_old)
    {
      exec_sql (self, "COMMIT", NULL);
      return g_steal_pointer (&events);
    }

  stmt = prepare (self,
                  "SELECT e.seq, e.entry, e.snapshot_spliced, n.snapshot FROM events e"
                  " LEFT JOIN entries n ON n.id = e.entry_id"
                  " WHERE e.channel = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3",
                  error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, channel);
  bind_int (stmt, 2, since);
  bind_int (stmt, 3, limit > 0 ? (gint64) limit : -1);
  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      JswEvent *event = g_new0 (JswEvent, 1);

      event->channel = g_strdup (channel);
      event->seq = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_int (stmt, 2))
        event->entry_json = jsw_entry_json_add_snapshot (column_text (stmt, 1), column_text (stmt, 3));
      else
        event->entry_json = g_strdup (column_text (stmt, 1));
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    goto failed;

  exec_sql (self, "COMMIT", NULL);
  return g_steal_pointer (&events);

failed:
  rollback (self);
  return NULL;
}

/* What a client that cannot be replayed to needs to know: a user's entries
 * that are not cancelled, or the queued server entries for workers. */
static GPtrArray *
jsw_sqlite_store_live_entries (JswStore    *store,
                               const char  *channel,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  gboolean workers = g_str_equal (channel, JSW_STORE_WORKERS_CHANNEL);
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (workers)
    stmt = prepare (self,
                    "SELECT " ENTRY_COLUMNS " FROM entries WHERE state = 'queued' AND target = 'server'"
                    " ORDER BY created_at, rowid",
                    error);
  else
    stmt = prepare (self,
                    "SELECT " ENTRY_COLUMNS " FROM entries WHERE user_id = ?1 AND state <> 'cancelled'"
                    " ORDER BY created_at, rowid",
                    error);
  if (stmt == NULL)
    return NULL;
  if (!workers)
    bind_text (stmt, 1, channel + strlen ("u:"));

  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      g_ptr_array_add (entries, entry_from_row (stmt));
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&entries);
}

static gboolean
jsw_sqlite_store_prune_events (JswStore    *store,
                               const char  *channel,
                               gint64       keep_count,
                               gint64       keep_bytes,
                               GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  /* Newest first in each channel: what is kept is a prefix, bounded by
   * count and by bytes, and never empty (the newest holds the seq). */
  sqlite3_stmt *stmt = prepare (self,
                                "DELETE FROM events WHERE (channel, seq) IN ("
                                " SELECT channel, seq FROM ("
                                "  SELECT channel, seq,"
                                "   row_number () OVER newest AS rank,"
                                "   sum (length (entry)) OVER newest AS bytes"
                                "  FROM events WHERE ?1 IS NULL OR channel = ?1"
                                "  WINDOW newest AS (PARTITION BY channel ORDER BY seq DESC))"
                                " WHERE rank > 1 AND (rank > ?2 OR bytes > ?3))",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, channel);
  bind_int (stmt, 2, MAX (keep_count, 1));
  bind_int (stmt, 3, MAX (keep_bytes, 0));
  return step_done (self, stmt, error);
}

/* Idempotency-Key */

static gboolean
jsw_sqlite_store_idempotency_get (JswStore    *store,
                                  const char  *user_id,
                                  const char  *key,
                                  gint64       now,
                                  guint       *status,
                                  char       **body,
                                  char       **request_sha256,
                                  GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT i.status, i.body, i.entry_id, n.snapshot, i.request_sha256"
                                " FROM idempotency i"
                                " LEFT JOIN entries n ON n.id = i.entry_id"
                                " WHERE i.user_id = ?1 AND i.key = ?2 AND i.created_at > ?3",
                                error);
  gboolean has_row;

  *body = NULL;
  *request_sha256 = NULL;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, key);
  bind_int (stmt, 3, now - JSW_IDEMPOTENCY_TTL);
  if (!step_row (self, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      *status = sqlite3_column_int (stmt, 0);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        *request_sha256 = g_strdup (column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
        *body = g_strdup (column_text (stmt, 1));
      else
        {
          g_autofree char *entry = jsw_entry_json_add_snapshot (column_text (stmt, 1), column_text (stmt, 3));

          *body = g_strconcat ("{\"entry\":", entry, "}", NULL);
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
jsw_sqlite_store_idempotency_put (JswStore    *store,
                                  const char  *user_id,
                                  const char  *key,
                                  const char  *request_sha256,
                                  guint        status,
                                  const char  *body,
                                  const char  *entry_id,
                                  gint64       now,
                                  GError     **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO idempotency (user_id, key, status, body, entry_id, created_at,"
                                "  request_sha256)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8)"
                                " ON CONFLICT (user_id, key) DO UPDATE SET status = excluded.status,"
                                "  body = excluded.body, entry_id = excluded.entry_id,"
                                "  created_at = excluded.created_at, request_sha256 = excluded.request_sha256"
                                " WHERE idempotency.created_at <= ?7",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, key);
  bind_int (stmt, 3, status);
  bind_text (stmt, 4, body ? body : "");
  bind_text (stmt, 5, entry_id);
  bind_int (stmt, 6, now);
  bind_int (stmt, 7, now - JSW_IDEMPOTENCY_TTL);
  bind_text (stmt, 8, request_sha256);
  if (!step_done (self, stmt, error))
    return FALSE;

  /* A user's answers beyond the newest JSW_IDEMPOTENCY_KEPT_PER_USER. */
  stmt = prepare (self,
                  "DELETE FROM idempotency WHERE user_id = ?1 AND key IN ("
                  " SELECT key FROM idempotency WHERE user_id = ?1"
                  " ORDER BY created_at DESC LIMIT -1 OFFSET ?2)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_int (stmt, 2, JSW_IDEMPOTENCY_KEPT_PER_USER);
  return step_done (self, stmt, error);
}

static gboolean
jsw_sqlite_store_idempotency_expire (JswStore  *store,
                                     gint64     now,
                                     GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM idempotency WHERE created_at <= ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_int (stmt, 1, now - JSW_IDEMPOTENCY_TTL);
  return step_done (self, stmt, error);
}

static gboolean
jsw_sqlite_store_count_by_state (JswStore  *store,
                                 gint64     counts[JSW_N_STATES],
                                 GError   **error)
{
  JswSqliteStore *self = JSW_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT state, count(*) FROM entries GROUP BY state", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  for (int i = 0; i < JSW_N_STATES; i++)
    counts[i] = 0;
  while (step_row (self, stmt, &has_row, error) && has_row)
    {
      JswState state;

      if (jsw_state_from_string (column_text (stmt, 0), &state))
        counts[state] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

/* GObject */

static void
jsw_sqlite_store_finalize (GObject *object)
{
  JswSqliteStore *self = (JswSqliteStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);

  G_OBJECT_CLASS (jsw_sqlite_store_parent_class)->finalize (object);
}

static void
jsw_sqlite_store_class_init (JswSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jsw_sqlite_store_finalize;
}

static void
jsw_sqlite_store_init (JswSqliteStore *self)
{
  /* Keyed by the address of the SQL literal: every statement is a literal
   * in this file, and hashing its text on every call is measurable. */
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);
}

static void
jsw_sqlite_store_iface_init (JswStoreInterface *iface)
{
  iface->create_user = jsw_sqlite_store_create_user;
  iface->find_user = jsw_sqlite_store_find_user;
  iface->add_token = jsw_sqlite_store_add_token;
  iface->lookup_token = jsw_sqlite_store_lookup_token;
  iface->get_account = jsw_sqlite_store_get_account;
  iface->set_execution_mode = jsw_sqlite_store_set_execution_mode;
  iface->set_subscription = jsw_sqlite_store_set_subscription;
  iface->set_plan = jsw_sqlite_store_set_plan;
  iface->list_plans = jsw_sqlite_store_list_plans;
  iface->record_left_swipe = jsw_sqlite_store_record_left_swipe;
  iface->swipe_right = jsw_sqlite_store_swipe_right;
  iface->get_entry = jsw_sqlite_store_get_entry;
  iface->list_entries = jsw_sqlite_store_list_entries;
  iface->route_entry = jsw_sqlite_store_route_entry;
  iface->cancel_entry = jsw_sqlite_store_cancel_entry;
  iface->retry_entry = jsw_sqlite_store_retry_entry;
  iface->claim = jsw_sqlite_store_claim;
  iface->heartbeat = jsw_sqlite_store_heartbeat;
  iface->progress = jsw_sqlite_store_progress;
  iface->finish = jsw_sqlite_store_finish;
  iface->release = jsw_sqlite_store_release;
  iface->expire_leases = jsw_sqlite_store_expire_leases;
  iface->current_seq = jsw_sqlite_store_current_seq;
  iface->events_since = jsw_sqlite_store_events_since;
  iface->live_entries = jsw_sqlite_store_live_entries;
  iface->prune_events = jsw_sqlite_store_prune_events;
  iface->idempotency_get = jsw_sqlite_store_idempotency_get;
  iface->idempotency_put = jsw_sqlite_store_idempotency_put;
  iface->idempotency_expire = jsw_sqlite_store_idempotency_expire;
  iface->count_by_state = jsw_sqlite_store_count_by_state;
}

/* The database holds password and token hashes and everyone's queue: only
 * its owner may read it. SQLite would create it 0644 (less the umask), and
 * gives its -wal and -shm files the main file's mode, so the file is
 * created (or an existing one tightened) to 0600 before SQLite opens it,
 * and companions left by an older version are tightened too. */
static gboolean
make_database_private (const char  *path,
                       GError     **error)
{
  static const char *companions[] = { "-wal", "-shm", "-journal" };
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot make the database “%s” private: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      if (g_chmod (companion, 0600) != 0 && errno != ENOENT)
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot make the database “%s” private: %s"),
                       companion, g_strerror (errno));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * jsw_sqlite_store_open:
 * @path: the database file; created (mode 0600; an existing one is made
 *   0600 too), and migrated to the current schema
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
JswStore *
jsw_sqlite_store_open (const char  *path,
                       GError     **error)
{
  g_autoptr(JswSqliteStore) self = g_object_new (JSW_TYPE_SQLITE_STORE, NULL);
  const char *sync = g_getenv ("JSW_SQLITE_SYNC");
  g_autofree char *pragmas = NULL;
  int rc;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "libsodium could not be initialised");
      return NULL;
    }

  if (!make_database_private (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 10000);
  pragmas = g_strdup_printf ("PRAGMA journal_mode = WAL;"
                             "PRAGMA synchronous = %s;"
                             "PRAGMA foreign_keys = ON;"
                             "PRAGMA wal_autocheckpoint = 10000;",
                             g_strcmp0 (sync, "full") == 0 ? "FULL" : "NORMAL");
  if (!exec_sql (self, pragmas, error) || !migrate (self, error))
    return NULL;

  return JSW_STORE (g_steal_pointer (&self));
}
