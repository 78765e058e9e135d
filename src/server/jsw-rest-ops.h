/* jsw-rest-ops.h: the operators' endpoints: /healthz and /metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_ops_healthz (JswRestContext *rest,
                           JswRestRequest *request);
void jsw_rest_ops_metrics (JswRestContext *rest,
                           JswRestRequest *request);

G_END_DECLS
