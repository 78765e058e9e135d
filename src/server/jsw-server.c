/* jsw-server.c: the queue server: its SoupServer, the routing table of
 * PROTOCOL.md's REST endpoints, the stream's door, and its life
 *
 * Everything runs on one main loop; the store is called synchronously (a
 * local SQLite transaction takes microseconds). The server's parts:
 *
 *   jsw-acceptor.c            accepts connections and keeps them in bounds
 *   jsw-auth.c                who is calling, from the bearer token
 *   jsw-rest-*.c              the REST handlers, one file per resource
 *   jsw-stream-connection.c   one client on /v1/stream
 *   jsw-hub.c                 fans each change out to its channel's streams
 *   jsw-sweeper.c             expires leases and trims the event log
 *   jsw-hub-relay.c           brings other processes' changes to the hub,
 *                             when several share the store (PostgreSQL)
 *
 * A new endpoint is a handler in the jsw-rest-*.c file of its resource
 * and a line in `routes` below (docs/HACKING.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-acceptor.h"
#include "jsw-admin.h"
#include "jsw-auth.h"
#include "jsw-hub.h"
#include "jsw-hub-relay.h"
#include "jsw-log.h"
#include "jsw-login-limiter.h"
#include "jsw-metrics.h"
#include "jsw-rest-account.h"
#include "jsw-rest-billing.h"
#include "jsw-rest-ops.h"
#include "jsw-rest-profile.h"
#include "jsw-rest-queue.h"
#include "jsw-rest-feed.h"
#include "jsw-rest-linkedin.h"
#include "jsw-rest-swipes.h"
#include "jsw-rest.h"
#include "jsw-server.h"
#include "jsw-stream-connection.h"
#include "jsw-sweeper.h"

/* The REST endpoints, tried in order: the first line whose method and
 * path match answers. An unmatched path under /v1/ is answered 404 only
 * to a user's token (else 401/403), so that it reveals nothing. */
static const JswRestRoute routes[] = {
  { "GET",  "/healthz",          JSW_REST_OPEN,      jsw_rest_ops_healthz },
  { "GET",  "/metrics",          JSW_REST_ANY_TOKEN, jsw_rest_ops_metrics },
  { "POST", "/v1/sessions",      JSW_REST_OPEN,      jsw_rest_account_sign_in },
  { "GET",  "/v1/me",            JSW_REST_USER,      jsw_rest_account_get },
  { "PUT",  "/v1/me/preference", JSW_REST_USER,      jsw_rest_account_put_preference },
  { "GET",  "/v1/me/search",     JSW_REST_USER,      jsw_rest_feed_get_search },
  { "PUT",  "/v1/me/search",     JSW_REST_USER,      jsw_rest_feed_put_search },
  { "GET",  "/v1/feed",          JSW_REST_USER,      jsw_rest_feed_get },
  { NULL,   "/v1/me/profile",    JSW_REST_USER,      jsw_rest_profile_mine },
  { NULL,   "/v1/me/linkedin",   JSW_REST_USER,      jsw_rest_linkedin_mine },
  { "POST", "/v1/me/linkedin/stop", JSW_REST_USER,   jsw_rest_linkedin_stop },
  { NULL,   "/v1/me/resume",     JSW_REST_USER,      jsw_rest_profile_my_resume },
  { NULL,   "/v1/worker/entries/*/*", JSW_REST_ANY_TOKEN, jsw_rest_profile_for_worker },
  { "POST", "/v1/swipes",        JSW_REST_USER,      jsw_rest_swipes_post },
  { NULL,   "/v1/swipes/*",      JSW_REST_USER,      jsw_rest_feed_undo_swipe },
  { "GET",  "/v1/queue",         JSW_REST_USER,      jsw_rest_queue_list },
  { NULL,   "/v1/queue/*",       JSW_REST_USER,      jsw_rest_queue_entry },
  { NULL,   "/v1/queue/*/*",     JSW_REST_USER,      jsw_rest_queue_entry },
  { "POST", "/v1/subscription/checkout", JSW_REST_USER, jsw_rest_billing_checkout },
  { "POST", "/v1/subscription/portal",   JSW_REST_USER, jsw_rest_billing_portal },
  { "POST", "/v1/webhooks/stripe",       JSW_REST_OPEN, jsw_rest_billing_webhook },
  { "GET",  "/billing/done",             JSW_REST_OPEN, jsw_rest_billing_return_page },
  { "GET",  "/billing/cancelled",        JSW_REST_OPEN, jsw_rest_billing_return_page },
  { "GET",  "/admin",                    JSW_REST_OPEN, jsw_admin_page },
  { "POST", "/admin/session",            JSW_REST_OPEN, jsw_admin_sign_in },
  { "POST", "/admin/sign-out",           JSW_REST_OPEN, jsw_admin_sign_out },
};

