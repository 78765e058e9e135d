/* jsw-deck-model.c
 *
 * The postings of the person's feed (GET /v1/feed, docs/server.md "The job
 * feed"), front first, and what was done to them: the model object, its
 * requests to the server and what it tells its views. The outbox of
 * swipes and undos is in jsw-deck-model-outbox.c, the feed's pages and
 * the postings kept in the cache for offline use in
 * jsw-deck-model-feed.c, around jsw-deck-model-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-model"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-model-private.h"
#include "jsw-json.h"

G_DEFINE_FINAL_TYPE (JswDeckModel, jsw_deck_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_WAITING,
  PROP_WHERE,
  N_PROPS
};

enum {
  CHANGED,
  REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The cache's meta table holds the outbox and the postings as JSON. */

JsonArray *
_jsw_deck_model_load_meta_array (JswDeckModel *self,
                                 const char   *key)
{
  g_autofree char *text = jsw_cache_get_meta (self->cache, key);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return NULL;
  root = jsw_json_parse (text, -1, &error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_warning ("The cache's %s is not readable, and is left out: %s", key, error ? error->message : "not a list");
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

static void
restore (JswDeckModel *self)
{
  /* The outbox first: what it holds is not shown again. */
  _jsw_deck_model_restore_outbox (self);
  _jsw_deck_model_restore_postings (self);
}

/* Requests, with this device's token and the request's Idempotency-Key. */

typedef struct {
  JswDeckModel      *self;
  JswDeckAnswerFunc  func;
  gpointer           data;
} Call;

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) answer = NULL;
  guint status = body != NULL && msg != NULL ? soup_message_get_status (msg) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (call->self);
      g_free (call);
      return;
    }
  if (body != NULL && g_bytes_get_size (body) > 0)
    answer = jsw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  if (error != NULL)
    g_debug ("%s", error->message);
  call->func (call->self, status, answer, call->data);
  g_object_unref (call->self);
  g_free (call);
}

/* @key: (nullable): the Idempotency-Key
 * @func: called with the status (0: the server was not reached) and the
 *   answer's JSON (nullable) */
void
_jsw_deck_model_call (JswDeckModel      *self,
                      const char        *method,
                      const char        *path,
                      const char        *body,
                      const char        *key,
                      JswDeckAnswerFunc  func,
                      gpointer           data)
{
  g_autofree char *server = jsw_session_dup_server_url (self->session);
  g_autofree char *url = g_strconcat (server ? server : "", path, NULL);
  const char *token = jsw_session_get_token (self->session);
  g_autofree char *auth = g_strconcat ("Bearer ", token ? token : "", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Call *call;

  if (msg == NULL || token == NULL)
    {
      func (self, 0, NULL, data);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  call = g_new0 (Call, 1);
  call->self = g_object_ref (self);
  call->func = func;
  call->data = data;
  soup_session_send_and_read_async (jsw_session_get_soup_session (self->session), msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, call_done, call);
}

void
_jsw_deck_model_emit_changed (JswDeckModel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_jsw_deck_model_emit_refused (JswDeckModel *self,
                              JsonObject   *posting,
                              guint         status,
                              const char   *message,
                              JsonObject   *duplicate_of)
{
  g_signal_emit (self, signals[REFUSED], 0, posting, status, message, duplicate_of);
}

void
_jsw_deck_model_notify_n_waiting (JswDeckModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
}

void
_jsw_deck_model_set_where (JswDeckModel *self,
                           JswDeckWhere  where)
{
  if (where == self->where)
    return;
  self->where = where;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHERE]);
}

void
_jsw_deck_model_set_offline (JswDeckModel *self,
                             gboolean      offline)
{
  if (self->offline == offline)
    return;
  self->offline = offline;
  _jsw_deck_model_emit_changed (self);
}

gboolean
_jsw_deck_model_is_transient (guint status)
{
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

static gboolean
retry_cb (gpointer data)
{
  JswDeckModel *self = data;

  self->retry_id = 0;
  jsw_deck_model_flush (self);
  if (self->postings->len < PRELOAD_BELOW)
    _jsw_deck_model_load_more (self);
  return G_SOURCE_REMOVE;
}

void
_jsw_deck_model_retry_later (JswDeckModel *self)
{
  if (self->retry_id == 0)
    self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
}

JswDeckWhere
jsw_deck_model_get_where (JswDeckModel *self)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), JSW_DECK_WHERE_UNKNOWN);

  return self->where;
}

