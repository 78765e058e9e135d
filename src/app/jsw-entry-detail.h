/* jsw-entry-detail.h: the window's right side: the selected entry, its
 * posting, what it needs from the person, and the browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-entry-item.h"
#include "jsw-runner.h"

G_BEGIN_DECLS

#define JSW_TYPE_ENTRY_DETAIL (jsw_entry_detail_get_type ())

G_DECLARE_FINAL_TYPE (JswEntryDetail, jsw_entry_detail, JSW, ENTRY_DETAIL, AdwBin)

GtkWidget    *jsw_entry_detail_new        (void);
JswEntryItem *jsw_entry_detail_get_item   (JswEntryDetail *self);
void          jsw_entry_detail_set_item   (JswEntryDetail *self,
                                           JswEntryItem   *item);
JswRunner    *jsw_entry_detail_get_runner (JswEntryDetail *self);
void          jsw_entry_detail_set_runner (JswEntryDetail *self,
                                           JswRunner      *runner);
GActionGroup *jsw_entry_detail_get_actions (JswEntryDetail *self);
GMenuModel   *jsw_entry_detail_get_menu   (void);

G_END_DECLS
