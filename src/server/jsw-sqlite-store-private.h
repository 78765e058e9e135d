/* jsw-sqlite-store-private.h: what the SQLite store's parts share
 *
 * The store is one object over one connection, split by concern as
 * Epiphany splits its history service into one file per table around a
 * private header:
 *
 *   jsw-sqlite-store.c              opening, the schema, the interface
 *   jsw-sqlite-store-accounts.c     users, tokens, execution mode
 *   jsw-sqlite-store-plans.c        plans, subscriptions, quotas and usage
 *   jsw-sqlite-store-entries.c      swipes, the queue, a user's transitions
 *   jsw-sqlite-store-leases.c       claims, leases, results, expiry
 *   jsw-sqlite-store-events.c       the event log behind `seq`
 *   jsw-sqlite-store-idempotency.c  Idempotency-Key answers
 *   jsw-sqlite-store-sources.c      job sources and their postings (issue 12)
 *   jsw-sqlite-store-feed.c         searches, the feed, swipes by posting
 *   jsw-sqlite-store-billing.c      Stripe events, invoices, operators' figures
 *   jsw-sqlite-store-vault.c        sealed profiles and resumes
 *   jsw-sqlite-store-linkedin.c     LinkedIn's limits and pauses (the data; jsw-linkedin.c decides)
 *
 * Every write is one jsw_sqlite_begin_write() transaction (or
 * jsw_sqlite_store_begin_change() when it publishes events).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-sqlite.h"
#include "jsw-sqlite-store.h"

G_BEGIN_DECLS

struct _JswSqliteStore
{
  GObject    parent_instance;

  JswSqlite *db;
  gboolean   feed_vocabulary;  /* temp.postings_fts_terms made on this connection */
  GHashTable *term_postings;   /* word -> TermPostings: how many postings hold it, lately */
};

/* An entry's columns, in the order entry_from_row() reads them. */
#define JSW_SQLITE_ENTRY_COLUMNS \
  "id, user_id, job_id, target, state, attempt, percent, step, message, " \
  "claimed_device, claimed_kind, outcome, confirmation, error, screenshot_sha256, " \
  "snapshot, created_at, updated_at, max_step, lease, lease_expires"

enum {
  JSW_SQLITE_COL_ID, JSW_SQLITE_COL_USER_ID, JSW_SQLITE_COL_JOB_ID, JSW_SQLITE_COL_TARGET,
  JSW_SQLITE_COL_STATE, JSW_SQLITE_COL_ATTEMPT, JSW_SQLITE_COL_PERCENT, JSW_SQLITE_COL_STEP,
  JSW_SQLITE_COL_MESSAGE, JSW_SQLITE_COL_CLAIMED_DEVICE, JSW_SQLITE_COL_CLAIMED_KIND,
  JSW_SQLITE_COL_OUTCOME, JSW_SQLITE_COL_CONFIRMATION, JSW_SQLITE_COL_ERROR,
  JSW_SQLITE_COL_SCREENSHOT, JSW_SQLITE_COL_SNAPSHOT, JSW_SQLITE_COL_CREATED_AT,
  JSW_SQLITE_COL_UPDATED_AT, JSW_SQLITE_COL_MAX_STEP, JSW_SQLITE_COL_LEASE,
  JSW_SQLITE_COL_LEASE_EXPIRES,
};

char     *jsw_sqlite_store_random_id           (const char      *prefix);

/* The plan in force, as an SQL expression over the subscription row `s`
 * and the parameter holding now (µs): see JswSubscription. */
#define JSW_SQLITE_PLAN_IN_FORCE(now) \
  "(CASE WHEN s.status IN ('active', 'trialing', 'past_due') THEN s.plan" \
  " WHEN s.status IN ('canceled', 'unpaid') AND coalesce(s.current_period_end, 0) > " now " THEN s.plan" \
  " ELSE 'free' END)"

/* Accounts (jsw-sqlite-store-accounts.c) */
char       *jsw_sqlite_store_create_user        (JswStore *store, const char *email, const char *plan,
                                                 const char *password_hash, gint64 now, GError **error);
char       *jsw_sqlite_store_find_user          (JswStore *store, const char *email, char **password_hash,
                                                 GError **error);
