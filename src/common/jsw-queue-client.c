/* jsw-queue-client.c: a client's end of the stream (PROTOCOL.md)
 *
 * The desktop app's and the server-side worker's: one WebSocket to the
 * server, kept open: hello with the stored `seq`, then the missed changes,
 * then live ones, into the store (jsw-queue-store.h). It reconnects
 * with exponential backoff and jitter (1 s to 60 s), right away when the
 * network comes back, and when pongs stop coming for 45 s (libsoup 3.2 has
 * no pong timeout of its own). No polling.
 *
 * Progress and results go through the store's outbox: written first, sent
 * when connected, and a result is deleted only once acknowledged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-queue-client-private.h"
#include "jsw-time.h"

#define MIN_BACKOFF_S      1
#define MAX_BACKOFF_S      60
#define PING_INTERVAL_S    15
#define PONG_TIMEOUT_S     (3 * PING_INTERVAL_S)

G_DEFINE_FINAL_TYPE (JswQueueClient, jsw_queue_client, G_TYPE_OBJECT)

enum {
  ENTRY_CHANGED,
  SYNCED,
  CONNECTION_CHANGED,
  RESULT_ACKNOWLEDGED,
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (JswQueueClient *self);

gboolean
jsw_queue_client_is_connected (JswQueueClient *self)
{
  return self->ws != NULL && self->welcomed &&
         soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

char *
_jsw_queue_client_next_request_id (JswQueueClient *self,
                                   const char     *kind)
{
  /* Unique across restarts too: results in the outbox outlive the process. */
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%u", kind, g_get_real_time (), ++self->request_counter);
}

void
_jsw_queue_client_send_frame (JswQueueClient *self,
                              const char     *frame)
{
  if (jsw_queue_client_is_connected (self))
    soup_websocket_connection_send_text (self->ws, frame);
}

/* Reconnecting */

static gboolean
reconnect_cb (gpointer user_data)
{
  JswQueueClient *self = user_data;

  self->reconnect_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (JswQueueClient *self)
{
  double delay;

  if (!self->running || self->reconnect_id != 0)
    return;
  /* 1, 2, 4 ... 60 s, each ±20 %, so that a thousand desktops that lost
   * the server together do not all come back in the same second. */
  delay = MIN (MAX_BACKOFF_S, MIN_BACKOFF_S * (double) (1u << MIN (self->failures, 6)));
  delay *= g_random_double_range (0.8, 1.2);
  self->failures++;
  self->reconnect_id = g_timeout_add ((guint) (delay * 1000), reconnect_cb, self);
}

static void
drop_connection (JswQueueClient *self)
{
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->ws);
    }
  if (self->welcomed)
    {
      self->welcomed = FALSE;
      g_signal_emit (self, signals[CONNECTION_CHANGED], 0, FALSE);
    }
}

static void
fail_pending (GHashTable *pending)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) ids = g_hash_table_get_keys (pending);

  /* All taken out first: an answer's callback may send a new request. */
  for (GList *l = ids; l != NULL; l = l->next)
    g_ptr_array_add (tasks, _jsw_queue_client_take_awaited (pending, l->data));
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_new_error (g_ptr_array_index (tasks, i), G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                             _("The connection to the server was lost"));
}

static void
fail_pending_claims (JswQueueClient *self)
{
  fail_pending (self->pending_claims);
  fail_pending (self->pending_progress);
}

static void
on_closed (SoupWebsocketConnection *ws,
           JswQueueClient          *self)
{
  g_debug ("stream closed (%u)", soup_websocket_connection_get_close_code (ws));
  drop_connection (self);
  fail_pending_claims (self);
  schedule_reconnect (self);
}

static gboolean watchdog_cb (gpointer user_data);

/* The watchdog only fires when pongs stop: each pong puts it off again, so
 * an idle connection wakes for nothing but its keepalive. */
