/* jsw-background.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jsw-background.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

static gboolean
use_portal (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
}

static void
write_autostart_entry (const char *app_id,
                       gboolean    start_at_login)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *name = g_strconcat (app_id, ".desktop", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!start_at_login)
    {
      g_remove (path);
      return;
    }
  contents = g_strdup_printf ("[Desktop Entry]\n"
                              "Type=Application\n"
                              "Name=JobSwipe\n"
                              "Exec=jobswipe --background\n"
                              "Icon=%s\n"
                              "X-GNOME-Autostart-enabled=true\n"
                              "NoDisplay=true\n", app_id);
  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (path, contents, -1, &error))
    g_warning ("Cannot set up starting at login: %s", error->message);
}

static void
requested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  /* The portal answers the person's choice later, on the request object;
   * being refused only means the app stops with its window. */
  if (reply == NULL)
    g_message ("The Background portal is not available: %s", error->message);
}

void
jsw_background_request (GApplication *application,
                        gboolean      start_at_login)
{
  GDBusConnection *bus = g_application_get_dbus_connection (application);
  const char *commandline[] = { "jobswipe", "--background", NULL };
  GVariantBuilder options;

  if (!use_portal ())
    {
      write_autostart_entry (g_application_get_application_id (application), start_at_login);
      return;
    }
  if (bus == NULL)
    return;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("JobSwipe applies to the postings you swiped right on, also with its window closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (start_at_login));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, PORTAL_NAME, PORTAL_PATH, "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, requested, NULL);
}
