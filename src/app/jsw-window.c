/* jsw-window.c
 *
 * The main window: the sign-in page on first run, then the queue
 * (JswQueueList) beside the selected entry (JswEntryDetail) in an
 * AdwLeaflet, which folds into one column on a narrow screen. The header
 * holds the primary menu (F10); the sidebar's foot the auto-apply switch,
 * said in words, and the plan's usage, warned about before its limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-demo.h"
#include "jsw-discover-page.h"
#include "jsw-entry-detail-driver.h"
#include "jsw-entry-detail.h"
#include "jsw-entry-item.h"
#include "jsw-profile-store.h"
#include "jsw-queue-list.h"
#include "jsw-queue-model.h"
#include "jsw-runner.h"
#include "jsw-screenshot.h"
#include "jsw-session.h"
#include "jsw-sign-in-page.h"
#include "jsw-window.h"

/* A plan's counter is warned about from this share of its limit on. */
#define USAGE_WARNING_SHARE 0.8

struct _JswWindow
{
  AdwApplicationWindow  parent_instance;

  /* The application's parts (its properties), watched, not called: */
  JswSession           *session;
  JswRunner            *runner;      /* once signed in */
  JswEntryItem         *shown;       /* the selected item, whose state Apply now follows */
  GSettings            *settings;
  gboolean              closing;
  gboolean              size_saved;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *pages;
  AdwBin               *sign_in_slot;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkWidget            *sidebar;
  AdwHeaderBar         *sidebar_header;
  GtkWidget            *pane_separator;
  GListModel           *queue;
  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *discover_switcher;
  AdwViewSwitcherBar   *switcher_bar;
  JswDiscoverPage      *discover_page;
  AdwWindowTitle       *content_title;
  GtkToggleButton      *search_button;
  GtkMenuButton        *menu_button;
  JswQueueList         *queue_list;
  JswEntryDetail       *detail;
  GtkSwitch            *auto_apply_switch;
  GtkLabel             *usage_label;
  GtkWidget            *apply_now_button;
};

G_DEFINE_FINAL_TYPE (JswWindow, jsw_window, ADW_TYPE_APPLICATION_WINDOW)

static JswEntry *
selected_entry (JswWindow *self)
{
  return self->shown ? jsw_entry_item_get_entry (self->shown) : NULL;
}

/**
 * jsw_window_add_toast:
 * @toast: (transfer full): what was just done, with Undo where it can be
 *
 * Shows @toast at the bottom of the window. What the person just did in
 * the window in front of them is said here, never in a notification.
 */
