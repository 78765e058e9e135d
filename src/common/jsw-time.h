/* jsw-time.h: RFC 3339 times and the calendar periods quotas count in
 *
 * Times travel through the code as microseconds since the epoch (the unit of
 * g_get_real_time()), so a test can inject any instant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char    *jsw_time_format        (gint64      usec);
gboolean jsw_time_parse         (const char *str,
                                 gint64     *usec);
char    *jsw_time_month_period  (gint64      usec);
char    *jsw_time_day_period    (gint64      usec);

G_END_DECLS
