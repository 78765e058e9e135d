/* test-window.c: the window a person sees, from first run to a queue
 *
 * The real application object and window in this process (under Xvfb,
 * with a keyring on the test's D-Bus session, as tools/run-tests gives
 * every test) against a real jobswipe-server. Another device of the same
 * person moves entries on the server through the stream (claims, progress,
 * results), so the queue reaches the window the way it does for a person:
 * through the app's own stream, cache and queue model.
 *
 * What a person checks: a failed sign-in says why on the field at fault;
 * the queue is in sections; search finds by title and company; Enter opens
 * a row and Tab leaves the list in one step; every icon button, row and
 * progress bar has a name for a screen reader (read from the widgets'
 * accessible properties: AT-SPI is off here); a 360 px window is usable;
 * the plan's usage is shown. Pictures of each state (light, dark, 360 px)
 * go to tests/screenshots/ in the build folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "jsw-application.h"
#include "jsw-entry-detail.h"
#include "jsw-queue-list.h"
#include "jsw-sign-in-page.h"
#include "jsw-test-util.h"
#include "jsw-window-picture.h"
#include "jsw-window.h"

static struct {
  JswTestServer  *server;
  SoupSession    *http;
  char           *token;
  char           *phone;
  JswApplication *app;
  JswWindow      *window;
  char           *ids[4];
} t;

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *found = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (found);
  return found;
}

static void
screenshot (const char *name)
{
  jsw_test_window_picture (GTK_WIDGET (t.window), name);
}

static JswSignInPage *
sign_in_page (void)
{
  AdwBin *slot = child (t.window, JSW_TYPE_WINDOW, "sign_in_slot");

  return JSW_SIGN_IN_PAGE (adw_bin_get_child (slot));
}

static gboolean
has_error (gpointer row)
{
  return gtk_widget_has_css_class (row, "error");
}

static gboolean
label_shown (gpointer label)
{
  return gtk_widget_get_visible (label) && *gtk_label_get_label (label) != '\0';
}

static void
type_into (JswSignInPage *page,
           const char    *row,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (page, JSW_TYPE_SIGN_IN_PAGE, row)), text);
}

/* Enter in a row signs in, as the button does. */
static void
press_enter (JswSignInPage *page,
             const char    *row)
{
  g_signal_emit_by_name (child (page, JSW_TYPE_SIGN_IN_PAGE, row), "entry-activated");
}

static void
expect_error_on (JswSignInPage *page,
                 const char    *row)
{
  static const char *rows[] = { "server_row", "email_row", "password_row", "token_row" };
  GtkLabel *error = child (page, JSW_TYPE_SIGN_IN_PAGE, "error_label");

  iterate_until (has_error, child (page, JSW_TYPE_SIGN_IN_PAGE, row), 20);
  iterate_until (label_shown, error, 5);
  g_test_message ("%s: %s", row, gtk_label_get_label (error));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_true (g_str_equal (rows[i], row) == has_error (child (page, JSW_TYPE_SIGN_IN_PAGE, rows[i])));
  /* Signing in again is possible once the answer came. */
  g_assert_true (gtk_widget_is_sensitive (child (page, JSW_TYPE_SIGN_IN_PAGE, "sign_in_button")));
}

static gboolean
queue_shown (gpointer data)
{
  GtkStack *pages = child (t.window, JSW_TYPE_WINDOW, "pages");

  return g_strcmp0 (gtk_stack_get_visible_child_name (pages), "queue") == 0;
}

static void
test_sign_in_errors (void)
{
  JswSignInPage *page = sign_in_page ();
  GtkEditable *server = child (page, JSW_TYPE_SIGN_IN_PAGE, "server_row");

  /* A new person's server field is empty. */
  g_assert_cmpstr (gtk_editable_get_text (server), ==, "");
  screenshot ("sign-in-empty");

  press_enter (page, "email_row");
  expect_error_on (page, "server_row");

  /* Nobody answers there. */
  type_into (page, "server_row", "http://127.0.0.1:9");
  type_into (page, "email_row", "ada@example.org");
  type_into (page, "password_row", "not her password");
  press_enter (page, "password_row");
  expect_error_on (page, "server_row");

  /* The server answers, and refuses the password. */
  type_into (page, "server_row", t.server->url);
  press_enter (page, "password_row");
  expect_error_on (page, "password_row");
  screenshot ("sign-in-error");

  /* A device token signs in: the queue replaces the page. */
  type_into (page, "token_row", t.token);
  press_enter (page, "token_row");
  iterate_until (queue_shown, NULL, 30);
}

