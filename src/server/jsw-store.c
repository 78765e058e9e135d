/* jsw-store.c: the store interface, and the small values it trades in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "jsw-store.h"

G_DEFINE_INTERFACE (JswStore, jsw_store, G_TYPE_OBJECT)

static void
jsw_store_default_init (JswStoreInterface *iface)
{
}

void
jsw_auth_free (JswAuth *auth)
{
  if (auth == NULL)
    return;
  g_free (auth->user_id);
  g_free (auth->device);
  g_free (auth->token_hash);
  g_free (auth);
}

void
jsw_account_free (JswAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->user_id);
  g_free (account->email);
  g_free (account->plan);
  g_free (account->subscription_status);
  g_free (account);
}

void
jsw_subscription_free (JswSubscription *subscription)
{
  if (subscription == NULL)
    return;
  g_free (subscription->user_id);
  g_free (subscription->plan);
  g_free (subscription->status);
  g_free (subscription->stripe_customer);
  g_free (subscription->stripe_subscription);
  g_free (subscription->stripe_price);
  g_free (subscription);
}

/* The outcome as logged and answered to Stripe, and kept with the event. */
const char *
jsw_billing_outcome_to_string (JswBillingOutcome outcome)
{
  static const char *const names[] = { "applied", "duplicate", "stale", "no_user", "replayed" };

  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (names), "applied");
  return names[outcome];
}

void
jsw_plan_usage_free (JswPlanUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->plan);
  g_clear_pointer (&usage->revenue, g_hash_table_unref);
  g_free (usage);
}

void
jsw_failed_entry_free (JswFailedEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->entry_id);
  g_free (entry->email);
  g_free (entry->job_id);
  g_free (entry->target);
  g_free (entry->error);
  g_free (entry);
}

void
jsw_event_free (JswEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->channel);
  g_free (event->entry_json);
  g_free (event);
}

GPtrArray *
jsw_event_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_event_free);
}

/* The entry is stored already serialised, so a frame is built by splicing
 * rather than by parsing and generating the entry again for each push. */
char *
jsw_event_to_frame (JswEvent *event)
{
  return g_strdup_printf ("{\"type\":\"entry\",\"seq\":%" G_GINT64_FORMAT ",\"entry\":%s}",
                          event->seq, event->entry_json);
}

/* The random part of ids and leases: 128 bits from libsodium (which the
 * store has initialised). */
char *
jsw_store_random_id (const char *prefix)
{
  guint8 bytes[16];
  char hex[sizeof bytes * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strconcat (prefix, hex, NULL);
}

/* Sets @error to the quota error of @counter; returns FALSE. */
gboolean
jsw_store_quota_error (JswCounter   counter,
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

/**
 * jsw_store_may_use_lease:
 * @entry: the entry that holds the lease
 * @claimed_token: (nullable): the hash of the token that claimed it; leases
 *   claimed before tokens were recorded have none
 *
 * Whether @auth may use a lease of @entry (issue 8): a lease is as secret
 * as a token, but a leaked one still cannot be used by someone else's
 * connection, nor by another token of the same user. Callers without a
 * token (the store's own tests) are not bound to one.
 *
 * Returns: %FALSE with @error set (%JSW_ERROR_FORBIDDEN) if it may not
 */
gboolean
jsw_store_may_use_lease (const JswAuth   *auth,
                         const JswEntry  *entry,
                         const char      *claimed_token,
                         GError         **error)
{
  if ((auth->kind == JSW_KIND_SERVER) != (entry->claimed_kind == JSW_KIND_SERVER) ||
      (auth->kind == JSW_KIND_DESKTOP && g_strcmp0 (auth->user_id, entry->user_id) != 0))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN, _("This lease belongs to someone else"));
      return FALSE;
    }
  if (claimed_token != NULL && auth->token_hash != NULL && !g_str_equal (claimed_token, auth->token_hash))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                           _("This lease was claimed with another token; only that token can use it"));
      return FALSE;
    }
  return TRUE;
}

