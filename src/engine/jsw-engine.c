/* jsw-engine.c
 *
 * DESKTOP mode keeps cookies, logins and caches in a persistent profile
 * under the user's data and cache folders, so sites the person signed in to
 * stay signed in between runs. SERVER mode uses an ephemeral session per
 * engine and sends traffic through the configured proxies, one after the
 * other (a rotation list).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include "jsw-engine.h"

#include <malloc.h>

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* What a desktop browser's window measures (logical pixels): pages lay
 * themselves out for it, not for a phone. */
#define DESKTOP_WIDTH  1280
#define DESKTOP_HEIGHT 900

struct _JswEngine
{
  GObject                   parent_instance;

  JswEngineMode             mode;
  char                     *profile_dir;  /* DESKTOP; NULL: the default */
  WebKitNetworkSession     *session;      /* made by ensure_session () */
  WebKitUserContentManager *content;
  GStrv                     proxies;
  guint                     next_proxy;
};

G_DEFINE_FINAL_TYPE (JswEngine, jsw_engine, G_TYPE_OBJECT)

#define ADAPTERS_PATH "/org/jobswipe/engine/adapters/"

/* The runtime's parts, in the order they build on each other: what a
 * question means, with no page (matcher.js, which the app's swipe deck
 * also runs on its own: jsw-matcher.c), a page's controls, a form's
 * questions, the entry points the run calls, the course of a run between
 * pages. Each part is under resources/adapters/. */
static const char *runtime_parts[] = {
  "matcher.js",
  "runtime-page.js",
  "runtime-questions.js",
  "runtime.js",
  "flow.js",
};

static gboolean
is_runtime_part (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (runtime_parts); i++)
    if (g_str_equal (name, runtime_parts[i]))
      return TRUE;
  return FALSE;
}

static void
append_resource (GString    *script,
                 const char *name)
{
  g_autofree char *path = g_strconcat (ADAPTERS_PATH, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);
  g_string_append_len (script, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_string_append_c (script, '\n');
}

/* The runtime's parts in their order, then every adapter the GResource
 * holds: adding a system is adding its file there. The adapters' order
 * does not matter, since the runtime tries the generic adapter last. */
static char *
load_adapters (void)
{
  GString *script = g_string_new (NULL);
  g_auto(GStrv) names = g_resources_enumerate_children (ADAPTERS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (names != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (runtime_parts); i++)
    append_resource (script, runtime_parts[i]);
  for (guint i = 0; names[i] != NULL; i++)
    if (!is_runtime_part (names[i]))
      append_resource (script, names[i]);
  return g_string_free (script, FALSE);
}

char *
jsw_engine_default_profile_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "jobswipe", "browser", NULL);
}

static void
jsw_engine_dispose (GObject *object)
{
  JswEngine *self = (JswEngine *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->content);
  g_clear_pointer (&self->profile_dir, g_free);
  g_clear_pointer (&self->proxies, g_strfreev);

  G_OBJECT_CLASS (jsw_engine_parent_class)->dispose (object);
}

static void
jsw_engine_class_init (JswEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_engine_dispose;
}

static void
jsw_engine_init (JswEngine *self)
{
  g_autofree char *script = load_adapters ();
  g_autoptr(WebKitUserScript) user_script = NULL;

  self->content = webkit_user_content_manager_new ();
  /* Injected into every page of the top frame, in the isolated world, once
   * the document is parsed; the profile is never part of it: it is handed
   * to each call for the page being applied to. */
  user_script = webkit_user_script_new_for_world (script, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                                  WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                                  JSW_ENGINE_SCRIPT_WORLD, NULL, NULL);
  webkit_user_content_manager_add_script (self->content, user_script);
}

/* SERVER mode's process: how a program that only applies for nobody to
 * see (jobswipe-worker, jobswipe-apply --mode server) is set up. Every
 * setting is here, so the desktop app, which never calls it, keeps
 * WebKit's and GTK's defaults. The figures are docs/performance.md's. */

