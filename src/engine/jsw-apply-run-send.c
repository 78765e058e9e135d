/* jsw-apply-run-send.c: a run's last steps: submitting, and confirming what the page answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-apply-run-private.h"
#include "jsw-engine.h"

/* confirming */

static void
on_load_after_send_finished_cb (WebKitWebResource *resource,
                                JswApplyRun       *self)
{
  g_signal_handlers_disconnect_by_func (resource, on_load_after_send_finished_cb, self);
  g_ptr_array_remove_fast (self->loads_after_send, resource);
  self->network_at = _jsw_apply_now_ms ();
}

/* Counts what the page asks of the network once its form was sent, and
 * when it last started or ended a request; "finished" comes after
 * "failed" too. */
void
_jsw_apply_on_resource_load_started_cb (WebKitWebView     *view,
                                        WebKitWebResource *resource,
                                        WebKitURIRequest  *request,
                                        JswApplyRun       *self)
{
  if (self->sent_at == 0)
    return;
  self->network_at = _jsw_apply_now_ms ();
  g_ptr_array_add (self->loads_after_send, g_object_ref (resource));
  g_signal_connect (resource, "finished", G_CALLBACK (on_load_after_send_finished_cb), self);
}

void
_jsw_apply_forget_loads_after_send (JswApplyRun *self)
{
  for (guint i = 0; i < self->loads_after_send->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->loads_after_send, i),
                                          on_load_after_send_finished_cb, self);
  g_ptr_array_set_size (self->loads_after_send, 0);
}

/* Whether the page's network still has something to say: a request under
 * way, or one that ended less than QUIET_MS before the look at the page
 * being answered was asked for. The end of a request reaches the run as
 * soon as the web process hands it on, which can be before the page's
 * script has taken the answer in (it was busy, or the machine is loaded):
 * a look asked for before then saw the page as it was while waiting, quiet
 * for seconds, and would end a confirmed application `unconfirmed`. Seen
 * under load in CI (ashby-slow-answer); tests/fixtures/corpus/ashby-busy-page
 * makes it happen every time. */
static gboolean
awaiting_network (JswApplyRun *self)
{
  if (_jsw_apply_now_ms () - self->sent_at >= NETWORK_WAIT_MS)
    return FALSE;
  return self->loads_after_send->len > 0 || self->look_asked_at - self->network_at < QUIET_MS;
}

static void
outcome_seen (JswApplyRun  *self,
              JsonObject   *answer,
              const GError *error);

static void
check_outcome (JswApplyRun *self)
{
  self->look_asked_at = _jsw_apply_now_ms ();
  _jsw_apply_call_js (self, "return JobSwipe.flow.afterSend();", NULL, outcome_seen);
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
void
_jsw_apply_finish_site_refused (JswApplyRun *self,
                                JsonObject  *answer,
                                gboolean     after_sending)
{
  g_autoptr(GPtrArray) errors = _jsw_apply_string_list (answer, "errors");
  g_autoptr(GPtrArray) fields = _jsw_apply_string_list (answer, "fields");
  g_autofree char *words = NULL;

  /* A wall (a captcha after sending) comes as blockers; otherwise each
   * field the site marked, with its words, or its words alone. */
  if (_jsw_apply_take_blockers (self, answer, "asks") == 0)
    {
      g_autofree char *message = joined (errors->len > 0 ? errors : fields);
      GPtrArray *each = fields->len > 0 ? fields : errors;

      for (guint i = 0; i < each->len; i++)
        {
          JswBlocker *blocker = jsw_blocker_new (JSW_BLOCKER_FIELD_REJECTED, each == fields ? g_ptr_array_index (fields, i) : NULL);

          blocker->message = g_strdup (each == fields ? message : g_ptr_array_index (errors, i));
          _jsw_apply_add_blocker (self, blocker);
        }
    }
  words = errors->len + fields->len > 0 ? joined (errors->len > 0 ? errors : fields) : joined (self->result->missing);
  g_free (self->result->error);
  /* TRANSLATORS: %s is what the site said was wrong */
  self->result->error = after_sending ? g_strdup_printf (_("The site did not accept the application: %s"), words)
                                      : g_strdup_printf (_("The form did not go on to its next page: %s"), words);
  _jsw_apply_finish (self, JSW_OUTCOME_NEEDS_USER, NULL);
}

/* The send button was pressed and nothing came back: perhaps it was sent.
 * Saying "failed" would invite a retry, and a second application. */
void
_jsw_apply_finish_unconfirmed (JswApplyRun *self)
{
  _jsw_apply_finish (self, JSW_OUTCOME_UNCONFIRMED,
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
      _jsw_apply_report (self, JSW_STEP_CONFIRMING, 100, self->result->confirmation);
      _jsw_apply_finish (self, JSW_OUTCOME_SUBMITTED, NULL);
      return;
    }

  if (g_str_equal (state, "errors") || g_str_equal (state, "blocked"))
    {
      _jsw_apply_finish_site_refused (self, answer, TRUE);
      return;
    }

  if (quiet_ms >= QUIET_MS && _jsw_apply_now_ms () - self->sent_at >= MIN_CONFIRM_WAIT_MS &&
                                                 !webkit_web_view_is_loading (self->view) && !awaiting_network (self))
    {
      _jsw_apply_finish_unconfirmed (self);
      return;
    }
  _jsw_apply_schedule_poll_in (self, WATCH_INTERVAL_MS, check_outcome);
}

/* submitting */

static void
submitted (JswApplyRun  *self,
           JsonObject   *answer,
           const GError *error)
{
  if (error != NULL || !json_object_get_boolean_member_with_default (answer, "clicked", FALSE))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("The form has no button to send it"));
      return;
    }
  _jsw_apply_report (self, JSW_STEP_CONFIRMING, 92, _("Waiting for the confirmation"));
  self->poll_deadline = G_MAXINT64;  /* bounded by the page going quiet, and the run's timeout */
  _jsw_apply_schedule_poll_in (self, WATCH_INTERVAL_MS, check_outcome);
}

