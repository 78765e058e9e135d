/* jsw-queue-client-linkedin.c
 *
 * LinkedIn's own stops (its daily-limit panel, its throttle, a security
 * check, a restricted account), told to the server over REST so that it
 * pauses the person's LinkedIn applications (docs/server.md "LinkedIn").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-queue-client-private.h"

static void
linkedin_stop_sent (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);

  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_task_return_new_error (task, JSW_ERROR, JSW_ERROR_INVALID, "POST /v1/me/linkedin/stop: HTTP %u",
                             soup_message_get_status (msg));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * jsw_queue_client_linkedin_stop_async:
 * @reason: LinkedIn's stop: `daily_limit`, `throttled`, `checkpoint` or
 *   `restricted`
 *
 * Tells the server what LinkedIn showed (`POST /v1/me/linkedin/stop`,
 * docs/server.md "LinkedIn"), which pauses the person's LinkedIn
 * applications accordingly.
 */
void
jsw_queue_client_linkedin_stop_async (JswQueueClient      *self,
                                      const char          *reason,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *url = g_strconcat (self->server_url, "/v1/me/linkedin/stop", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg = soup_message_new ("POST", url);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  char *text;

  g_task_set_task_data (task, msg, g_object_unref);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, linkedin_stop_sent, task);
}

gboolean
jsw_queue_client_linkedin_stop_finish (JswQueueClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
