/* jsw-server.c: the REST endpoints of PROTOCOL.md, and the hub that pushes
 * entry changes to the streams that should see them
 *
 * Everything runs on one main loop; the store is called synchronously (a
 * local SQLite transaction takes microseconds). The one slow thing, checking
 * a password with Argon2id, runs in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-credentials.h"
#include "jsw-log.h"
#include "jsw-login-limiter.h"
#include "jsw-rest-body.h"
#include "jsw-server.h"
#include "jsw-stream-connection.h"

struct _JswServer
{
  GObject          parent_instance;

  JswServerConfig  config;
  JswStore        *store;
  JswMetrics      *metrics;
  JswLoginLimiter *login_limiter;
  SoupServer      *soup;
  JswAcceptor     *acceptor;
  GHashTable      *connections;  /* JswStreamConnection set, owned */
  GHashTable      *channels;     /* channel -> GPtrArray of unowned connections */
  guint            sweep_id;
  guint            sweeps;
  GHashTable      *changed_channels;  /* channel set, since the last sweep */
  gboolean         shutting_down;
};

G_DEFINE_FINAL_TYPE (JswServer, jsw_server, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define REQUEST_START_KEY "jsw-request-start"
#define REQUEST_CID_KEY   "jsw-request-cid"
#define STREAM_AUTH_KEY   "jsw-stream-auth"

void
jsw_server_config_init_defaults (JswServerConfig *config)
{
  config->lease_ttl_s = 60;
  config->heartbeat_s = 20;
  config->ping_interval_s = 25;
  config->sweep_interval_ms = 1000;
  config->events_kept = 10000;
  config->events_bytes_kept = 4 * 1024 * 1024;
  config->send_budget = 4 * 1024 * 1024;
  config->connections.max_connections = 10000;
  config->connections.max_per_address = 128;
  config->connections.header_timeout_s = 10;
  config->connections.body_timeout_s = 30;
  config->connections.accept_failure_s = 10;
}

JswStore *
jsw_server_get_store (JswServer *self)
{
  return self->store;
}

JswMetrics *
jsw_server_get_metrics (JswServer *self)
{
  return self->metrics;
}

const JswServerConfig *
jsw_server_get_config (JswServer *self)
{
  return &self->config;
}

/* The hub */

void
jsw_server_subscribe (JswServer  *self,
                      const char *channel,
                      gpointer    connection)
{
  GPtrArray *subscribers = g_hash_table_lookup (self->channels, channel);

  if (subscribers == NULL)
    {
      subscribers = g_ptr_array_new ();
      g_hash_table_insert (self->channels, g_strdup (channel), subscribers);
    }
  g_ptr_array_add (subscribers, connection);
}

static void
unsubscribe (JswServer           *self,
             JswStreamConnection *connection)
{
  const char *channel = jsw_stream_connection_get_channel (connection);
  GPtrArray *subscribers = g_hash_table_lookup (self->channels, channel);

  if (subscribers == NULL)
    return;
  g_ptr_array_remove_fast (subscribers, connection);
  if (subscribers->len == 0)
    g_hash_table_remove (self->channels, channel);
}

void
jsw_server_publish (JswServer *self,
                    GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      JswEvent *event = g_ptr_array_index (events, i);
      GPtrArray *subscribers = g_hash_table_lookup (self->channels, event->channel);
      g_autofree char *frame = NULL;

      g_hash_table_add (self->changed_channels, g_strdup (event->channel));
      if (subscribers == NULL)
        continue;

      frame = jsw_event_to_frame (event);
      for (guint j = 0; j < subscribers->len; j++)
        jsw_stream_connection_push (g_ptr_array_index (subscribers, j), event->seq, frame);
      jsw_metrics_frame_sent (self->metrics, subscribers->len);
    }
}

/* Replies */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *body = jsw_json_node_to_string (node);
  gsize length = strlen (body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), length);
}

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
reply_error_code (SoupServerMessage *msg,
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
  reply_json (msg, status, node);
}

