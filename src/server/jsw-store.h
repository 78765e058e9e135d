/* jsw-store.h: what the server needs from its database
 *
 * Every rule that must hold across processes (one live entry per job, one
 * winner per claim, quotas that never overshoot, leases) is enforced inside
 * the store, in one transaction, never in the caller. The SQLite store is
 * the default; a PostgreSQL store implements the same interface.
 *
 * Every mutating call appends the changes it made to @events (JswEvent), in
 * the order they were made, for the caller to push to the streams.
 *
 * Times are µs since the epoch, passed in so tests can inject a clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-common.h"
#include "jsw-linkedin.h"

G_BEGIN_DECLS

#define JSW_STORE_WORKERS_CHANNEL "workers"

/* Who is calling: what a token resolves to. */
typedef struct {
  char    *user_id;  /* NULL for worker tokens */
  JswKind  kind;
  char    *device;
  char    *token_hash;  /* the token's identity: a lease is bound to it */
} JswAuth;

/* -1 means unlimited (`null` on the wire). */
typedef struct {
  gint64 limit[JSW_N_COUNTERS];
} JswPlanLimits;

typedef struct {
  char             *user_id;
  char             *email;
  char             *plan;                 /* the plan in force (see JswSubscription) */
  char             *subscription_status;
  JswExecutionMode  execution_mode;
  JswPlanLimits     limits;
  gint64            usage[JSW_N_COUNTERS];
  gint64            current_period_end;   /* µs; 0: none (no paid subscription) */
  gboolean          cancel_at_period_end;
  gboolean          has_billing_customer; /* a Stripe customer is recorded: the portal can open */
} JswAccount;

/* A user's subscription row, as the Stripe webhooks keep it. The plan in
 * force follows the status (issue 14): `incomplete` and
 * `incomplete_expired` are `free` (nothing was paid); `canceled` and
 * `unpaid` keep the plan until current_period_end, then are `free`;
 * `active`, `trialing` and `past_due` keep the plan. */
typedef struct {
  char     *user_id;
  char     *plan;                 /* as stored, whatever the status */
  char     *status;
  char     *stripe_customer;      /* (nullable) cus_… */
  char     *stripe_subscription;  /* (nullable) sub_… */
  char     *stripe_price;         /* (nullable) price_… */
  gint64    current_period_start; /* µs; 0: unknown */
  gint64    current_period_end;   /* µs; 0: unknown */
  gboolean  cancel_at_period_end;
  gint64    event_created;        /* µs: `created` of the newest Stripe event applied; 0: none */
} JswSubscription;

/* One verified Stripe event, reduced to what the store acts on. Every
 * string may be NULL where the event does not carry it. */
typedef struct {
  const char *event_id;             /* evt_…: applied at most once */
  const char *signature;            /* the delivery's v1 signature: the same one again is a replay */
  const char *event_type;
  gint64      created;              /* µs */
  const char *user_id;              /* metadata.user_id (or client_reference_id) */
  const char *customer;             /* recorded on the user when none is yet */
  gboolean    customer_from_checkout; /* checkout.session.completed: replaces the recorded one */
  /* The subscription change; none when subscription or status is NULL. */
  const char *subscription;
  const char *status;
  const char *plan;                 /* NULL: keeps the stored plan */
  const char *price;
  gint64      period_start;         /* µs; 0: not in the event */
  gint64      period_end;           /* µs; 0: not in the event */
  gboolean    cancel_at_period_end;
  /* The invoice recorded for revenue; none when invoice is NULL. */
  const char *invoice;
  const char *invoice_status;       /* `paid`, `open`, … */
  gint64      amount_paid;          /* in the currency's smallest unit (cents) */
  const char *currency;             /* ISO 4217, lower case */
  gint64      paid_at;              /* µs; 0: not paid */
} JswBillingEvent;

typedef enum {
  JSW_BILLING_APPLIED,    /* the subscription changed, or an invoice was recorded */
  JSW_BILLING_DUPLICATE,  /* the event id was seen before: nothing done */
  JSW_BILLING_STALE,      /* older than what is stored: recorded, nothing changed */
  JSW_BILLING_NO_USER,    /* no user matches: recorded, nothing changed */
  JSW_BILLING_REPLAYED,   /* this very delivery (same signature) was taken before: nothing done */
} JswBillingOutcome;

/* One plan's line of the usage report, for the month asked for. Users are
 * counted by the plan in force now; entries by their creation month. */
