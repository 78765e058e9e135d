/* jsw-store-linkedin.c: the store's LinkedIn limits and pauses (issue 16)
 *
 * The stores keep the data (jsw-sqlite-store-linkedin.c,
 * jsw-pg-store-linkedin.c); jsw-linkedin.c decides, the same for both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-store.h"

/**
 * jsw_store_linkedin_load:
 * @now: µs: the applications started since @now - JSW_LINKEDIN_WINDOW are
 *   loaded
 *
 * Returns: (transfer full): @user_id's LinkedIn state (the defaults when
 *   nothing is kept yet), or %NULL with @error set
 */
JswLinkedinState *
jsw_store_linkedin_load (JswStore    *self,
                         const char  *user_id,
                         gint64       now,
                         GError     **error)
{
  return JSW_STORE_GET_IFACE (self)->linkedin_load (self, user_id, now, error);
}

/**
 * jsw_store_linkedin_change:
 * @func: decides the change on the state as loaded inside the transaction
 *   (jsw_linkedin_admit(), jsw_linkedin_apply_stop(), …)
 *
 * Loads @user_id's state, runs @func on it and keeps what it changed, in
 * one write transaction: two changes at once (two desktops claiming) see
 * each other's.
 *
 * Returns: %FALSE with @error set (@func's error, or the store's), changing
 *   nothing
 */
gboolean
jsw_store_linkedin_change (JswStore               *self,
                           const char             *user_id,
                           gint64                  now,
                           JswLinkedinChangeFunc   func,
                           gpointer                data,
                           GError                **error)
{
  return JSW_STORE_GET_IFACE (self)->linkedin_change (self, user_id, now, func, data, error);
}

/**
 * jsw_store_linkedin_admit:
 * @decision: (out): what jsw_linkedin_decide() said
 *
 * Starts a LinkedIn application for @entry_id when the person's limits
 * allow one at @now (jsw_linkedin_admit()).
 *
 * Returns: %FALSE with %JSW_ERROR_QUOTA_EXCEEDED saying until when, or
 *   a store error
 */
gboolean
jsw_store_linkedin_admit (JswStore             *self,
                          const char           *user_id,
                          const char           *entry_id,
                          gint64                now,
                          JswLinkedinDecision  *decision,
                          GError              **error)
{
  JswLinkedinAdmission admission = { entry_id, { 0 } };
  gboolean ok = jsw_store_linkedin_change (self, user_id, now, jsw_linkedin_admit, &admission, error);

  *decision = admission.decision;
  return ok;
}

/* A LinkedIn application asked to run on the server (a swipe in `server`
 * mode, a route to the server): refused, saying why.
 *
 * Returns: FALSE, with %JSW_ERROR_CONFLICT */
gboolean
jsw_store_linkedin_desktop_only_error (GError **error)
{
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                       _("LinkedIn applications run only in the desktop app, in your own LinkedIn session, never on the "
                         "server; choose the desktop or automatic mode to apply on LinkedIn"));
  return FALSE;
}
