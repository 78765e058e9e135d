/* jsw-test-stream.c: a test's client of /v1/stream (frames read into a
 * queue, waited for with a timeout) and waiting on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-test-util.h"

static void
on_stream_message (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *bytes,
                   JswTestStream           *stream)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_queue_push_tail (&stream->frames, json_node_ref (json_parser_get_root (parser)));
}

static void
on_stream_closed (SoupWebsocketConnection *ws,
                  JswTestStream           *stream)
{
  stream->closed = TRUE;
  stream->close_code = soup_websocket_connection_get_close_code (ws);
}

typedef struct {
  SoupWebsocketConnection *ws;
  GError                  *error;
  gboolean                 done;
} ConnectResult;

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ConnectResult *connect = user_data;

  connect->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &connect->error);
  connect->done = TRUE;
}

JswTestStream *
jsw_test_stream_open (JswTestServer *server,
                      const char    *token,
                      guint         *http_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", server->ws_url);
  ConnectResult connect = { NULL, NULL, FALSE };
  JswTestStream *stream;

  /* Offer permessage-deflate, as browsers and Node's ws do (a default
   * SoupSession does not). */
  soup_session_add_feature_by_type (session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connected, &connect);
  while (!connect.done)
    g_main_context_iteration (NULL, TRUE);

  if (http_status != NULL)
    *http_status = soup_message_get_status (msg);
  if (connect.ws == NULL)
    {
      g_clear_error (&connect.error);
      return NULL;
    }

  stream = g_new0 (JswTestStream, 1);
  stream->ws = connect.ws;
  g_queue_init (&stream->frames);
  /* A client may send frames as large as it likes; the server decides. */
  soup_websocket_connection_set_max_incoming_payload_size (stream->ws, 64 * 1024 * 1024);
  g_signal_connect (stream->ws, "message", G_CALLBACK (on_stream_message), stream);
  g_signal_connect (stream->ws, "closed", G_CALLBACK (on_stream_closed), stream);
  return stream;
}

void
jsw_test_stream_send (JswTestStream *stream,
                      const char    *text)
{
  soup_websocket_connection_send_text (stream->ws, text);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

JsonObject *
jsw_test_stream_next (JswTestStream *stream,
                      guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, set_flag, &timed_out);
  g_autoptr(JsonNode) node = NULL;

  while (g_queue_is_empty (&stream->frames) && !timed_out && !stream->closed)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  node = g_queue_pop_head (&stream->frames);
  if (node == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

JsonObject *
jsw_test_stream_expect (JswTestStream *stream,
                        const char    *type)
{
  JsonObject *frame = jsw_test_stream_next (stream, 10000);

  if (frame == NULL)
    g_error ("Expected a “%s” frame, got nothing", type);
  if (g_strcmp0 (json_object_get_string_member_with_default (frame, "type", ""), type) != 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), frame);
      g_autofree char *text = json_to_string (node, FALSE);

      g_error ("Expected a “%s” frame, got %s", type, text);
    }
  return frame;
}

/* The next frame of @type, past the `entry` changes a desktop stream is
 * also sent in between. */
JsonObject *
jsw_test_stream_expect_past_changes (JswTestStream *stream,
                                     const char    *type)
{
  for (;;)
    {
      JsonObject *frame = jsw_test_stream_next (stream, 10000);
      const char *got = frame ? json_object_get_string_member_with_default (frame, "type", "") : NULL;

      if (frame == NULL)
        g_error ("Expected a “%s” frame, got nothing", type);
      if (g_str_equal (got, type))
        return frame;
      if (!g_str_equal (got, "entry"))
        g_error ("Expected a “%s” frame, got a “%s”", type, got);
      json_object_unref (frame);
    }
}

/* TRUE when no frame arrives within @ms. */
gboolean
jsw_test_stream_quiet (JswTestStream *stream,
                       guint          ms)
{
  g_autoptr(JsonObject) frame = jsw_test_stream_next (stream, ms);

  return frame == NULL;
}

gboolean
jsw_test_stream_wait_closed (JswTestStream *stream,
                             guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, set_flag, &timed_out);

  while (!stream->closed && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return stream->closed;
}

void
jsw_test_stream_free (JswTestStream *stream)
{
  if (stream->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (stream->ws, stream);
      if (soup_websocket_connection_get_state (stream->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (stream->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&stream->ws);
    }
  g_queue_clear_full (&stream->frames, (GDestroyNotify) json_node_unref);
  g_free (stream);
}

void
jsw_test_iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
