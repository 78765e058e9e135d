/* jsw-login-limiter.h: slows down password guessing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JSW_TYPE_LOGIN_LIMITER (jsw_login_limiter_get_type ())

G_DECLARE_FINAL_TYPE (JswLoginLimiter, jsw_login_limiter, JSW, LOGIN_LIMITER, GObject)

JswLoginLimiter *jsw_login_limiter_new            (guint            max_failures,
                                                   gint64           window_usec);
gint64           jsw_login_limiter_try_begin      (JswLoginLimiter *self,
                                                   const char      *email,
                                                   const char      *address,
                                                   gint64           now);
void             jsw_login_limiter_succeeded      (JswLoginLimiter *self,
                                                   const char      *email,
                                                   const char      *address);
void             jsw_login_limiter_abandoned      (JswLoginLimiter *self,
                                                   const char      *email,
                                                   const char      *address);

G_END_DECLS