/* glibc gives each thread that allocates at once an arena of its own, up
 * to eight per core, and keeps what each arena once held. A worker's
 * threads (GLib's, WebKit's IPC, the target guards', the pictures'
 * encoding) left 45-49 MiB of heap and anonymous memory in the worker at
 * concurrency 2; with two arenas 40-42, for the same CPU time an
 * application (docs/performance.md, "Where the worker's memory went").
 * The web and network processes allocate mostly with WebKit's own
 * allocator, which this does not touch. The operator's MALLOC_ARENA_MAX,
 * which glibc read at start, wins. */
static void
limit_malloc_arenas (void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
  if (g_getenv ("MALLOC_ARENA_MAX") == NULL)
    mallopt (M_ARENA_MAX, 2);
#endif
}

/**
 * jsw_engine_prepare_server_process:
 *
 * Sets up this process, and the WebKit processes it will start, for
 * SERVER mode: windows nobody sees, pages nobody reads with a screen
 * reader. It sets environment variables, so call it at the start of
 * main(), before gtk_init() and before any thread starts; an operator's
 * own value of each variable wins. Never call it in the desktop app.
 */
void
jsw_engine_prepare_server_process (void)
{
  /* GTK draws the unseen windows with cairo rather than OpenGL, which on
   * a server is Mesa's software renderer: about 75 MiB less a run. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* Where a session bus runs (a developer's machine, the benches'
   * dbus-run-session; not the systemd unit, which has none), each web
   * process would build its pages' accessibility trees for the AT-SPI
   * registry (started for them, reached through the sandbox's D-Bus
   * proxy) and GTK would put every run's window on the bus: at
   * concurrency 1 under load, a quarter of each application's wall time.
   * With these the registry is never started. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("WEBKIT_A11Y_BUS_ADDRESS", "", FALSE);
  limit_malloc_arenas ();
}

/* WebKit's default cache model is a browser's: it keeps the web processes
 * of closed pages in reserve (WebKit's WebProcessCache: up to one per 256
 * MiB of RAM, at most 30, each for five minutes), some 100 MiB each, for a
 * revisit that never comes to SERVER mode: every engine has a network
 * session of its own, so no process of one is ever reused by another. One
 * worker at concurrency 2 held 7 web processes after 150 applications, and
 * its tree grew from 336 to 1,365 MiB over 200. The document viewer's
 * model keeps none, and no memory cache beyond a page: a run loads each
 * page once. Set on the process's default context, which SERVER-mode
 * programs use for nothing else. */
static void
keep_no_web_process_in_reserve (void)
{
  webkit_web_context_set_cache_model (webkit_web_context_get_default (), WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
}

/* The network session is made when the first page needs it, not with the
 * engine: WebKit starts its network process (about 33 MB PSS) as soon as
 * the session is touched, and the desktop app holds an engine from start,
 * mostly idle in the background (bench/app-background-memory). */
static WebKitNetworkSession *
ensure_session (JswEngine *self)
{
  if (self->session != NULL)
    return self->session;

  if (self->mode == JSW_ENGINE_MODE_DESKTOP)
    {
      g_autofree char *dir = self->profile_dir ? g_strdup (self->profile_dir) : jsw_engine_default_profile_dir ();
      g_autofree char *data = g_build_filename (dir, "data", NULL);
      g_autofree char *cache = g_build_filename (dir, "cache", NULL);
      g_autofree char *cookies = g_build_filename (data, "cookies.sqlite", NULL);

      self->session = webkit_network_session_new (data, cache);
      webkit_cookie_manager_set_persistent_storage (webkit_network_session_get_cookie_manager (self->session),
                                                    cookies, WEBKIT_COOKIE_PERSISTENT_STORAGE_SQLITE);
    }
  else
    {
      keep_no_web_process_in_reserve ();
      self->session = webkit_network_session_new_ephemeral ();
    }

  return self->session;
}

JswEngine *
jsw_engine_new (JswEngineMode  mode,
                const char    *profile_dir)
{
  JswEngine *self = g_object_new (JSW_TYPE_ENGINE, NULL);

  self->mode = mode;
  self->profile_dir = g_strdup (profile_dir);
  return self;
}

JswEngineMode
jsw_engine_get_mode (JswEngine *self)
{
  return self->mode;
}

void
jsw_engine_set_proxies (JswEngine          *self,
                        const char * const *proxies)
{
  g_clear_pointer (&self->proxies, g_strfreev);
  self->proxies = g_strdupv ((char **) proxies);
  self->next_proxy = 0;
}

/* Points the session at the next proxy of the rotation (http, https or
 * socks5 URLs), and returns it; NULL when there are none. */
const char *
jsw_engine_next_proxy (JswEngine *self)
{
  g_autoptr(WebKitNetworkProxySettings) settings = NULL;
  const char *proxy;

  if (self->proxies == NULL || self->proxies[0] == NULL)
    return NULL;

  proxy = self->proxies[self->next_proxy++ % g_strv_length (self->proxies)];
  settings = webkit_network_proxy_settings_new (proxy, NULL);
  webkit_network_session_set_proxy_settings (ensure_session (self), WEBKIT_NETWORK_PROXY_MODE_CUSTOM, settings);
  return proxy;
}

/* WebKit slows down a page it believes nobody looks at: timers at most once
 * a second, CSS animations stopped, the web process suppressed. A page
 * being applied to must run as it does in a person's browser, seen or not
 * (a one-second intro timer must take one second). */
static void
run_pages_at_full_speed (WebKitSettings *settings)
{
  static const char *slowing[] = {
    "HiddenPageDOMTimerThrottling",
    "HiddenPageDOMTimerThrottlingAutoIncreases",
    "HiddenPageCSSAnimationSuspension",
    "PageVisibilityBasedProcessSuppression",
  };
  g_autoptr(WebKitFeatureList) features = webkit_settings_get_all_features ();

  for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
    {
      WebKitFeature *feature = webkit_feature_list_get (features, i);

      for (guint j = 0; j < G_N_ELEMENTS (slowing); j++)
        if (g_str_equal (webkit_feature_get_identifier (feature), slowing[j]))
          webkit_settings_set_feature_enabled (settings, feature, FALSE);
    }
}

/* A SERVER run's page is looked at by nobody, only read and filled in:
 *
 *  - drawn without OpenGL compositing. On a server that is Mesa's software
 *    rasteriser in every web process, its buffers and LLVM's relocated
 *    pages: 40-60 MiB more per page (docs/performance.md, "What a web
 *    process is made of"). Laid out the same, at the same desktop size,
 *    and cheaper in CPU too under Xvfb.
 *  - without what a form never needs and a careers page's hero video or
 *    map would start for nobody: WebGL, audio and video, WebRTC.
 *
 * DESKTOP mode keeps WebKit's defaults: a person watches, and scrolls. */
static void
render_for_nobody (WebKitSettings *settings)
{
  webkit_settings_set_hardware_acceleration_policy (settings, WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);
  g_object_set (settings,
                "enable-webgl", FALSE,
                "enable-2d-canvas-acceleration", FALSE,
                "enable-media", FALSE,
                "enable-webaudio", FALSE,
                "enable-mediasource", FALSE,
                "enable-encrypted-media", FALSE,
                "enable-media-stream", FALSE,
                "enable-webrtc", FALSE,
                NULL);
}

#ifdef GDK_WINDOWING_X11
/* Maps @window where no person sees it: outside the screen, and left alone
 * by the window manager (override-redirect: no taskbar entry, no focus). */
static gboolean
map_out_of_sight_x11 (GtkWidget *window)
{
  GdkSurface *surface;
  Display *display;
  Window xid;
  XSetWindowAttributes attributes = { .override_redirect = True };

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (window)))
    return FALSE;
  gtk_widget_realize (window);
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  xid = gdk_x11_surface_get_xid (surface);
  XChangeWindowAttributes (display, xid, CWOverrideRedirect, &attributes);
  XMoveWindow (display, xid, -2 * DESKTOP_WIDTH, -2 * DESKTOP_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}
#endif

/**
 * jsw_engine_hold_view:
 * @view: a view from jsw_engine_create_view()
 * @shown: whether the person sees it
 *
 * A toplevel window holding @view at a desktop browser's size (1280 × 900
 * logical pixels), so pages lay themselves out as for a person at a
 * computer. Shown, it is presented. Unseen (SERVER mode, or the desktop app
 * applying in the background), it is still mapped, because WebKit only
 * runs requestAnimationFrame callbacks and reports
 * `document.visibilityState` "visible" for a page on screen; on X11 it is
 * mapped outside the screen and unmanaged, so nobody sees it. On other
 * displays (Wayland) it is only realised, and pages there see themselves
 * hidden, though their timers still run at full speed.
 *
 * Returns: (transfer full): the window; destroy it with gtk_window_destroy()
 */
GtkWidget *
jsw_engine_hold_view (WebKitWebView *view,
                      gboolean       shown)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), DESKTOP_WIDTH, DESKTOP_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  if (shown)
    {
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
#ifdef GDK_WINDOWING_X11
  if (map_out_of_sight_x11 (window))
    return window;
#endif
  gtk_widget_realize (window);
  return window;
}

