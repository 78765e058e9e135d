/* jsw-entry-detail-driver.c
 *
 * With JOBSWIPE_TEST_DRIVER set (tests/app/test-app.c sets it), the
 * window's detail pane is exported on the application's bus connection
 * as org.jobswipe.JobSwipe.TestDriver at /org/jobswipe/JobSwipe/Detail,
 * so that a test does what a person does, in the real widgets: reads what
 * the pane shows, types into a question's row, presses a button (by its
 * entry.* action), clicks in the live page, and takes a picture, in the
 * light or the dark style. Without the variable nothing is exported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-entry-detail-driver"

#include "config.h"

#include <webkit/webkit.h>

#include "jsw-engine.h"
#include "jsw-entry-detail-driver.h"
#include "jsw-entry-detail-private.h"
#include "jsw-question-row.h"
#include "jsw-queue-list.h"
#include "jsw-screenshot.h"

#define DRIVER_PATH "/org/jobswipe/JobSwipe/Detail"

static const char driver_xml[] =
  "<node>"
  "  <interface name='org.jobswipe.JobSwipe.TestDriver'>"
  "    <method name='GetShowing'>"
  "      <arg direction='out' type='s' name='showing'/>"
  "      <arg direction='out' type='s' name='entry_id'/>"
  "      <arg direction='out' type='s' name='text'/>"
  "      <arg direction='out' type='a(ss)' name='questions'/>"
  "    </method>"
  "    <method name='Answer'>"
  "      <arg direction='in' type='s' name='question'/>"
  "      <arg direction='in' type='s' name='answer'/>"
  "      <arg direction='out' type='b' name='found'/>"
  "    </method>"
  "    <method name='PressEnter'>"
  "      <arg direction='in' type='s' name='question'/>"
  "      <arg direction='out' type='b' name='found'/>"
  "    </method>"
  "    <method name='ActivateFromRowMenu'>"
  "      <arg direction='in' type='s' name='entry_id'/>"
  "      <arg direction='in' type='s' name='action'/>"
  "      <arg direction='out' type='b' name='done'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg direction='in' type='s' name='action'/>"
  "      <arg direction='out' type='b' name='enabled'/>"
  "    </method>"
  "    <method name='RunJavaScript'>"
  "      <arg direction='in' type='s' name='script'/>"
  "      <arg direction='out' type='b' name='live'/>"
  "      <arg direction='out' type='s' name='value'/>"
  "    </method>"
  "    <method name='SetRemember'>"
  "      <arg direction='in' type='b' name='remember'/>"
  "      <arg direction='out' type='b' name='shown'/>"
  "    </method>"
  "    <method name='GetFocusedRow'>"
  "      <arg direction='out' type='s' name='window'/>"
  "      <arg direction='out' type='s' name='row'/>"
  "      <arg direction='out' type='b' name='in_view'/>"
  "    </method>"
  "    <method name='SetWidth'>"
  "      <arg direction='in' type='i' name='width'/>"
  "      <arg direction='out' type='b' name='done'/>"
  "    </method>"
  "    <method name='GetWidth'>"
  "      <arg direction='in' type='i' name='limit'/>"
  "      <arg direction='out' type='i' name='width'/>"
  "      <arg direction='out' type='as' name='widest'/>"
  "      <arg direction='out' type='as' name='out_of_reach'/>"
  "    </method>"
  "    <method name='Screenshot'>"
  "      <arg direction='in' type='s' name='name'/>"
  "      <arg direction='in' type='b' name='dark'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static const char *kind_names[] = { "text", "long_text", "choice", "yes_no", "file" };

static GtkWidget *
find_row (JswEntryDetail *detail,
          const char     *question)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (_jsw_entry_detail_get_questions (detail)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (jsw_question_row_get_label (row), question) == 0)
      return row;
  return NULL;
}

static GVariant *
get_showing (JswEntryDetail *detail)
{
  JswEntryItem *item = jsw_entry_detail_get_item (detail);
  GVariantBuilder questions;

  g_variant_builder_init (&questions, G_VARIANT_TYPE ("a(ss)"));
  if (gtk_widget_get_visible (GTK_WIDGET (_jsw_entry_detail_get_questions (detail))))
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (_jsw_entry_detail_get_questions (detail)));
         row != NULL; row = gtk_widget_get_next_sibling (row))
      g_variant_builder_add (&questions, "(ss)", jsw_question_row_get_label (row),
                             kind_names[jsw_question_row_get_kind (row)]);
  return g_variant_new ("(sssa(ss))", _jsw_entry_detail_get_showing (detail),
                        item ? jsw_entry_item_get_id (item) : "", _jsw_entry_detail_get_text (detail), &questions);
}

static void
script_ran (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_autofree char *text = value != NULL ? jsc_value_to_string (value) : NULL;
  const char *lost = jsw_engine_view_lost_page_why (WEBKIT_WEB_VIEW (source));

  /* Whether the page's web process was gone, and why, so that a failing
   * test says it. */
  if (error != NULL && lost != NULL)
    g_dbus_method_invocation_return_error (invocation, error->domain, error->code,
                                           "%s (the page's web process ended: %s)", error->message, lost);
  else if (error != NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(bs)", TRUE, text ? text : ""));
}

