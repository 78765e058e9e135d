/* jsw-target-guard.c: the worker's forward proxy on loopback
 *
 * A posting could point the worker at http://169.254.169.254/ (a cloud's
 * metadata service), at 127.0.0.1 or at the operator's private network, by
 * its URL, by a redirect, by a name that resolves there, or by one image or
 * fetch() on an innocent page. WebKitGTK 6.0 lets the UI process veto
 * navigations (`decide-policy`) but not subresources; only a web process
 * extension (`send-request` on WebKitWebPage) sees those, and it sees a
 * name, not the address the network process then connects to. So every
 * run's network session is pointed at this proxy (WebKit's custom proxy
 * settings send everything through it: documents, subresources, redirects,
 * form posts, WebSockets), and the proxy resolves each host itself, refuses
 * it when any of its addresses is loopback, link-local, private or
 * otherwise not public, and connects to the very address it checked, so a
 * name that changes its answer between check and use (DNS rebinding) gains
 * nothing. Unless the worker was started with --allow-private-targets.
 *
 * It also carries the run's upstream proxy (the operator's --proxy-list):
 * it connects to the checked address through it (GIO's http, https and
 * socks5 GProxy), so the upstream sees an address, never a name to resolve
 * again. A failure to reach the upstream itself is told apart from the
 * target's failure ("upstream-failed"), so the worker can retire that proxy
 * and release the attempt rather than fail it.
 *
 * Each connection is served by a thread of a GThreadedSocketService with
 * blocking calls: a request head, one lookup, one connect, then the two
 * directions spliced until either side closes. Guards live as long as the
 * worker (their threads use them). Plain http requests are
 * forwarded with `Connection: close`, so one connection carries one origin.
 *
 * This file serves the connections; which addresses are let through is
 * jsw-target-guard-address.c's, resolving and the refusals kept
 * jsw-target-guard-resolve.c's (jsw-target-guard-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-target-guard-private.h"

#define MAX_HEAD_BYTES   (64 * 1024)
#define IO_TIMEOUT_S     30
#define MAX_THREADS      256

G_DEFINE_FINAL_TYPE (JswTargetGuard, jsw_target_guard, G_TYPE_OBJECT)

enum {
  REFUSED,
  UPSTREAM_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Signals go out on the worker's main context, never from a connection's
 * thread. */

typedef struct {
  JswTargetGuard *guard;
  guint           signal;
  char           *text;
} Notice;

static gboolean
emit_notice (gpointer data)
{
  Notice *notice = data;

  g_signal_emit (notice->guard, signals[notice->signal], 0, notice->text);
  g_object_unref (notice->guard);
  g_free (notice->text);
  g_free (notice);
  return G_SOURCE_REMOVE;
}

static void
notify_main (JswTargetGuard *self,
             guint           signal,
             const char     *text)
{
  Notice *notice = g_new0 (Notice, 1);

  notice->guard = g_object_ref (self);
  notice->signal = signal;
  notice->text = g_strdup (text);
  g_main_context_invoke (self->main_context, emit_notice, notice);
}

/* One connection */

typedef struct {
  char   *method;
  char   *host;
  guint16 port;
  char   *forward_head;   /* plain http: the head to send the origin; NULL for CONNECT */
  GBytes *rest;           /* what the client sent after its head */
} Request;

