/* jsw-entry-row.h: one application in the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "jsw-common.h"

G_BEGIN_DECLS

#define JSW_TYPE_ENTRY_ROW (jsw_entry_row_get_type ())

G_DECLARE_FINAL_TYPE (JswEntryRow, jsw_entry_row, JSW, ENTRY_ROW, GtkBox)

GtkWidget *jsw_entry_row_new  (void);
void       jsw_entry_row_bind (JswEntryRow *self,
                               JswEntry    *entry);

G_END_DECLS