void
jsw_window_add_toast (JswWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (JSW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* win.toast('text'): a toast without a button, for actions elsewhere. */
static void
toast_action (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  jsw_window_add_toast (JSW_WINDOW (widget), adw_toast_new (g_variant_get_string (parameter, NULL)));
}

/* The server's worker handed it to the person: Apply Now moves it to this
 * computer first, as the detail pane's does (its entry.apply-now). */
static gboolean
handed_back_by_server (JswEntry *entry)
{
  return entry != NULL && entry->state == JSW_STATE_NEEDS_USER && entry->target == JSW_TARGET_SERVER;
}

/* Apply now is for the selected entry, while it waits on this computer and
 * nothing else runs, or once the server handed it back: as the detail
 * pane's button (jsw-entry-detail.c, show_buttons()). */
static void
update_apply_now (JswWindow *self)
{
  JswEntry *entry = selected_entry (self);
  JswRunner *runner = self->runner;
  gboolean can_apply;

  can_apply = (entry != NULL && entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_DESKTOP &&
               runner != NULL && jsw_runner_get_current (runner) == NULL) ||
              handed_back_by_server (entry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-now", can_apply);
}

/* The entry is shown, in the applications view. */
void
jsw_window_select_entry (JswWindow  *self,
                         const char *entry_id)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "applications");
  jsw_queue_list_select_entry (self->queue_list, entry_id);
}

/* The pane (JswEntryDetail) shows the selected item and follows its
 * changes; the list's rows follow theirs through their bindings. */
static void
on_selected_item_changed (JswWindow *self)
{
  JswEntryItem *item = jsw_queue_list_get_selected_item (self->queue_list);

  if (item != self->shown)
    {
      if (self->shown != NULL)
        g_signal_handlers_disconnect_by_func (self->shown, update_apply_now, self);
      g_set_object (&self->shown, item);
      if (item != NULL)
        g_signal_connect_object (item, "notify", G_CALLBACK (update_apply_now), self, G_CONNECT_SWAPPED);
    }
  jsw_entry_detail_set_item (self->detail, item);
  update_apply_now (self);
}

/* Enter or a click on a row: on a narrow window, its page comes in. */
static void
on_row_activated (JswWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
back (GtkWidget  *widget,
      const char *action,
      GVariant   *parameter)
{
  adw_leaflet_navigate (JSW_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The search changed (Preferences): the deck starts again. */
static void
reload_deck (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  JswDeckModel *model = jsw_discover_page_get_model (JSW_WINDOW (widget)->discover_page);

  if (model != NULL)
    jsw_deck_model_reload (model);
}

static void
toggle_search (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->queue_list)))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  jsw_queue_list_set_search_mode (self->queue_list, !jsw_queue_list_get_search_mode (self->queue_list));
}

static void
screenshot_soon (JswWindow  *self,
                 const char *name,
                 guint       delay_ms)
{
  jsw_screenshot_soon (GTK_WIDGET (self), name, delay_ms);
}

/* Plan and usage: a quiet line under the list, which warns before a limit
 * is reached and says when one is. */

/* Returns: (transfer full) (nullable): the warning for @counter
 * ("daily", "total_month"), when it is near its limit or reached it */
static char *
usage_warning (const char *counter,
               gint64      used,
               gint64      limit,
               gboolean   *reached)
{
  g_autofree char *used_text = g_strdup_printf ("%'" G_GINT64_FORMAT, used);
  g_autofree char *limit_text = g_strdup_printf ("%'" G_GINT64_FORMAT, limit);
  gboolean daily = g_str_equal (counter, "daily");

  *reached = used >= limit;
  if (*reached)
    return daily ? g_strdup_printf (_("Today’s %s applications are used; applying goes on tomorrow"), limit_text)
                 : g_strdup_printf (_("This month’s %s applications are used; applying goes on next month"), limit_text);
  if (used < limit * USAGE_WARNING_SHARE)
    return NULL;
  return daily ? g_strdup_printf (_("%s of %s applications today: close to the daily limit"), used_text, limit_text)
               : g_strdup_printf (_("%s of %s applications this month: close to the plan’s limit"), used_text, limit_text);
}

static void
show_usage (JswWindow  *self,
            JsonObject *me)
{
  static const char *counters[] = { "daily", "total_month" };
  JsonObject *limits = json_object_get_object_member (me, "limits");
  JsonObject *usage = json_object_get_object_member (me, "usage");
  const char *plan_id = json_object_get_string_member_with_default (me, "plan", "");
  /* The plan's name as the server has it ("pro"), as a name: "Pro". */
  g_autofree char *first = g_utf8_strup (plan_id, *plan_id ? g_utf8_next_char (plan_id) - plan_id : 0);
  g_autofree char *plan = g_strconcat (first, *plan_id ? g_utf8_next_char (plan_id) : "", NULL);
  g_autofree char *text = NULL;
  const char *style = "dim-label";
  gboolean reached = FALSE;

  if (limits == NULL || usage == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counters) && text == NULL; i++)
    {
      JsonNode *limit = json_object_get_member (limits, counters[i]);

      if (limit != NULL && !json_node_is_null (limit))
        text = usage_warning (counters[i], json_object_get_int_member_with_default (usage, counters[i], 0),
                              json_node_get_int (limit), &reached);
    }
  if (text != NULL)
    style = reached ? "error" : "warning";
  else
    {
      JsonNode *daily = json_object_get_member (limits, "daily");
      gint64 used = json_object_get_int_member_with_default (usage, "daily", 0);

      if (daily != NULL && !json_node_is_null (daily))
        /* TRANSLATORS: the plan's name, then today's applications: "Pro plan · 3 of 50 today" */
        text = g_strdup_printf (_("%s plan · %'" G_GINT64_FORMAT " of %'" G_GINT64_FORMAT " today"),
                                plan, used, json_node_get_int (daily));
      else
        text = g_strdup_printf (_("%s plan · %'" G_GINT64_FORMAT " today"), plan, used);
    }
  gtk_label_set_label (self->usage_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->usage_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->usage_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->usage_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->usage_label), style);
  gtk_widget_set_visible (GTK_WIDGET (self->usage_label), TRUE);
}

