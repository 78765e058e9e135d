/* jsw-deck-model.c
 *
 * The postings of the person's feed (GET /v1/feed, docs/server.md "The job
 * feed"), front first, and what was done to them. A swipe leaves the deck
 * at once and goes to the outbox, written to the cache before it is sent:
 * each request keeps the Idempotency-Key it was given when it was made, so
 * one sent again after the connection came back (or after a crash) is
 * answered from the server's record instead of being done twice. Undo is
 * a request of its own in the same outbox, in order after the swipe it
 * undoes (DELETE /v1/swipes/{posting_id} for a left swipe, cancelling the
 * entry for a right one), or, while the swipe has not left this computer,
 * the swipe taken out of the outbox.
 *
 * The postings shown are kept in the cache too, so that they stay
 * swipeable offline and after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-model"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-model.h"
#include "jsw-json.h"

/* Fewer postings than this left: the next page is asked for. */
#define PRELOAD_BELOW    8
#define PAGE_SIZE        20
/* At most this many postings are kept in the cache for offline use. */
#define CACHED_POSTINGS  60
/* A failed send is tried again after this, and whenever the stream
 * reconnects. */
#define RETRY_SECONDS    5
/* How long a swipe can be undone (its toast's time, AdwToast's timeout). */
#define UNDO_SECONDS     10

#define META_OUTBOX   "deck.outbox"
#define META_POSTINGS "deck.postings"

typedef enum {
  REQUEST_SWIPE,
  REQUEST_UNDO,
} RequestKind;

/* One request of the outbox. A swipe's record is also what undo works on. */
typedef struct {
  RequestKind  kind;
  char        *key;          /* Idempotency-Key */
  char        *method;
  char        *path;
  char        *body;         /* nullable */
  char        *posting_id;
  gboolean     right;
  JsonObject  *posting;      /* a swipe's posting, put back on undo or refusal */
  char        *entry_id;     /* a sent right swipe's entry */
  gboolean     sent;
  gboolean     undone;       /* undo asked while the swipe was in flight */
  gint64       made_at;      /* monotonic, µs */
} Request;

struct _JswDeckModel
{
  GObject       parent_instance;

  JswSession   *session;
  JswCache     *cache;
  GCancellable *cancellable;

  GPtrArray    *postings;    /* JsonObject, the front first */
  GHashTable   *swiped;      /* posting ids swiped here, not to be shown again */
  char         *cursor;
  gboolean      exhausted;   /* the feed's last page was read */
  gboolean      loading;
  gboolean      offline;

  GQueue        outbox;      /* Request, oldest first */
  Request      *in_flight;
  GPtrArray    *history;     /* swipes that can still be undone, newest last */
  guint         retry_id;
  guint         save_id;     /* the postings' save, soon */

  JswDeckWhere  where;
};

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

static void load_more (JswDeckModel *self);
static void load_where (JswDeckModel *self);

static Request *
request_ref (Request *request)
{
  return g_atomic_rc_box_acquire (request);
}

static void
request_clear (Request *request)
{
  g_free (request->key);
  g_free (request->method);
  g_free (request->path);
  g_free (request->body);
  g_free (request->posting_id);
  g_clear_pointer (&request->posting, json_object_unref);
  g_free (request->entry_id);
}

static void
request_unref (Request *request)
{
  g_atomic_rc_box_release_full (request, (GDestroyNotify) request_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_unref)

static Request *
request_new (RequestKind  kind,
             const char  *method,
             const char  *path,
             const char  *body,
             const char  *posting_id)
{
  Request *request = g_atomic_rc_box_new0 (Request);

  request->kind = kind;
  request->key = g_uuid_string_random ();
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->body = g_strdup (body);
  request->posting_id = g_strdup (posting_id);
  request->made_at = g_get_monotonic_time ();
  return request;
}

/* The cache: the outbox and the postings, as JSON in its meta table. */

static void
save_outbox (JswDeckModel *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_array (builder);
  for (GList *l = self->outbox.head; l != NULL; l = l->next)
    {
      Request *request = l->data;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, request->kind == REQUEST_SWIPE ? "swipe" : "undo");
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, request->key);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, request->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, request->path);
      json_builder_set_member_name (builder, "body");
      if (request->body != NULL)
        json_builder_add_string_value (builder, request->body);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "posting_id");
      json_builder_add_string_value (builder, request->posting_id);
      json_builder_set_member_name (builder, "right");
      json_builder_add_boolean_value (builder, request->right);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  if (!jsw_cache_set_meta (self->cache, META_OUTBOX, text, &error))
    g_warning ("Cannot keep the swipes to send: %s", error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
}