char *
jsw_store_user_channel (const char *user_id)
{
  return g_strconcat ("u:", user_id, NULL);
}

char *
jsw_store_create_user (JswStore *self,
                       const char *email,
                       const char *plan,
                       const char *password_hash,
                       gint64 now,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->create_user (self, email, plan, password_hash, now, error);
}

char *
jsw_store_find_user (JswStore *self,
                     const char *email,
                     char **password_hash,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->find_user (self, email, password_hash, error);
}

gboolean
jsw_store_add_token (JswStore *self,
                     const char *token_hash,
                     const char *user_id,
                     JswKind kind,
                     const char *device,
                     gint64 now,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->add_token (self, token_hash, user_id, kind, device, now, error);
}

JswAuth *
jsw_store_lookup_token (JswStore *self,
                        const char *token_hash,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->lookup_token (self, token_hash, error);
}

JswAccount *
jsw_store_get_account (JswStore *self,
                       const char *user_id,
                       gint64 now,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_account (self, user_id, now, error);
}

gboolean
jsw_store_set_execution_mode (JswStore *self,
                              const char *user_id,
                              JswExecutionMode mode,
                              GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_execution_mode (self, user_id, mode, error);
}

gboolean
jsw_store_set_subscription (JswStore *self,
                            const char *user_id,
                            const char *plan,
                            const char *status,
                            gint64 now,
                            GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_subscription (self, user_id, plan, status, now, error);
}

gboolean
jsw_store_set_plan (JswStore *self,
                    const char *plan,
                    const JswPlanLimits *limits,
                    GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->set_plan (self, plan, limits, error);
}

GPtrArray *
jsw_store_list_plans (JswStore *self,
                      GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->list_plans (self, error);
}

gboolean
jsw_store_record_left_swipe (JswStore *self,
                             const char *user_id,
                             const char *job_id,
                             gint64 now,
                             GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->record_left_swipe (self, user_id, job_id, now, error);
}

JswEntry *
jsw_store_swipe_right (JswStore *self,
                       const char *user_id,
                       JswJob *job,
                       gint64 now,
                       gboolean *created,
                       GPtrArray *events,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->swipe_right (self, user_id, job, now, created, events, error);
}

JswEntry *
jsw_store_get_entry (JswStore *self,
                     const char *user_id,
                     const char *entry_id,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_entry (self, user_id, entry_id, error);
}

GPtrArray *
jsw_store_list_entries (JswStore *self,
                        const char *user_id,
                        int state,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->list_entries (self, user_id, state, error);
}

JswEntry *
jsw_store_route_entry (JswStore *self,
                       const char *user_id,
                       const char *entry_id,
                       JswTarget target,
                       gint64 now,
                       GPtrArray *events,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->route_entry (self, user_id, entry_id, target, now, events, error);
}

JswEntry *
jsw_store_cancel_entry (JswStore *self,
                        const char *user_id,
                        const char *entry_id,
                        gint64 now,
                        GPtrArray *events,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->cancel_entry (self, user_id, entry_id, now, events, error);
}

JswEntry *
jsw_store_retry_entry (JswStore *self,
                       const char *user_id,
                       const char *entry_id,
                       gint64 now,
                       GPtrArray *events,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->retry_entry (self, user_id, entry_id, now, events, error);
}

/* needs_review, as the person found out: @sent makes it submitted, else
 * failed (docs/server.md, POST /v1/queue/{id}/resolve). */
JswEntry *
jsw_store_resolve_entry (JswStore *self,
                         const char *user_id,
                         const char *entry_id,
                         gboolean sent,
                         gint64 now,
                         GPtrArray *events,
                         GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->resolve_entry (self, user_id, entry_id, sent, now, events, error);
}

