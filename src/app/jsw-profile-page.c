/* jsw-profile-page.c
 *
 * The profile editor: a copy of the store's JswProfile, edited in place
 * (its rows bound to its properties, or written to it as they change), and
 * saved through the store whenever the whole of it is valid. A value that
 * is not (an e-mail address, a telephone number, a URL) marks its row with
 * the error style and says why; nothing is saved until it is fixed, so
 * forms never get what the person had not finished typing.
 *
 * Its rows are made from the one list of fields (jsw_profile_get_fields(),
 * jsw_profile_get_item_fields(), jsw_profile_get_eeo_fields()); each row is
 * named after its field (gtk_widget_get_name()), so tests find it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-profile-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-profile-page-private.h"

G_DEFINE_FINAL_TYPE (JswProfilePage, jsw_profile_page, ADW_TYPE_PREFERENCES_PAGE)

/* Saving */

/**
 * jsw_profile_page_save:
 * @error: JSW_ERROR_INVALID naming what is wrong, or the file's error
 *
 * Saves the edited profile if it is valid; otherwise changes nothing.
 */
gboolean
jsw_profile_page_save (JswProfilePage  *self,
                       GError         **error)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  return jsw_profile_store_save (self->store, self->profile, NULL, error);
}

static gboolean
save_now (gpointer data)
{
  JswProfilePage *self = data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  /* Invalid: the row at fault says so already; saved once it is fixed. */
  if (!jsw_profile_store_save (self->store, self->profile, NULL, &error))
    g_debug ("not saved: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* Each change is saved half a second after the typing stops. */
static void
save_soon (JswProfilePage *self)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (500, save_now, self);
}

/* Checking as the person types */

static void
show_check (GtkWidget  *row,
            GError     *error)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "jsw-error-icon");

  if (error != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (icon, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_visible (icon, error != NULL);
}

static void
check_row (GtkWidget *row)
{
  const JswProfileField *field = g_object_get_data (G_OBJECT (row), "jsw-field");
  g_autoptr(GError) error = NULL;

  jsw_profile_check_value (field, gtk_editable_get_text (GTK_EDITABLE (row)), &error);
  show_check (row, error);
}

/* An entry row for @field, checked as it changes. */
GtkWidget *
_jsw_profile_page_field_row (const JswProfileField *field,
                             const char            *text)
{
  static const GtkInputPurpose purposes[] = {
    [JSW_PROFILE_CHECK_NONE] = GTK_INPUT_PURPOSE_FREE_FORM,
    [JSW_PROFILE_CHECK_EMAIL] = GTK_INPUT_PURPOSE_EMAIL,
    [JSW_PROFILE_CHECK_PHONE] = GTK_INPUT_PURPOSE_PHONE,
    [JSW_PROFILE_CHECK_URL] = GTK_INPUT_PURPOSE_URL,
  };
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->title));
  gtk_widget_set_name (row, field->name);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), purposes[field->check]);
  gtk_widget_set_visible (icon, FALSE);
  gtk_widget_add_css_class (icon, "error");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "jsw-error-icon", icon);
  g_object_set_data (G_OBJECT (row), "jsw-field", (gpointer) field);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  check_row (row);
  g_signal_connect (row, "changed", G_CALLBACK (check_row), NULL);
  return row;
}

static void
on_profile_changed (JswProfilePage *self)
{
  save_soon (self);
}

/* Your details: one row per text member, bound to the profile's property
 * of the same name; the cover letter a paragraph of its own. */

static void
on_letter_changed (GtkTextBuffer  *buffer,
                   JswProfilePage *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  jsw_profile_set_string (self->profile, "cover_letter", text);
}

