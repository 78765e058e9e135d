/* jsw-question-row.c
 *
 * A question the engine could not answer (resources/adapters/runtime.js
 * askFor()) becomes the row that asks it alike: one line of text as an
 * AdwEntryRow, where Enter continues (the row's "entry-activated", which
 * the pane listens to); a long answer as a text area; the form's options
 * of a select or of radios as an AdwComboRow; yes or no as a combo row
 * with nothing chosen yet (a switch would answer "no" for the person); a
 * file as a row with a file chooser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-question-row"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-question-row.h"

typedef struct {
  char       *label;
  JswAskKind  kind;
  GtkWidget  *text_view;  /* JSW_ASK_LONG_TEXT */
  char       *path;       /* JSW_ASK_FILE: the chosen file */
} Question;

static void
question_free (Question *question)
{
  g_free (question->label);
  g_free (question->path);
  g_free (question);
}

static Question *
question_of (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "jsw-question");
}

static GtkWidget *
long_text_row (Question *question)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (question->label);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  question->text_view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (question->text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (question->text_view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (question->text_view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (question->text_view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (question->text_view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (question->text_view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (question->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, question->label, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), question->text_view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
choice_row (Question           *question,
            const char * const *options)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (options);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question->label);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  /* Nothing is chosen for the person. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), GTK_INVALID_LIST_POSITION);
  return row;
}

static void
file_chosen (GtkNativeDialog *dialog,
             int              response,
             GtkWidget       *row)
{
  Question *question = question_of (row);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *name = g_file_get_basename (file);

      g_free (question->path);
      question->path = g_file_get_path (file);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), name);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (row);
}

/* GtkFileDialog is GTK 4.10; 4.8 has the native chooser (a portal when
 * sandboxed). */
static void
choose_file (GtkButton *button,
             GtkWidget *row)
{
  GtkRoot *root = gtk_widget_get_root (row);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Choose a File"),
                                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (file_chosen), g_object_ref (row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
file_row (Question *question)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Choose File…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("No file chosen"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  g_signal_connect (button, "clicked", G_CALLBACK (choose_file), row);
  return row;
}

/* Returns: (transfer floating): the row asking @blocker's question */
GtkWidget *
jsw_question_row_new (JswBlocker *blocker)
{
  Question *question = g_new0 (Question, 1);
  const char *yes_no[] = { _("Yes"), _("No"), NULL };
  GtkWidget *row;

  question->label = jsw_blocker_describe (blocker);
  question->kind = blocker->kind;
  switch (blocker->kind)
    {
    case JSW_ASK_LONG_TEXT:
      row = long_text_row (question);
      break;
    case JSW_ASK_CHOICE:
      row = choice_row (question, (const char * const *) blocker->options);
      break;
    case JSW_ASK_YES_NO:
      row = choice_row (question, yes_no);
      break;
    case JSW_ASK_FILE:
      row = file_row (question);
      break;
    case JSW_ASK_TEXT:
    default:
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question->label);
      break;
    }
  g_object_set_data_full (G_OBJECT (row), "jsw-question", question, (GDestroyNotify) question_free);
  return row;
}

/* The form's question, as the form words it. */
const char *
jsw_question_row_get_label (GtkWidget *row)
{
  return question_of (row)->label;
}

JswAskKind
jsw_question_row_get_kind (GtkWidget *row)
{
  return question_of (row)->kind;
}

/* Returns: (transfer full) (nullable): the answer given (a choice's
 * words, a file's path), or NULL while there is none */
char *
jsw_question_row_dup_answer (GtkWidget *row)
{
  Question *question = question_of (row);
  g_autofree char *answer = NULL;

  switch (question->kind)
    {
    case JSW_ASK_LONG_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (question->text_view));
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        answer = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        break;
      }
    case JSW_ASK_CHOICE:
    case JSW_ASK_YES_NO:
      {
        GtkStringObject *chosen = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));

        answer = chosen ? g_strdup (gtk_string_object_get_string (chosen)) : NULL;
        break;
      }
    case JSW_ASK_FILE:
      answer = g_strdup (question->path);
      break;
    case JSW_ASK_TEXT:
    default:
      answer = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
      break;
    }
  if (answer != NULL)
    g_strstrip (answer);
  if (answer == NULL || *answer == '\0')
    return NULL;
  return g_steal_pointer (&answer);
}

/* Gives @answer as a person would: typed, the option with these words
 * chosen, the file at this path chosen. Returns FALSE when the row cannot
 * take it (no such option). */
gboolean
jsw_question_row_set_answer (GtkWidget  *row,
                             const char *answer)
{
  Question *question = question_of (row);

  switch (question->kind)
    {
    case JSW_ASK_LONG_TEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (question->text_view)), answer, -1);
      return TRUE;
    case JSW_ASK_CHOICE:
    case JSW_ASK_YES_NO:
      {
        GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

        for (guint i = 0; i < g_list_model_get_n_items (model); i++)
          {
            g_autoptr(GtkStringObject) option = g_list_model_get_item (model, i);

            if (g_str_equal (gtk_string_object_get_string (option), answer))
              {
                adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
                return TRUE;
              }
          }
        return FALSE;
      }
    case JSW_ASK_FILE:
      {
        g_autofree char *name = g_path_get_basename (answer);

        if (!g_file_test (answer, G_FILE_TEST_IS_REGULAR))
          return FALSE;
        g_free (question->path);
        question->path = g_strdup (answer);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), name);
        return TRUE;
      }
    case JSW_ASK_TEXT:
    default:
      gtk_editable_set_text (GTK_EDITABLE (row), answer);
      return TRUE;
    }
}
