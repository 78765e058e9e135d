/* jsw-rest-profile.h: the profile and resume kept for server execution
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

/* The largest resume taken by PUT /v1/me/resume. */
#define JSW_MAX_RESUME_SIZE (10 * 1024 * 1024)

void jsw_rest_profile_mine       (JswRestContext *rest,
                                  JswRestRequest *request);
void jsw_rest_profile_my_resume  (JswRestContext *rest,
                                  JswRestRequest *request);
void jsw_rest_profile_for_worker (JswRestContext *rest,
                                  JswRestRequest *request);

G_END_DECLS
