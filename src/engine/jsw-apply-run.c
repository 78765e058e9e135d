/* jsw-apply-run.c: the steps of one application
 *
 * opening -> detecting -> filling -> uploading -> answering -> reviewing
 * -> submitting -> confirming, each a call into the adapters' isolated
 * script world (resources/adapters/runtime.js and flow.js). Progress only
 * ever goes up. A posting page is not a form: detecting presses its Apply
 * button and detects again on what that opened. A wizard's Next leads back
 * to detecting for the next step, or, when the step stays where it was and
 * shows an error, ends the run. A run ends as soon as it knows its outcome:
 *
 *  - needs_user when anything only a person can do shows up (a required
 *    question without a saved answer, a captcha, a sign-in, an e-mailed
 *    code, an error the site shows). Nothing is submitted then.
 *  - submitted only once the confirmation page or message is seen.
 *  - unconfirmed when the send button was pressed and the page then went
 *    quiet with neither a confirmation nor an error: perhaps sent, so never
 *    "failed" (which a person may retry, applying twice).
 *  - failed otherwise, with the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-apply-run.h"
#include "jsw-engine.h"
#include "jsw-json.h"
#include "jsw-phone.h"

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
  GPtrArray      *loads_after_send;  /* WebKitWebResource started after the press, not finished */
  int             percent;
};

G_DEFINE_FINAL_TYPE (JswApplyRun, jsw_apply_run, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void detect (JswApplyRun *self);
static void forget_loads_after_send (JswApplyRun *self);
static void open_application (JswApplyRun *self,
                              const char  *label);
static void fill_profile (JswApplyRun *self);
static void review (JswApplyRun *self);

void
jsw_apply_result_free (JswApplyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->ats);
  g_clear_pointer (&result->filled, g_ptr_array_unref);
  g_clear_pointer (&result->missing, g_ptr_array_unref);
  g_free (result->confirmation);
  g_free (result->error);
  g_free (result);
}

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* Reporting */

static void
report (JswApplyRun *self,
        JswStep      step,
        int          percent,
        const char  *message)
{
  /* Percent never goes down within one attempt, even when a wizard loops
   * back from reviewing to filling for its next page. */
  self->percent = MAX (self->percent, percent);
  if (step > self->result->last_step)
    self->result->last_step = step;
  g_signal_emit (self, signals[PROGRESS], 0, self->percent, jsw_step_to_string (step), message);
}

static void
stop_waiting (JswApplyRun *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_signal_handler (&self->load_changed_id, self->view);
  g_clear_signal_handler (&self->load_failed_id, self->view);
  g_clear_signal_handler (&self->create_id, self->view);
  g_clear_signal_handler (&self->resource_load_id, self->view);
  forget_loads_after_send (self);
  g_clear_handle_id (&self->js_watchdog_id, g_source_remove);
  self->js_pending = NULL;
}

static void
finish (JswApplyRun *self,
        JswOutcome   outcome,
        const char  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;  /* already finished (a timeout raced the last step) */

  stop_waiting (self);
  self->result->outcome = outcome;
  if (error != NULL && self->result->error == NULL)
    self->result->error = g_strdup (error);
  g_task_return_pointer (task, g_steal_pointer (&self->result), (GDestroyNotify) jsw_apply_result_free);
}

static void
finish_needs_user (JswApplyRun *self,
                   GPtrArray   *missing)
{
  for (guint i = 0; missing != NULL && i < missing->len; i++)
    g_ptr_array_add (self->result->missing, g_strdup (g_ptr_array_index (missing, i)));
  finish (self, JSW_OUTCOME_NEEDS_USER, _("Someone has to answer or do what the form asks before it can be sent"));
}

static gboolean
is_running (JswApplyRun *self)
{
  return self->task != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (self->task));
}

/* Calls into the script world */

typedef struct {
  JswApplyRun *run;
  guint        serial;
} JsCall;