static void
add_details (JswProfilePage *self)
{
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_fields (&n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *property = g_strdelimit (g_strdup (fields[i].name), "_", '-');
      GtkWidget *row;

      if (fields[i].kind == JSW_PROFILE_FIELD_FLAG)
        {
          GtkWidget *toggle = gtk_switch_new ();

          row = adw_action_row_new ();
          gtk_widget_set_name (row, fields[i].name);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       _("Tick the boxes a form requires, such as its terms or privacy notice"));
          gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
          g_object_bind_property (self->profile, property, toggle, "active",
                                  G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
          adw_preferences_group_add (self->details_group, row);
          continue;
        }
      if (fields[i].kind != JSW_PROFILE_FIELD_TEXT || fields[i].multiline)
        continue;
      row = _jsw_profile_page_field_row (&fields[i], jsw_profile_get_string (self->profile, fields[i].name));
      g_object_bind_property (row, "text", self->profile, property, G_BINDING_DEFAULT);
      adw_preferences_group_add (self->details_group, row);
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->letter_view),
                            jsw_profile_get_string (self->profile, "cover_letter") ?: "", -1);
  g_signal_connect (gtk_text_view_get_buffer (self->letter_view), "changed", G_CALLBACK (on_letter_changed), self);
}

/* The resume: its name and size, Replace and Remove. */

static void
show_resume (JswProfilePage *self)
{
  const char *path = jsw_profile_get_resume_path (self->profile);
  g_autoptr(GFile) file = path ? g_file_new_for_path (path) : NULL;
  g_autoptr(GFileInfo) info = file ? g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                        G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                        G_FILE_QUERY_INFO_NONE, NULL, NULL) : NULL;
  g_autofree char *size = info ? g_format_size (g_file_info_get_size (info)) : NULL;
  g_autofree char *subtitle = NULL;

  if (path == NULL)
    subtitle = g_strdup (_("None; forms that require one will ask you"));
  else if (info == NULL)
    /* Moved or deleted since it was chosen. */
    subtitle = g_strdup_printf (_("%s is missing; choose it again"), path);
  else
    /* TRANSLATORS: a file's name and its size, "Resume.pdf — 48.2 kB" */
    subtitle = g_strdup_printf (_("%s — %s"), g_file_info_get_display_name (info), size);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->resume_row), _("Resume"));
  adw_action_row_set_subtitle (self->resume_row, subtitle);
  gtk_button_set_label (GTK_BUTTON (self->resume_choose), path ? _("_Replace…") : _("_Choose…"));
  gtk_widget_set_visible (self->resume_remove, path != NULL);
  if (info == NULL && path != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->resume_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->resume_row), "error");
}

static void
resume_chosen (GtkNativeDialog *dialog,
               int              response,
               JswProfilePage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        jsw_profile_set_string (self->profile, "resume_path", path);
      show_resume (self);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_resume (JswProfilePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose Your Resume"),
                                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_autoptr(GtkFileFilter) documents = gtk_file_filter_new ();

  gtk_file_filter_set_name (documents, _("Documents"));
  gtk_file_filter_add_mime_type (documents, "application/pdf");
  gtk_file_filter_add_mime_type (documents, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  gtk_file_filter_add_mime_type (documents, "application/msword");
  gtk_file_filter_add_mime_type (documents, "application/vnd.oasis.opendocument.text");
  gtk_file_filter_add_mime_type (documents, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), documents);
  g_signal_connect (chooser, "response", G_CALLBACK (resume_chosen), g_object_ref (self));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
remove_resume (JswProfilePage *self)
{
  jsw_profile_set_string (self->profile, "resume_path", NULL);
  show_resume (self);
}

GtkWidget *
_jsw_profile_page_icon_button (const char *icon_name,
                               const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* Self-identification: a choice of the fixed answers, or none. */

static void
on_eeo_selected (AdwComboRow    *row,
                 GParamSpec     *pspec,
                 JswProfilePage *self)
{
  const char *field = gtk_widget_get_name (GTK_WIDGET (row));
  const char * const *values = g_object_get_data (G_OBJECT (row), "jsw-values");
  guint selected = adw_combo_row_get_selected (row);

  jsw_profile_set_map_value (self->profile, "eeo", field, selected == 0 ? NULL : values[selected - 1]);
}

static void
add_eeo (JswProfilePage *self)
{
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_eeo_fields (&n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *current = jsw_profile_get_map_value (self->profile, "eeo", fields[i].name);
      g_autoptr(GtkStringList) shown = gtk_string_list_new ((const char *[]) { _("Not Given"), NULL });
      g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
      GtkWidget *row = adw_combo_row_new ();
      guint selected = 0, n = 0;

      for (const char * const *choice = fields[i].choices; *choice != NULL; choice++)
        {
          gtk_string_list_append (shown, _(*choice));
          g_strv_builder_add (values, *choice);
          n++;
          if (g_strcmp0 (current, *choice) == 0)
            selected = n;
        }
      /* An answer of the person's own words is kept, and offered. */
      if (current != NULL && selected == 0)
        {
          gtk_string_list_append (shown, current);
          g_strv_builder_add (values, current);
          selected = ++n;
        }
      gtk_widget_set_name (row, fields[i].name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (shown));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "jsw-values", g_strv_builder_end (values), (GDestroyNotify) g_strfreev);
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_eeo_selected), self);
      adw_preferences_group_add (self->eeo_group, row);
    }
}

