/* jsw-store-leases.c: the rules on claims and leases that every store
 * applies, given the store's own read of an entry
 *
 * Both stores find the entry that holds a lease with a statement of their
 * own; what a lease allows, when it has expired, when a result is a
 * repeat, why a claim lost and where an entry goes when its lease ends
 * without a result is decided here, once (as jsw_store_route_new_entry()
 * decides where a new entry runs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-store.h"

void
jsw_lease_holder_clear (JswLeaseHolder *holder)
{
  g_clear_pointer (&holder->entry, jsw_entry_unref);
  g_clear_pointer (&holder->claimed_token, g_free);
}

/**
 * jsw_store_entry_id_of_lease:
 *
 * A lease names its entry ("<entry id>.<random>", as the stores make it
 * at a claim), so finding the entry is a primary-key lookup and no index
 * on leases is kept up to date.
 *
 * Returns: (nullable): the entry id, or %NULL when @lease names none
 */
char *
jsw_store_entry_id_of_lease (const char *lease)
{
  const char *dot = strrchr (lease, '.');

  if (dot == NULL || dot == lease)
    return NULL;
  return g_strndup (lease, dot - lease);
}

/**
 * jsw_store_check_live_lease:
 * @load: the store's read of the entry that holds a lease (live or
 *   finished), inside the caller's write transaction
 * @store: (type gpointer): what @load is called on
 * @entry_out: (out) (transfer full) (nullable): the entry, whenever the
 *   lease was found, even when it is no longer live, so that a repeated
 *   result can be recognised (jsw_store_is_repeated_result())
 * @max_step: (out): the furthest step the attempt reported
 *
 * Checks that @lease is live and held by @auth (jsw_store_may_use_lease()).
 *
 * Returns: %FALSE with @error set: %JSW_ERROR_LEASE_EXPIRED when no entry
 *   holds @lease or it has expired by @now, %JSW_ERROR_FORBIDDEN when it
 *   is someone else's, or a store error
 */
gboolean
jsw_store_check_live_lease (JswStoreLeaseLoadFunc   load,
                            gpointer                store,
                            const JswAuth          *auth,
                            const char             *lease,
                            gint64                  now,
                            JswEntry              **entry_out,
                            gint64                 *max_step,
                            GError                **error)
{
  g_auto(JswLeaseHolder) holder = { NULL, -1, -1, NULL };

  if (!load (store, lease, &holder, error))
    return FALSE;
  if (holder.entry == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED, _("This lease is not held any more"));
      return FALSE;
    }
  if (!jsw_store_may_use_lease (auth, holder.entry, holder.claimed_token, error))
    return FALSE;

  *max_step = holder.max_step;
  *entry_out = g_steal_pointer (&holder.entry);
  if (holder.expires < 0 || holder.expires <= now)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED, _("This lease has expired"));
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_store_is_repeated_result:
 * @entry: (nullable): the entry jsw_store_check_live_lease() found
 * @lease_error: why the lease was refused
 *
 * Returns: whether a result refused for @lease_error is the same result
 *   sent again (its ack was lost on the way): then it is acknowledged
 *   again, and changes nothing (PROTOCOL.md, "result")
 */
gboolean
jsw_store_is_repeated_result (const JswEntry *entry,
                              JswOutcome      outcome,
                              const GError   *lease_error)
{
  return entry != NULL && entry->has_result && entry->outcome == outcome &&
         g_error_matches (lease_error, JSW_ERROR, JSW_ERROR_LEASE_EXPIRED);
}

/* Progress never goes down within an attempt. */
gboolean
jsw_store_check_progress (const JswEntry  *entry,
                          gint64           percent,
                          GError         **error)
{
  if (percent >= entry->percent)
    return TRUE;
  g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
               _("Progress cannot go down within an attempt (%d%% after %d%%)"),
               (int) percent, (int) entry->percent);
  return FALSE;
}

/* A live lease of another entry shows nothing about @entry_id. */
gboolean
jsw_store_check_lease_is_entrys (const JswEntry  *entry,
                                 const char      *entry_id,
                                 GError         **error)
{
  if (g_strcmp0 (entry->id, entry_id) == 0)
    return TRUE;
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN, _("This lease is not this entry’s"));
  return FALSE;
}

/**
 * jsw_store_explain_failed_claim:
 * @entry: (nullable): the entry as the caller may see it, read after the
 *   claim changed nothing
 * @load_error: (transfer full) (nullable): why it could not be read
 *
 * Explains why a claim lost: the entry does not exist for this caller,
 * targets the other kind, is being claimed by another transaction right
 * now (it is still queued: a store whose claims skip locked rows saw it
 * locked), or is not queued.
 */
void
jsw_store_explain_failed_claim (const JswAuth   *auth,
                                const JswEntry  *entry,
                                GError          *load_error,
                                GError         **error)
{
  JswTarget wanted = auth->kind == JSW_KIND_SERVER ? JSW_TARGET_SERVER : JSW_TARGET_DESKTOP;

  if (entry == NULL)
    g_propagate_error (error, load_error);
  else if (entry->target != wanted)
    g_set_error (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                 _("This entry is for the %s, not for this connection"), jsw_target_to_string (entry->target));
  else if (entry->state == JSW_STATE_QUEUED)
    g_set_error_literal (error, JSW_ERROR, JSW_ERROR_ALREADY_CLAIMED,
                         _("This entry is being claimed by another connection"));
  else
    g_set_error (error, JSW_ERROR, JSW_ERROR_ALREADY_CLAIMED,
                 _("This entry is not queued (it is %s)"), jsw_state_to_string (entry->state));
  if (entry != NULL)
    g_clear_error (&load_error);
}

/**
 * jsw_store_state_after_lease:
 * @max_step: the furthest step the attempt reported
 * @attempts: (out): what to add to the entry's attempt count
 * @attempt_increment: 1 when the lease expired, 0 when it was released
 *
 * Where an entry goes when its lease ends without a result: back to the
 * queue, or to a person (`needs_review`) when the attempt may already
 * have submitted, since running it again could apply twice.
 */
JswState
jsw_store_state_after_lease (gint64  max_step,
                             gint64  attempt_increment,
                             gint64 *attempts)
{
  gboolean may_have_submitted = max_step >= JSW_STEP_SUBMITTING;

  *attempts = may_have_submitted ? 0 : attempt_increment;
  return may_have_submitted ? JSW_STATE_NEEDS_REVIEW : JSW_STATE_QUEUED;
}
