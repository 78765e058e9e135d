/* jsw-session.c
 *
 * One object for this device's standing with the server, as GNOME Text
 * Editor has one EditorSession: the single SoupSession (REST and the
 * stream's WebSocket share it), the device token (kept in the keyring,
 * never in a file), signing in, and REST calls with the token. Windows
 * watch its `signed-in` and `connected` properties instead of being told.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-session"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-session.h"
#include "jsw-token-store.h"

struct _JswSession
{
  GObject         parent_instance;

  GSettings      *settings;
  SoupSession    *soup;
  JswQueueClient *client;
  char           *token;
  gboolean        connected;
};

G_DEFINE_FINAL_TYPE (JswSession, jsw_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
forget_token (JswSession *self)
{
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

static void
take_token (JswSession *self,
            char       *token)
{
  gboolean was_signed_in = self->token != NULL;

  forget_token (self);
  self->token = token;
  if (was_signed_in != (token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/**
 * jsw_session_restore:
 *
 * Signs in with the token the keyring holds for the `server-url` setting,
 * if it holds one.
 *
 * Returns: whether the session is signed in
 */
gboolean
jsw_session_restore (JswSession *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autoptr(GError) error = NULL;
  char *token;

  g_return_val_if_fail (JSW_IS_SESSION (self), FALSE);

  if (self->token != NULL || *server == '\0')
    return self->token != NULL;
  token = jsw_token_store_lookup (server, &error);
  if (token == NULL)
    {
      g_message ("Not signed in to %s%s%s", server, error ? ": " : "", error ? error->message : "");
      return FALSE;
    }
  take_token (self, token);
  return TRUE;
}

gboolean
jsw_session_get_signed_in (JswSession *self)
{
  g_return_val_if_fail (JSW_IS_SESSION (self), FALSE);

  return self->token != NULL;
}

/* Whether the stream is open (welcomed), once a queue client is followed. */
gboolean
jsw_session_get_connected (JswSession *self)
{
  g_return_val_if_fail (JSW_IS_SESSION (self), FALSE);

  return self->connected;
}

/* Returns: (nullable): the device token; never to be written to a file */
const char *
jsw_session_get_token (JswSession *self)
{
  g_return_val_if_fail (JSW_IS_SESSION (self), NULL);

  return self->token;
}

/* Returns: the server's base URL, as in the `server-url` setting ("" before
 * the first sign-in) */
char *
jsw_session_dup_server_url (JswSession *self)
{
  g_return_val_if_fail (JSW_IS_SESSION (self), NULL);

  return g_settings_get_string (self->settings, "server-url");
}

/* The name the server shows for this device: the `device-name` setting,
 * or the host name. */
char *
jsw_session_dup_device_name (JswSession *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "device-name");

  return *name ? g_steal_pointer (&name) : g_strdup (g_get_host_name ());
}

/* Returns: (transfer none): the one SoupSession of the app */
SoupSession *
jsw_session_get_soup_session (JswSession *self)
{
  g_return_val_if_fail (JSW_IS_SESSION (self), NULL);

  return self->soup;
}

static void
on_connection_changed (JswQueueClient *client,
                       gboolean        connected,
                       JswSession     *self)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
on_account_changed (JswQueueClient *client,
                    JsonObject     *account,
                    JswSession     *self)
{
  g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, account);
}

/* `connected` follows @client's stream from now on, and `account-changed`
 * its account frames. */
void
jsw_session_follow_client (JswSession     *self,
                           JswQueueClient *client)
{
  g_return_if_fail (JSW_IS_SESSION (self));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "connection-changed", G_CALLBACK (on_connection_changed), self, 0);
  g_signal_connect_object (client, "account-changed", G_CALLBACK (on_account_changed), self, 0);
  on_connection_changed (client, jsw_queue_client_is_connected (client), self);
}

/* REST calls with this device's token */

static void
rest_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  JsonNode *root;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "jsw-status", GUINT_TO_POINTER (soup_message_get_status (msg)));
  root = g_bytes_get_size (body) > 0 ? json_from_string (g_bytes_get_data (body, NULL), NULL) : NULL;
  g_task_return_pointer (task, root ? root : json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
}