struct _JswServer
{
  GObject          parent_instance;

  JswServerConfig  config;
  JswStore        *store;
  JswMetrics      *metrics;
  JswLoginLimiter *login_limiter;
  JswHub          *hub;
  JswSweeper      *sweeper;
  JswHubRelay     *relay;        /* NULL unless the store is shared */
  JswFeedSyncer   *syncer;       /* (nullable) */
  JswStripe       *stripe;
  JswAdminSessions *admin_sessions;
  JswVault        *vault;
  JswRestContext   rest;         /* the above, for the handlers */
  SoupServer      *soup;
  JswAcceptor     *acceptor;
  GHashTable      *connections;  /* JswStreamConnection set, owned */
  gboolean         shutting_down;
  GPtrArray       *shutdown_tasks;
  guint            shutdown_wait_id;
  guint            shutdown_ticks;
};

G_DEFINE_FINAL_TYPE (JswServer, jsw_server, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define REQUEST_START_KEY "jsw-request-start"
#define STREAM_AUTH_KEY   "jsw-stream-auth"

/* Routing */

static gboolean
path_matches (const char  *pattern,
              char       **segments,
              guint        n_segments)
{
  const char *segment = pattern + 1;  /* past the leading "/" */
  guint i;

  for (i = 0; ; i++)
    {
      const char *end = strchr (segment, '/');
      gsize length = end != NULL ? (gsize) (end - segment) : strlen (segment);
      gboolean any = length == 1 && *segment == '*';

      if (i >= n_segments)
        return FALSE;
      if (!any && (strlen (segments[i]) != length || strncmp (segments[i], segment, length) != 0))
        return FALSE;
      if (end == NULL)
        break;
      segment = end + 1;
    }
  return i + 1 == n_segments;
}

static const JswRestRoute *
find_route (const char  *method,
            char       **segments,
            guint        n_segments)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if ((routes[i].method == NULL || g_str_equal (routes[i].method, method)) &&
        path_matches (routes[i].path, segments, n_segments))
      return &routes[i];
  return NULL;
}

static JswAuth *
authenticate (JswServer          *self,
              JswRestAccess       access,
              SoupServerMessage  *msg,
              GError            **error)
{
  switch (access)
    {
    case JSW_REST_ANY_TOKEN:
      return jsw_auth_from_request (self->store, msg, error);
    case JSW_REST_USER:
      return jsw_auth_user_from_request (self->store, msg, error);
    case JSW_REST_OPEN:
    default:
      g_assert_not_reached ();
    }
}

/* The server runs with raw-paths (see jsw_server_init()) so that a path
 * libsoup cannot decode reaches us and gets an error body; decoding here
 * refuses what libsoup's would: %00, and an encoded "/" (which would add a
 * path segment). Our routes are also checked for valid UTF-8. */