JswEntry *
jsw_store_claim (JswStore *self,
                 const JswAuth *auth,
                 const char *entry_id,
                 gint64 ttl,
                 gint64 now,
                 char **lease,
                 gint64 *expires_at,
                 GPtrArray *events,
                 GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->claim (self, auth, entry_id, ttl, now, lease, expires_at, events, error);
}

gboolean
jsw_store_heartbeat (JswStore *self,
                     const JswAuth *auth,
                     const char *lease,
                     gint64 ttl,
                     gint64 now,
                     gint64 *expires_at,
                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->heartbeat (self, auth, lease, ttl, now, expires_at, error);
}

JswEntry *
jsw_store_progress (JswStore *self,
                    const JswAuth *auth,
                    const char *lease,
                    gint64 percent,
                    JswStep step,
                    const char *message,
                    gint64 ttl,
                    gint64 now,
                    GPtrArray *events,
                    GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->progress (self, auth, lease, percent, step, message, ttl, now, events, error);
}

JswEntry *
jsw_store_finish (JswStore *self,
                  const JswAuth *auth,
                  const char *lease,
                  JswOutcome outcome,
                  const char *confirmation,
                  const char *error_text,
                  const char *screenshot_sha256,
                  gint64 now,
                  GPtrArray *events,
                  GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->finish (self, auth, lease, outcome, confirmation, error_text, screenshot_sha256, now, events, error);
}

JswEntry *
jsw_store_release (JswStore *self,
                   const JswAuth *auth,
                   const char *lease,
                   gint64 now,
                   GPtrArray *events,
                   GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->release (self, auth, lease, now, events, error);
}

guint
jsw_store_expire_leases (JswStore *self,
                         gint64 now,
                         GPtrArray *events,
                         GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), 0);
  return JSW_STORE_GET_IFACE (self)->expire_leases (self, now, events, error);
}

gint64
jsw_store_current_seq (JswStore *self,
                       const char *channel,
                       GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), -1);
  return JSW_STORE_GET_IFACE (self)->current_seq (self, channel, error);
}

/**
 * jsw_store_events_since:
 * @since: the last seq the client has
 * @limit: at most this many events (0: all), so that a long replay can be
 *   read in slices
 * @weigh: also answer @too_old when the replay would be larger than a sync;
 *   asked when the client says hello, not for each slice after that (it
 *   sums the sizes of the whole replay)
 * @too_old: (out): set when @since is older than the log keeps, or ahead of
 *   it: the client needs the whole state instead (an empty array then)
 *
 * Returns: (transfer full): the events of @channel after @since, oldest
 *   first, or %NULL with @error set
 */
GPtrArray *
jsw_store_events_since (JswStore *self,
                        const char *channel,
                        gint64 since,
                        guint limit,
                        gboolean weigh,
                        gboolean *too_old,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->events_since (self, channel, since, limit, weigh, too_old, error);
}

GPtrArray *
jsw_store_live_entries (JswStore *self,
                        const char *channel,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->live_entries (self, channel, error);
}

/**
 * jsw_store_prune_events:
 * @channel: (nullable): one channel, or %NULL for every channel
 * @keep_count: events kept per channel, at least 1 (the newest holds the
 *   channel's seq)
 * @keep_bytes: bytes of stored event text kept per channel; the newest
 *   event is kept whatever its size
 *
 * Forgets the oldest events of a channel beyond either bound; a client
 * that asks for them later gets a sync.
 */
gboolean
jsw_store_prune_events (JswStore *self,
                        const char *channel,
                        gint64 keep_count,
                        gint64 keep_bytes,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->prune_events (self, channel, keep_count, keep_bytes, error);
}

/**
 * jsw_store_idempotency_get:
 * @now: wall-clock time, µs: answers older than JSW_IDEMPOTENCY_TTL are
 *   not found
 * @body: (out) (transfer full): the stored answer, %NULL when there is none
 * @request_sha256: (out) (transfer full): the hex SHA-256 of the request
 *   the key was first used with; %NULL for answers kept before it was
 */
