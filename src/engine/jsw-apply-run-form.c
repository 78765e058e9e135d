/* jsw-apply-run-form.c: a run's steps on the form: detecting (and opening a posting's
 * application), filling, uploading, answering, reviewing and a wizard's Next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-apply-run-private.h"
#include "jsw-engine.h"
#include "jsw-json.h"

static void review (JswApplyRun *self);
static void fill_profile (JswApplyRun *self);
static void open_application (JswApplyRun *self,
                              const char  *label);

/* reviewing: a wizard's next step */

static void next_page_seen (JswApplyRun  *self,
                            JsonObject   *answer,
                            const GError *error);

static void
check_next_page (JswApplyRun *self)
{
  _jsw_apply_call_js (self, "return JobSwipe.flow.afterNext();", NULL, next_page_seen);
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
      self->poll_deadline = _jsw_apply_now_ms () + FORM_WAIT_MS;
      _jsw_apply_schedule_poll_in (self, WATCH_INTERVAL_MS, _jsw_apply_detect);
      return;
    }
  if (g_str_equal (state, "errors"))
    {
      _jsw_apply_finish_site_refused (self, answer, FALSE);
      return;
    }
  if (!_jsw_apply_schedule_poll_in (self, WATCH_INTERVAL_MS, check_next_page))
    _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("Pressing Next did not open the next page of the form"));
}

static void
next_page_clicked (JswApplyRun  *self,
                   JsonObject   *answer,
                   const GError *error)
{
  if (error != NULL || !json_object_get_boolean_member_with_default (answer, "clicked", FALSE))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("Could not go on to the next page of the form"));
      return;
    }
  self->poll_deadline = _jsw_apply_now_ms () + NEXT_WAIT_MS;
  _jsw_apply_schedule_poll_in (self, WATCH_INTERVAL_MS, check_next_page);
}

/* reviewing */

static void
reviewed (JswApplyRun  *self,
          JsonObject   *answer,
          const GError *error)
{
  if (_jsw_apply_step_failed (self, error))
    return;

  if (_jsw_apply_take_blockers (self, answer, "asks") > 0)
    {
      _jsw_apply_finish_needs_user (self);
      return;
    }

  if (json_object_get_boolean_member_with_default (answer, "has_next", FALSE))
    {
      if (++self->wizard_pages > MAX_WIZARD_PAGES)
        {
          _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("The form has too many pages"));
          return;
        }
      _jsw_apply_call_js (self, "return JobSwipe.flow.next();", NULL, next_page_clicked);
      return;
    }

  if (!self->submit)
    {
      _jsw_apply_report (self, JSW_STEP_REVIEWING, 80, _("Filled in; not sent, as asked"));
      _jsw_apply_finish (self, JSW_OUTCOME_SUBMITTED, NULL);
      return;
    }
  /* LinkedIn (issue 16): the person presses Send on the review step,
   * unless they opted in to automatic sending and the server allowed it
   * for this application (jsw_apply_run_set_linkedin_auto_send()). */
  if (g_str_equal (self->result->ats, "linkedin") && !self->linkedin_auto_send)
    {
      _jsw_apply_report (self, JSW_STEP_REVIEWING, 80, _("Filled in; LinkedIn’s review step waits for you to press Submit"));
      _jsw_apply_finish (self, JSW_OUTCOME_SUBMITTED, NULL);
      return;
    }

  if (!json_object_get_boolean_member_with_default (answer, "has_submit", FALSE))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("The form has no button to send it"));
      return;
    }
  /* A page with nothing filled in and no application form on it (a
   * posting whose form never came) has nothing to send: its only button
   * is no send button. */
  if (self->result->filled->len == 0 && !json_object_get_boolean_member_with_default (answer, "application", TRUE))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("No application form was found on the page"));
      return;
    }
  _jsw_apply_submit (self);
}

static void
review (JswApplyRun *self)
{
  _jsw_apply_report (self, JSW_STEP_REVIEWING, 75, _("Checking the form before sending it"));
  _jsw_apply_call_js (self, "return JobSwipe.flow.review();", NULL, reviewed);
}

/* answering */

/* What the form holds where this run filled it ({"label", "value"}), for
 * the person's "what was sent". */
static void
keep_values (JswApplyRun *self,
             JsonObject  *answer)
{
  JsonArray *values = NULL;

  jsw_json_get_array (answer, "values", 0, &values, NULL);
  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *node = json_array_get_element (values, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        json_array_add_element (self->result->values, json_node_copy (node));
    }
}

/* What both fill phases report: what was filled, and what only a person can
 * answer. Returns TRUE when the run goes on. */
