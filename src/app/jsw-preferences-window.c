/* jsw-preferences-window.c
 *
 * The execution mode lives on the server (PUT /v1/me/preference), so every
 * device of the person agrees; the other settings are this computer's. The
 * profile is saved when the window closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-plan-page.h"
#include "jsw-preferences-window.h"
#include "jsw-profile-store.h"
#include "jsw-screenshot.h"
#include "jsw-session.h"

struct _JswPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* The application's parts (its properties): */
  JswSession           *session;
  JswProfileStore      *profile_store;
  JsonNode             *profile;     /* the document being edited */
  GHashTable           *rows;        /* profile field -> AdwEntryRow */
  GHashTable           *answer_rows; /* question -> AdwEntryRow */
  GHashTable           *eeo_rows;    /* eeo field -> AdwEntryRow */
  gboolean              loading_mode;

  AdwComboRow          *mode_row;
  GtkSwitch            *auto_apply_switch;
  GtkSwitch            *start_at_login_switch;
  GtkSwitch            *review_switch;
  AdwActionRow         *plan_row;
  AdwActionRow         *usage_daily_row;
  AdwActionRow         *usage_month_row;
  AdwActionRow         *usage_server_row;
  AdwPreferencesGroup  *details_group;
  AdwActionRow         *resume_row;
  GtkButton            *resume_button;
  AdwPreferencesGroup  *answers_group;
  AdwPreferencesGroup  *eeo_group;
};

G_DEFINE_FINAL_TYPE (JswPreferencesWindow, jsw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *modes[] = { "auto", "desktop", "server", "ask" };

static const struct {
  const char *field;
  const char *title;
} eeo_fields[] = {
  { "gender", N_("Gender") },
  { "race", N_("Race or Ethnicity") },
  { "veteran", N_("Veteran Status") },
  { "disability", N_("Disability Status") },
};

static JsonObject *
profile_object (JswPreferencesWindow *self)
{
  return json_node_get_object (self->profile);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  if (!json_object_has_member (object, name) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    json_object_set_object_member (object, name, json_object_new ());
  return json_object_get_object_member (object, name);
}

static GtkWidget *
entry_row (AdwPreferencesGroup *group,
           const char          *title,
           const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_preferences_group_add (group, row);
  return row;
}

/* Usage */

static char *
usage_text (JsonObject *me,
            const char *counter)
{
  JsonObject *limits = json_object_get_object_member (me, "limits");
  JsonObject *usage = json_object_get_object_member (me, "usage");
  gint64 used = json_object_get_int_member (usage, counter);

  if (json_node_is_null (json_object_get_member (limits, counter)))
    return g_strdup_printf (_("%'" G_GINT64_FORMAT " used, no limit"), used);
  return g_strdup_printf (_("%'" G_GINT64_FORMAT " of %'" G_GINT64_FORMAT " used"),
                          used, json_object_get_int_member (limits, counter));
}

static void
show_account (JswPreferencesWindow *self,
              JsonObject           *me)
{
  const char *mode = json_object_get_string_member_with_default (me, "execution_mode", "auto");
  g_autofree char *daily = usage_text (me, "daily");
  g_autofree char *month = usage_text (me, "total_month");
  g_autofree char *server = usage_text (me, "server_month");

  adw_action_row_set_subtitle (self->plan_row, json_object_get_string_member_with_default (me, "plan", ""));
  adw_action_row_set_subtitle (self->usage_daily_row, daily);
  adw_action_row_set_subtitle (self->usage_month_row, month);
  adw_action_row_set_subtitle (self->usage_server_row, server);

  self->loading_mode = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (mode, modes[i]))
      adw_combo_row_set_selected (self->mode_row, i);
  self->loading_mode = FALSE;
}

static void
account_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JswPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status;
  g_autoptr(JsonNode) me = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (me != NULL && status == 200 && JSON_NODE_HOLDS_OBJECT (me))
    show_account (self, json_node_get_object (me));
  else
    adw_action_row_set_subtitle (self->plan_row, _("Not available while offline"));
  jsw_screenshot_soon (GTK_WIDGET (self), "preferences", 500);
}

static void
on_mode_selected (JswPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->mode_row);
  g_autofree char *body = NULL;

  if (self->loading_mode || selected >= G_N_ELEMENTS (modes))
    return;
  body = g_strdup_printf ("{\"execution_mode\":\"%s\"}", modes[selected]);
  jsw_session_rest_async (self->session, "PUT", "/v1/me/preference", body, NULL,
                          account_loaded, g_object_ref (self));
}

/* The resume */

static void
show_resume (JswPreferencesWindow *self)
{
  const char *path = json_object_get_string_member_with_default (profile_object (self), "resume_path", NULL);
  g_autofree char *name = path ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (self->resume_row, name ? name : _("None; forms that require one will ask you"));
}

