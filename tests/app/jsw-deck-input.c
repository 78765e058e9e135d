/* jsw-deck-input.c: real input for the swipe deck's tests (see
 * jsw-deck-fixture.h)
 *
 * Keys, clicks and drags are synthesised with the XTEST extension of the
 * X server, so they reach the window as a person's do (GTK's event
 * handling, gestures and shortcuts included).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-deck-fixture.h"

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

void
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

/* A press and release of the first button in the middle of @widget, sent
 * now, waiting for nothing: from a frame clock's handler, they reach the
 * window before its next layout moves anything. */
void
send_click (GtkWidget *widget)
{
  int root_x, root_y;

  root_position (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0, &root_x, &root_y);
  XTestFakeMotionEvent (t.x, -1, root_x, root_y, CurrentTime);
  XTestFakeButtonEvent (t.x, 1, True, CurrentTime);
  XTestFakeButtonEvent (t.x, 1, False, CurrentTime);
  XFlush (t.x);
}

void
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
count_paint_cb (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

/* Until @widget's window has drawn a frame begun after now: its widgets
 * are then where GTK looks for what is under the pointer. A loaded
 * machine can hold a layout back for a while (a page just shown, a label
 * shown or hidden by an answer), and a click aimed from the last one
 * lands elsewhere. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;
  gulong id;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &painted);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT | GDK_FRAME_CLOCK_PHASE_PAINT);
  while (painted == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (clock, id);
  if (painted == 0)
    g_error ("%s's window drew no frame in 10 s", G_OBJECT_TYPE_NAME (widget));
}

/* Whether GTK finds @widget (or a part of it) at its own (@x, @y). */
static gboolean
picks (GtkWidget *widget,
       double     x,
       double     y,
       char     **found)
{
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  graphene_point_t point;
  GtkWidget *picked = NULL;
  g_autoptr(GString) chain = g_string_new (NULL);

  if (gtk_widget_compute_point (widget, native, &GRAPHENE_POINT_INIT (x, y), &point))
    picked = gtk_widget_pick (native, point.x, point.y, GTK_PICK_DEFAULT);
  for (GtkWidget *w = picked; w != NULL; w = gtk_widget_get_parent (w))
    g_string_append_printf (chain, "%s%s", chain->len ? " in " : "", G_OBJECT_TYPE_NAME (w));
  if (found != NULL)
    *found = g_strdup (chain->len ? chain->str : "nothing");
  return picked != NULL && (picked == widget || gtk_widget_is_ancestor (picked, widget));
}

/* What reached the button's window of a click, and what the button's own
 * GtkGestureClick made of it, for its failure message. */
typedef struct {
  GtkWidget *button;
  guint      clicked;   /* ::clicked, times */
  guint      pressed;
  guint      released;
  gboolean   insensitive_at_press;
  gboolean   throwing_at_press;
  GString   *gesture;   /* the button's gesture's signals, in order */
} Click;

static void
clicked_cb (GtkButton *button,
            Click     *click)
{
  click->clicked++;
}

static void
gesture_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    Click           *click)
{
  g_string_append_printf (click->gesture, " pressed(%d at %.0f,%.0f)", n_press, x, y);
}

static void
gesture_released_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     Click           *click)
{
  g_string_append_printf (click->gesture, " released(%d at %.0f,%.0f%s)", n_press, x, y,
                          gtk_widget_contains (click->button, x, y) ? "" : ", outside");
}

static void
gesture_stopped_cb (GtkGestureClick *gesture,
                    Click           *click)
{
  g_string_append (click->gesture, " stopped");
}

static void
gesture_cancel_cb (GtkGesture       *gesture,
                   GdkEventSequence *sequence,
                   Click            *click)
{
  g_string_append (click->gesture, " cancel");
}

static void
state_flags_cb (GtkWidget     *button,
                GtkStateFlags  previous,
                Click         *click)
{
  GtkStateFlags now = gtk_widget_get_state_flags (button);

  if ((now ^ previous) & GTK_STATE_FLAG_INSENSITIVE)
    g_string_append (click->gesture, now & GTK_STATE_FLAG_INSENSITIVE ? " insensitive" : " sensitive");
}

/* The button's own click gesture (GtkButton's, whose ::released makes
 * ::clicked), watched while @click is made; its handlers are disconnected
 * with the @click's data. */