gboolean
jsw_store_idempotency_get (JswStore *self,
                           const char *user_id,
                           const char *key,
                           gint64 now,
                           guint *status,
                           char **body,
                           char **request_sha256,
                           GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_get (self, user_id, key, now, status, body,
                                                      request_sha256, error);
}

/**
 * jsw_store_idempotency_put:
 * @body: the answer's body; when @entry_id is given, the entry's JSON
 *   without its snapshot (jsw_entry_to_json_without_snapshot()), and the
 *   answer is {"entry": ENTRY} with the snapshot the entry has
 * @entry_id: (nullable): the entry the answer is
 * @request_sha256: the hex SHA-256 of the request's body
 *
 * Keeps an answer for JSW_IDEMPOTENCY_TTL, and at most
 * JSW_IDEMPOTENCY_KEPT_PER_USER of a user's (the oldest go first). An
 * expired answer under the same key is replaced.
 */
gboolean
jsw_store_idempotency_put (JswStore *self,
                           const char *user_id,
                           const char *key,
                           const char *request_sha256,
                           guint status,
                           const char *body,
                           const char *entry_id,
                           gint64 now,
                           GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_put (self, user_id, key, request_sha256, status, body,
                                                      entry_id, now, error);
}

/* Forgets every answer older than JSW_IDEMPOTENCY_TTL. */
gboolean
jsw_store_idempotency_expire (JswStore *self,
                              gint64 now,
                              GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->idempotency_expire (self, now, error);
}

gboolean
jsw_store_count_by_state (JswStore *self,
                          gint64 counts[JSW_N_STATES],
                          GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->count_by_state (self, counts, error);
}

/**
 * jsw_store_current_seqs:
 * @channels: (array zero-terminated=1): channels
 * @seqs: (out caller-allocates) (array): each channel's current seq
 *
 * current_seq() of several channels at once: one query on a store that
 * can (the catch-up read of jsw-hub-relay.c asks for every channel with a
 * stream each second).
 */
gboolean
jsw_store_current_seqs (JswStore           *self,
                        const char *const  *channels,
                        gint64             *seqs,
                        GError            **error)
{
  JswStoreInterface *iface;

  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->current_seqs != NULL)
    return iface->current_seqs (self, channels, seqs, error);
  for (guint i = 0; channels[i] != NULL; i++)
    {
      seqs[i] = iface->current_seq (self, channels[i], error);
      if (seqs[i] < 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * jsw_store_is_shared:
 *
 * Returns: whether other processes may change this store while this one
 *   runs (then jsw_store_watch() tells of their changes)
 */
gboolean
jsw_store_is_shared (JswStore *self)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->watch != NULL;
}

/**
 * jsw_store_watch:
 * @func: called on the main context with each batch of other processes'
 *   changes, as they are announced
 *
 * Starts listening for other processes' changes, until jsw_store_unwatch()
 * or the store goes away. A lost announcement is not retried: the caller
 * also reads what it missed (jsw_store_current_seqs()).
 *
 * Returns: %FALSE with @error set if listening could not start; %FALSE
 *   without an error on a store that is not shared
 */
gboolean
jsw_store_watch (JswStore             *self,
                 JswStoreChangesFunc   func,
                 gpointer              user_data,
                 GError              **error)
{
  JswStoreInterface *iface;

  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->watch == NULL)
    return FALSE;
  return iface->watch (self, func, user_data, error);
}

void
jsw_store_unwatch (JswStore *self)
{
  JswStoreInterface *iface;

  g_return_if_fail (JSW_IS_STORE (self));

  iface = JSW_STORE_GET_IFACE (self);
  if (iface->unwatch != NULL)
    iface->unwatch (self);
}

/* The job feed (issue 12) */

