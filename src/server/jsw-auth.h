/* jsw-auth.h: who is calling, from a request's bearer token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-store.h"

G_BEGIN_DECLS

JswAuth *jsw_auth_from_request      (JswStore           *store,
                                     SoupServerMessage  *msg,
                                     GError            **error);
JswAuth *jsw_auth_user_from_request (JswStore           *store,
                                     SoupServerMessage  *msg,
                                     GError            **error);

G_END_DECLS