static void
js_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  JsCall *call = user_data;
  g_autoptr(JswApplyRun) self = call->run;
  guint serial = call->serial;
  JsCallback callback;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_free (call);
  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  /* A page the run itself left (it loaded another), or one that answered
   * too late, is not listened to any more. */
  if (!is_running (self) || serial != self->js_serial || self->js_pending == NULL)
    return;
  g_clear_handle_id (&self->js_watchdog_id, g_source_remove);
  callback = g_steal_pointer (&self->js_pending);

  if (value != NULL && jsc_value_is_object (value))
    {
      json = jsc_value_to_json (value, 0);
      root = json ? jsw_json_parse (json, -1, &error) : NULL;
    }
  if (error == NULL && (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)))
    g_set_error_literal (&error, JSW_ERROR, JSW_ERROR_INTERNAL, "The adapter returned no object");

  callback (self, error ? NULL : json_node_get_object (root), error);
}

/* A call into a page that is being replaced can go unanswered; the run
 * then goes on as if the page had said so (the callers poll again, or
 * fail), instead of waiting for its timeout. */
static gboolean
js_unanswered (gpointer user_data)
{
  JswApplyRun *self = user_data;
  JsCallback callback = g_steal_pointer (&self->js_pending);
  g_autoptr(GError) error = g_error_new_literal (JSW_ERROR, JSW_ERROR_INTERNAL, "The page did not answer");

  self->js_watchdog_id = 0;
  self->js_serial++;
  if (callback != NULL && is_running (self))
    callback (self, NULL, error);
  return G_SOURCE_REMOVE;
}

/* Calls @body in the adapters' script world; @callback gets its answer,
 * or an error when there is none within @answer_ms. One call at a time. */
static void
call_js_within (JswApplyRun *self,
                guint        answer_ms,
                const char  *body,
                GVariant    *arguments,
                JsCallback   callback)
{
  JsCall *call = g_new0 (JsCall, 1);

  call->run = g_object_ref (self);
  call->serial = ++self->js_serial;
  self->js_pending = callback;
  g_clear_handle_id (&self->js_watchdog_id, g_source_remove);
  self->js_watchdog_id = g_timeout_add (answer_ms, js_unanswered, self);
  webkit_web_view_call_async_javascript_function (self->view, body, -1, arguments,
                                                  JSW_ENGINE_SCRIPT_WORLD, "jobswipe:runtime",
                                                  g_task_get_cancellable (self->task), js_done, call);
}

/* Most steps answer at once; filling types into fields and waits for
 * typeaheads, and may take a while. */
#define JS_ANSWER_MS   5000
#define FILL_ANSWER_MS 20000

static void
call_js (JswApplyRun *self,
         const char  *body,
         GVariant    *arguments,
         JsCallback   callback)
{
  call_js_within (self, JS_ANSWER_MS, body, arguments, callback);
}

static GVariant *
arguments (const char *first_name,
           ...)
{
  GVariantBuilder builder;
  const char *name;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    g_variant_builder_add (&builder, "{sv}", name, g_variant_new_string (va_arg (args, const char *)));
  va_end (args);
  return g_variant_builder_end (&builder);
}

static GPtrArray *
string_list (JsonObject *object,
             const char *member)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array = json_object_get_array_member (object, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (list, g_strdup (json_node_get_string (node)));
    }
  return list;
}

static void
add_all (GPtrArray *to,
         GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    {
      const char *item = g_ptr_array_index (from, i);

      if (!g_ptr_array_find_with_equal_func (to, item, g_str_equal, NULL))
        g_ptr_array_add (to, g_strdup (item));
    }
}

/* Loading */

static void
on_load_failed_cb (WebKitWebView   *view,
                   WebKitLoadEvent  event,
                   const char      *uri,
                   GError          *error,
                   JswApplyRun     *self)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return;  /* superseded by another load, which reports itself */
  message = g_strdup_printf (_("Could not open %s: %s"), uri, error->message);
  finish (self, JSW_OUTCOME_FAILED, message);
}

static void
on_load_changed_cb (WebKitWebView   *view,
                    WebKitLoadEvent  event,
                    gpointer         user_data)
{
  JswApplyRun *self = JSW_APPLY_RUN (user_data);

  if (event != WEBKIT_LOAD_FINISHED)
    return;
  g_clear_signal_handler (&self->load_changed_id, self->view);
  g_clear_signal_handler (&self->load_failed_id, self->view);
  if (is_running (self) && self->after_load != NULL)
    self->after_load (self);
}

