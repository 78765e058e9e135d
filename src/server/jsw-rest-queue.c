/* jsw-rest-queue.c: the queue's endpoints: GET /v1/queue, and an entry
 * read (GET /v1/queue/ID) or acted on (POST /v1/queue/ID/ACTION)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-queue"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-rest-body.h"
#include "jsw-rest-queue.h"

/* GET /v1/queue[?state=S] */
void
jsw_rest_queue_list (JswRestContext *rest,
                     JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  const char *state_name = request->query ? g_hash_table_lookup (request->query, "state") : NULL;
  JswState state = JSW_N_STATES;

  if (state_name != NULL && !jsw_state_from_string (state_name, &state))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, _("Unknown state in “state”"));
      return;
    }

  entries = jsw_store_list_entries (rest->store, request->auth->user_id,
                                    state_name != NULL ? (int) state : -1, &error);
  if (entries == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (builder, jsw_entry_to_json_node (g_ptr_array_index (entries, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  jsw_rest_reply_json (request->msg, SOUP_STATUS_OK, node);
}

/* The body {"target": "server"|"desktop"} of route and of retry. */
static gboolean
parse_target (JswRestRequest  *request,
              JswTarget       *target,
              GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = jsw_rest_parse_body (request->msg, &root, error);

  return body != NULL && jsw_rest_body_route (body, target, error);
}

static JswEntry *
route_entry (JswRestContext  *rest,
             JswRestRequest  *request,
             const char      *entry_id,
             GPtrArray       *events,
             GError         **error)
{
  JswTarget target;

  if (!parse_target (request, &target, error))
    return NULL;
  return jsw_store_route_entry (rest->store, request->auth->user_id, entry_id, target, jsw_rest_now (),
                                events, error);
}

/* POST /v1/queue/{id}/retry, with an optional body {"target":
 * "server"|"desktop"} (docs/server.md, Additions): queued again and moved
 * there in one request, before anything can claim it where it was (a
 * worker would otherwise claim an entry the person asked to finish on
 * their desktop). The body is checked before anything changes. */
static JswEntry *
retry_entry (JswRestContext  *rest,
             JswRestRequest  *request,
             const char      *entry_id,
             GPtrArray       *events,
             GError         **error)
{
  g_autoptr(JswEntry) entry = NULL;
  JswTarget target = JSW_TARGET_UNDECIDED;

  if (soup_server_message_get_request_body (request->msg)->length > 0 && !parse_target (request, &target, error))
    return NULL;
  entry = jsw_store_retry_entry (rest->store, request->auth->user_id, entry_id, jsw_rest_now (), events, error);
  if (entry == NULL || target == JSW_TARGET_UNDECIDED || entry->target == target)
    return g_steal_pointer (&entry);
  return jsw_store_route_entry (rest->store, request->auth->user_id, entry_id, target, jsw_rest_now (),
                                events, error);
}

/* POST /v1/queue/{id}/resolve {"sent": true|false} (docs/server.md) */
static JswEntry *
resolve_entry (JswRestContext  *rest,
               JswRestRequest  *request,
               const char      *entry_id,
               GPtrArray       *events,
               GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = jsw_rest_parse_body (request->msg, &root, error);
  gboolean sent;

  if (body == NULL || !jsw_json_get_boolean (body, "sent", JSW_FIELD_REQUIRED, &sent, error))
    return NULL;
  return jsw_store_resolve_entry (rest->store, request->auth->user_id, entry_id, sent, jsw_rest_now (),
                                  events, error);
}

/* GET /v1/queue/{id} and POST /v1/queue/{id}/{route,cancel,retry,resolve}: routed
 * here whatever the method, which is answered for (segments: "v1", "queue",
 * the id, and the action if any) */
void
jsw_rest_queue_entry (JswRestContext *rest,
                      JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const char *user_id = request->auth->user_id;
  const char *entry_id = request->segments[2];
  const char *action = request->n_segments > 3 ? request->segments[3] : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();

  if (*entry_id == '\0')
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }

  if (action == NULL)
    {
      if (!g_str_equal (request->method, "GET"))
        {
          jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, _("Use GET to read an entry"));
          return;
        }
      entry = jsw_store_get_entry (rest->store, user_id, entry_id, &error);
    }
  else if (!g_str_equal (request->method, "POST"))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, _("Use POST for this action"));
      return;
    }
  else if (g_str_equal (action, "route"))
    entry = route_entry (rest, request, entry_id, events, &error);
  else if (g_str_equal (action, "cancel"))
    entry = jsw_store_cancel_entry (rest->store, user_id, entry_id, jsw_rest_now (), events, &error);
  else if (g_str_equal (action, "retry"))
    entry = retry_entry (rest, request, entry_id, events, &error);
  else if (g_str_equal (action, "resolve"))
    entry = resolve_entry (rest, request, entry_id, events, &error);
  else
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }

  if (entry == NULL)
    {
      jsw_rest_reply_error (msg, error);
      /* What was committed before the error (a retry whose move then
       * conflicted) is still told: events hold committed changes only. */
      jsw_hub_publish (rest->hub, events);
      return;
    }

  jsw_rest_reply_entry (msg, SOUP_STATUS_OK, entry);
  jsw_hub_publish (rest->hub, events);
}
