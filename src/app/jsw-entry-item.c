/* jsw-entry-item.c
 *
 * Wraps the plain JswEntry the cache and the stream pass around, and says
 * which of its properties changed when a newer version of the same entry
 * arrives, so a row or a pane showing it redraws only what changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-entry-item"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-item.h"

struct _JswEntryItem
{
  GObject   parent_instance;
  JswEntry *entry;
  guint64   arrival;  /* orders entries of the same second: later first */
  char     *waiting;  /* why this computer holds it back while queued, or NULL */
};

G_DEFINE_FINAL_TYPE (JswEntryItem, jsw_entry_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_STATE_LABEL,
  PROP_TARGET,
  PROP_TITLE,
  PROP_COMPANY,
  PROP_PROGRESS,
  PROP_STEP,
  PROP_MESSAGE,
  PROP_RUNNING,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a person reads for each state; for a queued entry this computer
 * holds back, why (jsw_entry_item_set_waiting()). */
static const char *
state_label (JswEntry   *entry,
             const char *waiting)
{
  if (waiting != NULL && entry->state == JSW_STATE_QUEUED)
    return waiting;
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
static int
state_group (JswState state)
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

static const char *
title_of (JswEntry *entry)
{
  return entry->snapshot != NULL ? entry->snapshot->title : entry->job_id;
}

static const char *
company_of (JswEntry *entry)
{
  return entry->snapshot != NULL ? entry->snapshot->company : "";
}

static gboolean
running (JswEntry *entry)
{
  return entry->state == JSW_STATE_RUNNING || entry->state == JSW_STATE_CLAIMED;
}

static void
jsw_entry_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JswEntryItem *self = JSW_ENTRY_ITEM (object);
  JswEntry *entry = self->entry;

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, entry->id); break;
    case PROP_STATE: g_value_set_string (value, jsw_state_to_string (entry->state)); break;
    case PROP_STATE_LABEL: g_value_set_string (value, state_label (entry, self->waiting)); break;
    case PROP_TARGET: g_value_set_string (value, jsw_target_to_string (entry->target)); break;
    case PROP_TITLE: g_value_set_string (value, title_of (entry)); break;
    case PROP_COMPANY: g_value_set_string (value, company_of (entry)); break;
    case PROP_PROGRESS: g_value_set_double (value, entry->percent / 100.0); break;
    case PROP_STEP: g_value_set_string (value, entry->step == JSW_STEP_NONE ? NULL : jsw_step_to_string (entry->step)); break;
    case PROP_MESSAGE: g_value_set_string (value, entry->message); break;
    case PROP_RUNNING: g_value_set_boolean (value, running (entry)); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, entry->created_at); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, entry->updated_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_entry_item_finalize (GObject *object)
{
  JswEntryItem *self = (JswEntryItem *) object;

  g_clear_pointer (&self->entry, jsw_entry_unref);
  g_free (self->waiting);
  G_OBJECT_CLASS (jsw_entry_item_parent_class)->finalize (object);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
jsw_entry_item_class_init (JswEntryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jsw_entry_item_finalize;
  object_class->get_property = jsw_entry_item_get_property;

  /* States, targets and steps in their PROTOCOL.md spelling. */
  properties[PROP_ID] = string_property ("id");
  properties[PROP_STATE] = string_property ("state");
  properties[PROP_STATE_LABEL] = string_property ("state-label");
  properties[PROP_TARGET] = string_property ("target");
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_COMPANY] = string_property ("company");
  /* 0 to 1, as GtkProgressBar:fraction takes it */
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_STEP] = string_property ("step");
  properties[PROP_MESSAGE] = string_property ("message");
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  /* µs since the epoch */
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jsw_entry_item_init (JswEntryItem *self)
{
}

JswEntryItem *
jsw_entry_item_new (JswEntry *entry)
{
  JswEntryItem *self;

  g_return_val_if_fail (entry != NULL && entry->id != NULL, NULL);

  self = g_object_new (JSW_TYPE_ENTRY_ITEM, NULL);
  self->entry = jsw_entry_ref (entry);
  jsw_entry_item_mark_arrival (self);
  return self;
}

/* Counts the item as arrived now, after every other: of two entries of the
 * same second, the one that arrived later sorts first. */