void
jsw_source_free (JswSource *source)
{
  if (source == NULL)
    return;
  g_free (source->kind);
  g_free (source->board);
  g_free (source->company);
  g_free (source->base_url);
  g_free (source->etag);
  g_free (source->last_modified);
  g_free (source->last_error);
  g_free (source);
}

/* A search that matches every posting: what a person has before saving one. */
JswSearch *
jsw_search_new_empty (void)
{
  JswSearch *search = g_new0 (JswSearch, 1);

  search->keywords = g_new0 (char *, 1);
  search->exclude_keywords = g_new0 (char *, 1);
  search->locations = g_new0 (char *, 1);
  search->employment_types = g_new0 (char *, 1);
  search->exclude_companies = g_new0 (char *, 1);
  return search;
}

void
jsw_search_free (JswSearch *search)
{
  if (search == NULL)
    return;
  g_strfreev (search->keywords);
  g_strfreev (search->exclude_keywords);
  g_strfreev (search->locations);
  g_strfreev (search->employment_types);
  g_strfreev (search->exclude_companies);
  g_free (search);
}

void
jsw_feed_item_free (JswFeedItem *item)
{
  if (item == NULL)
    return;
  g_free (item->job_json);
  g_free (item->questions_json);
  g_free (item);
}

void
jsw_posting_record_free (JswPostingRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->job_id);
  g_free (record->job_json);
  g_free (record);
}

/**
 * jsw_store_add_source:
 * @company: (nullable): the name postings carry; NULL: the board's own
 * @base_url: (nullable): where the kind's API is; NULL: the vendor's
 * @error: JSW_ERROR_CONFLICT when the same kind and board are there already
 *
 * Returns: the new source's id, or 0
 */
gint64
jsw_store_add_source (JswStore   *self,
                      const char *kind,
                      const char *board,
                      const char *company,
                      const char *base_url,
                      gint64      now,
                      GError    **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), 0);
  return JSW_STORE_GET_IFACE (self)->add_source (self, kind, board, company, base_url, now, error);
}

/* Returns: (element-type JswSource): every source, oldest first */
GPtrArray *
jsw_store_list_sources (JswStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->list_sources (self, error);
}

/* Removes a source and its postings (entries keep their snapshots, which
 * never change); JSW_ERROR_NOT_FOUND when there is no such source. */
gboolean
jsw_store_remove_source (JswStore  *self,
                         gint64     source_id,
                         GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->remove_source (self, source_id, error);
}

/* Returns: (transfer full): job_id -> version of the source's postings
 * whose details the store holds (a posting seen again at the same version
 * needs none fetched). */
GHashTable *
jsw_store_posting_versions (JswStore  *self,
                            gint64     source_id,
                            GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->posting_versions (self, source_id, error);
}

/**
 * jsw_store_sync_postings:
 * @postings: (element-type JswPosting) (nullable): the board's postings now;
 *   NULL when the board said it is unchanged (304)
 * @counts: (out): what changed
 *
 * In one transaction: every posting added, or updated when it changed (a
 * posting at the version stored is left as it is), every posting of the
 * source that the board no longer lists closed (it leaves the feed), and
 * the source's validators and last success recorded.
 */
gboolean
jsw_store_sync_postings (JswStore      *self,
                         gint64         source_id,
                         GPtrArray     *postings,
                         const char    *etag,
                         const char    *last_modified,
                         gint64         now,
                         JswSyncCounts *counts,
                         GError       **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->sync_postings (self, source_id, postings, etag, last_modified, now,
                                                    counts, error);
}

/* Records a failed sync: its message, and one more failure in a row. The
 * source's postings stay as they are. */
gboolean
jsw_store_sync_failed (JswStore    *self,
                       gint64       source_id,
                       const char  *message,
                       gint64       now,
                       GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->sync_failed (self, source_id, message, now, error);
}

