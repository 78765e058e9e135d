/* jsw-window-picture.h: a picture of a window of the app in the test's
 * own process (test-window.c, the deck's tests), once it is written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void jsw_test_window_picture (GtkWidget  *window,
                              const char *name);

G_END_DECLS
