/* jsw-apply-run-page.c: a run's calls into the adapters' script world, its page loads and its
 * polling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-apply-run-private.h"
#include "jsw-engine.h"
#include "jsw-json.h"

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
  if (!_jsw_apply_is_running (self) || serial != self->js_serial || self->js_pending == NULL)
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
  if (callback != NULL && _jsw_apply_is_running (self))
    callback (self, NULL, error);
  return G_SOURCE_REMOVE;
}

/* Calls @body in the adapters' script world; @callback gets its answer,
 * or an error when there is none within @answer_ms. One call at a time. */
void
_jsw_apply_call_js_within (JswApplyRun *self,
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

void
_jsw_apply_call_js (JswApplyRun *self,
                    const char  *body,
                    GVariant    *arguments,
                    JsCallback   callback)
{
  _jsw_apply_call_js_within (self, JS_ANSWER_MS, body, arguments, callback);
}

GVariant *
_jsw_apply_arguments (const char *first_name,
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

GPtrArray *
_jsw_apply_string_list (JsonObject *object,
                        const char *member)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array = NULL;

  jsw_json_get_array (object, member, 0, &array, NULL);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (list, g_strdup (json_node_get_string (node)));
    }
  return list;
}

void
_jsw_apply_add_all (GPtrArray *to,
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
  _jsw_apply_finish (self, JSW_OUTCOME_FAILED, message);
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
  if (_jsw_apply_is_running (self) && self->after_load != NULL)
    self->after_load (self);
}

void
_jsw_apply_load (JswApplyRun *self,
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
  if (_jsw_apply_is_running (self))
    self->poll_step (self);
  return G_SOURCE_REMOVE;
}

gboolean
_jsw_apply_schedule_poll_in (JswApplyRun *self,
                             guint        interval_ms,
                             RunStep      step)
{
  if (_jsw_apply_now_ms () >= self->poll_deadline)
    return FALSE;
  self->poll_step = step;
  self->poll_id = g_timeout_add (interval_ms, poll_again, self);
  return TRUE;
}

gboolean
_jsw_apply_schedule_poll (JswApplyRun *self,
                          RunStep      step)
{
  return _jsw_apply_schedule_poll_in (self, POLL_INTERVAL_MS, step);
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
  self->poll_deadline = _jsw_apply_now_ms () + FORM_WAIT_MS;
  return _jsw_apply_schedule_poll (self, _jsw_apply_detect);
}


/* The web process went away (it crashed, or the system ended it). Every
 * call into the page now fails at once, with WebKit's "Unsupported result
 * type" (WEBKIT_JAVASCRIPT_ERROR_INVALID_RESULT), and would until the
 * run's deadline; loading a page starts a new web process. Before the send
 * button was pressed nothing was sent: the application is opened again and
 * gone through from the start, what is filled being filled again. After
 * the press it may have gone: unconfirmed, never sent twice. A page the
 * person was reviewing is theirs: it is not filled again behind them. */
void
_jsw_apply_on_web_process_terminated_cb (WebKitWebView                     *view,
                                         WebKitWebProcessTerminationReason  reason,
                                         JswApplyRun                       *self)
{
  /* The page and the reason are said on stderr by the engine, for every
   * view (jsw_engine_create_view()); what the run adds is where it was. */
  g_message ("The web page's process ended at %s",
             self->result ? jsw_step_to_string (MAX (self->result->last_step, JSW_STEP_OPENING)) : "the end");
  if (!_jsw_apply_is_running (self))
    return;
  if (self->sent_at != 0)
    {
      _jsw_apply_finish_unconfirmed (self);
      return;
    }
  if (self->sending_reviewed || self->page_restarts >= MAX_PAGE_RESTARTS)
    {
      _jsw_apply_finish (self, JSW_OUTCOME_FAILED, _("The web page stopped working before the application was sent; nothing was sent"));
      return;
    }
  self->page_restarts++;
  /* An answer to the ask made on the dead page comes to nothing: the
   * form is filled again and the run asks again before sending. */
  self->awaiting_send = FALSE;
  self->followed_frame = FALSE;
  self->apply_presses = 0;
  self->wizard_pages = 0;
  self->looks_again = 0;
  g_ptr_array_set_size (self->result->filled, 0);
  g_clear_pointer (&self->result->values, json_array_unref);
  self->result->values = json_array_new ();
  _jsw_apply_report (self, JSW_STEP_OPENING, 5, _("The web page stopped working; opening it again"));
  _jsw_apply_load (self, self->url, _jsw_apply_page_opened);
}

/* A step's call into the page: returns FALSE when it answered (@error
 * unset); else TRUE, having looked at the page again or ended the run as
 * failed. */
gboolean
_jsw_apply_step_failed (JswApplyRun  *self,
                        const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (!look_again (self, error))
    _jsw_apply_finish (self, JSW_OUTCOME_FAILED, error->message);
  return TRUE;
}