static void
resume_chosen (GtkNativeDialog      *dialog,
               int                   response,
               JswPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        json_object_set_string_member (profile_object (self), "resume_path", path);
      show_resume (self);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_resume (JswPreferencesWindow *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose Your Resume"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_autoptr(GtkFileFilter) documents = gtk_file_filter_new ();

  gtk_file_filter_set_name (documents, _("Documents"));
  gtk_file_filter_add_mime_type (documents, "application/pdf");
  gtk_file_filter_add_mime_type (documents, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  gtk_file_filter_add_mime_type (documents, "application/msword");
  gtk_file_filter_add_mime_type (documents, "application/vnd.oasis.opendocument.text");
  gtk_file_filter_add_mime_type (documents, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), documents);
  g_signal_connect (chooser, "response", G_CALLBACK (resume_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Saving */

static void
collect (GHashTable *rows,
         JsonObject *into,
         gboolean    drop_empty)
{
  GHashTableIter iter;
  gpointer key, row;

  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

      if (*text == '\0' && drop_empty)
        json_object_remove_member (into, key);
      else if (*text == '\0')
        json_object_remove_member (into, key);
      else
        json_object_set_string_member (into, key, text);
    }
}

static gboolean
on_close_request (JswPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  collect (self->rows, profile_object (self), FALSE);
  /* An emptied answer is a forgotten one. */
  collect (self->answer_rows, member_object (profile_object (self), "answers"), TRUE);
  collect (self->eeo_rows, member_object (profile_object (self), "eeo"), TRUE);
  if (!jsw_profile_store_save_document (self->profile_store, self->profile, &error))
    g_warning ("Cannot save the profile: %s", error->message);
  return FALSE;
}

static void
fill_profile_page (JswPreferencesWindow *self)
{
  JsonObject *profile = profile_object (self);
  JsonObject *answers = member_object (profile, "answers");
  JsonObject *eeo = member_object (profile, "eeo");
  g_autoptr(GList) questions = json_object_get_members (answers);
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_fields (&n_fields);

  /* The text fields, one row each; the resume, the answers and the
   * self-identification have rows of their own below. */
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].kind == JSW_PROFILE_FIELD_TEXT)
      g_hash_table_insert (self->rows, (gpointer) fields[i].name,
                           entry_row (self->details_group, _(fields[i].title),
                                      json_object_get_string_member_with_default (profile, fields[i].name, NULL)));

  questions = g_list_sort (questions, (GCompareFunc) g_utf8_collate);
  for (GList *l = questions; l != NULL; l = l->next)
    g_hash_table_insert (self->answer_rows, g_strdup (l->data),
                         entry_row (self->answers_group, l->data,
                                    json_object_get_string_member_with_default (answers, l->data, NULL)));

  for (guint i = 0; i < G_N_ELEMENTS (eeo_fields); i++)
    g_hash_table_insert (self->eeo_rows, g_strdup (eeo_fields[i].field),
                         entry_row (self->eeo_group, _(eeo_fields[i].title),
                                    json_object_get_string_member_with_default (eeo, eeo_fields[i].field, NULL)));
  show_resume (self);
}

static void
jsw_preferences_window_dispose (GObject *object)
{
  JswPreferencesWindow *self = (JswPreferencesWindow *) object;

  g_clear_pointer (&self->profile, json_node_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->profile_store);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->answer_rows, g_hash_table_unref);
  g_clear_pointer (&self->eeo_rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (jsw_preferences_window_parent_class)->dispose (object);
}

static void
jsw_preferences_window_class_init (JswPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, mode_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, auto_apply_switch);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, start_at_login_switch);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, review_switch);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, usage_daily_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, usage_month_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, usage_server_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, details_group);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, resume_row);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, answers_group);
  gtk_widget_class_bind_template_child (widget_class, JswPreferencesWindow, eeo_group);
}

static void
jsw_preferences_window_init (JswPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->answer_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->eeo_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* @application: a JswApplication, whose `session` and `profile-store` the
 * window uses; the switches are its settings' actions (app.auto-apply…). */
GtkWidget *
jsw_preferences_window_new (GtkApplication *application,
                            GtkWindow      *parent)
{
  JswPreferencesWindow *self = g_object_new (JSW_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             "application", application,
                                             NULL);

  g_object_get (application, "session", &self->session, "profile-store", &self->profile_store, NULL);
  self->profile = jsw_profile_store_dup_document (self->profile_store);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_mode_selected), self);
  g_signal_connect_swapped (self->resume_button, "clicked", G_CALLBACK (choose_resume), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);

  fill_profile_page (self);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (jsw_plan_page_new (self->session)));
  jsw_session_rest_async (self->session, "GET", "/v1/me", NULL, NULL, account_loaded, g_object_ref (self));
  return GTK_WIDGET (self);
}