/* The window's view that holds the pane (Applications, not Discover) in
 * front, as the person looking at an entry has it. */
static void
show_pane (JswEntryDetail *detail)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (detail), ADW_TYPE_VIEW_STACK);
  GtkWidget *page = GTK_WIDGET (detail);

  while (stack != NULL && page != NULL && gtk_widget_get_parent (page) != stack)
    page = gtk_widget_get_parent (page);
  if (stack != NULL && page != NULL)
    adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), page);
}

static void
take_screenshot (JswEntryDetail *detail,
                 const char     *name,
                 gboolean        dark)
{
  show_pane (detail);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_DEFAULT);
  jsw_screenshot_soon (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (detail))), name, 700);
}

/* The window @width px wide, showing the pane (Applications, and on a
 * narrow window the page that holds it, as after Enter on a row). */
static gboolean
set_width (JswEntryDetail *detail,
           int             width)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (detail));
  GtkWidget *leaflet = gtk_widget_get_ancestor (GTK_WIDGET (detail), ADW_TYPE_LEAFLET);
  GtkWidget *page = GTK_WIDGET (detail);

  if (!GTK_IS_WINDOW (root) || width <= 0)
    return FALSE;
  show_pane (detail);
  /* GtkWindow takes the minimum width of the layout it has when asked:
   * made narrower in one step, nothing in the pane may be wider in the
   * wide layout than at 360 px (issue 10: the buttons wrap, jsw-wrap-box.c). */
  gtk_window_set_default_size (GTK_WINDOW (root), width, gtk_widget_get_height (GTK_WIDGET (root)));
  while (leaflet != NULL && page != NULL && gtk_widget_get_parent (page) != leaflet)
    page = gtk_widget_get_parent (page);
  if (leaflet != NULL && page != NULL)
    adw_leaflet_set_visible_child (ADW_LEAFLET (leaflet), page);
  return TRUE;
}

/* @widget as a person would name it in a bug report: its type, and its
 * words if it has any. */
