/* jsw-worker-run.h: one application on the server side, from a claimed
 * lease to its result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-common.h"
#include "jsw-queue-client.h"
#include "jsw-target-guard.h"

G_BEGIN_DECLS

/* How a run ended, for the worker's counts and logs. */
typedef enum {
  JSW_WORKER_RUN_REPORTED,   /* a result was sent */
  JSW_WORKER_RUN_RELEASED,   /* given back untouched (or needs_review past submitting) */
  JSW_WORKER_RUN_LOST,       /* the lease was gone; nothing to send */
} JswWorkerRunEnd;

typedef struct {
  SoupSession    *soup;
  const char     *server_url;
  const char     *token;
  guint           timeout_s;
  const char     *screenshot_dir;   /* NULL: the picture is hashed, not kept */
} JswWorkerRunConfig;

#define JSW_TYPE_WORKER_RUN (jsw_worker_run_get_type ())

G_DECLARE_FINAL_TYPE (JswWorkerRun, jsw_worker_run, JSW, WORKER_RUN, GObject)

JswWorkerRun    *jsw_worker_run_new            (const JswWorkerRunConfig *config,
                                                JswQueueClient           *client,
                                                JswEntry                 *entry,
                                                const char               *lease,
                                                JswTargetGuard           *guard);
const char      *jsw_worker_run_get_entry_id   (JswWorkerRun             *self);
JswTargetGuard  *jsw_worker_run_get_guard      (JswWorkerRun             *self);
JswStep          jsw_worker_run_get_step       (JswWorkerRun             *self);
void             jsw_worker_run_start          (JswWorkerRun             *self,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
void             jsw_worker_run_stop           (JswWorkerRun             *self,
                                                const char               *reason);
JswWorkerRunEnd  jsw_worker_run_finish         (JswWorkerRun             *self,
                                                GAsyncResult             *result);

G_END_DECLS