static void
load (JswApplyRun *self,
      const char  *uri,
      RunStep      then)
{
  /* What was under way on the page being left ends here. */
  self->js_serial++;
  self->js_pending = NULL;
  g_clear_handle_id (&self->js_watchdog_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_signal_handler (&self->load_changed_id, self->view);
  g_clear_signal_handler (&self->load_failed_id, self->view);
  self->after_load = then;
  self->load_changed_id = g_signal_connect (self->view, "load-changed", G_CALLBACK (on_load_changed_cb), self);
  self->load_failed_id = g_signal_connect (self->view, "load-failed", G_CALLBACK (on_load_failed_cb), self);
  webkit_web_view_load_uri (self->view, uri);
}

/* Polling: some answers come later than the page load (a client-rendered
 * form, the page after submitting) */

static gboolean
poll_again (gpointer user_data)
{
  JswApplyRun *self = user_data;

  self->poll_id = 0;
  if (is_running (self))
    self->poll_step (self);
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_poll_in (JswApplyRun *self,
                  guint        interval_ms,
                  RunStep      step)
{
  if (now_ms () >= self->poll_deadline)
    return FALSE;
  self->poll_step = step;
  self->poll_id = g_timeout_add (interval_ms, poll_again, self);
  return TRUE;
}

static gboolean
schedule_poll (JswApplyRun *self,
               RunStep      step)
{
  return schedule_poll_in (self, POLL_INTERVAL_MS, step);
}

/* A step's call into the page failed without the adapters saying why:
 * the page changed under it (it navigated, or was replaced, and the answer
 * was lost). Look at the page again, twice at most, rather than fail;
 * filling again skips what is already filled. Returns FALSE when the
 * failure is the adapters' own (an exception) or it happened too often. */
static gboolean
look_again (JswApplyRun  *self,
            const GError *error)
{
  if (g_error_matches (error, WEBKIT_JAVASCRIPT_ERROR, WEBKIT_JAVASCRIPT_ERROR_SCRIPT_FAILED) ||
      self->looks_again >= MAX_LOOKS_AGAIN)
    return FALSE;
  self->looks_again++;
  self->poll_deadline = now_ms () + FORM_WAIT_MS;
  return schedule_poll (self, detect);
}

/* confirming */

static void
on_load_after_send_finished_cb (WebKitWebResource *resource,
                                JswApplyRun       *self)
{
  g_signal_handlers_disconnect_by_func (resource, on_load_after_send_finished_cb, self);
  g_ptr_array_remove_fast (self->loads_after_send, resource);
}

/* Counts what the page asks of the network once its form was sent;
 * "finished" comes after "failed" too. */
static void
on_resource_load_started_cb (WebKitWebView     *view,
                             WebKitWebResource *resource,
                             WebKitURIRequest  *request,
                             JswApplyRun       *self)
{
  if (self->sent_at == 0)
    return;
  g_ptr_array_add (self->loads_after_send, g_object_ref (resource));
  g_signal_connect (resource, "finished", G_CALLBACK (on_load_after_send_finished_cb), self);
}

static void
forget_loads_after_send (JswApplyRun *self)
{
  for (guint i = 0; i < self->loads_after_send->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->loads_after_send, i),
                                          on_load_after_send_finished_cb, self);
  g_ptr_array_set_size (self->loads_after_send, 0);
}

static gboolean
awaiting_network (JswApplyRun *self)
{
  return self->loads_after_send->len > 0 && now_ms () - self->sent_at < NETWORK_WAIT_MS;
}

static void
outcome_seen (JswApplyRun  *self,
              JsonObject   *answer,
              const GError *error);

static void
check_outcome (JswApplyRun *self)
{
  call_js (self, "return JobSwipe.flow.afterSend();", NULL, outcome_seen);
}

static char *
joined (GPtrArray *items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < items->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (items, i));
  strv = g_strv_builder_end (builder);
  return g_strjoinv ("; ", strv);
}

/* The site showed what is wrong (after sending, or on a wizard step that
 * did not go on): the questions it marked, else its own words, go to the
 * person, who can see and fix them. Nothing was accepted. */
