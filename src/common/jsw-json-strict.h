/* jsw-json-strict.h: the RFC 8259 gate every JSON text passes before
 * json-glib parses it
 *
 * Kept apart from jsw-json.c because jansson's and json-glib's headers
 * declare functions of the same name; this unit includes only jansson.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean jsw_json_check_strict (const char  *text,
                                gsize        length,
                                guint        max_depth,
                                GError     **error);

/* Where a scan of JSON text is: inside a string, after a backslash. */
typedef struct {
  gboolean in_string;
  gboolean escaped;
} JswJsonScan;

gboolean jsw_json_scan_in_string (JswJsonScan *scan,
                                  char         c);

G_END_DECLS