static char *
describe_widget (GtkWidget *widget)
{
  const char *words = NULL;

  if (GTK_IS_LABEL (widget))
    words = gtk_label_get_label (GTK_LABEL (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    words = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  else if (GTK_IS_BUTTON (widget))
    words = gtk_button_get_label (GTK_BUTTON (widget));
  return g_strdup_printf ("%s%s%s%s", G_OBJECT_TYPE_NAME (widget),
                          words ? " “" : "", words ? words : "", words ? "”" : "");
}

static int
minimum_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

static int
natural_width (GtkWidget *widget)
{
  int natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* Adds to @widest, from @widget down, the shown child with the largest
 * minimum width (margins included) and its siblings nearly as wide, with
 * their natural widths and the widths they have: the line of widgets
 * that would hold a window wider than asked. */
static void
find_widest (GtkWidget *widget,
             int        depth,
             GPtrArray *widest)
{
  GtkWidget *next = NULL;
  int most = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && minimum_width (child) > most)
      {
        most = minimum_width (child);
        next = child;
      }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && minimum_width (child) >= most - 24 && most > 0)
      {
        g_autofree char *name = describe_widget (child);

        g_ptr_array_add (widest, g_strdup_printf ("%*s%s: natural %d px, minimum %d px, has %d px", depth, "", name,
                                                  natural_width (child), minimum_width (child),
                                                  gtk_widget_get_width (child)));
      }
  if (next != NULL)
    find_widest (next, depth + 1, widest);
}

/* Adds to @out_of_reach each of the pane's shown buttons that is not
 * wholly inside @root, as "label: x,y widthxheight" (px, in @root). */
static void
find_out_of_reach (JswEntryDetail *detail,
                   GtkWidget      *root,
                   GPtrArray      *out_of_reach)
{
  for (GtkWidget *button = gtk_widget_get_first_child (detail->buttons); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      graphene_rect_t bounds;
      gboolean inside;

      if (!gtk_widget_get_visible (button))
        continue;
      inside = gtk_widget_get_mapped (button) && gtk_widget_compute_bounds (button, root, &bounds) &&
               bounds.origin.x >= 0 && bounds.origin.y >= 0 &&
               bounds.origin.x + bounds.size.width <= gtk_widget_get_width (root) &&
               bounds.origin.y + bounds.size.height <= gtk_widget_get_height (root);
      if (!inside)
        g_ptr_array_add (out_of_reach, g_strdup_printf ("%s: %.0f,%.0f %.0fx%.0f",
                                                        gtk_button_get_label (GTK_BUTTON (button)),
                                                        bounds.origin.x, bounds.origin.y,
                                                        bounds.size.width, bounds.size.height));
    }
}

/* The window's width now (px); when that is over @limit px, the widest
 * widgets in it (find_widest()); and the pane's buttons a person could
 * not reach there (find_out_of_reach()). */
static GVariant *
get_width (JswEntryDetail *detail,
           int             limit)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (detail)));
  g_autoptr(GPtrArray) widest = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) out_of_reach = g_ptr_array_new_with_free_func (g_free);

  if (gtk_widget_get_width (root) > limit)
    find_widest (root, 0, widest);
  find_out_of_reach (detail, root, out_of_reach);
  g_ptr_array_add (widest, NULL);
  g_ptr_array_add (out_of_reach, NULL);
  return g_variant_new ("(i^as^as)", gtk_widget_get_width (root), (char **) widest->pdata,
                        (char **) out_of_reach->pdata);
}

/* The app's active window (its title), the row that has its focus (its
 * name), and whether that row is within what its scrolled page shows. */
static GVariant *
get_focused_row (void)
{
  GtkApplication *application = GTK_APPLICATION (g_application_get_default ());
  GtkWindow *window = gtk_application_get_active_window (application);
  GtkWidget *focus = window ? gtk_root_get_focus (GTK_ROOT (window)) : NULL;
  GtkWidget *row = focus ? gtk_widget_get_ancestor (focus, ADW_TYPE_PREFERENCES_ROW) : NULL;
  GtkWidget *scrolled = row ? gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  graphene_rect_t bounds;
  gboolean in_view = FALSE;

  if (row != NULL && scrolled != NULL && gtk_widget_compute_bounds (row, scrolled, &bounds))
    in_view = bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
  return g_variant_new ("(ssb)", window && gtk_window_get_title (window) ? gtk_window_get_title (window) : "",
                        row ? gtk_widget_get_name (row) : "", in_view);
}

