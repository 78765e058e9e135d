/* jsw-entry-detail.c
 *
 * The pane shows its `item` and follows the item's changes (its notify);
 * the runner's signals bring what the item does not carry: the progress
 * text, the questions a form asks, a review waiting for the person. The
 * window sets both properties; the pane calls nothing of the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-entry-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-detail.h"

struct _JswEntryDetail
{
  AdwBin          parent_instance;

  JswEntryItem   *item;
  JswRunner      *runner;
  char           *needs_you_id;
  char           *review_id;

  GtkRevealer    *needs_you_revealer;
  GtkLabel       *needs_you_label;
  GtkListBox     *questions_list;
  GtkLabel       *detail_title;
  GtkLabel       *detail_company;
  GtkLabel       *detail_facts;
  GtkLabel       *detail_state;
  GtkProgressBar *detail_progress;
  GtkPicture     *detail_picture;
  GtkBox         *browser_slot;
  GtkWidget      *skip_button;
  GtkWidget      *save_answers_button;
  GtkWidget      *send_button;
  GtkWidget      *dont_send_button;
};

G_DEFINE_FINAL_TYPE (JswEntryDetail, jsw_entry_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The history: a finished application shows the picture of its last page
 * (the confirmation, or what the form said), when this computer ran it. */
static void
show_last_page (JswEntryDetail *self,
                JswEntry       *entry)
{
  JswRunner *runner = self->runner;
  g_autofree char *path = jsw_runner_screenshot_path (entry->id);
  gboolean running_now = runner != NULL && g_strcmp0 (jsw_runner_get_current (runner), entry->id) == 0;

  if (entry->has_result && !running_now && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gtk_picture_set_filename (self->detail_picture, path);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_picture), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->detail_picture), FALSE);
}

/* The posting as it was when swiped: where, for how much, what kind, and
 * its description. */
static void
show_snapshot_facts (JswEntryDetail *self,
                     JswEntry       *entry)
{
  JsonObject *job = json_node_get_object (jsw_job_get_node (entry->snapshot));
  static const char *members[] = { "location", "salary", "employment_type" };
  g_autoptr(GString) facts = g_string_new (NULL);
  const char *description = json_object_get_string_member_with_default (job, "description", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = json_object_get_string_member_with_default (job, members[i], NULL);

      if (value == NULL || *value == '\0')
        continue;
      if (facts->len > 0)
        g_string_append (facts, " · ");
      g_string_append (facts, value);
    }
  if (description != NULL && *description != '\0')
    g_string_append_printf (facts, "%s%s", facts->len > 0 ? "\n\n" : "", description);
  gtk_label_set_label (self->detail_facts, facts->str);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_facts), facts->len > 0);
}

static void
show_item (JswEntryDetail *self)
{
  JswEntry *entry = self->item ? jsw_entry_item_get_entry (self->item) : NULL;
  g_autofree char *state = NULL;

  if (entry == NULL)
    {
      gtk_label_set_label (self->detail_title, _("Nothing selected"));
      gtk_label_set_label (self->detail_company, "");
      gtk_label_set_label (self->detail_facts, "");
      gtk_label_set_label (self->detail_state, "");
      gtk_progress_bar_set_fraction (self->detail_progress, 0);
      return;
    }

  gtk_label_set_label (self->detail_title, jsw_entry_item_get_title (self->item));
  gtk_label_set_label (self->detail_company, jsw_entry_item_get_company (self->item));
  show_snapshot_facts (self, entry);
  if (entry->has_result && entry->confirmation != NULL)
    state = g_strdup_printf ("%s — %s", jsw_entry_item_get_state_label (self->item), entry->confirmation);
  else if (entry->has_result && entry->error != NULL)
    state = g_strdup_printf ("%s — %s", jsw_entry_item_get_state_label (self->item), entry->error);
  else
    state = g_strdup (jsw_entry_item_get_state_label (self->item));
  gtk_label_set_label (self->detail_state, state);
  gtk_progress_bar_set_fraction (self->detail_progress, jsw_entry_item_get_progress (self->item));
  show_last_page (self, entry);
}

