/* jsw-application-actions.c
 *
 * The app.* actions, as GNOME Text Editor keeps editor-application-actions.c
 * apart. They are exported on D-Bus (org.gtk.Actions), so scripts, tests
 * and notifications can do what the window's buttons do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-application"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-application-private.h"
#include "jsw-preferences-window.h"
#include "jsw-window.h"

static void
show_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  _jsw_application_show_window (JSW_APPLICATION (user_data));
}

/* app.show-entry('<entry id>'): the window, on that entry (a
 * notification's click or its Answer button). */
static void
show_entry_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  GtkWindow *window;

  _jsw_application_show_window (self);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (JSW_IS_WINDOW (window))
    jsw_window_select_entry (JSW_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static GtkWindow *
open_preferences (JswApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences;

  /* One preferences window: asked again, it comes to the front. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (JSW_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return l->data;
      }
  preferences = GTK_WINDOW (jsw_preferences_window_new (GTK_APPLICATION (self), parent));
  gtk_window_present (preferences);
  return preferences;
}

/* app.profile: the profile, to fill in ("Set Up Profile"). */
static void
profile_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  jsw_preferences_window_show_profile (JSW_PREFERENCES_WINDOW (open_preferences (self)));
}

/* app.profile-field('phone'): the profile, at the row of a field an
 * employer's form refused ("Fix in Profile"). */
static void
profile_field_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  jsw_preferences_window_show_profile_field (JSW_PREFERENCES_WINDOW (open_preferences (self)),
                                             g_variant_get_string (parameter, NULL));
}

/* app.apply-now('<entry id>'): what the window's button, a notification
 * or another program asks for. Without a profile there is nothing to fill
 * forms in with: the window says so and the profile opens. */
static void
apply_now_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  if (jsw_profile_store_get_profile (self->profile_store) == NULL)
    {
      GtkWindow *window;

      _jsw_application_show_window (self);
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (JSW_IS_WINDOW (window))
        jsw_window_add_toast (JSW_WINDOW (window), adw_toast_new (_("Forms are filled in from your profile: set it up first")));
      profile_action (NULL, NULL, self);
      return;
    }
  if (self->runner != NULL)
    jsw_runner_apply_now (self->runner, g_variant_get_string (parameter, NULL));
}

static void
retried (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (answer == NULL || status != 200)
    g_warning ("Cannot queue the application again: %s",
               error ? error->message : soup_status_get_phrase (status));
}

/* app.answer((entry id, {question: answer})): "Save Answers and Continue".
 * The answers join the saved answers (for this form and every next one
 * that asks the same), the entry is queued again (POST
 * /v1/queue/{id}/retry), and applied to as soon as it is. */
static void
answer_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  g_autoptr(GHashTable) answers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *entry_id, *question, *answer;

  g_variant_get (parameter, "(&sa{ss})", &entry_id, &iter);
  while (g_variant_iter_next (iter, "{&s&s}", &question, &answer))
    g_hash_table_insert (answers, (gpointer) question, (gpointer) answer);

  if (!jsw_profile_store_add_answers (self->profile_store, answers, &error))
    g_warning ("Cannot save the answers: %s", error->message);
  path = g_strdup_printf ("/v1/queue/%s/retry", entry_id);
  jsw_session_rest_async (self->session, "POST", path, NULL, NULL, retried, NULL);
  if (self->runner != NULL)
    jsw_runner_apply_now (self->runner, entry_id);
}

/* app.review((entry id, send?)): the review banner's buttons. */
static void
review_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  const char *entry_id;
  gboolean send;

  g_variant_get (parameter, "(&sb)", &entry_id, &send);
  if (self->runner != NULL)
    jsw_runner_finish_review (self->runner, entry_id, send);
}

static void
signed_in_by_action (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_session_sign_in_finish (JSW_SESSION (source), result, &error))
    g_warning ("Sign-in failed: %s", error->message);
}

/* app.sign-in((server, e-mail, password)): what the sign-in page does, for
 * scripts and tests. */
static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  const char *server, *email, *password;

  g_variant_get (parameter, "(&s&s&s)", &server, &email, &password);
  jsw_session_sign_in_async (self->session, server, email, password, NULL, NULL, signed_in_by_action, NULL);
}

/* app.sign-in-token((server, token)): signing in with a device token. */
static void
sign_in_token_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  const char *server, *token;

  g_variant_get (parameter, "(&s&s)", &server, &token);
  jsw_session_sign_in_async (self->session, server, NULL, NULL, token, NULL, signed_in_by_action, NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  open_preferences (JSW_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  static const char *developers[] = { "The JobSwipe authors", NULL };

  gtk_window_present (GTK_WINDOW (g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                                "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                "application", self,
                                                "application-name", _("JobSwipe"),
                                                "application-icon", JSW_APPLICATION_ID,
                                                "version", PACKAGE_VERSION,
                                                "comments", _("Applies to the postings you swipe right on, from this computer, in plain sight."),
                                                "developers", developers,
                                                "license-type", GTK_LICENSE_GPL_3_0,
                                                NULL)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  if (self->runner != NULL)
    jsw_runner_stop (self->runner);
  g_application_quit (G_APPLICATION (self));
}

/* app.auto-apply, app.review-before-submit, app.start-at-login: stateful
 * actions over the settings, so that a toggle anywhere (the window's, the
 * preferences') shows and changes the one setting. */
static void
add_settings_actions (JswApplication *self)
{
  static const char *keys[] = { "auto-apply", "review-before-submit", "start-at-login" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, keys[i]);

      g_action_map_add_action (G_ACTION_MAP (self), action);
    }
}

void
_jsw_application_add_actions (JswApplication *self)
{
  static const GActionEntry actions[] = {
    { "show", show_action, NULL, NULL, NULL },
    { "show-entry", show_entry_action, "s", NULL, NULL },
    { "apply-now", apply_now_action, "s", NULL, NULL },
    { "sign-in", sign_in_action, "(sss)", NULL, NULL },
    { "sign-in-token", sign_in_token_action, "(ss)", NULL, NULL },
    { "preferences", preferences_action, NULL, NULL, NULL },
    { "profile", profile_action, NULL, NULL, NULL },
    { "profile-field", profile_field_action, "s", NULL, NULL },
    { "about", about_action, NULL, NULL, NULL },
    { "answer", answer_action, "(sa{ss})", NULL, NULL },
    { "review", review_action, "(sb)", NULL, NULL },
    { "quit", quit_action, NULL, NULL, NULL },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  add_settings_actions (self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", (const char *[]) { "<Control>w", NULL });
}