static JswQueueList *
queue_list (void)
{
  return child (t.window, JSW_TYPE_WINDOW, "queue_list");
}

static gboolean
list_page_is (gpointer name)
{
  GtkStack *stack = child (queue_list (), JSW_TYPE_QUEUE_LIST, "stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), name) == 0;
}

static gboolean
usage_shown (gpointer data)
{
  return label_shown (child (t.window, JSW_TYPE_WINDOW, "usage_label"));
}

static void
test_empty (void)
{
  /* The applications view (the window opens on Discover, the deck:
   * tests/app/test-deck-swiping.c). */
  adw_view_stack_set_visible_child_name (child (t.window, JSW_TYPE_WINDOW, "view_stack"), "applications");
  iterate_until (list_page_is, (gpointer) "empty", 20);
  iterate_until (usage_shown, NULL, 20);
  {
    guint status;
    g_autoptr(JsonNode) me = jsw_test_http (t.http, t.server, "GET", "/v1/me", t.token, NULL, &status);
    JsonObject *limits = json_object_get_object_member (json_node_get_object (me), "limits");
    g_autofree char *expected = g_strdup_printf ("Pro plan · 0 of %" G_GINT64_FORMAT " today",
                                                 json_object_get_int_member (limits, "daily"));

    /* The plan and today's use of it, as the server counts them. */
    g_assert_cmpstr (gtk_label_get_label (child (t.window, JSW_TYPE_WINDOW, "usage_label")), ==, expected);
  }
  screenshot ("empty");
}

static char *
swipe (const char *job_id,
       const char *title,
       const char *company)
{
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"%s\","
                                           "\"company\":\"%s\",\"apply_url\":\"https://jobs.example.org/%s\"}}",
                                           job_id, title, company, job_id);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (t.http, t.server, "POST", "/v1/swipes", t.phone, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "entry"), "id"));
}

static char *
claim (JswTestStream *stream,
       const char    *entry_id)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c-%s\",\"entry\":\"%s\"}", entry_id, entry_id);
  g_autoptr(JsonObject) claimed = NULL;

  jsw_test_stream_send (stream, frame);
  claimed = jsw_test_stream_expect_past_changes (stream, "claimed");
  return g_strdup (json_object_get_string_member (claimed, "lease"));
}

static void
finish (JswTestStream *stream,
        const char    *entry_id,
        const char    *outcome)
{
  g_autofree char *lease = claim (stream, entry_id);
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r-%s\",\"lease\":\"%s\",\"outcome\":\"%s\","
                                            "\"confirmation\":null,\"error\":null,\"screenshot_sha256\":null}",
                                            entry_id, lease, outcome);
  g_autoptr(JsonObject) ack = NULL;

  jsw_test_stream_send (stream, frame);
  ack = jsw_test_stream_expect_past_changes (stream, "ack");
}