typedef struct {
  char   *plan;
  gint64  users;
  gint64  paying_users;     /* with a Stripe subscription that is active, trialing or past_due */
  gint64  server_entries;   /* entries created this month with target server */
  gint64  desktop_entries;  /* ... with target desktop */
  gint64  finished;         /* submitted, failed, needs_user or needs_review */
  gint64  submitted;
  gint64  needs_you;        /* needs_user or needs_review */
  GHashTable *revenue;      /* currency -> gint64* amount (smallest unit), invoices paid this month */
} JswPlanUsage;

/* A failed entry, for the operator's page. */
typedef struct {
  char   *entry_id;
  char   *email;
  char   *job_id;
  char   *target;
  char   *error;
  gint64  updated_at;  /* µs */
} JswFailedEntry;

/* One change of one entry, as seen on one channel: a user's own channel
 * ("u:<user id>") or the workers' channel. */
typedef struct {
  char   *channel;
  gint64  seq;
  char   *entry_json;
} JswEvent;

void        jsw_auth_free      (JswAuth    *auth);
void        jsw_account_free   (JswAccount *account);
void        jsw_subscription_free (JswSubscription *subscription);
const char *jsw_billing_outcome_to_string (JswBillingOutcome outcome);
void        jsw_plan_usage_free   (JswPlanUsage    *usage);
void        jsw_failed_entry_free (JswFailedEntry  *entry);
gboolean    jsw_billing_event_is_stale (const JswSubscription *stored, const JswBillingEvent *event);
JswPlanUsage *jsw_plan_usage_line (GPtrArray *lines, const char *plan);

/* One store's statements for applying a Stripe event, in the caller's
 * write transaction (jsw_store_apply_billing_event_with()); each fails
 * with @error set on a store error. */
typedef struct {
  /* records the event's id; *fresh: it was not there */
  gboolean         (*insert_event)        (gpointer store, const JswBillingEvent *event, gint64 now,
                                           gboolean *fresh, GError **error);
  char            *(*event_signature)     (gpointer store, const char *event_id, GError **error);
  /* the user, or NULL (no error) when none matches */
  char            *(*user_named)          (gpointer store, const char *user_id, GError **error);
  char            *(*user_of_customer)    (gpointer store, const char *customer, GError **error);
  /* the user's subscription, locked against other events until the end */
  JswSubscription *(*load_subscription)   (gpointer store, const char *user_id, GError **error);
  gboolean         (*record_customer)     (gpointer store, const char *user_id, const JswBillingEvent *event,
                                           GError **error);
  gboolean         (*record_invoice)      (gpointer store, const char *user_id, const JswBillingEvent *event,
                                           gint64 now, GError **error);
  gboolean         (*note_newest_created) (gpointer store, const char *user_id, const JswBillingEvent *event,
                                           GError **error);
  /* @same: the event is about the stored subscription; *updated FALSE
   * when the event's plan does not exist */
  gboolean         (*update_subscription) (gpointer store, const char *user_id, const JswBillingEvent *event,
                                           gboolean same, gint64 now, gboolean *updated, GError **error);
  gboolean         (*note_outcome)        (gpointer store, const char *event_id, const char *user_id,
                                           JswBillingOutcome outcome, GError **error);
} JswBillingWrites;

gboolean    jsw_store_apply_billing_event_with (const JswBillingWrites *writes, gpointer store,
                                                const JswBillingEvent *event, gint64 now,
                                                JswBillingOutcome *outcome, char **user_id, GError **error);
void        jsw_event_free     (JswEvent   *event);
char       *jsw_event_to_frame (JswEvent   *event);
char       *jsw_store_user_channel (const char *user_id);
GPtrArray  *jsw_event_list_new (void);
JswEvent   *jsw_event_new_from_log (const char *channel, gint64 seq, const char *stored_json,
                                    gboolean spliced, const char *snapshot);

/* One store's reads of its event log, for jsw_store_read_events_since();
 * each answers -1 (or FALSE) with @error set on a store error. */
typedef struct {
  gint64   (*current_seq)  (gpointer store, const char *channel, GError **error);
  gint64   (*oldest_seq)   (gpointer store, const char *channel, gint64 if_none, GError **error);
  /* what the events after @since weigh, snapshots spliced */
  gint64   (*replay_bytes) (gpointer store, const char *channel, gint64 since, GError **error);
  /* what the channel's live entries weigh (what a sync sends) */
  gint64   (*sync_bytes)   (gpointer store, const char *channel, GError **error);
  /* appends the events after @since, oldest first, at most @limit (0: all) */
  gboolean (*read)         (gpointer store, const char *channel, gint64 since, guint limit,
                            GPtrArray *events, GError **error);
} JswEventLogReads;

