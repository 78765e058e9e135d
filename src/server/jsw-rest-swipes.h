/* jsw-rest-swipes.h: the swipe endpoint: POST /v1/swipes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_swipes_post (JswRestContext *rest,
                           JswRestRequest *request);

G_END_DECLS
