/* jsw-entry-item.h: one entry of the queue, as an object views bind to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-common.h"

G_BEGIN_DECLS

#define JSW_TYPE_ENTRY_ITEM (jsw_entry_item_get_type ())

G_DECLARE_FINAL_TYPE (JswEntryItem, jsw_entry_item, JSW, ENTRY_ITEM, GObject)

JswEntryItem *jsw_entry_item_new            (JswEntry     *entry);
JswEntry     *jsw_entry_item_get_entry      (JswEntryItem *self);
void          jsw_entry_item_set_entry      (JswEntryItem *self,
                                             JswEntry     *entry);
void          jsw_entry_item_mark_arrival   (JswEntryItem *self);
const char   *jsw_entry_item_get_id         (JswEntryItem *self);
JswState      jsw_entry_item_get_state      (JswEntryItem *self);
JswTarget     jsw_entry_item_get_target     (JswEntryItem *self);
const char   *jsw_entry_item_get_title      (JswEntryItem *self);
const char   *jsw_entry_item_get_company    (JswEntryItem *self);
const char   *jsw_entry_item_get_state_label (JswEntryItem *self);
void          jsw_entry_item_set_waiting    (JswEntryItem *self,
                                             const char   *why);
double        jsw_entry_item_get_progress   (JswEntryItem *self);
gboolean      jsw_entry_item_get_running    (JswEntryItem *self);
int           jsw_entry_item_get_group      (JswEntryItem *self);
int           jsw_entry_item_compare        (JswEntryItem *a,
                                             JswEntryItem *b);

G_END_DECLS