static void
finish_site_refused (JswApplyRun *self,
                     JsonObject  *answer,
                     gboolean     after_sending)
{
  g_autoptr(GPtrArray) errors = string_list (answer, "errors");
  g_autoptr(GPtrArray) fields = string_list (answer, "fields");
  g_autofree char *words = joined (errors->len > 0 ? errors : fields);

  add_all (self->result->missing, fields->len > 0 ? fields : errors);
  g_free (self->result->error);
  /* TRANSLATORS: %s is what the site said was wrong */
  self->result->error = after_sending ? g_strdup_printf (_("The site did not accept the application: %s"), words)
                                      : g_strdup_printf (_("The form did not go on to its next page: %s"), words);
  finish (self, JSW_OUTCOME_NEEDS_USER, NULL);
}

/* The send button was pressed and nothing came back: perhaps it was sent.
 * Saying "failed" would invite a retry, and a second application. */
static void
finish_unconfirmed (JswApplyRun *self)
{
  finish (self, JSW_OUTCOME_UNCONFIRMED,
          _("The application was sent, but the site showed neither a confirmation nor an error; "
            "check with the employer before applying again"));
}

static void
outcome_seen (JswApplyRun  *self,
              JsonObject   *answer,
              const GError *error)
{
  /* While the next page loads, the script world is not there yet: wait. */
  const char *state = answer ? json_object_get_string_member_with_default (answer, "state", "pending") : "pending";
  gint64 quiet_ms = answer ? json_object_get_int_member_with_default (answer, "quiet_ms", 0) : 0;

  if (g_str_equal (state, "confirmed"))
    {
      self->result->confirmation = g_strdup (json_object_get_string_member_with_default (answer, "text", ""));
      self->result->submitted = TRUE;
      report (self, JSW_STEP_CONFIRMING, 100, self->result->confirmation);
      finish (self, JSW_OUTCOME_SUBMITTED, NULL);
      return;
    }

  if (g_str_equal (state, "errors") || g_str_equal (state, "blocked"))
    {
      finish_site_refused (self, answer, TRUE);
      return;
    }

  if (quiet_ms >= QUIET_MS && now_ms () - self->sent_at >= MIN_CONFIRM_WAIT_MS &&
      !webkit_web_view_is_loading (self->view) && !awaiting_network (self))
    {
      finish_unconfirmed (self);
      return;
    }
  schedule_poll_in (self, WATCH_INTERVAL_MS, check_outcome);
}

/* submitting */

static void
submitted (JswApplyRun  *self,
           JsonObject   *answer,
           const GError *error)
{
  if (error != NULL || !json_object_get_boolean_member_with_default (answer, "clicked", FALSE))
    {
      finish (self, JSW_OUTCOME_FAILED, _("The form has no button to send it"));
      return;
    }
  report (self, JSW_STEP_CONFIRMING, 92, _("Waiting for the confirmation"));
  self->poll_deadline = G_MAXINT64;  /* bounded by the page going quiet, and the run's timeout */
  schedule_poll_in (self, WATCH_INTERVAL_MS, check_outcome);
}

/* Only ever for the send button of a form that was filled in: a posting's
 * Apply button is pressed while detecting. */
static void
submit (JswApplyRun *self)
{
  report (self, JSW_STEP_SUBMITTING, 85, _("Sending the application"));
  /* Before the press, so that the requests it starts are seen, and a run
   * that ends from here on without an answer is never "failed". */
  self->sent_at = now_ms ();
  call_js (self, "return JobSwipe.flow.send();", NULL, submitted);
}

/* reviewing: a wizard's next step */

static void next_page_seen (JswApplyRun  *self,
                            JsonObject   *answer,
                            const GError *error);

static void
check_next_page (JswApplyRun *self)
{
  call_js (self, "return JobSwipe.flow.afterNext();", NULL, next_page_seen);
}

static void
next_page_seen (JswApplyRun  *self,
                JsonObject   *answer,
                const GError *error)
{
  /* No answer: the next page is loading, and its script world is not
   * there yet. */
  const char *state = answer ? json_object_get_string_member_with_default (answer, "state", "same") : "same";

  if (g_str_equal (state, "advanced"))
    {
      /* Detect again: the next step may be a wall (sign up, sign in) or in
       * a frame; give it a moment to finish rendering. */
      self->poll_deadline = now_ms () + FORM_WAIT_MS;
      schedule_poll_in (self, WATCH_INTERVAL_MS, detect);
      return;
    }
  if (g_str_equal (state, "errors"))
    {
      finish_site_refused (self, answer, FALSE);
      return;
    }
  if (!schedule_poll_in (self, WATCH_INTERVAL_MS, check_next_page))
    finish (self, JSW_OUTCOME_FAILED, _("Pressing Next did not open the next page of the form"));
}