static char *
decode_path (const char *path)
{
  g_autofree char *decoded = g_uri_unescape_string (path, "/");

  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    return NULL;
  return g_steal_pointer (&decoded);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  JswServer *self = user_data;
  g_autofree char *decoded = decode_path (path);
  g_autofree char *repeated = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(JswAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  const JswRestRoute *route;
  JswRestRequest request = { msg, soup_server_message_get_method (msg), NULL, 0, query, NULL };

  if (decoded == NULL)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID,
                                 _("The path is not valid: it encodes a NUL byte, a “/” or a byte that is not UTF-8"));
      return;
    }
  if (decoded[0] != '/')
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }
  repeated = jsw_rest_repeated_parameter (msg);
  if (repeated != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The query parameter “%s” is given more than once"), repeated);

      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, message);
      return;
    }

  /* "/v1/queue/ID" is "", "v1", "queue", "ID" */
  parts = g_strsplit (decoded, "/", -1);
  request.segments = parts + 1;
  request.n_segments = g_strv_length (parts) - 1;

  route = find_route (request.method, request.segments, request.n_segments);
  if (route == NULL)
    {
      if (request.n_segments >= 2 && g_str_equal (request.segments[0], "v1"))
        auth = jsw_auth_user_from_request (self->store, msg, &error);
      if (error != NULL)
        jsw_rest_reply_error (msg, error);
      else
        jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }

  if (route->access != JSW_REST_OPEN)
    {
      auth = authenticate (self, route->access, msg, &error);
      if (auth == NULL)
        {
          jsw_rest_reply_error (msg, error);
          return;
        }
    }
  request.auth = auth;
  route->handler (&self->rest, &request);
}

/* The largest body @msg may carry: 1 MiB, or a resume's 10 MiB. */
static goffset
body_limit (SoupServerMessage *msg)
{
  return g_strcmp0 (g_uri_get_path (soup_server_message_get_uri (msg)), "/v1/me/resume") == 0
         ? JSW_MAX_RESUME_SIZE : JSW_MAX_BODY_SIZE;
}

/* A body over the limit is refused as soon as that is known, and not read
 * on: the 413 goes out at once and the connection is closed. */
static void
refuse_oversized_body (JswServer         *self,
                       SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (body_limit (msg) == JSW_MAX_RESUME_SIZE)
    jsw_rest_reply_error_code (msg, JSW_ERROR_PAYLOAD_TOO_LARGE, _("A resume may be at most 10 MiB"));
  else
    jsw_rest_reply_error_code (msg, JSW_ERROR_PAYLOAD_TOO_LARGE, _("The request body is larger than 1 MiB"));
  /* Not one of the acceptor's connections (none in tests of the handlers
   * alone): libsoup then reads the body and answers after it. */
  if (self->acceptor != NULL)
    jsw_acceptor_answer_now (self->acceptor, msg);
}

/* A chunked body tells its size only as it comes. */
static void
on_body_chunk (SoupServerMessage *msg,
               GBytes            *chunk,
               JswServer         *self)
{
  if (soup_server_message_get_request_body (msg)->length <= body_limit (msg))
    return;
  g_signal_handlers_disconnect_by_func (msg, on_body_chunk, self);
  refuse_oversized_body (self, msg);
}

static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  JswServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  jsw_rest_forget_unreadable_answer (msg);
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > body_limit (msg))
        refuse_oversized_body (self, msg);
      break;
    case SOUP_ENCODING_CHUNKED:
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_body_chunk), self, 0);
      break;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }
}

/* The stream: authenticate the upgrade request before libsoup accepts it */
static void
handle_stream_request (SoupServer        *soup,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  JswServer *self = user_data;
  g_autoptr(GError) error = NULL;
  JswAuth *auth;

  if (self->shutting_down)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INTERNAL, _("The server is shutting down"));
      return;
    }

  auth = jsw_auth_from_request (self->store, msg, &error);
  if (auth == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), STREAM_AUTH_KEY, auth, (GDestroyNotify) jsw_auth_free);
}

