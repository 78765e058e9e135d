/* jsw-worker-run.c: one application on the server side
 *
 * From a claimed lease: the person's profile and resume are fetched under
 * that lease (GET /v1/worker/entries/{id}/profile and /resume, docs/server.md),
 * the engine runs in SERVER mode in a network session of its own that goes
 * out through one guard (jsw-target-guard.c: private targets refused, the
 * entry's one proxy), each step goes to the server as progress (which
 * extends the lease), and the result goes with the SHA-256 of the last
 * page's picture.
 *
 * Whatever goes wrong before the form is sent gives the entry back
 * (release) rather than failing it: the server, the network or a proxy
 * failing is not the person's fault, and a released entry is charged once.
 * Past `submitting`, nothing gives it back as new: the result is sent, or
 * the release makes it `needs_review` on the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jsw-apply-run.h"
#include "jsw-engine.h"
#include "jsw-log.h"
#include "jsw-worker-run.h"

#define LEASE_HEADER "X-Jobswipe-Lease"
/* How long `submitting` may take to be on record before the send button
 * is pressed; past it the application is not sent. */
#define SUBMITTING_ACK_TIMEOUT_S 5

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

G_DEFINE_FINAL_TYPE (JswWorkerRun, jsw_worker_run, G_TYPE_OBJECT)

static void fetch_resume (JswWorkerRun *self);
static void start_applying (JswWorkerRun *self);
static void report (JswWorkerRun *self, JswOutcome outcome, const char *confirmation,
                    const char *error_text, const char *screenshot_sha256);

/* Private targets */

/* A posting, a redirect or a form post led to @address, which the guard
 * refuses: logged with the entry's id, and the error the person reads. */
static char *
refusal_text (JswWorkerRun *self,
              const char   *url,
              const char   *address)
{
  jsw_log (JSW_LOG_WARNING, self->entry->id, "target.refused", "url", 's', url, "address", 's', address,
           "why", 's', "not a public address", NULL);
  return g_strdup_printf (_("The posting’s address %s leads to %s, a private address. JobSwipe’s server never opens "
                            "private addresses, so nothing was sent."), url, address);
}

/* The refused address a response of the guard names, or NULL. */
static const char *
refused_address (WebKitURIResponse *response)
{
  SoupMessageHeaders *headers = response ? webkit_uri_response_get_http_headers (response) : NULL;

  return headers ? soup_message_headers_get_one (headers, JSW_TARGET_REFUSED_HEADER) : NULL;
}

/* The address the guard refused @uri's host for, or NULL: how a refused
 * https request is recognised, since WebKit shows nothing of the guard's
 * answer to a CONNECT, only a failed load. */
static char *
refused_for_uri (JswWorkerRun *self,
                 const char   *uri)
{
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL) : NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return NULL;
  return jsw_target_guard_lookup_refusal (self->guard, g_uri_get_host (parsed));
}

/* A redirect or a form post of the page itself the guard refused: the run
 * ends there, failed, rather than the engine going on with the refusal's
 * page. */
static void
main_document_refused (JswWorkerRun *self,
                       const char   *url,
                       const char   *address)
{
  if (self->refusal != NULL)
    return;
  self->refusal = refusal_text (self, url, address);
  if (self->step < JSW_STEP_SUBMITTING)
    g_cancellable_cancel (self->cancellable);
}

/* Ending */

static void
remove_work_dir (JswWorkerRun *self)
{
  if (self->resume_path != NULL)
    g_unlink (self->resume_path);
  if (self->work_dir != NULL)
    g_rmdir (self->work_dir);
  g_clear_pointer (&self->resume_path, g_free);
  g_clear_pointer (&self->work_dir, g_free);
}

static void
close_browser (JswWorkerRun *self)
{
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

  close_browser (self);
  remove_work_dir (self);
  g_task_return_int (task, how);
}

static void
release (JswWorkerRun *self,
         const char   *why)
{
  jsw_log (JSW_LOG_INFO, self->entry->id, "run.released", "why", 's', why,
           "step", 's', self->step == JSW_STEP_NONE ? NULL : jsw_step_to_string (self->step),
           "ms", 'l', (g_get_monotonic_time () - self->started) / 1000, NULL);
  jsw_queue_client_release (self->client, self->lease);
  end (self, JSW_WORKER_RUN_RELEASED);
}

static void
report (JswWorkerRun *self,
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
      release (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->stop_reason
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

      release (self, why);
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
      start_applying (self);
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
      release (self, error->message);
      return;
    }
  start_applying (self);
}