static void
write_postings (JswDeckModel *self)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->postings->len && i < CACHED_POSTINGS; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (self->postings, i)));
  json_node_set_array (root, array);
  text = json_to_string (root, FALSE);
  if (!jsw_cache_set_meta (self->cache, META_POSTINGS, text, &error))
    g_warning ("Cannot keep the postings for offline use: %s", error->message);
}

static gboolean
write_postings_cb (gpointer data)
{
  JswDeckModel *self = data;

  self->save_id = 0;
  write_postings (self);
  return G_SOURCE_REMOVE;
}

/* The postings are written a moment later, once for several changes: a
 * swipe does not wait for some hundred kilobytes of JSON to be written
 * (the outbox, which must not be lost, is written at once). */
static void
save_postings (JswDeckModel *self)
{
  if (self->save_id == 0)
    self->save_id = g_timeout_add_seconds (2, write_postings_cb, self);
}

static JsonArray *
load_meta_array (JswDeckModel *self,
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
  g_autoptr(JsonArray) outbox = load_meta_array (self, META_OUTBOX);
  g_autoptr(JsonArray) postings = load_meta_array (self, META_POSTINGS);

  for (guint i = 0; outbox != NULL && i < json_array_get_length (outbox); i++)
    {
      JsonObject *saved = json_array_get_object_element (outbox, i);
      const char *body;
      Request *request;

      if (saved == NULL || !json_object_has_member (saved, "key") || !json_object_has_member (saved, "path"))
        continue;
      body = json_object_get_null_member (saved, "body") ? NULL : json_object_get_string_member (saved, "body");
      request = request_new (g_strcmp0 (json_object_get_string_member_with_default (saved, "kind", ""), "undo") == 0
                             ? REQUEST_UNDO : REQUEST_SWIPE,
                             json_object_get_string_member_with_default (saved, "method", "POST"),
                             json_object_get_string_member (saved, "path"), body,
                             json_object_get_string_member_with_default (saved, "posting_id", ""));
      g_free (request->key);
      request->key = g_strdup (json_object_get_string_member (saved, "key"));
      request->right = json_object_get_boolean_member_with_default (saved, "right", FALSE);
      if (request->kind == REQUEST_SWIPE)
        g_hash_table_add (self->swiped, g_strdup (request->posting_id));
      g_queue_push_tail (&self->outbox, request);
    }
  for (guint i = 0; postings != NULL && i < json_array_get_length (postings); i++)
    {
      JsonObject *posting = json_array_get_object_element (postings, i);

      if (posting != NULL && json_object_has_member (posting, "posting_id") &&
          !g_hash_table_contains (self->swiped, json_object_get_string_member (posting, "posting_id")))
        g_ptr_array_add (self->postings, json_object_ref (posting));
    }
}

/* Requests, with this device's token and the request's Idempotency-Key. */

typedef void (*AnswerFunc) (JswDeckModel *self,
                            guint         status,
                            JsonNode     *answer,
                            gpointer      data);

