/* jsw-stream-connection.c: the stream protocol, as the server speaks it
 *
 * A connection starts unsubscribed: it must say `hello` first. The answer
 * is `welcome`, then the changes it missed (or a `sync`), and only then is
 * it subscribed to live changes. The server runs on one main loop, so
 * nothing can slip in between the replay and the subscription.
 *
 * The replay after `hello` is read from the store and sent in slices, one
 * per turn of the main loop, so that a client far behind does not stall
 * everyone else (jsw-stream-connection-replay.c). The connection is subscribed from the start but ignores
 * live changes until the replay has caught up with them: every change is
 * in the event log before it is published, so the replay's last slice
 * holds them.
 *
 * What waits to be sent to a client is bounded by the send budget: a
 * client that stops reading is closed with JSW_CLOSE_TOO_SLOW rather than
 * letting its frames pile up in memory.
 *
 * A bad frame is answered with an `error` and changes nothing; only a frame
 * over 256 KiB closes the connection (1009, done by libsoup).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-stream-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "jsw-log.h"
#include "jsw-stream-connection-private.h"


/* A connection that never says hello holds a socket for nothing. */
#define HELLO_TIMEOUT_S 30

static void jsw_stream_connection_subscriber_init (JswHubSubscriberInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswStreamConnection, jsw_stream_connection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_HUB_SUBSCRIBER,
                                                      jsw_stream_connection_subscriber_init))

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

static gint64
lease_ttl_usec (JswStreamConnection *self)
{
  return self->config.lease_ttl_s * G_USEC_PER_SEC;
}

gboolean
jsw_stream_connection_is_open (JswStreamConnection *self)
{
  return self->websocket != NULL &&
         soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* TCP's count of bytes the client acknowledged (tcpi_bytes_acked, Linux
 * 4.1+); what libsoup still queues is what it was given less that. */
