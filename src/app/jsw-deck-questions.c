/* jsw-deck-questions.c
 *
 * A right swipe on a posting whose form asks required questions the
 * profile does not answer asks them first, in a dialog over the window:
 * each as the form has it (a line of text, several lines for a textarea,
 * one of its choices, several of them, yes or no; long questions wrap).
 * "Save and Apply" is there once every one is answered; the answers go to
 * the profile's saved answers, keyed by the question as the form words
 * it, where the engine finds them when it fills the form in, for this
 * posting and every later one that asks the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-questions"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-questions.h"

typedef struct {
  JswDeckQuestionsDone  done;
  gpointer              data;
  GPtrArray            *rows;      /* one GtkWidget per question, with "jsw-question" set */
  AdwMessageDialog     *dialog;
} Asking;

static void
asking_free (Asking *asking)
{
  g_ptr_array_unref (asking->rows);
  g_free (asking);
}

static const char *
field_type (JsonObject *question)
{
  JsonArray *fields = json_object_get_array_member (question, "fields");

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);
      const char *type = json_object_get_string_member_with_default (field, "type", "text");

      if (!g_str_equal (type, "hidden"))
        return type;
    }
  return "text";
}

static JsonArray *
field_options (JsonObject *question)
{
  JsonArray *fields = json_object_get_array_member (question, "fields");
  JsonObject *field = fields && json_array_get_length (fields) > 0 ? json_array_get_object_element (fields, 0) : NULL;

  return field ? json_object_get_array_member (field, "options") : NULL;
}

/* The answer a row holds, or NULL while it holds none. */
static char *
row_answer (GtkWidget *row)
{
  const char *kind = g_object_get_data (G_OBJECT (row), "jsw-kind");

  if (g_str_equal (kind, "text") || g_str_equal (kind, "long_text"))
    {
      GtkWidget *input = g_object_get_data (G_OBJECT (row), "jsw-input");
      g_autofree char *text = NULL;

      if (GTK_IS_TEXT_VIEW (input))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (input));
          GtkTextIter start, end;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        }
      else
        text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (input)));
      g_strstrip (text);
      return *text ? g_steal_pointer (&text) : NULL;
    }
  if (g_str_equal (kind, "choice"))
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
      GtkStringObject *item;

      /* The first item is "Choose…", not an answer. */
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
        return NULL;
      item = g_list_model_get_item (adw_combo_row_get_model (ADW_COMBO_ROW (row)), selected);
      {
        char *answer = g_strdup (gtk_string_object_get_string (item));

        g_object_unref (item);
        return answer;
      }
    }
  if (g_str_equal (kind, "yes_no"))
    {
      GtkToggleButton *yes = g_object_get_data (G_OBJECT (row), "jsw-yes");
      GtkToggleButton *no = g_object_get_data (G_OBJECT (row), "jsw-no");

      if (gtk_toggle_button_get_active (yes))
        return g_strdup (_("Yes"));
      return gtk_toggle_button_get_active (no) ? g_strdup (_("No")) : NULL;
    }
  /* Several choices: the chosen ones' labels, as the form shows them. */
  {
    GPtrArray *checks = g_object_get_data (G_OBJECT (row), "jsw-checks");
    g_autoptr(GString) chosen = g_string_new (NULL);

    for (guint i = 0; i < checks->len; i++)
      if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
        g_string_append_printf (chosen, "%s%s", chosen->len ? ", " : "",
                                (const char *) g_object_get_data (g_ptr_array_index (checks, i), "jsw-label"));
    return chosen->len ? g_string_free (g_steal_pointer (&chosen), FALSE) : NULL;
  }
}

static void
update_apply (Asking *asking)
{
  gboolean complete = TRUE;

  for (guint i = 0; i < asking->rows->len && complete; i++)
    {
      g_autofree char *answer = row_answer (g_ptr_array_index (asking->rows, i));

      complete = answer != NULL;
    }
  adw_message_dialog_set_response_enabled (asking->dialog, "apply", complete);
}

/* The question as the form words it, never read for mnemonics. */
static void
set_title (GtkWidget  *row,
           const char *label)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
}

/* A question answered in words: its title above the input, wrapped, as
 * an entry row would cut a long question off in the narrow dialog; a line
 * of text for a text field, several lines for a textarea. */
static GtkWidget *
text_row (const char *label,
          gboolean    long_text,
          Asking     *asking)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *input;

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  if (long_text)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      input = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (input), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (input), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (input), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (input), 6);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (input), 6);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (input), 6);
      /* About four lines, then it scrolls. */
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 100);
      gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), input);
      gtk_box_append (GTK_BOX (box), scroller);
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), "changed",
                                G_CALLBACK (update_apply), asking);
    }
  else
    {
      input = gtk_entry_new ();
      gtk_box_append (GTK_BOX (box), input);
      g_signal_connect_swapped (input, "changed", G_CALLBACK (update_apply), asking);
    }
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  set_title (row, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, long_text, -1);
  g_object_set_data (G_OBJECT (row), "jsw-kind", (gpointer) (long_text ? "long_text" : "text"));
  g_object_set_data (G_OBJECT (row), "jsw-input", input);
  return row;
}

static GtkWidget *
choice_row (const char *label,
            JsonArray  *options,
            Asking     *asking)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);

  gtk_string_list_append (items, _("Choose…"));
  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    gtk_string_list_append (items, json_object_get_string_member_with_default (json_array_get_object_element (options, i),
                                                                               "label", ""));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
  set_title (row, label);
  g_object_set_data (G_OBJECT (row), "jsw-kind", (gpointer) "choice");
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (update_apply), asking);
  return row;
}

