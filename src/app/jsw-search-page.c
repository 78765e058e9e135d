/* jsw-search-page.c
 *
 * The Search page of Preferences: what the Discover view shows, kept on
 * the server (GET and PUT /v1/me/search, docs/server.md SEARCH) so that
 * every device of the person swipes through the same feed. Lists are
 * typed as text, separated by commas; each field is saved when applied
 * (Enter, or the row's apply button), the switch and the kinds of job when
 * changed. After a save the deck starts again from the new feed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-search-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-search-page.h"

static const struct {
  const char *type;
  const char *title;
} kinds[] = {
  { "full_time", N_("Full-time") },
  { "part_time", N_("Part-time") },
  { "contract", N_("Contract") },
  { "temporary", N_("Temporary") },
  { "internship", N_("Internship") },
};

struct _JswSearchPage
{
  AdwPreferencesPage   parent_instance;

  JswSession          *session;
  GCancellable        *cancellable;
  gboolean             loading;

  AdwEntryRow         *keywords_row;
  AdwEntryRow         *locations_row;
  GtkSwitch           *remote_switch;
  AdwPreferencesGroup *types_group;
  GtkCheckButton      *type_checks[G_N_ELEMENTS (kinds)];
  AdwEntryRow         *exclude_keywords_row;
  AdwEntryRow         *exclude_companies_row;
};

G_DEFINE_FINAL_TYPE (JswSearchPage, jsw_search_page, ADW_TYPE_PREFERENCES_PAGE)

static void
tell (JswSearchPage *self,
      const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* "backend, site reliability" -> ["backend", "site reliability"] */
static void
add_list (JsonBuilder *builder,
          const char  *member,
          AdwEntryRow *row)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (row)), ",", -1);

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        json_builder_add_string_value (builder, parts[i]);
    }
  json_builder_end_array (builder);
}

/**
 * jsw_search_page_to_json:
 *
 * Returns: (transfer full): the SEARCH the page shows, as `PUT
 *   /v1/me/search` takes it
 */
char *
jsw_search_page_to_json (JswSearchPage *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (JSW_IS_SEARCH_PAGE (self), NULL);

  json_builder_begin_object (builder);
  add_list (builder, "keywords", self->keywords_row);
  add_list (builder, "exclude_keywords", self->exclude_keywords_row);
  add_list (builder, "locations", self->locations_row);
  json_builder_set_member_name (builder, "remote_only");
  json_builder_add_boolean_value (builder, gtk_switch_get_active (self->remote_switch));
  json_builder_set_member_name (builder, "employment_types");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (gtk_check_button_get_active (self->type_checks[i]))
      json_builder_add_string_value (builder, kinds[i].type);
  json_builder_end_array (builder);
  add_list (builder, "exclude_companies", self->exclude_companies_row);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
show_list (AdwEntryRow *row,
           JsonObject  *search,
           const char  *member)
{
  JsonArray *array = json_object_get_array_member (search, member);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", json_array_get_string_element (array, i));
  gtk_editable_set_text (GTK_EDITABLE (row), text->str);
}

static void
show_search (JswSearchPage *self,
             JsonObject    *search)
{
  JsonArray *types = json_object_get_array_member (search, "employment_types");

  self->loading = TRUE;
  show_list (self->keywords_row, search, "keywords");
  show_list (self->locations_row, search, "locations");
  show_list (self->exclude_keywords_row, search, "exclude_keywords");
  show_list (self->exclude_companies_row, search, "exclude_companies");
  gtk_switch_set_active (self->remote_switch, json_object_get_boolean_member_with_default (search, "remote_only", FALSE));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gboolean wanted = FALSE;

      for (guint j = 0; types != NULL && j < json_array_get_length (types); j++)
        wanted |= g_strcmp0 (json_array_get_string_element (types, j), kinds[i].type) == 0;
      gtk_check_button_set_active (self->type_checks[i], wanted);
    }
  self->loading = FALSE;
}

static void
search_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JswSearchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);
  GtkRoot *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (status != 200 || answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = status == 0 ? g_strdup (_("The search is not saved: JobSwipe is offline"))
                              : g_strdup_printf (_("The search is not saved: %s"),
                                                 jsw_session_answer_message (answer) ? jsw_session_answer_message (answer) : _("the server refused it"));

      tell (self, text);
      return;
    }
  show_search (self, json_node_get_object (answer));
  tell (self, _("Search saved: Discover shows what matches it"));
  /* The deck of the window these preferences belong to starts again. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root) && gtk_window_get_transient_for (GTK_WINDOW (root)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (root))), "win.reload-deck", NULL);
}

static void
save (JswSearchPage *self)
{
  g_autofree char *body = NULL;

  if (self->loading)
    return;
  body = jsw_search_page_to_json (self);
  jsw_session_rest_async (self->session, "PUT", "/v1/me/search", body, self->cancellable, search_saved, g_object_ref (self));
}

static void
search_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JswSearchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (status == 200 && answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      show_search (self, json_node_get_object (answer));
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      return;
    }
  tell (self, _("The search can be changed once JobSwipe reaches the server"));
}

static void
jsw_search_page_dispose (GObject *object)
{
  JswSearchPage *self = JSW_SEARCH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_SEARCH_PAGE);
  G_OBJECT_CLASS (jsw_search_page_parent_class)->dispose (object);
}

static void
jsw_search_page_class_init (JswSearchPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_search_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-search-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, keywords_row);
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, locations_row);
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, remote_switch);
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, types_group);
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, exclude_keywords_row);
  gtk_widget_class_bind_template_child (widget_class, JswSearchPage, exclude_companies_row);
}

static void
jsw_search_page_init (JswSearchPage *self)
{
  AdwEntryRow *rows[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      self->type_checks[i] = GTK_CHECK_BUTTON (gtk_check_button_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(kinds[i].title));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->type_checks[i]));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->type_checks[i]));
      g_signal_connect_swapped (self->type_checks[i], "toggled", G_CALLBACK (save), self);
      adw_preferences_group_add (self->types_group, row);
    }
  rows[0] = self->keywords_row;
  rows[1] = self->locations_row;
  rows[2] = self->exclude_keywords_row;
  rows[3] = self->exclude_companies_row;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect_swapped (rows[i], "apply", G_CALLBACK (save), self);
  g_signal_connect_swapped (self->remote_switch, "notify::active", G_CALLBACK (save), self);
}

/* @session: the signed-in session the search is read and saved with */
GtkWidget *
jsw_search_page_new (JswSession *session)
{
  JswSearchPage *self = g_object_new (JSW_TYPE_SEARCH_PAGE, NULL);

  self->session = g_object_ref (session);
  /* Nothing to change until the saved search is there. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  jsw_session_rest_async (session, "GET", "/v1/me/search", NULL, self->cancellable, search_loaded, g_object_ref (self));
  return GTK_WIDGET (self);
}