JswDeckState
jsw_deck_model_get_state (JswDeckModel *self)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), JSW_DECK_STATE_LOADING);

  if (self->postings->len > 0)
    return JSW_DECK_STATE_READY;
  if (self->offline)
    return JSW_DECK_STATE_OFFLINE;
  if (self->exhausted && !self->loading)
    return JSW_DECK_STATE_EMPTY;
  return JSW_DECK_STATE_LOADING;
}

guint
jsw_deck_model_get_n_postings (JswDeckModel *self)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), 0);

  return self->postings->len;
}

/**
 * jsw_deck_model_get_posting:
 * @position: 0 for the front posting
 *
 * Returns: (transfer none) (nullable): a POSTING of docs/server.md
 */
JsonObject *
jsw_deck_model_get_posting (JswDeckModel *self,
                            guint         position)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), NULL);

  return position < self->postings->len ? g_ptr_array_index (self->postings, position) : NULL;
}

/* The stream reconnected: the server is there again. */
static void
on_connected_changed (JswDeckModel *self)
{
  if (!jsw_session_get_connected (self->session))
    return;
  jsw_deck_model_flush (self);
  if (self->postings->len < PRELOAD_BELOW)
    _jsw_deck_model_load_more (self);
}

static void
jsw_deck_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JswDeckModel *self = JSW_DECK_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_WAITING: g_value_set_uint (value, jsw_deck_model_get_n_waiting (self)); break;
    case PROP_WHERE: g_value_set_int (value, self->where); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_deck_model_dispose (GObject *object)
{
  JswDeckModel *self = JSW_DECK_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->save_id != 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      _jsw_deck_model_write_postings (self);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  G_OBJECT_CLASS (jsw_deck_model_parent_class)->dispose (object);
}

static void
jsw_deck_model_finalize (GObject *object)
{
  JswDeckModel *self = JSW_DECK_MODEL (object);

  g_queue_clear_full (&self->outbox, (GDestroyNotify) _jsw_deck_request_unref);
  g_clear_pointer (&self->postings, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->swiped, g_hash_table_unref);
  g_free (self->cursor);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (jsw_deck_model_parent_class)->finalize (object);
}

static void
jsw_deck_model_class_init (JswDeckModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = jsw_deck_model_get_property;
  object_class->dispose = jsw_deck_model_dispose;
  object_class->finalize = jsw_deck_model_finalize;

  properties[PROP_N_WAITING] = g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WHERE] = g_param_spec_int ("where", NULL, NULL, 0, JSW_DECK_WHERE_ASK, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The postings or the state changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * JswDeckModel::refused:
   * @posting: the POSTING swiped
   * @status: 402, 404 or 409 (or another 4xx)
   * @message: the server's message
   * @duplicate_of: (nullable): a 409's `duplicate_of`
   *
   * The server refused a swipe; nothing was done (a 402 or 409 swipe is
   * back in front).
   */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                   JSON_TYPE_OBJECT, G_TYPE_UINT, G_TYPE_STRING, JSON_TYPE_OBJECT);
}

static void
jsw_deck_model_init (JswDeckModel *self)
{
  self->postings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) _jsw_deck_request_unref);
  self->swiped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->outbox);
}

/**
 * jsw_deck_model_new:
 * @session: the signed-in session, whose token and server the requests use
 * @cache: where the outbox and the postings are kept (its meta table)
 *
 * Returns: (transfer full): the deck, with what the cache kept, loading the
 *   feed and sending what waited
 */
JswDeckModel *
jsw_deck_model_new (JswSession *session,
                    JswCache   *cache)
{
  JswDeckModel *self = g_object_new (JSW_TYPE_DECK_MODEL, NULL);

  self->session = g_object_ref (session);
  self->cache = g_object_ref (cache);
  restore (self);
  g_signal_connect_object (session, "notify::connected", G_CALLBACK (on_connected_changed), self, G_CONNECT_SWAPPED);
  _jsw_deck_model_load_more (self);
  _jsw_deck_model_load_where (self);
  _jsw_deck_model_send_next (self);
  return self;
}