static void
account_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JswWindow) self = user_data;
  guint status = 0;
  g_autoptr(JsonNode) me = jsw_session_rest_finish (JSW_SESSION (source), result, &status, NULL);

  if (me != NULL && status == 200 && JSON_NODE_HOLDS_OBJECT (me) && !self->closing)
    show_usage (self, json_node_get_object (me));
}

static void
load_usage (JswWindow *self)
{
  jsw_session_rest_async (self->session, "GET", "/v1/me", NULL, NULL, account_loaded, g_object_ref (self));
}

/* The runner */

/* The run of @entry_id is shown as it goes, unless the person is busy
 * with an entry that needs them, or swiping in the deck. Returns whether
 * it is the selected entry (the person may be looking at Discover). */
static gboolean
show_run (JswWindow  *self,
          const char *entry_id)
{
  if (jsw_discover_page_get_swiping (self->discover_page))
    return FALSE;
  if (self->shown == NULL ||
      (g_strcmp0 (entry_id, jsw_entry_item_get_id (self->shown)) != 0 &&
       jsw_entry_item_get_state (self->shown) != JSW_STATE_NEEDS_USER &&
       g_strcmp0 (jsw_runner_get_reviewing (self->runner), jsw_entry_item_get_id (self->shown)) != 0))
    jsw_window_select_entry (self, entry_id);
  return self->shown != NULL && g_strcmp0 (entry_id, jsw_entry_item_get_id (self->shown)) == 0;
}

static void
on_run_progress (JswRunner  *runner,
                 const char *entry_id,
                 int         percent,
                 const char *step,
                 const char *message,
                 JswWindow  *self)
{
  /* Mid-run, with the form being filled in; one frame later, so the
   * widgets changed just now are drawn. */
  if (show_run (self, entry_id) && g_strcmp0 (step, "answering") == 0)
    screenshot_soon (self, "applying", 50);
}

static void
on_review_needed (JswRunner  *runner,
                  const char *entry_id,
                  JswWindow  *self)
{
  jsw_window_select_entry (self, entry_id);
  screenshot_soon (self, "review", 700);
}

/* The run's end is shown where it happened: its entry is selected. */
static void
on_run_finished (JswRunner  *runner,
                 const char *entry_id,
                 int         outcome,
                 const char *text,
                 const char *missing,
                 JswWindow  *self)
{
  load_usage (self);
  /* The picture of a sent application is of that one (a tester saw the
   * one that needed the person under this name). */
  if (outcome == JSW_OUTCOME_SUBMITTED && show_run (self, entry_id))
    screenshot_soon (self, "submitted", 700);
  if (outcome != JSW_OUTCOME_NEEDS_USER)
    return;
  jsw_window_select_entry (self, entry_id);
  screenshot_soon (self, "needs-you", 700);
}

static gboolean
has_profile (JswWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(JswProfileStore) store = NULL;

  if (application != NULL)
    g_object_get (application, "profile-store", &store, NULL);
  return store != NULL && jsw_profile_store_get_profile (store) != NULL;
}

/* Apply Now without a profile says why, and opens it. */
static void
apply_now (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);
  JswEntry *entry = selected_entry (self);

  if (!has_profile (self))
    {
      jsw_window_add_toast (self, adw_toast_new (_("Forms are filled in from your profile: set it up first")));
      gtk_widget_activate_action (widget, "app.profile", NULL);
      return;
    }
  if (handed_back_by_server (entry))
    gtk_widget_activate_action (GTK_WIDGET (self->detail), "entry.apply-now", NULL);
  else if (entry != NULL)
    gtk_widget_activate_action (widget, "app.apply-now", "s", entry->id);
  gtk_widget_action_set_enabled (widget, "win.apply-now", FALSE);
}

/* The window opens at the size it was closed at, maximized if it was, as
 * GNOME Text Editor's does: a person who made it narrow (a phone, half a
 * screen) finds it so again. Saved when the window closes, or goes with
 * the application (app.quit): the size it would have unmaximized. */