static void
reply_error (SoupServerMessage *msg,
             const GError      *error)
{
  JswErrorCode code = jsw_error_code_of (error);
  const char *cid = g_object_get_data (G_OBJECT (msg), REQUEST_CID_KEY);

  if (code == JSW_ERROR_INTERNAL)
    {
      jsw_log (JSW_LOG_ERROR, cid, "http.internal_error", "message", 's', error->message, NULL);
      reply_error_code (msg, code, _("Something went wrong on the server; try again"));
      return;
    }
  reply_error_code (msg, code, error->message);
}

static void
reply_entry (SoupServerMessage *msg,
             guint              status,
             JswEntry          *entry)
{
  reply_text (msg, status, "application/json", jsw_entry_to_json (entry));
}

/* Requests */

static JswAuth *
authenticate (JswServer          *self,
              SoupServerMessage  *msg,
              GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;

  /* get_one() answers with the last of several; two credentials are a
   * confused or smuggled request, not a choice for us to make. get_list()
   * joins all of them, so it differs from get_one() exactly when there
   * are several. */
  if (header != NULL &&
      !g_str_equal (header, soup_message_headers_get_list (headers, "Authorization")))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("Send one “Authorization” header, not several"));
      return NULL;
    }

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_UNAUTHORIZED,
                           _("An “Authorization: Bearer” header with a token is required"));
      return NULL;
    }

  hash = jsw_token_hash (header + 7);
  return jsw_store_lookup_token (self->store, hash, error);
}

static JswAuth *
authenticate_user (JswServer          *self,
                   SoupServerMessage  *msg,
                   GError            **error)
{
  g_autoptr(JswAuth) auth = authenticate (self, msg, error);

  if (auth == NULL)
    return NULL;
  if (auth->user_id == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                           _("This endpoint is for a user’s devices; a worker token cannot use it"));
      return NULL;
    }
  return g_steal_pointer (&auth);
}

static JsonObject *
parse_body (SoupServerMessage  *msg,
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

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

/* GET /healthz */
static void
handle_healthz (JswServer         *self,
                SoupServerMessage *msg)
{
  reply_text (msg, SOUP_STATUS_OK, "application/json", g_strdup ("{\"ok\":true}"));
}

/* GET /metrics: operators only (a worker token) */
static void
handle_metrics (JswServer         *self,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAuth) auth = authenticate (self, msg, &error);
  gint64 counts[JSW_N_STATES];

  if (auth == NULL)
    {
      reply_error (msg, error);
      return;
    }
  if (auth->kind != JSW_KIND_SERVER)
    {
      reply_error_code (msg, JSW_ERROR_FORBIDDEN, _("Metrics are for operators; use a worker token"));
      return;
    }
  if (!jsw_store_count_by_state (self->store, counts, &error))
    {
      reply_error (msg, error);
      return;
    }

  reply_text (msg, SOUP_STATUS_OK, "text/plain; version=0.0.4",
              jsw_metrics_render (self->metrics, counts));
}

static void
add_limit (JsonBuilder *builder,
           const char  *name,
           gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static JsonNode *
account_to_json (JswAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, account->user_id);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, account->email);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, account->plan);
  json_builder_set_member_name (builder, "subscription_status");
  json_builder_add_string_value (builder, account->subscription_status);
  json_builder_set_member_name (builder, "execution_mode");
  json_builder_add_string_value (builder, jsw_execution_mode_to_string (account->execution_mode));

  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    add_limit (builder, jsw_counter_to_string ((JswCounter) i), account->limits.limit[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      json_builder_set_member_name (builder, jsw_counter_to_string ((JswCounter) i));
      json_builder_add_int_value (builder, account->usage[i]);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_account (JswServer         *self,
               SoupServerMessage *msg,
               const char        *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAccount) account = jsw_store_get_account (self->store, user_id, now_usec (), &error);
  g_autoptr(JsonNode) node = NULL;

  if (account == NULL)
    {
      reply_error (msg, error);
      return;
    }
  node = account_to_json (account);
  reply_json (msg, SOUP_STATUS_OK, node);
}

/* GET /v1/me */
static void
handle_me (JswServer         *self,
           SoupServerMessage *msg,
           JswAuth           *auth)
{
  reply_account (self, msg, auth->user_id);
}

/* PUT /v1/me/preference */
static void
handle_preference (JswServer         *self,
                   SoupServerMessage *msg,
                   JswAuth           *auth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = parse_body (msg, &root, &error);
  JswExecutionMode mode;

  if (body == NULL || !jsw_rest_body_preference (body, &mode, &error))
    {
      reply_error (msg, error);
      return;
    }
  if (!jsw_store_set_execution_mode (self->store, auth->user_id, mode, &error))
    {
      reply_error (msg, error);
      return;
    }

  reply_account (self, msg, auth->user_id);
}

static gboolean
valid_idempotency_key (const char *key)
{
  gsize length = strlen (key);

  if (length == 0 || length > 255)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isprint (*p))
      return FALSE;
  return TRUE;
}

