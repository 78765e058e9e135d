/* jsw-wrap-box.h: a row of buttons that wraps onto more lines rather than
 * widen its window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JSW_TYPE_WRAP_BOX (jsw_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (JswWrapBox, jsw_wrap_box, JSW, WRAP_BOX, GtkWidget)

GtkWidget *jsw_wrap_box_new         (void);
int        jsw_wrap_box_get_spacing (JswWrapBox *self);
void       jsw_wrap_box_set_spacing (JswWrapBox *self,
                                     int         spacing);

G_END_DECLS