static guint64
bytes_acknowledged (JswStreamConnection *self)
{
  struct tcp_info info = { 0 };
  socklen_t length = sizeof info;
  int fd = self->socket != NULL ? g_socket_get_fd (self->socket) : -1;

  if (fd < 0 || getsockopt (fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < G_STRUCT_OFFSET (struct tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked)
    return self->handed;
  return info.tcpi_bytes_acked;
}

/**
 * jsw_stream_connection_get_queued:
 *
 * Returns: the bytes given to this connection that its client has not
 *   acknowledged yet: queued in libsoup or the kernel, or under way. The
 *   frames' own headers are not counted, so it errs low by a few bytes a
 *   frame.
 */
guint64
jsw_stream_connection_get_queued (JswStreamConnection *self)
{
  /* Asked only when the last answer says the budget may be used up: one
   * system call per frame for every connection would add up. */
  if (self->handed - MIN (self->acked, self->handed) > self->config.send_budget / 2)
    self->acked = MAX (self->acked, bytes_acknowledged (self));
  return self->handed - MIN (self->acked, self->handed);
}

static gboolean
over_send_budget (JswStreamConnection *self)
{
  return jsw_stream_connection_get_queued (self) > self->config.send_budget;
}

void
jsw_stream_connection_close_too_slow (JswStreamConnection *self)
{
  jsw_log (JSW_LOG_WARNING, self->cid, "stream.too_slow",
           "queued", 'l', (gint64) jsw_stream_connection_get_queued (self), NULL);
  jsw_stream_connection_close (self, JSW_CLOSE_TOO_SLOW, "too slow: reconnect and resume with since");
}

void
jsw_stream_connection_send (JswStreamConnection *self,
                            const char          *text)
{
  if (!jsw_stream_connection_is_open (self))
    return;
  /* Checked before the frame, so that one frame larger than the budget
   * (a big sync) still goes out to a client that reads. */
  if (over_send_budget (self))
    {
      jsw_stream_connection_close_too_slow (self);
      return;
    }
  self->handed += strlen (text);
  soup_websocket_connection_send_text (self->websocket, text);
}

/* JswHubSubscriber.push: sends a live change, unless the replay after `hello` has not caught up
 * yet: it reads the change from the event log in its turn. A frame outside
 * the log (seq 0: `account`) goes out at once.
 */
static void
jsw_stream_connection_push (JswHubSubscriber *subscriber,
                            gint64            seq,
                            const char       *frame)
{
  JswStreamConnection *self = JSW_STREAM_CONNECTION (subscriber);

  if (seq > 0 && (self->replaying || seq <= self->replayed_to))
    return;
  /* Past the next seq: changes made through another process sharing the
   * store that have not reached this one yet (jsw-hub-relay.c). The gap
   * is read from the log, then live changes go on, so that the client
   * sees every change once and in order. */
  if (seq > self->replayed_to + 1)
    {
      self->replaying = TRUE;
      jsw_stream_connection_schedule_replay (self, FALSE);
      return;
    }
  jsw_stream_connection_send (self, frame);
  self->replayed_to = seq;
}

void
jsw_stream_connection_close (JswStreamConnection *self,
                             gushort              code,
                             const char          *reason)
{
  if (jsw_stream_connection_is_open (self))
    soup_websocket_connection_close (self->websocket, code, reason);
}

const char *
jsw_stream_connection_get_channel (JswStreamConnection *self)
{
  return self->channel;
}

JswKind
jsw_stream_connection_get_kind (JswStreamConnection *self)
{
  return self->auth->kind;
}

void
jsw_stream_connection_send_error (JswStreamConnection *self,
                                  const char          *cid,
                                  const char          *re,
                                  const GError        *error)
{
  JswErrorCode code = jsw_error_code_of (error);
  g_autofree char *frame = NULL;

  /* A failure of ours must not read as the client's mistake, nor leak
   * database details to it. */
  if (code == JSW_ERROR_INTERNAL)
    {
      jsw_log (JSW_LOG_ERROR, cid, "stream.internal_error", "message", 's', error->message, NULL);
      frame = jsw_message_build_error (re, "internal", _("Something went wrong on the server; try again"));
    }
  else
    {
      jsw_log (JSW_LOG_INFO, cid, "stream.refused", "re", 's', re,
               "code", 's', jsw_error_code_name (code), "message", 's', error->message, NULL);
      frame = jsw_message_build_error (re, jsw_error_code_name (code), error->message);
    }
  jsw_stream_connection_send (self, frame);
}

/* hello: welcome, then what was missed, then live changes */

static void
handle_hello (JswStreamConnection *self,
              JswMessage          *message,
              const char          *cid)
{
  JswStore *store = self->store;
  const JswServerConfig *config = &self->config;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autofree char *welcome = NULL;
  gboolean too_old = FALSE;
  gint64 seq;

  if (self->said_hello)
    {
      g_set_error_literal (&error, JSW_ERROR, JSW_ERROR_INVALID, _("This connection has said hello already"));
      jsw_stream_connection_send_error (self, cid, NULL, error);
      return;
    }

  /* Only whether the client can be replayed to; the events come in slices. */
  seq = jsw_store_current_seq (store, self->channel, &error);
  if (seq >= 0)
    first = jsw_store_events_since (store, self->channel, message->since, 1, TRUE, &too_old, &error);
  if (first == NULL)
    {
      jsw_stream_connection_send_error (self, cid, NULL, error);
      return;
    }

  self->said_hello = TRUE;
  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  self->device = g_strdup (message->device);

  welcome = jsw_message_build_welcome (seq, config->lease_ttl_s, config->heartbeat_s);
  jsw_stream_connection_send (self, welcome);

  if (too_old)
    {
      jsw_stream_connection_send_sync (self, seq, cid);
      self->replayed_to = seq;
    }
  else
    {
      self->replayed_to = message->since;
      self->replaying = TRUE;
      jsw_stream_connection_schedule_replay (self, FALSE);
    }

  jsw_hub_subscribe (self->hub, self->channel, JSW_HUB_SUBSCRIBER (self));
  self->subscribed = TRUE;
  jsw_log (JSW_LOG_INFO, cid, "stream.hello", "device", 's', self->device,
           "since", 'l', message->since, "seq", 'l', seq, "sync", 'b', too_old, NULL);
}

/* A worker's lease is bound to the connection that claimed it: workers
 * may share a token, and a worker that reconnects has lost its leases
 * (they expire as PROTOCOL.md says). A desktop's lease is bound to its
 * token instead (checked by the store): the app keeps its lease across a
 * reconnect and sends its saved progress and result on the new connection.
 * Refused with `forbidden`, changing nothing. */
static gboolean
may_use_lease (JswStreamConnection  *self,
               const char           *lease,
               GError              **error)
{
  if (self->auth->kind != JSW_KIND_SERVER ||
      (self->leases != NULL && g_hash_table_contains (self->leases, lease)))
    return TRUE;
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                       _("This lease was claimed on another connection; only that connection can use it"));
  return FALSE;
}

/* The hello's device names the runner more precisely than the token does
 * (several workers may share one worker token). */
static JswAuth
runner_auth (JswStreamConnection *self)
{
  JswAuth auth = *self->auth;

  if (self->device != NULL)
    auth.device = self->device;
  return auth;
}

/* LinkedIn (issue 16): a desktop's claim of a LinkedIn entry starts a
 * LinkedIn application, which the person's limits must allow now
 * (jsw_linkedin_decide()); refused with `quota_exceeded` saying until
 * when. Sets *@linkedin for such an entry, and *@automatic when it is
 * to be sent without the person's review. */
static gboolean
admit_linkedin (JswStreamConnection  *self,
                const JswAuth        *auth,
                const char           *entry_id,
                gint64                now,
                gboolean             *linkedin,
                gboolean             *automatic,
                gint64               *retry_at,
                GError              **error)
{
  g_autoptr(JswEntry) entry = NULL;
  JswLinkedinDecision decision = { 0, };

  *linkedin = *automatic = FALSE;
  *retry_at = 0;
  if (auth->kind != JSW_KIND_DESKTOP || auth->user_id == NULL)
    return TRUE;
  entry = jsw_store_get_entry (self->store, auth->user_id, entry_id, NULL);
  if (entry == NULL || !jsw_linkedin_is_entry (entry))
    return TRUE;  /* the claim itself says what is wrong with it */
  *linkedin = TRUE;
  if (!jsw_store_linkedin_admit (self->store, auth->user_id, entry_id, now, &decision, error))
    {
      if (decision.retry_at > now && decision.retry_at != JSW_LINKEDIN_UNTIL_ENABLED)
        *retry_at = decision.retry_at;
      return FALSE;
    }
  *automatic = decision.automatic;
  return TRUE;
}

/* The `claimed` frame, with "linkedin_send": "automatic" or "review" for
 * a LinkedIn entry (an addition): whether the desktop may send it, or
 * stops on LinkedIn's review step for the person to press Send. */
static char *
build_claimed (JswMessage  *message,
               JswEntry    *entry,
               const char  *lease,
               gint64       expires_at,
               gboolean     linkedin,
               gboolean     automatic)
{
  g_autofree char *frame = jsw_message_build_claimed (message->id, entry->id, lease, expires_at);
  g_autoptr(JsonNode) root = NULL;

  if (!linkedin)
    return g_steal_pointer (&frame);
  root = json_from_string (frame, NULL);
  json_object_set_string_member (json_node_get_object (root), "linkedin_send", automatic ? "automatic" : "review");
  return jsw_json_node_to_string (root);
}

/* The `error` of a LinkedIn claim refused for the person's limits, with
 * "retry_at" (an addition): when it may be asked again. */
static char *
build_linkedin_refusal (const char   *re,
                        const GError *error,
                        gint64        retry_at)
{
  g_autofree char *frame = jsw_message_build_error (re, jsw_error_code_name (jsw_error_code_of (error)), error->message);
  g_autoptr(JsonNode) root = json_from_string (frame, NULL);
  g_autofree char *when = jsw_time_format (retry_at);

  json_object_set_string_member (json_node_get_object (root), "retry_at", when);
  return jsw_json_node_to_string (root);
}

static void
handle_claim (JswStreamConnection *self,
              JswMessage          *message,
              const char          *cid)
{
  JswStore *store = self->store;
  JswMetrics *metrics = self->metrics;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *frame = NULL;
  JswAuth auth = runner_auth (self);
  gint64 expires_at;
  gint64 now = now_usec ();
  gboolean linkedin, automatic;
  gint64 retry_at;

  if (!admit_linkedin (self, &auth, message->entry_id, now, &linkedin, &automatic, &retry_at, &error))
    {
      jsw_log (JSW_LOG_INFO, cid, "stream.linkedin_wait", "entry", 's', message->entry_id, "why", 's', error->message, NULL);
      jsw_metrics_claim (metrics, FALSE);
      if (retry_at == 0)
        jsw_stream_connection_send_error (self, cid, message->id, error);
      else
        jsw_stream_connection_send (self, frame = build_linkedin_refusal (message->id, error, retry_at));
      return;
    }
  entry = jsw_store_claim (store, &auth, message->entry_id, lease_ttl_usec (self), now,
                           &lease, &expires_at, events, &error);
  jsw_metrics_claim (metrics, entry != NULL);
  if (entry == NULL)
    {
      /* Not started after all: the LinkedIn application is taken back. */
      if (linkedin)
        jsw_store_linkedin_change (store, auth.user_id, now, jsw_linkedin_forget, (gpointer) message->entry_id, NULL);
      jsw_stream_connection_send_error (self, cid, message->id, error);
      return;
    }

  /* Made at the first claim: most streams are desktops' and never claim
   * on behalf of a worker, and 10,000 idle streams must stay small. */
  if (self->leases == NULL)
    self->leases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->leases, g_strdup (lease));
  frame = build_claimed (message, entry, lease, expires_at, linkedin, automatic);
  jsw_stream_connection_send (self, frame);
  jsw_hub_publish (self->hub, events);
  jsw_log (JSW_LOG_INFO, cid, "stream.claimed", "entry", 's', entry->id, "attempt", 'l', entry->attempt, NULL);
}