/* The press itself, once sending is allowed. */
static void
press_send (JswApplyRun *self)
{
  _jsw_apply_report (self, JSW_STEP_SUBMITTING, SUBMITTING_PERCENT, _("Sending the application"));
  /* Before the press, so that the requests it starts are seen, and a run
   * that ends from here on without an answer is never "failed". */
  self->sent_at = _jsw_apply_now_ms ();
  self->network_at = 0;
  _jsw_apply_call_js (self, "return JobSwipe.flow.send();", NULL, submitted);
}

/* Only ever for the send button of a form that was filled in: a posting's
 * Apply button is pressed while detecting. Whoever drives the run is asked
 * first (JswApplyRun::ready-to-send); nothing is pressed while it decides. */
void
_jsw_apply_submit (JswApplyRun *self)
{
  g_autoptr(JswApplyRun) hold = g_object_ref (self);  /* a decision made in the emission may end the run */

  self->awaiting_send = TRUE;
  if (!_jsw_apply_ask_to_send (self, SUBMITTING_PERCENT, _("Sending the application")) && self->awaiting_send)
    jsw_apply_run_allow_send (self);
}

/**
 * jsw_apply_run_allow_send:
 *
 * Answers JswApplyRun::ready-to-send: the send button is pressed now. An
 * answer the run no longer waits for (it ended, was stopped, or is going
 * through the form again after its page's web process ended) is ignored.
 */
void
jsw_apply_run_allow_send (JswApplyRun *self)
{
  g_return_if_fail (JSW_IS_APPLY_RUN (self));

  if (!self->awaiting_send || !_jsw_apply_is_running (self))
    return;
  self->awaiting_send = FALSE;
  press_send (self);
}

/**
 * jsw_apply_run_withhold:
 * @why: (nullable): what the run's error says, for a person
 *
 * Answers JswApplyRun::ready-to-send: the application must not leave. The
 * run ends at once with %JSW_APPLY_RUN_ERROR_NOT_SENT and @why, its send
 * button never pressed; nothing of it goes on (the form is not opened
 * again, even if its web process ends now). The caller gives the entry
 * back. Ignored when the run is not waiting for an answer.
 */
void
jsw_apply_run_withhold (JswApplyRun *self,
                        const char  *why)
{
  g_return_if_fail (JSW_IS_APPLY_RUN (self));

  if (!self->awaiting_send)
    return;
  _jsw_apply_end_with_error (self, JSW_APPLY_RUN_ERROR, JSW_APPLY_RUN_ERROR_NOT_SENT,
                             why != NULL ? why : _("The application was not sent"));
}