static void
on_stream_closed (JswStreamConnection *connection,
                  JswServer           *self)
{
  jsw_metrics_stream_closed (self->metrics, jsw_stream_connection_get_kind (connection));
  g_hash_table_remove (self->connections, connection);
}

static void
handle_stream (SoupServer              *soup,
               SoupServerMessage       *msg,
               const char              *path,
               SoupWebsocketConnection *websocket,
               gpointer                 user_data)
{
  JswServer *self = user_data;
  JswAuth *auth = g_object_steal_data (G_OBJECT (msg), STREAM_AUTH_KEY);
  GSocket *socket = self->acceptor != NULL ? jsw_acceptor_get_socket (self->acceptor, msg) : NULL;
  JswStreamConnection *connection;

  g_return_if_fail (auth != NULL);

  connection = jsw_stream_connection_new (self->store, self->metrics, &self->config, self->hub,
                                          websocket, socket, auth);
  g_signal_connect (connection, "closed", G_CALLBACK (on_stream_closed), self);
  g_hash_table_add (self->connections, connection);
  jsw_metrics_stream_opened (self->metrics, auth->kind);
}

/* Request bookkeeping: correlation ids, latency, access log */

static gboolean
valid_request_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    JswServer         *self)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), REQUEST_START_KEY, start, g_free);
  jsw_rest_prepare_unreadable_answer (msg);
}

static const char *
ensure_cid (SoupServerMessage *msg)
{
  const char *cid = g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);
  const char *given;

  if (cid != NULL)
    return cid;

  given = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Request-Id");
  g_object_set_data_full (G_OBJECT (msg), JSW_REST_CID_KEY,
                          valid_request_id (given) ? g_strdup (given) : jsw_log_new_cid ("r"),
                          g_free);
  cid = g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-Id", cid);
  return cid;
}

/* One request per connection (see jsw-acceptor.c for why): clients are
 * told, as HTTP/1.1 asks of a server that does not keep connections. A
 * WebSocket upgrade keeps its connection. */
static void
announce_connection_close (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  if (!soup_message_headers_header_contains (request, "Connection", "upgrade"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
on_request_read (SoupServer        *soup,
                 SoupServerMessage *msg,
                 JswServer         *self)
{
  ensure_cid (msg);
  announce_connection_close (msg);
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     JswServer         *self)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), REQUEST_START_KEY);
  guint status = soup_server_message_get_status (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  double seconds;

  if (start == NULL)
    return;
  seconds = (g_get_monotonic_time () - *start) / (double) G_USEC_PER_SEC;
  jsw_metrics_request (self->metrics, status, seconds);
  jsw_log (status >= 500 ? JSW_LOG_ERROR : JSW_LOG_INFO, ensure_cid (msg), "http.request",
           "method", 's', soup_server_message_get_method (msg),
           "path", 's', uri ? g_uri_get_path (uri) : NULL,
           "status", 'i', (int) status,
           "us", 'l', (gint64) (seconds * G_USEC_PER_SEC), NULL);
}

/* Shutdown: close every stream with 1001, let the close frames go out
 * (up to 2 s), then stop listening. */

#define SHUTDOWN_TICK_MS 50
#define SHUTDOWN_TICKS   40

static void
stop_listening (JswServer *self)
{
  if (self->acceptor != NULL)
    jsw_acceptor_stop (self->acceptor);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

static gboolean
wait_for_streams_to_close (gpointer data)
{
  JswServer *self = data;
  g_autoptr(GPtrArray) tasks = NULL;

  if (g_hash_table_size (self->connections) > 0 && ++self->shutdown_ticks < SHUTDOWN_TICKS)
    return G_SOURCE_CONTINUE;

  self->shutdown_wait_id = 0;
  stop_listening (self);

  tasks = g_steal_pointer (&self->shutdown_tasks);
  self->shutdown_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
    }
  return G_SOURCE_REMOVE;
}

static void
close_streams (JswServer *self)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer connection;

  /* Closing may drop connections from the table: iterate over a copy. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &connection, NULL))
    g_ptr_array_add (connections, g_object_ref (connection));
  for (guint i = 0; i < connections->len; i++)
    jsw_stream_connection_close (g_ptr_array_index (connections, i),
                                 SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
}

/**
 * jsw_server_shutdown_async:
 * @cancellable: (nullable): cancelling does not stop the shutdown; the
 *   call then finishes with %G_IO_ERROR_CANCELLED when it is over
 *
 * Stops the server: lease expiry stops, every stream is closed with 1001
 * (going away) and given up to 2 s for its close frame to go out, then
 * the server stops listening. Calling again while it is under way
 * finishes when the first call does.
 */
void
jsw_server_shutdown_async (JswServer           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JSW_IS_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jsw_server_shutdown_async);
  g_ptr_array_add (self->shutdown_tasks, g_steal_pointer (&task));
  if (self->shutting_down)
    return;

  self->shutting_down = TRUE;
  jsw_sweeper_stop (self->sweeper);
  if (self->relay != NULL)
    jsw_hub_relay_stop (self->relay);
  jsw_log (JSW_LOG_INFO, NULL, "server.shutdown", "streams", 'i', (int) g_hash_table_size (self->connections), NULL);
  close_streams (self);
  self->shutdown_wait_id = g_timeout_add (SHUTDOWN_TICK_MS, wait_for_streams_to_close, self);
}

