/* jsw-profile-sync.h: the profile and resume kept on the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jsw-profile-store.h"
#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_PROFILE_SYNC (jsw_profile_sync_get_type ())

G_DECLARE_FINAL_TYPE (JswProfileSync, jsw_profile_sync, JSW, PROFILE_SYNC, GObject)

JswProfileSync *jsw_profile_sync_new        (JswSession      *session,
                                             JswProfileStore *store,
                                             GSettings       *settings);
const char     *jsw_profile_sync_get_status (JswProfileSync  *self);
gboolean        jsw_profile_sync_get_failed (JswProfileSync  *self);
gboolean        jsw_profile_sync_get_busy   (JswProfileSync  *self);

G_END_DECLS