/* What identifies the request an Idempotency-Key is sent with: the hex
 * SHA-256 of its body as received (a retry sends the same bytes). */
static char *
request_fingerprint (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
}

/* Keeps the answer for a retry with the same Idempotency-Key: an entry
 * without its snapshot, which the store splices back when it is asked. */
static void
remember_answer (JswServer         *self,
                 SoupServerMessage *msg,
                 const char        *user_id,
                 const char        *key,
                 const char        *fingerprint,
                 JswEntry          *entry)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (key == NULL)
    return;

  if (entry != NULL)
    text = jsw_entry_to_json_without_snapshot (entry);
  else
    {
      body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
      data = g_bytes_get_data (body, &length);
      text = g_strndup (data, length);
    }
  if (!jsw_store_idempotency_put (self->store, user_id, key, fingerprint, soup_server_message_get_status (msg),
                                  text, entry ? entry->id : NULL, now_usec (), &error))
    jsw_log (JSW_LOG_WARNING, g_object_get_data (G_OBJECT (msg), REQUEST_CID_KEY),
             "http.idempotency_not_saved", "message", 's', error->message, NULL);
}

/* POST /v1/swipes */
static void
handle_swipe (JswServer         *self,
              SoupServerMessage *msg,
              JswAuth           *auth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswJob) job = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  g_autofree char *this_request = NULL;  /* its fingerprint, with a key */
  JsonObject *body;
  gboolean right;
  gboolean created;

  if (key != NULL)
    {
      g_autofree char *stored = NULL;
      g_autofree char *first_request = NULL;
      guint status;

      if (!valid_idempotency_key (key))
        {
          reply_error_code (msg, JSW_ERROR_INVALID,
                                     _("The Idempotency-Key header must be 1 to 255 printable characters"));
          return;
        }
      if (!jsw_store_idempotency_get (self->store, auth->user_id, key, now_usec (), &status, &stored,
                                      &first_request, &error))
        {
          reply_error (msg, error);
          return;
        }
      this_request = request_fingerprint (msg);
      if (stored != NULL && first_request != NULL && !g_str_equal (first_request, this_request))
        {
          /* Answering with the first request's answer would tell the client
           * that this one was done (Stripe refuses the same way). */
          reply_error_code (msg, JSW_ERROR_CONFLICT,
                            _("This Idempotency-Key was already used with a different request; "
                              "use a new key for a new request"));
          return;
        }
      if (stored != NULL)
        {
          /* The same request again: the same answer, nothing done twice. */
          if (status == SOUP_STATUS_NO_CONTENT)
            soup_server_message_set_status (msg, status, NULL);
          else
            reply_text (msg, status, "application/json", g_steal_pointer (&stored));
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Idempotent-Replayed", "true");
          return;
        }
    }

  body = parse_body (msg, &root, &error);
  if (body == NULL || !jsw_rest_body_swipe (body, &right, &job, &error))
    {
      reply_error (msg, error);
      return;
    }

  if (!right)
    {
      if (!jsw_store_record_left_swipe (self->store, auth->user_id, job->job_id, now_usec (), &error))
        {
          reply_error (msg, error);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      remember_answer (self, msg, auth->user_id, key, this_request, NULL);
      return;
    }

  entry = jsw_store_swipe_right (self->store, auth->user_id, job, now_usec (), &created, events, &error);
  if (entry == NULL)
    {
      reply_error (msg, error);
      return;
    }

  {
    /* Spliced like the stream's frames: no second parse of the snapshot. */
    g_autofree char *json = jsw_entry_to_json (entry);

    reply_text (msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, "application/json",
                g_strconcat ("{\"entry\":", json, "}", NULL));
  }

  remember_answer (self, msg, auth->user_id, key, this_request, entry);
  jsw_server_publish (self, events);
}