static void
request_clear (Request *request)
{
  g_free (request->method);
  g_free (request->host);
  g_free (request->forward_head);
  g_clear_pointer (&request->rest, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

static gboolean
hop_by_hop (const char *line)
{
  static const char *names[] = { "connection:", "proxy-connection:", "keep-alive:",
                                 "proxy-authorization:", "te:", "upgrade:" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strncasecmp (line, names[i], strlen (names[i])) == 0)
      return TRUE;
  return FALSE;
}

/* The head of a plain http request in absolute form, rewritten for the
 * origin: origin-form target, hop-by-hop headers dropped, one request per
 * connection. */
static char *
forward_head (const char  *method,
              GUri        *uri,
              const char  *version,
              char       **header_lines)
{
  GString *head = g_string_new (NULL);
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);

  g_string_append_printf (head, "%s %s%s%s %s\r\n", method, *path ? path : "/",
                          query ? "?" : "", query ? query : "", version);
  for (guint i = 0; header_lines[i] != NULL; i++)
    if (*header_lines[i] != '\0' && !hop_by_hop (header_lines[i]))
      g_string_append_printf (head, "%s\r\n", header_lines[i]);
  g_string_append (head, "Connection: close\r\n\r\n");
  return g_string_free (head, FALSE);
}

static gboolean
parse_request (const char  *head,
               gsize        head_length,
               Request     *request,
               GError     **error)
{
  g_autofree char *text = g_strndup (head, head_length);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_auto(GStrv) parts = lines[0] ? g_strsplit (lines[0], " ", 3) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP request line");
      return FALSE;
    }
  request->method = g_strdup (parts[0]);
  if (g_str_equal (parts[0], "CONNECT"))
    {
      g_autoptr(GSocketConnectable) target = g_network_address_parse (parts[1], 443, error);

      if (target == NULL)
        return FALSE;
      request->host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (target)));
      request->port = g_network_address_get_port (G_NETWORK_ADDRESS (target));
      return TRUE;
    }
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (parts[1], G_URI_FLAGS_ENCODED, error);

      if (uri == NULL)
        return FALSE;
      if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || g_uri_get_host (uri) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "only http:// URLs and CONNECT go through");
          return FALSE;
        }
      request->host = g_strdup (g_uri_get_host (uri));
      request->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80;
      request->forward_head = forward_head (parts[0], uri, parts[2], lines + 1);
      return TRUE;
    }
}

/* Reads up to the end of the request head; what came after it is kept. */
static gboolean
read_request (GInputStream  *input,
              Request       *request,
              GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[4096];

  while (buffer->len < MAX_HEAD_BYTES)
    {
      gssize n = g_input_stream_read (input, chunk, sizeof chunk, NULL, error);
      const char *end;

      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "closed before the request head ended");
          return FALSE;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
      end = g_strstr_len ((const char *) buffer->data, buffer->len, "\r\n\r\n");
      if (end != NULL)
        {
          gsize head_length = end - (const char *) buffer->data;

          request->rest = g_bytes_new (buffer->data + head_length + 4, buffer->len - head_length - 4);
          return parse_request ((const char *) buffer->data, head_length, request, error);
        }
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "request head too large");
  return FALSE;
}

/* Through the upstream proxy to @address: the upstream is only told the
 * address. *upstream_failed says whether the upstream itself failed
 * (unreachable, refused our credentials) rather than the target. */
static GIOStream *
connect_via_upstream (JswTargetGuard  *self,
                      GInetAddress    *address,
                      guint16          port,
                      gboolean        *upstream_failed,
                      GError         **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GProxy) proxy = NULL;
  g_autoptr(GInetAddress) proxy_address = NULL;
  g_autoptr(GSocketAddress) proxy_socket_address = NULL;
  g_autofree char *destination = g_inet_address_to_string (address);
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  const char *scheme = g_uri_get_scheme (self->upstream_uri);
  const char *userinfo = g_uri_get_user (self->upstream_uri);
  GIOStream *stream;
  int default_port = g_str_equal (scheme, "socks5") ? 1080 : g_str_equal (scheme, "https") ? 443 : 80;

  g_socket_client_set_timeout (client, IO_TIMEOUT_S);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (self->upstream_uri),
                                                g_uri_get_port (self->upstream_uri) > 0
                                                  ? g_uri_get_port (self->upstream_uri) : default_port,
                                                NULL, error);
  if (connection == NULL)
    {
      *upstream_failed = TRUE;
      return NULL;
    }
  proxy = g_proxy_get_default_for_protocol (scheme);
  if (proxy == NULL)
    {
      *upstream_failed = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no %s proxy support", scheme);
      return NULL;
    }
  if (userinfo != NULL)
    {
      user = g_uri_unescape_string (userinfo, NULL);
      password = g_uri_get_password (self->upstream_uri)
                 ? g_uri_unescape_string (g_uri_get_password (self->upstream_uri), NULL) : NULL;
    }
  proxy_socket_address = g_socket_connection_get_remote_address (connection, NULL);
  proxy_address = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (proxy_socket_address)));
  {
    g_autoptr(GSocketAddress) proxied = g_proxy_address_new (proxy_address,
                                                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (proxy_socket_address)),
                                                             scheme, destination, port, user, password);

    stream = g_proxy_connect (proxy, G_IO_STREAM (connection), G_PROXY_ADDRESS (proxied), NULL, error);
  }
  /* The upstream answered but would not carry this one connection (the
   * target refused it, say): the target's failure. Anything else means
   * the proxy itself is not usable. */
  if (stream == NULL && error != NULL && *error != NULL &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    *upstream_failed = TRUE;
  return stream;
}

