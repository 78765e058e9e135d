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

G_END_DECLS
