/* jsw-browser.c
 *
 * The engine's one answer to "where is the browser": jobswipe-apply holds
 * it in a window of its own (shown in DESKTOP mode, unseen in SERVER
 * mode), and the desktop app moves it between a window's slot, where the
 * person watches and steps in, and an unseen holder, where a run goes on
 * with no window open. Both keep the picture of the last page the same
 * way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "jsw-browser.h"

struct _JswBrowser
{
  GObject         parent_instance;

  JswEngine      *engine;
  WebKitWebView  *view;
  GtkWidget      *holder;   /* its toplevel while no window's slot shows it */
};

G_DEFINE_FINAL_TYPE (JswBrowser, jsw_browser, G_TYPE_OBJECT)

static void
destroy_holder (JswBrowser *self)
{
  if (self->holder == NULL)
    return;
  if (self->view != NULL && gtk_widget_get_parent (GTK_WIDGET (self->view)) != NULL &&
      gtk_widget_get_root (GTK_WIDGET (self->view)) == GTK_ROOT (self->holder))
    gtk_window_set_child (GTK_WINDOW (self->holder), NULL);
  gtk_window_destroy (GTK_WINDOW (self->holder));
  self->holder = NULL;
}

/* A view moved into another window (the runner's unseen holder, a
 * window's slot) is unrealised and realised again, and its old frame goes
 * with the old surface; WebKitGTK 6.0 (2.50) shows nothing there until its
 * size changes, so a page that has finished loading (a captcha, a form
 * waiting for review) stays blank where the person should use it. One
 * pixel less for a moment, once it is mapped, makes it draw the page
 * again at its size. */
static gboolean
restore_size (gpointer data)
{
  GtkWidget *view = data;

  gtk_widget_set_margin_bottom (view, 0);
  g_object_unref (view);
  return G_SOURCE_REMOVE;
}

static void
view_mapped (GtkWidget *view)
{
  gtk_widget_set_margin_bottom (view, 1);
  g_timeout_add (100, restore_size, g_object_ref (view));
}

/* The view is made when first needed: the desktop app stays small until
 * there is something to apply to. */
WebKitWebView *
jsw_browser_get_view (JswBrowser *self)
{
  if (self->view == NULL)
    {
      self->view = jsw_engine_create_view (self->engine);
      g_signal_connect (self->view, "map", G_CALLBACK (view_mapped), NULL);
    }
  return self->view;
}

gboolean
jsw_browser_has_view (JswBrowser *self)
{
  return self->view != NULL;
}

/* Lets the view go (its web process with it), and its holder. */
void
jsw_browser_drop_view (JswBrowser *self)
{
  g_autoptr(WebKitWebView) view = g_steal_pointer (&self->view);

  GtkWidget *parent;

  destroy_holder (self);
  parent = view != NULL ? gtk_widget_get_parent (GTK_WIDGET (view)) : NULL;
  if (parent != NULL && GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), GTK_WIDGET (view));
}

/**
 * jsw_browser_hold:
 * @shown: whether the person sees it (a window of its own) or not
 *
 * Puts the view into a desktop-sized toplevel (jsw_engine_hold_view()),
 * out of any window's slot. Pages there run as in view.
 *
 * Returns: (transfer none): the toplevel, owned by @self
 */
GtkWidget *
jsw_browser_hold (JswBrowser *self,
                  gboolean    shown)
{
  GtkWidget *view = GTK_WIDGET (jsw_browser_get_view (self));
  GtkWidget *parent = gtk_widget_get_parent (view);

  if (self->holder != NULL && !shown && parent != NULL && gtk_widget_get_root (view) == GTK_ROOT (self->holder))
    return self->holder;
  g_object_ref (view);
  if (parent != NULL && GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), view);
  destroy_holder (self);
  self->holder = jsw_engine_hold_view (WEBKIT_WEB_VIEW (view), shown);
  g_object_unref (view);
  return self->holder;
}

/* Puts the view into @slot, a window's, for the person to watch and use. */
void
jsw_browser_show_in (JswBrowser *self,
                     GtkBox     *slot)
{
  GtkWidget *view = GTK_WIDGET (jsw_browser_get_view (self));
  GtkWidget *parent = gtk_widget_get_parent (view);

  if (parent == GTK_WIDGET (slot))
    return;
  g_object_ref (view);
  if (parent != NULL && GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), view);
  destroy_holder (self);
  gtk_box_append (slot, view);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_widget_set_vexpand (view, TRUE);
  g_object_unref (view);
}

/* Whether a window other than its unseen holder shows the view. */
gboolean
jsw_browser_is_shown (JswBrowser *self)
{
  GtkWidget *view = self->view ? GTK_WIDGET (self->view) : NULL;

  return view != NULL && gtk_widget_get_parent (view) != NULL &&
         (self->holder == NULL || gtk_widget_get_root (view) != GTK_ROOT (self->holder));
}

gboolean
jsw_browser_is_in (JswBrowser *self,
                   GtkBox     *slot)
{
  return self->view != NULL && gtk_widget_get_parent (GTK_WIDGET (self->view)) == GTK_WIDGET (slot);
}

/* The slot's window closes or shows something else: the view goes on
 * unseen when @keep (a run or a page the person will come back to), else
 * away altogether. */
void
jsw_browser_take_from (JswBrowser *self,
                       GtkBox     *slot,
                       gboolean    keep)
{
  if (!jsw_browser_is_in (self, slot))
    return;
  if (keep)
    jsw_browser_hold (self, FALSE);
  else
    jsw_browser_drop_view (self);
}

static void
last_page_taken (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *path = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) png = NULL;

  if (texture == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  png = gdk_texture_save_to_png_bytes (texture);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
    {
      if (error == NULL)
        g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (errno),
                     _("Cannot make the folder %s"), dir);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png), g_free);
}

/**
 * jsw_browser_save_last_page_async:
 * @path: where the PNG goes (its folder is made, private to the user)
 *
 * Takes a picture of the whole page the view shows (the confirmation, or
 * what the form said) and saves it to @path. The finish gives the SHA-256
 * (hex) of the PNG written, which the result carries (PROTOCOL.md
 * `screenshot_sha256`).
 */
void
jsw_browser_save_last_page_async (JswBrowser          *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (path), g_free);
  webkit_web_view_get_snapshot (jsw_browser_get_view (self), WEBKIT_SNAPSHOT_REGION_FULL_DOCUMENT,
                                WEBKIT_SNAPSHOT_OPTIONS_NONE, cancellable, last_page_taken, task);
}

/* Returns: (transfer full): the PNG's SHA-256 in hex, or NULL with @error */
char *
jsw_browser_save_last_page_finish (JswBrowser    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
jsw_browser_dispose (GObject *object)
{
  JswBrowser *self = (JswBrowser *) object;

  jsw_browser_drop_view (self);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (jsw_browser_parent_class)->dispose (object);
}

static void
jsw_browser_class_init (JswBrowserClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_browser_dispose;
}

static void
jsw_browser_init (JswBrowser *self)
{
}

JswBrowser *
jsw_browser_new (JswEngine *engine)
{
  JswBrowser *self = g_object_new (JSW_TYPE_BROWSER, NULL);

  self->engine = g_object_ref (engine);
  return self;
}
