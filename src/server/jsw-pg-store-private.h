/* jsw-pg-store-private.h: what the PostgreSQL store's parts share
 *
 * The store is one object over one libpq connection, split by concern as
 * the SQLite store is (jsw-sqlite-store-private.h):
 *
 *   jsw-pg-store.c              the object, its JswStore wiring, opening
 *   jsw-pg-store-statements.c   connecting, statements, pipelines, deferral, transactions
 *   jsw-pg-store-schema.c       migrating the schema on open
 *   jsw-pg-store-accounts.c     users, tokens, execution mode
 *   jsw-pg-store-plans.c        plans, subscriptions, quotas and usage
 *   jsw-pg-store-entries.c      swipes, the queue, a user's transitions
 *   jsw-pg-store-leases.c       claims, leases, results, expiry
 *   jsw-pg-store-events.c       the event log behind `seq`, and NOTIFY
 *   jsw-pg-store-idempotency.c  Idempotency-Key answers
 *   jsw-pg-store-vault.c        sealed profiles and resumes
 *   jsw-pg-store-linkedin.c     LinkedIn's limits and pauses (the data; jsw-linkedin.c decides)
 *   jsw-pg-store-sources.c      job sources and the postings synced from them
 *   jsw-pg-store-feed.c         searches, the feed, swipes by posting
 *   jsw-pg-store-billing.c      Stripe events, invoices, the usage report, /admin figures
 *
 * Every write runs in jsw_pg_store_transact(): BEGIN, the work, COMMIT,
 * and the whole again when PostgreSQL refused it for a reason a retry
 * cures (a deadlock, a serialization failure, a unique key another
 * transaction took first).
 *
 * Locks are always taken in one order, so that writers in several
 * processes cannot deadlock: the entry's row, then the user's usage rows
 * (total_month, daily, server_month), then the user's channel, then the
 * workers' channel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-pg-connection.h"
#include "jsw-pg-store.h"

G_BEGIN_DECLS

struct _JswPgStore
{
  GObject     parent_instance;

  char       *url;
  char       *origin;        /* this object's, random: its listener knows its own announcements by it */
  PGconn     *conn;
  GHashTable *prepared;      /* SQL text (static) -> statement name */
  guint       n_prepared;
  gboolean    in_transaction;
  const char *begin;         /* the transaction's BEGIN, not sent yet: it goes with the first statement */
  GPtrArray  *deferred;      /* (element-type JswPgDeferred) sent with the next statement or the COMMIT */
  guint64     n_round_trips; /* statements (or pipelines of them) sent and waited for */
  guint64     n_statements;
  char        sqlstate[6];   /* of the last failed statement, "" if none */
};

/* The parameters of one statement, as text (libpq's text format). */
#define JSW_PG_MAX_PARAMS 16

typedef struct {
  const char *values[JSW_PG_MAX_PARAMS];
  char        numbers[JSW_PG_MAX_PARAMS][24];
  int         n;
} JswPgParams;

void        jsw_pg_params_text  (JswPgParams *params, const char *value);
void        jsw_pg_params_int   (JswPgParams *params, gint64 value);
void        jsw_pg_params_bool  (JswPgParams *params, gboolean value);

PGresult   *jsw_pg_store_exec   (JswPgStore *self, const char *sql, const JswPgParams *params,
                                 GError **error);
gboolean    jsw_pg_store_run    (JswPgStore *self, const char *sql, const JswPgParams *params,
                                 gint64 *changes, GError **error);
gint64      jsw_pg_store_int    (JswPgStore *self, const char *sql, const JswPgParams *params,
                                 gint64 if_none, GError **error);

const char *jsw_pg_text         (const PGresult *result, int row, int column);
gint64      jsw_pg_int          (const PGresult *result, int row, int column);
gboolean    jsw_pg_is_null      (const PGresult *result, int row, int column);

/* Called with a deferred statement's result, once it came back (after
 * the COMMIT it was sent with, or before the statement it preceded). */
typedef void (*JswPgDeferredDone) (const PGresult *result, gpointer data);

void        jsw_pg_store_defer  (JswPgStore *self, const char *sql, const JswPgParams *params,
                                 JswPgDeferredDone done, gpointer data);

typedef gboolean (*JswPgWork) (JswPgStore *self, gpointer data, GPtrArray *events, GError **error);

