/* jsw-proxy-pool.c: the worker's proxies, in turn
 *
 * Without a --proxy-list there is one way out, direct (still through a
 * guard, which refuses private targets). With one, each proxy gets its own
 * guard, and each application is given one guard for all of its requests
 * (sticky: a site sees one address per application), the next one in turn
 * (rotation spreads applications over the list). A proxy that could not be
 * used is retired for a while and skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-proxy-pool.h"

struct _JswProxyPool
{
  GObject     parent_instance;

  GPtrArray  *guards;          /* JswTargetGuard* */
  GArray     *retired_until;   /* gint64 monotonic µs, one per guard; 0: in service */
  guint       next;
};

G_DEFINE_FINAL_TYPE (JswProxyPool, jsw_proxy_pool, G_TYPE_OBJECT)

static void
jsw_proxy_pool_finalize (GObject *object)
{
  JswProxyPool *self = (JswProxyPool *) object;

  g_ptr_array_unref (self->guards);
  g_array_unref (self->retired_until);
  G_OBJECT_CLASS (jsw_proxy_pool_parent_class)->finalize (object);
}

static void
jsw_proxy_pool_class_init (JswProxyPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_proxy_pool_finalize;
}

static void
jsw_proxy_pool_init (JswProxyPool *self)
{
  self->guards = g_ptr_array_new_with_free_func (g_object_unref);
  self->retired_until = g_array_new (FALSE, TRUE, sizeof (gint64));
}

/**
 * jsw_proxy_pool_new:
 * @proxies: (nullable): proxy URLs (http, https, socks5, with optional
 *   credentials); NULL or empty: direct
 * @allow_private: whether the guards let loopback, link-local and private
 *   targets through
 * @allowed: (nullable): "ADDRESS:PORT" targets the guards let through
 *   although not public (jsw_target_guard_new())
 *
 * Returns: the pool, or NULL with @error naming the first URL that is not a
 *   proxy URL
 */
JswProxyPool *
jsw_proxy_pool_new (const char * const  *proxies,
                    gboolean             allow_private,
                    const char * const  *allowed,
                    GError             **error)
{
  g_autoptr(JswProxyPool) self = g_object_new (JSW_TYPE_PROXY_POOL, NULL);
  guint n = proxies != NULL ? g_strv_length ((char **) proxies) : 0;

  for (guint i = 0; i < MAX (n, 1); i++)
    {
      JswTargetGuard *guard = jsw_target_guard_new (n > 0 ? proxies[i] : NULL, allow_private, allowed, error);

      if (guard == NULL)
        return NULL;
      g_ptr_array_add (self->guards, guard);
    }
  g_array_set_size (self->retired_until, self->guards->len);
  return g_steal_pointer (&self);
}

/**
 * jsw_proxy_pool_read_list:
 * @path: a --proxy-list file: one proxy URL a line; blank lines and lines
 *   starting with `#` are skipped
 *
 * Returns: (transfer full): the URLs, NULL-terminated (usable as a strv);
 *   NULL with @error when the file cannot be read or holds no proxy
 */
GPtrArray *
jsw_proxy_pool_read_list (const char  *path,
                          GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (urls, g_strdup (line));
    }
  if (urls->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s holds no proxy URL"), path);
      return NULL;
    }
  g_ptr_array_add (urls, NULL);
  return g_steal_pointer (&urls);
}

/* The next guard in turn that is in service, or NULL when every one is
 * retired. Returns: (transfer full) */
JswTargetGuard *
jsw_proxy_pool_take (JswProxyPool *self)
{
  gint64 now = g_get_monotonic_time ();

  for (guint tried = 0; tried < self->guards->len; tried++)
    {
      guint i = self->next++ % self->guards->len;

      if (g_array_index (self->retired_until, gint64, i) <= now)
        return g_object_ref (g_ptr_array_index (self->guards, i));
    }
  return NULL;
}

/* Takes @guard out of service for @seconds. */
void
jsw_proxy_pool_retire (JswProxyPool   *self,
                       JswTargetGuard *guard,
                       guint           seconds)
{
  guint i;

  if (g_ptr_array_find (self->guards, guard, &i))
    g_array_index (self->retired_until, gint64, i) = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
}

guint
jsw_proxy_pool_get_size (JswProxyPool *self)
{
  return self->guards->len;
}

/* Returns: (transfer none): the @i-th guard, in the list's order */
JswTargetGuard *
jsw_proxy_pool_get_guard (JswProxyPool *self,
                          guint         i)
{
  return g_ptr_array_index (self->guards, i);
}