void
jsw_entry_item_mark_arrival (JswEntryItem *self)
{
  static guint64 arrivals;

  self->arrival = ++arrivals;
}

JswEntry *
jsw_entry_item_get_entry (JswEntryItem *self)
{
  g_return_val_if_fail (JSW_IS_ENTRY_ITEM (self), NULL);

  return self->entry;
}

static void
notify_if (JswEntryItem *self,
           gboolean      changed,
           guint         prop_id)
{
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* A newer version of the same entry: the properties that differ are
 * notified, together once all are set. */
void
jsw_entry_item_set_entry (JswEntryItem *self,
                          JswEntry     *entry)
{
  g_autoptr(JswEntry) old = NULL;

  g_return_if_fail (JSW_IS_ENTRY_ITEM (self));
  g_return_if_fail (entry != NULL && g_strcmp0 (entry->id, self->entry->id) == 0);

  old = g_steal_pointer (&self->entry);
  self->entry = jsw_entry_ref (entry);

  g_object_freeze_notify (G_OBJECT (self));
  notify_if (self, old->state != entry->state, PROP_STATE);
  notify_if (self, g_strcmp0 (state_label (old, self->waiting), state_label (entry, self->waiting)) != 0, PROP_STATE_LABEL);
  notify_if (self, old->target != entry->target, PROP_TARGET);
  notify_if (self, g_strcmp0 (title_of (old), title_of (entry)) != 0, PROP_TITLE);
  notify_if (self, g_strcmp0 (company_of (old), company_of (entry)) != 0, PROP_COMPANY);
  notify_if (self, old->percent != entry->percent, PROP_PROGRESS);
  notify_if (self, old->step != entry->step, PROP_STEP);
  notify_if (self, g_strcmp0 (old->message, entry->message) != 0, PROP_MESSAGE);
  notify_if (self, running (old) != running (entry), PROP_RUNNING);
  notify_if (self, old->updated_at != entry->updated_at, PROP_UPDATED_AT);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
jsw_entry_item_get_id (JswEntryItem *self)
{
  return self->entry->id;
}

JswState
jsw_entry_item_get_state (JswEntryItem *self)
{
  return self->entry->state;
}

JswTarget
jsw_entry_item_get_target (JswEntryItem *self)
{
  return self->entry->target;
}

const char *
jsw_entry_item_get_title (JswEntryItem *self)
{
  return title_of (self->entry);
}

const char *
jsw_entry_item_get_company (JswEntryItem *self)
{
  return company_of (self->entry);
}

const char *
jsw_entry_item_get_state_label (JswEntryItem *self)
{
  return state_label (self->entry, self->waiting);
}

/* Why this computer holds the queued entry back for now (a refusal's
 * message, such as LinkedIn's pause), shown instead of its state's label;
 * NULL when it no longer does. */
void
jsw_entry_item_set_waiting (JswEntryItem *self,
                            const char   *why)
{
  g_return_if_fail (JSW_IS_ENTRY_ITEM (self));

  if (g_strcmp0 (self->waiting, why) == 0)
    return;
  g_free (self->waiting);
  self->waiting = g_strdup (why);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_LABEL]);
}

/* 0 to 1 */
double
jsw_entry_item_get_progress (JswEntryItem *self)
{
  return self->entry->percent / 100.0;
}

gboolean
jsw_entry_item_get_running (JswEntryItem *self)
{
  return running (self->entry);
}

/* 0 (needs you) to 4 (finished): see state_group(). */
int
jsw_entry_item_get_group (JswEntryItem *self)
{
  return state_group (self->entry->state);
}

/* The queue's order: grouped by what needs attention first (needs you,
 * to check, running, queued, finished), newest first within a group, and
 * of two swiped in the same second the one that arrived later first (as
 * the cache lists them: ORDER BY created_at DESC, rowid DESC). */
int
jsw_entry_item_compare (JswEntryItem *a,
                        JswEntryItem *b)
{
  int ga = jsw_entry_item_get_group (a), gb = jsw_entry_item_get_group (b);

  if (ga != gb)
    return ga - gb;
  if (a->entry->created_at != b->entry->created_at)
    return a->entry->created_at < b->entry->created_at ? 1 : -1;
  return a->arrival < b->arrival ? 1 : a->arrival > b->arrival ? -1 : 0;
}