gboolean    jsw_pg_store_transact (JswPgStore *self, JswPgWork work, gpointer data,
                                   GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_transact_entry (JswPgStore *self, JswPgWork work, gpointer data, JswEntry **entry,
                                         GPtrArray *events, GError **error);
gboolean    jsw_pg_store_read_snapshot (JswPgStore *self, JswPgWork work, gpointer data, GError **error);

char       *jsw_pg_store_random_id (const char *prefix);

/* jsw-pg-store-statements.c, for the object's own parts */
void        jsw_pg_store_init_statements (JswPgStore *self);
void        jsw_pg_store_roll_back (JswPgStore *self);

/* jsw-pg-store-schema.c */
gboolean    jsw_pg_store_migrate (JswPgStore *self, GError **error);

/* An entry's columns, in the order jsw_pg_store_entry_from_row() reads them. */
#define JSW_PG_ENTRY_COLUMNS \
  "id, user_id, job_id, target, state, attempt, percent, step, message, " \
  "claimed_device, claimed_kind, outcome, confirmation, error, screenshot_sha256, " \
  "snapshot, created_at, updated_at, max_step, lease, lease_expires"

enum {
  JSW_PG_COL_ID, JSW_PG_COL_USER_ID, JSW_PG_COL_JOB_ID, JSW_PG_COL_TARGET,
  JSW_PG_COL_STATE, JSW_PG_COL_ATTEMPT, JSW_PG_COL_PERCENT, JSW_PG_COL_STEP,
  JSW_PG_COL_MESSAGE, JSW_PG_COL_CLAIMED_DEVICE, JSW_PG_COL_CLAIMED_KIND,
  JSW_PG_COL_OUTCOME, JSW_PG_COL_CONFIRMATION, JSW_PG_COL_ERROR,
  JSW_PG_COL_SCREENSHOT, JSW_PG_COL_SNAPSHOT, JSW_PG_COL_CREATED_AT,
  JSW_PG_COL_UPDATED_AT, JSW_PG_COL_MAX_STEP, JSW_PG_COL_LEASE,
  JSW_PG_COL_LEASE_EXPIRES,
};

/* The plan a subscription gives now (@now: a bigint parameter), as
 * JSW_SQLITE_PLAN_IN_FORCE says. */
#define JSW_PG_PLAN_IN_FORCE(now) \
  "(CASE WHEN s.status IN ('active', 'trialing', 'past_due') THEN s.plan" \
  " WHEN s.status IN ('canceled', 'unpaid') AND coalesce(s.current_period_end, 0) > " now "::bigint THEN s.plan" \
  " ELSE 'free' END)"

/* A right swipe's call (jsw_pg_store_swipe_right_in_tx()). */
typedef struct {
  const char *user_id;
  JswJob     *job;
  gint64      now;
  gboolean    created;
  JswEntry   *entry;
} JswPgSwipeRight;

gboolean    jsw_pg_store_swipe_right_in_tx  (JswPgStore *self, gpointer data, GPtrArray *events,
                                             GError **error);
gboolean    jsw_pg_store_hide_posting_of_job (JswPgStore *self, const char *user_id, const char *job_id,
                                              gint64 now, GError **error);

/* Accounts (jsw-pg-store-accounts.c) */
char       *jsw_pg_store_create_user        (JswStore *store, const char *email, const char *plan,
                                             const char *password_hash, gint64 now, GError **error);
char       *jsw_pg_store_find_user          (JswStore *store, const char *email, char **password_hash,
                                             GError **error);
gboolean    jsw_pg_store_add_token          (JswStore *store, const char *token_hash, const char *user_id,
                                             JswKind kind, const char *device, gint64 now, GError **error);
JswAuth    *jsw_pg_store_lookup_token       (JswStore *store, const char *token_hash, GError **error);
JswAccount *jsw_pg_store_get_account        (JswStore *store, const char *user_id, gint64 now, GError **error);
gboolean    jsw_pg_store_set_execution_mode (JswStore *store, const char *user_id, JswExecutionMode mode,
                                             GError **error);

/* Plans and quotas (jsw-pg-store-plans.c) */
gboolean    jsw_pg_store_set_subscription   (JswStore *store, const char *user_id, const char *plan,
                                             const char *status, gint64 now, GError **error);
gboolean    jsw_pg_store_set_plan           (JswStore *store, const char *plan, const JswPlanLimits *limits,
                                             GError **error);
GPtrArray  *jsw_pg_store_list_plans         (JswStore *store, GError **error);
GPtrArray  *jsw_pg_store_list_plan_ends     (JswStore *store, gint64 after, gint64 until, GError **error);
gboolean    jsw_pg_store_load_limits        (JswPgStore *self, const char *user_id, gint64 now,
                                             JswPlanLimits *limits, GError **error);
void        jsw_pg_store_read_limits        (const PGresult *result, int row, int first_column,
                                             JswPlanLimits *limits);
gboolean    jsw_pg_store_load_usage         (JswPgStore *self, const char *user_id, gint64 now,
                                             gint64 usage[JSW_N_COUNTERS], GError **error);
gboolean    jsw_pg_store_charge             (JswPgStore *self, const char *user_id, JswCounter counter,
                                             const char *period, gint64 limit, gboolean *spent,
                                             GError **error);
gboolean    jsw_pg_store_give_back_entry    (JswPgStore *self, const char *entry_id,
                                             gboolean server_only, GError **error);

/* Swipes and the queue (jsw-pg-store-entries.c) */
gboolean    jsw_pg_store_record_left_swipe  (JswStore *store, const char *user_id, const char *job_id,
                                             gint64 now, GError **error);
JswEntry   *jsw_pg_store_swipe_right        (JswStore *store, const char *user_id, JswJob *job, gint64 now,
                                             gboolean *created, GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_get_entry          (JswStore *store, const char *user_id, const char *entry_id,
                                             GError **error);
GPtrArray  *jsw_pg_store_list_entries       (JswStore *store, const char *user_id, int state,
                                             GError **error);
JswEntry   *jsw_pg_store_route_entry        (JswStore *store, const char *user_id, const char *entry_id,
                                             JswTarget target, gint64 now, GPtrArray *events,
                                             GError **error);
JswEntry   *jsw_pg_store_cancel_entry       (JswStore *store, const char *user_id, const char *entry_id,
                                             gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_resolve_entry          (JswStore *store, const char *user_id, const char *entry_id,
                                                gboolean sent, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_retry_entry        (JswStore *store, const char *user_id, const char *entry_id,
                                             gint64 now, GPtrArray *events, GError **error);
gboolean    jsw_pg_store_count_by_state     (JswStore *store, gint64 counts[JSW_N_STATES],
                                             GError **error);
JswEntry   *jsw_pg_store_entry_from_row     (const PGresult *result, int row);
JswEntry   *jsw_pg_store_load_entry         (JswPgStore *self, const char *user_id,
                                             const char *entry_id, gboolean for_update, GError **error);

/* Leases (jsw-pg-store-leases.c) */
JswEntry   *jsw_pg_store_claim              (JswStore *store, const JswAuth *auth, const char *entry_id,
                                             gint64 ttl, gint64 now, char **lease, gint64 *expires_at,
                                             GPtrArray *events, GError **error);
gboolean    jsw_pg_store_heartbeat          (JswStore *store, const JswAuth *auth, const char *lease,
                                             gint64 ttl, gint64 now, gint64 *expires_at, GError **error);
JswEntry   *jsw_pg_store_progress           (JswStore *store, const JswAuth *auth, const char *lease,
                                             gint64 percent, JswStep step, const char *message,
                                             gint64 ttl, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_finish             (JswStore *store, const JswAuth *auth, const char *lease,
                                             JswOutcome outcome, const char *confirmation,
                                             const char *error_text, const char *screenshot_sha256,
                                             gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_release            (JswStore *store, const JswAuth *auth, const char *lease,
                                             gint64 now, GPtrArray *events, GError **error);
guint       jsw_pg_store_expire_leases      (JswStore *store, gint64 now, GPtrArray *events,
                                             GError **error);
JswEntry   *jsw_pg_store_check_lease        (JswStore *store, const JswAuth *auth, const char *entry_id,
                                             const char *lease, gint64 now, GError **error);

/* The event log (jsw-pg-store-events.c) */
gint64      jsw_pg_store_current_seq        (JswStore *store, const char *channel, GError **error);
GPtrArray  *jsw_pg_store_events_since       (JswStore *store, const char *channel, gint64 since,
                                             guint limit, gboolean weigh, gboolean *too_old,
                                             GError **error);
GPtrArray  *jsw_pg_store_live_entries       (JswStore *store, const char *channel, GError **error);
gboolean    jsw_pg_store_prune_events       (JswStore *store, const char *const *channels, gint64 keep_count,
                                             gint64 keep_bytes, GError **error);
gboolean    jsw_pg_store_current_seqs       (JswStore *store, const char *const *channels,
                                             gint64 *seqs, GError **error);
JswEntry   *jsw_pg_store_record_change      (JswPgStore *self, const char *entry_id,
                                             GPtrArray *events, GError **error);
JswEntry   *jsw_pg_store_record_entry       (JswPgStore *self, JswEntry *entry, GPtrArray *events);

/* Idempotency-Key (jsw-pg-store-idempotency.c) */
gboolean    jsw_pg_store_idempotency_get    (JswStore *store, const char *user_id, const char *key,
                                             gint64 now, guint *status, char **body,
                                             char **request_sha256, GError **error);
gboolean    jsw_pg_store_idempotency_put    (JswStore *store, const char *user_id, const char *key,
                                             const char *request_sha256, guint status, const char *body,
                                             const char *entry_id, gint64 now, GError **error);
gboolean    jsw_pg_store_idempotency_expire (JswStore *store, gint64 now, GError **error);

/* Job sources (jsw-pg-store-sources.c) */
GPtrArray  *jsw_pg_store_list_sources       (JswStore *store, GError **error);

/* The job feed (jsw-pg-store-sources.c, jsw-pg-store-feed.c) */
gint64      jsw_pg_store_add_source          (JswStore *store, const char *kind, const char *board,
                                              const char *company, const char *base_url, gint64 now,
                                              GError **error);
gboolean    jsw_pg_store_remove_source       (JswStore *store, gint64 source_id, GError **error);
GHashTable *jsw_pg_store_posting_versions    (JswStore *store, gint64 source_id, GError **error);
gboolean    jsw_pg_store_sync_postings       (JswStore *store, gint64 source_id, GPtrArray *postings,
                                              const char *etag, const char *last_modified, gint64 now,
                                              JswSyncCounts *counts, GError **error);
gboolean    jsw_pg_store_claim_source        (JswStore *store, gint64 source_id, gint64 due_by,
                                              gint64 hold_until, gboolean *claimed, GError **error);
gboolean    jsw_pg_store_schedule_source     (JswStore *store, gint64 source_id, gint64 next_sync_at,
                                              GError **error);
gboolean    jsw_pg_store_purge_closed_postings (JswStore *store, gint64 closed_before, guint *purged,
                                                GError **error);
gboolean    jsw_pg_store_sync_failed         (JswStore *store, gint64 source_id, const char *message,
                                              gint64 now, GError **error);
char       *jsw_pg_store_server_secret      (JswStore *store, const char *name, const char *candidate,
                                            GError **error);
JswSearch  *jsw_pg_store_get_search          (JswStore *store, const char *user_id, GError **error);
gboolean    jsw_pg_store_put_search          (JswStore *store, const char *user_id, JswSearch *search,
                                              gint64 now, GError **error);
GPtrArray  *jsw_pg_store_feed_page           (JswStore *store, const char *user_id, const JswSearch *search,
                                              const JswFeedCursor *after, guint limit, GError **error);
JswPostingRecord*jsw_pg_store_get_posting         (JswStore *store, gint64 posting_id, GError **error);
gboolean    jsw_pg_store_left_swipe_posting  (JswStore *store, const char *user_id, gint64 posting_id,
                                              gint64 now, GError **error);
gboolean    jsw_pg_store_forget_left_swipe   (JswStore *store, const char *user_id, gint64 posting_id,
                                              GError **error);
JswEntry   *jsw_pg_store_swipe_right_posting (JswStore *store, const char *user_id, gint64 posting_id,
                                              JswJob *job, gboolean allow_duplicate, gint64 now,
                                              gboolean *created, JswEntry **duplicate,
                                              gint64 *duplicate_posting_id, GPtrArray *events,
                                              GError **error);

/* Stripe events, invoices, operators' figures (jsw-pg-store-billing.c) */
gboolean    jsw_pg_store_apply_billing_event (JswStore *store, const JswBillingEvent *event, gint64 now,
                                              JswBillingOutcome *outcome, char **user_id, GError **error);
JswSubscription*jsw_pg_store_get_subscription    (JswStore *store, const char *user_id, GError **error);
GPtrArray  *jsw_pg_store_usage_report        (JswStore *store, gint64 month_start, gint64 month_end,
                                              gint64 now, GError **error);
gboolean    jsw_pg_store_count_by_state_and_target (JswStore *store, gint64 counts[JSW_N_STATES][3],
                                                    GError **error);
GPtrArray  *jsw_pg_store_list_failed_entries (JswStore *store, guint limit, GError **error);

/* Sealed profiles and resumes (jsw-pg-store-vault.c) */
gboolean    jsw_pg_store_vault_put          (JswStore *store, const char *user_id, const char *kind,
                                             GBytes *sealed, gint64 now, GError **error);
GBytes     *jsw_pg_store_vault_get          (JswStore *store, const char *user_id, const char *kind,
                                             gint64 *updated_at, GError **error);
gboolean    jsw_pg_store_vault_delete       (JswStore *store, const char *user_id, const char *kind,
                                             GError **error);

/* LinkedIn's limits and pauses (jsw-pg-store-linkedin.c) */
JswLinkedinState *jsw_pg_store_linkedin_load (JswStore *store, const char *user_id, gint64 now,
                                              GError **error);
gboolean    jsw_pg_store_linkedin_change    (JswStore *store, const char *user_id, gint64 now,
                                             JswLinkedinChangeFunc func, gpointer data, GError **error);

G_END_DECLS
