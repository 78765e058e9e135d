/* jsw-usage-report.h: the operator's usage figures, per plan, for one month
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jsw-store.h"

G_BEGIN_DECLS

gboolean   jsw_usage_report_month          (const char    *month,
                                            gint64         now,
                                            gint64        *start,
                                            gint64        *end,
                                            char         **name,
                                            GError       **error);
double     jsw_usage_report_rate           (gint64         part,
                                            gint64         total);
GPtrArray *jsw_usage_report_currencies     (JswPlanUsage  *line);
JsonNode  *jsw_usage_report_to_json        (GPtrArray     *lines,
                                            const char    *month);
char      *jsw_usage_report_to_table       (GPtrArray     *lines,
                                            const char    *month);
char      *jsw_usage_report_format_rate    (double         rate);
char      *jsw_usage_report_format_revenue (JswPlanUsage  *line);

G_END_DECLS