/**
 * jsw_session_send_async:
 * @method: "GET", "PUT", "POST"…
 * @path: below the server's URL, such as "/v1/me/resume?filename=cv.pdf"
 * @content_type: (nullable): the body's media type
 * @body: (nullable): the request's body as it is sent
 *
 * A REST call of docs/server.md with this device's token and any body
 * (a file, for `PUT /v1/me/resume`); finished with
 * jsw_session_rest_finish(). Fails with G_IO_ERROR_NOT_CONNECTED when not
 * signed in.
 */
void
jsw_session_send_async (JswSession          *self,
                        const char          *method,
                        const char          *path,
                        const char          *content_type,
                        GBytes              *body,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *url = g_strconcat (server, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", self->token ? self->token : "", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  if (msg == NULL || self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not signed in"));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, cancellable, rest_done, g_steal_pointer (&task));
}

/**
 * jsw_session_rest_async:
 * @method: "GET", "PUT", "POST"…
 * @path: below the server's URL, such as "/v1/me"
 * @body: (nullable): JSON text
 *
 * A REST call of docs/server.md with this device's token. Fails with
 * G_IO_ERROR_NOT_CONNECTED when not signed in.
 */
void
jsw_session_rest_async (JswSession          *self,
                        const char          *method,
                        const char          *path,
                        const char          *body,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;

  jsw_session_send_async (self, method, path, "application/json", bytes, cancellable, callback, user_data);
}

/**
 * jsw_session_rest_finish:
 * @status: (out): the HTTP status
 *
 * Returns: (transfer full) (nullable): the answer's JSON (a null node for
 *   an empty or unparsable body), or %NULL when the server was not reached
 */
JsonNode *
jsw_session_rest_finish (JswSession    *self,
                         GAsyncResult  *result,
                         guint         *status,
                         GError       **error)
{
  *status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "jsw-status"));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jsw_session_answer_message:
 * @answer: (nullable): an answer's JSON, as jsw_session_rest_finish() gives it
 *
 * Returns: (nullable): the message of an error answer (PROTOCOL.md:
 *   `{"error": {"code", "message"}}`), or %NULL
 */
const char *
jsw_session_answer_message (JsonNode *answer)
{
  JsonObject *error = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer)
                      ? json_object_get_object_member (json_node_get_object (answer), "error") : NULL;

  return error != NULL ? json_object_get_string_member_with_default (error, "message", NULL) : NULL;
}

/* Signing in: POST /v1/sessions (or GET /v1/me for a device token), then
 * the token into the keyring. */

typedef struct {
  char *server;
  char *token;   /* given instead of a password */
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->server);
  if (sign_in->token != NULL)
    memset (sign_in->token, 0, strlen (sign_in->token));
  g_free (sign_in->token);
  g_free (sign_in);
}

static const char *
sign_in_problem (guint status)
{
  switch (status)
    {
    case 401: return _("The e-mail address or the password is wrong");
    case 429: return _("Too many failed sign-ins; wait a while and try again");
    case 400: return _("Fill in the e-mail address and the password");
    default: return _("The server did not let this computer sign in");
    }
}