static GIOStream *
connect_direct (GInetAddress  *address,
                guint16        port,
                GError       **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (address, port);

  g_socket_client_set_timeout (client, IO_TIMEOUT_S);
  return (GIOStream *) g_socket_client_connect (client, G_SOCKET_CONNECTABLE (target), NULL, error);
}

static void
write_all (GOutputStream *output,
           const void    *data,
           gsize          length)
{
  g_output_stream_write_all (output, data, length, NULL, NULL, NULL);
}

/* @refused: the address a refusal names, sent as JSW_TARGET_REFUSED_HEADER
 * so the run that asked can say which address it was refused. */
static void
answer_error (GIOStream  *client,
              guint       status,
              const char *reason,
              const char *message,
              const char *refused)
{
  g_autofree char *body = g_strdup_printf ("%s\n", message);
  g_autofree char *named = refused ? g_strdup_printf ("%s: %s\r\n", JSW_TARGET_REFUSED_HEADER, refused) : NULL;
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                           "%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
                                           status, reason, named ? named : "", strlen (body));

  write_all (g_io_stream_get_output_stream (client), head, strlen (head));
  write_all (g_io_stream_get_output_stream (client), body, strlen (body));
}

static void
splice_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
  g_main_loop_quit (user_data);
}

/* Both directions until either side closes, in this connection's thread. */
static void
splice (GIOStream *a,
        GIOStream *b)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  g_io_stream_splice_async (a, b, G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, splice_done, loop);
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (context);
}

