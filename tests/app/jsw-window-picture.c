/* jsw-window-picture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-screenshot.h"
#include "jsw-window-picture.h"

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/**
 * jsw_test_window_picture:
 * @window: a window of the app, in this process
 * @name: the picture's name, without .png
 *
 * Has the app save a picture of @window into JOBSWIPE_SCREENSHOT_DIR
 * (jsw_screenshot_soon()) and waits, up to 30 s, until it is written; a
 * test fails when none is.
 */
void
jsw_test_window_picture (GtkWidget  *window,
                         const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("JOBSWIPE_SCREENSHOT_DIR"), name, NULL);
  g_autofree char *png = g_strconcat (path, ".png", NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_remove (png);
  iterate_for (400);
  /* Asked again while the window has nothing drawn yet (just shown, on a
   * busy machine). */
  while (!g_file_test (png, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    {
      jsw_screenshot_soon (window, name, 50);
      iterate_for (1500);
    }
  if (!g_file_test (png, G_FILE_TEST_EXISTS))
    g_error ("no picture %s was taken", png);
}
