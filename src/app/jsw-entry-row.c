/* jsw-entry-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-entry-item.h"
#include "jsw-entry-row.h"

struct _JswEntryRow
{
  GtkBox          parent_instance;

  GtkLabel       *title;
  GtkLabel       *company;
  GtkLabel       *state;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (JswEntryRow, jsw_entry_row, GTK_TYPE_BOX)

static void
jsw_entry_row_class_init (JswEntryRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-entry-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JswEntryRow, title);
  gtk_widget_class_bind_template_child (widget_class, JswEntryRow, company);
  gtk_widget_class_bind_template_child (widget_class, JswEntryRow, state);
  gtk_widget_class_bind_template_child (widget_class, JswEntryRow, progress);
}

static void
jsw_entry_row_init (JswEntryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jsw_entry_row_new (void)
{
  return g_object_new (JSW_TYPE_ENTRY_ROW, NULL);
}

void
jsw_entry_row_bind (JswEntryRow *self,
                    JswEntry    *entry)
{
  gboolean running = entry->state == JSW_STATE_RUNNING || entry->state == JSW_STATE_CLAIMED;

  gtk_label_set_label (self->title, entry->snapshot ? entry->snapshot->title : entry->job_id);
  gtk_label_set_label (self->company, entry->snapshot ? entry->snapshot->company : "");
  gtk_label_set_label (self->state, jsw_entry_state_label (entry));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
  gtk_progress_bar_set_fraction (self->progress, entry->percent / 100.0);
}
