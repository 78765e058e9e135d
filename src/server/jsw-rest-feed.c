/* jsw-rest-feed.c: the job feed's endpoints: the person's search, the
 * feed, and swipes by posting (docs/server.md "The job feed")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-feed"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-feed-cursor.h"
#include "jsw-rest-body.h"
#include "jsw-rest-feed.h"
#include "jsw-search.h"

#define DEFAULT_LIMIT 20
#define MAX_LIMIT     100

/* GET /v1/me/search */
void
jsw_rest_feed_get_search (JswRestContext *rest,
                          JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswSearch) search = jsw_store_get_search (rest->store, request->auth->user_id, &error);
  g_autoptr(JsonNode) node = NULL;

  if (search == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  node = jsw_search_to_node (search);
  jsw_rest_reply_json (request->msg, SOUP_STATUS_OK, node);
}

/* PUT /v1/me/search SEARCH -> 200 the SEARCH as saved */
void
jsw_rest_feed_put_search (JswRestContext *rest,
                          JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswSearch) search = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = jsw_rest_parse_body (request->msg, &root, &error);

  if (body == NULL || (search = jsw_search_from_object (body, &error)) == NULL ||
      !jsw_store_put_search (rest->store, request->auth->user_id, search, jsw_rest_now (), &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  node = jsw_search_to_node (search);
  jsw_rest_reply_json (request->msg, SOUP_STATUS_OK, node);
}

/* The key cursors are signed with, read from the store once. */
static GBytes *
cursor_key (JswRestContext  *rest,
            GError         **error)
{
  if (rest->cursor_key == NULL)
    rest->cursor_key = jsw_feed_cursor_key (rest->store, error);
  return rest->cursor_key;
}

/* Reads ?limit and ?cursor; answers itself when they are bad (400), or
 * when the cursor cannot be checked. */
static gboolean
read_page_request (JswRestContext *rest,
                   JswRestRequest *request,
                   guint          *limit,
                   JswFeedCursor  *cursor,
                   gboolean       *has_cursor)
{
  const char *limit_text = request->query ? g_hash_table_lookup (request->query, "limit") : NULL;
  const char *cursor_text = request->query ? g_hash_table_lookup (request->query, "cursor") : NULL;
  g_autoptr(GError) error = NULL;
  guint64 value = DEFAULT_LIMIT;
  GBytes *key;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_LIMIT, &value, NULL))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID,
                                 _("“limit” must be a whole number from 1 to 100"));
      return FALSE;
    }
  *limit = (guint) value;
  *has_cursor = cursor_text != NULL;
  if (cursor_text == NULL)
    return TRUE;
  key = cursor_key (rest, &error);
  if (key == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return FALSE;
    }
  /* Forged, altered, or another person's: one answer for all. */
  if (!jsw_feed_cursor_decode (cursor_text, key, request->auth->user_id, cursor))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID,
                                 _("“cursor” is not a cursor of this feed; ask again without it"));
      return FALSE;
    }
  return TRUE;
}

/* POSTING: the JOB spliced with posting_id and questions, without parsing
 * the stored JOB again. */
static void
append_posting (GString           *out,
                const JswFeedItem *item)
{
  g_string_append_printf (out, "{\"posting_id\":\"%" G_GINT64_FORMAT "\",\"questions\":%s,",
                          item->posting_id, item->questions_json ? item->questions_json : "null");
  g_string_append (out, item->job_json + 1);
}

/* GET /v1/feed[?limit=N][&cursor=C] -> {"postings": [...], "next_cursor"} */
void
jsw_rest_feed_get (JswRestContext *rest,
                   JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswSearch) search = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) out = g_string_new ("{\"postings\":[");
  JswFeedCursor cursor = { 0 };
  gboolean has_cursor;
  guint limit;

  if (!read_page_request (rest, request, &limit, &cursor, &has_cursor))
    return;
  search = jsw_store_get_search (rest->store, request->auth->user_id, &error);
  if (search == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  if (has_cursor && cursor.updated_at != search->updated_at)
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_CONFLICT,
                                 _("The search changed since this cursor was made; ask again without “cursor”"));
      return;
    }

  items = jsw_store_feed_page (rest->store, request->auth->user_id, search, has_cursor ? &cursor : NULL,
                               limit, &error);
  if (items == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_posting (out, items->pdata[i]);
    }
  g_string_append (out, "],\"next_cursor\":");
  if (items->len == limit)
    {
      JswFeedItem *last = items->pdata[items->len - 1];
      JswFeedCursor next = { search->updated_at, last->tier, last->sort_at, last->posting_id };
      GBytes *key = cursor_key (rest, &error);
      g_autofree char *encoded = NULL;

      if (key == NULL)
        {
          jsw_rest_reply_error (request->msg, error);
          return;
        }
      encoded = jsw_feed_cursor_encode (&next, key, request->auth->user_id);
      g_string_append_printf (out, "\"%s\"}", encoded);
    }
  else
    g_string_append (out, "null}");
  jsw_rest_reply_text (request->msg, SOUP_STATUS_OK, "application/json", g_string_free (g_steal_pointer (&out), FALSE));
}