gboolean    jsw_sqlite_store_add_token          (JswStore *store, const char *token_hash, const char *user_id,
                                                 JswKind kind, const char *device, gint64 now, GError **error);
JswAuth    *jsw_sqlite_store_lookup_token       (JswStore *store, const char *token_hash, GError **error);
JswAccount *jsw_sqlite_store_get_account        (JswStore *store, const char *user_id, gint64 now, GError **error);
gboolean    jsw_sqlite_store_set_execution_mode (JswStore *store, const char *user_id, JswExecutionMode mode,
                                                 GError **error);
gboolean    jsw_sqlite_store_load_execution_mode (JswSqliteStore *self, const char *user_id,
                                                  JswExecutionMode *mode, GError **error);

/* Plans and quotas (jsw-sqlite-store-plans.c) */
gboolean    jsw_sqlite_store_set_subscription   (JswStore *store, const char *user_id, const char *plan,
                                                 const char *status, gint64 now, GError **error);
gboolean    jsw_sqlite_store_set_plan           (JswStore *store, const char *plan, const JswPlanLimits *limits,
                                                 GError **error);
GPtrArray  *jsw_sqlite_store_list_plans         (JswStore *store, GError **error);
gboolean    jsw_sqlite_store_load_limits        (JswSqliteStore *self, const char *user_id, gint64 now,
                                                 JswPlanLimits *limits, GError **error);
gboolean    jsw_sqlite_store_load_usage         (JswSqliteStore *self, const char *user_id, gint64 now,
                                                 gint64 usage[JSW_N_COUNTERS], GError **error);
gboolean    jsw_sqlite_store_charge             (JswSqliteStore *self, const char *user_id, JswCounter counter,
                                                 const char *period, gint64 limit, gboolean *spent,
                                                 GError **error);
gboolean    jsw_sqlite_store_give_back_entry    (JswSqliteStore *self, const char *entry_id,
                                                 gboolean server_only, GError **error);

/* Swipes and the queue (jsw-sqlite-store-entries.c) */
gboolean    jsw_sqlite_store_record_left_swipe  (JswStore *store, const char *user_id, const char *job_id,
                                                 gint64 now, GError **error);
