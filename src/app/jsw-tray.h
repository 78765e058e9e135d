/* jsw-tray.h: a tray icon (StatusNotifierItem over D-Bus) while the app
 * runs in the background
 *
 * Quiet when no tray host (StatusNotifierWatcher) is on the session bus;
 * it registers as soon as one appears. Another platform brings its own
 * backend behind these functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JSW_TYPE_TRAY (jsw_tray_get_type ())

G_DECLARE_FINAL_TYPE (JswTray, jsw_tray, JSW, TRAY, GObject)

JswTray *jsw_tray_new         (GApplication *application);
void     jsw_tray_set_needs_attention (JswTray *self,
                                       gboolean needs_attention);
void     jsw_tray_set_tooltip (JswTray      *self,
                               const char   *tooltip);
void     jsw_tray_set_status  (JswTray      *self,
                               gboolean      needs_attention,
                               const char   *tooltip);

G_END_DECLS
