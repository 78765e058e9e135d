/* test-settings.c: a setting has one source of truth
 *
 * The real application object, window and preferences window, in this
 * process (under Xvfb, as the suite runs), with GSettings in memory. The
 * window's "Apply Automatically" switch once kept the value it was made
 * with and missed a change made in the preferences; both now show the
 * setting wherever it is changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-application.h"
#include "jsw-preferences-window.h"
#include "jsw-window.h"

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static void
test_auto_apply_toggle_follows_preferences (void)
{
  g_autoptr(JswApplication) app = jsw_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  JswWindow *window;
  GtkWidget *preferences;
  GtkSwitch *toggle;
  GtkSwitch *preferences_switch;

  /* Not the unique instance: a person's JobSwipe may be running. */
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  settings = g_settings_new (JSW_APPLICATION_ID);
  /* A switch moves at once, as a click's result is checked right after. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  window = jsw_window_new (GTK_APPLICATION (app));
  toggle = template_child (window, JSW_TYPE_WINDOW, "auto_apply_switch");
  preferences = jsw_preferences_window_new (GTK_APPLICATION (app), GTK_WINDOW (window));
  preferences_switch = template_child (preferences, JSW_TYPE_PREFERENCES_WINDOW, "auto_apply_switch");
  iterate ();
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (gtk_switch_get_active (preferences_switch));

  /* Turned on in the preferences, with the window open. */
  gtk_switch_set_active (preferences_switch, TRUE);
  iterate ();
  g_assert_true (g_settings_get_boolean (settings, "auto-apply"));
  g_assert_true (gtk_switch_get_active (toggle));

  /* Turned off with the window's switch (as a click does). */
  g_signal_emit_by_name (toggle, "activate");
  iterate ();
  g_assert_false (g_settings_get_boolean (settings, "auto-apply"));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (gtk_switch_get_active (preferences_switch));

  /* Changed by another program, through the exported action. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "auto-apply", g_variant_new_boolean (TRUE));
  iterate ();
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (gtk_switch_get_active (preferences_switch));

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/app/settings/auto-apply-toggle-follows-preferences", test_auto_apply_toggle_follows_preferences);
  return g_test_run ();
}
