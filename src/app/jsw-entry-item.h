/* jsw-entry-item.h: an entry as an item of a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-common.h"

G_BEGIN_DECLS

#define JSW_TYPE_ENTRY_ITEM (jsw_entry_item_get_type ())

G_DECLARE_FINAL_TYPE (JswEntryItem, jsw_entry_item, JSW, ENTRY_ITEM, GObject)

JswEntryItem *jsw_entry_item_new        (JswEntry     *entry);
JswEntry     *jsw_entry_item_get_entry  (JswEntryItem *self);
const char   *jsw_entry_state_label     (JswEntry     *entry);
int           jsw_entry_state_group     (JswState      state);

G_END_DECLS
