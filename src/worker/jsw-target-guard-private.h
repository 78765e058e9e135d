/* jsw-target-guard-private.h: what the guard's parts share
 *
 *   jsw-target-guard.c          the object, serving each connection, connecting (directly or upstream)
 *   jsw-target-guard-address.c  address classification, the operator's --allow-target list
 *   jsw-target-guard-resolve.c  resolving a host and refusing it, the refusals kept, the runs' host check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-target-guard.h"

G_BEGIN_DECLS

struct _JswTargetGuard
{
  GObject                 parent_instance;

  GSocketService         *service;
  GMainContext           *main_context;
  char                   *url;
  char                   *upstream;       /* NULL: direct */
  GUri                   *upstream_uri;
  gboolean                allow_private;
  GPtrArray              *allowed;        /* "address port" the operator let through */
  GMutex                  refusals_lock;
  GHashTable             *refusals;       /* host -> the address it was refused for */
};

/* jsw-target-guard-address.c */
gboolean  jsw_target_guard_is_allowed      (JswTargetGuard  *self,
                                            GInetAddress    *address,
                                            guint16          port);
char     *jsw_target_guard_parse_allowed   (const char      *text,
                                            GError         **error);

/* jsw-target-guard-resolve.c */
GList    *jsw_target_guard_resolve_checked (JswTargetGuard  *self,
                                            const char      *host,
                                            guint16          port,
                                            char           **refused,
                                            GError         **error);

G_END_DECLS