static void
next_page_clicked (JswApplyRun  *self,
                   JsonObject   *answer,
                   const GError *error)
{
  if (error != NULL || !json_object_get_boolean_member_with_default (answer, "clicked", FALSE))
    {
      finish (self, JSW_OUTCOME_FAILED, _("Could not go on to the next page of the form"));
      return;
    }
  self->poll_deadline = now_ms () + NEXT_WAIT_MS;
  schedule_poll_in (self, WATCH_INTERVAL_MS, check_next_page);
}

/* reviewing */

static void
reviewed (JswApplyRun  *self,
          JsonObject   *answer,
          const GError *error)
{
  g_autoptr(GPtrArray) missing = NULL;

  if (error != NULL)
    {
      if (!look_again (self, error))
        finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }

  missing = string_list (answer, "missing");
  if (missing->len > 0)
    {
      finish_needs_user (self, missing);
      return;
    }

  if (json_object_get_boolean_member_with_default (answer, "has_next", FALSE))
    {
      if (++self->wizard_pages > MAX_WIZARD_PAGES)
        {
          finish (self, JSW_OUTCOME_FAILED, _("The form has too many pages"));
          return;
        }
      call_js (self, "return JobSwipe.flow.next();", NULL, next_page_clicked);
      return;
    }

  if (!self->submit)
    {
      report (self, JSW_STEP_REVIEWING, 80, _("Filled in; not sent, as asked"));
      finish (self, JSW_OUTCOME_SUBMITTED, NULL);
      return;
    }

  if (!json_object_get_boolean_member_with_default (answer, "has_submit", FALSE))
    {
      finish (self, JSW_OUTCOME_FAILED, _("The form has no button to send it"));
      return;
    }
  /* A page with nothing filled in and no application form on it (a
   * posting whose form never came) has nothing to send: its only button
   * is no send button. */
  if (self->result->filled->len == 0 && !json_object_get_boolean_member_with_default (answer, "application", TRUE))
    {
      finish (self, JSW_OUTCOME_FAILED, _("No application form was found on the page"));
      return;
    }
  submit (self);
}

static void
review (JswApplyRun *self)
{
  report (self, JSW_STEP_REVIEWING, 75, _("Checking the form before sending it"));
  call_js (self, "return JobSwipe.flow.review();", NULL, reviewed);
}

/* answering */

/* What both fill phases report: what was filled, and what only a person can
 * answer. Returns TRUE when the run goes on. */
static gboolean
take_fill_answer (JswApplyRun  *self,
                  JsonObject   *answer,
                  const GError *error)
{
  g_autoptr(GPtrArray) filled = NULL;
  g_autoptr(GPtrArray) missing = NULL;

  if (error != NULL)
    {
      if (!look_again (self, error))
        finish (self, JSW_OUTCOME_FAILED, error->message);
      return FALSE;
    }
  filled = string_list (answer, "filled");
  missing = string_list (answer, "missing");
  add_all (self->result->filled, filled);
  if (missing->len > 0)
    {
      finish_needs_user (self, missing);
      return FALSE;
    }
  return TRUE;
}

/* phase "profile": the profile's own fields; "questions": saved answers
 * and EEO. */
static void
call_fill (JswApplyRun *self,
           const char  *phase,
           JsCallback   callback)
{
  call_js_within (self, FILL_ANSWER_MS, "return await JobSwipe.fill(profile, phase);",
           arguments ("profile", self->form_profile, "phase", phase, NULL), callback);
}

static void
answered (JswApplyRun  *self,
          JsonObject   *answer,
          const GError *error)
{
  if (take_fill_answer (self, answer, error))
    review (self);
}

static void
answer_questions (JswApplyRun *self)
{
  report (self, JSW_STEP_ANSWERING, 60, _("Answering the questions"));
  call_fill (self, "questions", answered);
}

/* uploading */

