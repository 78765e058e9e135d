/* jsw-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include <gtk/gtk.h>

#include "jsw-tray.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define ITEM_PATH     "/StatusNotifierItem"
#define MENU_PATH     "/StatusNotifierItem/Menu"

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

/* The tray item's menu, as tray hosts read it (libdbusmenu's protocol):
 * Open, Apply Automatically (a check item on the app.auto-apply action),
 * Quit. */
static const char menu_xml[] =
  "<node>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <method name='GetLayout'><arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='as' direction='in'/><arg type='u' direction='out'/><arg type='(ia{sv}av)' direction='out'/></method>"
  "    <method name='GetGroupProperties'><arg type='ai' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a(ia{sv})' direction='out'/></method>"
  "    <method name='GetProperty'><arg type='i' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='v' direction='out'/></method>"
  "    <method name='Event'><arg type='i' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='v' direction='in'/><arg type='u' direction='in'/></method>"
  "    <method name='EventGroup'><arg type='a(isvu)' direction='in'/><arg type='ai' direction='out'/></method>"
  "    <method name='AboutToShow'><arg type='i' direction='in'/><arg type='b' direction='out'/></method>"
  "    <method name='AboutToShowGroup'><arg type='ai' direction='in'/><arg type='ai' direction='out'/>"
  "      <arg type='ai' direction='out'/></method>"
  "    <signal name='ItemsPropertiesUpdated'><arg type='a(ia{sv})'/><arg type='a(ias)'/></signal>"
  "    <signal name='LayoutUpdated'><arg type='u'/><arg type='i'/></signal>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "  </interface>"
  "</node>";

enum {
  MENU_ROOT,
  MENU_OPEN,
  MENU_AUTO_APPLY,
  MENU_SEPARATOR,
  MENU_QUIT,
  N_MENU_ITEMS
};

struct _JswTray
{
  GObject          parent_instance;

  GApplication    *application;  /* unowned: the application owns us */
  GDBusConnection *bus;
  GDBusNodeInfo   *info;
  GDBusNodeInfo   *menu_info;
  char            *service;
  guint            watch_id;
  guint            own_id;
  guint            object_id;
  guint            menu_id;
  guint            revision;
  gboolean         needs_attention;
  char            *tooltip;
};

G_DEFINE_FINAL_TYPE (JswTray, jsw_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NEEDS_ATTENTION,
  PROP_TOOLTIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  if (g_str_equal (property, "Menu"))
    return g_variant_new_object_path (MENU_PATH);
  if (g_str_equal (property, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", g_application_get_application_id (self->application),
                          g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                          _("JobSwipe"), self->tooltip ? self->tooltip : "");
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = { handle_method, handle_get_property, NULL, { 0 } };

/* The menu */

static gboolean
auto_apply_on (JswTray *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->application), "auto-apply");

  return state != NULL && g_variant_get_boolean (state);
}

static GVariant *
menu_item_properties (JswTray *self,
                      int      id)
{
  GVariantDict props;

  g_variant_dict_init (&props, NULL);
  switch (id)
    {
    case MENU_ROOT:
      g_variant_dict_insert (&props, "children-display", "s", "submenu");
      break;
    case MENU_OPEN:
      g_variant_dict_insert (&props, "label", "s", _("_Open JobSwipe"));
      break;
    case MENU_AUTO_APPLY:
      g_variant_dict_insert (&props, "label", "s", _("Apply _Automatically"));
      g_variant_dict_insert (&props, "toggle-type", "s", "checkmark");
      g_variant_dict_insert (&props, "toggle-state", "i", auto_apply_on (self) ? 1 : 0);
      break;
    case MENU_SEPARATOR:
      g_variant_dict_insert (&props, "type", "s", "separator");
      break;
    case MENU_QUIT:
      g_variant_dict_insert (&props, "label", "s", _("_Quit"));
      break;
    default:
      break;
    }
  return g_variant_dict_end (&props);
}

static GVariant *
menu_layout (JswTray *self)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  for (int id = MENU_OPEN; id < N_MENU_ITEMS; id++)
    g_variant_builder_add (&children, "v",
                           g_variant_new ("(i@a{sv}@av)", id, menu_item_properties (self, id),
                                          g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0)));
  return g_variant_new ("(i@a{sv}av)", MENU_ROOT, menu_item_properties (self, MENU_ROOT), &children);
}

static void
menu_clicked (JswTray *self,
              int      id)
{
  GActionGroup *actions = G_ACTION_GROUP (self->application);

  if (id == MENU_OPEN)
    g_action_group_activate_action (actions, "show", NULL);
  else if (id == MENU_AUTO_APPLY)
    g_action_group_change_action_state (actions, "auto-apply", g_variant_new_boolean (!auto_apply_on (self)));
  else if (id == MENU_QUIT)
    g_action_group_activate_action (actions, "quit", NULL);
}

static GVariant *
group_properties (JswTray  *self,
                  GVariant *ids)
{
  GVariantBuilder items;
  GVariantIter iter;
  int id;

  g_variant_builder_init (&items, G_VARIANT_TYPE ("a(ia{sv})"));
  g_variant_iter_init (&iter, ids);
  while (g_variant_iter_next (&iter, "i", &id))
    if (id >= 0 && id < N_MENU_ITEMS)
      g_variant_builder_add (&items, "(i@a{sv})", id, menu_item_properties (self, id));
  return g_variant_builder_end (&items);
}