static void
handle_heartbeat (JswStreamConnection *self,
                  JswMessage          *message,
                  const char          *cid)
{
  g_autoptr(GError) error = NULL;
  JswAuth auth = runner_auth (self);
  gint64 expires_at;

  if (!may_use_lease (self, message->lease, &error) ||
      !jsw_store_heartbeat (self->store, &auth, message->lease,
                            lease_ttl_usec (self), now_usec (), &expires_at, &error))
    jsw_stream_connection_send_error (self, cid, NULL, error);
}

static void
handle_progress (JswStreamConnection *self,
                 JswMessage          *message,
                 const char          *cid)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  JswAuth auth = runner_auth (self);

  if (may_use_lease (self, message->lease, &error))
    entry = jsw_store_progress (self->store, &auth, message->lease,
                                message->percent, message->step, message->message,
                                lease_ttl_usec (self), now_usec (), events, &error);
  if (entry == NULL)
    {
      jsw_stream_connection_send_error (self, cid, message->id, error);
      return;
    }
  /* Asked for (an `id`, an addition): acknowledged once committed, so a
   * runner knows `submitting` is on record before it presses send. */
  if (message->id != NULL)
    {
      g_autofree char *ack = jsw_message_build_ack (message->id);

      jsw_stream_connection_send (self, ack);
    }
  jsw_hub_publish (self->hub, events);
}

