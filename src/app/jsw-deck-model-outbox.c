/* jsw-deck-model-outbox.c: the deck's swipes and undos on their way
 *
 * A swipe leaves the deck at once and goes to the outbox, written to the
 * cache before it is sent: each request keeps the Idempotency-Key it was
 * given when it was made, so one sent again after the connection came
 * back (or after a crash) is answered from the server's record instead of
 * being done twice. Undo is a request of its own in the same outbox, in
 * order after the swipe it undoes, or, while the swipe has not left this
 * computer, the swipe taken out of the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-model"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-model-private.h"
#include "jsw-json.h"

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

void
_jsw_deck_request_unref (Request *request)
{
  g_atomic_rc_box_release_full (request, (GDestroyNotify) request_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, _jsw_deck_request_unref)

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

/* The outbox, as JSON in the cache's meta table. */

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
  _jsw_deck_model_notify_n_waiting (self);
}

void
_jsw_deck_model_restore_outbox (JswDeckModel *self)
{
  g_autoptr(JsonArray) outbox = _jsw_deck_model_load_meta_array (self, META_OUTBOX);

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
}

/* Sending */

/* A posting back at the front of the deck: an undone or refused swipe. */
static void
put_back (JswDeckModel *self,
          Request      *swipe)
{
  g_hash_table_remove (self->swiped, swipe->posting_id);
  if (swipe->posting != NULL)
    {
      g_ptr_array_insert (self->postings, 0, json_object_ref (swipe->posting));
      _jsw_deck_model_save_postings (self);
    }
  g_ptr_array_remove (self->history, swipe);
  _jsw_deck_model_emit_changed (self);
}

static void
queue_request (JswDeckModel *self,
               Request      *request)
{
  g_queue_push_tail (&self->outbox, request);
  save_outbox (self);
  _jsw_deck_model_send_next (self);
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
      _jsw_deck_model_load_where (self);
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
  _jsw_deck_model_emit_refused (self, request->posting, status,
                                jsw_session_answer_message (answer) ? jsw_session_answer_message (answer) : "",
                                duplicate_of (answer));
}

static void
request_answered (JswDeckModel *self,
                  guint         status,
                  JsonNode     *answer,
                  gpointer      data)
{
  g_autoptr(Request) request = data;

  self->in_flight = NULL;
  if (_jsw_deck_model_is_transient (status))
    {
      /* Kept, with its key, for the next try. */
      g_queue_push_head (&self->outbox, g_steal_pointer (&request));
      _jsw_deck_model_set_offline (self, status == 0);
      _jsw_deck_model_retry_later (self);
      return;
    }
  _jsw_deck_model_set_offline (self, FALSE);
  save_outbox (self);
  if (request->kind == REQUEST_SWIPE)
    swipe_answered (self, request, status, answer);
  else if (status >= 400 && status != 404)
    g_warning ("Undo %s %s refused (%u): %s", request->method, request->path, status,
               jsw_session_answer_message (answer) ? jsw_session_answer_message (answer) : "");
  else if (request->right)
    _jsw_deck_model_load_where (self);
  _jsw_deck_model_send_next (self);
}

void
_jsw_deck_model_send_next (JswDeckModel *self)
{
  Request *request;

  if (self->in_flight != NULL || self->retry_id != 0 || g_queue_is_empty (&self->outbox))
    return;
  /* Out of the queue while in flight (undo then knows it left), still in
   * the cache until answered. */
  request = g_queue_pop_head (&self->outbox);
  self->in_flight = request;
  _jsw_deck_model_call (self, request->method, request->path, request->body, request->key, request_answered, request);
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
  _jsw_deck_model_send_next (self);
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
  _jsw_deck_model_save_postings (self);
  _jsw_deck_model_emit_changed (self);
  queue_request (self, request);
  if (self->postings->len < PRELOAD_BELOW)
    _jsw_deck_model_load_more (self);
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
      _jsw_deck_request_unref (swipe);   /* the outbox's reference */
      save_outbox (self);
    }
  else if (swipe == self->in_flight)
    swipe->undone = TRUE;
  else if (swipe->sent)
    queue_undo (self, swipe);
  swipe->undone = TRUE;
  put_back (self, swipe);
}
