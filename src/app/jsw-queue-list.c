/* jsw-queue-list.c
 *
 * The queue in a GtkListBox bound to the queue model (through a filter for
 * the search), in sections with headers: Needs You, In Progress, Waiting,
 * Done. Sections of a GtkListView need GTK 4.12; a GtkListBox has headers,
 * takes Enter on a row, and Tab leaves it in one step (a 4.8 list view
 * walks every row). The model keeps its order (what needs the person
 * first), so a section is a run of rows with the same group.
 *
 * Each row is bound to its JswEntryItem's properties and named for
 * assistive technologies ("Backend Engineer at Lumen Labs, Needs you");
 * the selection follows the item, not the position, when it moves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-queue-list"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-queue-list.h"

struct _JswQueueList
{
  AdwBin              parent_instance;

  GListModel         *model;     /* the queue model */
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  JswEntryItem       *selected;
  GMenuModel         *row_menu;  /* a row's context menu (entry.* actions) */
  guint               clock_id;  /* the relative dates age */
  gboolean            reselecting;

  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (JswQueueList, jsw_queue_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED_ITEM,
  PROP_SEARCH_MODE,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Sections: the item groups (jsw_entry_item_get_group()) as a person sees
 * them. Needs you and to check are one section: both wait for the
 * person. */
static int
section_of (int group)
{
  switch (group)
    {
    case 0:
    case 1: return 0;
    case 2: return 1;
    case 3: return 2;
    default: return 3;
    }
}

/**
 * jsw_queue_list_section_title:
 * @group: an item's group (jsw_entry_item_get_group())
 *
 * Returns: the translated title of the section it is listed under
 */
const char *
jsw_queue_list_section_title (int group)
{
  static const char *titles[] = { N_("Needs You"), N_("In Progress"), N_("Waiting"), N_("Done") };

  return _(titles[section_of (group)]);
}

/**
 * jsw_queue_list_format_date:
 * @usec: when, µs since the epoch
 * @now_usec: now, on the same clock
 *
 * Returns: (transfer full): @usec as a person says it, in their language
 *   and their locale's date format: "Just now", "5 minutes ago",
 *   "3 hours ago", "Yesterday", a weekday within the week, else the date
 */
char *
jsw_queue_list_format_date (gint64 usec,
                            gint64 now_usec)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_usec / G_USEC_PER_SEC);
  gint64 seconds = (now_usec - usec) / G_USEC_PER_SEC;
  int days;

  if (then == NULL || now == NULL)
    return g_strdup ("");
  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (then) +
         365 * (g_date_time_get_year (now) - g_date_time_get_year (then));
  if (seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", seconds / 60),
                            (int) (seconds / 60));
  if (days == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", seconds / 3600),
                            (int) (seconds / 3600));
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    /* The weekday's name, in the person's language. */
    return g_date_time_format (then, "%A");
  /* The date as the person's locale writes it. */
  return g_date_time_format (then, "%x");
}

/* Rows */

static void
update_row (GtkListBoxRow *row,
            GParamSpec    *pspec,
            JswEntryItem  *item)
{
  GtkLabel *date = g_object_get_data (G_OBJECT (row), "jsw-date");
  GtkWidget *progress = g_object_get_data (G_OBJECT (row), "jsw-progress");
  g_autofree char *when = NULL;
  g_autofree char *name = NULL;
  g_autofree char *progress_name = NULL;
  gint64 created_at;
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (row));

  /* A state changed in place (no row moved) may change the section. */
  if (pspec != NULL && g_str_equal (pspec->name, "state") && GTK_IS_LIST_BOX (list))
    gtk_list_box_invalidate_headers (GTK_LIST_BOX (list));
  g_object_get (item, "created-at", &created_at, NULL);
  when = jsw_queue_list_format_date (created_at, g_get_real_time ());
  gtk_label_set_label (date, when);
  /* TRANSLATORS: a row of the queue, for screen readers: "Backend
   * Engineer at Lumen Labs, Needs you, Yesterday" */
  name = g_strdup_printf (_("%s at %s, %s, %s"), jsw_entry_item_get_title (item),
                          jsw_entry_item_get_company (item), jsw_entry_item_get_state_label (item), when);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* TRANSLATORS: a progress bar, for screen readers */
  progress_name = g_strdup_printf (_("Applying to %s at %s"), jsw_entry_item_get_title (item),
                                   jsw_entry_item_get_company (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_LABEL, progress_name, -1);
}