/* Returns: (transfer full): the person's search, or an empty one */
JswSearch *
jsw_store_get_search (JswStore    *self,
                      const char  *user_id,
                      GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_search (self, user_id, error);
}

/* Saves @search; sets its updated_at to @now (a later one if @now is not
 * after the last save, so cursors of the old search are always told). */
gboolean
jsw_store_put_search (JswStore    *self,
                      const char  *user_id,
                      JswSearch   *search,
                      gint64       now,
                      GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->put_search (self, user_id, search, now, error);
}

/**
 * jsw_store_feed_page:
 * @after: (nullable): where the last page ended
 * @limit: postings at most
 *
 * The feed's rule (docs/server.md "The job feed"): open postings matching
 * @search (full text on title and description), not swiped by this person
 * (this posting or a likely duplicate; a right swipe counts while its
 * entry is not cancelled), one of each group of likely duplicates, in the
 * order (tier, sort_at newest first, posting_id highest first).
 *
 * Returns: (element-type JswFeedItem) (transfer full): the page
 */
GPtrArray *
jsw_store_feed_page (JswStore            *self,
                     const char          *user_id,
                     const JswSearch     *search,
                     const JswFeedCursor *after,
                     guint                limit,
                     GError             **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->feed_page (self, user_id, search, after, limit, error);
}

/* Returns: (transfer full): the posting, open or not; NULL and
 * JSW_ERROR_NOT_FOUND when there is none */
JswPostingRecord *
jsw_store_get_posting (JswStore  *self,
                       gint64     posting_id,
                       GError   **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->get_posting (self, posting_id, error);
}

/* Remembers a left swipe on a posting for good (again: no change). */
gboolean
jsw_store_left_swipe_posting (JswStore    *self,
                              const char  *user_id,
                              gint64       posting_id,
                              gint64       now,
                              GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->left_swipe_posting (self, user_id, posting_id, now, error);
}

/* Forgets a left swipe; JSW_ERROR_NOT_FOUND when there is none. */
gboolean
jsw_store_forget_left_swipe (JswStore    *self,
                             const char  *user_id,
                             gint64       posting_id,
                             GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->forget_left_swipe (self, user_id, posting_id, error);
}

/**
 * jsw_store_find_duplicate_entry:
 * @duplicate_posting_id: (out): the posting of that entry, 0 when the
 *   entry's job is no posting the store holds
 *
 * Returns: (transfer full) (nullable): the person's live entry (not
 *   cancelled) for a likely duplicate of the posting (another posting of
 *   its group), or NULL
 */
JswEntry *
jsw_store_find_duplicate_entry (JswStore    *self,
                                const char  *user_id,
                                gint64       posting_id,
                                gint64      *duplicate_posting_id,
                                GError     **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  return JSW_STORE_GET_IFACE (self)->find_duplicate_entry (self, user_id, posting_id, duplicate_posting_id,
                                                           error);
}

/* Billing: a store that does not implement these yet (a new backend)
 * answers with an internal error rather than crashing. */
static gboolean
billing_missing (GError **error)
{
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "This store does not implement billing yet");
  return FALSE;
}

/**
 * jsw_store_apply_billing_event:
 * @event: a verified Stripe event, reduced (JswBillingEvent)
 * @outcome: (out): what it did
 * @user_id: (out) (optional) (nullable): the user it concerned, if any
 *
 * Records @event's id and applies its effect in one transaction, so that
 * an event is applied at most once whatever the retries. An event older
 * than what is stored (by its `created`, then by the subscription's own
 * fields) never moves a subscription backwards.
 */
gboolean
jsw_store_apply_billing_event (JswStore *self,
                               const JswBillingEvent *event,
                               gint64 now,
                               JswBillingOutcome *outcome,
                               char **user_id,
                               GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  if (JSW_STORE_GET_IFACE (self)->apply_billing_event == NULL)
    return billing_missing (error);
  return JSW_STORE_GET_IFACE (self)->apply_billing_event (self, event, now, outcome, user_id, error);
}

