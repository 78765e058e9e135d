/* jsw-worker-run-lease.c: a server-side run's lease
 *
 * Everything the run says to the server under its lease: the profile and
 * resume fetched with it, each step's progress (`submitting` put on record
 * before the engine may send the form), and the end: released, reported,
 * or lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jsw-log.h"
#include "jsw-worker-run-private.h"

#define LEASE_HEADER "X-Jobswipe-Lease"
/* How long `submitting` may take to be on record before the send button
 * is pressed; past it the application is not sent. */
#define SUBMITTING_ACK_TIMEOUT_MS 5000

/* Ending */

void
jsw_worker_run_remove_work_dir (JswWorkerRun *self)
{
  if (self->resume_path != NULL)
    g_unlink (self->resume_path);
  if (self->work_dir != NULL)
    g_rmdir (self->work_dir);
  g_clear_pointer (&self->resume_path, g_free);
  g_clear_pointer (&self->work_dir, g_free);
}

/* The page's web process is ended outright, not left to WebKit: once
 * its view is gone WebKit let it live on for seconds (about 6 s under
 * load, measured), so at concurrency 1 every run's page overlapped the
 * next one's, ~100 MiB more at the peak (docs/performance.md). The run
 * holds nothing in it any more: the result went, the picture was taken. */
void
jsw_worker_run_close_browser (JswWorkerRun *self)
{
  if (self->view != NULL)
    webkit_web_view_terminate_web_process (self->view);
  g_clear_object (&self->apply);
  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
  self->window = NULL;
  g_clear_object (&self->view);
  g_clear_object (&self->engine);
}

static void
end (JswWorkerRun    *self,
     JswWorkerRunEnd  how)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  jsw_worker_run_close_browser (self);
  jsw_worker_run_remove_work_dir (self);
  g_task_return_int (task, how);
}

void
jsw_worker_run_release (JswWorkerRun *self,
         const char   *why)
{
  jsw_log (JSW_LOG_INFO, self->entry->id, "run.released", "why", 's', why,
           "step", 's', self->step == JSW_STEP_NONE ? NULL : jsw_step_to_string (self->step),
           "ms", 'l', (g_get_monotonic_time () - self->started) / 1000, NULL);
  jsw_queue_client_release (self->client, self->lease);
  end (self, JSW_WORKER_RUN_RELEASED);
}

void
jsw_worker_run_report (JswWorkerRun *self,
        JswOutcome    outcome,
        const char   *confirmation,
        const char   *error_text,
        const char   *screenshot_sha256)
{
  jsw_log (outcome == JSW_OUTCOME_FAILED ? JSW_LOG_WARNING : JSW_LOG_INFO, self->entry->id, "run.result",
           "outcome", 's', jsw_outcome_to_string (outcome),
           "ats", 's', self->result ? self->result->ats : NULL,
           "error", 's', error_text,
           "screenshot_sha256", 's', screenshot_sha256,
           "proxy", 's', jsw_target_guard_get_upstream (self->guard),
           "ms", 'l', (g_get_monotonic_time () - self->started) / 1000, NULL);
  jsw_queue_client_result (self->client, self->lease, outcome, confirmation, error_text, screenshot_sha256);
  end (self, JSW_WORKER_RUN_REPORTED);
}

/* The lease is not ours any more (expired, or the entry was cancelled):
 * nothing may be sent for it. */
static void
lose (JswWorkerRun *self,
      const char   *why)
{
  jsw_log (JSW_LOG_WARNING, self->entry->id, "run.lost", "why", 's', why, NULL);
  jsw_queue_client_let_go (self->client, self->lease);
  end (self, JSW_WORKER_RUN_LOST);
}

/* The server's answers */

static SoupMessage *
worker_request (JswWorkerRun *self,
                const char   *what)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/worker/entries/%s/%s", self->server_url, self->entry->id, what);
  g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
  SoupMessage *msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, LEASE_HEADER, self->lease);
  soup_message_headers_replace (headers, "X-Request-Id", self->entry->id);
  return msg;
}

/* What to do with an answer that is not 200: FALSE when the run ended. */
static gboolean
answered_ok (JswWorkerRun *self,
             SoupMessage  *msg,
             GError       *error,
             const char   *what)
{
  guint status;

  if (error != NULL)
    {
      jsw_worker_run_release (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->stop_reason
                     ? self->stop_reason : error->message);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_OK)
    return TRUE;
  if (status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_CONFLICT || status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_autofree char *why = g_strdup_printf ("%s: %u", what, status);

      lose (self, why);
    }
  else
    {
      g_autofree char *why = g_strdup_printf ("the server answered %u for the %s", status, what);

      jsw_worker_run_release (self, why);
    }
  return FALSE;
}

