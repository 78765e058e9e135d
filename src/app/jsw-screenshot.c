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
  GtkWidget *window;
  char      *name;
  guint      tries;
  gint64     pages_awaited_until;
} Screenshot;

static gboolean
screenshot_later (gpointer data)
{
  Screenshot *shot = data;

  /* A page still to be drawn is waited for (a page that never draws, a
   * view with nothing loaded, is taken as it is in the end). */
  if (!web_views_drawn (shot->window) && g_get_monotonic_time () < shot->pages_awaited_until)
    return G_SOURCE_CONTINUE;
  /* Between two frames there may be nothing to take: try again shortly. */
  if (!save_screenshot (shot->window, shot->name) && ++shot->tries < 20)
    return G_SOURCE_CONTINUE;
  g_object_unref (shot->window);
  g_free (shot->name);
  g_free (shot);
  return G_SOURCE_REMOVE;
}

/* Lets the page and the widgets settle for @delay_ms before the picture is
 * taken, and waits (up to PAGES_AWAITED_US) for the web pages the window
 * shows to be drawn. */
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
  g_timeout_add (MAX (delay_ms, 50), screenshot_later, shot);
}

