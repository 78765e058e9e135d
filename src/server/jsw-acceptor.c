/* jsw-acceptor.c: accepts the server's connections and keeps them in bounds
 *
 * The server accepts its connections itself and hands each to libsoup with
 * soup_server_accept_iostream() instead of letting SoupServer listen, for
 * three reasons:
 *
 * - libsoup 3.2 leaks every keep-alive connection the client closes while
 *   it is idle (the descriptor stays in CLOSE-WAIT for good; fixed in 3.3.0
 *   by commit d20c6601 "server: do not leak idle connections closed by the
 *   client"). A SoupServer without listeners of its own closes each
 *   connection once its response is written, which never reaches that
 *   path; jsw-server.c says so to clients with "Connection: close".
 * - libsoup 3.2's listener gives up accepting for good on the first failed
 *   accept() (EMFILE, say) while the process lives on, deaf. Here a failure
 *   pauses accepting briefly, and a failure that lasts is reported with
 *   the "failed" signal so the process can exit and be restarted.
 * - Each connection is known from its first moment: how many are open in
 *   total and per client address is capped, and a request whose headers
 *   (or body) do not arrive in time is cut off.
 *
 * A connection is counted from accept() until libsoup lets go of its
 * stream (a WebSocket holds it until the stream closes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-acceptor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

#include "jsw-acceptor.h"
#include "jsw-json.h"
#include "jsw-log.h"
#include "jsw-rest-body.h"

/* How long accepting pauses after a failure; a full descriptor table
 * keeps the listening socket readable, which must not spin. */
#define ACCEPT_PAUSE_MS 100

/* Connections taken per wake-up before other work gets its turn. */
#define ACCEPT_BATCH 64

/* After an early answer, how long what the client still sends is read and
 * thrown away so that closing does not reset the connection under the
 * answer (what web servers call a lingering close). */
#define LINGER_S 5

typedef struct {
  JswAcceptor       *acceptor;
  GSocketConnection *stream;    /* weak: libsoup owns it */
  GSocket           *socket;    /* the stream's */
  GSocketAddress    *remote;
  char              *address;
  guint              timeout_id;
  SoupServerMessage *answered;  /* answered early, paused while lingering */
  GSource           *linger;
} Client;

struct _JswAcceptor
{
  GObject            parent_instance;

  SoupServer        *soup;
  JswAcceptorLimits  limits;
  GSocket           *listener;
  GSource           *incoming;
  guint              resume_id;
  gint64             failing_since;  /* monotonic µs of the first failure in a row, else 0 */
  GHashTable        *clients;        /* GSocketAddress (the remote, by pointer) -> Client */
  GHashTable        *per_address;    /* address text -> count */
};

G_DEFINE_FINAL_TYPE (JswAcceptor, jsw_acceptor, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_accepting (JswAcceptor *self);

/* Bookkeeping of open connections */

static guint
count_from (JswAcceptor *self,
            const char  *address)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
}

static void
add_to_count (JswAcceptor *self,
              const char  *address,
              int          delta)
{
  guint count = count_from (self, address) + delta;

  if (count == 0)
    g_hash_table_remove (self->per_address, address);
  else
    g_hash_table_insert (self->per_address, g_strdup (address), GUINT_TO_POINTER (count));
}

static void
stop_lingering (Client *client)
{
  if (client->linger != NULL)
    {
      g_source_destroy (client->linger);
      g_clear_pointer (&client->linger, g_source_unref);
    }
  g_clear_object (&client->answered);
}

static void
client_free (Client *client)
{
  g_clear_handle_id (&client->timeout_id, g_source_remove);
  stop_lingering (client);
  g_clear_object (&client->remote);
  g_free (client->address);
  g_free (client);
}

/* libsoup let go of the stream: the descriptor is closed. */
static void
client_gone (gpointer  data,
             GObject  *stream)
{
  Client *client = data;
  JswAcceptor *self = client->acceptor;

  add_to_count (self, client->address, -1);
  g_hash_table_remove (self->clients, client->remote);
}

static Client *
find_client (JswAcceptor       *self,
             SoupServerMessage *msg)
{
  return g_hash_table_lookup (self->clients, soup_server_message_get_remote_address (msg));
}

/* Slow requests */

static void end_lingering (Client *client);