static void
on_pong (SoupWebsocketConnection *ws,
         GBytes                  *message,
         JswQueueClient          *self)
{
  self->last_pong = g_get_monotonic_time ();
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_id = g_timeout_add_seconds (PONG_TIMEOUT_S, watchdog_cb, self);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  JswQueueClient *self = user_data;

  if (g_get_monotonic_time () - self->last_pong >= (PONG_TIMEOUT_S - 1) * G_USEC_PER_SEC)
    {
      /* The peer stopped answering pings: the connection is dead even if
       * the socket does not know it yet. */
      g_debug ("no pong for %d s: reconnecting", PONG_TIMEOUT_S);
      self->watchdog_id = 0;
      drop_connection (self);
      fail_pending_claims (self);
      schedule_reconnect (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The outbox */

static void
flush_outbox (JswQueueClient *self)
{
  g_autoptr(GPtrArray) items = jsw_queue_store_outbox_list (self->store);

  for (guint i = 0; i < items->len && jsw_queue_client_is_connected (self); i++)
    {
      JswOutboxItem *item = g_ptr_array_index (items, i);

      _jsw_queue_client_send_frame (self, item->frame);
      /* Progress has no acknowledgement: once handed to the open socket
       * it is done. Results wait for their ack. */
      if (item->request_id == NULL)
        jsw_queue_store_outbox_remove (self->store, item->id, NULL);
    }
}

/* Frames from the server */

static void
handle_welcome (JswQueueClient *self,
                JswMessage     *message)
{
  self->welcomed = TRUE;
  self->failures = 0;
  self->heartbeat_s = message->heartbeat_s;
  g_signal_emit (self, signals[CONNECTION_CHANGED], 0, TRUE);
  flush_outbox (self);
}

static void
handle_entry (JswQueueClient *self,
              JswMessage     *message)
{
  g_autoptr(GError) error = NULL;

  if (message->seq <= jsw_queue_store_get_last_seq (self->store))
    return;  /* seen already */
  if (!jsw_queue_store_store_entry (self->store, message->entry, message->seq, &error))
    g_warning ("Cannot keep an entry: %s", error->message);
  g_signal_emit (self, signals[ENTRY_CHANGED], 0, message->entry);
}

static void
handle_sync (JswQueueClient *self,
             JswMessage     *message)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_queue_store_replace_all (self->store, message->entries, message->seq, &error))
    g_warning ("Cannot keep the queue: %s", error->message);
  g_signal_emit (self, signals[SYNCED], 0);
}

static void
handle_claimed (JswQueueClient *self,
                JswMessage     *message)
{
  g_autoptr(GTask) task = _jsw_queue_client_take_awaited (self->pending_claims, message->re);

  if (task == NULL)
    return;
  if (g_strcmp0 (message->linkedin_send, "automatic") == 0)
    g_hash_table_add (self->linkedin_automatic, g_strdup (message->lease));
  g_task_return_pointer (task, g_strdup (message->lease), g_free);
}

/**
 * jsw_queue_client_sends_linkedin_automatically:
 * @lease: a lease this client claimed
 *
 * Returns: whether the claim of a LinkedIn entry said `"linkedin_send":
 *   "automatic"` (docs/server.md "LinkedIn"): the person opted in and the
 *   day's automatic sends are not used up. Otherwise a LinkedIn run stops
 *   on the review step for the person.
 */
gboolean
jsw_queue_client_sends_linkedin_automatically (JswQueueClient *self,
                                               const char     *lease)
{
  return lease != NULL && g_hash_table_contains (self->linkedin_automatic, lease);
}

static void
handle_ack (JswQueueClient *self,
            JswMessage     *message)
{
  g_autoptr(GTask) task = _jsw_queue_client_take_awaited (self->pending_progress, message->re);

  if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  jsw_queue_store_outbox_remove_request (self->store, message->re, NULL);
  g_signal_emit (self, signals[RESULT_ACKNOWLEDGED], 0, message->re);
}

static JswErrorCode
error_code_from_name (const char *name)
{
  static const struct { const char *name; JswErrorCode code; } codes[] = {
    { "already_claimed", JSW_ERROR_ALREADY_CLAIMED },
    { "not_found", JSW_ERROR_NOT_FOUND },
    { "forbidden", JSW_ERROR_FORBIDDEN },
    { "lease_expired", JSW_ERROR_LEASE_EXPIRED },
    { "quota_exceeded", JSW_ERROR_QUOTA_EXCEEDED },
    { "invalid", JSW_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_strcmp0 (name, codes[i].name) == 0)
      return codes[i].code;
  return JSW_ERROR_INTERNAL;
}

static void
handle_error (JswQueueClient *self,
              JswMessage     *message)
{
  g_autoptr(GTask) task = _jsw_queue_client_take_awaited (self->pending_claims, message->re);

  if (task == NULL)
    task = _jsw_queue_client_take_awaited (self->pending_progress, message->re);
  if (task != NULL)
    {
      gint64 retry_at;

      /* A refused claim's "retry_at" (an addition): for
       * jsw_queue_client_claim_retry_at(). */
      if (message->retry_at != NULL && jsw_time_parse (message->retry_at, &retry_at))
        g_task_set_task_data (task, g_memdup2 (&retry_at, sizeof retry_at), g_free);
      g_task_return_new_error (task, JSW_ERROR, error_code_from_name (message->code), "%s",
                               message->message ? message->message : message->code);
      return;
    }

  if (message->re != NULL)
    {
      /* A result the server will never take (its lease is gone): keeping
       * it would resend it forever. The server has the entry in
       * needs_review or back in the queue by now. */
      g_message ("The server refused result %s: %s", message->re, message->code);
      jsw_queue_store_outbox_remove_request (self->store, message->re, NULL);
      return;
    }
  g_debug ("server error: %s %s", message->code, message->message);
}

static void
on_message (SoupWebsocketConnection *ws,
            gint                     type,
            GBytes                  *bytes,
            JswQueueClient          *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswMessage) message = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  message = jsw_message_parse (data, length, NULL, &error);
  if (message == NULL)
    {
      g_warning ("The server sent a frame that does not follow the protocol: %s", error->message);
      return;
    }

  switch (message->type)
    {
    case JSW_MESSAGE_WELCOME: handle_welcome (self, message); break;
    case JSW_MESSAGE_ENTRY: handle_entry (self, message); break;
    case JSW_MESSAGE_SYNC: handle_sync (self, message); break;
    case JSW_MESSAGE_CLAIMED: handle_claimed (self, message); break;
    case JSW_MESSAGE_ACK: handle_ack (self, message); break;
    case JSW_MESSAGE_ERROR: handle_error (self, message); break;
    case JSW_MESSAGE_ACCOUNT: g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, message->account); break;
    case JSW_MESSAGE_HELLO:
    case JSW_MESSAGE_CLAIM:
    case JSW_MESSAGE_HEARTBEAT:
    case JSW_MESSAGE_PROGRESS:
    case JSW_MESSAGE_RESULT:
    case JSW_MESSAGE_RELEASE:
    default:
      g_warning ("The server sent a client frame (%s)", jsw_message_type_to_string (message->type));
      break;
    }
}

