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
 * This file holds the object, the private targets and opening the posting
 * in the engine; jsw-worker-run-lease.c what goes to the server under the
 * lease, jsw-worker-run-result.c the result and its picture
 * (jsw-worker-run-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-log.h"
#include "jsw-worker-run-private.h"

G_DEFINE_FINAL_TYPE (JswWorkerRun, jsw_worker_run, G_TYPE_OBJECT)

/* Private targets */

/* A posting, a redirect or a form post led to @address, which the guard
 * refuses: logged with the entry's id, and the error the person reads. */
static char *
refusal_text (JswWorkerRun *self,
              const char   *url,
              const char   *address)
{
  if (g_str_equal (address, JSW_TARGET_REFUSED_LINKEDIN))
    {
      jsw_log (JSW_LOG_WARNING, self->entry->id, "target.refused", "url", 's', url, "address", 's', address,
               "why", 's', "LinkedIn", NULL);
      return g_strdup_printf (_("The posting’s address %s leads to LinkedIn. LinkedIn applications run only in the "
                                "desktop app, in your own session; JobSwipe’s server never opens LinkedIn, so nothing "
                                "was sent."), url);
    }
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
  g_signal_connect (self->apply, "progress", G_CALLBACK (jsw_worker_run_on_progress), self);
  g_signal_connect (self->apply, "ready-to-send", G_CALLBACK (jsw_worker_run_on_ready_to_send), self);
  jsw_apply_run_start (self->apply, self->cancellable, jsw_worker_run_applied, g_object_ref (self));
}

static void
posting_checked (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autofree char *address = jsw_target_guard_check_host_finish (JSW_TARGET_GUARD (source), res);

  if (g_cancellable_is_cancelled (self->cancellable))
    jsw_worker_run_release (self, self->stop_reason ? self->stop_reason : "stopped");
  else if (address != NULL)
    {
      g_autofree char *text = refusal_text (self, self->entry->snapshot->apply_url, address);

      jsw_worker_run_report (self, JSW_OUTCOME_FAILED, NULL, text, NULL);
    }
  else
    open_posting (self);
}

/* The posting's own address is checked before a page opens, so a refused
 * posting ends the run at once with an error naming it; the guard refuses
 * it anyway, and refuses redirects and subresources on the way. */
void
jsw_worker_run_start_applying (JswWorkerRun *self)
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

  jsw_worker_run_close_browser (self);
  jsw_worker_run_remove_work_dir (self);
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
  g_return_if_fail (self->task == NULL);
  self->task = g_task_new (self, NULL, callback, user_data);
  self->started = g_get_monotonic_time ();
  jsw_log (JSW_LOG_INFO, self->entry->id, "run.claimed", "attempt", 'l', self->entry->attempt,
           "proxy", 's', jsw_target_guard_get_upstream (self->guard), NULL);
  if (self->entry->snapshot == NULL || self->entry->snapshot->apply_url == NULL)
    {
      jsw_worker_run_report (self, JSW_OUTCOME_FAILED, NULL, _("The entry has no job to apply to"), NULL);
      return;
    }
  jsw_worker_run_fetch_profile (self);
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