static void
handle_result (JswStreamConnection *self,
               JswMessage          *message,
               const char          *cid)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autofree char *ack = NULL;
  JswAuth auth = runner_auth (self);

  if (may_use_lease (self, message->lease, &error))
    entry = jsw_store_finish (self->store, &auth, message->lease,
                              message->outcome, message->confirmation, message->error,
                              message->screenshot_sha256, now_usec (), events, &error);
  if (entry == NULL)
    {
      jsw_stream_connection_send_error (self, cid, message->id, error);
      return;
    }

  /* LinkedIn's confirmation of an application the person reviewed counts
   * toward offering automatic sending (issue 16). */
  if (message->outcome == JSW_OUTCOME_SUBMITTED && events->len > 0 && entry->user_id != NULL &&
      jsw_linkedin_is_entry (entry))
    jsw_store_linkedin_change (self->store, entry->user_id, now_usec (), jsw_linkedin_note_sent, entry->id, NULL);

  /* Acknowledged only once the result is committed to disk. */
  ack = jsw_message_build_ack (message->id);
  jsw_stream_connection_send (self, ack);
  jsw_hub_publish (self->hub, events);
  jsw_log (JSW_LOG_INFO, cid, "stream.result", "entry", 's', entry->id,
           "outcome", 's', jsw_outcome_to_string (message->outcome),
           "replayed", 'b', events->len == 0, NULL);
}

