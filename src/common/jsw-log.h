/* jsw-log.h: structured logs, one JSON object per line on stderr: the
 * server's and the worker's
 *
 * Usage: jsw_log (JSW_LOG_INFO, cid, "http.request",
 *                 "method", 's', "GET", "status", 'i', 200, NULL);
 * Each field is a name, a type ('s' string, 'i' gint64-compatible int,
 * 'l' gint64, 'd' double, 'b' boolean) and a value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JSW_LOG_DEBUG,
  JSW_LOG_INFO,
  JSW_LOG_WARNING,
  JSW_LOG_ERROR,
} JswLogLevel;

void     jsw_log_set_level        (JswLogLevel  level);
gboolean jsw_log_level_from_string (const char  *str,
                                   JswLogLevel *level);
gboolean jsw_log_enabled          (JswLogLevel  level);
void     jsw_log                  (JswLogLevel  level,
                                   const char  *cid,
                                   const char  *event,
                                   ...) G_GNUC_NULL_TERMINATED;
char    *jsw_log_new_cid          (const char  *prefix);

G_END_DECLS