static GtkWidget *
row_label (GtkWidget  *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* The list's width is the sidebar's: long titles are cut, not widening it. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void add_row_menu_gestures (JswQueueList *self,
                                   GtkWidget    *row);

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *state, *date, *progress;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  g_object_bind_property (item, "title", row_label (box, "heading"), "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (item, "company", row_label (box, NULL), "label", G_BINDING_SYNC_CREATE);
  state = row_label (line, "dim-label");
  gtk_widget_set_hexpand (state, TRUE);
  g_object_bind_property (item, "state-label", state, "label", G_BINDING_SYNC_CREATE);
  date = row_label (line, "dim-label");
  gtk_widget_add_css_class (date, "caption");
  gtk_box_append (GTK_BOX (box), line);
  progress = gtk_progress_bar_new ();
  g_object_bind_property (item, "running", progress, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (item, "progress", progress, "fraction", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), progress);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "jsw-item", g_object_ref (item), g_object_unref);
  g_object_set_data (G_OBJECT (row), "jsw-date", date);
  g_object_set_data (G_OBJECT (row), "jsw-progress", progress);
  update_row (GTK_LIST_BOX_ROW (row), NULL, item);
  g_signal_connect_object (item, "notify", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  add_row_menu_gestures (user_data, row);
  return row;
}

static JswEntryItem *
item_of (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "jsw-item") : NULL;
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  int group = jsw_entry_item_get_group (item_of (row));
  GtkWidget *header;

  if (before != NULL && section_of (jsw_entry_item_get_group (item_of (before))) == section_of (group))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_list_box_row_get_header (row);
  if (header == NULL)
    {
      header = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "queue-section");
      gtk_widget_set_margin_start (header, 12);
      gtk_widget_set_margin_top (header, 12);
      gtk_widget_set_margin_bottom (header, 6);
      gtk_accessible_update_property (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
      gtk_list_box_row_set_header (row, header);
    }
  gtk_label_set_label (GTK_LABEL (header), jsw_queue_list_section_title (group));
}

/* Selection */

static void
set_selected (JswQueueList *self,
              JswEntryItem *item)
{
  if (g_set_object (&self->selected, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

static GtkListBoxRow *
row_of_item (JswQueueList *self,
             JswEntryItem *item)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; item != NULL && i < n; i++)
    {
      g_autoptr(JswEntryItem) candidate = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (candidate == item)
        return gtk_list_box_get_row_at_index (self->list_box, i);
    }
  return NULL;
}

static void
on_row_selected (JswQueueList  *self,
                 GtkListBoxRow *row)
{
  /* A moved item's row is made anew: the selection stays on the item. */
  if (self->reselecting || (row == NULL && self->selected != NULL && row_of_item (self, self->selected) != NULL))
    return;
  set_selected (self, item_of (row));
}

/* Context menu: the row's entry is selected first, so that the menu's
 * entry.* actions (which act on the selected entry) act on that row's. */

static void
unparent_menu (GtkPopover *popover)
{
  /* After "closed": a menu item's action runs once the popover is gone. */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_unparent, popover);
}

/* Opens @row's menu, pointing at (@x, @y) in the row, or at the row when
 * @x is negative (the keyboard). Returns the menu, or NULL without one. */
static GtkWidget *
popup_row_menu (JswQueueList  *self,
                GtkListBoxRow *row,
                double         x,
                double         y)
{
  GtkWidget *popover;

  if (row == NULL || self->row_menu == NULL)
    return NULL;
  gtk_list_box_select_row (self->list_box, row);
  set_selected (self, item_of (row));
  popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), x < 0);
  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (unparent_menu), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  return popover;
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                JswQueueList    *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu (self, GTK_LIST_BOX_ROW (row), x, y);
}

