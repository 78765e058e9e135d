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
#include "config.h"

#include "jsw-engine.h"

struct _JswEngine
{
  GObject                   parent_instance;

  JswEngineMode             mode;
  WebKitNetworkSession     *session;
  WebKitUserContentManager *content;
  GStrv                     proxies;
  guint                     next_proxy;
};

G_DEFINE_FINAL_TYPE (JswEngine, jsw_engine, G_TYPE_OBJECT)

#define ADAPTERS_PATH "/org/jobswipe/engine/adapters/"

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

/* The runtime, then every adapter the GResource holds: adding a system is
 * adding its file there. Their order does not matter, since the runtime
 * tries the generic adapter last. */
static char *
load_adapters (void)
{
  GString *script = g_string_new (NULL);
  g_auto(GStrv) names = g_resources_enumerate_children (ADAPTERS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (names != NULL);
  append_resource (script, "runtime.js");
  for (guint i = 0; names[i] != NULL; i++)
    if (!g_str_equal (names[i], "runtime.js"))
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

JswEngine *
jsw_engine_new (JswEngineMode  mode,
                const char    *profile_dir)
{
  JswEngine *self = g_object_new (JSW_TYPE_ENGINE, NULL);

  self->mode = mode;
  if (mode == JSW_ENGINE_MODE_DESKTOP)
    {
      g_autofree char *dir = profile_dir ? g_strdup (profile_dir) : jsw_engine_default_profile_dir ();
      g_autofree char *data = g_build_filename (dir, "data", NULL);
      g_autofree char *cache = g_build_filename (dir, "cache", NULL);
      g_autofree char *cookies = g_build_filename (data, "cookies.sqlite", NULL);

      self->session = webkit_network_session_new (data, cache);
      webkit_cookie_manager_set_persistent_storage (webkit_network_session_get_cookie_manager (self->session),
                                                    cookies, WEBKIT_COOKIE_PERSISTENT_STORAGE_SQLITE);
    }
  else
    self->session = webkit_network_session_new_ephemeral ();

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
  webkit_network_session_set_proxy_settings (self->session, WEBKIT_NETWORK_PROXY_MODE_CUSTOM, settings);
  return proxy;
}

WebKitWebView *
jsw_engine_create_view (JswEngine *self)
{
  WebKitWebView *view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                      "network-session", self->session,
                                      "user-content-manager", self->content,
                                      NULL);
  WebKitSettings *settings = webkit_web_view_get_settings (view);

  webkit_settings_set_enable_developer_extras (settings, self->mode == JSW_ENGINE_MODE_DESKTOP);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  return g_object_ref_sink (view);
}