static void
resume_fetched (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(SoupMessage) msg = g_object_ref (soup_session_get_async_result_message (SOUP_SESSION (source), res));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *name = NULL;
  const char *given = NULL;

  /* No resume on the server: the run goes on without one, and a form
   * that requires one is handed to the person like any missing answer. */
  if (error == NULL && soup_message_get_status (msg) == SOUP_STATUS_NOT_FOUND)
    {
      jsw_worker_run_start_applying (self);
      return;
    }
  if (!answered_ok (self, msg, error, "resume"))
    return;

  if (soup_message_headers_get_content_disposition (soup_message_get_response_headers (msg), NULL, &params))
    given = g_hash_table_lookup (params, "filename");
  name = g_path_get_basename (given && *given ? given : "resume");
  if (g_str_equal (name, ".") || g_str_equal (name, "..") || g_str_equal (name, G_DIR_SEPARATOR_S))
    {
      g_free (name);
      name = g_strdup ("resume");
    }
  self->resume_path = g_build_filename (self->work_dir, name, NULL);
  if (!g_file_set_contents_full (self->resume_path, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      g_clear_pointer (&self->resume_path, g_free);
      jsw_worker_run_release (self, error->message);
      return;
    }
  jsw_worker_run_start_applying (self);
}

static void
fetch_resume (JswWorkerRun *self)
{
  g_autoptr(SoupMessage) msg = worker_request (self, "resume");
  g_autoptr(GError) error = NULL;

  self->work_dir = g_dir_make_tmp ("jobswipe-worker-XXXXXX", &error);
  if (self->work_dir == NULL)
    {
      jsw_worker_run_release (self, error->message);
      return;
    }
  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    resume_fetched, g_object_ref (self));
}

static void
profile_fetched (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(SoupMessage) msg = g_object_ref (soup_session_get_async_result_message (SOUP_SESSION (source), res));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);
  g_autofree char *text = NULL;

  if (error == NULL && soup_message_get_status (msg) == SOUP_STATUS_NOT_FOUND)
    {
      /* The person never allowed the server to hold their profile. */
      jsw_worker_run_report (self, JSW_OUTCOME_NEEDS_USER, NULL,
              _("JobSwipe has no copy of your profile on the server, so it cannot apply while your computer is off. "
                "Choose “Apply now” to apply from this computer, or tick “Also keep my profile on the server” "
                "on the profile page."), NULL);
      return;
    }
  if (!answered_ok (self, msg, error, "profile"))
    return;

  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  self->profile = jsw_profile_new_from_json (text, &error);
  if (self->profile == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Your profile on the server cannot be used (%s). Save it again in JobSwipe."),
                                                  error->message);

      jsw_worker_run_report (self, JSW_OUTCOME_NEEDS_USER, NULL, message, NULL);
      return;
    }
  fetch_resume (self);
}

void
jsw_worker_run_fetch_profile (JswWorkerRun *self)
{
  g_autoptr(SoupMessage) msg = worker_request (self, "profile");

  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    profile_fetched, g_object_ref (self));
}

/* Progress */

/* `submitting` must be on record on the server before the application can
 * leave: a worker killed right after pressing send must leave an entry the
 * server makes needs_review, never one it hands to another worker to send
 * again. The engine asks before it presses send (JswApplyRun::ready-to-send):
 * the run puts `submitting` on record (an acknowledged `progress`, 5 s at
 * most) and lets the engine send only once the server took it. Otherwise
 * the engine is told to withhold it: it ends the run unsent, and the run is
 * released (jsw_worker_run_applied()), for the server to decide from its
 * own record (queued again if `submitting` never reached it, needs_review
 * if only its ack was lost). */
static void
submitting_on_record (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), res, &error))
    {
      if (self->apply != NULL)
        jsw_apply_run_allow_send (self->apply);
      return;
    }
  jsw_log (JSW_LOG_WARNING, self->entry->id, "run.not_sent", "why", 's', error->message, NULL);
  if (self->apply != NULL)
    jsw_apply_run_withhold (self->apply, "`submitting` not on record");
}

gboolean
jsw_worker_run_on_ready_to_send (JswApplyRun  *apply,
                                 int           percent,
                                 const char   *message,
                                 JswWorkerRun *self)
{
  /* From here a stop lets the run finish (jsw_worker_run_stop()): the
   * server may have `submitting` on record before its ack reaches us. */
  self->step = JSW_STEP_SUBMITTING;
  jsw_queue_client_progress_confirmed_async (self->client, self->lease, percent, JSW_STEP_SUBMITTING, message,
                                             SUBMITTING_ACK_TIMEOUT_MS, NULL, submitting_on_record, g_object_ref (self));
  return TRUE;
}

void
jsw_worker_run_on_progress (JswApplyRun  *apply,
             int           percent,
             const char   *step_name,
             const char   *message,
             JswWorkerRun *self)
{
  JswStep step = JSW_STEP_NONE;

  jsw_step_from_string (step_name, &step);
  jsw_log (JSW_LOG_DEBUG, self->entry->id, "run.progress", "percent", 'i', percent, "step", 's', step_name, NULL);
  self->step = MAX (self->step, step);
  /* `submitting` is on record already: it was what allowed the press. */
  if (step != JSW_STEP_SUBMITTING)
    jsw_queue_client_progress (self->client, self->lease, percent, step, message);
}