static void
on_run_progress (JswRunner      *runner,
                 const char     *entry_id,
                 int             percent,
                 const char     *step,
                 const char     *message,
                 JswEntryDetail *self)
{
  gtk_progress_bar_set_fraction (self->detail_progress, percent / 100.0);
  gtk_progress_bar_set_text (self->detail_progress, message);
}

/* The banner asks either for answers (needs you) or for a decision
 * (review before sending). */
static void
show_banner_buttons (JswEntryDetail *self,
                     gboolean        review)
{
  gtk_widget_set_visible (self->skip_button, !review);
  gtk_widget_set_visible (self->save_answers_button, !review);
  gtk_widget_set_visible (self->send_button, review);
  gtk_widget_set_visible (self->dont_send_button, review);
}

static void
clear_questions (JswEntryDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list))) != NULL)
    gtk_list_box_remove (self->questions_list, child);
}

static void
on_review_needed (JswRunner      *runner,
                  const char     *entry_id,
                  JswEntryDetail *self)
{
  g_free (self->review_id);
  self->review_id = g_strdup (entry_id);
  clear_questions (self);
  gtk_label_set_label (self->needs_you_label,
                       _("The application is filled in. Look it over below (you can change anything), then send it."));
  show_banner_buttons (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->questions_list), FALSE);
  gtk_revealer_set_reveal_child (self->needs_you_revealer, TRUE);
}

/* The engine handed the run to the person: say what is needed, and offer
 * to remember the answers for next time. */
static void
on_run_finished (JswRunner      *runner,
                 const char     *entry_id,
                 int             outcome,
                 const char     *text,
                 const char     *missing,
                 JswEntryDetail *self)
{
  g_auto(GStrv) questions = NULL;

  if (outcome != JSW_OUTCOME_NEEDS_USER)
    return;

  g_free (self->needs_you_id);
  self->needs_you_id = g_strdup (entry_id);
  gtk_label_set_label (self->needs_you_label,
                       _("This application needs you. Answer what the form asks here, or in the page below, then continue."));
  clear_questions (self);
  questions = g_strsplit (missing ? missing : "", "\n", -1);
  for (guint i = 0; questions[i] != NULL; i++)
    {
      GtkWidget *row;

      if (*questions[i] == '\0')
        continue;
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), questions[i]);
      gtk_list_box_append (self->questions_list, row);
    }
  show_banner_buttons (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->questions_list), TRUE);
  gtk_revealer_set_reveal_child (self->needs_you_revealer, TRUE);
}

static void
finish_review (JswEntryDetail *self,
               gboolean        send)
{
  g_autofree char *entry_id = g_steal_pointer (&self->review_id);

  gtk_revealer_set_reveal_child (self->needs_you_revealer, FALSE);
  if (entry_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.review", "(sb)", entry_id, send);
}

static void
send_reviewed (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  finish_review (JSW_ENTRY_DETAIL (widget), TRUE);
}

static void
dont_send (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  finish_review (JSW_ENTRY_DETAIL (widget), FALSE);
}

static void
skip (GtkWidget  *widget,
      const char *action,
      GVariant   *parameter)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (widget);

  gtk_revealer_set_reveal_child (self->needs_you_revealer, FALSE);
  g_clear_pointer (&self->needs_you_id, g_free);
}

static void
save_answers (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (widget);
  GVariantBuilder answers;

  g_variant_builder_init (&answers, G_VARIANT_TYPE ("a{ss}"));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *question = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *answer = gtk_editable_get_text (GTK_EDITABLE (row));

      if (answer != NULL && *answer != '\0')
        g_variant_builder_add (&answers, "{ss}", question, answer);
    }

  /* The answers go into the saved answers, for this and every next form
   * that asks the same; then the entry is queued again and run. */
  if (self->needs_you_id != NULL)
    gtk_widget_activate_action (widget, "app.answer", "(sa{ss})", self->needs_you_id, &answers);
  else
    g_variant_builder_clear (&answers);
  skip (widget, NULL, NULL);
}