static gboolean
cut_off_slow_request (gpointer data)
{
  Client *client = data;

  client->timeout_id = 0;
  if (client->answered != NULL)
    {
      end_lingering (client);
      return G_SOURCE_REMOVE;
    }
  jsw_log (JSW_LOG_INFO, NULL, "http.request_timeout", "address", 's', client->address, NULL);
  /* libsoup's pending read then ends, and it closes the connection as it
   * does for any client that goes away. */
  g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
arm_timeout (Client *client,
             guint   seconds)
{
  g_clear_handle_id (&client->timeout_id, g_source_remove);
  /* Not g_timeout_add_seconds(): it fires on GLib's shared second ticks,
   * up to a second early, and a limit is a promise to the client. */
  if (seconds > 0)
    client->timeout_id = g_timeout_add (seconds * 1000, cut_off_slow_request, client);
}

static void
on_got_headers (SoupServerMessage *msg,
                JswAcceptor       *self)
{
  Client *client = find_client (self, msg);

  if (client != NULL)
    arm_timeout (client, self->limits.body_timeout_s);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    JswAcceptor       *self)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
}

static void
on_request_read (SoupServer        *soup,
                 SoupServerMessage *msg,
                 JswAcceptor       *self)
{
  Client *client = find_client (self, msg);

  if (client != NULL)
    arm_timeout (client, 0);
}

/* Answering before the request is read whole */

/* The message was paused so that libsoup reads no more of it; once the
 * socket is shut, libsoup's read ends and it closes the connection. */
static void
end_lingering (Client *client)
{
  g_autoptr(SoupServerMessage) msg = g_steal_pointer (&client->answered);

  g_clear_handle_id (&client->timeout_id, g_source_remove);
  stop_lingering (client);
  g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
  soup_server_message_unpause (msg);
}