static void
restore_size (JswWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (JswWindow *self)
{
  int width, height;

  if (self->size_saved || self->settings == NULL)
    return;
  self->size_saved = TRUE;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  /* On disk before the process may end (app.quit). */
  g_settings_sync ();
}

/* Closing the window: with applying automatically on, JobSwipe goes on in
 * the background; the first time, it says so before the window goes. */

static void
on_background_note_response (JswWindow *self)
{
  g_settings_set_boolean (self->settings, "background-note-shown", TRUE);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
on_close_request (JswWindow *self)
{
  AdwMessageDialog *note;

  if (!g_settings_get_boolean (self->settings, "auto-apply") ||
      g_settings_get_boolean (self->settings, "background-note-shown"))
    {
      self->closing = TRUE;
      save_size (self);
      return FALSE;
    }
  note = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("JobSwipe Keeps Applying"),
                                                     _("With Apply Automatically on, postings you swipe right on are "
                                                       "still applied to after this window is closed. JobSwipe stays "
                                                       "in the tray; turn Apply Automatically off to stop it.")));
  adw_message_dialog_add_response (note, "close", _("_Close Window"));
  adw_message_dialog_set_default_response (note, "close");
  adw_message_dialog_set_close_response (note, "close");
  g_signal_connect_object (note, "response", G_CALLBACK (on_background_note_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (note));
  return TRUE;
}

static void
jsw_window_dispose (GObject *object)
{
  JswWindow *self = (JswWindow *) object;

  self->closing = TRUE;
  save_size (self);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_window_get_application (GTK_WINDOW (self)), self);
  g_clear_object (&self->runner);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->queue);
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_func (self->shown, update_apply_now, self);
  g_clear_object (&self->shown);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_WINDOW);
  G_OBJECT_CLASS (jsw_window_parent_class)->dispose (object);
}

static void
jsw_window_class_init (JswWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jsw_window_dispose;

  g_type_ensure (JSW_TYPE_ENTRY_ITEM);
  g_type_ensure (JSW_TYPE_ENTRY_DETAIL);
  g_type_ensure (JSW_TYPE_QUEUE_LIST);
  g_type_ensure (JSW_TYPE_DISCOVER_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JswWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, sign_in_slot);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, content);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, pane_separator);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, discover_switcher);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, discover_page);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, queue_list);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, auto_apply_switch);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, usage_label);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, apply_now_button);

  gtk_widget_class_install_action (widget_class, "win.apply-now", NULL, apply_now);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, toggle_search);
  gtk_widget_class_install_action (widget_class, "win.reload-deck", NULL, reload_deck);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

/* With nothing in the queue there is nothing to show beside it: the list's
 * empty state takes the whole window. */
static void
on_queue_items_changed (JswWindow *self)
{
  gboolean empty = self->queue == NULL || g_list_model_get_n_items (self->queue) == 0;

  gtk_widget_set_visible (self->content, !empty);
  gtk_widget_set_visible (self->pane_separator, !empty);
  gtk_widget_set_hexpand (self->sidebar, empty);
  adw_header_bar_set_show_end_title_buttons (self->sidebar_header, empty || adw_leaflet_get_folded (self->leaflet));
}

/* The switcher goes to the bottom bar when the visible view's header has
 * no room for it. */
static void
update_switcher_bar (JswWindow *self)
{
  AdwViewSwitcherTitle *title = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "discover") == 0
                                ? self->discover_switcher : self->window_title;

  adw_view_switcher_bar_set_reveal (self->switcher_bar, adw_view_switcher_title_get_title_visible (title));
}