/**
 * jsw_server_shutdown_finish:
 *
 * Returns: %TRUE once the server has stopped, or %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED) if the call's cancellable was cancelled
 */
gboolean
jsw_server_shutdown_finish (JswServer     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_accept_failed (JswAcceptor  *acceptor,
                  const GError *error,
                  JswServer    *self)
{
  jsw_log (JSW_LOG_ERROR, NULL, "server.accept_failed", "message", 's', error->message, NULL);
  g_signal_emit (self, signals[FAILED], 0, error);
}

/**
 * jsw_server_listen:
 * @host: an IP address (not a name)
 * @port: 0 picks a free one
 * @bound_port: (out) (optional): the port listened on
 *
 * Starts accepting connections within config->connections, expiring
 * leases, and, on a store several processes share, relaying their
 * changes to this one's streams.
 *
 * Returns: %FALSE with @error set if @host is not an IP address or binding failed
 */
gboolean
jsw_server_listen (JswServer   *self,
                   const char  *host,
                   guint        port,
                   guint       *bound_port,
                   GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = NULL;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not an IP address"), host);
      return FALSE;
    }

  address = g_inet_socket_address_new (inet, port);
  if (self->acceptor == NULL)
    {
      self->acceptor = jsw_acceptor_new (self->soup, &self->config.connections);
      g_signal_connect (self->acceptor, "failed", G_CALLBACK (on_accept_failed), self);
    }
  if (self->relay != NULL && !jsw_hub_relay_start (self->relay, error))
    return FALSE;
  if (!jsw_acceptor_listen (self->acceptor, address, bound_port, error))
    return FALSE;

  jsw_sweeper_start (self->sweeper);
  return TRUE;
}

static void
jsw_server_dispose (GObject *object)
{
  JswServer *self = (JswServer *) object;

  g_clear_handle_id (&self->shutdown_wait_id, g_source_remove);
  if (self->sweeper != NULL)
    jsw_sweeper_stop (self->sweeper);
  stop_listening (self);
  g_clear_object (&self->acceptor);
  /* The streams before the hub they are subscribed to. */
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_object (&self->sweeper);
  g_clear_object (&self->relay);
  g_clear_object (&self->syncer);
  g_clear_object (&self->stripe);
  g_clear_object (&self->admin_sessions);
  g_clear_object (&self->vault);
  g_clear_object (&self->hub);
  g_clear_object (&self->soup);
  g_clear_object (&self->login_limiter);
  g_clear_object (&self->metrics);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rest.cursor_key, g_bytes_unref);
  self->rest = (JswRestContext) { NULL };

  G_OBJECT_CLASS (jsw_server_parent_class)->dispose (object);
}