typedef struct {
  JswDeckModel *self;
  AnswerFunc    func;
  gpointer      data;
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
static void
call_server (JswDeckModel *self,
             const char   *method,
             const char   *path,
             const char   *body,
             const char   *key,
             AnswerFunc    func,
             gpointer      data)
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

static void
emit_changed (JswDeckModel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_offline (JswDeckModel *self,
             gboolean      offline)
{
  if (self->offline == offline)
    return;
  self->offline = offline;
  emit_changed (self);
}

/* The outbox */

static void send_next (JswDeckModel *self);

static gboolean
retry_cb (gpointer data)
{
  JswDeckModel *self = data;

  self->retry_id = 0;
  jsw_deck_model_flush (self);
  if (self->postings->len < PRELOAD_BELOW)
    load_more (self);
  return G_SOURCE_REMOVE;
}

static void
retry_later (JswDeckModel *self)
{
  if (self->retry_id == 0)
    self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
}

/* A posting back at the front of the deck: an undone or refused swipe. */
static void
put_back (JswDeckModel *self,
          Request      *swipe)
{
  g_hash_table_remove (self->swiped, swipe->posting_id);
  if (swipe->posting != NULL)
    {
      g_ptr_array_insert (self->postings, 0, json_object_ref (swipe->posting));
      save_postings (self);
    }
  g_ptr_array_remove (self->history, swipe);
  emit_changed (self);
}

static void
queue_request (JswDeckModel *self,
               Request      *request)
{
  g_queue_push_tail (&self->outbox, request);
  save_outbox (self);
  send_next (self);
}

/* A sent swipe's undo, in the outbox after it. */
static void
queue_undo (JswDeckModel *self,
            Request      *swipe)
{
  g_autofree char *path = NULL;

  if (swipe->right && swipe->entry_id == NULL)
    return;   /* answered 200 with nothing to cancel */
  if (swipe->right)
    path = g_strdup_printf ("/v1/queue/%s/cancel", swipe->entry_id);
  else
    path = g_strdup_printf ("/v1/swipes/%s", swipe->posting_id);
  queue_request (self, request_new (REQUEST_UNDO, swipe->right ? "POST" : "DELETE", path, NULL, swipe->posting_id));
}

static JsonObject *
duplicate_of (JsonNode *answer)
{
  JsonObject *error;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (answer), "error");
  return error != NULL && json_object_has_member (error, "duplicate_of")
         ? json_object_get_object_member (error, "duplicate_of") : NULL;
}

static gboolean
is_transient (guint status)
{
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

static void
swipe_answered (JswDeckModel *self,
                Request      *request,
                guint         status,
                JsonNode     *answer)
{
  if (status == 200 || status == 201)
    {
      JsonObject *entry = answer && JSON_NODE_HOLDS_OBJECT (answer)
                          ? json_object_get_object_member (json_node_get_object (answer), "entry") : NULL;

      if (entry != NULL)
        request->entry_id = g_strdup (json_object_get_string_member_with_default (entry, "id", NULL));
      load_where (self);
    }
  if (status == 200 || status == 201 || status == 204)
    {
      request->sent = TRUE;
      if (request->undone)
        queue_undo (self, request);
      return;
    }
  /* Refused: nothing was done, so the posting is back in front, and the
   * person is told why (402 quota, 409 a likely duplicate, 404 closed). */
  if (!request->undone && status != 404)
    put_back (self, request);
  else
    g_ptr_array_remove (self->history, request);
  g_signal_emit (self, signals[REFUSED], 0, request->posting, status,
                 jsw_session_answer_message (answer) ? jsw_session_answer_message (answer) : "", duplicate_of (answer));
}

static void
request_answered (JswDeckModel *self,
                  guint         status,
                  JsonNode     *answer,
                  gpointer      data)
{
  g_autoptr(Request) request = data;

  self->in_flight = NULL;
  if (is_transient (status))
    {
      /* Kept, with its key, for the next try. */
      g_queue_push_head (&self->outbox, g_steal_pointer (&request));
      set_offline (self, status == 0);
      retry_later (self);
      return;
    }
  set_offline (self, FALSE);
  save_outbox (self);
  if (request->kind == REQUEST_SWIPE)
    swipe_answered (self, request, status, answer);
  else if (status >= 400 && status != 404)
    g_warning ("Undo %s %s refused (%u): %s", request->method, request->path, status,
               jsw_session_answer_message (answer) ? jsw_session_answer_message (answer) : "");
  else if (request->right)
    load_where (self);
  send_next (self);
}

static void
send_next (JswDeckModel *self)
{
  Request *request;

  if (self->in_flight != NULL || self->retry_id != 0 || g_queue_is_empty (&self->outbox))
    return;
  /* Out of the queue while in flight (undo then knows it left), still in
   * the cache until answered. */
  request = g_queue_pop_head (&self->outbox);
  self->in_flight = request;
  call_server (self, request->method, request->path, request->body, request->key, request_answered, request);
}

/**
 * jsw_deck_model_flush:
 *
 * Sends what waits in the outbox now (the connection came back).
 */
void
jsw_deck_model_flush (JswDeckModel *self)
{
  g_return_if_fail (JSW_IS_DECK_MODEL (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  send_next (self);
}

/**
 * jsw_deck_model_get_n_waiting:
 *
 * Returns: the requests not yet answered by the server (swipes and undos)
 */
guint
jsw_deck_model_get_n_waiting (JswDeckModel *self)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), 0);

  return self->outbox.length + (self->in_flight != NULL);
}

/* Swiping and undoing */

/* Swipes past their undo time are let go of (with their postings). */
static void
prune_history (JswDeckModel *self)
{
  gint64 now = g_get_monotonic_time ();
  guint old = 0;

  while (old < self->history->len &&
         now - ((Request *) g_ptr_array_index (self->history, old))->made_at > UNDO_SECONDS * G_USEC_PER_SEC)
    old++;
  if (old > 0)
    g_ptr_array_remove_range (self->history, 0, old);
}

/**
 * jsw_deck_model_swipe:
 * @right: apply (%TRUE) or pass
 * @allow_duplicate: apply although the server answered that this person
 *   applied to a likely duplicate (docs/server.md, 409 `duplicate_of`)
 *
 * Swipes the front posting: it leaves the deck at once; the swipe is sent
 * now or, offline, when the connection returns. A refusal (402, 409, 404)
 * puts the posting back in front and emits ::refused.
 */
void
jsw_deck_model_swipe (JswDeckModel *self,
                      gboolean      right,
                      gboolean      allow_duplicate)
{
  g_autoptr(JsonObject) posting = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = NULL;
  const char *posting_id;
  Request *request;

  g_return_if_fail (JSW_IS_DECK_MODEL (self));

  if (self->postings->len == 0)
    return;
  posting = g_ptr_array_steal_index (self->postings, 0);
  posting_id = json_object_get_string_member (posting, "posting_id");
  escaped = g_strescape (posting_id, NULL);
  body = allow_duplicate
         ? g_strdup_printf ("{\"direction\":\"right\",\"posting_id\":\"%s\",\"allow_duplicate\":true}", escaped)
         : g_strdup_printf ("{\"direction\":\"%s\",\"posting_id\":\"%s\"}", right ? "right" : "left", escaped);
  request = request_new (REQUEST_SWIPE, "POST", "/v1/swipes", body, posting_id);
  request->right = right;
  request->posting = json_object_ref (posting);
  g_hash_table_add (self->swiped, g_strdup (posting_id));
  prune_history (self);
  g_ptr_array_add (self->history, request_ref (request));
  save_postings (self);
  emit_changed (self);
  queue_request (self, request);
  if (self->postings->len < PRELOAD_BELOW)
    load_more (self);
}

static Request *
last_undoable (JswDeckModel *self)
{
  Request *swipe;

  if (self->history->len == 0)
    return NULL;
  swipe = g_ptr_array_index (self->history, self->history->len - 1);
  if (swipe->undone || g_get_monotonic_time () - swipe->made_at > UNDO_SECONDS * G_USEC_PER_SEC)
    return NULL;
  return swipe;
}

gboolean
jsw_deck_model_can_undo (JswDeckModel *self)
{
  g_return_val_if_fail (JSW_IS_DECK_MODEL (self), FALSE);

  return last_undoable (self) != NULL;
}

/**
 * jsw_deck_model_undo:
 *
 * Undoes the last swipe made within UNDO_SECONDS: its posting is back in
 * front at once. Not yet sent, it leaves the outbox; sent, its undo
 * follows it (a left swipe forgotten, a right swipe's entry cancelled,
 * which gives its quota back).
 */
void
jsw_deck_model_undo (JswDeckModel *self)
{
  g_autoptr(Request) swipe = NULL;

  g_return_if_fail (JSW_IS_DECK_MODEL (self));

  if (last_undoable (self) == NULL)
    return;
  swipe = request_ref (last_undoable (self));
  if (g_queue_remove (&self->outbox, swipe))
    {
      request_unref (swipe);   /* the outbox's reference */
      save_outbox (self);
    }
  else if (swipe == self->in_flight)
    swipe->undone = TRUE;
  else if (swipe->sent)
    queue_undo (self, swipe);
  swipe->undone = TRUE;
  put_back (self, swipe);
}

/* The feed */

static void
page_loaded (JswDeckModel *self,
             guint         status,
             JsonNode     *answer,
             gpointer      data)
{
  JsonObject *page = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonArray *postings = page ? json_object_get_array_member (page, "postings") : NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  self->loading = FALSE;
  if (status == 409 && self->cursor != NULL)
    {
      /* The search changed since the cursor was made: from the start. */
      g_clear_pointer (&self->cursor, g_free);
      load_more (self);
      return;
    }
  if (status != 200 || postings == NULL)
    {
      set_offline (self, status == 0);
      if (is_transient (status))
        retry_later (self);
      emit_changed (self);
      return;
    }
  set_offline (self, FALSE);
  g_free (self->cursor);
  self->cursor = json_object_get_null_member (page, "next_cursor")
                 ? NULL : g_strdup (json_object_get_string_member (page, "next_cursor"));
  self->exhausted = self->cursor == NULL;
  for (guint i = 0; i < self->postings->len; i++)
    g_hash_table_add (shown, (gpointer) json_object_get_string_member (g_ptr_array_index (self->postings, i), "posting_id"));
  for (guint i = 0; i < json_array_get_length (postings); i++)
    {
      JsonObject *posting = json_array_get_object_element (postings, i);
      const char *posting_id = posting ? json_object_get_string_member_with_default (posting, "posting_id", NULL) : NULL;

      if (posting_id == NULL || g_hash_table_contains (shown, posting_id) || g_hash_table_contains (self->swiped, posting_id))
        continue;
      g_ptr_array_add (self->postings, json_object_ref (posting));
      g_hash_table_add (shown, (gpointer) posting_id);
    }
  save_postings (self);
  emit_changed (self);
  /* A short page with more behind it (docs/server.md says one may come). */
  if (self->postings->len < PRELOAD_BELOW)
    load_more (self);
}

static void
load_more (JswDeckModel *self)
{
  g_autofree char *path = NULL;

  if (self->loading || (self->exhausted && self->cursor == NULL))
    return;
  self->loading = TRUE;
  if (self->cursor != NULL)
    {
      g_autofree char *cursor = g_uri_escape_string (self->cursor, NULL, FALSE);

      path = g_strdup_printf ("/v1/feed?limit=%d&cursor=%s", PAGE_SIZE, cursor);
    }
  else
    path = g_strdup_printf ("/v1/feed?limit=%d", PAGE_SIZE);
  call_server (self, "GET", path, NULL, NULL, page_loaded, NULL);
}

/**
 * jsw_deck_model_reload:
 *
 * The search changed (or the person asked): the deck starts again from the
 * feed's first page. Swipes waiting to be sent stay in the outbox.
 */
void
jsw_deck_model_reload (JswDeckModel *self)
{
  g_return_if_fail (JSW_IS_DECK_MODEL (self));

  g_ptr_array_set_size (self->postings, 0);
  g_clear_pointer (&self->cursor, g_free);
  self->exhausted = FALSE;
  save_postings (self);
  emit_changed (self);
  if (!self->loading)
    load_more (self);
  load_where (self);
}

/* Where a right swipe runs: the person's mode, and what is left of the
 * server's quota (PROTOCOL.md "Plans and quotas"). */

static JswDeckWhere
where_from_me (JsonObject *me)
{
  const char *mode = json_object_get_string_member_with_default (me, "execution_mode", "auto");
  JsonObject *limits = json_object_get_object_member (me, "limits");
  JsonObject *usage = json_object_get_object_member (me, "usage");
  JsonNode *limit = limits ? json_object_get_member (limits, "server_month") : NULL;
  gboolean server_left = limit == NULL || json_node_is_null (limit) ||
                         json_object_get_int_member_with_default (usage, "server_month", 0) < json_node_get_int (limit);

  if (g_str_equal (mode, "desktop"))
    return JSW_DECK_WHERE_DESKTOP;
  if (g_str_equal (mode, "ask"))
    return JSW_DECK_WHERE_ASK;
  if (g_str_equal (mode, "server"))
    return JSW_DECK_WHERE_SERVER;
  return server_left ? JSW_DECK_WHERE_SERVER : JSW_DECK_WHERE_DESKTOP;
}

static void
me_loaded (JswDeckModel *self,
           guint         status,
           JsonNode     *answer,
           gpointer      data)
{
  JswDeckWhere where;

  if (status != 200 || answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return;
  where = where_from_me (json_node_get_object (answer));
  if (where == self->where)
    return;
  self->where = where;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHERE]);
}

static void
load_where (JswDeckModel *self)
{
  call_server (self, "GET", "/v1/me", NULL, NULL, me_loaded, NULL);
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
    load_more (self);
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
      write_postings (self);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  G_OBJECT_CLASS (jsw_deck_model_parent_class)->dispose (object);
}

static void
jsw_deck_model_finalize (GObject *object)
{
  JswDeckModel *self = JSW_DECK_MODEL (object);

  g_queue_clear_full (&self->outbox, (GDestroyNotify) request_unref);
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
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) request_unref);
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
  load_more (self);
  load_where (self);
  send_next (self);
  return self;
}