static void
resume_attached (JswApplyRun  *self,
                 JsonObject   *answer,
                 const GError *error)
{
  if (error != NULL)
    {
      if (!look_again (self, error))
        finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }

  if (json_object_get_boolean_member_with_default (answer, "attached", FALSE))
    g_ptr_array_add (self->result->filled, g_strdup ("resume"));
  else if (json_object_get_boolean_member_with_default (answer, "required", FALSE))
    {
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();

      g_ptr_array_add (missing, (gpointer) json_object_get_string_member_with_default (answer, "label", "Resume"));
      finish_needs_user (self, missing);
      return;
    }
  answer_questions (self);
}

static gboolean
read_resume (JswApplyRun  *self,
             char        **name,
             char        **type,
             char        **data,
             GError      **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  gsize length;

  if (!g_file_get_contents (self->resume_path, &contents, &length, error))
    return FALSE;
  if (length > MAX_RESUME_SIZE)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The resume is larger than 20 MiB"));
      return FALSE;
    }
  content_type = g_content_type_guess (self->resume_path, (const guchar *) contents, length, NULL);
  *name = g_path_get_basename (self->resume_path);
  *type = g_content_type_get_mime_type (content_type);
  if (*type == NULL)
    *type = g_strdup ("application/octet-stream");
  *data = g_base64_encode ((const guchar *) contents, length);
  return TRUE;
}

static void
upload (JswApplyRun *self)
{
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;

  report (self, JSW_STEP_UPLOADING, 45, _("Attaching the resume"));
  if (self->resume_path != NULL && !read_resume (self, &name, &type, &data, &error))
    {
      finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }
  /* With no resume the call still asks whether the form requires one. */
  call_js (self, "return JobSwipe.attachResume(name, type, data);",
           arguments ("name", name ? name : "", "type", type ? type : "", "data", data ? data : "", NULL),
           resume_attached);
}

/* filling */

static void
profile_filled (JswApplyRun  *self,
                JsonObject   *answer,
                const GError *error)
{
  if (take_fill_answer (self, answer, error))
    upload (self);
}

static void
fill_profile (JswApplyRun *self)
{
  report (self, JSW_STEP_FILLING, 30, _("Filling in your details"));
  call_fill (self, "profile", profile_filled);
}

/* detecting */

static void
detected (JswApplyRun  *self,
          JsonObject   *answer,
          const GError *error)
{
  g_autoptr(GPtrArray) blockers = NULL;
  const char *frame_url;

  if (error != NULL)
    {
      /* The script world may not be there yet on a page that is still
       * settling; try again until the form should have shown up. */
      if (!schedule_poll (self, detect))
        finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }

  g_free (self->result->ats);
  self->result->ats = g_strdup (json_object_get_string_member_with_default (answer, "ats", "generic"));

  blockers = string_list (answer, "blockers");
  if (blockers->len > 0)
    {
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();

      for (guint i = 0; i < blockers->len; i++)
        {
          const char *blocker = g_ptr_array_index (blockers, i);

          g_ptr_array_add (missing, g_str_equal (blocker, "captcha") ? _("A captcha has to be solved by a person")
                                    : g_str_equal (blocker, "login") ? _("The site asks to sign in")
                                    : _("The site sent a code by e-mail that has to be typed in"));
        }
      finish_needs_user (self, missing);
      return;
    }

  frame_url = json_object_get_string_member_with_default (answer, "frame_url", NULL);
  if (frame_url != NULL && !self->followed_frame)
    {
      /* The form lives in a frame (a company page embedding its
       * application system): open the frame itself, where the adapters
       * can reach the form. */
      self->followed_frame = TRUE;
      load (self, frame_url, detect);
      return;
    }

  if (!json_object_get_boolean_member_with_default (answer, "application", TRUE) &&
      json_object_get_boolean_member_with_default (answer, "apply_button", FALSE) &&
      self->apply_presses < MAX_APPLY_PRESSES)
    {
      open_application (self, json_object_get_string_member_with_default (answer, "apply_label", ""));
      return;
    }

  /* A client-rendered form shows up a little later; a wizard's review step
   * asks nothing, and is ready once its buttons are there. */
  if (!json_object_get_boolean_member_with_default (answer, "form_ready", TRUE) &&
      !(self->wizard_pages > 0 && json_object_get_boolean_member_with_default (answer, "step_ready", FALSE)) &&
      schedule_poll (self, detect))
    return;

  fill_profile (self);
}

static void
detect (JswApplyRun *self)
{
  report (self, JSW_STEP_DETECTING, 15, _("Looking at the application form"));
  call_js (self, "return Object.assign(JobSwipe.detect(), JobSwipe.flow.posting());", NULL, detected);
}

