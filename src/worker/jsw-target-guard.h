/* jsw-target-guard.h: the worker's forward proxy on loopback, through which
 * every request of a run goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* On the guard's 403 for a refused request: the address it refused. */
#define JSW_TARGET_REFUSED_HEADER "X-Jobswipe-Refused-Address"
/* What a refusal names in place of an address when the host is LinkedIn's
 * (jsw_linkedin_host_is_linkedin()): the worker never opens LinkedIn. */
#define JSW_TARGET_REFUSED_LINKEDIN "LinkedIn"

#define JSW_TYPE_TARGET_GUARD (jsw_target_guard_get_type ())

G_DECLARE_FINAL_TYPE (JswTargetGuard, jsw_target_guard, JSW, TARGET_GUARD, GObject)

JswTargetGuard *jsw_target_guard_new            (const char          *upstream,
                                                 gboolean             allow_private,
                                                 const char * const  *allowed,
                                                 GError             **error);
const char     *jsw_target_guard_get_url        (JswTargetGuard  *self);
const char     *jsw_target_guard_get_upstream   (JswTargetGuard  *self);
gboolean        jsw_address_is_public           (GInetAddress    *address);
void            jsw_target_guard_check_host_async  (JswTargetGuard      *self,
                                                    const char          *host,
                                                    guint16              port,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char           *jsw_target_guard_check_host_finish (JswTargetGuard      *self,
                                                    GAsyncResult        *result);
char           *jsw_target_guard_lookup_refusal    (JswTargetGuard      *self,
                                                    const char          *host);

G_END_DECLS
