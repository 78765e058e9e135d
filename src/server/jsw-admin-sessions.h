/* jsw-admin-sessions.h: the operator's signed-in browser sessions for /admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JSW_TYPE_ADMIN_SESSIONS (jsw_admin_sessions_get_type ())

G_DECLARE_FINAL_TYPE (JswAdminSessions, jsw_admin_sessions, JSW, ADMIN_SESSIONS, GObject)

/* How long a sign-in lasts. */
#define JSW_ADMIN_SESSION_TTL (8 * G_TIME_SPAN_HOUR)

JswAdminSessions *jsw_admin_sessions_new     (void);
char             *jsw_admin_sessions_open    (JswAdminSessions *self,
                                              gint64            now);
gboolean          jsw_admin_sessions_check   (JswAdminSessions *self,
                                              const char       *session,
                                              gint64            now);
void              jsw_admin_sessions_close   (JswAdminSessions *self,
                                              const char       *session);

G_END_DECLS
