/* jsw-deck-model-feed.c: the deck's postings, paged from the feed
 * (GET /v1/feed, docs/server.md "The job feed") and kept in the cache so
 * that they stay swipeable offline and after a restart; and where a right
 * swipe runs (GET /v1/me)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-model"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-model-private.h"
#include "jsw-json.h"

/* The postings, as JSON in the cache's meta table. */

void
_jsw_deck_model_write_postings (JswDeckModel *self)
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
  _jsw_deck_model_write_postings (self);
  return G_SOURCE_REMOVE;
}

/* The postings are written a moment later, once for several changes: a
 * swipe does not wait for some hundred kilobytes of JSON to be written
 * (the outbox, which must not be lost, is written at once). */
void
_jsw_deck_model_save_postings (JswDeckModel *self)
{
  if (self->save_id == 0)
    self->save_id = g_timeout_add_seconds (2, write_postings_cb, self);
}

void
_jsw_deck_model_restore_postings (JswDeckModel *self)
{
  g_autoptr(JsonArray) postings = _jsw_deck_model_load_meta_array (self, META_POSTINGS);

  for (guint i = 0; postings != NULL && i < json_array_get_length (postings); i++)
    {
      JsonObject *posting = json_array_get_object_element (postings, i);

      if (posting != NULL && json_object_has_member (posting, "posting_id") &&
          !g_hash_table_contains (self->swiped, json_object_get_string_member (posting, "posting_id")))
        g_ptr_array_add (self->postings, json_object_ref (posting));
    }
}

/* The feed */

static void
page_loaded (JswDeckModel *self,
             guint         status,
             JsonNode     *answer,
             gpointer      data)
{
  JsonObject *page = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonArray *postings = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  /* An error's body has no "postings": not a critical, only no page. */
  if (status == 200 && page != NULL)
    jsw_json_get_array (page, "postings", JSW_FIELD_REQUIRED, &postings, NULL);

  self->loading = FALSE;
  if ((status == 409 || status == 400) && self->cursor != NULL)
    {
      /* The search changed since the cursor was made (409), or the server
       * cannot verify it any more (400 `invalid`: cursors are signed, and
       * one from before the server's key changed is refused): from the
       * start, without a word to the person. Once: the first page asks
       * without a cursor, and its failure is an ordinary one below. */
      g_clear_pointer (&self->cursor, g_free);
      _jsw_deck_model_load_more (self);
      return;
    }
  if (status != 200 || postings == NULL)
    {
      _jsw_deck_model_set_offline (self, status == 0);
      if (_jsw_deck_model_is_transient (status))
        _jsw_deck_model_retry_later (self);
      _jsw_deck_model_emit_changed (self);
      return;
    }
  _jsw_deck_model_set_offline (self, FALSE);
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
  _jsw_deck_model_save_postings (self);
  _jsw_deck_model_emit_changed (self);
  /* A short page with more behind it (docs/server.md says one may come). */
  if (self->postings->len < PRELOAD_BELOW)
    _jsw_deck_model_load_more (self);
}

void
_jsw_deck_model_load_more (JswDeckModel *self)
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
  _jsw_deck_model_call (self, "GET", path, NULL, NULL, page_loaded, NULL);
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
  _jsw_deck_model_save_postings (self);
  _jsw_deck_model_emit_changed (self);
  if (!self->loading)
    _jsw_deck_model_load_more (self);
  _jsw_deck_model_load_where (self);
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
  _jsw_deck_model_set_where (self, where);
}

void
_jsw_deck_model_load_where (JswDeckModel *self)
{
  _jsw_deck_model_call (self, "GET", "/v1/me", NULL, NULL, me_loaded, NULL);
}