/* Connecting */

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JswQueueClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hello = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_clear_object (&self->connecting);
  if (ws == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("cannot connect: %s", error->message);
          schedule_reconnect (self);
        }
      return;
    }

  self->ws = ws;
  self->last_pong = g_get_monotonic_time ();
  soup_websocket_connection_set_keepalive_interval (ws, PING_INTERVAL_S);
  soup_websocket_connection_set_max_incoming_payload_size (ws, 64 * 1024 * 1024);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (ws, "pong", G_CALLBACK (on_pong), self);
  self->watchdog_id = g_timeout_add_seconds (PONG_TIMEOUT_S, watchdog_cb, self);

  hello = jsw_message_build_hello (self->device, jsw_queue_store_get_last_seq (self->store));
  soup_websocket_connection_send_text (ws, hello);
}

static void
connect_now (JswQueueClient *self)
{
  g_autoptr(GUri) base = g_uri_parse (self->server_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ws_uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *auth = NULL;
  gboolean tls;

  if (!self->running || self->ws != NULL || self->connecting != NULL || base == NULL)
    return;

  tls = g_strcmp0 (g_uri_get_scheme (base), "https") == 0;
  ws_uri = g_uri_build (G_URI_FLAGS_NONE, tls ? "wss" : "ws", NULL, g_uri_get_host (base),
                        g_uri_get_port (base), "/v1/stream", NULL, NULL);
  msg = soup_message_new_from_uri ("GET", ws_uri);
  auth = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);

  self->connecting = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connecting, connected, g_object_ref (self));
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    JswQueueClient  *self)
{
  /* Back online: no need to wait out the backoff. */
  if (available && self->running && self->ws == NULL && self->connecting == NULL)
    {
      g_clear_handle_id (&self->reconnect_id, g_source_remove);
      self->failures = 0;
      connect_now (self);
    }
}

