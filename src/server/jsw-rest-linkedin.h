/* jsw-rest-linkedin.h: a person's LinkedIn limits and pauses (issue 16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_linkedin_mine (JswRestContext *rest,
                             JswRestRequest *request);
void jsw_rest_linkedin_stop (JswRestContext *rest,
                             JswRestRequest *request);

G_END_DECLS