static void
serve (JswTargetGuard    *self,
       GSocketConnection *connection)
{
  GIOStream *client = G_IO_STREAM (connection);
  g_auto(Request) request = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) origin = NULL;
  GList *addresses;
  g_autofree char *refused = NULL;
  gboolean upstream_failed = FALSE;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), IO_TIMEOUT_S);
  if (!read_request (g_io_stream_get_input_stream (client), &request, &error))
    {
      answer_error (client, 400, "Bad Request", error->message, NULL);
      return;
    }

  addresses = jsw_target_guard_resolve_checked (self, request.host, request.port, &refused, &error);
  if (addresses == NULL)
    {
      if (refused != NULL)
        notify_main (self, REFUSED, error->message);
      answer_error (client, refused ? 403 : 502, refused ? "Forbidden" : "Bad Gateway", error->message, refused);
      return;
    }
  for (GList *l = addresses; l != NULL && origin == NULL && !upstream_failed; l = l->next)
    {
      g_clear_error (&error);
      origin = self->upstream_uri != NULL
               ? connect_via_upstream (self, l->data, request.port, &upstream_failed, &error)
               : connect_direct (l->data, request.port, &error);
    }
  g_resolver_free_addresses (addresses);
  if (origin == NULL)
    {
      if (upstream_failed)
        notify_main (self, UPSTREAM_FAILED, error->message);
      answer_error (client, 502, "Bad Gateway", error->message, NULL);
      return;
    }

  if (request.forward_head == NULL)
    {
      static const char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";

      write_all (g_io_stream_get_output_stream (client), established, strlen (established));
    }
  else
    write_all (g_io_stream_get_output_stream (origin), request.forward_head, strlen (request.forward_head));
  if (g_bytes_get_size (request.rest) > 0)
    write_all (g_io_stream_get_output_stream (origin), g_bytes_get_data (request.rest, NULL),
               g_bytes_get_size (request.rest));
  /* A tunnel may idle (a WebSocket, a kept-alive TLS connection): no
   * timeout once it is established. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  splice (client, origin);
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  serve (user_data, connection);
  return TRUE;
}

static void
jsw_target_guard_dispose (GObject *object)
{
  JswTargetGuard *self = (JswTargetGuard *) object;

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  G_OBJECT_CLASS (jsw_target_guard_parent_class)->dispose (object);
}

static void
jsw_target_guard_finalize (GObject *object)
{
  JswTargetGuard *self = (JswTargetGuard *) object;

  g_free (self->url);
  g_free (self->upstream);
  g_clear_pointer (&self->upstream_uri, g_uri_unref);
  g_ptr_array_unref (self->allowed);
  g_hash_table_unref (self->refusals);
  g_mutex_clear (&self->refusals_lock);
  g_main_context_unref (self->main_context);
  G_OBJECT_CLASS (jsw_target_guard_parent_class)->finalize (object);
}

static void
jsw_target_guard_class_init (JswTargetGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_target_guard_dispose;
  object_class->finalize = jsw_target_guard_finalize;

  /* A request refused for its address; the argument says why. */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The upstream proxy could not be used; the argument says why. */
  signals[UPSTREAM_FAILED] = g_signal_new ("upstream-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
jsw_target_guard_init (JswTargetGuard *self)
{
  self->main_context = g_main_context_ref_thread_default ();
  self->allowed = g_ptr_array_new_with_free_func (g_free);
  self->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->refusals_lock);
}


/**
 * jsw_target_guard_new:
 * @upstream: (nullable): the proxy to go through (`http://`, `https://` or
 *   `socks5://`, with optional `user:password@`), or NULL to connect directly
 * @allow_private: whether loopback, link-local and private targets are allowed
 * @allowed: (nullable): "ADDRESS:PORT" targets let through although not
 *   public (an operator's own site; tests), NULL-terminated
 *
 * Starts listening on a free port of 127.0.0.1. Its signals are emitted on
 * the thread-default main context of the caller.
 *
 * Returns: the guard, or NULL with @error when @upstream is not a proxy URL,
 *   an @allowed item is not an address and a port, or no port could be bound
 */
JswTargetGuard *
jsw_target_guard_new (const char          *upstream,
                      gboolean             allow_private,
                      const char * const  *allowed,
                      GError             **error)
{
  g_autoptr(JswTargetGuard) self = g_object_new (JSW_TYPE_TARGET_GUARD, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  self->allow_private = allow_private;
  for (guint i = 0; allowed != NULL && allowed[i] != NULL; i++)
    {
      char *key = jsw_target_guard_parse_allowed (allowed[i], error);

      if (key == NULL)
        return NULL;
      g_ptr_array_add (self->allowed, key);
    }
  if (upstream != NULL)
    {
      const char *scheme;

      self->upstream_uri = g_uri_parse (upstream, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, error);
      if (self->upstream_uri == NULL)
        return NULL;
      scheme = g_uri_get_scheme (self->upstream_uri);
      if ((!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https") && !g_str_equal (scheme, "socks5")) ||
          g_uri_get_host (self->upstream_uri) == NULL || *g_uri_get_host (self->upstream_uri) == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s is not an http://, https:// or socks5:// proxy URL with a host", upstream);
          return NULL;
        }
      self->upstream = g_strdup (upstream);
    }

  self->service = g_threaded_socket_service_new (MAX_THREADS);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), any_port, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;
  self->url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);
  return g_steal_pointer (&self);
}

/* The proxy URL a WebKit network session is given. */
const char *
jsw_target_guard_get_url (JswTargetGuard *self)
{
  return self->url;
}

/* The operator's proxy behind it, or NULL. */
const char *
jsw_target_guard_get_upstream (JswTargetGuard *self)
{
  return self->upstream;
}