JswEntryItem *
jsw_entry_detail_get_item (JswEntryDetail *self)
{
  g_return_val_if_fail (JSW_IS_ENTRY_DETAIL (self), NULL);
  return self->item;
}

/* @item: (nullable): the entry to show, followed through its notify */
void
jsw_entry_detail_set_item (JswEntryDetail *self,
                           JswEntryItem   *item)
{
  g_return_if_fail (JSW_IS_ENTRY_DETAIL (self));

  if (item == self->item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, show_item, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    g_signal_connect_object (item, "notify", G_CALLBACK (show_item), self, G_CONNECT_SWAPPED);
  show_item (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

JswRunner *
jsw_entry_detail_get_runner (JswEntryDetail *self)
{
  g_return_val_if_fail (JSW_IS_ENTRY_DETAIL (self), NULL);
  return self->runner;
}

static void
forget_runner (JswEntryDetail *self)
{
  if (self->runner == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->runner, self);
  jsw_runner_hide_browser (self->runner, self->browser_slot);
  g_clear_object (&self->runner);
}

/* @runner: (nullable): whose runs the pane shows, and whose browser it
 * holds while it is shown */
void
jsw_entry_detail_set_runner (JswEntryDetail *self,
                             JswRunner      *runner)
{
  g_return_if_fail (JSW_IS_ENTRY_DETAIL (self));

  if (runner == self->runner)
    return;
  forget_runner (self);
  if (runner != NULL)
    {
      self->runner = g_object_ref (runner);
      g_signal_connect (runner, "run-progress", G_CALLBACK (on_run_progress), self);
      g_signal_connect (runner, "run-finished", G_CALLBACK (on_run_finished), self);
      g_signal_connect (runner, "review-needed", G_CALLBACK (on_review_needed), self);
      jsw_runner_show_browser (runner, self->browser_slot);
    }
  show_item (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
}

GtkWidget *
jsw_entry_detail_new (void)
{
  return g_object_new (JSW_TYPE_ENTRY_DETAIL, NULL);
}

static void
jsw_entry_detail_dispose (GObject *object)
{
  JswEntryDetail *self = (JswEntryDetail *) object;

  forget_runner (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, show_item, self);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_ENTRY_DETAIL);
  G_OBJECT_CLASS (jsw_entry_detail_parent_class)->dispose (object);
}

static void
jsw_entry_detail_finalize (GObject *object)
{
  JswEntryDetail *self = (JswEntryDetail *) object;

  g_free (self->needs_you_id);
  g_free (self->review_id);
  G_OBJECT_CLASS (jsw_entry_detail_parent_class)->finalize (object);
}

static void
jsw_entry_detail_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM: g_value_set_object (value, self->item); break;
    case PROP_RUNNER: g_value_set_object (value, self->runner); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_entry_detail_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM: jsw_entry_detail_set_item (self, g_value_get_object (value)); break;
    case PROP_RUNNER: jsw_entry_detail_set_runner (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_entry_detail_class_init (JswEntryDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jsw_entry_detail_dispose;
  object_class->finalize = jsw_entry_detail_finalize;
  object_class->get_property = jsw_entry_detail_get_property;
  object_class->set_property = jsw_entry_detail_set_property;

  /* The selected entry: bound to the window's selection. */
  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, JSW_TYPE_ENTRY_ITEM, flags);
  /* The application's runner, once signed in. */
  properties[PROP_RUNNER] = g_param_spec_object ("runner", NULL, NULL, JSW_TYPE_RUNNER, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-entry-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, needs_you_revealer);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, needs_you_label);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, questions_list);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_title);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_company);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_facts);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_state);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_progress);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_picture);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, browser_slot);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, skip_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, save_answers_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, send_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, dont_send_button);

  gtk_widget_class_install_action (widget_class, "detail.skip", NULL, skip);
  gtk_widget_class_install_action (widget_class, "detail.save-answers", NULL, save_answers);
  gtk_widget_class_install_action (widget_class, "detail.send", NULL, send_reviewed);
  gtk_widget_class_install_action (widget_class, "detail.dont-send", NULL, dont_send);
}

static void
jsw_entry_detail_init (JswEntryDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