static void
jsw_server_finalize (GObject *object)
{
  JswServer *self = (JswServer *) object;

  g_clear_pointer (&self->shutdown_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (jsw_server_parent_class)->finalize (object);
}

static void
jsw_server_class_init (JswServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_server_dispose;
  object_class->finalize = jsw_server_finalize;

  /**
   * JswServer::failed:
   * @error: why
   *
   * The server can no longer serve (accepting connections keeps failing);
   * the process should exit with an error so that it is restarted.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
jsw_server_init (JswServer *self)
{
  jsw_server_config_init_defaults (&self->config);
  self->metrics = jsw_metrics_new ();
  self->hub = jsw_hub_new (self->metrics);
  /* Five wrong passwords per address in fifteen minutes. */
  self->login_limiter = jsw_login_limiter_new (5, 15 * 60 * G_USEC_PER_SEC);
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->shutdown_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  /* raw-paths: libsoup would answer a path it cannot decode (%00) with a
   * bare 400 before any handler; handle_request() decodes it instead. */
  self->soup = soup_server_new ("server-header", "jobswipe-server/" PACKAGE_VERSION " ",
                                "raw-paths", TRUE, NULL);

  /* libsoup runs the early handler of the most specific path only: the
   * stream's path needs the body limit as well. */
  soup_server_add_early_handler (self->soup, NULL, handle_early, self, NULL);
  soup_server_add_early_handler (self->soup, "/v1/stream", handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  soup_server_add_handler (self->soup, "/v1/stream", handle_stream_request, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/v1/stream", NULL, NULL, handle_stream, self, NULL);
  /* No permessage-deflate on the stream: the send budget compares what it
   * hands libsoup with what TCP says the client acknowledged, which only
   * holds when frames go out as they are (compressed, a client that read
   * everything was closed once 4 MiB had gone by); and a zlib stream per
   * connection would cost more memory than the whole idle stream does. */
  soup_server_remove_websocket_extension (self->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (on_request_read), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);
}

/**
 * jsw_server_new:
 * @config: (nullable): copied; %NULL for jsw_server_config_init_defaults()
 *
 * Returns: a server, not listening yet (jsw_server_listen())
 */
/**
 * jsw_server_set_vault:
 * @vault: (nullable): the operator's profile key; NULL (the default): the
 *   server keeps no profiles and says so on their endpoints
 */
void
jsw_server_set_vault (JswServer *self,
                      JswVault  *vault)
{
  g_set_object (&self->vault, vault);
  self->rest.vault = self->vault;
}

JswServer *
jsw_server_new (JswStore              *store,
                const JswServerConfig *config)
{
  JswServer *self = g_object_new (JSW_TYPE_SERVER, NULL);

  self->store = g_object_ref (store);
  if (config != NULL)
    self->config = *config;
  self->sweeper = jsw_sweeper_new (self->store, self->hub, self->metrics, &self->config);
  if (jsw_store_is_shared (self->store))
    self->relay = jsw_hub_relay_new (self->store, self->hub, &self->config.billing);
  self->stripe = jsw_stripe_new (&self->config.billing);
  self->admin_sessions = jsw_admin_sessions_new ();
  self->rest = (JswRestContext) {
    .store = self->store,
    .hub = self->hub,
    .metrics = self->metrics,
    .login_limiter = self->login_limiter,
    .config = &self->config,
    .stripe = self->stripe,
    .admin_sessions = self->admin_sessions,
  };
  return self;
}

/**
 * jsw_server_set_feed_syncer:
 * @syncer: (nullable): the process's syncer of job sources, whose counters
 *   /metrics shows
 */
void
jsw_server_set_feed_syncer (JswServer     *self,
                            JswFeedSyncer *syncer)
{
  g_set_object (&self->syncer, syncer);
  self->rest.syncer = syncer;
}
