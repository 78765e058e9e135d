/* jsw-preferences-window.h: settings, plan and usage, and the profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JSW_TYPE_PREFERENCES_WINDOW (jsw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (JswPreferencesWindow, jsw_preferences_window, JSW, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *jsw_preferences_window_new (GtkApplication *application,
                                       GtkWindow      *parent);

void       jsw_preferences_window_show_profile (JswPreferencesWindow *self);
void       jsw_preferences_window_show_profile_field (JswPreferencesWindow *self,
                                                      const char           *field);

G_END_DECLS
