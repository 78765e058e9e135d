/* jsw-apply-run.h: one application, driven through a web view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "jsw-blocker.h"
#include "jsw-common.h"

G_BEGIN_DECLS

typedef struct {
  JswOutcome  outcome;
  gboolean    submitted;       /* FALSE for a run with submitting turned off */
  char       *ats;
  GPtrArray  *filled;          /* char*: what was filled in */
  GPtrArray  *missing;         /* char*: the questions a person must answer, in words */
  GPtrArray  *blockers;        /* JswBlocker*: the same, as codes with their data */
  JsonArray  *values;          /* {"label", "value"}: what the form holds where it was filled */
  char       *confirmation;
  char       *error;
  JswStep     last_step;       /* the furthest step reached */
} JswApplyResult;

void jsw_apply_result_free (JswApplyResult *result);

/* A run that ended without an outcome of its own: nothing was sent. */
#define JSW_APPLY_RUN_ERROR (jsw_apply_run_error_quark ())

typedef enum {
  JSW_APPLY_RUN_ERROR_NOT_SENT,  /* the caller withheld the send button: jsw_apply_run_withhold() */
} JswApplyRunError;

GQuark jsw_apply_run_error_quark (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswApplyResult, jsw_apply_result_free)

#define JSW_TYPE_APPLY_RUN (jsw_apply_run_get_type ())

G_DECLARE_FINAL_TYPE (JswApplyRun, jsw_apply_run, JSW, APPLY_RUN, GObject)

JswApplyRun    *jsw_apply_run_new          (WebKitWebView        *view,
                                            JswProfile           *profile,
                                            const char           *url);
void            jsw_apply_run_set_submit   (JswApplyRun          *self,
                                            gboolean              submit);
void            jsw_apply_run_add_answers  (JswApplyRun          *self,
                                            GHashTable           *answers);
void            jsw_apply_run_set_on_page  (JswApplyRun          *self,
                                            gboolean              on_page);
void            jsw_apply_run_set_timeout  (JswApplyRun          *self,
                                            guint                 seconds);
void            jsw_apply_run_set_linkedin_auto_send (JswApplyRun *self,
                                                      gboolean     automatic);
void            jsw_apply_run_set_resume   (JswApplyRun          *self,
                                            const char           *path);
void            jsw_apply_run_start        (JswApplyRun          *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
void            jsw_apply_run_send_reviewed (JswApplyRun         *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
void            jsw_apply_run_allow_send   (JswApplyRun          *self);
void            jsw_apply_run_withhold     (JswApplyRun          *self,
                                            const char           *why);
JswApplyResult *jsw_apply_run_finish       (JswApplyRun          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
