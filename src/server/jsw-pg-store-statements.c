/* jsw-pg-store-statements.c: the PostgreSQL store's connection, statements and transactions
 *
 * Statements are prepared once per connection. Since a round trip costs
 * more than a statement, a transaction's BEGIN is sent with its first
 * statement and the statements deferred to its end (the event log's
 * appends, jsw_pg_store_defer()) with its COMMIT, each group in one libpq
 * pipeline. A lost connection is opened again by the next call (which is
 * sent again on the new one when it is a read, or a transaction's first
 * round trip); a transaction the loss interrupted later is reported as
 * failed, never retried, since its COMMIT may have been applied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-pg-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-log.h"
#include "jsw-pg-connection.h"
#include "jsw-pg-store-private.h"

/* Transactions PostgreSQL refused for a reason that running them again
 * cures: serialization_failure, deadlock_detected, and unique_violation
 * (another transaction inserted the same key first: run again, the work
 * finds its row). */
#define MAX_ATTEMPTS 5

char *
jsw_pg_store_random_id (const char *prefix)
{
  return jsw_store_random_id (prefix);
}

/* Parameters */

void
jsw_pg_params_text (JswPgParams *params,
                    const char  *value)
{
  g_assert (params->n < JSW_PG_MAX_PARAMS);
  params->values[params->n++] = value;
}

void
jsw_pg_params_int (JswPgParams *params,
                   gint64       value)
{
  g_assert (params->n < JSW_PG_MAX_PARAMS);
  g_snprintf (params->numbers[params->n], sizeof params->numbers[0], "%" G_GINT64_FORMAT, value);
  params->values[params->n] = params->numbers[params->n];
  params->n++;
}

void
jsw_pg_params_bool (JswPgParams *params,
                    gboolean     value)
{
  jsw_pg_params_text (params, value ? "t" : "f");
}

/* Results */