static guint
n_rows (void)
{
  GtkListBox *list = child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box");
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static gboolean
has_rows (gpointer n)
{
  return n_rows () == GPOINTER_TO_UINT (n);
}

static const char *
row_header (guint index)
{
  GtkListBox *list = child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box");
  GtkWidget *header = gtk_list_box_row_get_header (gtk_list_box_get_row_at_index (list, index));

  return header ? gtk_label_get_label (GTK_LABEL (header)) : NULL;
}

static gboolean
sections_settled (gpointer data)
{
  return n_rows () == 4 && g_strcmp0 (row_header (0), "Needs You") == 0 && g_strcmp0 (row_header (1), "In Progress") == 0 &&
         g_strcmp0 (row_header (2), "Waiting") == 0 && g_strcmp0 (row_header (3), "Done") == 0;
}

/* The queue in sections, with what needs the person first. */
static void
test_sections (void)
{
  g_autoptr(JswTestStream) laptop = jsw_test_stream_open (t.server, t.phone, NULL);
  g_autoptr(JsonObject) welcome = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *progress = NULL;

  jsw_test_set_mode (t.http, t.server, t.token, "desktop");
  t.ids[0] = swipe ("w-1", "Backend Engineer", "Lumen Labs");
  t.ids[1] = swipe ("w-2", "Desktop Developer", "Northwind Apps");
  t.ids[2] = swipe ("w-3", "Platform Engineer", "Lumen Labs");
  t.ids[3] = swipe ("w-4", "QA Analyst", "Contoso");

  /* Another computer of the same person applies to some of them. */
  jsw_test_stream_send (laptop, "{\"type\":\"hello\",\"device\":\"laptop\",\"since\":0}");
  welcome = jsw_test_stream_expect (laptop, "welcome");
  finish (laptop, t.ids[0], "submitted");
  finish (laptop, t.ids[1], "needs_user");
  lease = claim (laptop, t.ids[2]);
  progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":40,\"step\":\"filling\","
                              "\"message\":\"Filling in the form\"}", lease);
  jsw_test_stream_send (laptop, progress);

  iterate_until (sections_settled, NULL, 30);
  g_assert_true (list_page_is ((gpointer) "list"));
  screenshot ("queue");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot ("queue-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
search_for (const char *text)
{
  GtkEditable *entry = child (queue_list (), JSW_TYPE_QUEUE_LIST, "search_entry");

  gtk_editable_set_text (entry, text);
  /* A search entry waits a moment for the typing to stop. */
  iterate_for (400);
}

static void
test_search (void)
{
  GtkSearchBar *bar = child (queue_list (), JSW_TYPE_QUEUE_LIST, "search_bar");

  /* Ctrl+F opens the search. */
  gtk_widget_activate_action (GTK_WIDGET (t.window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (bar));

  search_for ("lumen");
  iterate_until (has_rows, GUINT_TO_POINTER (2), 5);
  search_for ("Northwind");
  iterate_until (has_rows, GUINT_TO_POINTER (1), 5);
  g_assert_cmpstr (row_header (0), ==, "Needs You");
  search_for ("nothing like this");
  iterate_until (list_page_is, (gpointer) "no-results", 5);
  screenshot ("search-no-results");
  search_for ("");
  iterate_until (has_rows, GUINT_TO_POINTER (4), 5);
  gtk_widget_activate_action (GTK_WIDGET (t.window), "win.search", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (bar));
}

static gboolean
in_list (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX) ==
         GTK_WIDGET (child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box"));
}

/* Enter on a row opens it (its pane shows it); Tab leaves the list at
 * once, not row by row. */
static void
test_keyboard (void)
{
  GtkListBox *list = child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box");
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (list, 0);
  JswEntryDetail *detail = child (t.window, JSW_TYPE_WINDOW, "detail");

  gtk_widget_grab_focus (GTK_WIDGET (first));
  g_assert_true (in_list (gtk_root_get_focus (GTK_ROOT (t.window))));
  g_signal_emit_by_name (first, "activate");
  iterate_for (100);
  g_assert_nonnull (jsw_entry_detail_get_item (detail));
  g_assert_cmpstr (jsw_entry_item_get_id (jsw_entry_detail_get_item (detail)), ==, t.ids[1]);

  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (t.window), GTK_DIR_TAB_FORWARD));
  g_assert_false (in_list (gtk_root_get_focus (GTK_ROOT (t.window))));
}

/* The accessible name of @widget: its label property, else (for a button
 * with a text label) the text. */
static gboolean
has_accessible_label (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static gboolean
is_icon_only (GtkWidget *widget)
{
  GtkWidget *content = gtk_widget_get_first_child (widget);

  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL;
  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  return GTK_IS_IMAGE (content) && gtk_widget_get_next_sibling (content) == NULL;
}

static void
check_names (GtkWidget *widget,
             guint     *checked)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (is_icon_only (widget) || GTK_IS_PROGRESS_BAR (widget) || GTK_IS_LIST_BOX_ROW (widget) ||
      GTK_IS_SWITCH (widget) || GTK_IS_SPINNER (widget))
    {
      if (!has_accessible_label (widget))
        g_error ("a %s (%s) has no accessible name", G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_tooltip_text (widget) ?: gtk_widget_get_name (widget));
      (*checked)++;
      /* A row's name is enough: its parts are read through it. */
      if (GTK_IS_LIST_BOX_ROW (widget) && !GTK_IS_ACTIONABLE (widget))
        {
          for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
            check_names (c, checked);
          return;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_names (c, checked);
}

static void
test_accessible_names (void)
{
  GtkListBox *list = child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box");
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);
  JswEntryItem *item = g_object_get_data (G_OBJECT (row), "jsw-item");
  g_autofree char *problem = NULL;
  g_autofree char *when = NULL;
  g_autofree char *expected = NULL;
  guint checked = 0;
  gint64 created_at;

  /* A row says what it is about, where it stands and since when. */
  g_object_get (item, "created-at", &created_at, NULL);
  when = jsw_queue_list_format_date (created_at, g_get_real_time ());
  expected = g_strdup_printf ("Desktop Developer at Northwind Apps, Needs you, %s", when);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (problem);

  check_names (GTK_WIDGET (t.window), &checked);
  g_test_message ("%u widgets named", checked);
  /* Four rows, their progress bars, the search, menu, back buttons, the
   * switch, at least. */
  g_assert_cmpuint (checked, >=, 10);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
about_shown (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t.app)); l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

/* The primary menu (F10) leads to Preferences, the keyboard shortcuts and
 * About; the shortcuts window is the app's own. */
static void
test_menu (void)
{
  GtkMenuButton *button = child (t.window, JSW_TYPE_WINDOW, "menu_button");
  GMenuModel *menu = gtk_menu_button_get_menu_model (button);

  g_assert_true (gtk_menu_button_get_primary (button));
  g_assert_true (menu_has_action (menu, "app.preferences"));
  g_assert_true (menu_has_action (menu, "win.show-help-overlay"));
  g_assert_true (menu_has_action (menu, "app.about"));
  g_assert_true (menu_has_action (menu, "app.auto-apply"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (t.window)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (t.window), "show-help-overlay"));

  g_action_group_activate_action (G_ACTION_GROUP (t.app), "about", NULL);
  iterate_until (about_shown, NULL, 10);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t.app)); l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      {
        gtk_window_destroy (l->data);
        break;
      }
}