gboolean    jsw_store_read_events_since (const JswEventLogReads *reads, gpointer store, const char *channel,
                                         gint64 since, guint limit, gboolean weigh, GPtrArray *events,
                                         gboolean *too_old, GError **error);

char       *jsw_store_random_id (const char *prefix);
gboolean    jsw_store_quota_error (JswCounter counter, GError **error);

/* One store's conditional quota charge (jsw_sqlite_store_charge(),
 * jsw_pg_store_charge()): counts one use of @counter in @period while it is
 * below @limit; *spent is TRUE when the limit was already reached. */
typedef gboolean (*JswStoreChargeFunc) (gpointer    store,
                                        const char *user_id,
                                        JswCounter  counter,
                                        const char *period,
                                        gint64      limit,
                                        gboolean   *spent,
                                        GError    **error);
gboolean    jsw_store_new_entry_charges_server (JswExecutionMode mode, JswJob *job);
gboolean    jsw_store_route_new_entry (JswStoreChargeFunc   charge,
                                       gpointer             store,
                                       const char          *user_id,
                                       JswJob              *job,
                                       JswExecutionMode     mode,
                                       const JswPlanLimits *limits,
                                       const char          *month,
                                       JswTarget           *target,
                                       gboolean            *charged_server,
                                       GError             **error);
gboolean    jsw_store_may_use_lease (const JswAuth *auth, const JswEntry *entry, const char *claimed_token,
                                     GError **error);

/* What a store found for a lease (jsw-store-leases.c). */
typedef struct {
  JswEntry *entry;          /* NULL: no entry holds the lease */
  gint64    expires;        /* µs; -1: the lease is over (a result came) */
  gint64    max_step;       /* the furthest step the attempt reported */
  char     *claimed_token;  /* (nullable) the hash of the token that claimed it */
} JswLeaseHolder;

void        jsw_lease_holder_clear (JswLeaseHolder *holder);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JswLeaseHolder, jsw_lease_holder_clear)

/* One store's read of the entry that holds @lease, live or finished, inside
 * the caller's write transaction: fills @holder (its entry NULL when none
 * does); FALSE only on a store error. */
typedef gboolean (*JswStoreLeaseLoadFunc) (gpointer        store,
                                           const char     *lease,
                                           JswLeaseHolder *holder,
                                           GError        **error);
char       *jsw_store_entry_id_of_lease    (const char *lease);
gboolean    jsw_store_check_live_lease     (JswStoreLeaseLoadFunc load, gpointer store, const JswAuth *auth,
                                            const char *lease, gint64 now, JswEntry **entry_out,
                                            gint64 *max_step, GError **error);
gboolean    jsw_store_is_repeated_result   (const JswEntry *entry, JswOutcome outcome, const GError *lease_error);
gboolean    jsw_store_check_progress       (const JswEntry *entry, gint64 percent, GError **error);
gboolean    jsw_store_check_lease_is_entrys (const JswEntry *entry, const char *entry_id, GError **error);
void        jsw_store_explain_failed_claim (const JswAuth *auth, const JswEntry *entry, GError *load_error,
                                            GError **error);
JswState    jsw_store_state_after_lease    (gint64 max_step, gint64 attempt_increment, gint64 *attempts);

/* Changes other processes made to a store they share with this one, in
 * the order they were committed. An event's entry_json is NULL when the
 * announcement could not carry it (read it with events_since()). An event
 * with seq 0 is no change of the log: the account of the channel's person
 * changed (jsw_store_announce_account()). */
typedef void (*JswStoreChangesFunc) (GPtrArray *events,
                                     gpointer   user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswAuth, jsw_auth_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswAccount, jsw_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswEvent, jsw_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswSubscription, jsw_subscription_free)

/* How long an Idempotency-Key answer is kept (as Stripe keeps them), and
 * how many a user may have at once; past either, the oldest are forgotten
 * (a swipe repeated after that finds its live entry anyway). */
#define JSW_IDEMPOTENCY_TTL           (24 * G_TIME_SPAN_HOUR)
#define JSW_IDEMPOTENCY_KEPT_PER_USER 1000

/* Left swipes kept per user (a record nothing reads back yet); the oldest
 * go first, so one user's stream of swipes cannot grow the database. */
