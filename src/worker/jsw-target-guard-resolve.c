/* jsw-target-guard-resolve.c: resolving a host as the guard does, and the refusals it keeps
 *
 * A host is resolved once, in the connection's thread, and refused when
 * any of its addresses is not let through; the refusal is kept for the
 * runs, which see a refused https request only as a failed load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-linkedin-host.h"
#include "jsw-target-guard-private.h"

/* Kept for the runs, which see an https request refused only as a failed
 * load: WebKit shows nothing of the guard's answer to a CONNECT. A name
 * resolves the same for every run, so whichever run asks about a host may
 * be told. Bounded: a page cannot make it grow without end. */
#define MAX_REFUSALS 256

static void
remember_refusal (JswTargetGuard *self,
                  const char     *host,
                  const char     *address)
{
  g_mutex_lock (&self->refusals_lock);
  if (g_hash_table_size (self->refusals) >= MAX_REFUSALS)
    g_hash_table_remove_all (self->refusals);
  g_hash_table_replace (self->refusals, g_ascii_strdown (host, -1), g_strdup (address));
  g_mutex_unlock (&self->refusals_lock);
}

/**
 * jsw_target_guard_lookup_refusal:
 * @host: a URL's host
 *
 * Returns: (transfer full) (nullable): the non-public address the guard
 *   refused a request to @host for, or NULL when it refused none
 */
char *
jsw_target_guard_lookup_refusal (JswTargetGuard *self,
                                 const char     *host)
{
  g_autofree char *key = g_ascii_strdown (host, -1);
  char *address;

  /* A URL's host is bracketed when it is an IPv6 address; the guard saw it
   * without the brackets. */
  if (key[0] == '[' && g_str_has_suffix (key, "]"))
    {
      char *bare = g_strndup (key + 1, strlen (key) - 2);

      g_free (key);
      key = bare;
    }
  g_mutex_lock (&self->refusals_lock);
  address = g_strdup (g_hash_table_lookup (self->refusals, key));
  g_mutex_unlock (&self->refusals_lock);
  return address;
}

/* Every address @host resolves to; NULL with @error when any of them is
 * not public (and neither private targets nor that address and @port are
 * allowed), *refused then naming that address. A LinkedIn host is refused
 * before it is resolved, whatever is allowed, *refused then
 * JSW_TARGET_REFUSED_LINKEDIN: LinkedIn's User Agreement forbids automated
 * access, so the worker never opens it, not even through a redirect
 * (issue 16). */
GList *
jsw_target_guard_resolve_checked (JswTargetGuard  *self,
                                  const char      *host,
                                  guint16          port,
                                  char           **refused,
                                  GError         **error)
{
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);
  GList *addresses;

  if (jsw_linkedin_host_is_linkedin (host))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s is LinkedIn, which the worker never opens", host);
      remember_refusal (self, host, JSW_TARGET_REFUSED_LINKEDIN);
      *refused = g_strdup (JSW_TARGET_REFUSED_LINKEDIN);
      return NULL;
    }
  if (literal != NULL)
    addresses = g_list_prepend (NULL, g_steal_pointer (&literal));
  else
    {
      addresses = g_resolver_lookup_by_name (g_resolver_get_default (), host, NULL, error);
      if (addresses == NULL)
        return NULL;
    }
  if (self->allow_private)
    return addresses;
  for (GList *l = addresses; l != NULL; l = l->next)
    if (!jsw_address_is_public (l->data) && !jsw_target_guard_is_allowed (self, l->data, port))
      {
        g_autofree char *text = g_inet_address_to_string (l->data);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     "%s resolves to %s, which is not a public address", host, text);
        remember_refusal (self, host, text);
        *refused = g_steal_pointer (&text);
        g_resolver_free_addresses (addresses);
        return NULL;
      }
  return addresses;
}

typedef struct {
  char    *host;
  guint16  port;
} HostCheck;

static void
host_check_free (HostCheck *check)
{
  g_free (check->host);
  g_free (check);
}

static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HostCheck *check = task_data;
  g_autoptr(GError) error = NULL;
  char *refused = NULL;
  GList *addresses = jsw_target_guard_resolve_checked (source, check->host, check->port, &refused, &error);

  g_resolver_free_addresses (addresses);
  g_task_return_pointer (task, refused, g_free);
}

/**
 * jsw_target_guard_check_host_async:
 * @host: a URL's host: a name, or an address in any form the resolver
 *   takes (`127.1`, `2130706433`, `::ffff:127.0.0.1`)
 * @port: the URL's port (its scheme's when it names none)
 *
 * Resolves @host as the guard would for a request and says whether the
 * guard would refuse it; a name that does not resolve is not refused here
 * (the request then fails on its own).
 */
void
jsw_target_guard_check_host_async (JswTargetGuard      *self,
                                   const char          *host,
                                   guint16              port,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  HostCheck *check = g_new0 (HostCheck, 1);

  check->host = g_strdup (host);
  check->port = port;
  g_task_set_task_data (task, check, (GDestroyNotify) host_check_free);
  g_task_run_in_thread (task, check_in_thread);
}

/* Returns: (transfer full) (nullable): the non-public address @host
 *   resolved to, or NULL when the guard lets it through */
char *
jsw_target_guard_check_host_finish (JswTargetGuard *self,
                                    GAsyncResult   *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
