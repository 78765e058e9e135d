/* test-deck.c: the swipe deck, as a person uses it
 *
 * The real application object and window in this process (under Xvfb,
 * with a keyring on the test's D-Bus session, as tools/run-tests gives
 * every test), signed in to a real jobswipe-server whose feed is synced
 * from a fake job board (tests/server/boards/make-boards.py) whose
 * postings' forms are on the fixture site, in this process too.
 *
 * Input is real X input: keys, clicks and drags are synthesised with the
 * XTEST extension of the X server, so they reach the window as a
 * person's do (GTK's event handling, gestures and shortcuts included).
 *
 * What a person checks, and the server confirms: the arrow keys and the
 * two buttons swipe; a drag past the threshold swipes right, a short one
 * springs back and swipes nothing; Undo on the toast forgets a left swipe
 * (the posting is back in the feed), Ctrl+Z cancels a right swipe's entry
 * (the quota is given back); offline, cached postings stay swipeable and
 * the swipes reach the server exactly once when it is back; a reached
 * daily limit says which and when it resets; a likely duplicate says when
 * the person applied; a required question the profile does not answer is
 * asked, saved to the profile, and the application then posts it on the
 * fixture site. Pictures: light, dark, 360 px wide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "jsw-app-fixture.h"
#include "jsw-application.h"
#include "jsw-deck-demo.h"
#include "jsw-deck-view.h"
#include "jsw-discover-page.h"
#include "jsw-fake-board.h"
#include "jsw-fixture-site.h"
#include "jsw-json.h"
#include "jsw-matcher.h"
#include "jsw-screenshot.h"
#include "jsw-search-page.h"
#include "jsw-test-util.h"
#include "jsw-window.h"

/* The question the fixture site's greenhouse/unknown form asks. */
#define SCALED "Describe the largest system you have scaled"

static struct {
  JswTestServer  *server;
  SoupSession    *http;
  JswFixtureSite *site;
  JswFakeBoard   *board;
  char           *home;
  char           *token;
  char           *phone;
  JswApplication *app;
  JswWindow      *window;
  Display        *x;
  Fixture         desktop;     /* only its notification server */
} t;

/* Waiting, with the main loop running (the app, the site and the board's
 * answers all need it). */

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      timeout_s,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!done (data))
    g_error ("timed out waiting for %s", what);
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

static JswDiscoverPage *
page (void)
{
  return child (t.window, JSW_TYPE_WINDOW, "discover_page");
}

static JswDeckModel *
model (void)
{
  return jsw_discover_page_get_model (page ());
}

static JswDeckView *
view (void)
{
  return jsw_discover_page_get_view (page ());
}

static const char *
front_id (void)
{
  JsonObject *posting = model () ? jsw_deck_model_get_posting (model (), 0) : NULL;

  return posting ? json_object_get_string_member (posting, "posting_id") : NULL;
}

static const char *
front_title (void)
{
  return jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "title");
}

static void
screenshot (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("JOBSWIPE_SCREENSHOT_DIR"), name, NULL);
  g_autofree char *png = g_strconcat (path, ".png", NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_remove (png);
  iterate_for (400);
  while (!g_file_test (png, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    {
      jsw_screenshot_soon (GTK_WIDGET (t.window), name, 50);
      iterate_for (1500);
    }
  if (!g_file_test (png, G_FILE_TEST_EXISTS))
    g_error ("no picture %s was taken", png);
}

/* The server's side */

static JsonNode *
server_get (const char *path,
            const char *token)
{
  guint status;
  JsonNode *node = jsw_test_http (t.http, t.server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return node;
}

static gboolean
in_feed (const char *posting_id)
{
  g_autoptr(JsonNode) feed = server_get ("/v1/feed?limit=100", t.phone);
  JsonArray *postings = json_object_get_array_member (json_node_get_object (feed), "postings");

  for (guint i = 0; i < json_array_get_length (postings); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (postings, i), "posting_id"), posting_id))
      return TRUE;
  return FALSE;
}

/* The live (not cancelled) entries of the queue for a posting's job, and
 * the last one's state; with @state, cancelled ones count too. */
static guint
entries_for (JsonObject  *posting,
             char       **state,
             char       **entry_id)
{
  g_autoptr(JsonNode) queue = server_get ("/v1/queue", t.phone);
  JsonArray *entries = json_object_get_array_member (json_node_get_object (queue), "entries");
  const char *job_id = json_object_get_string_member (posting, "job_id");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (!g_str_equal (json_object_get_string_member (entry, "job_id"), job_id) ||
          (state == NULL && g_str_equal (json_object_get_string_member (entry, "state"), "cancelled")))
        continue;
      n++;
      if (state != NULL)
        {
          g_free (*state);
          *state = g_strdup (json_object_get_string_member (entry, "state"));
        }
      if (entry_id != NULL)
        {
          g_free (*entry_id);
          *entry_id = g_strdup (json_object_get_string_member (entry, "id"));
        }
    }
  return n;
}