AdwPreferencesGroup *
_jsw_profile_page_new_group (JswProfilePage *self,
                             const char     *title,
                             const char     *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
  return ADW_PREFERENCES_GROUP (group);
}

static void
build (JswProfilePage *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->details_group = _jsw_profile_page_new_group (self, _("Your Details"), _("Used only in the forms they are meant for"));

  self->letter_group = _jsw_profile_page_new_group (self, _("Cover Letter"), _("For forms that ask for one"));
  self->letter_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_widget_set_name (GTK_WIDGET (self->letter_view), "cover_letter");
  gtk_text_view_set_wrap_mode (self->letter_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->letter_view, FALSE);
  gtk_text_view_set_top_margin (self->letter_view, 12);
  gtk_text_view_set_bottom_margin (self->letter_view, 12);
  gtk_text_view_set_left_margin (self->letter_view, 12);
  gtk_text_view_set_right_margin (self->letter_view, 12);
  gtk_widget_set_size_request (GTK_WIDGET (self->letter_view), -1, 160);
  gtk_widget_add_css_class (GTK_WIDGET (self->letter_view), "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->letter_view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cover Letter"), -1);
  adw_preferences_group_add (self->letter_group, GTK_WIDGET (self->letter_view));

  self->resume_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->resume_row), "resume_path");
  self->resume_choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  gtk_widget_set_valign (self->resume_choose, GTK_ALIGN_CENTER);
  self->resume_remove = _jsw_profile_page_icon_button ("user-trash-symbolic", _("Remove the Resume"));
  gtk_box_append (GTK_BOX (buttons), self->resume_choose);
  gtk_box_append (GTK_BOX (buttons), self->resume_remove);
  adw_action_row_add_suffix (self->resume_row, buttons);
  g_signal_connect_swapped (self->resume_choose, "clicked", G_CALLBACK (choose_resume), self);
  g_signal_connect_swapped (self->resume_remove, "clicked", G_CALLBACK (remove_resume), self);
  adw_preferences_group_add (_jsw_profile_page_new_group (self, _("Resume"), NULL), GTK_WIDGET (self->resume_row));

  add_details (self);
  show_resume (self);
  _jsw_profile_page_add_lists (self);

  _jsw_profile_page_add_answers (self);

  self->eeo_group = _jsw_profile_page_new_group (self, _("Voluntary Self-Identification"),
                               _("Not given, forms get “decline to self-identify” where they offer it"));
  add_eeo (self);
}

/* On the server: the switch (the setting itself), and what the server
 * last answered under it. */