#define JSW_LEFT_SWIPES_KEPT_PER_USER 10000


/* The job feed (issue 12; docs/server.md "The job feed") */

/* A source as the store keeps it. */
typedef struct {
  gint64  id;
  char   *kind;
  char   *board;
  char   *company;         /* NULL: the board's own name */
  char   *base_url;        /* NULL: the kind's */
  char   *etag;            /* the validators of the last list read */
  char   *last_modified;
  gint64  last_sync_at;    /* µs, 0: never tried */
  gint64  last_success_at; /* µs, 0: never */
  char   *last_error;
  gint64  failures;        /* in a row, since the last success */
  gint64  open_postings;
  gint64  next_sync_at;    /* µs, when the schedule syncs it next; 0: soon */
} JswSource;

/* How long a posting gone from its board (closed) is kept before it is
 * purged: entries keep their own frozen snapshot, and a month covers a
 * board that drops a posting for a while and lists it again. */
#define JSW_CLOSED_POSTINGS_KEPT (30 * G_TIME_SPAN_DAY)

/* What one sync changed. */
typedef struct {
  guint added;
  guint updated;
  guint unchanged;
  guint closed;
} JswSyncCounts;

/* A person's search; arrays NULL-terminated, never NULL. */
typedef struct {
  char    **keywords;
  char    **exclude_keywords;
  char    **locations;
  char    **employment_types;
  char    **exclude_companies;
  gboolean  remote_only;
  gint64    updated_at;    /* µs, 0: never saved */
} JswSearch;

/* Where a page of the feed ended: the last posting's place in the order. */
typedef struct {
  gint64 updated_at;       /* the search it was made under */
  int    tier;             /* 0: a keyword in the title, 1: only in the description */
  gint64 sort_at;          /* posted_at, else first seen, µs */
  gint64 posting_id;
} JswFeedCursor;

typedef struct {
  gint64  posting_id;
  int     tier;
  gint64  sort_at;
  char   *job_json;        /* the JOB */
  char   *questions_json;  /* a JSON array, or NULL when unknown */
} JswFeedItem;

/* A stored posting, as a swipe needs it. */
typedef struct {
  gint64    posting_id;
  gboolean  open;
  char     *job_id;
  char     *job_json;
} JswPostingRecord;

void        jsw_source_free         (JswSource        *source);
void        jsw_search_free         (JswSearch        *search);
JswSearch  *jsw_search_new_empty    (void);
void        jsw_feed_item_free      (JswFeedItem      *item);
void        jsw_posting_record_free (JswPostingRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswSource, jsw_source_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswSearch, jsw_search_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswFeedItem, jsw_feed_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswPostingRecord, jsw_posting_record_free)

/* Two postings of one company whose titles read the same, posted at most
 * this far apart, are likely one job (posted per city, or again). */
#define JSW_DUPLICATE_WINDOW (30 * G_TIME_SPAN_DAY)

#define JSW_TYPE_STORE (jsw_store_get_type ())

G_DECLARE_INTERFACE (JswStore, jsw_store, JSW, STORE, GObject)

struct _JswStoreInterface
{
  GTypeInterface parent_iface;

  /* Accounts and tokens */
  char       *(*create_user)        (JswStore *self, const char *email, const char *plan,
                                     const char *password_hash, gint64 now, GError **error);
  char       *(*find_user)          (JswStore *self, const char *email, char **password_hash,
                                     GError **error);
  gboolean    (*add_token)          (JswStore *self, const char *token_hash, const char *user_id,
                                     JswKind kind, const char *device, gint64 now, GError **error);
  JswAuth    *(*lookup_token)       (JswStore *self, const char *token_hash, GError **error);
  JswAccount *(*get_account)        (JswStore *self, const char *user_id, gint64 now, GError **error);
  gboolean    (*set_execution_mode) (JswStore *self, const char *user_id, JswExecutionMode mode,
                                     GError **error);
  gboolean    (*set_subscription)   (JswStore *self, const char *user_id, const char *plan,
                                     const char *status, gint64 now, GError **error);
  gboolean    (*set_plan)           (JswStore *self, const char *plan, const JswPlanLimits *limits,
                                     GError **error);
  GPtrArray  *(*list_plans)         (JswStore *self, GError **error);