static void
fetch_resume (JswWorkerRun *self)
{
  g_autoptr(SoupMessage) msg = worker_request (self, "resume");
  g_autoptr(GError) error = NULL;

  self->work_dir = g_dir_make_tmp ("jobswipe-worker-XXXXXX", &error);
  if (self->work_dir == NULL)
    {
      release (self, error->message);
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
      report (self, JSW_OUTCOME_NEEDS_USER, NULL,
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

      report (self, JSW_OUTCOME_NEEDS_USER, NULL, message, NULL);
      return;
    }
  fetch_resume (self);
}

/* Applying */

/* Shared by the wait and the answer; whichever comes last frees it. */
typedef struct {
  gboolean  answered;
  gboolean  timed_out;
  GError   *error;
} Confirmation;

static void
confirmation_free (Confirmation *confirmation)
{
  g_clear_error (&confirmation->error);
  g_free (confirmation);
}

static void
submitting_confirmed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Confirmation *confirmation = user_data;

  jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), result, &confirmation->error);
  confirmation->answered = TRUE;
  if (confirmation->timed_out)
    confirmation_free (confirmation);  /* nobody waits any more */
}

static gboolean
confirmation_timed_out (gpointer user_data)
{
  ((Confirmation *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* `submitting` must be on record on the server before the application can
 * leave: a worker killed right after pressing send must leave an entry the
 * server makes needs_review, never one it hands to another worker to send
 * again. The engine presses send as soon as this step's "progress" signal
 * returns, so the handler waits here (a few seconds at most, serving the
 * main loop) for the server's ack; without one, the page's process is
 * ended, so nothing is sent, and the run ends in error and is released. */
static gboolean
put_submitting_on_record (JswWorkerRun *self,
                          int           percent,
                          const char   *message)
{
  Confirmation *confirmation = g_new0 (Confirmation, 1);
  guint timeout_id;
  g_autofree char *why = NULL;

  jsw_queue_client_progress_confirmed_async (self->client, self->lease, percent, JSW_STEP_SUBMITTING, message,
                                             NULL, submitting_confirmed, confirmation);
  timeout_id = g_timeout_add_seconds (SUBMITTING_ACK_TIMEOUT_S, confirmation_timed_out, confirmation);
  while (!confirmation->answered && !confirmation->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (confirmation->answered)
    {
      gboolean on_record = confirmation->error == NULL;

      g_source_remove (timeout_id);
      if (!on_record)
        why = g_strdup (confirmation->error->message);
      confirmation_free (confirmation);
      if (on_record)
        return TRUE;
    }
  else
    why = g_strdup ("the server did not acknowledge `submitting` in time");  /* freed by its answer */

  jsw_log (JSW_LOG_WARNING, self->entry->id, "run.not_sent", "why", 's', why, NULL);
  g_free (self->stop_reason);
  self->stop_reason = g_strdup ("`submitting` not on record");
  webkit_web_view_terminate_web_process (self->view);
  return FALSE;
}

static void
on_progress (JswApplyRun  *apply,
             int           percent,
             const char   *step_name,
             const char   *message,
             JswWorkerRun *self)
{
  JswStep step = JSW_STEP_NONE;

  jsw_step_from_string (step_name, &step);
  jsw_log (JSW_LOG_DEBUG, self->entry->id, "run.progress", "percent", 'i', percent, "step", 's', step_name, NULL);
  if (step == JSW_STEP_SUBMITTING && self->step < JSW_STEP_SUBMITTING)
    {
      self->step = step;
      put_submitting_on_record (self, percent, message);
      return;
    }
  self->step = MAX (self->step, step);
  jsw_queue_client_progress (self->client, self->lease, percent, step, message);
}

/* Only web addresses are opened; file:, ftp: and other schemes a page
 * might navigate to are refused (the guard sees only what goes over the
 * network). */
static gboolean
on_decide_policy (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  JswWorkerRun             *self)
{
  WebKitNavigationAction *action;
  const char *uri;
  g_autofree char *scheme = NULL;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    {
      WebKitResponsePolicyDecision *answer = WEBKIT_RESPONSE_POLICY_DECISION (decision);
      const char *address = refused_address (webkit_response_policy_decision_get_response (answer));

      if (address == NULL || !webkit_response_policy_decision_is_main_frame_main_resource (answer))
        return FALSE;
      main_document_refused (self, webkit_uri_request_get_uri (webkit_response_policy_decision_get_request (answer)),
                             address);
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL || g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
      g_str_equal (scheme, "about") || g_str_equal (scheme, "data") || g_str_equal (scheme, "blob"))
    return FALSE;
  jsw_log (JSW_LOG_WARNING, self->entry->id, "target.refused", "url", 's', uri, "why", 's', "scheme", NULL);
  webkit_policy_decision_ignore (decision);
  return TRUE;
}

static char *
missing_text (JswApplyResult *result)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < result->missing->len; i++)
    g_string_append_printf (text, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (result->missing, i));
  return g_string_free (text, FALSE);
}

static void
report_engine_result (JswWorkerRun *self,
                      const char   *screenshot_sha256)
{
  JswApplyResult *result = self->result;
  g_autofree char *missing = missing_text (result);

  report (self, result->outcome, result->confirmation,
          result->outcome == JSW_OUTCOME_NEEDS_USER && *missing ? missing : result->error,
          screenshot_sha256);
}

/* The picture's PNG, its SHA-256 and the kept file, made in a thread of
 * GLib's pool: encoding a desktop-sized page takes some 40 ms of CPU, which
 * on the main thread would hold up every other run's page as long. */
typedef struct {
  GdkTexture *texture;    /* a memory texture: readable from any thread */
  char       *path;       /* where to keep it, or NULL */
  char       *sha256;     /* out */
  char       *not_kept;   /* out: why the file could not be written */
} Picture;

static void
picture_free (Picture *picture)
{
  g_clear_object (&picture->texture);
  g_free (picture->path);
  g_free (picture->sha256);
  g_free (picture->not_kept);
  g_free (picture);
}

static void
encode_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Picture *picture = task_data;
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (picture->texture);
  g_autoptr(GError) error = NULL;

  picture->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  if (picture->path != NULL &&
      !g_file_set_contents_full (picture->path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0640, &error))
    picture->not_kept = g_strdup (error->message);
  g_task_return_boolean (task, TRUE);
}

static void
picture_encoded (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  JswWorkerRun *self = JSW_WORKER_RUN (source);
  Picture *picture = g_task_get_task_data (G_TASK (res));

  if (picture->not_kept != NULL)
    jsw_log (JSW_LOG_WARNING, self->entry->id, "run.screenshot_not_kept", "why", 's', picture->not_kept, NULL);
  report_engine_result (self, picture->sha256);
}

/* A texture the thread may read: the snapshot copied into memory here, on
 * the main thread, whatever kind WebKit made. */
static GdkTexture *
memory_copy (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  guchar *data = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  gdk_texture_download (texture, data, stride);
  bytes = g_bytes_new_take (data, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
snapshot_taken (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), res, &error);
  g_autoptr(GTask) task = NULL;
  Picture *picture;

  if (texture == NULL)
    {
      jsw_log (JSW_LOG_WARNING, self->entry->id, "run.no_screenshot", "why", 's', error->message, NULL);
      report_engine_result (self, NULL);
      return;
    }
  picture = g_new0 (Picture, 1);
  picture->texture = memory_copy (texture);
  if (self->screenshot_dir != NULL)
    {
      g_autofree char *name = g_strconcat (self->entry->id, ".png", NULL);

      picture->path = g_build_filename (self->screenshot_dir, name, NULL);
    }
  /* The task holds the run (its source object) until the picture is done. */
  task = g_task_new (self, NULL, picture_encoded, NULL);
  g_task_set_task_data (task, picture, (GDestroyNotify) picture_free);
  g_task_run_in_thread (task, encode_in_thread);
}

static void
applied (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(GError) error = NULL;

  self->result = jsw_apply_run_finish (JSW_APPLY_RUN (source), res, &error);
  if (self->refusal != NULL && (self->result == NULL || self->result->outcome != JSW_OUTCOME_SUBMITTED))
    {
      report (self, JSW_OUTCOME_FAILED, NULL, self->refusal, NULL);
      return;
    }
  if (self->result == NULL)
    {
      /* Stopped (draining, or its proxy failed), or the engine itself
       * failed: given back. Past submitting the server makes it
       * needs_review. */
      release (self, self->stop_reason ? self->stop_reason : error->message);
      return;
    }
  if (self->stop_reason != NULL && self->step < JSW_STEP_SUBMITTING)
    {
      /* Its proxy failed under it: whatever the engine concluded came from
       * a broken way out, not from the site. */
      release (self, self->stop_reason);
      return;
    }
  webkit_web_view_get_snapshot (self->view, WEBKIT_SNAPSHOT_REGION_FULL_DOCUMENT, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                NULL, snapshot_taken, g_object_ref (self));
}

static void
log_refused_subresource (JswWorkerRun *self,
                         const char   *url,
                         const char   *address)
{
  jsw_log (JSW_LOG_WARNING, self->entry->id, "target.refused", "url", 's', url, "address", 's', address,
           "why", 's', "not a public address (a subresource)", NULL);
}

/* A plain http subresource the guard refused carries its answer; an https
 * one (a CONNECT) ends with no answer at all, and its host is the guard's
 * to name. */
static void
on_resource_finished (WebKitWebResource *resource,
                      JswWorkerRun      *self)
{
  const char *uri = webkit_web_resource_get_uri (resource);
  const char *answered = refused_address (webkit_web_resource_get_response (resource));
  g_autofree char *address = NULL;

  if (self->view == NULL || resource == webkit_web_view_get_main_resource (self->view))
    return;
  address = answered != NULL ? g_strdup (answered) : refused_for_uri (self, uri);
  if (address != NULL)
    log_refused_subresource (self, uri, address);
}

static void
on_resource_load_started (WebKitWebView     *view,
                          WebKitWebResource *resource,
                          WebKitURIRequest  *request,
                          JswWorkerRun      *self)
{
  g_signal_connect_object (resource, "finished", G_CALLBACK (on_resource_finished), self, G_CONNECT_DEFAULT);
}

/* The page itself (the posting, a redirect of it, a form post) failed to
 * load: over https that is how a refusal shows. Connected before the
 * engine's own handler, so the run knows it was a refusal when the engine
 * concludes from the failed load. */
static gboolean
on_load_failed (WebKitWebView   *view,
                WebKitLoadEvent  event,
                const char      *uri,
                GError          *error,
                JswWorkerRun    *self)
{
  g_autofree char *address = refused_for_uri (self, uri);

  if (address != NULL)
    main_document_refused (self, uri, address);
  return FALSE;
}

static void
open_posting (JswWorkerRun *self)
{
  const char *proxy[] = { jsw_target_guard_get_url (self->guard), NULL };

  /* A network session of its own per application: no cookie or cache of
   * one person's application is seen by another's. */
  self->engine = jsw_engine_new (JSW_ENGINE_MODE_SERVER, NULL);
  jsw_engine_set_proxies (self->engine, proxy);
  jsw_engine_next_proxy (self->engine);
  self->view = jsw_engine_create_view (self->engine);
  g_signal_connect (self->view, "decide-policy", G_CALLBACK (on_decide_policy), self);
  g_signal_connect (self->view, "resource-load-started", G_CALLBACK (on_resource_load_started), self);
  g_signal_connect (self->view, "load-failed", G_CALLBACK (on_load_failed), self);
  self->window = jsw_engine_hold_view (self->view, FALSE);

  self->apply = jsw_apply_run_new (self->view, self->profile, self->entry->snapshot->apply_url);
  jsw_apply_run_set_timeout (self->apply, self->timeout_s);
  if (self->resume_path != NULL)
    jsw_apply_run_set_resume (self->apply, self->resume_path);
  g_signal_connect (self->apply, "progress", G_CALLBACK (on_progress), self);
  jsw_apply_run_start (self->apply, self->cancellable, applied, g_object_ref (self));
}

static void
posting_checked (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autofree char *address = jsw_target_guard_check_host_finish (JSW_TARGET_GUARD (source), res);

  if (g_cancellable_is_cancelled (self->cancellable))
    release (self, self->stop_reason ? self->stop_reason : "stopped");
  else if (address != NULL)
    {
      g_autofree char *text = refusal_text (self, self->entry->snapshot->apply_url, address);

      report (self, JSW_OUTCOME_FAILED, NULL, text, NULL);
    }
  else
    open_posting (self);
}

/* The posting's own address is checked before a page opens, so a refused
 * posting ends the run at once with an error naming it; the guard refuses
 * it anyway, and refuses redirects and subresources on the way. */
static void
start_applying (JswWorkerRun *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->entry->snapshot->apply_url, G_URI_FLAGS_ENCODED, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int port = uri ? g_uri_get_port (uri) : -1;

  if (host == NULL || *host == '\0')
    {
      open_posting (self);
      return;
    }
  if (port <= 0)
    port = g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80;
  jsw_target_guard_check_host_async (self->guard, host, (guint16) port, NULL, posting_checked, g_object_ref (self));
}

/* The object */

static void
jsw_worker_run_dispose (GObject *object)
{
  JswWorkerRun *self = (JswWorkerRun *) object;

  close_browser (self);
  remove_work_dir (self);
  g_clear_object (&self->client);
  g_clear_object (&self->guard);
  g_clear_object (&self->soup);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (jsw_worker_run_parent_class)->dispose (object);
}

static void
jsw_worker_run_finalize (GObject *object)
{
  JswWorkerRun *self = (JswWorkerRun *) object;

  g_free (self->server_url);
  g_free (self->token);
  g_free (self->screenshot_dir);
  g_free (self->lease);
  g_free (self->stop_reason);
  g_free (self->refusal);
  g_clear_pointer (&self->entry, jsw_entry_unref);
  g_clear_pointer (&self->profile, jsw_profile_unref);
  g_clear_pointer (&self->result, jsw_apply_result_free);
  G_OBJECT_CLASS (jsw_worker_run_parent_class)->finalize (object);
}

static void
jsw_worker_run_class_init (JswWorkerRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_worker_run_dispose;
  object_class->finalize = jsw_worker_run_finalize;
}

static void
jsw_worker_run_init (JswWorkerRun *self)
{
  self->step = JSW_STEP_NONE;
  self->cancellable = g_cancellable_new ();
}

/**
 * jsw_worker_run_new:
 * @config: the worker's settings, copied
 * @client: the stream the lease was claimed on
 * @entry: the claimed entry, with its snapshot
 * @lease: its lease, held (heartbeats running) by @client
 * @guard: the way out for all of this application's requests
 */
JswWorkerRun *
jsw_worker_run_new (const JswWorkerRunConfig *config,
                    JswQueueClient           *client,
                    JswEntry                 *entry,
                    const char               *lease,
                    JswTargetGuard           *guard)
{
  JswWorkerRun *self = g_object_new (JSW_TYPE_WORKER_RUN, NULL);

  self->soup = g_object_ref (config->soup);
  self->server_url = g_strdup (config->server_url);
  self->token = g_strdup (config->token);
  self->timeout_s = config->timeout_s;
  self->screenshot_dir = g_strdup (config->screenshot_dir);
  self->client = g_object_ref (client);
  self->entry = jsw_entry_ref (entry);
  self->lease = g_strdup (lease);
  self->guard = g_object_ref (guard);
  return self;
}

const char *
jsw_worker_run_get_entry_id (JswWorkerRun *self)
{
  return self->entry->id;
}

JswTargetGuard *
jsw_worker_run_get_guard (JswWorkerRun *self)
{
  return self->guard;
}

/* The furthest step reported; JSW_STEP_NONE before the page opened. */
JswStep
jsw_worker_run_get_step (JswWorkerRun *self)
{
  return self->step;
}

void
jsw_worker_run_start (JswWorkerRun        *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (self->task == NULL);
  self->task = g_task_new (self, NULL, callback, user_data);
  self->started = g_get_monotonic_time ();
  jsw_log (JSW_LOG_INFO, self->entry->id, "run.claimed", "attempt", 'l', self->entry->attempt,
           "proxy", 's', jsw_target_guard_get_upstream (self->guard), NULL);
  if (self->entry->snapshot == NULL || self->entry->snapshot->apply_url == NULL)
    {
      report (self, JSW_OUTCOME_FAILED, NULL, _("The entry has no job to apply to"), NULL);
      return;
    }
  msg = worker_request (self, "profile");
  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    profile_fetched, g_object_ref (self));
}

/**
 * jsw_worker_run_stop:
 * @reason: what the log and the release say
 *
 * Gives the entry back if the form was not sent yet; past `submitting` the
 * run goes on to its result, since stopping it then could leave an
 * application sent and unreported.
 */
void
jsw_worker_run_stop (JswWorkerRun *self,
                     const char   *reason)
{
  if (self->task == NULL || self->stop_reason != NULL)
    return;
  self->stop_reason = g_strdup (reason);
  if (self->step < JSW_STEP_SUBMITTING)
    g_cancellable_cancel (self->cancellable);
}

JswWorkerRunEnd
jsw_worker_run_finish (JswWorkerRun *self,
                       GAsyncResult *result)
{
  return (JswWorkerRunEnd) g_task_propagate_int (G_TASK (result), NULL);
}
