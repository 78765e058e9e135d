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

typedef enum {
  REDRAW_WAITING,    /* for WebKit's frame, or for a nudge to be due */
  REDRAW_SHRINKING,  /* for the layout one pixel lower */
  REDRAW_GROWING,    /* for the layout at the full height again */
} RedrawStep;

/* One watch over the page being drawn (redraw_tick()), from a move or a
 * resize until the page is drawn at the view's size; reset as one. */
typedef struct {
  guint       tick;            /* the tick callback, while watching */
  RedrawStep  step;
  int         step_height;     /* the view's height when the step began */
  int         awaited_width;   /* the size WebKit's frame is awaited at */
  int         awaited_height;
  gint64      waiting_since;   /* frame time (µs) the wait for that frame began */
  gint64      started;         /* monotonic time (µs) the watch began */
  guint       nudges;
  gboolean    moved;           /* began with the view in another window */
  int         width_before;    /* then: the size WebKit had before the move */
  int         height_before;
} Redraw;

struct _JswBrowser
{
  GObject         parent_instance;

  JswEngine      *engine;
  WebKitWebView  *view;
  GtkWidget      *holder;   /* its toplevel while no window's slot shows it */

  Redraw          redraw;
  GdkFrameClock  *clock;          /* the view's window's, while realised */
  gulong          painted_id;
  int             webkit_width;   /* the size WebKit was last given */
  int             webkit_height;
  int             settled_width;  /* the size the last watch ended at */
  int             settled_height;
  gboolean        frame_dropped;  /* unrealised since the page was last drawn */
  gboolean        keeping_page;   /* the page is the person's (jsw_browser_keep_page()) */
  guint           reopened;       /* times it was opened again since */
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

/* Getting the page drawn at the view's size, after a move to another
 * window or a resize.
 *
 * GTK unrealises a widget that leaves its window and realises it again in
 * the next one. WebKitGTK 2.50's view hands both on to its accelerated
 * backing store (WebKitWebViewBase.cpp, webkitWebViewBaseRealize() and
 * webkitWebViewBaseUnrealize()), whose unrealize() drops the one frame the
 * UI process holds (m_committedBuffer). Until the web process sends a new
 * frame, the view's snapshot() draws nothing: the page is blank where the
 * person looks, though it is loaded and running. And nothing in the move
 * makes the web process send one:
 *  - the frame is made again only when the page changes or its size does:
 *    the view gives its size to the drawing area on size_allocate, and
 *    DrawingAreaProxyCoordinatedGraphics sends UpdateGeometry only for a
 *    size that differs from the last one (a slot of the same size as
 *    before, as when the person comes back to an entry, sends nothing);
 *  - unmap and map only turn ActivityState::IsVisible off and on, which
 *    suspends and resumes the web process's compositor
 *    (DrawingAreaCoordinatedGraphics::activityStateDidChange()); resuming
 *    renders nothing unless an update was already due, and WebPageProxy
 *    sends nothing at all when the state is back to what the web process
 *    last saw before it dispatched the change.
 * After a resize, the view draws the frame it holds at the size it was
 * made for (AcceleratedBackingStoreDMABuf::Buffer::snapshot()) until the
 * one for the new size comes: a window made narrower shows the page cut
 * off on the right, a wider one a blank band beside it. Under load that
 * frame can take seconds (docs/engine.md).
 *
 * So once the view is mapped and laid out in its new window, and after
 * each frame of its window in which it has a size it was not drawn at
 * (view_painted()), this watches GTK's own drawing of it
 * (jsw_engine_view_is_drawn(): the page, at the view's size) on the frame
 * clock, and while none comes, gives WebKit a size change to answer: one
 * pixel less, kept until GTK has laid the view out at that height (that
 * allocation is what reaches WebKit), then the full height again. Each
 * step waits for the layout it asked for, never for a time, so a busy
 * machine only makes it slower. A nudge is made at once when a moved view
 * has the very size WebKit had before the move (no frame will come of its
 * own), else after FRAME_AWAITED_US without a frame at the size WebKit was
 * given last, and again while none comes. The page sees a resize event of
 * one pixel and back. */
#define FRAME_AWAITED_US (1 * G_USEC_PER_SEC)
#define MAX_NUDGES 8

static void
stop_redraw (JswBrowser *self)
{
  if (self->redraw.tick != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->redraw.tick);
  if (self->redraw.step != REDRAW_WAITING && self->view != NULL)
    gtk_widget_set_margin_bottom (GTK_WIDGET (self->view), 0);
  self->redraw = (Redraw) { 0 };
}

static gboolean redraw_tick (GtkWidget     *view,
                             GdkFrameClock *clock,
                             gpointer       data);

static void
start_redraw (JswBrowser *self,
              gboolean    moved)
{
  stop_redraw (self);
  self->redraw.moved = moved;
  self->redraw.width_before = self->webkit_width;
  self->redraw.height_before = self->webkit_height;
  self->redraw.started = g_get_monotonic_time ();
  self->redraw.tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view), redraw_tick, self, NULL);
}