/* GET /v1/queue[?state=S] */
static void
handle_queue_list (JswServer         *self,
                   SoupServerMessage *msg,
                   JswAuth           *auth,
                   GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  const char *state_name = query ? g_hash_table_lookup (query, "state") : NULL;
  JswState state = JSW_N_STATES;

  if (state_name != NULL && !jsw_state_from_string (state_name, &state))
    {
      reply_error_code (msg, JSW_ERROR_INVALID, _("Unknown state in “state”"));
      return;
    }

  entries = jsw_store_list_entries (self->store, auth->user_id,
                                    state_name != NULL ? (int) state : -1, &error);
  if (entries == NULL)
    {
      reply_error (msg, error);
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
  reply_json (msg, SOUP_STATUS_OK, node);
}

/* POST /v1/queue/{id}/{route,cancel,retry} and GET /v1/queue/{id} */
static void
handle_queue_entry (JswServer         *self,
                    SoupServerMessage *msg,
                    JswAuth           *auth,
                    const char        *method,
                    const char        *entry_id,
                    const char        *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();

  if (action == NULL)
    {
      if (!g_str_equal (method, "GET"))
        {
          reply_error_code (msg, JSW_ERROR_INVALID, _("Use GET to read an entry"));
          return;
        }
      entry = jsw_store_get_entry (self->store, auth->user_id, entry_id, &error);
    }
  else if (!g_str_equal (method, "POST"))
    {
      reply_error_code (msg, JSW_ERROR_INVALID, _("Use POST for this action"));
      return;
    }
  else if (g_str_equal (action, "route"))
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *body = parse_body (msg, &root, &error);
      JswTarget target;

      if (body == NULL || !jsw_rest_body_route (body, &target, &error))
        {
          reply_error (msg, error);
          return;
        }
      entry = jsw_store_route_entry (self->store, auth->user_id, entry_id, target, now_usec (), events, &error);
    }
  else if (g_str_equal (action, "cancel"))
    entry = jsw_store_cancel_entry (self->store, auth->user_id, entry_id, now_usec (), events, &error);
  else if (g_str_equal (action, "retry"))
    entry = jsw_store_retry_entry (self->store, auth->user_id, entry_id, now_usec (), events, &error);
  else
    {
      reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }

  if (entry == NULL)
    {
      reply_error (msg, error);
      return;
    }

  reply_entry (msg, SOUP_STATUS_OK, entry);
  jsw_server_publish (self, events);
}

/* POST /v1/sessions: the password check runs in a thread */

typedef struct {
  JswServer         *server;
  SoupServerMessage *msg;
  char              *email;
  char              *password;
  char              *device;
  char              *user_id;
  char              *password_hash;
  char              *address;
} LoginRequest;

static void
login_request_free (LoginRequest *request)
{
  g_object_unref (request->server);
  g_object_unref (request->msg);
  g_free (request->email);
  if (request->password != NULL)
    memset (request->password, 0, strlen (request->password));
  g_free (request->password);
  g_free (request->device);
  g_free (request->user_id);
  g_free (request->password_hash);
  g_free (request->address);
  g_free (request);
}

static void
verify_password_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  LoginRequest *request = task_data;
  const char *hash = request->password_hash ? request->password_hash : jsw_password_dummy_hash ();
  gboolean ok = jsw_password_verify (hash, request->password);

  g_task_return_boolean (task, ok && request->user_id != NULL && request->password_hash != NULL);
}

