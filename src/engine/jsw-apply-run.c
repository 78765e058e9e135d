/* jsw-apply-run.c: one application: its task, its reporting, how it
 * starts and ends; the steps are in jsw-apply-run-{page,form,send}.c
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
 * Before the send button is pressed the run asks whoever drives it
 * (JswApplyRun::ready-to-send): the worker and the app first put
 * `submitting` on record at the server. A run told not to send ends with
 * JSW_APPLY_RUN_ERROR_NOT_SENT, its form unsent, and is never opened again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-apply-run-private.h"
#include "jsw-engine.h"
#include "jsw-json.h"
#include "jsw-phone.h"

G_DEFINE_FINAL_TYPE (JswApplyRun, jsw_apply_run, G_TYPE_OBJECT)

enum {
  PROGRESS,
  READY_TO_SEND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (jsw-apply-run-error-quark, jsw_apply_run_error)

void
jsw_apply_result_free (JswApplyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->ats);
  g_clear_pointer (&result->filled, g_ptr_array_unref);
  g_clear_pointer (&result->missing, g_ptr_array_unref);
  g_clear_pointer (&result->blockers, g_ptr_array_unref);
  g_clear_pointer (&result->values, json_array_unref);
  g_free (result->confirmation);
  g_free (result->error);
  g_free (result);
}

gint64
_jsw_apply_now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* Reporting */

void
_jsw_apply_report (JswApplyRun *self,
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

/* Emits JswApplyRun::ready-to-send: TRUE when a handler took the decision
 * (it may have made it already, in the emission). */
gboolean
_jsw_apply_ask_to_send (JswApplyRun *self,
                        int          percent,
                        const char  *message)
{
  gboolean deciding = FALSE;

  g_signal_emit (self, signals[READY_TO_SEND], 0, MAX (self->percent, percent), message, &deciding);
  return deciding;
}

void
_jsw_apply_stop_waiting (JswApplyRun *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_signal_handler (&self->load_changed_id, self->view);
  g_clear_signal_handler (&self->load_failed_id, self->view);
  g_clear_signal_handler (&self->create_id, self->view);
  g_clear_signal_handler (&self->resource_load_id, self->view);
  g_clear_signal_handler (&self->terminated_id, self->view);
  _jsw_apply_forget_loads_after_send (self);
  g_clear_handle_id (&self->js_watchdog_id, g_source_remove);
  self->js_pending = NULL;
  self->awaiting_send = FALSE;
}

void
_jsw_apply_finish (JswApplyRun *self,
                   JswOutcome   outcome,
                   const char  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;  /* already finished (a timeout raced the last step) */

  _jsw_apply_stop_waiting (self);
  self->result->outcome = outcome;
  if (error != NULL && self->result->error == NULL)
    self->result->error = g_strdup (error);
  g_task_return_pointer (task, g_steal_pointer (&self->result), (GDestroyNotify) jsw_apply_result_free);
}

/* Keeps @blocker (taking it), and its words among the questions. */
void
_jsw_apply_add_blocker (JswApplyRun *self,
                        JswBlocker  *blocker)
{
  g_autofree char *text = jsw_blocker_describe (blocker);

  if (!g_ptr_array_find_with_equal_func (self->result->missing, text, g_str_equal, NULL))
    g_ptr_array_add (self->result->missing, g_steal_pointer (&text));
  g_ptr_array_add (self->result->blockers, blocker);
}

/* The adapters' blockers in @answer's array @member ({"code", "label",
 * "kind", "options"}: resources/adapters/runtime.js askFor()). Returns
 * how many there were. */
guint
_jsw_apply_take_blockers (JswApplyRun *self,
                          JsonObject  *answer,
                          const char  *member)
{
  JsonArray *array = NULL;
  guint taken = 0;

  jsw_json_get_array (answer, member, 0, &array, NULL);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JswBlocker *blocker = JSON_NODE_HOLDS_OBJECT (node) ? jsw_blocker_from_json (json_node_get_object (node)) : NULL;

      if (blocker == NULL)
        continue;
      _jsw_apply_add_blocker (self, blocker);
      taken++;
    }
  return taken;
}

void
_jsw_apply_finish_needs_user (JswApplyRun *self)
{
  _jsw_apply_finish (self, JSW_OUTCOME_NEEDS_USER, _("Someone has to answer or do what the form asks before it can be sent"));
}

gboolean
_jsw_apply_is_running (JswApplyRun *self)
{
  return self->task != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (self->task));
}

/* Ends the run with no result: what it waited for is dropped and the page
 * stops loading (a run ended before its send button was pressed leaves
 * nothing under way). */
void
_jsw_apply_end_with_error (JswApplyRun *self,
                           GQuark       domain,
                           int          code,
                           const char  *message)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;
  _jsw_apply_stop_waiting (self);
  webkit_web_view_stop_loading (self->view);
  g_task_return_new_error (task, domain, code, "%s", message);
}

/* Cancelled from outside (the person pressed Stop, the app quits): stop
 * loading and end the run with G_IO_ERROR_CANCELLED, in an idle so the
 * cancellable's handler never re-enters the run. */