static void
handle_release (JswStreamConnection *self,
                JswMessage          *message,
                const char          *cid)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = NULL;
  JswAuth auth = runner_auth (self);

  if (may_use_lease (self, message->lease, &error))
    entry = jsw_store_release (self->store, &auth, message->lease,
                               now_usec (), events, &error);
  if (entry == NULL)
    {
      jsw_stream_connection_send_error (self, cid, NULL, error);
      return;
    }
  jsw_hub_publish (self->hub, events);
}

static void
dispatch (JswStreamConnection *self,
          JswMessage          *message,
          const char          *request_id,
          const char          *cid)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_message_type_is_client (message->type))
    {
      g_set_error (&error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” is a message the server sends, not one it receives"),
                   jsw_message_type_to_string (message->type));
      jsw_stream_connection_send_error (self, cid, request_id, error);
      return;
    }

  if (!self->said_hello && message->type != JSW_MESSAGE_HELLO)
    {
      g_set_error_literal (&error, JSW_ERROR, JSW_ERROR_INVALID, _("The first message must be “hello”"));
      jsw_stream_connection_send_error (self, cid, request_id, error);
      return;
    }

  switch (message->type)
    {
    case JSW_MESSAGE_HELLO:
      handle_hello (self, message, cid);
      break;
    case JSW_MESSAGE_CLAIM:
      handle_claim (self, message, cid);
      break;
    case JSW_MESSAGE_HEARTBEAT:
      handle_heartbeat (self, message, cid);
      break;
    case JSW_MESSAGE_PROGRESS:
      handle_progress (self, message, cid);
      break;
    case JSW_MESSAGE_RESULT:
      handle_result (self, message, cid);
      break;
    case JSW_MESSAGE_RELEASE:
      handle_release (self, message, cid);
      break;
    case JSW_MESSAGE_WELCOME:
    case JSW_MESSAGE_ENTRY:
    case JSW_MESSAGE_SYNC:
    case JSW_MESSAGE_CLAIMED:
    case JSW_MESSAGE_ACK:
    case JSW_MESSAGE_ERROR:
    case JSW_MESSAGE_ACCOUNT:
    default:
      g_assert_not_reached ();
    }
}

static void
on_message (SoupWebsocketConnection *websocket,
            gint                     type,
            GBytes                  *bytes,
            JswStreamConnection     *self)
{
  g_autoptr(JswStreamConnection) hold = g_object_ref (self);
  g_autoptr(JswMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *cid = g_strdup_printf ("%s.%u", self->cid, ++self->n_frames);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  /* Closed here rather than by libsoup's own limit: the frame has been
   * read whole, so the close frame reaches the client instead of being
   * lost to a reset of a connection with unread data. */
  if (length > JSW_MAX_FRAME_SIZE)
    {
      jsw_log (JSW_LOG_INFO, cid, "stream.frame_too_large", "bytes", 'l', (gint64) length, NULL);
      jsw_stream_connection_close (self, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "frame larger than 256 KiB");
      return;
    }

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_set_error_literal (&error, JSW_ERROR, JSW_ERROR_INVALID, _("Frames must be text frames holding JSON"));
      jsw_stream_connection_send_error (self, cid, NULL, error);
      return;
    }

  message = jsw_message_parse (data, length, &request_id, &error);
  if (message == NULL)
    {
      jsw_stream_connection_send_error (self, cid, request_id, error);
      return;
    }

  dispatch (self, message, request_id, cid);
}

static gboolean
on_hello_timeout (gpointer user_data)
{
  JswStreamConnection *self = user_data;

  self->hello_timeout_id = 0;
  jsw_log (JSW_LOG_INFO, self->cid, "stream.no_hello", NULL);
  jsw_stream_connection_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "no hello");
  return G_SOURCE_REMOVE;
}

