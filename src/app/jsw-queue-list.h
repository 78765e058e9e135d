/* jsw-queue-list.h: the window's left side: the queue in sections, with
 * search and the empty states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-entry-item.h"

G_BEGIN_DECLS

#define JSW_TYPE_QUEUE_LIST (jsw_queue_list_get_type ())

G_DECLARE_FINAL_TYPE (JswQueueList, jsw_queue_list, JSW, QUEUE_LIST, AdwBin)

void          jsw_queue_list_set_model         (JswQueueList *self,
                                                GListModel   *model);
JswEntryItem *jsw_queue_list_get_selected_item (JswQueueList *self);
gboolean      jsw_queue_list_select_entry      (JswQueueList *self,
                                                const char   *entry_id);
void          jsw_queue_list_set_row_menu      (JswQueueList *self,
                                                GMenuModel   *menu);
GtkWidget    *jsw_queue_list_popup_menu_for    (JswQueueList *self,
                                                const char   *entry_id);
void          jsw_queue_list_set_search_mode   (JswQueueList *self,
                                                gboolean      search_mode);
gboolean      jsw_queue_list_get_search_mode   (JswQueueList *self);
const char   *jsw_queue_list_section_title     (int           group);
char         *jsw_queue_list_format_date       (gint64        usec,
                                                gint64        now_usec);

G_END_DECLS
