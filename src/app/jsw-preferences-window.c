/* jsw-preferences-window.c
 *
 * The execution mode lives on the server (PUT /v1/me/preference), so every
 * device of the person agrees; the other settings are this computer's. The
 * profile is its own page (jsw-profile-page.c), saved as it is edited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-plan-page.h"
#include "jsw-preferences-window.h"
#include "jsw-profile-page.h"
#include "jsw-screenshot.h"
#include "jsw-search-page.h"
#include "jsw-session.h"

struct _JswPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* The application's parts (its properties): */
  JswSession           *session;
  JswProfileStore      *profile_store;
  JswProfilePage       *profile_page;
  gboolean              loading_mode;
  gboolean              warned_unsaved;

  AdwComboRow          *mode_row;
  GtkSwitch            *auto_apply_switch;
  GtkSwitch            *start_at_login_switch;
  GtkSwitch            *review_switch;
  AdwActionRow         *plan_row;
  AdwActionRow         *usage_daily_row;
  AdwActionRow         *usage_month_row;
  AdwActionRow         *usage_server_row;
};

G_DEFINE_FINAL_TYPE (JswPreferencesWindow, jsw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *modes[] = { "auto", "desktop", "server", "ask" };

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

/* The profile is saved as it is edited, once valid; closing with a
 * value that is not valid says so once, and keeps the window open, so
 * that what the person typed is not lost without a word. */
static gboolean
on_close_request (JswPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (jsw_profile_page_save (self->profile_page, &error))
    return FALSE;
  if (self->warned_unsaved)
    return FALSE;
  self->warned_unsaved = TRUE;
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->profile_page));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("The profile is not saved until the fields marked in red are right; close again to discard them")));
  return TRUE;
}

/* Opens on the profile: "Set Up Profile", Apply Now without one. */
void
jsw_preferences_window_show_profile (JswPreferencesWindow *self)
{
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->profile_page));
}

/* The profile page, at @field's row ("phone"): "Fix in Profile". */
void
jsw_preferences_window_show_profile_field (JswPreferencesWindow *self,
                                           const char           *field)
{
  jsw_preferences_window_show_profile (self);
  jsw_profile_page_show_field (self->profile_page, field);
}

static void
jsw_preferences_window_dispose (GObject *object)
{
  JswPreferencesWindow *self = (JswPreferencesWindow *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->profile_store);
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
}

static void
jsw_preferences_window_init (JswPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
  self->profile_page = JSW_PROFILE_PAGE (jsw_profile_page_new (self->profile_store));
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.jobswipe.JobSwipe");
    g_autoptr(JswProfileSync) sync = jsw_profile_sync_new (self->session, self->profile_store, settings);

    jsw_profile_page_add_server (self->profile_page, sync, settings);
  }
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->profile_page));
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_mode_selected), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (jsw_search_page_new (self->session)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (jsw_plan_page_new (self->session)));
  jsw_session_rest_async (self->session, "GET", "/v1/me", NULL, NULL, account_loaded, g_object_ref (self));
  return GTK_WIDGET (self);
}
