/* jsw-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-time.h"

static GDateTime *
utc_from_usec (gint64 usec)
{
  return g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
}

char *
jsw_time_format (gint64 usec)
{
  g_autoptr(GDateTime) dt = utc_from_usec (usec);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
jsw_time_parse (const char *str,
                gint64     *usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (str == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (str, NULL);
  if (dt == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* Months and days are calendar periods in UTC (PROTOCOL.md, Plans). */
char *
jsw_time_month_period (gint64 usec)
{
  g_autoptr(GDateTime) dt = utc_from_usec (usec);

  return g_date_time_format (dt, "%Y-%m");
}

char *
jsw_time_day_period (gint64 usec)
{
  g_autoptr(GDateTime) dt = utc_from_usec (usec);

  return g_date_time_format (dt, "%Y-%m-%d");
}
