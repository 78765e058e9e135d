/* jsw-profile-page-lists.c
 *
 * The profile page's lists: work history and education (an expander row
 * per item, Add and Remove) and the saved answers (the question as a
 * person reads it, the answer, Add and Delete).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-profile-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-profile-page-private.h"

static const char *lists[] = { "experience", "education" };

static void rebuild_list (JswProfilePage *self, guint which);
static void rebuild_answers (JswProfilePage *self);

/* Work history and education: an expander row per item, Add and Remove. */

static char *
item_title (JswProfile *profile,
            guint       which,
            guint       index)
{
  const char *first = jsw_profile_get_item_value (profile, lists[which], index, which == 0 ? "title" : "degree");
  const char *second = jsw_profile_get_item_value (profile, lists[which], index, which == 0 ? "company" : "school");

  if (first != NULL && second != NULL)
    /* TRANSLATORS: "Engineer at Acme", "BSc at University of London" */
    return g_strdup_printf (_("%s at %s"), first, second);
  if (first != NULL || second != NULL)
    return g_strdup (first ? first : second);
  return g_strdup (which == 0 ? _("New Position") : _("New Education"));
}

typedef struct {
  JswProfilePage        *page;
  guint                  which;
  guint                  index;
  const JswProfileField *field;
} ItemField;

static void
on_item_field_changed (GtkEditable *row,
                       ItemField   *where)
{
  JswProfilePage *self = where->page;
  GtkWidget *expander = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_EXPANDER_ROW);
  g_autofree char *title = NULL;

  jsw_profile_set_item_value (self->profile, lists[where->which], where->index, where->field->name,
                              gtk_editable_get_text (row));
  title = item_title (self->profile, where->which, where->index);
  if (expander != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
}

static void
remove_item (GtkButton *button,
             ItemField *where)
{
  JswProfilePage *self = where->page;
  guint which = where->which;

  jsw_profile_remove_item (self->profile, lists[which], where->index);
  rebuild_list (self, which);
}

static GtkWidget *
item_row (JswProfilePage *self,
          guint           which,
          guint           index)
{
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_item_fields (lists[which], &n_fields);
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *title = item_title (self->profile, which, index);
  g_autofree char *name = g_strdup_printf ("%s/%u", lists[which], index);
  GtkWidget *remove = _jsw_profile_page_icon_button ("user-trash-symbolic", which == 0 ? _("Remove This Position") : _("Remove This Education"));
  ItemField *where;

  gtk_widget_set_name (remove, "remove");
  gtk_widget_set_name (expander, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  for (guint i = 0; i < n_fields; i++)
    {
      GtkWidget *row = _jsw_profile_page_field_row (&fields[i], jsw_profile_get_item_value (self->profile, lists[which], index, fields[i].name));

      where = g_new (ItemField, 1);
      *where = (ItemField) { self, which, index, &fields[i] };
      g_signal_connect_data (row, "changed", G_CALLBACK (on_item_field_changed), where, (GClosureNotify) g_free, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  where = g_new (ItemField, 1);
  *where = (ItemField) { self, which, index, NULL };
  g_signal_connect_data (remove, "clicked", G_CALLBACK (remove_item), where, (GClosureNotify) g_free, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), remove);
  return expander;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
rebuild_list (JswProfilePage *self,
              guint           which)
{
  guint n_items = jsw_profile_get_n_items (self->profile, lists[which]);

  clear_rows (self->lists_group[which], self->list_rows[which]);
  for (guint i = 0; i < n_items; i++)
    {
      GtkWidget *row = item_row (self, which, i);

      g_ptr_array_add (self->list_rows[which], row);
      adw_preferences_group_add (self->lists_group[which], row);
    }
}

static void
add_item (GtkButton      *button,
          JswProfilePage *self)
{
  guint which = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "jsw-list"));
  guint index = jsw_profile_add_item (self->profile, lists[which]);

  rebuild_list (self, which);
  adw_expander_row_set_expanded (g_ptr_array_index (self->list_rows[which], index), TRUE);
}

static GtkWidget *
add_button (const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

void
_jsw_profile_page_add_lists (JswProfilePage *self)
{
  static const char *descriptions[] = {
    N_("For forms that ask where you worked, newest first"),
    N_("For forms that ask where you studied"),
  };
  static const char *add_labels[] = { N_("_Add Position"), N_("Add _Education") };

  for (guint which = 0; which < G_N_ELEMENTS (lists); which++)
    {
      GtkWidget *add = add_button (_(add_labels[which]));

      self->lists_group[which] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      gtk_widget_set_name (GTK_WIDGET (self->lists_group[which]), lists[which]);
      adw_preferences_group_set_title (self->lists_group[which], _(jsw_profile_find_field (lists[which])->title));
      adw_preferences_group_set_description (self->lists_group[which], _(descriptions[which]));
      g_object_set_data (G_OBJECT (add), "jsw-list", GUINT_TO_POINTER (which));
      g_signal_connect (add, "clicked", G_CALLBACK (add_item), self);
      adw_preferences_group_set_header_suffix (self->lists_group[which], add);
      self->list_rows[which] = g_ptr_array_new ();
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->lists_group[which]);
      rebuild_list (self, which);
    }
}

/* Saved answers: the question as a person reads it, the answer, Delete;
 * Add asks for both. */

static void
on_answer_changed (GtkEditable    *row,
                   JswProfilePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "jsw-key");
  const char *text = gtk_editable_get_text (row);

  /* Emptied is not forgotten (Delete is): a half-typed answer stays. */
  if (*text != '\0')
    jsw_profile_set_map_value (self->profile, "answers", key, text);
}