JswSubscription *
jsw_store_get_subscription (JswStore *self,
                            const char *user_id,
                            GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->get_subscription == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->get_subscription (self, user_id, error);
}

/**
 * jsw_store_usage_report:
 * @month_start: (µs) the first instant of the month
 * @month_end: (µs) the first instant of the next month
 * @now: (µs) for the plan in force
 *
 * Returns: (transfer full) (element-type JswPlanUsage): one line per plan,
 *   in the order of jsw_store_list_plans(); %NULL with @error set
 */
GPtrArray *
jsw_store_usage_report (JswStore *self,
                        gint64 month_start,
                        gint64 month_end,
                        gint64 now,
                        GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->usage_report == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->usage_report (self, month_start, month_end, now, error);
}

/* counts[state][target], target as JswTarget */
gboolean
jsw_store_count_by_state_and_target (JswStore *self,
                                     gint64 counts[JSW_N_STATES][3],
                                     GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  if (JSW_STORE_GET_IFACE (self)->count_by_state_and_target == NULL)
    return billing_missing (error);
  return JSW_STORE_GET_IFACE (self)->count_by_state_and_target (self, counts, error);
}

/* Returns: (element-type JswFailedEntry): the newest failed entries first */
GPtrArray *
jsw_store_list_failed_entries (JswStore *self,
                               guint limit,
                               GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->list_failed_entries == NULL)
    return billing_missing (error), NULL;
  return JSW_STORE_GET_IFACE (self)->list_failed_entries (self, limit, error);
}

/**
 * jsw_store_list_plan_ends:
 * @after: (µs) exclusive
 * @until: (µs) inclusive
 *
 * Returns: (element-type utf8): the users whose `canceled` or `unpaid`
 *   subscription's period ended after @after and by @until, whose plan in
 *   force became `free` then; a store without billing has none
 */
GPtrArray *
jsw_store_list_plan_ends (JswStore *self,
                          gint64 after,
                          gint64 until,
                          GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), NULL);
  if (JSW_STORE_GET_IFACE (self)->list_plan_ends == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return JSW_STORE_GET_IFACE (self)->list_plan_ends (self, after, until, error);
}

/* Keeps @sealed as @user_id's @kind ("profile" or "resume"), replacing
 * what was kept. */
gboolean
jsw_store_vault_put (JswStore    *self,
                     const char  *user_id,
                     const char  *kind,
                     GBytes      *sealed,
                     gint64       now,
                     GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_put (self, user_id, kind, sealed, now, error);
}

/* Returns: (transfer full): what is kept, with when it was put in
 * *@updated_at; NULL with %JSW_ERROR_NOT_FOUND when nothing is. */
GBytes *
jsw_store_vault_get (JswStore    *self,
                     const char  *user_id,
                     const char  *kind,
                     gint64      *updated_at,
                     GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_get (self, user_id, kind, updated_at, error);
}

/* Forgets @user_id's @kind; TRUE also when nothing was kept. */
gboolean
jsw_store_vault_delete (JswStore    *self,
                        const char  *user_id,
                        const char  *kind,
                        GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->vault_delete (self, user_id, kind, error);
}

/* The entry @lease is the live lease of, changing nothing: a worker shows
 * it holds @entry_id this way before it is given the person's profile.
 * %JSW_ERROR_FORBIDDEN when @lease is not @entry_id's or not @auth's,
 * %JSW_ERROR_LEASE_EXPIRED when it is no longer live. */
JswEntry *
jsw_store_check_lease (JswStore      *self,
                       const JswAuth *auth,
                       const char    *entry_id,
                       const char    *lease,
                       gint64         now,
                       GError       **error)
{
  return JSW_STORE_GET_IFACE (self)->check_lease (self, auth, entry_id, lease, now, error);
}
