/* jsw-apply-run-private.h: what the parts of a run share: its state and
 * the steps' entry points (jsw-apply-run.c, -page.c, -form.c, -send.c),
 * as Epiphany's history service keeps its tables around one -private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-apply-run.h"

G_BEGIN_DECLS

/* How long a page may take to show its form (client-rendered boards), and
 * how long to wait for the confirmation after submitting, within the run's
 * own timeout. */
#define FORM_WAIT_MS          8000
#define POLL_INTERVAL_MS      250
/* Watching a page answer a press (Next, send) more closely: that is where
 * a wizard spends its time. */
#define WATCH_INTERVAL_MS     100
#define MAX_WIZARD_PAGES      12
#define MAX_RESUME_SIZE       (20 * 1024 * 1024)
/* A posting, then perhaps a "start your application" page: the Apply
 * buttons pressed to reach a form, at most. */
#define MAX_APPLY_PRESSES     3
/* Steps whose page changed under them are tried again from detecting. */
#define MAX_LOOKS_AGAIN       2
/* A page whose web process went away is opened again, from the start, at
 * most this often in one run. */
#define MAX_PAGE_RESTARTS     2
/* How long a wizard's step may take to show the next one after Next. */
#define NEXT_WAIT_MS          4000
/* After sending: a page that showed nothing new (address, text, network)
 * for this long, and at least this long after the press, has said all it
 * will. Loopback answers in milliseconds; real boards within about a
 * second. */
#define QUIET_MS              1500
#define MIN_CONFIRM_WAIT_MS   2000
/* A request the page started after sending (its fetch() of the form, an
 * upload) is waited for before the quiet page counts as an answer: the
 * isolated script world cannot see a request in flight, WebKit can. Up to
 * this long after the press; a request that never ends (a long poll) does
 * not hold the run beyond it. */
#define NETWORK_WAIT_MS       20000

/* The progress `submitting` is reported with. */
#define SUBMITTING_PERCENT    85

/* Most steps answer at once; filling types into fields and waits for
 * typeaheads, and may take a while. */
#define JS_ANSWER_MS   5000
#define FILL_ANSWER_MS 20000

typedef void (*RunStep) (JswApplyRun *self);
typedef void (*JsCallback) (JswApplyRun *self, JsonObject *answer, const GError *error);

struct _JswApplyRun
{
  GObject         parent_instance;

  WebKitWebView  *view;
  JswProfile     *profile;
  char           *form_profile;  /* what the adapters see: form_profile_json() */
  char           *url;
  char           *resume_path;
  gboolean        submit;
  gboolean        linkedin_auto_send;  /* LinkedIn: the person opted in, the server allowed it */
  gboolean        on_page;      /* start on the page the view shows */
  guint           timeout_s;

  GTask          *task;
  JswApplyResult *result;
  GCancellable   *cancellable;
  gulong          cancelled_id;
  RunStep         after_load;   /* what to do once the page loaded */
  RunStep         poll_step;    /* what the next poll runs */
  gulong          load_changed_id;
  gulong          load_failed_id;
  guint           timeout_id;
  guint           poll_id;
  gint64          poll_deadline;
  guint           wizard_pages;
  guint           apply_presses;
  guint           looks_again;
  gboolean        followed_frame;
  gint64          sent_at;      /* when the send button was pressed, else 0 */
  guint           js_serial;    /* the call into the page awaited; bumped by every load */
  JsCallback      js_pending;   /* what its answer goes to */
  guint           js_watchdog_id;
  gulong          create_id;
  gulong          resource_load_id;
  gulong          terminated_id;
  guint           page_restarts;
  gboolean        awaiting_send;  /* asked JswApplyRun::ready-to-send, not answered yet */
  gboolean        sending_reviewed;  /* jsw_apply_run_send_reviewed(): the person's page, not ours to fill again */
  GPtrArray      *loads_after_send;  /* WebKitWebResource started after the press, not finished */
  gint64          network_at;   /* when one of them last started or finished, else 0 */
  gint64          look_asked_at;  /* when the look at the page being answered was asked for */
  int             percent;
};