static void
on_row_long_pressed (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     JswQueueList        *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  popup_row_menu (self, GTK_LIST_BOX_ROW (row), x, y);
}

/* A right click or a long press (touch) on @row opens its menu. */
static void
add_row_menu_gestures (JswQueueList *self,
                       GtkWidget    *row)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_row_pressed), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (on_row_long_pressed), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (long_press));
}

/* Shift+F10 or the Menu key: the menu of the row with the focus, else of
 * the selected one. */
static gboolean
popup_focused_row_menu (GtkWidget *widget,
                        GVariant  *args,
                        gpointer   user_data)
{
  JswQueueList *self = JSW_QUEUE_LIST (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkWidget *row = focus ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list_box))
    row = (GtkWidget *) gtk_list_box_get_selected_row (self->list_box);
  return popup_row_menu (self, GTK_LIST_BOX_ROW (row), -1, -1) != NULL;
}

/**
 * jsw_queue_list_set_row_menu:
 * @menu: (nullable): the rows' context menu (jsw_entry_detail_get_menu())
 *
 * Sets what a right click, a long press, Shift+F10 or the Menu key on a
 * row offers. Its actions are looked up from the row (the window's
 * `entry` group) and act on the selected entry, which the row becomes.
 */
void
jsw_queue_list_set_row_menu (JswQueueList *self,
                             GMenuModel   *menu)
{
  g_return_if_fail (JSW_IS_QUEUE_LIST (self));
  g_set_object (&self->row_menu, menu);
}

/**
 * jsw_queue_list_popup_menu_for:
 * @entry_id: an entry shown in the list
 *
 * Opens that row's context menu as a right click on it does (for the
 * tests' driver and assistive technologies).
 *
 * Returns: (transfer none) (nullable): the menu's popover, or NULL when no
 *   row shows @entry_id or there is no menu
 */
GtkWidget *
jsw_queue_list_popup_menu_for (JswQueueList *self,
                               const char   *entry_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JswEntryItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (jsw_entry_item_get_id (item), entry_id) == 0)
        return popup_row_menu (self, gtk_list_box_get_row_at_index (self->list_box, i), -1, -1);
    }
  return NULL;
}

static void
on_row_activated (JswQueueList  *self,
                  GtkListBoxRow *row)
{
  set_selected (self, item_of (row));
  g_signal_emit (self, signals[ACTIVATED], 0, item_of (row));
}

static void
show_page (JswQueueList *self)
{
  gboolean searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
  guint total = self->model ? g_list_model_get_n_items (self->model) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  gtk_stack_set_visible_child_name (self->stack, total == 0 ? "empty" : shown == 0 && searching ? "no-results" : "list");
}

static void
on_items_changed (JswQueueList *self)
{
  GtkListBoxRow *row = row_of_item (self, self->selected);

  if (row != NULL && gtk_list_box_get_selected_row (self->list_box) != row)
    {
      self->reselecting = TRUE;
      gtk_list_box_select_row (self->list_box, row);
      self->reselecting = FALSE;
    }
  /* Something is always shown beside the list, once there is something. */
  if (self->selected == NULL && gtk_list_box_get_row_at_index (self->list_box, 0) != NULL)
    gtk_list_box_select_row (self->list_box, gtk_list_box_get_row_at_index (self->list_box, 0));
  gtk_list_box_invalidate_headers (self->list_box);
  show_page (self);
}

/* Search: the job title, the company or the state, as shown. */