/* The watch is over at @width x @height: the page is drawn there, or
 * never will be without a change. */
static gboolean
end_redraw (JswBrowser *self,
            int         width,
            int         height)
{
  self->settled_width = width;
  self->settled_height = height;
  self->redraw = (Redraw) { 0 };
  return G_SOURCE_REMOVE;
}

static void
start_nudge (JswBrowser *self,
             GtkWidget  *view)
{
  self->redraw.nudges++;
  self->redraw.step = REDRAW_SHRINKING;
  self->redraw.step_height = gtk_widget_get_height (view);
  g_debug ("view %p: no page drawn at %d x %d, nudge %u", view, gtk_widget_get_width (view),
           self->redraw.step_height, self->redraw.nudges);
  gtk_widget_set_margin_bottom (view, 1);
}

static gboolean
redraw_tick (GtkWidget     *view,
             GdkFrameClock *clock,
             gpointer       data)
{
  JswBrowser *self = data;
  Redraw *redraw = &self->redraw;
  int width = gtk_widget_get_width (view);
  int height = gtk_widget_get_height (view);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  switch (redraw->step)
    {
    case REDRAW_SHRINKING:
      /* Laid out one pixel lower: WebKit has that size; back to full. */
      if (height != redraw->step_height)
        {
          g_debug ("view %p: laid out at %d, growing", view, height);
          gtk_widget_set_margin_bottom (view, 0);
          redraw->step = REDRAW_GROWING;
          redraw->step_height = height;
        }
      return G_SOURCE_CONTINUE;
    case REDRAW_GROWING:
      if (height != redraw->step_height)
        {
          g_debug ("view %p: laid out at %d, waiting", view, height);
          redraw->step = REDRAW_WAITING;
          redraw->waiting_since = now;
        }
      return G_SOURCE_CONTINUE;
    case REDRAW_WAITING:
    default:
      break;
    }
  /* Laid out, WebKit has this size (size_allocate gave it); not yet, it
   * still has the one from before. */
  if (width > 0 && height > 1)
    {
      self->webkit_width = width;
      self->webkit_height = height;
    }
  if (jsw_engine_view_is_drawn (WEBKIT_WEB_VIEW (view)))
    {
      g_debug ("view %p: page drawn at %d x %d after %u nudges, %.2f s", view, width, height, redraw->nudges,
               (g_get_monotonic_time () - redraw->started) / 1e6);
      self->frame_dropped = FALSE;
      return end_redraw (self, width, height);
    }
  if (width <= 0 || height <= 1)
    return G_SOURCE_CONTINUE;
  /* A new size given to WebKit (the person is still resizing): its frame
   * is awaited afresh. */
  if (redraw->waiting_since == 0 || width != redraw->awaited_width || height != redraw->awaited_height)
    {
      redraw->awaited_width = width;
      redraw->awaited_height = height;
      redraw->waiting_since = now;
    }
  if (redraw->moved && redraw->nudges == 0 && width == redraw->width_before && height == redraw->height_before)
    start_nudge (self, view);
  else if (now - redraw->waiting_since >= FRAME_AWAITED_US)
    {
      /* A view with no page loaded, or a web process gone, never draws:
       * the frame clock is not kept busy for it. */
      if (redraw->nudges == MAX_NUDGES)
        {
          g_debug ("view %p: still no page drawn after %u nudges", view, redraw->nudges);
          return end_redraw (self, width, height);
        }
      start_nudge (self, view);
    }
  return G_SOURCE_CONTINUE;
}

/* After each frame of the view's window: a view laid out at a size the
 * last watch did not end at was resized, and WebKit's frame for that size
 * is still to come. (A frame clock's after-paint, unlike a tick callback,
 * makes no frames of its own: an idle window stays idle.) */
static void
view_painted (GdkFrameClock *clock,
              JswBrowser    *self)
{
  GtkWidget *view = GTK_WIDGET (self->view);
  int width = gtk_widget_get_width (view);
  int height = gtk_widget_get_height (view);

  if (self->redraw.tick != 0 || !gtk_widget_get_mapped (view) || width <= 0 || height <= 1 ||
      (width == self->settled_width && height == self->settled_height) ||
      webkit_web_view_get_uri (self->view) == NULL)
    return;
  /* Not drawn yet where it is (a new view, its first page loading): the
   * first frame comes with the page, unasked, and a page being filled in
   * is not resized for it; from then on its size is followed. */
  if (self->settled_width == 0)
    {
      if (jsw_engine_view_is_drawn (self->view))
        {
          self->settled_width = width;
          self->settled_height = height;
        }
      return;
    }
  g_debug ("view %p: resized from %d x %d to %d x %d", view, self->settled_width, self->settled_height,
           width, height);
  start_redraw (self, FALSE);
}