JswEntry   *jsw_sqlite_store_swipe_right        (JswStore *store, const char *user_id, JswJob *job, gint64 now,
                                                 gboolean *created, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_swipe_right_in     (JswSqliteStore *self, JswSqliteTransaction *tx,
                                                 const char *user_id, JswJob *job, gint64 now,
                                                 gboolean *created, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_get_entry          (JswStore *store, const char *user_id, const char *entry_id,
                                                 GError **error);
GPtrArray  *jsw_sqlite_store_list_entries       (JswStore *store, const char *user_id, int state,
                                                 GError **error);
JswEntry   *jsw_sqlite_store_route_entry        (JswStore *store, const char *user_id, const char *entry_id,
                                                 JswTarget target, gint64 now, GPtrArray *events,
                                                 GError **error);
JswEntry   *jsw_sqlite_store_cancel_entry       (JswStore *store, const char *user_id, const char *entry_id,
                                                 gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_resolve_entry      (JswStore *store, const char *user_id, const char *entry_id,
                                                gboolean sent, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_retry_entry        (JswStore *store, const char *user_id, const char *entry_id,
                                                 gint64 now, GPtrArray *events, GError **error);
gboolean    jsw_sqlite_store_count_by_state     (JswStore *store, gint64 counts[JSW_N_STATES],
                                                 GError **error);
JswEntry   *jsw_sqlite_store_entry_from_row     (sqlite3_stmt *stmt);
JswEntry   *jsw_sqlite_store_load_entry         (JswSqliteStore *self, const char *user_id,
                                                 const char *entry_id, GError **error);
GPtrArray  *jsw_sqlite_store_read_entries       (JswSqliteStore *self, sqlite3_stmt *stmt,
                                                 GError **error);

/* Leases (jsw-sqlite-store-leases.c) */
JswEntry   *jsw_sqlite_store_claim              (JswStore *store, const JswAuth *auth, const char *entry_id,
                                                 gint64 ttl, gint64 now, char **lease, gint64 *expires_at,
                                                 GPtrArray *events, GError **error);
gboolean    jsw_sqlite_store_heartbeat          (JswStore *store, const JswAuth *auth, const char *lease,
                                                 gint64 ttl, gint64 now, gint64 *expires_at, GError **error);
JswEntry   *jsw_sqlite_store_progress           (JswStore *store, const JswAuth *auth, const char *lease,
                                                 gint64 percent, JswStep step, const char *message,
                                                 gint64 ttl, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_finish             (JswStore *store, const JswAuth *auth, const char *lease,
                                                 JswOutcome outcome, const char *confirmation,
                                                 const char *error_text, const char *screenshot_sha256,
                                                 gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_release            (JswStore *store, const JswAuth *auth, const char *lease,
                                                 gint64 now, GPtrArray *events, GError **error);
guint       jsw_sqlite_store_expire_leases      (JswStore *store, gint64 now, GPtrArray *events,
                                                 GError **error);
JswEntry   *jsw_sqlite_store_check_lease        (JswStore *store, const JswAuth *auth, const char *entry_id,
                                                 const char *lease, gint64 now, GError **error);

/* The event log (jsw-sqlite-store-events.c) */
gint64      jsw_sqlite_store_current_seq        (JswStore *store, const char *channel, GError **error);
GPtrArray  *jsw_sqlite_store_events_since       (JswStore *store, const char *channel, gint64 since,
                                                 guint limit, gboolean weigh, gboolean *too_old,
                                                 GError **error);
GPtrArray  *jsw_sqlite_store_live_entries       (JswStore *store, const char *channel, GError **error);
gboolean    jsw_sqlite_store_prune_events       (JswStore *store, const char *const *channels, gint64 keep_count,
                                                 gint64 keep_bytes, GError **error);
JswSqliteTransaction *jsw_sqlite_store_begin_change (JswSqliteStore *self, GPtrArray *events,
                                                     GError **error);
JswEntry   *jsw_sqlite_store_record_change      (JswSqliteStore *self, const char *entry_id,
                                                 GPtrArray *events, GError **error);
JswEntry   *jsw_sqlite_store_commit_change      (JswSqliteStore *self, JswSqliteTransaction *tx,
                                                 const char *entry_id, GPtrArray *events, GError **error);

/* Billing and operators' figures (jsw-sqlite-store-billing.c) */
gboolean    jsw_sqlite_store_apply_billing_event (JswStore *store, const JswBillingEvent *event, gint64 now,
                                                  JswBillingOutcome *outcome, char **user_id, GError **error);
JswSubscription *jsw_sqlite_store_get_subscription (JswStore *store, const char *user_id, GError **error);
GPtrArray  *jsw_sqlite_store_usage_report       (JswStore *store, gint64 month_start, gint64 month_end,
                                                 gint64 now, GError **error);
gboolean    jsw_sqlite_store_count_by_state_and_target (JswStore *store, gint64 counts[JSW_N_STATES][3],
                                                        GError **error);
GPtrArray  *jsw_sqlite_store_list_failed_entries (JswStore *store, guint limit, GError **error);
GPtrArray  *jsw_sqlite_store_list_plan_ends     (JswStore *store, gint64 after, gint64 until, GError **error);

/* Idempotency-Key (jsw-sqlite-store-idempotency.c) */
gboolean    jsw_sqlite_store_idempotency_get    (JswStore *store, const char *user_id, const char *key,
                                                 gint64 now, guint *status, char **body,
                                                 char **request_sha256, GError **error);
gboolean    jsw_sqlite_store_idempotency_put    (JswStore *store, const char *user_id, const char *key,
                                                 const char *request_sha256, guint status, const char *body,
                                                 const char *entry_id, gint64 now, GError **error);
gboolean    jsw_sqlite_store_idempotency_expire (JswStore *store, gint64 now, GError **error);

/* Job sources (jsw-sqlite-store-sources.c) */
gint64      jsw_sqlite_store_add_source         (JswStore *store, const char *kind, const char *board,
                                                 const char *company, const char *base_url, gint64 now,
                                                 GError **error);
GPtrArray  *jsw_sqlite_store_list_sources       (JswStore *store, GError **error);
gboolean    jsw_sqlite_store_remove_source      (JswStore *store, gint64 source_id, GError **error);
GHashTable *jsw_sqlite_store_posting_versions   (JswStore *store, gint64 source_id, GError **error);
gboolean    jsw_sqlite_store_sync_postings      (JswStore *store, gint64 source_id, GPtrArray *postings,
                                                 const char *etag, const char *last_modified, gint64 now,
                                                 JswSyncCounts *counts, GError **error);
gboolean    jsw_sqlite_store_claim_source       (JswStore *store, gint64 source_id, gint64 due_by,
                                                 gint64 hold_until, gboolean *claimed, GError **error);
gboolean    jsw_sqlite_store_schedule_source    (JswStore *store, gint64 source_id, gint64 next_sync_at,
                                                 GError **error);
gboolean    jsw_sqlite_store_purge_closed_postings (JswStore *store, gint64 closed_before, guint *purged,
                                                    GError **error);
gboolean    jsw_sqlite_store_sync_failed        (JswStore *store, gint64 source_id, const char *message,
                                                 gint64 now, GError **error);

/* The feed (jsw-sqlite-store-feed.c) */
gboolean    jsw_sqlite_store_init_feed          (JswSqliteStore *self, GError **error);

/* A set of ids the feed's queries test with jsw_in_set(SET, ID), SET
 * bound with sqlite3_bind_pointer (stmt, n, set, JSW_ID_SET_POINTER,
 * NULL) (jsw-sqlite-store-feed-sets.c). */
typedef struct {
  guint64 *words;
  gsize    n_words;
} JswIdSet;

#define JSW_ID_SET_POINTER "jsw_id_set"

void        jsw_id_set_free                     (JswIdSet *set);
JswIdSet   *jsw_id_set_read                     (JswSqliteStore *self, const char *sql, const char *text,
                                                 GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswIdSet, jsw_id_set_free)
char       *jsw_sqlite_store_server_secret      (JswStore *store, const char *name, const char *candidate,
                                                GError **error);
JswSearch  *jsw_sqlite_store_get_search         (JswStore *store, const char *user_id, GError **error);
gboolean    jsw_sqlite_store_put_search         (JswStore *store, const char *user_id, JswSearch *search,
                                                 gint64 now, GError **error);
GPtrArray  *jsw_sqlite_store_feed_page          (JswStore *store, const char *user_id, const JswSearch *search,
                                                 const JswFeedCursor *after, guint limit, GError **error);
JswPostingRecord *jsw_sqlite_store_get_posting  (JswStore *store, gint64 posting_id, GError **error);
gboolean    jsw_sqlite_store_left_swipe_posting (JswStore *store, const char *user_id, gint64 posting_id,
                                                 gint64 now, GError **error);
gboolean    jsw_sqlite_store_forget_left_swipe  (JswStore *store, const char *user_id, gint64 posting_id,
                                                 GError **error);
JswEntry   *jsw_sqlite_store_swipe_right_posting (JswStore *store, const char *user_id, gint64 posting_id,
                                                  JswJob *job, gboolean allow_duplicate, gint64 now,
                                                  gboolean *created, JswEntry **duplicate,
                                                  gint64 *duplicate_posting_id, GPtrArray *events,
                                                  GError **error);
/* Sealed profiles and resumes (jsw-sqlite-store-vault.c) */
gboolean    jsw_sqlite_store_vault_put          (JswStore *store, const char *user_id, const char *kind,
                                                 GBytes *sealed, gint64 now, GError **error);
GBytes     *jsw_sqlite_store_vault_get          (JswStore *store, const char *user_id, const char *kind,
                                                 gint64 *updated_at, GError **error);
gboolean    jsw_sqlite_store_vault_delete       (JswStore *store, const char *user_id, const char *kind,
                                                 GError **error);
/* LinkedIn's limits and pauses (jsw-sqlite-store-linkedin.c) */
JswLinkedinState *jsw_sqlite_store_linkedin_load (JswStore *store, const char *user_id, gint64 now,
                                                  GError **error);
gboolean    jsw_sqlite_store_linkedin_change    (JswStore *store, const char *user_id, gint64 now,
                                                 JswLinkedinChangeFunc func, gpointer data, GError **error);

G_END_DECLS
