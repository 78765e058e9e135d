/* jsw-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "jsw-tray.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define ITEM_PATH     "/StatusNotifierItem"

static const char item_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <method name='Activate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='Scroll'><arg type='i' direction='in'/><arg type='s' direction='in'/></method>"
  "    <signal name='NewStatus'><arg type='s'/></signal>"
  "    <signal name='NewToolTip'/>"
  "  </interface>"
  "</node>";

struct _JswTray
{
  GObject          parent_instance;

  GApplication    *application;  /* unowned: the application owns us */
  GDBusConnection *bus;
  GDBusNodeInfo   *info;
  char            *service;
  guint            watch_id;
  guint            own_id;
  guint            object_id;
  gboolean         needs_attention;
  char            *tooltip;
};

G_DEFINE_FINAL_TYPE (JswTray, jsw_tray, G_TYPE_OBJECT)

static void
handle_method (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  JswTray *self = user_data;

  /* Any click opens the window: the app has one place to show things. */
  if (g_str_equal (method, "Activate") || g_str_equal (method, "SecondaryActivate") ||
      g_str_equal (method, "ContextMenu"))
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "show", NULL);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
handle_get_property (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *path,
                     const char       *interface,
                     const char       *property,
                     GError          **error,
                     gpointer          user_data)
{
  JswTray *self = user_data;

  if (g_str_equal (property, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property, "Id"))
    return g_variant_new_string (g_application_get_application_id (self->application));
  if (g_str_equal (property, "Title"))
    return g_variant_new_string (_("JobSwipe"));
  if (g_str_equal (property, "Status"))
    return g_variant_new_string (self->needs_attention ? "NeedsAttention" : "Active");
  if (g_str_equal (property, "IconName"))
    return g_variant_new_string (g_application_get_application_id (self->application));
  if (g_str_equal (property, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", g_application_get_application_id (self->application),
                          g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                          _("JobSwipe"), self->tooltip ? self->tooltip : "");
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = { handle_method, handle_get_property, NULL, { 0 } };

static void
register_with_watcher (JswTray *self)
{
  g_dbus_connection_call (self->bus, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem", g_variant_new ("(s)", self->service),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  register_with_watcher (user_data);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  JswTray *self = user_data;

  /* Registered whenever a tray host shows up, now or later. */
  self->watch_id = g_bus_watch_name_on_connection (self->bus, WATCHER_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, NULL, self, NULL);
}

void
jsw_tray_set_status (JswTray    *self,
                     gboolean    needs_attention,
                     const char *tooltip)
{
  gboolean changed = needs_attention != self->needs_attention;

  self->needs_attention = needs_attention;
  g_free (self->tooltip);
  self->tooltip = g_strdup (tooltip);
  if (self->bus == NULL || self->object_id == 0)
    return;
  if (changed)
    g_dbus_connection_emit_signal (self->bus, NULL, ITEM_PATH, "org.kde.StatusNotifierItem", "NewStatus",
                                   g_variant_new ("(s)", needs_attention ? "NeedsAttention" : "Active"), NULL);
  g_dbus_connection_emit_signal (self->bus, NULL, ITEM_PATH, "org.kde.StatusNotifierItem", "NewToolTip", NULL, NULL);
}

static void
jsw_tray_dispose (GObject *object)
{
  JswTray *self = (JswTray *) object;

  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  self->watch_id = 0;
  if (self->own_id != 0)
    g_bus_unown_name (self->own_id);
  self->own_id = 0;
  if (self->object_id != 0)
    g_dbus_connection_unregister_object (self->bus, self->object_id);
  self->object_id = 0;
  g_clear_object (&self->bus);
  g_clear_pointer (&self->info, g_dbus_node_info_unref);
  G_OBJECT_CLASS (jsw_tray_parent_class)->dispose (object);
}

static void
jsw_tray_finalize (GObject *object)
{
  JswTray *self = (JswTray *) object;

  g_free (self->service);
  g_free (self->tooltip);
  G_OBJECT_CLASS (jsw_tray_parent_class)->finalize (object);
}

static void
jsw_tray_class_init (JswTrayClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_tray_dispose;
  G_OBJECT_CLASS (klass)->finalize = jsw_tray_finalize;
}

static void
jsw_tray_init (JswTray *self)
{
}

JswTray *
jsw_tray_new (GApplication *application)
{
  JswTray *self = g_object_new (JSW_TYPE_TRAY, NULL);
  g_autoptr(GError) error = NULL;

  self->application = application;
  self->bus = g_application_get_dbus_connection (application);
  if (self->bus == NULL)
    return self;
  g_object_ref (self->bus);

  self->info = g_dbus_node_info_new_for_xml (item_xml, &error);
  g_assert_no_error (error);
  self->object_id = g_dbus_connection_register_object (self->bus, ITEM_PATH, self->info->interfaces[0],
                                                       &item_vtable, self, NULL, &error);
  if (self->object_id == 0)
    {
      g_warning ("Cannot offer a tray icon: %s", error->message);
      return self;
    }
  self->service = g_strdup_printf ("org.kde.StatusNotifierItem-%d-1", (int) getpid ());
  self->own_id = g_bus_own_name_on_connection (self->bus, self->service, G_BUS_NAME_OWNER_FLAGS_NONE,
                                               on_name_acquired, NULL, self, NULL);
  return self;
}