static GtkEventController *
watch_button_gesture (Click *click)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (click->button);

  g_signal_connect (click->button, "state-flags-changed", G_CALLBACK (state_flags_cb), click);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_GESTURE_CLICK (controller))
        continue;
      g_string_append_printf (click->gesture, " [%s phase]",
                              gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) ==
                              GTK_PHASE_CAPTURE ? "capture" : "bubble");
      g_signal_connect (controller, "pressed", G_CALLBACK (gesture_pressed_cb), click);
      g_signal_connect (controller, "released", G_CALLBACK (gesture_released_cb), click);
      g_signal_connect (controller, "stopped", G_CALLBACK (gesture_stopped_cb), click);
      g_signal_connect (controller, "cancel", G_CALLBACK (gesture_cancel_cb), click);
      return GTK_EVENT_CONTROLLER (g_steal_pointer (&controller));
    }
  return NULL;
}

static gboolean
seen_cb (GtkEventControllerLegacy *controller,
         GdkEvent                 *event,
         Click                    *click)
{
  if (gdk_event_get_event_type (event) == GDK_BUTTON_PRESS)
    {
      click->pressed++;
      click->insensitive_at_press |= !gtk_widget_is_sensitive (click->button);
      click->throwing_at_press |= model () != NULL && jsw_deck_view_get_busy (view ());
    }
  else if (gdk_event_get_event_type (event) == GDK_BUTTON_RELEASE)
    click->released++;
  return GDK_EVENT_PROPAGATE;
}

/* What a click that did not reach @click's button saw, said plainly. */
static char *
describe_lost_click (Click  *click,
                     double  x,
                     double  y)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_native (click->button));
  const char *label = gtk_button_get_label (GTK_BUTTON (click->button));
  g_autofree char *found = NULL;
  Window root, under;
  int root_x, root_y, win_x, win_y;
  unsigned int mask;

  XQueryPointer (t.x, DefaultRootWindow (t.x), &root, &under, &root_x, &root_y, &win_x, &win_y, &mask);
  picks (click->button, x, y, &found);
  return g_strdup_printf ("a click on %s \"%s\" did not reach it: the window saw %u presses and %u releases%s%s; "
                          "the button's click gesture saw:%s; "
                          "the pointer is at %d, %d over X window 0x%lx (the button's is 0x%lx), buttons held 0x%x; "
                          "GTK finds %s there",
                          G_OBJECT_TYPE_NAME (click->button), label ? label : "", click->pressed, click->released,
                          click->insensitive_at_press ? " (the button was insensitive at the press)" : "",
                          click->throwing_at_press ? " (a card was being thrown at the press)" : "",
                          click->gesture->len ? click->gesture->str : " nothing",
                          root_x, root_y, under, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                          mask, found);
}

/* @n_clicks presses and releases of the first button where the pointer
 * is (two: sent at once, as a quick double click reaches the window);
 * TRUE when @click's button said ::clicked as often within @seconds of
 * the window seeing the last release (30 s at most in all). */
static gboolean
press_and_release (Click *click,
                   guint  seconds,
                   guint  n_clicks)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_native (click->button));
  g_autoptr(GtkEventController) seen = g_object_ref_sink (gtk_event_controller_legacy_new ());
  g_autoptr(GtkEventController) gesture = NULL;
  gint64 deadline;
  gulong id;

  click->clicked = 0;
  click->pressed = click->released = 0;
  click->insensitive_at_press = click->throwing_at_press = FALSE;
  g_string_truncate (click->gesture, 0);
  gesture = watch_button_gesture (click);
  id = g_signal_connect (click->button, "clicked", G_CALLBACK (clicked_cb), click);
  gtk_event_controller_set_propagation_phase (seen, GTK_PHASE_CAPTURE);
  g_signal_connect (seen, "event", G_CALLBACK (seen_cb), click);
  gtk_widget_add_controller (window, g_object_ref (seen));
  XTestFakeButtonEvent (t.x, 1, True, CurrentTime);
  XFlush (t.x);
  if (n_clicks == 1)
    iterate_for (40);
  XTestFakeButtonEvent (t.x, 1, False, CurrentTime);
  if (n_clicks == 2)
    {
      XTestFakeButtonEvent (t.x, 1, True, CurrentTime);
      XTestFakeButtonEvent (t.x, 1, False, CurrentTime);
    }
  XFlush (t.x);
  /* Until ::clicked, or @seconds after the window saw the release: a
   * click GTK has not even read yet is not lost, only late. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (click->clicked < n_clicks && g_get_monotonic_time () < deadline)
    {
      if (click->released >= n_clicks && deadline - g_get_monotonic_time () > seconds * G_USEC_PER_SEC)
        deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
      g_main_context_iteration (NULL, FALSE);
    }
  /* A dialog is gone with its response. */
  if (gtk_event_controller_get_widget (seen) != NULL)
    gtk_widget_remove_controller (window, seen);
  g_signal_handler_disconnect (click->button, id);
  g_signal_handlers_disconnect_by_data (click->button, click);
  if (gesture != NULL)
    g_signal_handlers_disconnect_by_data (gesture, click);
  return click->clicked >= n_clicks;
}

