/* jsw-browser.h: one web view of the engine and where it is: in a window
 * someone watches, held unseen, or not made yet; and the picture of its
 * last page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-engine.h"

G_BEGIN_DECLS

#define JSW_TYPE_BROWSER (jsw_browser_get_type ())

G_DECLARE_FINAL_TYPE (JswBrowser, jsw_browser, JSW, BROWSER, GObject)

JswBrowser    *jsw_browser_new                   (JswEngine            *engine);
WebKitWebView *jsw_browser_get_view              (JswBrowser           *self);
gboolean       jsw_browser_has_view              (JswBrowser           *self);
void           jsw_browser_drop_view             (JswBrowser           *self);
GtkWidget     *jsw_browser_hold                  (JswBrowser           *self,
                                                  gboolean              shown);
void           jsw_browser_show_in               (JswBrowser           *self,
                                                  GtkBox               *slot);
gboolean       jsw_browser_is_shown              (JswBrowser           *self);
gboolean       jsw_browser_is_in                 (JswBrowser           *self,
                                                  GtkBox               *slot);
void           jsw_browser_take_from             (JswBrowser           *self,
                                                  GtkBox               *slot,
                                                  gboolean              keep);
void           jsw_browser_keep_page             (JswBrowser           *self,
                                                  gboolean              keep);
void           jsw_browser_save_last_page_async  (JswBrowser           *self,
                                                  const char           *path,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char          *jsw_browser_save_last_page_finish (JswBrowser           *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