/* The picture in @node, or in a node inside it: WebKit draws the page it
 * was sent as a texture (a GPU or DMA-BUF buffer) or a cairo node (a
 * shared-memory buffer, or a page drawn without compositing), and the
 * view draws nothing else of its own. */
static GskRenderNode *
find_picture (GskRenderNode *node)
{
  if (node == NULL)
    return NULL;
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
    case GSK_CAIRO_NODE:
      return node;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        {
          GskRenderNode *picture = find_picture (gsk_container_node_get_child (node, i));

          if (picture != NULL)
            return picture;
        }
      return NULL;
    case GSK_TRANSFORM_NODE:
      return find_picture (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return find_picture (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return find_picture (gsk_rounded_clip_node_get_child (node));
    case GSK_OPACITY_NODE:
      return find_picture (gsk_opacity_node_get_child (node));
    case GSK_DEBUG_NODE:
      return find_picture (gsk_debug_node_get_child (node));
    default:
      return NULL;
    }
}

/* Whether @picture was made for a view of @width x @height: WebKit draws
 * the frame it holds at the size the frame was made for, in the view's
 * own coordinates (AcceleratedBackingStoreDMABuf::Buffer::snapshot()),
 * so after a resize the last frame is the old size until the web process
 * sends one for the new size. Within a pixel: a frame is made in device
 * pixels, and a fractional scale rounds. */
static gboolean
picture_fits (GskRenderNode *picture,
              int            width,
              int            height)
{
  graphene_rect_t bounds;

  gsk_render_node_get_bounds (picture, &bounds);
  return bounds.size.width > width - 1 && bounds.size.width < width + 1 &&
         bounds.size.height > height - 1 && bounds.size.height < height + 1;
}

/* Whether the picture in @node shows something: WebKit paints every page
 * on an opaque background (white unless the page sets its own), so a
 * frame it sent before painting the page into it (a buffer just made
 * for a new size) is transparent, and the window's background shows
 * through. @node is drawn 8 × 8 px small, by @widget's window's renderer,
 * and most of those pixels must be opaque. */
#define SAMPLES 8

static gboolean
picture_is_painted (GtkWidget     *widget,
                    GskRenderNode *node,
                    int            width,
                    int            height)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GskTransform) scale = gsk_transform_scale (NULL, (float) SAMPLES / width, (float) SAMPLES / height);
  g_autoptr(GskRenderNode) small = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 pixels[SAMPLES * SAMPLES * 4];
  guint opaque = 0;

  if (renderer == NULL)
    return FALSE;
  small = gsk_transform_node_new (node, scale);
  texture = gsk_renderer_render_texture (renderer, small, &GRAPHENE_RECT_INIT (0, 0, SAMPLES, SAMPLES));
  /* GDK_MEMORY_DEFAULT: 4 bytes a pixel, alpha last. */
  gdk_texture_download (texture, pixels, SAMPLES * 4);
  for (guint i = 0; i < SAMPLES * SAMPLES; i++)
    opaque += pixels[i * 4 + 3] > 0;
  return opaque > SAMPLES * SAMPLES / 2;
}