static gint64
used_today (void)
{
  g_autoptr(JsonNode) me = server_get ("/v1/me", t.phone);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (me), "usage"), "daily");
}

/* Real input, through the X server */

static void
root_position (GtkWidget *widget,
               double     x,
               double     y,
               int       *root_x,
               int       *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t in_native;
  double surface_x, surface_y;
  Window unused;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &in_native));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (t.x, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (t.x), (int) (in_native.x + surface_x), (int) (in_native.y + surface_y),
                         root_x, root_y, &unused);
}

static void
pointer_to (GtkWidget *widget,
            double     x,
            double     y)
{
  int root_x, root_y;

  root_position (widget, x, y, &root_x, &root_y);
  XTestFakeMotionEvent (t.x, -1, root_x, root_y, CurrentTime);
  XFlush (t.x);
  iterate_for (30);
}

static void
press_key (KeySym key,
           KeySym modifier)
{
  /* Keys go to the window under the pointer (no window manager here). */
  pointer_to (GTK_WIDGET (t.window), 20, 200);
  if (modifier != NoSymbol)
    XTestFakeKeyEvent (t.x, XKeysymToKeycode (t.x, modifier), True, CurrentTime);
  XTestFakeKeyEvent (t.x, XKeysymToKeycode (t.x, key), True, CurrentTime);
  XTestFakeKeyEvent (t.x, XKeysymToKeycode (t.x, key), False, CurrentTime);
  if (modifier != NoSymbol)
    XTestFakeKeyEvent (t.x, XKeysymToKeycode (t.x, modifier), False, CurrentTime);
  XFlush (t.x);
  iterate_for (50);
}

static void
click (GtkWidget *widget)
{
  pointer_to (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  XTestFakeButtonEvent (t.x, 1, True, CurrentTime);
  XFlush (t.x);
  iterate_for (40);
  XTestFakeButtonEvent (t.x, 1, False, CurrentTime);
  XFlush (t.x);
  iterate_for (50);
}

/* A drag of the front card by @share of the deck's width, sideways, in
 * steps a hand makes. Returns the farthest the card went (px). */
static double
drag_card (double share)
{
  GtkWidget *deck = GTK_WIDGET (view ());
  double x = gtk_widget_get_width (deck) / 2.0;
  double y = gtk_widget_get_height (deck) / 2.0;
  double distance = gtk_widget_get_width (deck) * share;
  double farthest = 0;

  pointer_to (deck, x, y);
  XTestFakeButtonEvent (t.x, 1, True, CurrentTime);
  XFlush (t.x);
  iterate_for (40);
  for (int i = 1; i <= 12; i++)
    {
      pointer_to (deck, x + distance * i / 12, y + i);
      farthest = MAX (farthest, jsw_deck_view_get_offset (view ()));
    }
  iterate_for (60);
  XTestFakeButtonEvent (t.x, 1, False, CurrentTime);
  XFlush (t.x);
  return farthest;
}

/* States */

static gboolean
deck_shows (gpointer name)
{
  return model () != NULL && g_strcmp0 (jsw_discover_page_get_state (page ()), name) == 0;
}

static gboolean
front_is_not (gpointer posting_id)
{
  return !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_id (), posting_id) != 0;
}

static gboolean
front_is (gpointer posting_id)
{
  return !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_id (), posting_id) == 0;
}

static gboolean
settled (gpointer data)
{
  return !jsw_deck_view_get_busy (view ()) && jsw_deck_view_get_offset (view ()) == 0;
}

static gboolean
all_sent (gpointer data)
{
  return jsw_deck_model_get_n_waiting (model ()) == 0;
}

/* The posting in front, held across the swipe that takes it away. */
static JsonObject *
front (void)
{
  iterate_until (deck_shows, (gpointer) "cards", 60, "cards");
  iterate_until (settled, NULL, 10, "the deck to settle");
  return json_object_ref (jsw_deck_model_get_posting (model (), 0));
}

static char *
dup_id (JsonObject *posting)
{
  return g_strdup (json_object_get_string_member (posting, "posting_id"));
}

/* The tests */

static gboolean
where_said (gpointer card)
{
  return *jsw_swipe_card_get_text (card, "where") != '\0';
}