const char *
jsw_pg_text (const PGresult *result,
             int             row,
             int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gint64
jsw_pg_int (const PGresult *result,
            int             row,
            int             column)
{
  if (PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

gboolean
jsw_pg_is_null (const PGresult *result,
                int             row,
                int             column)
{
  return PQgetisnull (result, row, column);
}

/* Connection */

static void
forget_prepared (JswPgStore *self)
{
  g_hash_table_remove_all (self->prepared);
}

/* A connection lost between two calls is opened again before the next. */
static gboolean
ensure_connected (JswPgStore  *self,
                  GError     **error)
{
  PGconn *conn;

  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  /* A transaction whose BEGIN is not sent yet has nothing on the old
   * connection. */
  if (self->in_transaction && self->begin == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("The database connection was lost"));
      return FALSE;
    }

  conn = jsw_pg_connect (self->url, error);
  if (conn == NULL)
    return FALSE;
  g_clear_pointer (&self->conn, PQfinish);
  self->conn = conn;
  forget_prepared (self);
  jsw_log (JSW_LOG_INFO, NULL, "db.reconnected", NULL);
  return TRUE;
}

static const char *
statement_name (JswPgStore  *self,
                const char  *sql,
                int          n_params,
                PGresult   **failed)
{
  const char *name = g_hash_table_lookup (self->prepared, sql);
  g_autofree char *new_name = NULL;
  PGresult *result;

  if (name != NULL)
    return name;

  new_name = g_strdup_printf ("jsw%u", ++self->n_prepared);
  result = PQprepare (self->conn, new_name, sql, n_params, NULL);
  self->n_round_trips++;
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      *failed = result;
      return NULL;
    }
  PQclear (result);
  g_hash_table_insert (self->prepared, g_strdup (sql), g_steal_pointer (&new_name));
  return g_hash_table_lookup (self->prepared, sql);
}

/* A statement sent later, with the next one or the COMMIT; its
 * parameters are copied, since the caller's may be gone by then. */
typedef struct {
  const char        *sql;
  GStrv              values;   /* n of them, some NULL (SQL NULL) */
  int                n;
  JswPgDeferredDone  done;
  gpointer           data;
} JswPgDeferred;

static void
deferred_free (JswPgDeferred *deferred)
{
  for (int i = 0; i < deferred->n; i++)
    g_free (deferred->values[i]);
  g_free (deferred->values);
  g_free (deferred);
}

/**
 * jsw_pg_store_defer:
 * @sql: a statement of the transaction under way whose result is not
 *   needed before the transaction commits (the event log's append)
 * @done: (nullable): given its result once it came back
 *
 * Queues @sql to be sent in one pipeline with the next statement, or with
 * the COMMIT: a round trip saved per deferred statement. A deferred
 * statement that fails fails the statement it went with (its error, its
 * SQLSTATE), so the transaction rolls back as if it had failed at once.
 */
void
jsw_pg_store_defer (JswPgStore         *self,
                    const char         *sql,
                    const JswPgParams  *params,
                    JswPgDeferredDone   done,
                    gpointer            data)
{
  JswPgDeferred *deferred = g_new0 (JswPgDeferred, 1);

  g_return_if_fail (self->in_transaction);

  deferred->sql = sql;
  deferred->n = params->n;
  deferred->values = g_new0 (char *, params->n + 1);
  for (int i = 0; i < params->n; i++)
    deferred->values[i] = g_strdup (params->values[i]);
  deferred->done = done;
  deferred->data = data;
  g_ptr_array_add (self->deferred, deferred);
}

/* One statement of a pipeline. */
typedef struct {
  const char         *sql;
  const char         *name;
  int                 n;
  const char *const  *values;
  PGresult           *result;
} Step;

static gboolean
succeeded (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

/* Sends @steps in one pipeline (libpq's pipeline mode: one flush, one
 * wait) and collects each one's result. A step after a failed one comes
 * back PGRES_PIPELINE_ABORTED. FALSE when the connection broke on the way
 * (then no result is reliable). */
static gboolean
send_pipeline (JswPgStore *self,
               Step       *steps,
               guint       n_steps)
{
  gboolean ok = PQenterPipelineMode (self->conn) == 1;

  for (guint i = 0; ok && i < n_steps; i++)
    ok = PQsendQueryPrepared (self->conn, steps[i].name, steps[i].n, steps[i].values, NULL, NULL, 0) == 1;
  ok = ok && PQpipelineSync (self->conn) == 1;
  self->n_round_trips++;
  self->n_statements += n_steps;

  for (guint i = 0; ok && i < n_steps; i++)
    {
      PGresult *extra;

      steps[i].result = PQgetResult (self->conn);
      ok = steps[i].result != NULL;
      /* Each statement's results end with a NULL. */
      while (ok && (extra = PQgetResult (self->conn)) != NULL)
        PQclear (extra);
    }
  if (ok)
    {
      PGresult *sync = PQgetResult (self->conn);

      ok = PQresultStatus (sync) == PGRES_PIPELINE_SYNC;
      PQclear (sync);
    }
  if (!ok || PQexitPipelineMode (self->conn) != 1)
    {
      /* Out of step with the server: this connection is done for; the
       * next call opens another. */
      jsw_log (JSW_LOG_WARNING, NULL, "db.pipeline_broken", "message", 's', PQerrorMessage (self->conn), NULL);
      g_clear_pointer (&self->conn, PQfinish);
      return FALSE;
    }
  return TRUE;
}

/* Prepares @sql if need be and runs it, after the pending BEGIN and the
 * deferred statements, all in one round trip: the result, which may be a
 * failure's (that of the first statement that failed). */
static PGresult *
prepare_and_run (JswPgStore         *self,
                 const char         *sql,
                 const JswPgParams  *params)
{
  g_autofree Step *steps = NULL;
  PGresult *failed = NULL;
  PGresult *result = NULL;
  guint n_steps = 0;
  const char *name = statement_name (self, sql, params->n, &failed);

  if (name == NULL)
    return failed;
  if (self->begin == NULL && self->deferred->len == 0)
    {
      self->n_round_trips++;
      self->n_statements++;
      return PQexecPrepared (self->conn, name, params->n, params->values, NULL, NULL, 0);
    }

  steps = g_new0 (Step, self->deferred->len + 2);
  if (self->begin != NULL)
    steps[n_steps++] = (Step) { self->begin, NULL, 0, NULL, NULL };
  for (guint i = 0; i < self->deferred->len; i++)
    {
      JswPgDeferred *deferred = g_ptr_array_index (self->deferred, i);

      steps[n_steps++] = (Step) { deferred->sql, NULL, deferred->n, (const char *const *) deferred->values, NULL };
    }
  steps[n_steps++] = (Step) { sql, name, params->n, params->values, NULL };

  /* Statements are prepared one at a time before the pipeline (once per
   * connection each). */
  for (guint i = 0; i < n_steps; i++)
    {
      steps[i].name = statement_name (self, steps[i].sql, steps[i].n, &failed);
      if (steps[i].name == NULL)
        return failed;
    }

  if (!send_pipeline (self, steps, n_steps))
    {
      for (guint i = 0; i < n_steps; i++)
        PQclear (steps[i].result);
      return NULL;
    }

  self->begin = NULL;
  for (guint i = 0; i < n_steps && result == NULL; i++)
    if (!succeeded (steps[i].result))
      result = g_steal_pointer (&steps[i].result);

  /* All went through: each deferred statement's result to its owner. */
  for (guint i = 0; result == NULL && i < self->deferred->len; i++)
    {
      JswPgDeferred *deferred = g_ptr_array_index (self->deferred, i);

      if (deferred->done != NULL)
        deferred->done (steps[n_steps - 1 - self->deferred->len + i].result, deferred->data);
    }
  if (result == NULL)
    {
      g_ptr_array_set_size (self->deferred, 0);
      result = g_steal_pointer (&steps[n_steps - 1].result);
    }
  for (guint i = 0; i < n_steps; i++)
    PQclear (steps[i].result);
  return result;
}

/* Whether the pipeline about to be sent for @sql may be sent again on a
 * new connection when the old one turned out lost: when nothing it holds
 * can have been committed (a read outside a transaction, or a
 * transaction's first round trip, which ends before its COMMIT). */
static gboolean
may_resend (JswPgStore *self,
            const char *sql)
{
  if (!self->in_transaction)
    return g_str_has_prefix (sql, "SELECT");
  return self->begin != NULL && !g_str_equal (sql, "COMMIT");
}

/**
 * jsw_pg_store_exec:
 * @sql: one statement, with $1… for @params
 * @params: (nullable): its parameters, as text
 *
 * Runs one prepared statement; inside a transaction, with its BEGIN when
 * this is its first statement and the deferred statements before it
 * (jsw_pg_store_defer()), in one round trip.
 *
 * Returns: (transfer full): its result, or %NULL with @error set
 *   (%JSW_ERROR_INTERNAL) and self->sqlstate saying why
 */
PGresult *
jsw_pg_store_exec (JswPgStore         *self,
                   const char         *sql,
                   const JswPgParams  *params,
                   GError            **error)
{
  static const JswPgParams none = { { NULL } };
  gboolean resendable = may_resend (self, sql);
  PGresult *result;
  const char *state;

  self->sqlstate[0] = '\0';
  if (params == NULL)
    params = &none;
  if (!ensure_connected (self, error))
    return NULL;
  result = prepare_and_run (self, sql, params);

  /* The connection was lost since the last call (the database restarted,
   * an operator ended it): what cannot have committed anything is sent
   * again on a new connection, so that the first request after the loss
   * does not fail. A write's outcome is unknown: it fails. */
  if ((result == NULL || !succeeded (result)) && resendable &&
      (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD))
    {
      g_clear_pointer (&result, PQclear);
      if (!ensure_connected (self, error))
        return NULL;
      result = prepare_and_run (self, sql, params);
    }

  if (result != NULL && succeeded (result))
    return result;

  state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_strlcpy (self->sqlstate, state ? state : "", sizeof self->sqlstate);
  g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "database: %s",
               result != NULL ? PQresultErrorMessage (result)
                              : self->conn != NULL ? PQerrorMessage (self->conn) : "the connection was lost");
  PQclear (result);
  return NULL;
}

/* Runs a statement whose rows are not wanted; *@changes (optional) is the
 * number of rows it inserted, updated or deleted. */
gboolean
jsw_pg_store_run (JswPgStore         *self,
                  const char         *sql,
                  const JswPgParams  *params,
                  gint64             *changes,
                  GError            **error)
{
  g_autoptr(PGresult) result = jsw_pg_store_exec (self, sql, params, error);

  if (result == NULL)
    return FALSE;
  if (changes != NULL)
    *changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  return TRUE;
}

/* The first column of the first row, or @if_none without a row (and -1
 * with @error set on failure). */
gint64
jsw_pg_store_int (JswPgStore         *self,
                  const char         *sql,
                  const JswPgParams  *params,
                  gint64              if_none,
                  GError            **error)
{
  g_autoptr(PGresult) result = jsw_pg_store_exec (self, sql, params, error);

  if (result == NULL)
    return -1;
  if (PQntuples (result) == 0 || PQgetisnull (result, 0, 0))
    return if_none;
  return jsw_pg_int (result, 0, 0);
}

/* Ends the transaction under way without its changes: nothing to send
 * when its BEGIN never went. */
void
jsw_pg_store_roll_back (JswPgStore *self)
{
  gboolean begun = self->begin == NULL;

  self->begin = NULL;
  g_ptr_array_set_size (self->deferred, 0);
  if (begun && self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    {
      PQclear (PQexec (self->conn, "ROLLBACK"));
      self->n_round_trips++;
      self->n_statements++;
    }
}

/* Sends the COMMIT, with the deferred statements; nothing when the
 * transaction sent and deferred nothing (its BEGIN never went). */
static gboolean
commit (JswPgStore  *self,
        GError     **error)
{
  if (self->begin != NULL && self->deferred->len == 0)
    {
      self->begin = NULL;
      return TRUE;
    }
  return jsw_pg_store_run (self, "COMMIT", NULL, NULL, error);
}

static gboolean
worth_retrying (JswPgStore *self)
{
  return g_str_equal (self->sqlstate, "40001") ||
         g_str_equal (self->sqlstate, "40P01") ||
         g_str_equal (self->sqlstate, "23505");
}

static gboolean
run_transaction (JswPgStore  *self,
                 const char  *begin,
                 JswPgWork    work,
                 gpointer     data,
                 GPtrArray   *events,
                 GError     **error)
{
  guint mark = events != NULL ? events->len : 0;

  g_return_val_if_fail (!self->in_transaction, FALSE);

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean done;

      /* The BEGIN goes with the first statement (jsw_pg_store_exec()). */
      self->begin = begin;
      self->in_transaction = TRUE;
      done = work (self, data, events, &local_error) && commit (self, &local_error);
      if (done)
        {
          self->in_transaction = FALSE;
          return TRUE;
        }

      jsw_pg_store_roll_back (self);
      self->in_transaction = FALSE;
      if (events != NULL && events->len > mark)
        g_ptr_array_remove_range (events, mark, events->len - mark);
      if (attempt >= MAX_ATTEMPTS || !worth_retrying (self))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/**
 * jsw_pg_store_transact:
 * @work: the transaction's statements; returns %FALSE with @error set to
 *   roll back (and must, whenever a statement failed)
 * @events: (nullable): where @work appends the events it publishes; those
 *   of a rolled back attempt are taken out again
 *
 * Runs @work in one transaction, again (up to five times) when
 * PostgreSQL refused it for a reason a retry cures.
 *
 * Returns: %TRUE once committed
 */
gboolean
jsw_pg_store_transact (JswPgStore  *self,
                       JswPgWork    work,
                       gpointer     data,
                       GPtrArray   *events,
                       GError     **error)
{
  return run_transaction (self, "BEGIN", work, data, events, error);
}

/* jsw_pg_store_transact() for a change of one entry: @work leaves the
 * entry as it is now in *@entry; returns it, or %NULL with @error set. */
JswEntry *
jsw_pg_store_transact_entry (JswPgStore  *self,
                             JswPgWork    work,
                             gpointer     data,
                             JswEntry   **entry,
                             GPtrArray   *events,
                             GError     **error)
{
  if (!jsw_pg_store_transact (self, work, data, events, error))
    {
      g_clear_pointer (entry, jsw_entry_unref);
      return NULL;
    }
  return g_steal_pointer (entry);
}

/* Runs @work's reads on one snapshot of the database. */
gboolean
jsw_pg_store_read_snapshot (JswPgStore  *self,
                            JswPgWork    work,
                            gpointer     data,
                            GError     **error)
{
  return run_transaction (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work, data, NULL, error);
}

/* Schema */

/* Called from jsw_pg_store_init(): the tables of prepared statements and
 * of deferred ones, both empty. */
void
jsw_pg_store_init_statements (JswPgStore *self)
{
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->deferred = g_ptr_array_new_with_free_func ((GDestroyNotify) deferred_free);
}