static gboolean
matches (gpointer      item,
         JswQueueList *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (query, -1);
  const char *fields[] = {
    jsw_entry_item_get_title (item), jsw_entry_item_get_company (item), jsw_entry_item_get_state_label (item),
  };

  if (*query == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *haystack = g_utf8_casefold (fields[i] ? fields[i] : "", -1);

      if (strstr (haystack, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
on_search_changed (JswQueueList *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  show_page (self);
}

static gboolean
refresh_dates (gpointer data)
{
  JswQueueList *self = data;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && item_of (GTK_LIST_BOX_ROW (row)) != NULL)
      update_row (GTK_LIST_BOX_ROW (row), NULL, item_of (GTK_LIST_BOX_ROW (row)));
  return G_SOURCE_CONTINUE;
}

/* Public */

/* @model: (nullable): the application's JswQueueModel */
void
jsw_queue_list_set_model (JswQueueList *self,
                          GListModel   *model)
{
  g_return_if_fail (JSW_IS_QUEUE_LIST (self));

  if (!g_set_object (&self->model, model))
    return;
  gtk_filter_list_model_set_model (self->filtered, model);
  show_page (self);
}

/* Returns: (nullable) (transfer none): the item whose row is selected */
JswEntryItem *
jsw_queue_list_get_selected_item (JswQueueList *self)
{
  return self->selected;
}

/* Selects @entry_id's row, if it is listed. */
gboolean
jsw_queue_list_select_entry (JswQueueList *self,
                             const char   *entry_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JswEntryItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (jsw_entry_item_get_id (item), entry_id) == 0)
        {
          gtk_list_box_select_row (self->list_box, gtk_list_box_get_row_at_index (self->list_box, i));
          return TRUE;
        }
    }
  return FALSE;
}

void
jsw_queue_list_set_search_mode (JswQueueList *self,
                                gboolean      search_mode)
{
  gtk_search_bar_set_search_mode (self->search_bar, search_mode);
}

gboolean
jsw_queue_list_get_search_mode (JswQueueList *self)
{
  return gtk_search_bar_get_search_mode (self->search_bar);
}

/* GObject */

static void
jsw_queue_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JswQueueList *self = JSW_QUEUE_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ITEM: g_value_set_object (value, self->selected); break;
    case PROP_SEARCH_MODE: g_value_set_boolean (value, jsw_queue_list_get_search_mode (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_queue_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JswQueueList *self = JSW_QUEUE_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH_MODE: jsw_queue_list_set_search_mode (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_queue_list_dispose (GObject *object)
{
  JswQueueList *self = (JswQueueList *) object;

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_object (&self->filtered);
  g_clear_object (&self->model);
  g_clear_object (&self->selected);
  g_clear_object (&self->row_menu);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_QUEUE_LIST);
  G_OBJECT_CLASS (jsw_queue_list_parent_class)->dispose (object);
}

static void
jsw_queue_list_class_init (JswQueueListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jsw_queue_list_dispose;
  object_class->get_property = jsw_queue_list_get_property;
  object_class->set_property = jsw_queue_list_set_property;

  properties[PROP_SELECTED_ITEM] = g_param_spec_object ("selected-item", NULL, NULL, JSW_TYPE_ENTRY_ITEM,
                                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_MODE] = g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JswQueueList::activated:
   * @item: the row's JswEntryItem
   *
   * A row was activated (Enter, a click): the window shows its entry.
   */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, JSW_TYPE_ENTRY_ITEM);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, popup_focused_row_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, popup_focused_row_menu, NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-queue-list.ui");
  gtk_widget_class_bind_template_child (widget_class, JswQueueList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, JswQueueList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JswQueueList, stack);
  gtk_widget_class_bind_template_child (widget_class, JswQueueList, list_box);
}

static void
jsw_queue_list_init (JswQueueList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new ((GtkCustomFilterFunc) matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
  gtk_list_box_set_header_func (self->list_box, update_header, self, NULL);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_swapped (self->list_box, "row-selected", G_CALLBACK (on_row_selected), self);
  g_signal_connect_swapped (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_object_bind_property (self->search_bar, "search-mode-enabled", self, "search-mode", G_BINDING_DEFAULT);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  self->clock_id = g_timeout_add_seconds (60, refresh_dates, self);
  show_page (self);
}
