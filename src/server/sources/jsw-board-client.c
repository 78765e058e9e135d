/* jsw-board-client.c
 *
 * Blocking calls, made from the one thread that syncs sources (so the
 * server's main loop never waits on a board), one request at a time: no
 * host ever sees two requests from us at once. The SoupSession belongs to
 * that thread (libsoup 3 sessions are used from one thread only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "jsw-common.h"
#include "jsw-board-client.h"

struct _JswBoardClient
{
  GObject      parent_instance;

  SoupSession *session;
  gsize        max_body;
};

G_DEFINE_FINAL_TYPE (JswBoardClient, jsw_board_client, G_TYPE_OBJECT)

void
jsw_board_answer_free (JswBoardAnswer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->etag);
  g_free (answer->last_modified);
  g_free (answer);
}

static void
jsw_board_client_dispose (GObject *object)
{
  JswBoardClient *self = JSW_BOARD_CLIENT (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (jsw_board_client_parent_class)->dispose (object);
}

static void
jsw_board_client_class_init (JswBoardClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_board_client_dispose;
}

static void
jsw_board_client_init (JswBoardClient *self)
{
}

/**
 * jsw_board_client_user_agent:
 *
 * Returns: what every request to a board says it comes from, so that a
 *   board's operator can tell who calls and why
 */
const char *
jsw_board_client_user_agent (void)
{
  return "JobSwipe/" PACKAGE_VERSION " (job feed; syncs open postings every 30 minutes)";
}

/**
 * jsw_board_client_new:
 * @timeout_s: seconds a connection, or a read, may take before the request
 *   fails
 * @max_body: the largest body taken, in bytes
 */
JswBoardClient *
jsw_board_client_new (guint timeout_s,
                      gsize max_body)
{
  JswBoardClient *self = g_object_new (JSW_TYPE_BOARD_CLIENT, NULL);

  self->session = soup_session_new_with_options ("user-agent", jsw_board_client_user_agent (),
                                                 "timeout", timeout_s,
                                                 "idle-timeout", 60,
                                                 "max-conns", 4,
                                                 "max-conns-per-host", 1,
                                                 NULL);
  self->max_body = max_body;
  return self;
}

static GBytes *
read_body (GInputStream  *stream,
           gsize          max_body,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 chunk[64 * 1024];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (body->len + (gsize) n > max_body)
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                       _("The board sent more than %" G_GSIZE_FORMAT " MiB"), max_body / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (body, chunk, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

/**
 * jsw_board_client_get:
 * @url: the board's URL
 * @etag: (nullable): the ETag of the last answer, sent as If-None-Match
 * @last_modified: (nullable): its Last-Modified, sent as If-Modified-Since
 * @error: G_IO_ERROR (G_IO_ERROR_TIMED_OUT, a refused connection...),
 *   JSW_ERROR_INVALID (a body over the limit), or JSW_ERROR_INTERNAL for
 *   an answer other than 2xx and 304 (its status in the message)
 *
 * Returns: (transfer full): the answer: 2xx with its body, or 304 without
 */
JswBoardAnswer *
jsw_board_client_get (JswBoardClient  *self,
                      const char      *url,
                      const char      *etag,
                      const char      *last_modified,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(JswBoardAnswer) answer = g_new0 (JswBoardAnswer, 1);
  SoupMessageHeaders *headers;

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” is not a URL"), url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json, application/xml;q=0.9, */*;q=0.1");
  if (etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", etag);
  if (last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", last_modified);

  stream = soup_session_send (self->session, msg, cancellable, error);
  if (stream == NULL)
    return NULL;

  answer->status = soup_message_get_status (msg);
  if (answer->status == SOUP_STATUS_NOT_MODIFIED)
    {
      answer->etag = g_strdup (etag);
      answer->last_modified = g_strdup (last_modified);
      return g_steal_pointer (&answer);
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (answer->status))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("The board answered %u %s"),
                   answer->status, soup_message_get_reason_phrase (msg));
      return NULL;
    }

  /* A length over the limit is refused before any of the body is read. */
  headers = soup_message_get_response_headers (msg);
  if (soup_message_headers_get_content_length (headers) > (goffset) self->max_body)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The board sent more than %" G_GSIZE_FORMAT " MiB"), self->max_body / (1024 * 1024));
      return NULL;
    }
  answer->body = read_body (stream, self->max_body, cancellable, error);
  if (answer->body == NULL)
    return NULL;
  headers = soup_message_get_response_headers (msg);
  answer->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  answer->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  return g_steal_pointer (&answer);
}
