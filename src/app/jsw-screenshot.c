/* jsw-screenshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-screenshot.h"

#include "jsw-engine.h"

/* How long a picture waits for the web pages in the window to be drawn. */
#define PAGES_AWAITED_US (10 * G_USEC_PER_SEC)

/* For tests and the demo: with JOBSWIPE_SCREENSHOT_DIR set, the window
 * saves a picture of itself at each moment that matters to a person. */

/* Whether every web view @widget shows has its page drawn. A view just
 * moved into the window (the hand-off's live page, moved from the run's
 * unseen holder into the detail pane) shows nothing until WebKit's next
 * frame (jsw_engine_view_is_drawn()): a picture taken before it has a
 * blank where the captcha or the form is. */
static gboolean
web_views_drawn (GtkWidget *widget)
{
  if (WEBKIT_IS_WEB_VIEW (widget))
    return jsw_engine_view_is_drawn (WEBKIT_WEB_VIEW (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child) && !web_views_drawn (child))
      return FALSE;
  return TRUE;
}

/* Returns FALSE when the window has nothing drawn to take yet. */
static gboolean
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("JOBSWIPE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return TRUE;
  if (width <= 0 || height <= 0)
    return FALSE;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  if (node == NULL || renderer == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  return gdk_texture_save_to_png (texture, path);
}

typedef struct {
  GtkWidget     *window;
  char          *name;
  guint          tries;
  GdkFrameClock *clock;        /* while waiting for the window's next frame */
  gulong         painted_id;
  guint          no_frame_id;
  gint64         pages_awaited_until;
} Screenshot;

static gboolean wait_for_frame (gpointer data);

static void
stop_waiting (Screenshot *shot)
{
  if (shot->clock != NULL)
    g_clear_signal_handler (&shot->painted_id, shot->clock);
  g_clear_object (&shot->clock);
  g_clear_handle_id (&shot->no_frame_id, g_source_remove);
}

static void
screenshot_free (Screenshot *shot)
{
  stop_waiting (shot);
  g_object_unref (shot->window);
  g_free (shot->name);
  g_free (shot);
}

static gboolean
take_now (gpointer data)
{
  Screenshot *shot = data;

  stop_waiting (shot);
  /* Between two frames there may be nothing to take: try again shortly. */
  if (!save_screenshot (shot->window, shot->name) && ++shot->tries < 20)
    g_timeout_add (50, wait_for_frame, shot);
  else
    screenshot_free (shot);
  return G_SOURCE_REMOVE;
}

static void
on_painted (GdkFrameClock *clock,
            Screenshot    *shot)
{
  g_clear_signal_handler (&shot->painted_id, clock);
  g_clear_handle_id (&shot->no_frame_id, g_source_remove);
  /* Out of the frame clock's signal, before anything else changes. */
  g_idle_add_full (G_PRIORITY_HIGH, take_now, shot, NULL);
}

static gboolean
on_no_frame (gpointer data)
{
  Screenshot *shot = data;

  shot->no_frame_id = 0;
  return take_now (shot);
}

/* The picture is taken once the window has drawn its next frame: a
 * timeout may fire before GTK has restyled and laid out what changed (a
 * busy main loop runs late timeouts in a burst), and the window's
 * snapshot then shows widgets in their styles from before, such as the
 * view switcher's old active button over the new view (the demo's
 * needs-you picture). A window that draws no frame within a second is
 * taken as it is. */
static gboolean
wait_for_frame (gpointer data)
{
  Screenshot *shot = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (shot->window);

  /* A page still to be drawn is waited for (a page that never draws, a
   * view with nothing loaded, is taken as it is in the end). */
  if (!web_views_drawn (shot->window) && g_get_monotonic_time () < shot->pages_awaited_until)
    {
      g_timeout_add (50, wait_for_frame, shot);
      return G_SOURCE_REMOVE;
    }
  if (clock == NULL)
    return take_now (shot);
  shot->clock = g_object_ref (clock);
  shot->painted_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), shot);
  shot->no_frame_id = g_timeout_add (1000, on_no_frame, shot);
  gtk_widget_queue_draw (shot->window);
  return G_SOURCE_REMOVE;
}

/* Lets the page and the widgets settle for @delay_ms before the picture is
 * taken, and waits (up to PAGES_AWAITED_US) for the web pages the window
 * shows to be drawn, then for the window's next frame. */
void
jsw_screenshot_soon (GtkWidget  *self,
                     const char *name,
                     guint       delay_ms)
{
  Screenshot *shot;

  if (g_getenv ("JOBSWIPE_SCREENSHOT_DIR") == NULL)
    return;
  shot = g_new0 (Screenshot, 1);
  shot->window = g_object_ref (self);
  shot->name = g_strdup (name);
  shot->pages_awaited_until = g_get_monotonic_time () + PAGES_AWAITED_US;
  g_timeout_add (MAX (delay_ms, 50), wait_for_frame, shot);
}