static gboolean
folded (gpointer data)
{
  return adw_leaflet_get_folded (child (t.window, JSW_TYPE_WINDOW, "leaflet"));
}

/* 360 px: one column at a time, the list first, a row's page after. */
static void
test_narrow (void)
{
  int minimum;
  AdwLeaflet *leaflet = child (t.window, JSW_TYPE_WINDOW, "leaflet");
  GtkListBox *list = child (queue_list (), JSW_TYPE_QUEUE_LIST, "list_box");

  gtk_widget_measure (GTK_WIDGET (t.window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (t.window), 360, 700);
  iterate_until (folded, NULL, 10);
  adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  iterate_for (500);
  screenshot ("queue-360");
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (list, 0), "activate");
  iterate_for (600);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (t.window, JSW_TYPE_WINDOW, "content"));
  screenshot ("entry-360");
  gtk_widget_activate_action (GTK_WIDGET (t.window), "win.back", NULL);
  iterate_for (600);
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1180, 700);
}

static gboolean
shows_handed_back (gpointer entry_id)
{
  JswEntryItem *item = jsw_queue_list_get_selected_item (queue_list ());

  return item != NULL && g_str_equal (jsw_entry_item_get_id (item), entry_id) &&
         jsw_entry_item_get_state (item) == JSW_STATE_NEEDS_USER;
}

/* An entry the server's worker handed back to the person (needs_user,
 * target server): the header's Apply Now is offered as the detail pane's
 * is (both move it to this computer and finish it here). */
static void
test_apply_now_handed_back (void)
{
  g_autofree char *token = jsw_test_server_worker_token (t.server, "w");
  g_autoptr(JswTestStream) worker = jsw_test_stream_open (t.server, token, NULL);
  g_autoptr(JsonObject) welcome = NULL;
  g_autofree char *entry_id = NULL;
  GtkWidget *detail = child (t.window, JSW_TYPE_WINDOW, "detail");

  jsw_test_set_mode (t.http, t.server, t.token, "server");
  entry_id = swipe ("w-5", "Compiler Engineer", "Analytical Engines");
  jsw_test_stream_send (worker, "{\"type\":\"hello\",\"device\":\"w\",\"since\":0}");
  welcome = jsw_test_stream_expect (worker, "welcome");
  finish (worker, entry_id, "needs_user");

  jsw_window_select_entry (t.window, entry_id);
  iterate_until (shows_handed_back, entry_id, 30);
  iterate_for (300);
  g_assert_true (gtk_widget_get_visible (child (detail, JSW_TYPE_ENTRY_DETAIL, "apply_button")));
  g_assert_true (gtk_widget_is_sensitive (child (detail, JSW_TYPE_ENTRY_DETAIL, "apply_button")));
  g_assert_true (gtk_widget_is_sensitive (child (t.window, JSW_TYPE_WINDOW, "apply_now_button")));
  jsw_test_set_mode (t.http, t.server, t.token, "desktop");
}

