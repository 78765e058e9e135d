/* jsw-rest-account.h: the account's endpoints: /v1/me, its preference, and signing in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_account_get (JswRestContext *rest,
                           JswRestRequest *request);
void jsw_rest_account_put_preference (JswRestContext *rest,
                                      JswRestRequest *request);
void jsw_rest_account_sign_in (JswRestContext *rest,
                               JswRestRequest *request);
JsonNode *jsw_rest_account_to_json (JswAccount             *account,
                                    const JswBillingConfig *billing);

G_END_DECLS