  /* Swipes and the queue */
  gboolean    (*record_left_swipe)  (JswStore *self, const char *user_id, const char *job_id,
                                     gint64 now, GError **error);
  JswEntry   *(*swipe_right)        (JswStore *self, const char *user_id, JswJob *job, gint64 now,
                                     gboolean *created, GPtrArray *events, GError **error);
  JswEntry   *(*get_entry)          (JswStore *self, const char *user_id, const char *entry_id,
                                     GError **error);
  GPtrArray  *(*list_entries)       (JswStore *self, const char *user_id, int state, GError **error);
  JswEntry   *(*route_entry)        (JswStore *self, const char *user_id, const char *entry_id,
                                     JswTarget target, gint64 now, GPtrArray *events, GError **error);
  JswEntry   *(*cancel_entry)       (JswStore *self, const char *user_id, const char *entry_id,
                                     gint64 now, GPtrArray *events, GError **error);
  JswEntry   *(*retry_entry)        (JswStore *self, const char *user_id, const char *entry_id,
                                     gint64 now, GPtrArray *events, GError **error);
  JswEntry   *(*resolve_entry)      (JswStore *self, const char *user_id, const char *entry_id,
                                     gboolean sent, gint64 now, GPtrArray *events, GError **error);

  /* Leases */
  JswEntry   *(*claim)              (JswStore *self, const JswAuth *auth, const char *entry_id,
                                     gint64 ttl, gint64 now, char **lease, gint64 *expires_at,
                                     GPtrArray *events, GError **error);
  gboolean    (*heartbeat)          (JswStore *self, const JswAuth *auth, const char *lease,
                                     gint64 ttl, gint64 now, gint64 *expires_at, GError **error);
  JswEntry   *(*progress)           (JswStore *self, const JswAuth *auth, const char *lease,
                                     gint64 percent, JswStep step, const char *message,
                                     gint64 ttl, gint64 now, GPtrArray *events, GError **error);
  JswEntry   *(*finish)             (JswStore *self, const JswAuth *auth, const char *lease,
                                     JswOutcome outcome, const char *confirmation,
                                     const char *error_text, const char *screenshot_sha256,
                                     gint64 now, GPtrArray *events, GError **error);
  JswEntry   *(*release)            (JswStore *self, const JswAuth *auth, const char *lease,
                                     gint64 now, GPtrArray *events, GError **error);
  guint       (*expire_leases)      (JswStore *self, gint64 now, GPtrArray *events, GError **error);

  /* The event log behind `seq` */
  gint64      (*current_seq)        (JswStore *self, const char *channel, GError **error);
  GPtrArray  *(*events_since)       (JswStore *self, const char *channel, gint64 since,
                                     guint limit, gboolean weigh, gboolean *too_old, GError **error);
  GPtrArray  *(*live_entries)       (JswStore *self, const char *channel, GError **error);
  gboolean    (*prune_events)       (JswStore *self, const char *const *channels, gint64 keep_count,
                                     gint64 keep_bytes, GError **error);

  /* Idempotency-Key */
  gboolean    (*idempotency_get)    (JswStore *self, const char *user_id, const char *key,
                                     gint64 now, guint *status, char **body, char **request_sha256,
                                     GError **error);
  gboolean    (*idempotency_put)    (JswStore *self, const char *user_id, const char *key,
                                     const char *request_sha256, guint status, const char *body,
                                     const char *entry_id, gint64 now, GError **error);
  gboolean    (*idempotency_expire) (JswStore *self, gint64 now, GError **error);

  /* Operators */
  gboolean    (*count_by_state)     (JswStore *self, gint64 counts[JSW_N_STATES], GError **error);

  /* Several processes on one store (optional: a store only one process
   * writes leaves watch NULL; current_seqs defaults to current_seq) */
  gboolean    (*current_seqs)       (JswStore *self, const char *const *channels, gint64 *seqs,
                                     GError **error);
  gboolean    (*watch)              (JswStore *self, JswStoreChangesFunc func, gpointer user_data,
                                     GError **error);
  void        (*unwatch)            (JswStore *self);
  gboolean    (*announce_account)   (JswStore *self, const char *user_id, GError **error);