/* A posting_id as the feed gives it: the decimal text of a positive
 * number, without leading zeros. Anything else names no posting: "011"
 * is not the posting "11" (ids are opaque strings, PROTOCOL.md, so two
 * texts are two ids). */
gboolean
jsw_rest_feed_parse_posting_id (const char *text,
                                gint64     *posting_id)
{
  guint64 value;

  if (text == NULL || *text < '1' || *text > '9' ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *posting_id = (gint64) value;
  return TRUE;
}

/* DELETE /v1/swipes/{posting_id}: forgets a left swipe (undo) */
void
jsw_rest_feed_undo_swipe (JswRestContext *rest,
                          JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 posting_id;

  if (!g_str_equal (request->method, "DELETE"))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, _("Use DELETE to undo a left swipe"));
      return;
    }
  if (!jsw_rest_feed_parse_posting_id (request->segments[2], &posting_id))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_NOT_FOUND,
                                 _("There is no left swipe on this posting to undo"));
      return;
    }
  if (!jsw_store_forget_left_swipe (rest->store, request->auth->user_id, posting_id, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* 409 naming the person's entry for a likely duplicate. */
static void
reply_duplicate (SoupServerMessage *msg,
                 JswEntry          *entry,
                 gint64             duplicate_posting_id)
{
  g_autoptr(JsonNode) node = jsw_rest_error_node ("conflict",
                                                  _("You applied to a likely duplicate of this posting "
                                                    "(the same company and title); send "
                                                    "\"allow_duplicate\": true to apply again"));
  JsonObject *error = json_object_get_object_member (json_node_get_object (node), "error");
  JsonObject *duplicate = json_object_new ();

  json_object_set_string_member (duplicate, "entry_id", entry->id);
  json_object_set_string_member (duplicate, "job_id", entry->job_id);
  if (duplicate_posting_id > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, duplicate_posting_id);

      json_object_set_string_member (duplicate, "posting_id", id);
    }
  else
    json_object_set_null_member (duplicate, "posting_id");
  json_object_set_object_member (error, "duplicate_of", duplicate);
  jsw_rest_reply_json (msg, SOUP_STATUS_CONFLICT, node);
}

/**
 * jsw_rest_feed_swipe_posting:
 * @body: a swipe's body with "posting_id" (jsw_rest_body_posting_swipe())
 * @entry: (out): for a right swipe, the entry; NULL when the request was
 *   answered here (a left swipe's 204, or a refusal)
 *
 * POST /v1/swipes with a posting_id: the snapshot is the stored posting's
 * JOB. A left swipe is answered here; a right swipe's entry is given back
 * for the caller to answer as any right swipe is answered.
 */
void
jsw_rest_feed_swipe_posting (JswRestContext  *rest,
                             JswRestRequest  *request,
                             JsonObject      *body,
                             JswEntry       **entry,
                             gboolean        *created,
                             GPtrArray       *events)
{
  const char *user_id = request->auth->user_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswPostingRecord) posting = NULL;
  g_autoptr(JswJob) job = NULL;
  g_autoptr(JswEntry) duplicate = NULL;
  const char *posting_text;
  gint64 posting_id = 0;
  gint64 duplicate_posting_id = 0;
  gboolean right;
  gboolean allow_duplicate;

  *entry = NULL;
  if (!jsw_rest_body_posting_swipe (body, &right, &posting_text, &allow_duplicate, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  if (jsw_rest_feed_parse_posting_id (posting_text, &posting_id))
    posting = jsw_store_get_posting (rest->store, posting_id, &error);
  if (posting == NULL || !posting->open)
    {
      if (error != NULL && !g_error_matches (error, JSW_ERROR, JSW_ERROR_NOT_FOUND))
        jsw_rest_reply_error (request->msg, error);
      else
        jsw_rest_reply_error_code (request->msg, JSW_ERROR_NOT_FOUND,
                                   posting == NULL ? _("There is no such posting")
                                                   : _("This posting has left its board"));
      return;
    }

  if (!right)
    {
      if (!jsw_store_left_swipe_posting (rest->store, user_id, posting_id, jsw_rest_now (), &error))
        jsw_rest_reply_error (request->msg, error);
      else
        soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  job = jsw_job_new_from_json (posting->job_json, &error);
  if (job != NULL)
    *entry = jsw_store_swipe_right_posting (rest->store, user_id, posting_id, job, allow_duplicate, jsw_rest_now (),
                                            created, &duplicate, &duplicate_posting_id, events, &error);
  if (duplicate != NULL)
    reply_duplicate (request->msg, duplicate, duplicate_posting_id);
  else if (*entry == NULL)
    jsw_rest_reply_error (request->msg, error);
}
