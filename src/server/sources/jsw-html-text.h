/* jsw-html-text.h: an HTML fragment (a posting's description) as clean text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *jsw_html_to_text  (const char *html,
                         gssize      length);
char *jsw_html_unescape (const char *escaped);

G_END_DECLS
