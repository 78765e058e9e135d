/* jsw-store-entries.c: the store's entries and their leases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-store.h"

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

/* A LinkedIn entry is never routed to the server (issue 16): its snapshot,
 * which never changes, says so before the store is asked. */
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
  if (target == JSW_TARGET_SERVER)
    {
      g_autoptr(JswEntry) entry = jsw_store_get_entry (self, user_id, entry_id, error);

      if (entry == NULL)
        return NULL;
      if (jsw_linkedin_is_entry (entry))
        {
          jsw_store_linkedin_desktop_only_error (error);
          return NULL;
        }
    }
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

gboolean
jsw_store_count_by_state (JswStore *self,
                          gint64 counts[JSW_N_STATES],
                          GError **error)
{
  g_return_val_if_fail (JSW_IS_STORE (self), FALSE);
  return JSW_STORE_GET_IFACE (self)->count_by_state (self, counts, error);
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

/**
 * jsw_store_new_entry_charges_server:
 *
 * Returns: whether jsw_store_route_new_entry() charges a new entry of
 *   @job for a person in @mode to the server quota (it tries in `server`
 *   and `auto` mode, never for a LinkedIn posting), for a store that
 *   charges every quota of a swipe at once
 */
gboolean
jsw_store_new_entry_charges_server (JswExecutionMode  mode,
                                    JswJob           *job)
{
  return !jsw_linkedin_is_url (job->apply_url) && mode != JSW_MODE_DESKTOP && mode != JSW_MODE_ASK;
}

/**
 * jsw_store_route_new_entry:
 * @charge: the store's conditional quota charge
 * @store: (type gpointer): the store @charge is called on
 * @job: the job applied to
 * @mode: the person's execution mode
 * @limits: their plan's limits in force
 * @month: the server-month period ("YYYY-MM", UTC)
 * @target: (out): where the new entry runs
 * @charged_server: (out): whether a server application was counted
 *
 * Decides where a new entry runs (PROTOCOL.md, "User") and, when it runs on
 * the server, counts it against the server quota, inside the caller's write
 * transaction. One rule for every store.
 *
 * A LinkedIn posting (issue 16) runs only on the desktop, in the person's
 * own signed-in session, whatever the mode, and is never charged to the
 * server quota; in `server` mode, which promises server execution, it is
 * refused with %JSW_ERROR_CONFLICT saying so.
 *
 * Returns: FALSE with @error set on a store error, or with
 *   %JSW_ERROR_QUOTA_EXCEEDED in `server` mode when the server quota is spent
 *   (`auto` mode then routes to the desktop instead).
 */
gboolean
jsw_store_route_new_entry (JswStoreChargeFunc   charge,
                           gpointer             store,
                           const char          *user_id,
                           JswJob              *job,
                           JswExecutionMode     mode,
                           const JswPlanLimits *limits,
                           const char          *month,
                           JswTarget           *target,
                           gboolean            *charged_server,
                           GError             **error)
{
  gboolean spent = FALSE;

  *charged_server = FALSE;
  if (jsw_linkedin_is_url (job->apply_url))
    {
      if (mode == JSW_MODE_SERVER)
        return jsw_store_linkedin_desktop_only_error (error);
      *target = JSW_TARGET_DESKTOP;
      return TRUE;
    }
  switch (mode)
    {
    case JSW_MODE_DESKTOP:
      *target = JSW_TARGET_DESKTOP;
      return TRUE;

    case JSW_MODE_ASK:
      *target = JSW_TARGET_UNDECIDED;
      return TRUE;

    case JSW_MODE_SERVER:
      if (!charge (store, user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits->limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      if (spent)
        return jsw_store_quota_error (JSW_COUNTER_SERVER_MONTH, error);
      *target = JSW_TARGET_SERVER;
      *charged_server = TRUE;
      return TRUE;

    case JSW_MODE_AUTO:
    default:
      if (!charge (store, user_id, JSW_COUNTER_SERVER_MONTH, month,
                   limits->limit[JSW_COUNTER_SERVER_MONTH], &spent, error))
        return FALSE;
      *target = spent ? JSW_TARGET_DESKTOP : JSW_TARGET_SERVER;
      *charged_server = !spent;
      return TRUE;
    }
}