/* jsw-apply-run.c: the run itself */
gint64    _jsw_apply_now_ms                    (void);
void      _jsw_apply_report                    (JswApplyRun   *self,
                                                JswStep        step,
                                                int            percent,
                                                const char    *message);
void      _jsw_apply_stop_waiting              (JswApplyRun   *self);
void      _jsw_apply_finish                    (JswApplyRun   *self,
                                                JswOutcome     outcome,
                                                const char    *error);
void      _jsw_apply_add_blocker               (JswApplyRun   *self,
                                                JswBlocker    *blocker);
guint     _jsw_apply_take_blockers             (JswApplyRun   *self,
                                                JsonObject    *answer,
                                                const char    *member);
void      _jsw_apply_end_with_error            (JswApplyRun   *self,
                                                GQuark         domain,
                                                int            code,
                                                const char    *message);
void      _jsw_apply_finish_needs_user         (JswApplyRun   *self);
gboolean  _jsw_apply_ask_to_send               (JswApplyRun   *self,
                                                int            percent,
                                                const char    *message);
gboolean  _jsw_apply_is_running                (JswApplyRun   *self);

/* jsw-apply-run-page.c: calls into the script world, loading, polling */
void      _jsw_apply_call_js_within            (JswApplyRun   *self,
                                                guint          answer_ms,
                                                const char    *body,
                                                GVariant      *arguments,
                                                JsCallback     callback);
void      _jsw_apply_call_js                   (JswApplyRun   *self,
                                                const char    *body,
                                                GVariant      *arguments,
                                                JsCallback     callback);
GVariant *_jsw_apply_arguments                 (const char    *first_name,
                                                ...) G_GNUC_NULL_TERMINATED;
GPtrArray *_jsw_apply_string_list              (JsonObject    *object,
                                                const char    *member);
void      _jsw_apply_add_all                   (GPtrArray     *to,
                                                GPtrArray     *from);
void      _jsw_apply_load                      (JswApplyRun   *self,
                                                const char    *uri,
                                                RunStep        then);
gboolean  _jsw_apply_schedule_poll_in          (JswApplyRun   *self,
                                                guint          interval_ms,
                                                RunStep        step);
gboolean  _jsw_apply_schedule_poll             (JswApplyRun   *self,
                                                RunStep        step);
gboolean  _jsw_apply_step_failed               (JswApplyRun   *self,
                                                const GError  *error);
void      _jsw_apply_on_web_process_terminated_cb (WebKitWebView                     *view,
                                                   WebKitWebProcessTerminationReason  reason,
                                                   JswApplyRun                       *self);

/* jsw-apply-run-form.c: detecting, filling, uploading, answering, reviewing */
void      _jsw_apply_detect                    (JswApplyRun   *self);
void      _jsw_apply_page_opened               (JswApplyRun   *self);
GtkWidget *_jsw_apply_on_create_cb             (WebKitWebView *view,
                                                WebKitNavigationAction *action,
                                                gpointer       user_data);

/* jsw-apply-run-send.c: submitting and confirming */
void      _jsw_apply_submit                    (JswApplyRun   *self);
void      _jsw_apply_finish_site_refused       (JswApplyRun   *self,
                                                JsonObject    *answer,
                                                gboolean       after_sending);
void      _jsw_apply_finish_unconfirmed        (JswApplyRun   *self);
void      _jsw_apply_on_resource_load_started_cb (WebKitWebView     *view,
                                                  WebKitWebResource *resource,
                                                  WebKitURIRequest  *request,
                                                  JswApplyRun       *self);
void      _jsw_apply_forget_loads_after_send   (JswApplyRun   *self);

G_END_DECLS