static void
page_opened (JswApplyRun *self)
{
  self->poll_deadline = now_ms () + FORM_WAIT_MS;
  detect (self);
}

/* detecting: a posting page, whose Apply button opens the form */

static void
application_opened (JswApplyRun  *self,
                    JsonObject   *answer,
                    const GError *error)
{
  const char *href = answer ? json_object_get_string_member_with_default (answer, "href", NULL) : NULL;

  /* A link is opened here, whatever its target (a new tab): the run
   * stays in its one view. A button shows the form in place, opens
   * another page, or a popup (on_create_cb), or a frame: detect again. */
  if (href != NULL)
    {
      load (self, href, page_opened);
      return;
    }
  self->poll_deadline = now_ms () + FORM_WAIT_MS;
  schedule_poll (self, detect);
}

static void
open_application (JswApplyRun *self,
                  const char  *label)
{
  g_autofree char *message = g_strdup_printf (_("Opening the application form (“%s”)"), label);

  self->apply_presses++;
  report (self, JSW_STEP_DETECTING, 15, message);
  call_js (self, "return JobSwipe.flow.openApplication();", NULL, application_opened);
}

/* A page asks for a new window. Only what a posting's Apply button opens
 * is followed, in this same view; nothing else opens anything. */
static GtkWidget *
on_create_cb (WebKitWebView          *view,
              WebKitNavigationAction *action,
              gpointer                user_data)
{
  JswApplyRun *self = JSW_APPLY_RUN (user_data);
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (is_running (self) && self->apply_presses > 0 && self->sent_at == 0 && uri != NULL &&
      (g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://")))
    load (self, uri, page_opened);
  return NULL;
}

/* Cancelled from outside (the person pressed Stop, the app quits): stop
 * loading and end the run with G_IO_ERROR_CANCELLED, in an idle so the
 * cancellable's handler never re-enters the run. */
static gboolean
end_cancelled (gpointer user_data)
{
  g_autoptr(JswApplyRun) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return G_SOURCE_REMOVE;
  stop_waiting (self);
  webkit_web_view_stop_loading (self->view);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The application was stopped"));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              JswApplyRun  *self)
{
  g_idle_add (end_cancelled, g_object_ref (self));
}

static gboolean
timed_out (gpointer user_data)
{
  JswApplyRun *self = user_data;
  g_autofree char *message = NULL;

  self->timeout_id = 0;
  /* Once the send button was pressed, the application may have gone. */
  if (self->sent_at != 0)
    {
      finish_unconfirmed (self);
      return G_SOURCE_REMOVE;
    }
  message = g_strdup_printf (_("The application did not finish within %u s"), self->timeout_s);
  finish (self, JSW_OUTCOME_FAILED, message);
  return G_SOURCE_REMOVE;
}

static void
begin_task (JswApplyRun         *self,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autofree char *ats = self->result ? g_strdup (self->result->ats) : NULL;

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_clear_pointer (&self->result, jsw_apply_result_free);
  self->result = g_new0 (JswApplyResult, 1);
  self->result->filled = g_ptr_array_new_with_free_func (g_free);
  self->result->missing = g_ptr_array_new_with_free_func (g_free);
  self->result->ats = ats ? g_steal_pointer (&ats) : g_strdup ("generic");
  self->result->last_step = JSW_STEP_NONE;

  if (self->timeout_s > 0)
    self->timeout_id = g_timeout_add_seconds (self->timeout_s, timed_out, self);
  self->create_id = g_signal_connect (self->view, "create", G_CALLBACK (on_create_cb), self);
  self->resource_load_id = g_signal_connect (self->view, "resource-load-started",
                                             G_CALLBACK (on_resource_load_started_cb), self);
  if (cancellable != NULL && self->cancellable == NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }
}

void
jsw_apply_run_start (JswApplyRun         *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (self->task == NULL);

  begin_task (self, cancellable, callback, user_data);
  self->percent = 0;
  self->apply_presses = 0;
  self->looks_again = 0;
  self->wizard_pages = 0;
  self->followed_frame = FALSE;
  self->sent_at = 0;
  report (self, JSW_STEP_OPENING, 5, self->url);
  load (self, self->url, page_opened);
}

/**
 * jsw_apply_run_send_reviewed:
 *
 * After a run that filled in the form without sending it (submitting
 * turned off, so that a person could look it over), sends it: from the
 * submitting step on, on the page as it is now, with whatever the person
 * changed. Progress goes on from where it stopped.
 */
void
jsw_apply_run_send_reviewed (JswApplyRun         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (self->task == NULL);

  begin_task (self, cancellable, callback, user_data);
  self->submit = TRUE;
  submit (self);
}

JswApplyResult *
jsw_apply_run_finish (JswApplyRun   *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
jsw_apply_run_set_submit (JswApplyRun *self,
                          gboolean     submit)
{
  self->submit = submit;
}

void
jsw_apply_run_set_timeout (JswApplyRun *self,
                           guint        seconds)
{
  self->timeout_s = seconds;
}

void
jsw_apply_run_set_resume (JswApplyRun *self,
                          const char  *path)
{
  g_free (self->resume_path);
  self->resume_path = g_strdup (path);
}

static void
jsw_apply_run_dispose (GObject *object)
{
  JswApplyRun *self = (JswApplyRun *) object;

  if (self->view != NULL)
    stop_waiting (self);
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->view);
  g_clear_pointer (&self->profile, jsw_profile_unref);

  G_OBJECT_CLASS (jsw_apply_run_parent_class)->dispose (object);
}

static void
jsw_apply_run_finalize (GObject *object)
{
  JswApplyRun *self = (JswApplyRun *) object;

  g_clear_pointer (&self->result, jsw_apply_result_free);
  g_clear_object (&self->task);
  g_free (self->url);
  g_free (self->form_profile);
  g_free (self->resume_path);
  g_ptr_array_unref (self->loads_after_send);

  G_OBJECT_CLASS (jsw_apply_run_parent_class)->finalize (object);
}

static void
jsw_apply_run_class_init (JswApplyRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_apply_run_dispose;
  object_class->finalize = jsw_apply_run_finalize;

  /**
   * JswApplyRun::progress:
   * @percent: 0 to 100, never lower than before
   * @step: the PROTOCOL.md step name
   * @message: what is happening, for a person
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
jsw_apply_run_init (JswApplyRun *self)
{
  self->submit = TRUE;
  self->timeout_s = 120;
  self->loads_after_send = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The profile as the adapters see it (jsw_profile_to_form_json()), plus
 * `phone_parts`: the telephone number parsed once, here, by libphonenumber
 * ({"country": "US", "calling_code": "1", "national": "4155550172",
 * "national_formatted": "(415) 555-0172", "e164": "+14155550172"}), so that
 * a country-code select and the national-number field beside it each get
 * their part. A number written without its +country code cannot be split
 * safely; it then has no parts and goes into forms as written. */
static char *
form_profile_json (JswProfile *profile)
{
  g_autofree char *text = jsw_profile_to_form_json (profile);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  const char *number = jsw_profile_get_string (profile, "phone");
  g_autoptr(JswPhone) phone = number ? jsw_phone_parse (number, NULL, NULL) : NULL;
  g_autofree char *calling_code = NULL;
  JsonObject *parts;

  if (phone == NULL)
    return g_steal_pointer (&text);

  parts = json_object_new ();
  json_object_set_string_member (parts, "country", phone->country);
  calling_code = g_strdup_printf ("%u", phone->calling_code);
  json_object_set_string_member (parts, "calling_code", calling_code);
  json_object_set_string_member (parts, "national", phone->national);
  json_object_set_string_member (parts, "national_formatted", phone->national_formatted);
  json_object_set_string_member (parts, "e164", phone->e164);
  json_object_set_object_member (json_node_get_object (root), "phone_parts", parts);
  return jsw_json_node_to_string (root);
}

JswApplyRun *
jsw_apply_run_new (WebKitWebView *view,
                   JswProfile    *profile,
                   const char    *url)
{
  JswApplyRun *self = g_object_new (JSW_TYPE_APPLY_RUN, NULL);

  self->view = g_object_ref (view);
  self->profile = jsw_profile_ref (profile);
  self->form_profile = form_profile_json (profile);
  self->url = g_strdup (url);
  self->resume_path = g_strdup (jsw_profile_get_resume_path (profile));
  return self;
}