/**
 * jsw_engine_view_is_drawn:
 * @view: a view from jsw_engine_create_view()
 *
 * Whether the last time GTK drew @view it drew the page at the view's
 * size, rather than nothing or an older frame. WebKitGTK 2.50 keeps the
 * last frame its web process sent only while the view is realised
 * (AcceleratedBackingStore::unrealize() drops it), so a view moved into
 * another window shows nothing there until the web process sends a new
 * frame; and a view resized shows its last frame at the old size (cut
 * off, or beside a blank band) until the one for the new size comes. GTK
 * draws the view again when that frame arrives. This reads GTK's own last
 * drawing of the view (a GtkWidgetPaintable of it), so it says what the
 * window shows, not what the page contains; a frame WebKit sent before
 * painting the page into it (transparent) is not the page.
 *
 * Returns: %TRUE when @view is mapped and its last drawing holds the page,
 *   made for the view's size now (within a pixel)
 */
gboolean
jsw_engine_view_is_drawn (WebKitWebView *view)
{
  GtkWidget *widget = GTK_WIDGET (view);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderNode *picture;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (!gtk_widget_get_mapped (widget) || width <= 0 || height <= 0)
    return FALSE;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  picture = find_picture (node);
  return picture != NULL && picture_fits (picture, width, height) &&
         picture_is_painted (widget, node, width, height);
}