static void
handle_menu_method (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *path,
                    const char            *interface,
                    const char            *method,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  JswTray *self = user_data;

  if (g_str_equal (method, "GetLayout"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u@(ia{sv}av))", self->revision, menu_layout (self)));
  else if (g_str_equal (method, "GetGroupProperties"))
    {
      g_autoptr(GVariant) ids = g_variant_get_child_value (parameters, 0);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a(ia{sv}))", group_properties (self, ids)));
    }
  else if (g_str_equal (method, "GetProperty"))
    {
      int id;
      const char *name;
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (parameters, "(i&s)", &id, &name);
      props = menu_item_properties (self, id);
      value = g_variant_lookup_value (props, name, NULL);
      if (value == NULL)
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "No property %s", name);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method, "Event"))
    {
      int id;
      const char *event;

      g_variant_get (parameters, "(i&svu)", &id, &event, NULL, NULL);
      if (g_str_equal (event, "clicked"))
        menu_clicked (self, id);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      int id;
      const char *event;

      g_variant_get (parameters, "(a(isvu))", &events);
      while (g_variant_iter_next (events, "(i&svu)", &id, &event, NULL, NULL))
        if (g_str_equal (event, "clicked"))
          menu_clicked (self, id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@ai)", g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0)));
    }
  else if (g_str_equal (method, "AboutToShow"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@ai@ai)", g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                                                      g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0)));
}

static GVariant *
handle_menu_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *path,
                      const char       *interface,
                      const char       *property,
                      GError          **error,
                      gpointer          user_data)
{
  if (g_str_equal (property, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property, "TextDirection"))
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
  if (g_str_equal (property, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property);
  return NULL;
}

static const GDBusInterfaceVTable menu_vtable = { handle_menu_method, handle_menu_property, NULL, { 0 } };

/* The check item follows the setting, changed anywhere. */
static void
on_auto_apply_state_changed (JswTray *self)
{
  GVariantBuilder removed;
  g_autoptr(GVariant) ids = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE_INT32,
                                                                      (GVariant *[]) { g_variant_new_int32 (MENU_AUTO_APPLY) }, 1));

  if (self->menu_id == 0)
    return;
  self->revision++;
  g_variant_builder_init (&removed, G_VARIANT_TYPE ("a(ias)"));
  g_dbus_connection_emit_signal (self->bus, NULL, MENU_PATH, "com.canonical.dbusmenu", "ItemsPropertiesUpdated",
                                 g_variant_new ("(@a(ia{sv})a(ias))", group_properties (self, ids), &removed), NULL);
}

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

/* NeedsAttention while something waits for the person. */
void
jsw_tray_set_needs_attention (JswTray  *self,
                              gboolean  needs_attention)
{
  if (needs_attention == self->needs_attention)
    return;
  self->needs_attention = needs_attention;
  if (self->bus != NULL && self->object_id != 0)
    g_dbus_connection_emit_signal (self->bus, NULL, ITEM_PATH, "org.kde.StatusNotifierItem", "NewStatus",
                                   g_variant_new ("(s)", needs_attention ? "NeedsAttention" : "Active"), NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
}

/* @tooltip: what the tray host shows on hovering, "2 applications need you" */
void
jsw_tray_set_tooltip (JswTray    *self,
                      const char *tooltip)
{
  if (g_strcmp0 (tooltip, self->tooltip) == 0)
    return;
  g_free (self->tooltip);
  self->tooltip = g_strdup (tooltip);
  if (self->bus != NULL && self->object_id != 0)
    g_dbus_connection_emit_signal (self->bus, NULL, ITEM_PATH, "org.kde.StatusNotifierItem", "NewToolTip", NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
}

void
jsw_tray_set_status (JswTray    *self,
                     gboolean    needs_attention,
                     const char *tooltip)
{
  jsw_tray_set_needs_attention (self, needs_attention);
  jsw_tray_set_tooltip (self, tooltip);
}

static void
jsw_tray_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  JswTray *self = JSW_TRAY (object);

  switch (prop_id)
    {
    case PROP_NEEDS_ATTENTION: g_value_set_boolean (value, self->needs_attention); break;
    case PROP_TOOLTIP: g_value_set_string (value, self->tooltip); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_tray_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  JswTray *self = JSW_TRAY (object);

  switch (prop_id)
    {
    case PROP_NEEDS_ATTENTION: jsw_tray_set_needs_attention (self, g_value_get_boolean (value)); break;
    case PROP_TOOLTIP: jsw_tray_set_tooltip (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  if (self->menu_id != 0)
    g_dbus_connection_unregister_object (self->bus, self->menu_id);
  self->menu_id = 0;
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_clear_object (&self->bus);
  g_clear_pointer (&self->info, g_dbus_node_info_unref);
  g_clear_pointer (&self->menu_info, g_dbus_node_info_unref);
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
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_tray_dispose;
  object_class->finalize = jsw_tray_finalize;
  object_class->get_property = jsw_tray_get_property;
  object_class->set_property = jsw_tray_set_property;

  /* Bound by the application to what waits for the person. */
  properties[PROP_NEEDS_ATTENTION] = g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE,
                                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOLTIP] = g_param_spec_string ("tooltip", NULL, NULL, NULL,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  self->menu_info = g_dbus_node_info_new_for_xml (menu_xml, &error);
  g_assert_no_error (error);
  self->menu_id = g_dbus_connection_register_object (self->bus, MENU_PATH, self->menu_info->interfaces[0],
                                                     &menu_vtable, self, NULL, &error);
  if (self->menu_id == 0)
    g_warning ("Cannot offer the tray icon's menu: %s", error->message);
  g_signal_connect_swapped (application, "action-state-changed::auto-apply",
                            G_CALLBACK (on_auto_apply_state_changed), self);
  self->service = g_strdup_printf ("org.kde.StatusNotifierItem-%d-1", (int) getpid ());
  self->own_id = g_bus_own_name_on_connection (self->bus, self->service, G_BUS_NAME_OWNER_FLAGS_NONE,
                                               on_name_acquired, NULL, self, NULL);
  return self;
}
