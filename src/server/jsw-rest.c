/* jsw-rest.c: how every REST handler reads its request and answers
 *
 * Answers are JSON (PROTOCOL.md); every refusal is the error document of
 * jsw_rest_error_node() with the HTTP status of its code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-log.h"
#include "jsw-rest-body.h"
#include "jsw-rest.h"

/* Wall-clock time in µs: what the store's timestamps are in. */
gint64
jsw_rest_now (void)
{
  return g_get_real_time ();
}

/**
 * jsw_rest_reply_json:
 * @node: the whole answer, written strictly (jsw_json_node_to_string())
 */
void
jsw_rest_reply_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *node)
{
  g_autofree char *body = jsw_json_node_to_string (node);
  gsize length = strlen (body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), length);
}

/**
 * jsw_rest_reply_text:
 * @body: (transfer full): the answer as it goes out
 */
void
jsw_rest_reply_text (SoupServerMessage *msg,
                     guint              status,
                     const char        *content_type,
                     char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
jsw_rest_reply_entry (SoupServerMessage *msg,
                      guint              status,
                      JswEntry          *entry)
{
  jsw_rest_reply_text (msg, status, "application/json", jsw_entry_to_json (entry));
}

/**
 * jsw_rest_reply_error_code:
 * @message: for a person: translated
 *
 * Answers with the error document of @code, with its HTTP status.
 */
void
jsw_rest_reply_error_code (SoupServerMessage *msg,
                           JswErrorCode       code,
                           const char        *message)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = jsw_error_http_status (code);
  const char *name = jsw_error_code_name (code);

  /* already_claimed and lease_expired are stream codes; over HTTP the same
   * situations are conflicts. */
  if (code == JSW_ERROR_ALREADY_CLAIMED || code == JSW_ERROR_LEASE_EXPIRED)
    name = "conflict";

  node = jsw_rest_error_node (name, message);

  if (code == JSW_ERROR_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"jobswipe\"");
  jsw_rest_reply_json (msg, status, node);
}

/**
 * jsw_rest_reply_error:
 * @error: a %JSW_ERROR; any other domain counts as internal
 *
 * Answers with @error's code and message; an internal error is logged
 * and answered without its details, which are not the client's business.
 */
void
jsw_rest_reply_error (SoupServerMessage *msg,
                      const GError      *error)
{
  JswErrorCode code = jsw_error_code_of (error);
  const char *cid = g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);

  if (code == JSW_ERROR_INTERNAL)
    {
      jsw_log (JSW_LOG_ERROR, cid, "http.internal_error", "message", 's', error->message, NULL);
      jsw_rest_reply_error_code (msg, code, _("Something went wrong on the server; try again"));
      return;
    }
  jsw_rest_reply_error_code (msg, code, error->message);
}

/**
 * jsw_rest_parse_body:
 * @root: (out): holds the returned object
 *
 * Returns: (transfer none): the request's body as a strict JSON object
 *   (jsw_json_parse_object()), or %NULL with @error set:
 *   %JSW_ERROR_PAYLOAD_TOO_LARGE over JSW_MAX_BODY_SIZE, %JSW_ERROR_INVALID
 *   for anything but one JSON object
 */
JsonObject *
jsw_rest_parse_body (SoupServerMessage  *msg,
                     JsonNode          **root,
                     GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length > JSW_MAX_BODY_SIZE)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_PAYLOAD_TOO_LARGE, _("The request body is larger than 1 MiB"));
      return NULL;
    }
  return jsw_json_parse_object (data, length, root, error);
}

/**
 * jsw_rest_client_address:
 *
 * Returns: (transfer full): the client's IP address as text, or "unknown"
 */
char *
jsw_rest_client_address (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("unknown");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/**
 * jsw_rest_set_retry_after:
 * @wait_usec: how long the client must wait, µs (> 0)
 *
 * Sets Retry-After (whole seconds, rounded up to at least 1) on the
 * response: every 429 carries one (docs/server.md, RFC 9110 §10.2.3).
 */
void
jsw_rest_set_retry_after (SoupServerMessage *msg,
                          gint64             wait_usec)
{
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait_usec / G_USEC_PER_SEC + 1);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
}

/**
 * jsw_rest_prepare_unreadable_answer:
 *
 * A request libsoup cannot read (a request line that is not HTTP, a
 * malformed header) is answered by libsoup itself, 400 without a body,
 * before any handler or signal of ours sees it: only request-started
 * comes before (libsoup 3.2, soup-server-message-io-http1.c io_read()).
 * So every request starts with this body in place, and loses it once
 * libsoup has read its headers (jsw_rest_forget_unreadable_answer(),
 * from the early handler, the first of ours libsoup calls then; a path
 * libsoup refuses before, climbing out with "..", keeps it). Call it
 * from SoupServer::request-started.
 */
void
jsw_rest_prepare_unreadable_answer (SoupServerMessage *msg)
{
  g_autoptr(JsonNode) node = jsw_rest_error_node ("invalid", _("The server could not read this HTTP request: "
                                                             "its request line or a header is malformed"));
  g_autofree char *body = jsw_json_node_to_string (node);
  gsize length = strlen (body);

  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&body), length);
}

/* The request's headers were read: its handler answers. (A response is
 * appended to, never replaced, by soup_server_message_set_response().) */
void
jsw_rest_forget_unreadable_answer (SoupServerMessage *msg)
{
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

/**
 * jsw_rest_repeated_parameter:
 *
 * libsoup keeps one of a parameter given twice (limit=3&limit=4 was read
 * as 4), so which one a request meant cannot be known: it is refused.
 *
 * Returns: (transfer full) (nullable): the name of a parameter the query
 *   string gives more than once, or %NULL
 */
char *
jsw_rest_repeated_parameter (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) seen = NULL;
  GUriParamsIter iter;
  char *name;

  if (query == NULL)
    return NULL;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, NULL, NULL))
    {
      if (g_hash_table_contains (seen, name))
        return name;
      g_hash_table_add (seen, name);
    }
  return NULL;
}