#define PAGE_LOST "jsw-engine-page-lost"

/* @reason ("web-process-terminated") in words, for the log (not
 * translated, as the log is not). */
static const char *
describe_termination (WebKitWebProcessTerminationReason reason)
{
  switch (reason)
    {
    case WEBKIT_WEB_PROCESS_CRASHED:
      return "it crashed";
    case WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT:
      return "it used more memory than allowed";
    case WEBKIT_WEB_PROCESS_TERMINATED_BY_API:
      return "the application ended it";
    default:
      return "unknown reason";
    }
}

/* Said on stderr for every view, whoever holds it (a run, a page parked
 * for the person, the worker): a page whose process keeps ending is worth
 * a bug report, and which of the reasons it was tells where to look. */
static void
on_web_process_terminated (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason)
{
  g_message ("The web process of %s ended: %s", webkit_web_view_get_uri (view) ? webkit_web_view_get_uri (view) : "a view with no page",
             describe_termination (reason));
  g_object_set_data (G_OBJECT (view), PAGE_LOST, GINT_TO_POINTER (reason + 1));
}

static void
on_load_changed (WebKitWebView   *view,
                 WebKitLoadEvent  event)
{
  if (event == WEBKIT_LOAD_STARTED)
    g_object_set_data (G_OBJECT (view), PAGE_LOST, NULL);
}

/**
 * jsw_engine_view_lost_page:
 * @view: a view from jsw_engine_create_view()
 *
 * Whether @view's web process went away (it crashed, or the system ended
 * it) since its page was loaded: the page it still names is gone, and
 * every call into it fails ("Unsupported result type") until a page is
 * loaded again. A page parked for the person (a captcha) can lose its
 * process while no run watches it (JswBrowser opens such a page again:
 * jsw_browser_keep_page()).
 */
gboolean
jsw_engine_view_lost_page (WebKitWebView *view)
{
  return g_object_get_data (G_OBJECT (view), PAGE_LOST) != NULL;
}

/* Returns: why @view lost its page (describe_termination()),
 * or NULL while it has it */
const char *
jsw_engine_view_lost_page_why (WebKitWebView *view)
{
  int lost = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (view), PAGE_LOST));

  return lost != 0 ? describe_termination (lost - 1) : NULL;
}

WebKitWebView *
jsw_engine_create_view (JswEngine *self)
{
  WebKitWebView *view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                      "network-session", ensure_session (self),
                                      "user-content-manager", self->content,
                                      NULL);
  WebKitSettings *settings = webkit_web_view_get_settings (view);

  webkit_settings_set_enable_developer_extras (settings, self->mode == JSW_ENGINE_MODE_DESKTOP);
  /* A posting's Apply button may open the form in a popup; a run follows
   * that one in this view (JswApplyRun's "create" handler), and no page
   * ever gets a window of its own. */
  webkit_settings_set_javascript_can_open_windows_automatically (settings, TRUE);
  run_pages_at_full_speed (settings);
  if (self->mode == JSW_ENGINE_MODE_SERVER)
    render_for_nobody (settings);
  g_signal_connect (view, "web-process-terminated", G_CALLBACK (on_web_process_terminated), NULL);
  g_signal_connect (view, "load-changed", G_CALLBACK (on_load_changed), NULL);
  return g_object_ref_sink (view);
}
