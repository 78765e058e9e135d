/* jsw-admin.h: /admin, the operator's page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_admin_page     (JswRestContext *rest,
                         JswRestRequest *request);
void jsw_admin_sign_in  (JswRestContext *rest,
                         JswRestRequest *request);
void jsw_admin_sign_out (JswRestContext *rest,
                         JswRestRequest *request);

G_END_DECLS