static gboolean
take_fill_answer (JswApplyRun  *self,
                  JsonObject   *answer,
                  const GError *error)
{
  g_autoptr(GPtrArray) filled = NULL;

  if (_jsw_apply_step_failed (self, error))
    return FALSE;
  filled = _jsw_apply_string_list (answer, "filled");
  _jsw_apply_add_all (self->result->filled, filled);
  keep_values (self, answer);
  if (_jsw_apply_take_blockers (self, answer, "asks") > 0)
    {
      _jsw_apply_finish_needs_user (self);
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
  _jsw_apply_call_js_within (self, FILL_ANSWER_MS, "return await JobSwipe.fill(profile, phase);",
                             _jsw_apply_arguments ("profile", self->form_profile, "phase", phase, NULL), callback);
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
  _jsw_apply_report (self, JSW_STEP_ANSWERING, 60, _("Answering the questions"));
  call_fill (self, "questions", answered);
}

/* uploading */

static void
resume_attached (JswApplyRun  *self,
                 JsonObject   *answer,
                 const GError *error)
{
  if (_jsw_apply_step_failed (self, error))
    return;

  if (json_object_get_boolean_member_with_default (answer, "attached", FALSE))
    {
      JsonObject *value = json_object_new ();

      g_ptr_array_add (self->result->filled, g_strdup ("resume"));
      json_object_set_string_member (value, "label", json_object_get_string_member_with_default (answer, "label", "Resume"));
      json_object_set_string_member (value, "value", json_object_get_string_member_with_default (answer, "name", ""));
      json_array_add_object_element (self->result->values, value);
    }
  else if (json_object_get_boolean_member_with_default (answer, "required", FALSE))
    {
      _jsw_apply_add_blocker (self, jsw_blocker_new (JSW_BLOCKER_MISSING_FILE,
                              json_object_get_string_member_with_default (answer, "label", NULL)));
      _jsw_apply_finish_needs_user (self);
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

  _jsw_apply_report (self, JSW_STEP_UPLOADING, 45, _("Attaching the resume"));
  if (self->resume_path != NULL && !read_resume (self, &name, &type, &data, &error))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }
  /* With no resume the call still asks whether the form requires one. */
  _jsw_apply_call_js (self, "return JobSwipe.attachResume(name, type, data);",
                      _jsw_apply_arguments ("name", name ? name : "", "type", type ? type : "", "data", data ? data : "", NULL),
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
  _jsw_apply_report (self, JSW_STEP_FILLING, 30, _("Filling in your details"));
  call_fill (self, "profile", profile_filled);
}

/* detecting */

static void
detected (JswApplyRun  *self,
          JsonObject   *answer,
          const GError *error)
{
  const char *frame_url;

  if (error != NULL)
    {
      /* The script world may not be there yet on a page that is still
       * settling; try again until the form should have shown up. */
      if (!_jsw_apply_schedule_poll (self, _jsw_apply_detect))
        _jsw_apply_finish (self, JSW_OUTCOME_FAILED, error->message);
      return;
    }

  g_free (self->result->ats);
  self->result->ats = g_strdup (json_object_get_string_member_with_default (answer, "ats", "generic"));

  /* LinkedIn only in the person's own session (desktop mode), never in
   * an ephemeral server browser: its User Agreement forbids automated
   * access (issue 16). */
  if (g_str_equal (self->result->ats, "linkedin") && webkit_network_session_is_ephemeral (webkit_web_view_get_network_session (self->view)))
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED,
                         _("LinkedIn applications run only in the desktop app, in your own LinkedIn session"));
      return;
    }

  if (_jsw_apply_take_blockers (self, answer, "blockers") > 0)
    {
      _jsw_apply_finish_needs_user (self);
      return;
    }

  frame_url = json_object_get_string_member_with_default (answer, "frame_url", NULL);
  if (frame_url != NULL && !self->followed_frame)
    {
      /* The form lives in a frame (a company page embedding its
       * application system): open the frame itself, where the adapters
       * can reach the form. */
      self->followed_frame = TRUE;
      _jsw_apply_load (self, frame_url, _jsw_apply_detect);
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
      _jsw_apply_schedule_poll (self, _jsw_apply_detect))
    return;

  fill_profile (self);
}

void
_jsw_apply_detect (JswApplyRun *self)
{
  _jsw_apply_report (self, JSW_STEP_DETECTING, 15, _("Looking at the application form"));
  _jsw_apply_call_js (self, "return Object.assign(JobSwipe.detect(), JobSwipe.flow.posting());", NULL, detected);
}

void
_jsw_apply_page_opened (JswApplyRun *self)
{
  self->poll_deadline = _jsw_apply_now_ms () + FORM_WAIT_MS;
  _jsw_apply_detect (self);
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
      _jsw_apply_load (self, href, _jsw_apply_page_opened);
      return;
    }
  self->poll_deadline = _jsw_apply_now_ms () + FORM_WAIT_MS;
  _jsw_apply_schedule_poll (self, _jsw_apply_detect);
}

static void
open_application (JswApplyRun *self,
                  const char  *label)
{
  g_autofree char *message = g_strdup_printf (_("Opening the application form (“%s”)"), label);

  self->apply_presses++;
  _jsw_apply_report (self, JSW_STEP_DETECTING, 15, message);
  _jsw_apply_call_js (self, "return JobSwipe.flow.openApplication();", NULL, application_opened);
}

/* A page asks for a new window. Only what a posting's Apply button opens
 * is followed, in this same view; nothing else opens anything. */
GtkWidget *
_jsw_apply_on_create_cb (WebKitWebView          *view,
                         WebKitNavigationAction *action,
                         gpointer                user_data)
{
  JswApplyRun *self = JSW_APPLY_RUN (user_data);
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (_jsw_apply_is_running (self) && self->apply_presses > 0 && self->sent_at == 0 && uri != NULL &&
                             (g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://")))
    _jsw_apply_load (self, uri, _jsw_apply_page_opened);
  return NULL;
}

