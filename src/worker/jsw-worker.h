/* jsw-worker.h: the server-side worker: claims server entries and applies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  const char         *server_url;      /* http(s)://host:port of jobswipe-server */
  const char         *token;           /* a worker token */
  const char         *device;          /* the name in hello, for the server's log */
  guint               concurrency;     /* applications at once, >= 1 */
  const char * const *proxies;         /* NULL: direct */
  guint               timeout_s;       /* per application */
  const char         *screenshot_dir;  /* NULL: pictures hashed, not kept */
  gboolean            allow_private;   /* let runs reach loopback and private addresses */
  const char * const *allowed_targets; /* "ADDRESS:PORT" let through although not public; NULL: none */
} JswWorkerConfig;

#define JSW_TYPE_WORKER (jsw_worker_get_type ())

G_DECLARE_FINAL_TYPE (JswWorker, jsw_worker, JSW, WORKER, GObject)

JswWorker *jsw_worker_new    (const JswWorkerConfig  *config,
                              GError                **error);
void       jsw_worker_start  (JswWorker              *self);
void       jsw_worker_drain  (JswWorker              *self);

G_END_DECLS