static void
test_cards (void)
{
  g_autoptr(JsonObject) first = front ();
  g_autoptr(JsonNode) feed = server_get ("/v1/feed?limit=1", t.token);
  JsonObject *top = json_array_get_object_element (json_object_get_array_member (json_node_get_object (feed), "postings"), 0);
  JswSwipeCard *card = jsw_deck_view_get_front (view ());
  JswSwipeCard *next = jsw_deck_view_get_card (view (), 1);

  /* The feed's first posting, as the person reads it. */
  g_assert_cmpstr (front_title (), ==, json_object_get_string_member (top, "title"));
  g_assert_cmpstr (jsw_swipe_card_get_text (card, "company"), ==, json_object_get_string_member (top, "company"));
  g_assert_cmpint (strncmp (jsw_swipe_card_get_text (card, "description"),
                            json_object_get_string_member (top, "description"), 20), ==, 0);
  g_assert_nonnull (strstr (jsw_swipe_card_get_text (card, "facts"), "Posted "));
  g_assert_nonnull (strstr (jsw_swipe_card_get_text (card, "facts"), json_object_get_string_member (top, "location")));
  /* Applications run on this computer (the person's mode is desktop),
   * once the account is read. */
  iterate_until (where_said, card, 20, "where applications run");
  g_assert_cmpstr (jsw_swipe_card_get_text (card, "where"), ==, "Applied to from this computer");
  /* The next card is there already, filled in. */
  g_assert_cmpstr (jsw_swipe_card_get_text (next, "title"), ==,
                   json_object_get_string_member (jsw_deck_model_get_posting (model (), 1), "title"));
  /* Buttons with names, tooltips and mnemonics. */
  {
    GtkWidget *buttons = child (page (), JSW_TYPE_DISCOVER_PAGE, "buttons");
    GtkWidget *pass = gtk_widget_get_first_child (buttons);
    GtkWidget *apply = gtk_widget_get_last_child (buttons);

    g_assert_cmpstr (gtk_widget_get_tooltip_text (pass), ==, "Pass on this posting (Left)");
    g_assert_cmpstr (gtk_widget_get_tooltip_text (apply), ==, "Apply to this posting (Right)");
    /* Alt+P and Alt+A. */
    g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (pass)))), ==, "_Pass");
    g_assert_true (adw_button_content_get_use_underline (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (apply)))));
  }
  screenshot ("deck");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot ("deck-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_keys (void)
{
  g_autoptr(JsonObject) applied = front ();
  g_autofree char *applied_id = dup_id (applied);
  g_autoptr(JsonObject) passed = NULL;
  g_autofree char *passed_id = NULL;
  g_autofree char *state = NULL;

  press_key (XK_Right, NoSymbol);
  iterate_until (front_is_not, applied_id, 10, "Right to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (applied, &state, NULL), ==, 1);
  g_assert_cmpstr (state, ==, "queued");

  passed = front ();
  passed_id = dup_id (passed);
  press_key (XK_Left, NoSymbol);
  iterate_until (front_is_not, passed_id, 10, "Left to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (passed, NULL, NULL), ==, 0);
  g_assert_false (in_feed (passed_id));
}

static void
test_buttons (void)
{
  GtkWidget *buttons = child (page (), JSW_TYPE_DISCOVER_PAGE, "buttons");
  g_autoptr(JsonObject) applied = front ();
  g_autofree char *applied_id = dup_id (applied);
  g_autoptr(JsonObject) passed = NULL;
  g_autofree char *passed_id = NULL;

  click (gtk_widget_get_last_child (buttons));   /* Apply */
  iterate_until (front_is_not, applied_id, 10, "Apply to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (applied, NULL, NULL), ==, 1);

  passed = front ();
  passed_id = dup_id (passed);
  click (gtk_widget_get_first_child (buttons));  /* Pass */
  iterate_until (front_is_not, passed_id, 10, "Pass to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (passed, NULL, NULL), ==, 0);
  g_assert_false (in_feed (passed_id));
}

static void
test_drag (void)
{
  g_autoptr(JsonObject) kept = front ();
  g_autofree char *kept_id = dup_id (kept);
  g_autoptr(JsonObject) applied = NULL;
  g_autofree char *applied_id = NULL;
  double farthest;

  /* A short drag: the card follows, then springs back; nothing is sent. */
  farthest = drag_card (0.12);
  g_assert_cmpfloat (farthest, >, 20);
  iterate_until (settled, NULL, 10, "the card to spring back");
  g_assert_cmpstr (front_id (), ==, kept_id);
  g_assert_cmpuint (jsw_deck_model_get_n_waiting (model ()), ==, 0);
  g_assert_cmpuint (entries_for (kept, NULL, NULL), ==, 0);
  g_assert_true (in_feed (kept_id));

  /* Past the threshold: thrown, and applied to. */
  applied = front ();
  applied_id = dup_id (applied);
  farthest = drag_card (0.6);
  g_assert_cmpfloat (farthest, >, gtk_widget_get_width (GTK_WIDGET (view ())) * JSW_DECK_VIEW_THRESHOLD);
  iterate_until (front_is_not, applied_id, 10, "the drag to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (applied, NULL, NULL), ==, 1);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget of @type under @widget (with @title, for a row). */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *title)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type) &&
      (title == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The text of the first label under @widget a person sees cut off with an
 * ellipsis, or NULL. */
static const char *
cut_off_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = cut_off_label (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
undo_shown (gpointer data)
{
  return find_button (GTK_WIDGET (t.window), "_Undo") != NULL;
}

static void
test_undo (void)
{
  g_autoptr(JsonObject) passed = front ();
  g_autofree char *passed_id = dup_id (passed);
  g_autoptr(JsonObject) applied = NULL;
  g_autofree char *applied_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *entry_id = NULL;
  gint64 before;

  /* A left swipe, undone with the toast's Undo: the posting is back in
   * front, and back in the feed (the server forgot the swipe). */
  press_key (XK_Left, NoSymbol);
  iterate_until (front_is_not, passed_id, 10, "Left to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_false (in_feed (passed_id));
  iterate_until (undo_shown, NULL, 10, "the toast's Undo");
  screenshot ("deck-toast");
  click (find_button (GTK_WIDGET (t.window), "_Undo"));
  iterate_until (front_is, passed_id, 10, "the posting back in front");
  iterate_until (all_sent, NULL, 20, "the undo to be sent");
  g_assert_true (in_feed (passed_id));

  /* A right swipe, undone with Ctrl+Z: its entry is cancelled, and the
   * day's quota given back. */
  before = used_today ();
  applied = front ();
  applied_id = dup_id (applied);
  press_key (XK_Right, NoSymbol);
  iterate_until (front_is_not, applied_id, 10, "Right to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpint (used_today (), ==, before + 1);
  press_key (XK_z, XK_Control_L);
  iterate_until (front_is, applied_id, 10, "Ctrl+Z to bring it back");
  iterate_until (all_sent, NULL, 20, "the undo to be sent");
  g_assert_cmpuint (entries_for (applied, &state, &entry_id), ==, 1);
  g_assert_cmpstr (state, ==, "cancelled");
  g_assert_cmpint (used_today (), ==, before);
}

static gboolean
waiting (gpointer n)
{
  return jsw_deck_model_get_n_waiting (model ()) == GPOINTER_TO_UINT (n);
}

/* Offline: the cached postings stay swipeable; the swipes wait, and reach
 * the server once each when it is back. */
static void
test_offline (void)
{
  g_autoptr(JsonObject) applied = NULL;
  g_autoptr(JsonObject) passed = NULL;
  g_autofree char *applied_id = NULL;
  g_autofree char *passed_id = NULL;
  GtkWidget *note = child (page (), JSW_TYPE_DISCOVER_PAGE, "waiting_label");

  applied = front ();
  applied_id = dup_id (applied);
  jsw_test_server_stop (t.server);

  press_key (XK_Right, NoSymbol);
  iterate_until (front_is_not, applied_id, 10, "Right to swipe offline");
  passed = front ();
  passed_id = dup_id (passed);
  press_key (XK_Left, NoSymbol);
  iterate_until (front_is_not, passed_id, 10, "Left to swipe offline");
  iterate_until (waiting, GUINT_TO_POINTER (2), 20, "two swipes kept");
  iterate_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, note, 30, "the offline note");
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (note)));
  screenshot ("deck-offline");

  jsw_test_server_restart (t.server);
  iterate_until (all_sent, NULL, 60, "the kept swipes to be sent");
  g_assert_cmpuint (entries_for (applied, NULL, NULL), ==, 1);
  g_assert_cmpuint (entries_for (passed, NULL, NULL), ==, 0);
  g_assert_false (in_feed (passed_id));
  g_assert_false (in_feed (applied_id));
}

static GtkWindow *
dialog_shown (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_shown () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return dialog_shown () == NULL;
}

static void
test_limit (void)
{
  g_autoptr(JsonObject) refused = front ();
  g_autofree char *refused_id = dup_id (refused);
  g_autofree char *daily = g_strdup_printf ("%" G_GINT64_FORMAT, used_today ());
  g_autoptr(JsonObject) set = jsw_test_server_cli (t.server, NULL, "plan", "set", "pro", "--daily", daily, NULL);
  AdwMessageDialog *dialog;
  const char *body;

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the limit to be said");
  dialog = ADW_MESSAGE_DIALOG (dialog_shown ());
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Application Limit Reached");
  /* Which limit, and when it resets (tomorrow, 00:00 UTC in local time). */
  g_assert_nonnull (strstr (body, "applications a day are used"));
  g_assert_nonnull (strstr (body, "Applying starts again on"));
  /* Nothing was created, and the posting is back in front. */
  iterate_until (front_is, refused_id, 10, "the refused posting back in front");
  g_assert_cmpuint (entries_for (refused, NULL, NULL), ==, 0);
  iterate_for (800);
  {
    g_autofree char *png = g_build_filename (g_getenv ("JOBSWIPE_SCREENSHOT_DIR"), "deck-limit.png", NULL);

    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  }
  click (find_button (GTK_WIDGET (dialog), "_Close"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");
  g_clear_pointer (&set, json_object_unref);
  set = jsw_test_server_cli (t.server, NULL, "plan", "set", "pro", "--daily", "25", NULL);
}

/* The board's other posting of @posting's job (a Lever board lists one job
 * per city: the same title), as its job_id, or NULL. */
static char *
duplicate_job_id (JsonObject *posting)
{
  g_autofree char *path = g_build_filename (t.home, "boards", "lever", "acme.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) board = NULL;
  JsonArray *postings;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  board = json_from_string (text, NULL);
  postings = json_node_get_array (board);
  for (guint i = 0; i < json_array_get_length (postings); i++)
    {
      JsonObject *listed = json_array_get_object_element (postings, i);
      g_autofree char *job_id = g_strconcat ("lever:acme:", json_object_get_string_member (listed, "id"), NULL);

      if (g_str_equal (json_object_get_string_member (listed, "text"), json_object_get_string_member (posting, "title")) &&
          !g_str_equal (job_id, json_object_get_string_member (posting, "job_id")))
        return g_steal_pointer (&job_id);
    }
  return NULL;
}

/* Applied to from another device under another city's posting: a right
 * swipe says when, and Apply Anyway applies to this one as well. */
static void
test_duplicate (void)
{
  g_autoptr(JsonObject) posting = NULL;
  g_autofree char *other = NULL;
  g_autofree char *body = NULL;
  g_autofree char *posting_id = NULL;
  g_autoptr(JsonNode) created = NULL;
  GtkWindow *dialog;
  guint status;

  for (guint i = 0; i < 25 && other == NULL; i++)
    {
      g_clear_pointer (&posting, json_object_unref);
      posting = front ();
      other = duplicate_job_id (posting);
      if (other == NULL)
        {
          g_autofree char *passed = dup_id (posting);

          press_key (XK_Left, NoSymbol);
          iterate_until (front_is_not, passed, 10, "Left to swipe");
        }
    }
  g_assert_nonnull (other);
  posting_id = dup_id (posting);
  body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"%s\","
                          "\"company\":\"%s\",\"apply_url\":\"https://jobs.example.org/%s\"}}",
                          other, json_object_get_string_member (posting, "title"),
                          json_object_get_string_member (posting, "company"), other);
  created = jsw_test_http (t.http, t.server, "POST", "/v1/swipes", t.phone, body, &status);
  g_assert_cmpuint (status, ==, 201);

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the earlier application to be said");
  dialog = dialog_shown ();
  g_test_message ("%s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "You applied to this job on "));
  /* Nothing created, the posting back in front. */
  iterate_until (front_is, posting_id, 10, "the posting back in front");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 0);

  /* Shown and placed on the screen before it is clicked. */
  iterate_for (800);
  click (find_button (GTK_WIDGET (dialog), "_Apply Anyway"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");
  iterate_until (front_is_not, posting_id, 10, "Apply Anyway to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 1);
}

static gboolean
swiped_twice (gpointer data)
{
  JswDeckModel *deck = model ();

  return jsw_deck_model_get_n_waiting (deck) == 0 && !jsw_deck_view_get_busy (view ()) &&
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (deck), "jsw-test-swipes")) >= 2;
}

static void
count_swipe_cb (JswDeckView *deck_view,
                gboolean     right,
                JswDeckModel *deck)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (deck), "jsw-test-swipes"));

  g_object_set_data (G_OBJECT (deck), "jsw-test-swipes", GUINT_TO_POINTER (n + 1));
}

/* tools/run-demo's person: JOBSWIPE_DEMO_SWIPES makes its swipes in the
 * deck, after a picture of it. */
static void
test_demo (void)
{
  g_autoptr(JsonObject) first = front ();
  g_autofree char *first_id = dup_id (first);
  g_autofree char *png = g_build_filename (g_getenv ("JOBSWIPE_SCREENSHOT_DIR"), "deck.png", NULL);

  g_remove (png);
  g_signal_connect (view (), "thrown", G_CALLBACK (count_swipe_cb), model ());
  g_setenv ("JOBSWIPE_DEMO_SWIPES", "pass,pass", TRUE);
  jsw_deck_demo_start (page ());
  iterate_until (swiped_twice, NULL, 30, "the demo's two swipes");
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  g_assert_false (in_feed (first_id));
  g_unsetenv ("JOBSWIPE_DEMO_SWIPES");
}

/* Preferences' Search page, open. */
static JswSearchPage *
search_page (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (t.app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t.app)); l != NULL; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      {
        GtkWidget *found = find_descendant (l->data, JSW_TYPE_SEARCH_PAGE, NULL);

        g_assert_nonnull (found);
        return JSW_SEARCH_PAGE (found);
      }
  g_error ("no Preferences window");
}

static gboolean
searched (gpointer keyword)
{
  g_autoptr(JsonNode) search = server_get ("/v1/me/search", t.phone);
  JsonArray *keywords = json_object_get_array_member (json_node_get_object (search), "keywords");

  return json_array_get_length (keywords) == 1 && g_str_equal (json_array_get_string_element (keywords, 0), keyword);
}

static gboolean
front_title_is (gpointer title)
{
  return deck_shows ((gpointer) "cards") && !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_title (), title) == 0;
}

static gboolean
questions_said (gpointer data)
{
  return *jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "questions") != '\0';
}

static JswFixturePost *
post_to (const char *path)
{
  for (guint i = 0; i < t.site->posts->len; i++)
    {
      JswFixturePost *post = g_ptr_array_index (t.site->posts, i);

      if (g_str_equal (post->path, path))
        return post;
    }
  return NULL;
}

static gboolean
posted (gpointer path)
{
  return post_to (path) != NULL;
}

static gboolean
entry_is (gpointer state)
{
  g_autofree char *now = NULL;

  return entries_for (g_object_get_data (G_OBJECT (t.window), "jsw-test-posting"), &now, NULL) == 1 &&
         g_strcmp0 (now, state) == 0;
}

/* Found in the search (set in Preferences, kept on the server), a posting
 * whose form asks what the profile does not answer: Apply asks it, saves
 * it to the profile, swipes; the application then posts the answer. */
static void
test_questions (void)
{
  JswSearchPage *search = search_page ();
  GtkWidget *keywords = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (search), JSW_TYPE_SEARCH_PAGE, "keywords_row"));
  g_autoptr(JsonObject) posting = NULL;
  g_autoptr(JswProfileStore) store = NULL;
  GtkWindow *dialog;
  GtkWidget *answer_row;
  GtkWidget *answer_view;
  GtkWidget *choices;
  const char *answer = "A payments ledger of 40 million accounts, sharded over 64 PostgreSQL nodes";
  JswFixturePost *post;

  iterate_until ((gboolean (*) (gpointer)) gtk_widget_is_sensitive, search, 20, "the saved search");
  gtk_editable_set_text (GTK_EDITABLE (keywords), "Scaling");
  g_signal_emit_by_name (keywords, "apply");
  iterate_until (searched, (gpointer) "Scaling", 20, "the search on the server");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (search))));
  iterate_until (front_title_is, (gpointer) "Platform Engineer, Scaling", 30, "the deck of the new search");

  /* The card says what will be asked, as the engine's matcher has it: the
   * question of the fixture's form (text), one more of the posting's
   * (which of PostgreSQL, Kafka...: choices), its location question (Ada's
   * profile has no location), and the consent to keep the data for later
   * openings, which is never given without asking (yes or no). */
  iterate_until (questions_said, NULL, 20, "the questions on the card");
  g_assert_cmpstr (jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "questions"), ==,
                   "Asks 4 questions you have not answered: you are asked before applying");
  posting = front ();
  g_object_set_data (G_OBJECT (t.window), "jsw-test-posting", posting);
  screenshot ("deck-asks");

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the questions to be asked");
  dialog = dialog_shown ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Before Applying");
  /* Not swiped while asking. */
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 0);
  iterate_for (500);
  answer_row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_PREFERENCES_ROW, SCALED);
  choices = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW, "Which of these have you run in production?");
  g_assert_nonnull (answer_row);
  g_assert_nonnull (choices);
  /* The form's textarea is answered in several lines, not one. */
  answer_view = find_descendant (answer_row, GTK_TYPE_TEXT_VIEW, NULL);
  g_assert_nonnull (answer_view);
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (answer_view)), !=, GTK_WRAP_NONE);
  g_assert_cmpint (gtk_widget_get_height (answer_view), >=, 3 * gtk_widget_get_height (find_button (GTK_WIDGET (dialog), "_Yes")) / 2);
  /* Every question is read whole in the narrow dialog: long ones wrap. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 400);
  g_assert_cmpstr (cut_off_label (GTK_WIDGET (dialog)), ==, NULL);
  /* Save and Apply waits for every answer. */
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (answer_view)), answer, -1);
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_PREFERENCES_ROW,
                                                                         "Location (City)"),
                                                        GTK_TYPE_ENTRY, NULL)),
                         "Bristol, United Kingdom");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_descendant (choices, GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  iterate_for (100);
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  {
    /* The questions scroll: down to the last, as a person would. */
    GtkWidget *scroller = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW, NULL);
    GtkAdjustment *down = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (down, gtk_adjustment_get_upper (down));
    iterate_for (300);
  }
  click (find_button (GTK_WIDGET (dialog), "_Yes"));
  iterate_for (300);
  g_assert_true (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  jsw_screenshot_soon (GTK_WIDGET (dialog), "deck-questions", 50);
  iterate_for (800);
  click (find_button (GTK_WIDGET (dialog), "_Save and Apply"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");

  /* Saved to the profile's answers, then swiped. */
  g_object_get (t.app, "profile-store", &store, NULL);
  g_assert_cmpstr (jsw_profile_get_map_value (jsw_profile_store_get_profile (store), "answers", SCALED), ==, answer);
  {
    /* And they stick: the engine's matcher, which fills the form, finds
     * nothing left to ask on this posting (the city for a profile without
     * a location, the retention consent among them). */
    g_autofree char *saved = jsw_profile_to_json (jsw_profile_store_get_profile (store));
    g_autoptr(JsonNode) person = jsw_json_parse (saved, -1, NULL);
    g_autoptr(JswMatcher) matcher = jsw_matcher_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) open = jsw_matcher_uncovered (matcher, json_node_get_object (person),
                                                       json_object_get_array_member (posting, "questions"), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (open), ==, 0);
  }
  iterate_until (front_is_not, (gpointer) json_object_get_string_member (posting, "posting_id"), 10, "the swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 1);

  /* Applying on: the application runs unattended and posts the answer. */
  g_action_group_change_action_state (G_ACTION_GROUP (t.app), "auto-apply", g_variant_new_boolean (TRUE));
  iterate_until (posted, (gpointer) "/greenhouse/unknown/submit", 180, "the form to be sent");
  post = post_to ("/greenhouse/unknown/submit");
  g_assert_cmpstr (jsw_fixture_post_field (post, "scaled"), ==, answer);
  iterate_until (entry_is, (gpointer) "submitted", 60, "the entry to be submitted");
  g_action_group_change_action_state (G_ACTION_GROUP (t.app), "auto-apply", g_variant_new_boolean (FALSE));

  /* Every posting again, for the tests after this one. */
  {
    guint status;
    g_autoptr(JsonNode) saved = jsw_test_http (t.http, t.server, "PUT", "/v1/me/search", t.token, "{}", &status);

    g_assert_cmpuint (status, ==, 200);
    gtk_widget_activate_action (GTK_WIDGET (t.window), "win.reload-deck", NULL);
  }
}

/* 360 px wide: the switcher moves to the bottom bar; the deck still fits. */
static void
test_narrow (void)
{
  GtkWidget *bar = child (t.window, JSW_TYPE_WINDOW, "switcher_bar");

  gtk_window_set_default_size (GTK_WINDOW (t.window), 360, 720);
  iterate_for (1000);
  {
    int min = 0;

    gtk_widget_measure (GTK_WIDGET (t.window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
  }
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view ())), <=, 360);
  screenshot ("deck-narrow");
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1180, 700);
  iterate_for (500);
}