  /* The job feed. @postings are JswPosting (sources/jsw-posting.h). */
  gint64      (*add_source)         (JswStore *self, const char *kind, const char *board, const char *company,
                                     const char *base_url, gint64 now, GError **error);
  GPtrArray  *(*list_sources)       (JswStore *self, GError **error);
  gboolean    (*remove_source)      (JswStore *self, gint64 source_id, GError **error);
  GHashTable *(*posting_versions)   (JswStore *self, gint64 source_id, GError **error);
  gboolean    (*sync_postings)      (JswStore *self, gint64 source_id, GPtrArray *postings,
                                     const char *etag, const char *last_modified, gint64 now,
                                     JswSyncCounts *counts, GError **error);
  gboolean    (*sync_failed)        (JswStore *self, gint64 source_id, const char *message, gint64 now,
                                     GError **error);
  gboolean    (*schedule_source)    (JswStore *self, gint64 source_id, gint64 next_sync_at, GError **error);
  gboolean    (*claim_source)       (JswStore *self, gint64 source_id, gint64 due_by, gint64 hold_until,
                                     gboolean *claimed, GError **error);
  gboolean    (*purge_closed_postings) (JswStore *self, gint64 closed_before, guint *purged, GError **error);
  JswSearch  *(*get_search)         (JswStore *self, const char *user_id, GError **error);
  gboolean    (*put_search)         (JswStore *self, const char *user_id, JswSearch *search, gint64 now,
                                     GError **error);
  GPtrArray  *(*feed_page)          (JswStore *self, const char *user_id, const JswSearch *search,
                                     const JswFeedCursor *after, guint limit, GError **error);
  JswPostingRecord *(*get_posting)  (JswStore *self, gint64 posting_id, GError **error);
  gboolean    (*left_swipe_posting) (JswStore *self, const char *user_id, gint64 posting_id, gint64 now,
                                     GError **error);
  gboolean    (*forget_left_swipe)  (JswStore *self, const char *user_id, gint64 posting_id, GError **error);
  JswEntry   *(*swipe_right_posting) (JswStore *self, const char *user_id, gint64 posting_id, JswJob *job,
                                      gboolean allow_duplicate, gint64 now, gboolean *created,
                                      JswEntry **duplicate, gint64 *duplicate_posting_id,
                                      GPtrArray *events, GError **error);
  /* Billing (Stripe) and the operator's usage figures */
  gboolean         (*apply_billing_event) (JswStore *self, const JswBillingEvent *event, gint64 now,
                                           JswBillingOutcome *outcome, char **user_id, GError **error);
  JswSubscription *(*get_subscription)    (JswStore *self, const char *user_id, GError **error);
  GPtrArray       *(*usage_report)        (JswStore *self, gint64 month_start, gint64 month_end,
                                           gint64 now, GError **error);
  gboolean         (*count_by_state_and_target) (JswStore *self, gint64 counts[JSW_N_STATES][3],
                                                 GError **error);
  GPtrArray       *(*list_failed_entries) (JswStore *self, guint limit, GError **error);
  GPtrArray       *(*list_plan_ends)      (JswStore *self, gint64 after, gint64 until, GError **error);
  /* The people's profiles and resumes kept for server execution, sealed
   * by the caller (jsw-vault.h): the store never sees them in clear. */
  gboolean    (*vault_put)          (JswStore *self, const char *user_id, const char *kind,
                                     GBytes *sealed, gint64 now, GError **error);
  GBytes     *(*vault_get)          (JswStore *self, const char *user_id, const char *kind,
                                     gint64 *updated_at, GError **error);
  gboolean    (*vault_delete)       (JswStore *self, const char *user_id, const char *kind,
                                     GError **error);
  JswEntry   *(*check_lease)        (JswStore *self, const JswAuth *auth, const char *entry_id,
                                     const char *lease, gint64 now, GError **error);
  /* LinkedIn's limits and pauses (issue 16, jsw-linkedin.h): a person's
   * state with the applications started since now - JSW_LINKEDIN_WINDOW,
   * and a change to it decided by @func inside one write transaction. */
  JswLinkedinState *(*linkedin_load) (JswStore *self, const char *user_id, gint64 now, GError **error);
  gboolean    (*linkedin_change)    (JswStore *self, const char *user_id, gint64 now,
                                     JswLinkedinChangeFunc func, gpointer data, GError **error);
  /* The server's own secrets, kept with its data (schema 12) */
  char       *(*server_secret)      (JswStore *self, const char *name, const char *candidate, GError **error);
};

char       *jsw_store_create_user        (JswStore *self, const char *email, const char *plan,
                                          const char *password_hash, gint64 now, GError **error);
char       *jsw_store_find_user          (JswStore *self, const char *email, char **password_hash,
                                          GError **error);
gboolean    jsw_store_add_token          (JswStore *self, const char *token_hash, const char *user_id,
                                          JswKind kind, const char *device, gint64 now, GError **error);
