/* jsw-screenshot.h: pictures of the app's windows, for tests and the demo
 *
 * With JOBSWIPE_SCREENSHOT_DIR set, windows save a PNG of themselves at
 * the moments that matter to a person; otherwise this does nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void jsw_screenshot_soon (GtkWidget  *window,
                          const char *name,
                          guint       delay_ms);

G_END_DECLS
