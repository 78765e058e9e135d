/* jsw-window.h: the main window: the queue, the posting, the browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JSW_TYPE_WINDOW (jsw_window_get_type ())

G_DECLARE_FINAL_TYPE (JswWindow, jsw_window, JSW, WINDOW, AdwApplicationWindow)

JswWindow *jsw_window_new          (GtkApplication *application);
void       jsw_window_select_entry (JswWindow      *self,
                                    const char     *entry_id);
void       jsw_window_add_toast    (JswWindow      *self,
                                    AdwToast       *toast);

G_END_DECLS
