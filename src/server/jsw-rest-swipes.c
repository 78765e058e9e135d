/* jsw-rest-swipes.c: the swipe endpoint: POST /v1/swipes
 *
 * A swipe may carry an Idempotency-Key (PROTOCOL.md): a retry with the
 * same key and the same body is answered as the first request was, and
 * nothing is done twice; the same key with another body is refused, as
 * Stripe refuses reuse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-swipes"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-log.h"
#include "jsw-rest-body.h"
#include "jsw-rest-feed.h"
#include "jsw-rest-swipes.h"

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
remember_answer (JswRestContext    *rest,
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
  if (!jsw_store_idempotency_put (rest->store, user_id, key, fingerprint, soup_server_message_get_status (msg),
                                  text, entry ? entry->id : NULL, jsw_rest_now (), &error))
    jsw_log (JSW_LOG_WARNING, g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY),
             "http.idempotency_not_saved", "message", 's', error->message, NULL);
}

/* Answers a request sent with an Idempotency-Key that was used before:
 * with the first answer, or with a conflict if the key came with another
 * request. Sets @fingerprint to this request's, to remember its answer by.
 *
 * Returns: %TRUE if the request was answered */
static gboolean
answer_from_memory (JswRestContext    *rest,
                    SoupServerMessage *msg,
                    const char        *user_id,
                    const char        *key,
                    char             **fingerprint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *first_request = NULL;
  guint status;

  if (!valid_idempotency_key (key))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID,
                                 _("The Idempotency-Key header must be 1 to 255 printable characters"));
      return TRUE;
    }
  if (!jsw_store_idempotency_get (rest->store, user_id, key, jsw_rest_now (), &status, &stored,
                                  &first_request, &error))
    {
      jsw_rest_reply_error (msg, error);
      return TRUE;
    }
  *fingerprint = request_fingerprint (msg);
  if (stored != NULL && first_request != NULL && !g_str_equal (first_request, *fingerprint))
    {
      /* Answering with the first request's answer would tell the client
       * that this one was done (Stripe refuses the same way). */
      jsw_rest_reply_error_code (msg, JSW_ERROR_CONFLICT,
                                 _("This Idempotency-Key was already used with a different request; "
                                   "use a new key for a new request"));
      return TRUE;
    }
  if (stored == NULL)
    return FALSE;

  /* The same request again: the same answer, nothing done twice. */
  if (status == SOUP_STATUS_NO_CONTENT)
    soup_server_message_set_status (msg, status, NULL);
  else
    jsw_rest_reply_text (msg, status, "application/json", g_steal_pointer (&stored));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Idempotent-Replayed", "true");
  return TRUE;
}

/* POST /v1/swipes: a left swipe is recorded (204), a right one queues the
 * job (201, or 200 if it was queued already) */
void
jsw_rest_swipes_post (JswRestContext *rest,
                      JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const char *user_id = request->auth->user_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswJob) job = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  g_autofree char *this_request = NULL;  /* its fingerprint, with a key */
  g_autofree char *json = NULL;
  JsonObject *body;
  gboolean right;
  gboolean created;

  if (key != NULL && answer_from_memory (rest, msg, user_id, key, &this_request))
    return;

  body = jsw_rest_parse_body (msg, &root, &error);
  if (body != NULL && json_object_has_member (body, "posting_id"))
    {
      /* A posting of the feed: its stored JOB is the snapshot. */
      jsw_rest_feed_swipe_posting (rest, request, body, &entry, &created, events);
      if (entry == NULL)
        {
          if (soup_server_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
            remember_answer (rest, msg, user_id, key, this_request, NULL);
          return;
        }
      goto answer_right;
    }
  if (body == NULL || !jsw_rest_body_swipe (body, &right, &job, &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

  if (!right)
    {
      if (!jsw_store_record_left_swipe (rest->store, user_id, job->job_id, jsw_rest_now (), &error))
        {
          jsw_rest_reply_error (msg, error);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      remember_answer (rest, msg, user_id, key, this_request, NULL);
      return;
    }

  entry = jsw_store_swipe_right (rest->store, user_id, job, jsw_rest_now (), &created, events, &error);
  if (entry == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

answer_right:
  /* Spliced like the stream's frames: no second parse of the snapshot. */
  json = jsw_entry_to_json (entry);
  jsw_rest_reply_text (msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, "application/json",
                       g_strconcat ("{\"entry\":", json, "}", NULL));

  remember_answer (rest, msg, user_id, key, this_request, entry);
  jsw_hub_publish (rest->hub, events);
}