/* The token into the keyring, then signed in. */
static void
finish_sign_in (GTask      *task,
                const char *token)
{
  JswSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!jsw_token_store_save (sign_in->server, token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_settings_set_string (self->settings, "server-url", sign_in->server);
  take_token (self, g_strdup (token));
  g_task_return_boolean (task, TRUE);
}

/* The body of the answer to a sign-in request (POST /v1/sessions, or GET
 * /v1/me for a device token) when it came with @expected; otherwise the
 * task gets the error a person reads, and %NULL is returned. */
static GBytes *
sign_in_answer (GTask        *task,
                GObject      *source,
                GAsyncResult *result,
                guint         expected)
{
  SignIn *sign_in = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL && sign_in->token != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot reach the server: %s"), error->message);
  else if (body == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot reach %s: %s"), sign_in->server, error->message);
  else if (soup_message_get_status (msg) != expected)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                             sign_in->token != NULL ? _("The server does not know this token")
                                                    : sign_in_problem (soup_message_get_status (msg)));
  else
    return g_steal_pointer (&body);
  return NULL;
}

static void
session_created (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = sign_in_answer (task, source, result, 201);
  g_autoptr(JsonNode) root = NULL;
  const char *token = NULL;

  if (body == NULL)
    return;
  root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    token = json_object_get_string_member_with_default (json_node_get_object (root), "token", NULL);
  if (token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The server’s answer makes no sense"));
      return;
    }
  finish_sign_in (task, token);
}

/* A device token given instead of a password is checked with GET /v1/me. */
static void
token_checked (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = sign_in_answer (task, source, result, 200);
  SignIn *sign_in = g_task_get_task_data (task);

  if (body != NULL)
    finish_sign_in (task, sign_in->token);
}

static gboolean
is_server_url (const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && (!g_strcmp0 (g_uri_get_scheme (uri), "http") || !g_strcmp0 (g_uri_get_scheme (uri), "https")) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
check_token (JswSession *self,
             GTask      *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *me = g_strconcat (sign_in->server, "/v1/me", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", sign_in->token, NULL);
  g_autoptr(SoupMessage) check = soup_message_new ("GET", me);

  if (check == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The server’s address should look like https://jobswipe.example.org"));
      g_object_unref (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (check), "Authorization", auth);
  soup_session_send_and_read_async (self->soup, check, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    token_checked, task);
}

static void
create_session (JswSession *self,
                GTask      *task,
                const char *email,
                const char *password)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *device = jsw_session_dup_device_name (self);
  g_autofree char *url = g_strconcat (sign_in->server, "/v1/sessions", NULL);
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, device);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = jsw_json_node_to_string (node);
  bytes = g_bytes_new (body, strlen (body));

  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    session_created, task);
}

/**
 * jsw_session_sign_in_async:
 * @server_url: http or https, with a host
 * @email: (nullable): with @password, for POST /v1/sessions
 * @token: (nullable): a device token instead, checked with GET /v1/me
 *
 * Signs this device in; on success the token is in the keyring, the
 * `server-url` setting is @server_url, and `signed-in` is %TRUE. Errors
 * are in G_IO_ERROR, with a message a person reads.
 */
void
jsw_session_sign_in_async (JswSession          *self,
                           const char          *server_url,
                           const char          *email,
                           const char          *password,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SignIn *sign_in;

  if (!is_server_url (server_url))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The server’s address should look like https://jobswipe.example.org"));
      g_object_unref (task);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server = g_strdup (server_url);
  if (g_str_has_suffix (sign_in->server, "/"))
    sign_in->server[strlen (sign_in->server) - 1] = '\0';
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  if (token != NULL && *token != '\0')
    {
      sign_in->token = g_strdup (token);
      check_token (self, task);
    }
  else
    create_session (self, task, email, password);
}

gboolean
jsw_session_sign_in_finish (JswSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
jsw_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  JswSession *self = JSW_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN: g_value_set_boolean (value, jsw_session_get_signed_in (self)); break;
    case PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_session_dispose (GObject *object)
{
  JswSession *self = (JswSession *) object;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->soup);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (jsw_session_parent_class)->dispose (object);
}

static void
jsw_session_finalize (GObject *object)
{
  forget_token (JSW_SESSION (object));
  G_OBJECT_CLASS (jsw_session_parent_class)->finalize (object);
}

static void
jsw_session_class_init (JswSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jsw_session_dispose;
  object_class->finalize = jsw_session_finalize;
  object_class->get_property = jsw_session_get_property;

  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, flags);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JswSession::account-changed:
   * @account: (type JsonObject): as `GET /v1/me` answers it
   *
   * The server said the person's account changed (a plan bought or
   * cancelled): its stream's `account` frame.
   */
  signals[ACCOUNT_CHANGED] = g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
jsw_session_init (JswSession *self)
{
  /* 30 s: what the stream's connect waited for before it shared this. */
  self->soup = soup_session_new_with_options ("timeout", 30, NULL);
}

/* @settings: org.jobswipe.JobSwipe, for `server-url` and `device-name` */
JswSession *
jsw_session_new (GSettings *settings)
{
  JswSession *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (JSW_TYPE_SESSION, NULL);
  self->settings = g_object_ref (settings);
  return self;
}
