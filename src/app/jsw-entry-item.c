/* jsw-entry-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-item.h"

struct _JswEntryItem
{
  GObject   parent_instance;
  JswEntry *entry;
};

G_DEFINE_FINAL_TYPE (JswEntryItem, jsw_entry_item, G_TYPE_OBJECT)

static void
jsw_entry_item_finalize (GObject *object)
{
  JswEntryItem *self = (JswEntryItem *) object;

  g_clear_pointer (&self->entry, jsw_entry_unref);
  G_OBJECT_CLASS (jsw_entry_item_parent_class)->finalize (object);
}

static void
jsw_entry_item_class_init (JswEntryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_entry_item_finalize;
}

static void
jsw_entry_item_init (JswEntryItem *self)
{
}

JswEntryItem *
jsw_entry_item_new (JswEntry *entry)
{
  JswEntryItem *self = g_object_new (JSW_TYPE_ENTRY_ITEM, NULL);

  self->entry = jsw_entry_ref (entry);
  return self;
}

JswEntry *
jsw_entry_item_get_entry (JswEntryItem *self)
{
  return self->entry;
}

/* What a person reads for each state. */
const char *
jsw_entry_state_label (JswEntry *entry)
{
  switch (entry->state)
    {
    case JSW_STATE_QUEUED:
      return entry->target == JSW_TARGET_SERVER ? _("Waiting for our servers")
           : entry->target == JSW_TARGET_UNDECIDED ? _("Waiting for you to choose where it runs")
           : _("Waiting to apply on this computer");
    case JSW_STATE_CLAIMED: return _("Starting");
    case JSW_STATE_RUNNING: return _("Applying");
    case JSW_STATE_SUBMITTED: return _("Applied");
    case JSW_STATE_FAILED: return _("Could not apply");
    case JSW_STATE_NEEDS_USER: return _("Needs you");
    case JSW_STATE_NEEDS_REVIEW: return _("Check whether it was sent");
    case JSW_STATE_CANCELLED: return _("Cancelled");
    case JSW_N_STATES:
    default: return "";
    }
}

/* The order of the groups in the queue: what needs attention first. */
int
jsw_entry_state_group (JswState state)
{
  switch (state)
    {
    case JSW_STATE_NEEDS_USER: return 0;
    case JSW_STATE_NEEDS_REVIEW: return 1;
    case JSW_STATE_CLAIMED:
    case JSW_STATE_RUNNING: return 2;
    case JSW_STATE_QUEUED: return 3;
    case JSW_STATE_SUBMITTED:
    case JSW_STATE_FAILED:
    case JSW_STATE_CANCELLED:
    case JSW_N_STATES:
    default: return 4;
    }
}