static JswQueueList *
find_queue_list (GtkWidget *widget)
{
  if (JSW_IS_QUEUE_LIST (widget))
    return JSW_QUEUE_LIST (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      JswQueueList *found = find_queue_list (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
menu_offers (GMenuModel *menu,
             const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_offers (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

/* What a right click on @entry_id's row and a click on the menu's item
 * for @action do: the row's menu opens (selecting the row), and the item's
 * action is looked up from the menu, in the row's ancestry. */
static gboolean
activate_from_row_menu (JswEntryDetail *detail,
                        const char     *entry_id,
                        const char     *action)
{
  JswQueueList *list = find_queue_list (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (detail))));
  GtkWidget *popover = list ? jsw_queue_list_popup_menu_for (list, entry_id) : NULL;
  g_autofree char *name = g_strconcat ("entry.", action, NULL);
  GMenuModel *menu;
  gboolean done;

  if (popover == NULL)
    return FALSE;
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  done = menu_offers (menu, name) && gtk_widget_activate_action (popover, name, NULL);
  gtk_popover_popdown (GTK_POPOVER (popover));
  return done;
}

static void
method_called (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  JswEntryDetail *detail = user_data;
  const char *first, *second;

  if (g_str_equal (method, "GetShowing"))
    g_dbus_method_invocation_return_value (invocation, get_showing (detail));
  else if (g_str_equal (method, "Answer"))
    {
      GtkWidget *row;

      g_variant_get (parameters, "(&s&s)", &first, &second);
      row = find_row (detail, first);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", row != NULL && jsw_question_row_set_answer (row, second)));
    }
  else if (g_str_equal (method, "PressEnter"))
    {
      GtkWidget *row;

      g_variant_get (parameters, "(&s)", &first);
      row = find_row (detail, first);
      /* What Enter in a one-line row does: the row's "entry-activated". */
      if (row != NULL && ADW_IS_ENTRY_ROW (row))
        g_signal_emit_by_name (row, "entry-activated");
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", row != NULL && ADW_IS_ENTRY_ROW (row)));
    }
  else if (g_str_equal (method, "ActivateFromRowMenu"))
    {
      g_variant_get (parameters, "(&s&s)", &first, &second);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(b)", activate_from_row_menu (detail, first, second)));
    }
  else if (g_str_equal (method, "Activate"))
    {
      GActionGroup *actions = jsw_entry_detail_get_actions (detail);
      gboolean enabled;

      g_variant_get (parameters, "(&s)", &first);
      enabled = g_action_group_has_action (actions, first) && g_action_group_get_action_enabled (actions, first);
      if (enabled)
        g_action_group_activate_action (actions, first, NULL);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", enabled));
    }
  else if (g_str_equal (method, "RunJavaScript"))
    {
      GtkWidget *view = gtk_widget_get_first_child (GTK_WIDGET (_jsw_entry_detail_get_slot (detail)));

      g_variant_get (parameters, "(&s)", &first);
      if (!WEBKIT_IS_WEB_VIEW (view) || !gtk_widget_get_mapped (view))
        {
          g_dbus_method_invocation_return_value (invocation, g_variant_new ("(bs)", FALSE, ""));
          return;
        }
      /* The page's own world: what a person's clicks would do. */
      webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (view), first, -1, NULL, NULL, NULL,
                                           script_ran, invocation);
    }
  else if (g_str_equal (method, "SetRemember"))
    {
      gboolean remember;
      gboolean shown = gtk_widget_get_visible (GTK_WIDGET (detail->remember_check));

      g_variant_get (parameters, "(b)", &remember);
      /* As a click would, and only when the person can see it. */
      if (shown)
        gtk_check_button_set_active (detail->remember_check, remember);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", shown));
    }
  else if (g_str_equal (method, "GetFocusedRow"))
    g_dbus_method_invocation_return_value (invocation, get_focused_row ());
  else if (g_str_equal (method, "SetWidth"))
    {
      int width;

      g_variant_get (parameters, "(i)", &width);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", set_width (detail, width)));
    }
  else if (g_str_equal (method, "GetWidth"))
    {
      int limit;

      g_variant_get (parameters, "(i)", &limit);
      g_dbus_method_invocation_return_value (invocation, get_width (detail, limit));
    }
  else if (g_str_equal (method, "Screenshot"))
    {
      gboolean dark;

      g_variant_get (parameters, "(&sb)", &first, &dark);
      take_screenshot (detail, first, dark);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
}

static const GDBusInterfaceVTable driver_vtable = { method_called, NULL, NULL, { 0 } };

typedef struct {
  GDBusConnection *bus;
  guint            id;
} Export;

static void
unexport (gpointer  data,
          GObject  *detail)
{
  Export *export = data;

  g_dbus_connection_unregister_object (export->bus, export->id);
  g_object_unref (export->bus);
  g_free (export);
}

/**
 * jsw_entry_detail_driver_export:
 *
 * Exports @detail for the tests when JOBSWIPE_TEST_DRIVER is set, until
 * it goes away; otherwise does nothing.
 */
void
jsw_entry_detail_driver_export (JswEntryDetail *detail)
{
  GApplication *application = g_application_get_default ();
  GDBusConnection *bus = application ? g_application_get_dbus_connection (application) : NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  Export *export;
  guint id;

  if (g_getenv ("JOBSWIPE_TEST_DRIVER") == NULL || bus == NULL)
    return;
  info = g_dbus_node_info_new_for_xml (driver_xml, NULL);
  id = g_dbus_connection_register_object (bus, DRIVER_PATH, info->interfaces[0], &driver_vtable, detail, NULL, NULL);
  if (id == 0)
    return;  /* another window's pane has it */
  export = g_new0 (Export, 1);
  export->bus = g_object_ref (bus);
  export->id = id;
  g_object_weak_ref (G_OBJECT (detail), unexport, export);
}