/* The pointer to the middle of @button (its own x, y), as its window last
 * drew it, and checked to be over it. */
static void
aim (GtkWidget *button,
     double    *x,
     double    *y)
{
  g_autofree char *found = NULL;

  g_assert_true (GTK_IS_BUTTON (button));
  wait_for_frame (button);
  *x = gtk_widget_get_width (button) / 2.0;
  *y = gtk_widget_get_height (button) / 2.0;
  pointer_to (button, *x, *y);
  wait_for_frame (button);
  if (!picks (button, *x, *y, &found))
    g_error ("%s \"%s\" is not under the pointer: %s is", G_OBJECT_TYPE_NAME (button),
             gtk_button_get_label (GTK_BUTTON (button)) ? gtk_button_get_label (GTK_BUTTON (button)) : "", found);
}

/* A click in the middle of @widget (a button), as a person makes it:
 * aimed at where its window last drew it, and checked to reach it.
 *
 * On the CI machine, under load, a press and release that reached the
 * window over a sensitive button GTK picks there were twice not followed
 * by ::clicked (the Pass or Apply button after test_keys' swipes). Looked
 * at since, and not the cause: the Undo toast sliding in over the buttons
 * (libadwaita 1.2 clips it; /app/deck/click-under-toast), the button made
 * insensitive (the deck's actions stay enabled while it shows cards), and
 * a card being thrown (that drops no ::clicked; it used to drop the swipe,
 * fixed: /app/deck/double-click). Not found is what else would. So a
 * person whose click did nothing clicks again, and so does this, once,
 * logging what the lost click saw, now with what the button's own click
 * gesture did (pressed, released inside or outside it, cancelled, made
 * insensitive) and whether a card was being thrown; a second lost click
 * fails. */
void
click (GtkWidget *widget)
{
  /* Held: a dialog's or a toast's button goes with it once clicked. */
  g_autoptr(GtkWidget) button = g_object_ref (widget);
  g_autoptr(GString) gesture = g_string_new (NULL);
  Click click = { .button = button, .gesture = gesture };
  g_autofree char *lost = NULL;
  double x, y;

  aim (button, &x, &y);
  if (!press_and_release (&click, 5, 1))
    {
      lost = describe_lost_click (&click, x, y);
      g_test_message ("%s; clicking again", lost);
      g_clear_pointer (&lost, g_free);
      wait_for_frame (button);
      if (!press_and_release (&click, 10, 1))
        {
          lost = describe_lost_click (&click, x, y);
          g_error ("%s, twice", lost);
        }
    }
  iterate_for (50);
}

/**
 * double_click:
 * @widget: a button
 *
 * Two clicks in the middle of @widget, as quick as a double click: both
 * presses and releases reach the window at once, so the second is handled
 * before the window draws again (whatever the first one started, such as
 * a card thrown out, is still under way). Fails unless @widget says
 * ::clicked twice.
 */
void
double_click (GtkWidget *widget)
{
  g_autoptr(GtkWidget) button = g_object_ref (widget);
  g_autoptr(GString) gesture = g_string_new (NULL);
  Click click = { .button = button, .gesture = gesture };
  double x, y;

  aim (button, &x, &y);
  if (!press_and_release (&click, 10, 2))
    {
      g_autofree char *lost = describe_lost_click (&click, x, y);

      g_error ("%s (of a double click, %u ::clicked)", lost, click.clicked);
    }
  iterate_for (50);
}