static gboolean
end_cancelled (gpointer user_data)
{
  g_autoptr(JswApplyRun) self = user_data;

  _jsw_apply_end_with_error (self, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The application was stopped"));
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
      _jsw_apply_finish_unconfirmed (self);
      return G_SOURCE_REMOVE;
    }
  message = g_strdup_printf (_("The application did not finish within %u s"), self->timeout_s);
  _jsw_apply_finish (self, JSW_OUTCOME_FAILED, message);
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
  self->result->blockers = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_blocker_free);
  self->result->values = json_array_new ();
  self->result->ats = ats ? g_steal_pointer (&ats) : g_strdup ("generic");
  self->result->last_step = JSW_STEP_NONE;

  if (self->timeout_s > 0)
    self->timeout_id = g_timeout_add_seconds (self->timeout_s, timed_out, self);
  self->create_id = g_signal_connect (self->view, "create", G_CALLBACK (_jsw_apply_on_create_cb), self);
  self->resource_load_id = g_signal_connect (self->view, "resource-load-started",
                                             G_CALLBACK (_jsw_apply_on_resource_load_started_cb), self);
  self->terminated_id = g_signal_connect (self->view, "web-process-terminated",
                                          G_CALLBACK (_jsw_apply_on_web_process_terminated_cb), self);
  self->page_restarts = 0;
  self->sending_reviewed = FALSE;
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
  _jsw_apply_report (self, JSW_STEP_OPENING, 5, self->url);
  /* The person got past a wall (a captcha, a sign-in, an e-mailed code)
   * on the page the view shows: the run goes on from there, unless that
   * page lost its web process while it waited (then it is opened again). */
  if (self->on_page && webkit_web_view_get_uri (self->view) != NULL && !jsw_engine_view_lost_page (self->view))
    _jsw_apply_page_opened (self);
  else
    _jsw_apply_load (self, self->url, _jsw_apply_page_opened);
}

/**
 * jsw_apply_run_add_answers:
 * @answers: question -> answer (strings)
 *
 * Answers for this run only, on top of the profile's saved answers (a
 * person answered and chose not to remember them). They are matched to
 * the form's questions as saved answers are.
 */
void
jsw_apply_run_add_answers (JswApplyRun *self,
                           GHashTable  *answers)
{
  g_autoptr(JsonNode) root = json_from_string (self->form_profile, NULL);
  JsonObject *profile;
  JsonObject *saved;
  GHashTableIter iter;
  gpointer question, answer;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  profile = json_node_get_object (root);
  if (!json_object_has_member (profile, "answers") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (profile, "answers")))
    json_object_set_object_member (profile, "answers", json_object_new ());
  saved = json_object_get_object_member (profile, "answers");
  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &question, &answer))
    json_object_set_string_member (saved, question, answer);
  g_free (self->form_profile);
  self->form_profile = jsw_json_node_to_string (root);
}

/**
 * jsw_apply_run_set_on_page:
 * @on_page: TRUE to start on the page the view shows now
 *
 * Makes jsw_apply_run_start() begin with the page already in the view
 * (where a person just solved a captcha, signed in or typed an e-mailed
 * code) instead of loading the run's URL again. A view that shows nothing
 * loads the URL as usual.
 */
void
jsw_apply_run_set_on_page (JswApplyRun *self,
                           gboolean     on_page)
{
  self->on_page = on_page;
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
  self->sending_reviewed = TRUE;
  _jsw_apply_submit (self);
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
                          gboolean     _jsw_apply_submit)
{
  self->submit = _jsw_apply_submit;
}

/**
 * jsw_apply_run_set_linkedin_auto_send:
 * @automatic: TRUE to send a LinkedIn application without stopping on its
 *   review step
 *
 * Only when the person opted in and the server allowed it for this
 * application (the claim's `linkedin_send`, docs/server.md "LinkedIn");
 * by default a LinkedIn run stops on the review step, filled in, for the
 * person to press Send. Other systems are not affected.
 */
void
jsw_apply_run_set_linkedin_auto_send (JswApplyRun *self,
                                      gboolean     automatic)
{
  self->linkedin_auto_send = automatic;
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
    _jsw_apply_stop_waiting (self);
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

  /**
   * JswApplyRun::ready-to-send:
   * @percent: the progress `submitting` is to be reported with (85)
   * @message: its words, for a person
   *
   * The form is filled in and its send button is next; nothing has been
   * sent. Asked each time the run comes to the button (again after a page
   * whose web process ended was gone through once more, and by
   * jsw_apply_run_send_reviewed()). A handler that returns %TRUE takes the
   * decision: the run waits, sending nothing, until
   * jsw_apply_run_allow_send() or jsw_apply_run_withhold() is called, in
   * the handler or later from the main loop (the run's timeout still
   * counts). With no handler that returns %TRUE the form is sent at once
   * (jobswipe-apply, which has no server). `progress` reports `submitting`
   * only once sending is allowed, right before the press.
   *
   * Why: a runner must have `submitting` on record at the server before
   * an application can leave (docs/server.md, Additions: the ack of
   * `progress`), and only the engine knows when the press comes.
   *
   * Returns: %TRUE to decide
   */
  signals[READY_TO_SEND] = g_signal_new ("ready-to-send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                                         G_TYPE_INT, G_TYPE_STRING);
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
  const char *resume;

  self->view = g_object_ref (view);
  self->profile = jsw_profile_ref (profile);
  self->form_profile = form_profile_json (profile);
  self->url = g_strdup (url);
  resume = jsw_profile_get_resume_path (profile);
  /* No resume, or one no longer there: a form that requires one hands
   * the run to the person (JSW_BLOCKER_MISSING_FILE). */
  if (resume != NULL && g_file_test (resume, G_FILE_TEST_IS_REGULAR))
    self->resume_path = g_strdup (resume);
  return self;
}