static void
unsubscribe (JswStreamConnection *self)
{
  if (self->subscribed)
    jsw_hub_unsubscribe (self->hub, self->channel, JSW_HUB_SUBSCRIBER (self));
  self->subscribed = FALSE;
}

static void
on_closed (SoupWebsocketConnection *websocket,
           JswStreamConnection     *self)
{
  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  g_clear_handle_id (&self->replay_id, g_source_remove);
  unsubscribe (self);
  jsw_log (JSW_LOG_INFO, self->cid, "stream.closed",
           "code", 'i', (int) soup_websocket_connection_get_close_code (websocket), NULL);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
jsw_stream_connection_dispose (GObject *object)
{
  JswStreamConnection *self = (JswStreamConnection *) object;

  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  g_clear_handle_id (&self->replay_id, g_source_remove);
  if (self->hub != NULL)
    unsubscribe (self);
  g_clear_object (&self->socket);
  if (self->websocket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->websocket, self);
      g_clear_object (&self->websocket);
    }
  g_clear_object (&self->hub);
  g_clear_object (&self->metrics);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jsw_stream_connection_parent_class)->dispose (object);
}

static void
jsw_stream_connection_finalize (GObject *object)
{
  JswStreamConnection *self = (JswStreamConnection *) object;

  g_clear_pointer (&self->auth, jsw_auth_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->cid, g_free);
  g_clear_pointer (&self->leases, g_hash_table_unref);

  G_OBJECT_CLASS (jsw_stream_connection_parent_class)->finalize (object);
}

static void
jsw_stream_connection_class_init (JswStreamConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_stream_connection_dispose;
  object_class->finalize = jsw_stream_connection_finalize;

  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jsw_stream_connection_subscriber_init (JswHubSubscriberInterface *iface)
{
  iface->push = jsw_stream_connection_push;
}

static void
jsw_stream_connection_init (JswStreamConnection *self)
{
}

/**
 * jsw_stream_connection_new:
 * @store: where its messages are carried out
 * @metrics: counts its claims
 * @config: read for the lease, heartbeat and ping timings and the send
 *   budget (copied)
 * @hub: what it publishes its changes to, and subscribes to after `hello`
 * @socket: (nullable): the connection's socket, to learn what the client
 *   has received; without it the send budget is not enforced
 * @auth: (transfer full): who is connected
 */
JswStreamConnection *
jsw_stream_connection_new (JswStore                *store,
                           JswMetrics              *metrics,
                           const JswServerConfig   *config,
                           JswHub                  *hub,
                           SoupWebsocketConnection *websocket,
                           GSocket                 *socket,
                           JswAuth                 *auth)
{
  JswStreamConnection *self = g_object_new (JSW_TYPE_STREAM_CONNECTION, NULL);

  self->store = g_object_ref (store);
  self->metrics = g_object_ref (metrics);
  self->hub = g_object_ref (hub);
  self->config = *config;
  self->websocket = g_object_ref (websocket);
  self->socket = socket != NULL ? g_object_ref (socket) : NULL;
  self->auth = auth;
  self->cid = jsw_log_new_cid ("s");
  self->channel = auth->kind == JSW_KIND_SERVER
                  ? g_strdup (JSW_STORE_WORKERS_CHANNEL)
                  : jsw_store_user_channel (auth->user_id);

  /* Frames up to 1 MiB are read whole and refused by on_message() with a
   * clean 1009; libsoup drops anything larger itself. */
  soup_websocket_connection_set_max_incoming_payload_size (websocket, 4 * JSW_MAX_FRAME_SIZE);
  soup_websocket_connection_set_keepalive_interval (websocket, config->ping_interval_s);

  self->hello_timeout_id = g_timeout_add_seconds (HELLO_TIMEOUT_S, on_hello_timeout, self);
  g_signal_connect (websocket, "message", G_CALLBACK (on_message), self);
  g_signal_connect (websocket, "closed", G_CALLBACK (on_closed), self);

  jsw_log (JSW_LOG_INFO, self->cid, "stream.opened", "kind", 's', jsw_kind_to_string (auth->kind),
           "token_device", 's', auth->device, NULL);
  return self;
}