static gboolean
signed_in (gpointer data)
{
  return model () != NULL;
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  jsw_session_sign_in_finish (JSW_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* A job board of Lever postings whose forms are on the fixture site, in
 * the server's feed. */
static void
set_up_feed (void)
{
  g_autofree char *boards = g_build_filename (t.home, "boards", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "server", "boards", "make-boards.py", NULL);
  g_autofree char *site = jsw_fixture_site_url (t.site, "");
  const char *argv[] = { "python3", script, boards, "--greenhouse", "1", "--lever", "30", "--ashby", "0",
                         "--personio", "0", "--apply-base", site, NULL };
  /* The Greenhouse posting: a form that asks a question Ada's profile
   * does not answer (the fixture site's greenhouse/unknown), published
   * with its questions as Greenhouse publishes them. */
  const char *ask[] = { "python3", "-c",
    "import json, sys\n"
    "d, site = sys.argv[1], sys.argv[2]\n"
    "path = d + '/greenhouse/acme/'\n"
    "jobs = json.load(open(path + 'jobs.json'))\n"
    "details = json.load(open(path + 'details.json'))\n"
    "job = jobs['jobs'][0]\n"
    "for j in (job, details[str(job['id'])]):\n"
    "    j['title'] = 'Platform Engineer, Scaling'\n"
    "    j['absolute_url'] = site + '/greenhouse/unknown'\n"
    "detail = details[str(job['id'])]\n"
    "detail['questions'] = detail['questions'] + [{'required': True, 'label': '" SCALED "',\n"
    "    'description': None, 'fields': [{'name': 'question_4012345009', 'type': 'textarea', 'values': []}]}]\n"
    "json.dump(jobs, open(path + 'jobs.json', 'w'))\n"
    "json.dump(details, open(path + 'details.json', 'w'))\n",
    boards, site, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) synced = NULL;

  /* No trailing slash: the boards add "/lever/happy". */
  if (g_str_has_suffix (site, "/"))
    site[strlen (site) - 1] = '\0';
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) ask, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  t.board = jsw_fake_board_start (boards);
  added = jsw_test_server_cli (t.server, NULL, "source", "add", "lever", "acme", "--company", "Northwind Apps",
                               "--base-url", jsw_fake_board_url (t.board), NULL);
  g_clear_pointer (&added, json_object_unref);
  added = jsw_test_server_cli (t.server, NULL, "source", "add", "greenhouse", "acme", "--company", "Lumen Labs",
                               "--base-url", jsw_fake_board_url (t.board), NULL);
  synced = jsw_test_server_cli (t.server, NULL, "source", "sync", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *screenshots = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *fixtures = NULL;
  g_autofree char *rm = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) phone = NULL;
  g_autoptr(JswProfileStore) store = NULL;
  g_autoptr(JswSession) session = NULL;
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  int status;

  g_setenv ("JOBSWIPE_SCREENSHOT_DIR", screenshots, TRUE);
  t.home = g_dir_make_tmp ("jsw-deck-XXXXXX", NULL);
  rm = g_strdup_printf ("rm -rf '%s'", t.home);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (t.home, dirs[i], NULL);

      g_setenv (dirs[i], dir, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL || !jsw_test_keyring_available ())
    {
      g_test_skip ("needs a display and a Secret Service keyring (tools/run-tests starts both)");
      return g_test_run ();
    }
  gtk_init ();
  t.x = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  {
    int event, error_base, major, minor;

    if (!XTestQueryExtension (t.x, &event, &error_base, &major, &minor))
      {
        g_test_skip ("needs the X server's XTEST extension (Xvfb has it)");
        return g_test_run ();
      }
  }

  fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  t.site = jsw_fixture_site_new (fixtures);
  t.server = jsw_test_server_start (NULL);
  t.http = jsw_test_session_new ();
  t.token = jsw_test_server_add_user (t.server, "ada@example.org", "pro", NULL);
  phone = jsw_test_server_cli (t.server, NULL, "token", "add", "ada@example.org", "--device", "phone", NULL);
  t.phone = g_strdup (json_object_get_string_member (phone, "token"));
  jsw_test_set_mode (t.http, t.server, t.token, "desktop");
  set_up_feed ();

  /* The desktop's notification server (the app says when an application
   * was sent), as tests/app/jsw-app-fixture.c gives every app test. */
  serve_notifications (&t.desktop);
  t.app = jsw_application_new ();
  g_application_set_flags (G_APPLICATION (t.app), g_application_get_flags (G_APPLICATION (t.app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (t.app), NULL, &error);
  g_assert_no_error (error);

  /* Ada's profile (jsw-app-fixture.h), as --import-profile gives it. */
  resume = g_build_filename (t.home, "resume.pdf", NULL);
  g_file_set_contents (resume, "%PDF-1.4\n% Ada's resume\n%%EOF\n", -1, NULL);
  profile_path = g_build_filename (t.home, "profile.json", NULL);
  profile = g_strdup_printf (PROFILE_JSON, resume);
  g_file_set_contents (profile_path, profile, -1, NULL);
  g_object_get (t.app, "profile-store", &store, "session", &session, NULL);
  jsw_profile_store_import_file (store, profile_path, &error);
  g_assert_no_error (error);

  t.window = jsw_window_new (GTK_APPLICATION (t.app));
  gtk_window_present (GTK_WINDOW (t.window));
  jsw_session_sign_in_async (session, t.server->url, NULL, NULL, t.token, NULL, signed_in_cb, NULL);
  iterate_until (signed_in, NULL, 60, "signing in");

  g_test_add_func ("/app/deck/cards", test_cards);
  g_test_add_func ("/app/deck/narrow", test_narrow);
  g_test_add_func ("/app/deck/questions", test_questions);
  g_test_add_func ("/app/deck/keys", test_keys);
  g_test_add_func ("/app/deck/buttons", test_buttons);
  g_test_add_func ("/app/deck/drag", test_drag);
  g_test_add_func ("/app/deck/undo", test_undo);
  g_test_add_func ("/app/deck/offline", test_offline);
  g_test_add_func ("/app/deck/limit", test_limit);
  g_test_add_func ("/app/deck/duplicate", test_duplicate);
  g_test_add_func ("/app/deck/demo", test_demo);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (t.window));
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.app);
  g_clear_object (&t.http);
  jsw_test_server_free (t.server);
  jsw_fake_board_stop (t.board);
  jsw_fixture_site_free (t.site);
  stop_serving_notifications (&t.desktop);
  if (system (rm) != 0)
    g_warning ("could not remove %s", t.home);
  return status;
}