/* The window's width on the screen, px: its surface's, which holds its
 * frame (client-side decorations) beside its content. */
static int
surface_width (void)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (t.window));

  return surface != NULL ? gdk_surface_get_width (surface) : 0;
}

/* Waits until the window is @width px wide on the screen. */
static void
wait_for_width (int width)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (surface_width () != width && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("the window is %d px wide, asked for %d", surface_width (), width);
  g_assert_cmpint (surface_width (), ==, width);
}

/* Closes the window at @width x @height and opens it again, as a person
 * does between two days; the new window is t.window. */
static void
close_at_and_reopen (int width,
                     int height)
{
  g_autoptr(GSettings) settings = g_settings_new (JSW_APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (t.window), width, height);
  wait_for_width (width);
  /* Closed as the person does, past the note said once already. */
  g_settings_set_boolean (settings, "background-note-shown", TRUE);
  gtk_window_close (GTK_WINDOW (t.window));
  iterate_for (300);
  t.window = jsw_window_new (GTK_APPLICATION (t.app));
  gtk_window_present (GTK_WINDOW (t.window));
}

/* The window opens at the size it was closed at: a person who made it
 * narrow, as on a phone, finds it narrow, one column at a time. */
static void
test_size_kept (void)
{
  int width, height;

  close_at_and_reopen (900, 640);
  gtk_window_get_default_size (GTK_WINDOW (t.window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  wait_for_width (900);
  g_assert_false (folded (NULL));

  close_at_and_reopen (360, 720);
  wait_for_width (360);
  /* Discover first, as every window opens; Applications one column at a
   * time. */
  screenshot ("opened-at-360");
  adw_view_stack_set_visible_child_name (child (t.window, JSW_TYPE_WINDOW, "view_stack"), "applications");
  iterate_until (folded, NULL, 10);
  screenshot ("opened-at-360-applications");
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1180, 700);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *screenshots = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) phone = NULL;
  int status;

  g_setenv ("JOBSWIPE_SCREENSHOT_DIR", screenshots, TRUE);
  g_autofree char *home = g_dir_make_tmp ("jsw-window-XXXXXX", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };

  /* The app's own folders (its cache, its profile) in a folder of the
   * test's; the system's (XDG_DATA_DIRS: MIME types, icons) as they are,
   * which G_TEST_OPTION_ISOLATE_DIRS would hide. */
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i], NULL);

      g_setenv (dirs[i], dir, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL || !jsw_test_keyring_available ())
    {
      g_test_skip ("needs a display and a Secret Service keyring (tools/run-tests starts both)");
      return g_test_run ();
    }

  t.server = jsw_test_server_start (NULL);
  t.http = jsw_test_session_new ();
  t.token = jsw_test_server_add_user (t.server, "ada@example.org", "pro", NULL);
  phone = jsw_test_server_cli (t.server, NULL, "token", "add", "ada@example.org", "--device", "phone", NULL);
  t.phone = g_strdup (json_object_get_string_member (phone, "token"));

  t.app = jsw_application_new ();
  /* Not the unique instance: a person's JobSwipe may be running. */
  g_application_set_flags (G_APPLICATION (t.app), g_application_get_flags (G_APPLICATION (t.app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (t.app), NULL, &error);
  g_assert_no_error (error);
  t.window = jsw_window_new (GTK_APPLICATION (t.app));
  gtk_window_present (GTK_WINDOW (t.window));

  g_test_add_func ("/app/window/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/app/window/empty", test_empty);
  g_test_add_func ("/app/window/sections", test_sections);
  g_test_add_func ("/app/window/search", test_search);
  g_test_add_func ("/app/window/keyboard", test_keyboard);
  g_test_add_func ("/app/window/accessible-names", test_accessible_names);
  g_test_add_func ("/app/window/menu", test_menu);
  g_test_add_func ("/app/window/narrow", test_narrow);
  g_test_add_func ("/app/window/apply-now-handed-back", test_apply_now_handed_back);
  g_test_add_func ("/app/window/size-kept", test_size_kept);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (t.window));
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.app);
  g_clear_object (&t.http);
  jsw_test_server_free (t.server);
  if (system (rm) != 0)
    g_warning ("could not remove %s", home);
  return status;
}