static GtkWidget *
yes_no_row (const char *label,
            Asking     *asking)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *yes = gtk_toggle_button_new_with_mnemonic (_("_Yes"));
  GtkWidget *no = gtk_toggle_button_new_with_mnemonic (_("_No"));

  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (no), GTK_TOGGLE_BUTTON (yes));
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), yes);
  gtk_box_append (GTK_BOX (box), no);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  set_title (row, label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (yes), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, row, NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (no), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, row, NULL, -1);
  g_object_set_data (G_OBJECT (row), "jsw-kind", (gpointer) "yes_no");
  g_object_set_data (G_OBJECT (row), "jsw-yes", yes);
  g_object_set_data (G_OBJECT (row), "jsw-no", no);
  g_signal_connect_swapped (yes, "toggled", G_CALLBACK (update_apply), asking);
  g_signal_connect_swapped (no, "toggled", G_CALLBACK (update_apply), asking);
  return row;
}

static GtkWidget *
several_row (const char *label,
             JsonArray  *options,
             Asking     *asking)
{
  GtkWidget *row = adw_expander_row_new ();
  GPtrArray *checks = g_ptr_array_new ();

  set_title (row, label);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Choose all that apply"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      const char *text = json_object_get_string_member_with_default (json_array_get_object_element (options, i), "label", "");
      GtkWidget *option = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      set_title (option, text);
      adw_action_row_add_prefix (ADW_ACTION_ROW (option), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (option), check);
      g_object_set_data_full (G_OBJECT (check), "jsw-label", g_strdup (text), g_free);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_apply), asking);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), option);
      g_ptr_array_add (checks, check);
    }
  g_object_set_data (G_OBJECT (row), "jsw-kind", (gpointer) "several");
  g_object_set_data_full (G_OBJECT (row), "jsw-checks", checks, (GDestroyNotify) g_ptr_array_unref);
  return row;
}

static GtkWidget *
question_row (JsonObject *question,
              Asking     *asking)
{
  const char *label = json_object_get_string_member_with_default (question, "label", "");
  const char *type = field_type (question);
  JsonArray *options = field_options (question);
  const char *description = json_object_get_null_member (question, "description")
                            ? NULL : json_object_get_string_member_with_default (question, "description", NULL);
  GtkWidget *row;

  if (g_str_equal (type, "single_select") && options != NULL && json_array_get_length (options) > 0)
    row = choice_row (label, options, asking);
  else if (g_str_equal (type, "multi_select") && options != NULL && json_array_get_length (options) > 0)
    row = several_row (label, options, asking);
  else if (g_str_equal (type, "boolean"))
    row = yes_no_row (label, asking);
  else
    row = text_row (label, g_str_equal (type, "textarea"), asking);
  if (description != NULL && *description)
    gtk_widget_set_tooltip_text (row, description);
  g_object_set_data_full (G_OBJECT (row), "jsw-question", g_strdup (label), g_free);
  return row;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Asking           *asking)
{
  g_autoptr(GHashTable) answers = NULL;

  if (g_str_equal (response, "apply"))
    {
      answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < asking->rows->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (asking->rows, i);
          char *answer = row_answer (row);

          if (answer != NULL)
            g_hash_table_replace (answers, g_strdup (g_object_get_data (G_OBJECT (row), "jsw-question")), answer);
        }
    }
  asking->done (answers, asking->data);
}

/**
 * jsw_deck_questions_ask:
 * @parent: a widget of the window to ask over
 * @posting: the POSTING applied to
 * @questions: its unanswered required QUESTIONs (docs/server.md)
 * @done: called once, with the answers or %NULL
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
jsw_deck_questions_ask (GtkWidget            *parent,
                        JsonObject           *posting,
                        JsonArray            *questions,
                        JswDeckQuestionsDone  done,
                        gpointer              data)
{
  Asking *asking = g_new0 (Asking, 1);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  const char *company = json_object_get_string_member_with_default (posting, "company", "");
  g_autofree char *body = NULL;

  asking->done = done;
  asking->data = data;
  asking->rows = g_ptr_array_new ();
  /* TRANSLATORS: %s is the employer; the questions follow */
  body = g_strdup_printf (_("%s’s form asks these. Your answers are saved to your profile, for this and later "
                            "applications."), company);
  asking->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (parent)),
                                                               _("Before Applying"), body));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < json_array_get_length (questions); i++)
    {
      GtkWidget *row = question_row (json_array_get_object_element (questions, i), asking);

      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (asking->rows, row);
    }
  /* Many questions scroll; a few take only their room. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  adw_message_dialog_set_extra_child (asking->dialog, scroller);
  adw_message_dialog_add_responses (asking->dialog, "cancel", _("_Cancel"), "apply", _("_Save and Apply"), NULL);
  adw_message_dialog_set_response_appearance (asking->dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (asking->dialog, "apply");
  adw_message_dialog_set_close_response (asking->dialog, "cancel");
  update_apply (asking);
  g_signal_connect_data (asking->dialog, "response", G_CALLBACK (on_response), asking,
                         (GClosureNotify) asking_free, 0);
  gtk_window_present (GTK_WINDOW (asking->dialog));
  return GTK_WINDOW (asking->dialog);
}
