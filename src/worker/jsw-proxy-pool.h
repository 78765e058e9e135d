/* jsw-proxy-pool.h: the worker's way out: its proxies, in turn, each behind
 * a target guard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-target-guard.h"

G_BEGIN_DECLS

#define JSW_TYPE_PROXY_POOL (jsw_proxy_pool_get_type ())

G_DECLARE_FINAL_TYPE (JswProxyPool, jsw_proxy_pool, JSW, PROXY_POOL, GObject)

JswProxyPool   *jsw_proxy_pool_new          (const char * const  *proxies,
                                             gboolean             allow_private,
                                             const char * const  *allowed,
                                             GError             **error);
GPtrArray      *jsw_proxy_pool_read_list    (const char          *path,
                                             GError             **error);
JswTargetGuard *jsw_proxy_pool_take         (JswProxyPool        *self);
void            jsw_proxy_pool_retire       (JswProxyPool        *self,
                                             JswTargetGuard      *guard,
                                             guint                seconds);
guint           jsw_proxy_pool_get_size     (JswProxyPool        *self);
JswTargetGuard *jsw_proxy_pool_get_guard    (JswProxyPool        *self,
                                             guint                i);

G_END_DECLS