static gboolean
discard_what_arrives (GSocket      *socket,
                      GIOCondition  condition,
                      gpointer      data)
{
  Client *client = data;
  char buffer[16384];

  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      /* The client closed its side (it has read the answer) or broke off. */
      if (n <= 0)
        {
          end_lingering (client);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

static GString *
serialize_response (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  GString *response = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_set_content_length (headers, g_bytes_get_size (body));
  g_string_append_printf (response, "HTTP/1.1 %u %s\r\n", soup_server_message_get_status (msg),
                          soup_server_message_get_reason_phrase (msg));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (response, "%s: %s\r\n", name, value);
  g_string_append (response, "\r\n");
  g_string_append_len (response, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return response;
}

/**
 * jsw_acceptor_answer_now:
 * @msg: a request being read, with its response (status, headers, body) set
 *
 * Sends @msg's response at once, without reading the rest of the request
 * (a body over the size limit, say), then closes the connection: what the
 * client still sends is read and thrown away for up to 5 s first, so that
 * the answer reaches it. libsoup reads nothing more of @msg.
 *
 * Returns: %FALSE if @msg's connection is not one of ours (then nothing
 *   was done)
 */
gboolean
jsw_acceptor_answer_now (JswAcceptor       *self,
                         SoupServerMessage *msg)
{
  Client *client = find_client (self, msg);
  g_autoptr(GString) response = NULL;

  if (client == NULL || client->answered != NULL)
    return FALSE;

  soup_server_message_pause (msg);
  client->answered = g_object_ref (msg);
  response = serialize_response (msg);
  jsw_log (JSW_LOG_INFO, NULL, "http.answered_early", "address", 's', client->address,
           "status", 'i', (int) soup_server_message_get_status (msg), NULL);

  /* A fresh response of a few hundred bytes fits the socket's buffer. */
  g_socket_send_with_blocking (client->socket, response->str, response->len, FALSE, NULL, NULL);
  g_socket_shutdown (client->socket, FALSE, TRUE, NULL);

  arm_timeout (client, LINGER_S);
  client->linger = g_socket_create_source (client->socket, G_IO_IN, NULL);
  g_source_set_callback (client->linger, G_SOURCE_FUNC (discard_what_arrives), client, NULL);
  g_source_attach (client->linger, NULL);
  return TRUE;
}

/* Refusing a connection over a limit */

static char *
error_body (const char *code,
            const char *message)
{
  g_autoptr(JsonNode) root = jsw_rest_error_node (code, message);

  return jsw_json_node_to_string (root);
}

/* Answers without reading the request (a fresh socket's send buffer takes
 * a few hundred bytes without blocking) and closes. */
static void
refuse (GSocket    *socket,
        const char *address,
        guint       status,
        const char *phrase,
        const char *code,
        const char *message)
{
  g_autofree char *body = error_body (code, message);
  g_autofree char *response = NULL;
  char drain[4096];

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %zu\r\n"
                              "Retry-After: 1\r\n"
                              "Connection: close\r\n"
                              "\r\n%s",
                              status, phrase, strlen (body), body);
  jsw_log (JSW_LOG_INFO, NULL, "http.connection_refused", "address", 's', address,
           "status", 'i', (int) status, NULL);

  g_socket_set_blocking (socket, FALSE);
  g_socket_send (socket, response, strlen (response), NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  /* What the client sent already is read away, so that closing does not
   * reset the connection before the answer is read. */
  while (g_socket_receive (socket, drain, sizeof drain, NULL, NULL) > 0)
    ;
  g_socket_close (socket, NULL);
}

static gboolean
refuse_over_limits (JswAcceptor *self,
                    GSocket     *socket,
                    const char  *address)
{
  if (g_hash_table_size (self->clients) >= self->limits.max_connections)
    {
      refuse (socket, address, SOUP_STATUS_SERVICE_UNAVAILABLE, "Service Unavailable", "unavailable",
              _("The server has as many connections as it takes; try again shortly"));
      return TRUE;
    }
  if (count_from (self, address) >= self->limits.max_per_address)
    {
      refuse (socket, address, 429, "Too Many Requests", "rate_limited",
              _("Too many connections from your address; close some and try again"));
      return TRUE;
    }
  return FALSE;
}

/* Accepting */

static char *
address_text (GSocketAddress *remote)
{
  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

static void
take_connection (JswAcceptor *self,
                 GSocket     *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketConnection) stream = NULL;
  g_autofree char *address = NULL;
  Client *client;

  /* Gone already (reset before we got to it). */
  if (local == NULL || remote == NULL)
    {
      g_socket_close (socket, NULL);
      return;
    }

  address = address_text (remote);
  if (refuse_over_limits (self, socket, address))
    return;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  stream = g_socket_connection_factory_create_connection (socket);

  client = g_new0 (Client, 1);
  client->acceptor = self;
  client->stream = stream;
  client->socket = socket;
  client->remote = g_object_ref (remote);
  client->address = g_steal_pointer (&address);
  g_hash_table_insert (self->clients, client->remote, client);
  add_to_count (self, client->address, 1);
  g_object_weak_ref (G_OBJECT (stream), client_gone, client);
  arm_timeout (client, self->limits.header_timeout_s);

  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean
resume_accepting (gpointer data)
{
  JswAcceptor *self = data;

  self->resume_id = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static void
stop_watching (JswAcceptor *self)
{
  if (self->incoming != NULL)
    {
      g_source_destroy (self->incoming);
      g_clear_pointer (&self->incoming, g_source_unref);
    }
  g_clear_handle_id (&self->resume_id, g_source_remove);
}

/* A failure pauses accepting; one that lasts is fatal, so that the process
 * exits (and systemd restarts it) instead of living on without serving. */
static void
accept_failed (JswAcceptor  *self,
               const GError *error)
{
  gint64 now = g_get_monotonic_time ();

  stop_watching (self);
  if (self->failing_since == 0)
    {
      self->failing_since = now;
      jsw_log (JSW_LOG_WARNING, NULL, "http.accept_failed", "message", 's', error->message,
               "open", 'i', (int) g_hash_table_size (self->clients), NULL);
    }
  else if (now - self->failing_since >= (gint64) self->limits.accept_failure_s * G_USEC_PER_SEC)
    {
      g_autoptr(GError) fatal = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                             _("Accepting connections has failed for %u seconds: %s"),
                                             self->limits.accept_failure_s, error->message);

      g_signal_emit (self, signals[FAILED], 0, fatal);
      return;
    }
  self->resume_id = g_timeout_add (ACCEPT_PAUSE_MS, resume_accepting, self);
}

static gboolean
on_incoming (GSocket      *listener,
             GIOCondition  condition,
             gpointer      data)
{
  JswAcceptor *self = data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          self->failing_since = 0;
          return G_SOURCE_CONTINUE;
        }
      if (socket == NULL)
        {
          accept_failed (self, error);
          return G_SOURCE_REMOVE;
        }
      self->failing_since = 0;
      take_connection (self, socket);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_accepting (JswAcceptor *self)
{
  self->incoming = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->incoming, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->incoming, NULL);
}

/* The descriptors the process holds already (the database, its log, the
 * listener, GLib's wakeup pipes); Linux lists them in /proc/self/fd. */
static guint
count_open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count > 0 ? count - 1 : 0;  /* the directory's own */
}

/* Every connection is a descriptor: a cap above the process's limit would
 * only turn into failed accepts. Those already open are kept, and some more
 * for the database, the refusals and the rest. */
static guint
clamp_to_descriptor_limit (guint wanted)
{
  struct rlimit limit;
  rlim_t reserve;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return wanted;
  reserve = count_open_descriptors () + (limit.rlim_cur >= 256 ? 64 : limit.rlim_cur / 4);
  if (reserve >= limit.rlim_cur)
    return 1;
  return (guint) MIN ((rlim_t) wanted, limit.rlim_cur - reserve);
}

/**
 * jsw_acceptor_listen:
 * @address: where to listen; port 0 picks a free one
 * @bound_port: (out) (optional): the port listened on
 *
 * Listens with a backlog of 4,096 and starts accepting. The total cap is
 * lowered to what the descriptor limit (RLIMIT_NOFILE) allows.
 *
 * Returns: %FALSE with @error set (a #GIOError) if binding failed
 */
gboolean
jsw_acceptor_listen (JswAcceptor     *self,
                     GSocketAddress  *address,
                     guint           *bound_port,
                     GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (self->listener == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  /* GLib's default backlog of 10 resets connections when many clients
   * (reconnecting desktops after a restart) arrive at once. */
  g_socket_set_listen_backlog (socket, 4096);
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;
  if (bound_port != NULL)
    *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  self->limits.max_connections = clamp_to_descriptor_limit (self->limits.max_connections);
  self->listener = g_steal_pointer (&socket);
  start_accepting (self);
  return TRUE;
}

/* The socket under @msg's connection, or %NULL if it is not one of ours. */
GSocket *
jsw_acceptor_get_socket (JswAcceptor       *self,
                         SoupServerMessage *msg)
{
  Client *client = find_client (self, msg);

  return client != NULL ? client->socket : NULL;
}

/* Stops accepting; the connections that are open stay. */
void
jsw_acceptor_stop (JswAcceptor *self)
{
  stop_watching (self);
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
}

/* Connections open now (accepted and not yet closed). */
guint
jsw_acceptor_get_n_open (JswAcceptor *self)
{
  return g_hash_table_size (self->clients);
}

/* The cap on open connections, after jsw_acceptor_listen() fitted it to
 * the descriptor limit. */
guint
jsw_acceptor_get_max_connections (JswAcceptor *self)
{
  return self->limits.max_connections;
}

static void
forget_client (gpointer data)
{
  Client *client = data;

  client_free (client);
}

static void
jsw_acceptor_dispose (GObject *object)
{
  JswAcceptor *self = (JswAcceptor *) object;

  jsw_acceptor_stop (self);
  if (self->clients != NULL)
    {
      GHashTableIter iter;
      Client *client;

      /* Streams that outlive us must not call back into freed memory. */
      g_hash_table_iter_init (&iter, self->clients);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &client))
        g_object_weak_unref (G_OBJECT (client->stream), client_gone, client);
    }
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      g_clear_object (&self->soup);
    }

  G_OBJECT_CLASS (jsw_acceptor_parent_class)->dispose (object);
}

static void
jsw_acceptor_class_init (JswAcceptorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_acceptor_dispose;

  /**
   * JswAcceptor::failed:
   * @error: why accepting stopped
   *
   * Accepting has failed for limits.accept_failure_s seconds in a row;
   * nothing more is accepted.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
jsw_acceptor_init (JswAcceptor *self)
{
  self->clients = g_hash_table_new_full (NULL, NULL, NULL, forget_client);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * jsw_acceptor_new:
 * @soup: the server the accepted connections are handed to; it must not
 *   listen itself
 * @limits: the caps and time limits (0 seconds: no time limit)
 */
JswAcceptor *
jsw_acceptor_new (SoupServer              *soup,
                  const JswAcceptorLimits *limits)
{
  JswAcceptor *self = g_object_new (JSW_TYPE_ACCEPTOR, NULL);

  self->soup = g_object_ref (soup);
  self->limits = *limits;
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (on_request_read), self);
  return self;
}