static void
password_verified (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoginRequest *request = g_task_get_task_data (G_TASK (result));
  JswServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  soup_server_message_unpause (msg);

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      /* Counted as a failure already, by jsw_login_limiter_try_begin(). */
      reply_error_code (msg, JSW_ERROR_UNAUTHORIZED, _("The e-mail address or the password is wrong"));
      return;
    }

  jsw_login_limiter_succeeded (self->login_limiter, request->email, request->address);
  token = jsw_token_generate ();
  hash = jsw_token_hash (token);
  if (!jsw_store_add_token (self->store, hash, request->user_id, JSW_KIND_DESKTOP, request->device,
                            now_usec (), &error))
    {
      reply_error (msg, error);
      return;
    }

  {
    g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
    g_autoptr(JsonNode) node = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "token");
    json_builder_add_string_value (builder, token);
    json_builder_set_member_name (builder, "user_id");
    json_builder_add_string_value (builder, request->user_id);
    json_builder_end_object (builder);
    node = json_builder_get_root (builder);
    reply_json (msg, SOUP_STATUS_CREATED, node);
  }
}

static char *
client_address (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("unknown");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static void
handle_sessions (JswServer         *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body = parse_body (msg, &root, &error);
  const char *email, *password, *device;
  LoginRequest *request;
  gint64 retry_after;

  if (body == NULL || !jsw_rest_body_sign_in (body, &email, &password, &device, &error))
    {
      reply_error (msg, error);
      return;
    }

  request = g_new0 (LoginRequest, 1);
  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->email = g_strdup (email);
  request->password = g_strdup (password);
  request->device = g_strdup (device);
  request->address = client_address (msg);

  retry_after = jsw_login_limiter_try_begin (self->login_limiter, email, request->address, now_usec ());
  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after / G_USEC_PER_SEC + 1);

      login_request_free (request);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
      reply_error_code (msg, JSW_ERROR_RATE_LIMITED, _("Too many failed sign-ins; wait a while and try again"));
      return;
    }

  request->user_id = jsw_store_find_user (self->store, email, &request->password_hash, &error);
  if (request->user_id == NULL && jsw_error_code_of (error) != JSW_ERROR_NOT_FOUND)
    {
      jsw_login_limiter_abandoned (self->login_limiter, email, request->address);
      login_request_free (request);
      reply_error (msg, error);
      return;
    }

  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, password_verified, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) login_request_free);
  g_task_run_in_thread (task, verify_password_in_thread);
}

/* Routing */

static void
handle_user_endpoint (JswServer         *self,
                      SoupServerMessage *msg,
                      const char        *method,
                      char             **parts,
                      guint              n_parts,
                      GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAuth) auth = authenticate_user (self, msg, &error);

  if (auth == NULL)
    {
      reply_error (msg, error);
      return;
    }

  /* parts: "", "v1", ... */
  if (n_parts == 3 && g_str_equal (parts[2], "me") && g_str_equal (method, "GET"))
    {
      handle_me (self, msg, auth);
      return;
    }
  if (n_parts == 4 && g_str_equal (parts[2], "me") && g_str_equal (parts[3], "preference") &&
      g_str_equal (method, "PUT"))
    {
      handle_preference (self, msg, auth);
      return;
    }
  if (n_parts == 3 && g_str_equal (parts[2], "swipes") && g_str_equal (method, "POST"))
    {
      handle_swipe (self, msg, auth);
      return;
    }
  if (n_parts == 3 && g_str_equal (parts[2], "queue") && g_str_equal (method, "GET"))
    {
      handle_queue_list (self, msg, auth, query);
      return;
    }
  if (n_parts == 4 && g_str_equal (parts[2], "queue") && *parts[3] != '\0')
    {
      handle_queue_entry (self, msg, auth, method, parts[3], NULL);
      return;
    }
  if (n_parts == 5 && g_str_equal (parts[2], "queue") && *parts[3] != '\0')
    {
      handle_queue_entry (self, msg, auth, method, parts[3], parts[4]);
      return;
    }

  reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
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
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *decoded = decode_path (path);
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  if (decoded == NULL)
    {
      reply_error_code (msg, JSW_ERROR_INVALID,
                        _("The path is not valid: it encodes a NUL byte, a “/” or a byte that is not UTF-8"));
      return;
    }
  path = decoded;
  parts = g_strsplit (path, "/", 8);
  n_parts = g_strv_length (parts);

  if (g_str_equal (path, "/healthz") && g_str_equal (method, "GET"))
    {
      handle_healthz (self, msg);
      return;
    }
  if (g_str_equal (path, "/metrics") && g_str_equal (method, "GET"))
    {
      handle_metrics (self, msg);
      return;
    }
  if (g_str_equal (path, "/v1/sessions") && g_str_equal (method, "POST"))
    {
      handle_sessions (self, msg);
      return;
    }
  if (n_parts >= 3 && g_str_equal (parts[1], "v1"))
    {
      handle_user_endpoint (self, msg, method, parts, n_parts, query);
      return;
    }

  reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
}