static void
delete_answer (GtkButton      *button,
               JswProfilePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "jsw-key");

  jsw_profile_set_map_value (self->profile, "answers", key, NULL);
  rebuild_answers (self);
}

static void
rebuild_answers (JswProfilePage *self)
{
  g_auto(GStrv) keys = jsw_profile_dup_map_keys (self->profile, "answers");

  clear_rows (self->answers_group, self->answer_rows);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      GtkWidget *delete = _jsw_profile_page_icon_button ("user-trash-symbolic", _("Delete This Answer"));

      gtk_widget_set_name (delete, "delete");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), jsw_profile_answer_title (keys[i]));
      gtk_widget_set_name (row, keys[i]);
      gtk_editable_set_text (GTK_EDITABLE (row), jsw_profile_get_map_value (self->profile, "answers", keys[i]));
      g_object_set_data_full (G_OBJECT (row), "jsw-key", g_strdup (keys[i]), g_free);
      g_object_set_data_full (G_OBJECT (delete), "jsw-key", g_strdup (keys[i]), g_free);
      g_signal_connect (row, "changed", G_CALLBACK (on_answer_changed), self);
      g_signal_connect (delete, "clicked", G_CALLBACK (delete_answer), self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), delete);
      g_ptr_array_add (self->answer_rows, row);
      adw_preferences_group_add (self->answers_group, row);
    }
}

static void
on_new_answer_response (AdwMessageDialog *dialog,
                        const char       *response,
                        JswProfilePage   *self)
{
  GtkEditable *question = g_object_get_data (G_OBJECT (dialog), "jsw-question");
  GtkEditable *answer = g_object_get_data (G_OBJECT (dialog), "jsw-answer");

  if (g_str_equal (response, "add") && *gtk_editable_get_text (question) != '\0')
    {
      jsw_profile_set_map_value (self->profile, "answers", gtk_editable_get_text (question), gtk_editable_get_text (answer));
      rebuild_answers (self);
    }
}

static void
on_new_answer_edited (GtkEditable      *editable,
                      AdwMessageDialog *dialog)
{
  GtkEditable *question = g_object_get_data (G_OBJECT (dialog), "jsw-question");
  GtkEditable *answer = g_object_get_data (G_OBJECT (dialog), "jsw-answer");

  adw_message_dialog_set_response_enabled (dialog, "add",
                                           *gtk_editable_get_text (question) != '\0' &&
                                           *gtk_editable_get_text (answer) != '\0');
}

static void
new_answer (JswProfilePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("New Saved Answer"),
                                              _("Forms that ask this question, also in other words, get this answer."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *question = adw_entry_row_new ();
  GtkWidget *answer = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (question), _("Question"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (answer), _("Answer"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (answer), TRUE);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), question);
  gtk_list_box_append (GTK_LIST_BOX (list), answer);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  g_object_set_data (G_OBJECT (dialog), "jsw-question", question);
  g_object_set_data (G_OBJECT (dialog), "jsw-answer", answer);
  g_signal_connect (question, "changed", G_CALLBACK (on_new_answer_edited), dialog);
  g_signal_connect (answer, "changed", G_CALLBACK (on_new_answer_edited), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_answer_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_jsw_profile_page_add_answers (JswProfilePage *self)
{
  GtkWidget *add_answer = add_button (_("_Add Answer"));

  self->answers_group = _jsw_profile_page_new_group (self, _("Saved Answers"),
                                                     _("Matched to the questions of each form, also when they are worded differently"));
  g_signal_connect_swapped (add_answer, "clicked", G_CALLBACK (new_answer), self);
  adw_preferences_group_set_header_suffix (self->answers_group, add_answer);
  self->answer_rows = g_ptr_array_new ();
  rebuild_answers (self);
}
