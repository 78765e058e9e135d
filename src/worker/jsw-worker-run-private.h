/* jsw-worker-run-private.h: what the parts of one server-side run share
 *
 * A JswWorkerRun is one object split by concern:
 *
 *   jsw-worker-run.c         the object, private targets, opening the posting in the engine
 *   jsw-worker-run-lease.c   the lease: fetching the profile and resume under it, progress
 *                            (`submitting` on record first), release, result, ending
 *   jsw-worker-run-result.c  the engine's result: the last page's picture and its SHA-256
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-apply-run.h"
#include "jsw-engine.h"
#include "jsw-worker-run.h"

G_BEGIN_DECLS

struct _JswWorkerRun
{
  GObject           parent_instance;

  SoupSession      *soup;
  char             *server_url;
  char             *token;
  guint             timeout_s;
  char             *screenshot_dir;
  JswQueueClient   *client;
  JswEntry         *entry;
  char             *lease;
  JswTargetGuard   *guard;

  GTask            *task;
  GCancellable     *cancellable;
  char             *stop_reason;
  char             *refusal;        /* the error a refused main document ends the run with */
  gint64            started;
  JswStep           step;
  JswProfile       *profile;
  char             *work_dir;
  char             *resume_path;
  JswEngine        *engine;
  WebKitWebView    *view;
  GtkWidget        *window;
  JswApplyRun      *apply;
  JswApplyResult   *result;
};

/* jsw-worker-run.c */
void      jsw_worker_run_start_applying  (JswWorkerRun *self);

/* jsw-worker-run-lease.c */
void      jsw_worker_run_fetch_profile   (JswWorkerRun *self);
gboolean  jsw_worker_run_on_ready_to_send (JswApplyRun *apply,
                                          int           percent,
                                          const char   *message,
                                          JswWorkerRun *self);
void      jsw_worker_run_on_progress     (JswApplyRun  *apply,
                                          int           percent,
                                          const char   *step_name,
                                          const char   *message,
                                          JswWorkerRun *self);
void      jsw_worker_run_release         (JswWorkerRun *self,
                                          const char   *why);
void      jsw_worker_run_report          (JswWorkerRun *self,
                                          JswOutcome    outcome,
                                          const char   *confirmation,
                                          const char   *error_text,
                                          const char   *screenshot_sha256);
void      jsw_worker_run_close_browser   (JswWorkerRun *self);
void      jsw_worker_run_remove_work_dir (JswWorkerRun *self);

/* jsw-worker-run-result.c */
void      jsw_worker_run_applied         (GObject      *source,
                                          GAsyncResult *res,
                                          gpointer      user_data);

G_END_DECLS