/* A body over the limit is refused as soon as that is known, and not read
 * on: the 413 goes out at once and the connection is closed. */
static void
refuse_oversized_body (JswServer         *self,
                       SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  reply_error_code (msg, JSW_ERROR_PAYLOAD_TOO_LARGE, _("The request body is larger than 1 MiB"));
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
  if (soup_server_message_get_request_body (msg)->length <= JSW_MAX_BODY_SIZE)
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

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > JSW_MAX_BODY_SIZE)
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
      reply_error_code (msg, JSW_ERROR_INTERNAL, _("The server is shutting down"));
      return;
    }

  auth = authenticate (self, msg, &error);
  if (auth == NULL)
    {
      reply_error (msg, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), STREAM_AUTH_KEY, auth, (GDestroyNotify) jsw_auth_free);
}

static void
on_stream_closed (JswStreamConnection *connection,
                  JswServer           *self)
{
  jsw_metrics_stream_closed (self->metrics, jsw_stream_connection_get_kind (connection));
  unsubscribe (self, connection);
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
  JswStreamConnection *connection;

  g_return_if_fail (auth != NULL);

  connection = jsw_stream_connection_new (self, websocket,
                                          self->acceptor ? jsw_acceptor_get_socket (self->acceptor, msg) : NULL,
                                          auth);
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
}

static const char *
ensure_cid (SoupServerMessage *msg)
{
  const char *cid = g_object_get_data (G_OBJECT (msg), REQUEST_CID_KEY);
  const char *given;

  if (cid != NULL)
    return cid;

  given = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Request-Id");
  g_object_set_data_full (G_OBJECT (msg), REQUEST_CID_KEY,
                          valid_request_id (given) ? g_strdup (given) : jsw_log_new_cid ("r"),
                          g_free);
  cid = g_object_get_data (G_OBJECT (msg), REQUEST_CID_KEY);
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

/* Leases that were not extended in time */

/* A channel's log is trimmed to its limits (count and bytes) within a sweep
 * of its change, so a busy client cannot grow it far past them in between;
 * a client further behind gets a sync. */
static void
prune_changed_channels (JswServer *self)
{
  GHashTableIter iter;
  const char *channel;

  g_hash_table_iter_init (&iter, self->changed_channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &channel, NULL))
    {
      g_autoptr(GError) error = NULL;

      if (!jsw_store_prune_events (self->store, channel, self->config.events_kept,
                                   self->config.events_bytes_kept, &error))
        jsw_log (JSW_LOG_ERROR, NULL, "events.prune_failed", "message", 's', error->message, NULL);
      g_hash_table_iter_remove (&iter);
    }
}