static void
jsw_window_init (JswWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The detail pane's entry.* actions, for the whole window (its rows). */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "entry", jsw_entry_detail_get_actions (self->detail));
  {
    g_autoptr(GMenuModel) row_menu = jsw_entry_detail_get_menu ();

    jsw_queue_list_set_row_menu (self->queue_list, row_menu);
  }
  /* Only with JOBSWIPE_TEST_DRIVER set: tests/app/test-handoff.c. */
  jsw_entry_detail_driver_export (self->detail);

  g_signal_connect_swapped (self->queue_list, "notify::selected-item", G_CALLBACK (on_selected_item_changed), self);
  g_signal_connect_swapped (self->queue_list, "activated", G_CALLBACK (on_row_activated), self);
  g_object_bind_property (self->search_button, "active", self->queue_list, "search-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_queue_items_changed), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (update_switcher_bar), self);
  g_signal_connect_swapped (self->discover_switcher, "notify::title-visible", G_CALLBACK (update_switcher_bar), self);
  g_signal_connect_swapped (self->window_title, "notify::title-visible", G_CALLBACK (update_switcher_bar), self);
  g_object_bind_property (self->window_title, "subtitle", self->discover_switcher, "subtitle", G_BINDING_SYNC_CREATE);
}

/* For bench/app-cold-start: the moment the first frame was drawn, on the
 * monotonic clock the benchmark started the process by. */
static void
on_first_paint (GdkFrameClock *clock,
                JswWindow     *self)
{
  g_printerr ("first-frame-monotonic-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
}

static void
on_realize_report_first_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), widget);
}

static void
on_connected_changed (JswWindow *self)
{
  adw_view_switcher_title_set_subtitle (self->window_title,
                                 jsw_session_get_connected (self->session)
                                 ? _("Connected") : _("Offline — changes are kept and sent later"));
}

/* Signed in, and the application's queue is there: the queue replaces the
 * sign-in page. */
static void
show_queue_when_ready (JswWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(JswQueueModel) queue = NULL;
  g_autoptr(JswRunner) runner = NULL;
  g_autoptr(JswCache) cache = NULL;
  g_autoptr(JswProfileStore) profile_store = NULL;

  if (self->runner != NULL || application == NULL || !jsw_session_get_signed_in (self->session))
    return;
  g_object_get (application, "queue-model", &queue, "runner", &runner, "cache", &cache,
                "profile-store", &profile_store, NULL);
  if (queue == NULL || runner == NULL)
    return;
  self->runner = g_steal_pointer (&runner);

  jsw_queue_list_set_model (self->queue_list, G_LIST_MODEL (queue));
  g_set_object (&self->queue, G_LIST_MODEL (queue));
  g_signal_connect_object (queue, "items-changed", G_CALLBACK (on_queue_items_changed), self, G_CONNECT_SWAPPED);
  on_queue_items_changed (self);
  g_signal_connect_object (self->session, "notify::connected", G_CALLBACK (on_connected_changed), self, G_CONNECT_SWAPPED);
  on_connected_changed (self);
  g_signal_connect (self->runner, "run-progress", G_CALLBACK (on_run_progress), self);
  g_signal_connect (self->runner, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runner, "review-needed", G_CALLBACK (on_review_needed), self);
  /* After the window's own handlers, which select the run's entry first. */
  jsw_entry_detail_set_runner (self->detail, self->runner);

  /* The swipe deck, on the person's feed. */
  if (cache != NULL)
    jsw_discover_page_start (self->discover_page, self->session, cache, profile_store);
  /* Only with JOBSWIPE_DEMO_SWIPES set: tools/run-demo's swipes. */
  jsw_deck_demo_start (self->discover_page);

  gtk_stack_set_visible_child_name (self->pages, "queue");
  update_apply_now (self);
  load_usage (self);
}

/* @application: a JswApplication, whose `session`, `profile-store`,
 * `queue-model` and `runner` properties the window shows and follows */
JswWindow *
jsw_window_new (GtkApplication *application)
{
  JswWindow *self = g_object_new (JSW_TYPE_WINDOW, "application", application, NULL);

  g_object_get (application, "session", &self->session, NULL);
  self->settings = g_settings_new (g_application_get_application_id (G_APPLICATION (application)));
  restore_size (self);

  if (g_getenv ("JOBSWIPE_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (on_realize_report_first_frame), NULL);

  /* First run: the sign-in page. */
  adw_bin_set_child (self->sign_in_slot, jsw_sign_in_page_new (self->session));
  gtk_stack_set_visible_child_name (self->pages, "sign-in");

  g_signal_connect_object (self->session, "notify::signed-in", G_CALLBACK (show_queue_when_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::runner", G_CALLBACK (show_queue_when_ready), self, G_CONNECT_SWAPPED);
  show_queue_when_ready (self);
  if (self->runner == NULL)
    screenshot_soon (self, "sign-in", 700);
  return self;
}
