/* jsw-screenshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-screenshot.h"

/* For tests and the demo: with JOBSWIPE_SCREENSHOT_DIR set, the window
 * saves a picture of itself at each moment that matters to a person. */
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
} Screenshot;

static gboolean
screenshot_later (gpointer data)
{
  Screenshot *shot = data;

  /* Between two frames there may be nothing to take: try again shortly. */
  if (!save_screenshot (shot->window, shot->name) && ++shot->tries < 20)
    return G_SOURCE_CONTINUE;
  g_object_unref (shot->window);
  g_free (shot->name);
  g_free (shot);
  return G_SOURCE_REMOVE;
}

/* Lets the page and the widgets settle for @delay_ms before the picture is
 * taken. */
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
  g_timeout_add (MAX (delay_ms, 50), screenshot_later, shot);
}