static gboolean
sweep_expired_leases (gpointer user_data)
{
  JswServer *self = user_data;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  guint expired;

  expired = jsw_store_expire_leases (self->store, g_get_real_time (), events, &error);
  if (error != NULL)
    jsw_log (JSW_LOG_ERROR, NULL, "lease.sweep_failed", "message", 's', error->message, NULL);
  if (expired > 0)
    {
      jsw_metrics_lease_expiries (self->metrics, expired);
      jsw_log (JSW_LOG_INFO, NULL, "lease.expired", "count", 'i', (int) expired, NULL);
      jsw_server_publish (self, events);
    }

  prune_changed_channels (self);

  /* Now and then the whole log (changes made by other processes, limits
   * lowered) and the expired Idempotency-Key answers. */
  if (++self->sweeps % 60 == 0)
    {
      if (!jsw_store_prune_events (self->store, NULL, self->config.events_kept,
                                   self->config.events_bytes_kept, &error))
        jsw_log (JSW_LOG_ERROR, NULL, "events.prune_failed", "message", 's', error->message, NULL);
      g_clear_error (&error);
      if (!jsw_store_idempotency_expire (self->store, g_get_real_time (), &error))
        jsw_log (JSW_LOG_ERROR, NULL, "idempotency.expire_failed", "message", 's', error->message, NULL);
    }

  return G_SOURCE_CONTINUE;
}

/* Shutdown: close every stream with 1001, let the close frames go out,
 * then stop listening. */

typedef struct {
  JswServer *server;
  GCallback  done;
  gpointer   user_data;
  guint      ticks;
} ShutdownWait;

static gboolean
wait_for_streams_to_close (gpointer data)
{
  ShutdownWait *wait = data;

  if (g_hash_table_size (wait->server->connections) > 0 && ++wait->ticks < 40)
    return G_SOURCE_CONTINUE;

  if (wait->server->acceptor != NULL)
    jsw_acceptor_stop (wait->server->acceptor);
  soup_server_disconnect (wait->server->soup);
  if (wait->done != NULL)
    ((void (*) (gpointer)) wait->done) (wait->user_data);
  g_object_unref (wait->server);
  g_free (wait);
  return G_SOURCE_REMOVE;
}

void
jsw_server_shutdown (JswServer *self,
                     GCallback  done,
                     gpointer   user_data)
{
  g_autoptr(GPtrArray) connections = NULL;
  ShutdownWait *wait;

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  g_clear_handle_id (&self->sweep_id, g_source_remove);

  jsw_log (JSW_LOG_INFO, NULL, "server.shutdown", "streams", 'i', (int) g_hash_table_size (self->connections), NULL);

  connections = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer connection;

    g_hash_table_iter_init (&iter, self->connections);
    while (g_hash_table_iter_next (&iter, &connection, NULL))
      g_ptr_array_add (connections, connection);
  }
  /* Closing may drop connections from the table: iterate over a copy. */
  for (guint i = 0; i < connections->len; i++)
    jsw_stream_connection_close (g_ptr_array_index (connections, i),
                                 SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");

  wait = g_new0 (ShutdownWait, 1);
  wait->server = g_object_ref (self);
  wait->done = done;
  wait->user_data = user_data;
  g_timeout_add (50, wait_for_streams_to_close, wait);
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
 * Starts accepting connections within config->connections.
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
  if (!jsw_acceptor_listen (self->acceptor, address, bound_port, error))
    return FALSE;

  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add (self->config.sweep_interval_ms, sweep_expired_leases, self);
  return TRUE;
}

static void
jsw_server_dispose (GObject *object)
{
  JswServer *self = (JswServer *) object;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->acceptor != NULL)
    jsw_acceptor_stop (self->acceptor);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->acceptor);
  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_clear_pointer (&self->changed_channels, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_object (&self->soup);
  g_clear_object (&self->login_limiter);
  g_clear_object (&self->metrics);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jsw_server_parent_class)->dispose (object);
}

static void
jsw_server_class_init (JswServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_server_dispose;

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
  /* Five wrong passwords per address in fifteen minutes. */
  self->login_limiter = jsw_login_limiter_new (5, 15 * 60 * G_USEC_PER_SEC);
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  self->changed_channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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

JswServer *
jsw_server_new (JswStore              *store,
                const JswServerConfig *config)
{
  JswServer *self = g_object_new (JSW_TYPE_SERVER, NULL);

  self->store = g_object_ref (store);
  if (config != NULL)
    self->config = *config;
  return self;
}