JswAuth    *jsw_store_lookup_token       (JswStore *self, const char *token_hash, GError **error);
JswAccount *jsw_store_get_account        (JswStore *self, const char *user_id, gint64 now, GError **error);
gboolean    jsw_store_set_execution_mode (JswStore *self, const char *user_id, JswExecutionMode mode,
                                          GError **error);
gboolean    jsw_store_set_subscription   (JswStore *self, const char *user_id, const char *plan,
                                          const char *status, gint64 now, GError **error);
gboolean    jsw_store_set_plan           (JswStore *self, const char *plan, const JswPlanLimits *limits,
                                          GError **error);
GPtrArray  *jsw_store_list_plans         (JswStore *self, GError **error);
gboolean    jsw_store_record_left_swipe  (JswStore *self, const char *user_id, const char *job_id,
                                          gint64 now, GError **error);
JswEntry   *jsw_store_swipe_right        (JswStore *self, const char *user_id, JswJob *job, gint64 now,
                                          gboolean *created, GPtrArray *events, GError **error);
JswEntry   *jsw_store_get_entry          (JswStore *self, const char *user_id, const char *entry_id,
                                          GError **error);
GPtrArray  *jsw_store_list_entries       (JswStore *self, const char *user_id, int state, GError **error);
JswEntry   *jsw_store_route_entry        (JswStore *self, const char *user_id, const char *entry_id,
                                          JswTarget target, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_cancel_entry       (JswStore *self, const char *user_id, const char *entry_id,
                                          gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_retry_entry        (JswStore *self, const char *user_id, const char *entry_id,
                                          gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_resolve_entry      (JswStore *self, const char *user_id, const char *entry_id,
                                          gboolean sent, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_claim              (JswStore *self, const JswAuth *auth, const char *entry_id,
                                          gint64 ttl, gint64 now, char **lease, gint64 *expires_at,
                                          GPtrArray *events, GError **error);
gboolean    jsw_store_heartbeat          (JswStore *self, const JswAuth *auth, const char *lease,
                                          gint64 ttl, gint64 now, gint64 *expires_at, GError **error);
JswEntry   *jsw_store_progress           (JswStore *self, const JswAuth *auth, const char *lease,
                                          gint64 percent, JswStep step, const char *message,
                                          gint64 ttl, gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_finish             (JswStore *self, const JswAuth *auth, const char *lease,
                                          JswOutcome outcome, const char *confirmation,
                                          const char *error_text, const char *screenshot_sha256,
                                          gint64 now, GPtrArray *events, GError **error);
JswEntry   *jsw_store_release            (JswStore *self, const JswAuth *auth, const char *lease,
                                          gint64 now, GPtrArray *events, GError **error);
guint       jsw_store_expire_leases      (JswStore *self, gint64 now, GPtrArray *events, GError **error);
gint64      jsw_store_current_seq        (JswStore *self, const char *channel, GError **error);
GPtrArray  *jsw_store_events_since       (JswStore *self, const char *channel, gint64 since, guint limit,
                                         gboolean weigh,
                                          gboolean *too_old, GError **error);
GPtrArray  *jsw_store_live_entries       (JswStore *self, const char *channel, GError **error);
gboolean    jsw_store_prune_events       (JswStore *self, const char *const *channels, gint64 keep_count,
                                          gint64 keep_bytes, GError **error);
gboolean    jsw_store_idempotency_get    (JswStore *self, const char *user_id, const char *key,
                                          gint64 now, guint *status, char **body,
                                          char **request_sha256, GError **error);
gboolean    jsw_store_idempotency_put    (JswStore *self, const char *user_id, const char *key,
                                          const char *request_sha256, guint status, const char *body,
                                          const char *entry_id, gint64 now, GError **error);
gboolean    jsw_store_idempotency_expire (JswStore *self, gint64 now, GError **error);
gboolean    jsw_store_count_by_state     (JswStore *self, gint64 counts[JSW_N_STATES], GError **error);
gboolean    jsw_store_current_seqs       (JswStore *self, const char *const *channels, gint64 *seqs,
                                          GError **error);
gboolean    jsw_store_is_shared          (JswStore *self);
gboolean    jsw_store_watch              (JswStore *self, JswStoreChangesFunc func, gpointer user_data,
                                          GError **error);
void        jsw_store_unwatch            (JswStore *self);
gboolean    jsw_store_announce_account   (JswStore *self, const char *user_id, GError **error);
gboolean    jsw_store_apply_billing_event (JswStore *self, const JswBillingEvent *event, gint64 now,
                                           JswBillingOutcome *outcome, char **user_id, GError **error);
JswSubscription *jsw_store_get_subscription (JswStore *self, const char *user_id, GError **error);
GPtrArray  *jsw_store_usage_report       (JswStore *self, gint64 month_start, gint64 month_end,
                                          gint64 now, GError **error);
gboolean    jsw_store_count_by_state_and_target (JswStore *self, gint64 counts[JSW_N_STATES][3],
                                                 GError **error);
GPtrArray  *jsw_store_list_failed_entries (JswStore *self, guint limit, GError **error);
GPtrArray  *jsw_store_list_plan_ends     (JswStore *self, gint64 after, gint64 until, GError **error);
gboolean    jsw_store_vault_put          (JswStore *self, const char *user_id, const char *kind,
                                          GBytes *sealed, gint64 now, GError **error);
GBytes     *jsw_store_vault_get          (JswStore *self, const char *user_id, const char *kind,
                                          gint64 *updated_at, GError **error);
gboolean    jsw_store_vault_delete       (JswStore *self, const char *user_id, const char *kind,
                                          GError **error);
JswEntry   *jsw_store_check_lease        (JswStore *self, const JswAuth *auth, const char *entry_id,
                                          const char *lease, gint64 now, GError **error);
gboolean    jsw_store_linkedin_desktop_only_error (GError **error);
JswLinkedinState *jsw_store_linkedin_load (JswStore *self, const char *user_id, gint64 now, GError **error);
gboolean    jsw_store_linkedin_change    (JswStore *self, const char *user_id, gint64 now,
                                          JswLinkedinChangeFunc func, gpointer data, GError **error);
gboolean    jsw_store_linkedin_admit     (JswStore *self, const char *user_id, const char *entry_id,
                                          gint64 now, JswLinkedinDecision *decision, GError **error);

gint64      jsw_store_add_source         (JswStore *self, const char *kind, const char *board,
                                          const char *company, const char *base_url, gint64 now,
                                          GError **error);
GPtrArray  *jsw_store_list_sources       (JswStore *self, GError **error);
gboolean    jsw_store_remove_source      (JswStore *self, gint64 source_id, GError **error);
GHashTable *jsw_store_posting_versions   (JswStore *self, gint64 source_id, GError **error);
gboolean    jsw_store_sync_postings      (JswStore *self, gint64 source_id, GPtrArray *postings,
                                          const char *etag, const char *last_modified, gint64 now,
                                          JswSyncCounts *counts, GError **error);
gboolean    jsw_store_sync_failed        (JswStore *self, gint64 source_id, const char *message,
                                          gint64 now, GError **error);
gboolean    jsw_store_claim_source       (JswStore *self, gint64 source_id, gint64 due_by, gint64 hold_until,
                                          gboolean *claimed, GError **error);
gboolean    jsw_store_schedule_source    (JswStore *self, gint64 source_id, gint64 next_sync_at,
                                          GError **error);
gboolean    jsw_store_purge_closed_postings (JswStore *self, gint64 closed_before, guint *purged,
                                             GError **error);
JswSearch  *jsw_store_get_search         (JswStore *self, const char *user_id, GError **error);
gboolean    jsw_store_put_search         (JswStore *self, const char *user_id, JswSearch *search,
                                          gint64 now, GError **error);
GPtrArray  *jsw_store_feed_page          (JswStore *self, const char *user_id, const JswSearch *search,
                                          const JswFeedCursor *after, guint limit, GError **error);
JswPostingRecord *jsw_store_get_posting  (JswStore *self, gint64 posting_id, GError **error);
gboolean    jsw_store_left_swipe_posting (JswStore *self, const char *user_id, gint64 posting_id,
                                          gint64 now, GError **error);
gboolean    jsw_store_forget_left_swipe  (JswStore *self, const char *user_id, gint64 posting_id,
                                          GError **error);
JswEntry   *jsw_store_swipe_right_posting (JswStore *self, const char *user_id, gint64 posting_id,
                                           JswJob *job, gboolean allow_duplicate, gint64 now,
                                           gboolean *created, JswEntry **duplicate,
                                           gint64 *duplicate_posting_id, GPtrArray *events,
                                           GError **error);
char       *jsw_store_server_secret      (JswStore *self, const char *name, const char *candidate,
                                          GError **error);

G_END_DECLS