static void
stop_following_frames (JswBrowser *self)
{
  if (self->clock != NULL)
    g_clear_signal_handler (&self->painted_id, self->clock);
  g_clear_object (&self->clock);
}

static void
view_realized (GtkWidget  *view,
               JswBrowser *self)
{
  stop_following_frames (self);
  self->clock = gtk_widget_get_frame_clock (view);
  if (self->clock == NULL)
    return;
  g_object_ref (self->clock);
  self->painted_id = g_signal_connect (self->clock, "after-paint", G_CALLBACK (view_painted), self);
}

/* Only a view that was unrealised lost its frame: one the person only
 * looked away from (a GtkStack showing something else) draws it again
 * when mapped, as does a new view when its first page comes. */
static void
view_unrealized (GtkWidget  *view,
                 JswBrowser *self)
{
  stop_following_frames (self);
  self->frame_dropped = TRUE;
}

static void
view_mapped (GtkWidget  *view,
             JswBrowser *self)
{
  stop_redraw (self);
  if (self->frame_dropped)
    start_redraw (self, TRUE);
}

/* Keeps the size WebKit was last given, which a move into a slot of the
 * same size does not change: the view's allocation while it is still in
 * its window (a GtkStack unmaps it so). Unparented from its window, the
 * view has no allocation left by then, and a view moved on before its
 * window laid it out was given none there: the size from redraw_tick()
 * stands. */
static void
view_unmapped (GtkWidget  *view,
               JswBrowser *self)
{
  if (gtk_widget_get_width (view) > 0 && gtk_widget_get_height (view) > 1)
    {
      self->webkit_width = gtk_widget_get_width (view);
      self->webkit_height = gtk_widget_get_height (view);
    }
  stop_redraw (self);
}

/* A page kept for the person is opened again at most this many times
 * while they have it: a page whose process ends each time it is opened
 * is left as it is, said so on stderr. */
#define MAX_REOPENS 3

/* A page kept for the person that lost its web process (the engine says
 * why on stderr) is opened again at its address: the person sees it
 * again, not a blank where the captcha or the sign-in was, and the run
 * that goes on from it (Continue) finds it there. Loaded anew (a GET), so
 * nothing the page had sent is sent again. */
static void
view_process_ended (WebKitWebView                     *view,
                    WebKitWebProcessTerminationReason  reason,
                    JswBrowser                        *self)
{
  const char *uri = webkit_web_view_get_uri (view);

  if (!self->keeping_page || uri == NULL)
    return;
  if (self->reopened == MAX_REOPENS)
    {
      g_message ("The page kept for the person at %s lost its web process %u times; left as it is", uri,
                 MAX_REOPENS + 1);
      return;
    }
  self->reopened++;
  g_message ("The page kept for the person at %s is opened again", uri);
  webkit_web_view_load_uri (view, uri);
}

/**
 * jsw_browser_keep_page:
 * @keep: TRUE while the page the view shows is left for the person (a
 *   captcha, a sign-in, an e-mailed code) with no run watching it
 *
 * While @keep, a page whose web process ends is opened again at its
 * address (up to MAX_REOPENS times), rather than left blank. A run
 * watches its own page (JswApplyRun opens the posting again): set FALSE
 * before one goes on from this page.
 */
void
jsw_browser_keep_page (JswBrowser *self,
                       gboolean    keep)
{
  self->keeping_page = keep;
  self->reopened = 0;
}

/* The view is made when first needed: the desktop app stays small until
 * there is something to apply to. */
WebKitWebView *
jsw_browser_get_view (JswBrowser *self)
{
  if (self->view == NULL)
    {
      self->view = jsw_engine_create_view (self->engine);
      g_signal_connect (self->view, "map", G_CALLBACK (view_mapped), self);
      g_signal_connect (self->view, "unmap", G_CALLBACK (view_unmapped), self);
      g_signal_connect (self->view, "realize", G_CALLBACK (view_realized), self);
      g_signal_connect (self->view, "unrealize", G_CALLBACK (view_unrealized), self);
      g_signal_connect (self->view, "web-process-terminated", G_CALLBACK (view_process_ended), self);
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
  g_autoptr(WebKitWebView) view = NULL;
  GtkWidget *parent;

  stop_redraw (self);
  stop_following_frames (self);
  self->settled_width = self->settled_height = 0;
  view = g_steal_pointer (&self->view);
  if (view != NULL)
    g_signal_handlers_disconnect_by_data (view, self);
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