void
jsw_queue_client_start (JswQueueClient *self)
{
  self->running = TRUE;
  connect_now (self);
}

void
jsw_queue_client_stop (JswQueueClient *self)
{
  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  drop_connection (self);
  fail_pending_claims (self);
}

JswQueueStore *
jsw_queue_client_get_store (JswQueueClient *self)
{
  return self->store;
}

static void
jsw_queue_client_dispose (GObject *object)
{
  JswQueueClient *self = (JswQueueClient *) object;

  jsw_queue_client_stop (self);
  g_clear_signal_handler (&self->network_changed_id, g_network_monitor_get_default ());
  if (self->leases != NULL)
    {
      GHashTableIter iter;
      gpointer id;

      /* The heartbeats point at us: they stop with us. */
      g_hash_table_iter_init (&iter, self->leases);
      while (g_hash_table_iter_next (&iter, NULL, &id))
        g_source_remove (GPOINTER_TO_UINT (id));
    }
  g_clear_pointer (&self->leases, g_hash_table_unref);
  g_clear_pointer (&self->linkedin_automatic, g_hash_table_unref);
  g_clear_pointer (&self->pending_claims, g_hash_table_unref);
  g_clear_pointer (&self->pending_progress, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jsw_queue_client_parent_class)->dispose (object);
}

static void
jsw_queue_client_finalize (GObject *object)
{
  JswQueueClient *self = (JswQueueClient *) object;

  g_free (self->server_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->device);

  G_OBJECT_CLASS (jsw_queue_client_parent_class)->finalize (object);
}

static void
jsw_queue_client_class_init (JswQueueClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_queue_client_dispose;
  object_class->finalize = jsw_queue_client_finalize;

  signals[ENTRY_CHANGED] = g_signal_new ("entry-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSW_TYPE_ENTRY);
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CONNECTION_CHANGED] = g_signal_new ("connection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[RESULT_ACKNOWLEDGED] = g_signal_new ("result-acknowledged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * JswQueueClient::account-changed:
   * @account: (type JsonObject): the account as `GET /v1/me` answers it
   *
   * The server pushed an `account` frame: the person's plan or its
   * status changed (docs/server.md, "Billing").
   */
  signals[ACCOUNT_CHANGED] = g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
jsw_queue_client_init (JswQueueClient *self)
{
  self->heartbeat_s = 20;
  self->pending_claims = _jsw_queue_client_pending_new ();
  self->pending_progress = _jsw_queue_client_pending_new ();
  self->leases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->linkedin_automatic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

JswQueueClient *
jsw_queue_client_new (SoupSession *session,
                      const char  *server_url,
                      const char  *token,
                      const char  *device,
                      JswQueueStore *store)
{
  JswQueueClient *self = g_object_new (JSW_TYPE_QUEUE_CLIENT, NULL);

  self->session = g_object_ref (session);
  self->server_url = g_strdup (server_url);
  self->token = g_strdup (token);
  self->device = g_strdup (device);
  self->store = g_object_ref (store);
  self->network_changed_id = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                               G_CALLBACK (on_network_changed), self);
  return self;
}