static void
on_sync_failed (JswProfileSync *sync,
                GParamSpec     *pspec,
                GtkWidget      *row)
{
  if (jsw_profile_sync_get_failed (sync))
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/**
 * jsw_profile_page_add_server:
 * @sync: the profile kept on the server, which follows @settings
 * @settings: org.jobswipe.JobSwipe; its `keep-profile-on-server` is the switch
 *
 * Adds, first on the page, the switch that keeps the profile and resume
 * on the server too (issue 11), and a row saying when they were last sent
 * or why the server refused them.
 */
void
jsw_profile_page_add_server (JswProfilePage *self,
                             JswProfileSync *sync,
                             GSettings      *settings)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *status = adw_action_row_new ();

  g_return_if_fail (self->sync == NULL);
  self->sync = g_object_ref (sync);

  adw_preferences_group_set_title (group, _("On the Server"));
  adw_preferences_group_set_description (group, _("Sealed there with the server’s key, and given only to the worker applying for you"));
  gtk_widget_set_name (row, "keep-profile-on-server");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 _("Also keep my profile on the server so it can apply while this computer is off"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (settings, "keep-profile-on-server", toggle, "active", G_SETTINGS_BIND_DEFAULT);

  gtk_widget_set_name (status, "server-status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (status), _("Server Copy"));
  g_object_bind_property (sync, "status", status, "subtitle", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (sync, "notify::failed", G_CALLBACK (on_sync_failed), status, 0);
  on_sync_failed (sync, NULL, status);

  adw_preferences_group_add (group, row);
  adw_preferences_group_add (group, status);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
  /* First: it is about the whole page. */
  gtk_widget_insert_after (GTK_WIDGET (group), gtk_widget_get_parent (GTK_WIDGET (self->details_group)), NULL);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Once the row is laid out: the focus, and its page scrolled so that it
 * is in the middle (the viewport's own scroll-to-focus misses a focus
 * given as the window first maps). */
static gboolean
scroll_to_row (GtkWidget     *row,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  GtkWidget *content = viewport ? gtk_widget_get_first_child (viewport) : NULL;
  GtkAdjustment *adjustment;
  graphene_point_t top;

  if (content == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (row) == 0 ||
      !gtk_widget_compute_point (row, content, &GRAPHENE_POINT_INIT (0, 0), &top))
    return G_SOURCE_CONTINUE;
  /* Given here too: a window that has just opened gives the focus to its
   * first widget as it maps. */
  gtk_widget_grab_focus (row);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, top.y - (gtk_adjustment_get_page_size (adjustment) - gtk_widget_get_height (row)) / 2);
  return G_SOURCE_REMOVE;
}

static void
focus_when_mapped (GtkWidget *row)
{
  g_signal_handlers_disconnect_by_func (row, focus_when_mapped, NULL);
  gtk_widget_grab_focus (row);
  gtk_widget_add_tick_callback (row, scroll_to_row, NULL, NULL);
}

/**
 * jsw_profile_page_show_field:
 * @name: a member of PROFILE.json, as its row is named ("phone")
 *
 * Gives @name's row the focus, which scrolls it into view, now or once the
 * page is shown: "Fix in Profile" for a field an employer's form refused.
 *
 * Returns: FALSE when the page has no row for @name
 */
gboolean
jsw_profile_page_show_field (JswProfilePage *self,
                             const char     *name)
{
  GtkWidget *row = find_named (GTK_WIDGET (self), name);

  if (row == NULL)
    return FALSE;
  if (gtk_widget_get_mapped (row))
    focus_when_mapped (row);
  else
    g_signal_connect (row, "map", G_CALLBACK (focus_when_mapped), NULL);
  return TRUE;
}

JswProfile *
jsw_profile_page_get_profile (JswProfilePage *self)
{
  return self->profile;
}

static void
jsw_profile_page_dispose (GObject *object)
{
  JswProfilePage *self = (JswProfilePage *) object;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->profile);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (jsw_profile_page_parent_class)->dispose (object);
}

static void
jsw_profile_page_finalize (GObject *object)
{
  JswProfilePage *self = (JswProfilePage *) object;

  for (guint i = 0; i < G_N_ELEMENTS (self->list_rows); i++)
    g_clear_pointer (&self->list_rows[i], g_ptr_array_unref);
  g_clear_pointer (&self->answer_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (jsw_profile_page_parent_class)->finalize (object);
}

static void
jsw_profile_page_class_init (JswProfilePageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_profile_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = jsw_profile_page_finalize;
}

static void
jsw_profile_page_init (JswProfilePage *self)
{
}

/* @store: the profile's store; the page edits a copy of its profile and
 * saves it there once valid. */
GtkWidget *
jsw_profile_page_new (JswProfileStore *store)
{
  JswProfilePage *self = g_object_new (JSW_TYPE_PROFILE_PAGE,
                                       "title", _("Profile"),
                                       "icon-name", "avatar-default-symbolic",
                                       "name", "profile",
                                       NULL);

  self->store = g_object_ref (store);
  self->profile = jsw_profile_store_dup_profile (store);
  build (self);
  g_signal_connect_swapped (self->profile, "changed", G_CALLBACK (on_profile_changed), self);
  return GTK_WIDGET (self);
}
