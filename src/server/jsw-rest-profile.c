/* jsw-rest-profile.c: the profile and resume a person keeps on the server
 * so that a worker can apply while their computer is off (issue 11)
 *
 *   PUT|GET|DELETE /v1/me/profile   PROFILE.json without resume_path
 *   PUT|GET|DELETE /v1/me/resume    the file itself; PUT ?filename=NAME
 *   GET /v1/worker/entries/{id}/profile|resume
 *                                   a worker token, with the entry's live
 *                                   lease in X-Jobswipe-Lease
 *
 * Both are sealed with the operator's key (jsw-vault.c) before the store
 * sees them. A server started without a key keeps none: these endpoints
 * answer 503 `unavailable` saying so, and nothing is ever stored in clear.
 * A resume is judged by its content (libmagic), not by its name or its
 * Content-Type: PDF, DOCX, ODT, RTF or plain text, at most 10 MiB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <magic.h>

#include "jsw-log.h"
#include "jsw-rest-body.h"
#include "jsw-rest-profile.h"
#include "jsw-vault.h"

#define LEASE_HEADER "X-Jobswipe-Lease"
#define MAX_FILENAME_BYTES 255

/* What a resume may be, by what its bytes say they are. */
static const struct {
  const char *media_type;
  const char *name;
} resume_types[] = {
  { "application/pdf", "PDF" },
  { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX" },
  { "application/vnd.oasis.opendocument.text", "ODT" },
  { "text/rtf", "RTF" },
  { "text/plain", N_("plain text") },
};

static gboolean
vault_ready (JswRestContext *rest,
             JswRestRequest *request)
{
  g_autoptr(JsonNode) node = NULL;

  if (rest->vault != NULL)
    return TRUE;
  node = jsw_rest_error_node ("unavailable",
                              _("This server keeps no profiles or resumes: it was started without a profile key "
                                "(serve --profile-key-file or JOBSWIPE_PROFILE_KEY_FILE)"));
  jsw_rest_reply_json (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, node);
  return FALSE;
}

static void
reply_no_content (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Reads @user_id's @kind back in clear. A kept record that does not open
 * (the key file was changed, or the row was copied under another user) is
 * not the server failing on its own: it is a state the person can mend by
 * sending it again (PUT) or dropping it (DELETE), so it is a conflict
 * (409) saying so, never a 500; the vault's reason goes to the log. */
static GBytes *
open_kept (JswRestContext  *rest,
           JswRestRequest  *request,
           const char      *user_id,
           const char      *kind,
           gint64          *updated_at,
           GError         **error)
{
  g_autoptr(GBytes) sealed = jsw_store_vault_get (rest->store, user_id, kind, updated_at, error);
  g_autoptr(GError) unreadable = NULL;
  GBytes *plain;

  if (sealed == NULL)
    return NULL;
  plain = jsw_vault_open (rest->vault, user_id, kind, sealed, &unreadable);
  if (plain != NULL)
    return plain;

  jsw_log (JSW_LOG_WARNING, g_object_get_data (G_OBJECT (request->msg), JSW_REST_CID_KEY), "vault.unreadable",
           "user", 's', user_id, "what", 's', kind, "why", 's', unreadable->message, NULL);
  /* To a worker, 409 on this endpoint means its lease is gone; for it an
   * unreadable record is one not kept (404, answered as "nothing kept"),
   * which it reports to the person as needs_user (docs/server.md). */
  if (request->auth->kind == JSW_KIND_SERVER)
    g_set_error_literal (error, JSW_ERROR, JSW_ERROR_NOT_FOUND,
                         _("This person’s kept profile or resume can no longer be read with the server’s key; "
                           "they must send it again"));
  else
    g_set_error_literal (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                         _("Your kept profile or resume can no longer be read with the server’s key; send it again"));
  return NULL;
}

static gboolean
keep (JswRestContext  *rest,
      const char      *user_id,
      const char      *kind,
      GBytes          *plain,
      gint64           now,
      GError         **error)
{
  g_autoptr(GBytes) sealed = jsw_vault_seal (rest->vault, user_id, kind, plain);

  return jsw_store_vault_put (rest->store, user_id, kind, sealed, now, error);
}

/* The profile */

static void
reply_profile (SoupServerMessage *msg,
               guint              status,
               const char        *profile_json,
               gint64             updated_at)
{
  g_autofree char *when = jsw_time_format (updated_at);
  g_autofree char *body = g_strdup_printf ("{\"profile\":%s,\"updated_at\":\"%s\"}", profile_json, when);

  jsw_rest_reply_text (msg, status, "application/json", g_steal_pointer (&body));
}

static void
put_profile (JswRestContext *rest,
             JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswProfile) profile = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *text = NULL;
  JsonObject *object = jsw_rest_parse_body (request->msg, &root, &error);
  gint64 now = jsw_rest_now ();

  if (object == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  if (json_object_has_member (object, "resume_path"))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID,
                                 _("“resume_path” names a file on your computer; send the resume itself with PUT /v1/me/resume"));
      return;
    }
  /* The same rules the engine reads a profile by: a wrong type is refused
   * here, not when a worker finds it. */
  text = jsw_json_node_to_string (root);
  profile = jsw_profile_new_from_json (text, &error);
  if (profile == NULL)
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, error->message);
      return;
    }
  plain = g_bytes_new (text, strlen (text));
  if (!keep (rest, request->auth->user_id, JSW_VAULT_PROFILE, plain, now, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  reply_profile (request->msg, SOUP_STATUS_OK, text, now);
}

static void
get_profile (JswRestContext *rest,
             JswRestRequest *request,
             const char     *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *text = NULL;
  gint64 updated_at = 0;

  plain = open_kept (rest, request, user_id, JSW_VAULT_PROFILE, &updated_at, &error);
  if (plain == NULL)
    {
      if (g_error_matches (error, JSW_ERROR, JSW_ERROR_NOT_FOUND))
        jsw_rest_reply_error_code (request->msg, JSW_ERROR_NOT_FOUND, _("No profile is kept on the server"));
      else
        jsw_rest_reply_error (request->msg, error);
      return;
    }
  text = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  if (request->auth->kind == JSW_KIND_SERVER)
    jsw_rest_reply_text (request->msg, SOUP_STATUS_OK, "application/json", g_steal_pointer (&text));
  else
    reply_profile (request->msg, SOUP_STATUS_OK, text, updated_at);
}

static void
delete_kept (JswRestContext *rest,
             JswRestRequest *request,
             const char     *kind)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_store_vault_delete (rest->store, request->auth->user_id, kind, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  reply_no_content (request->msg);
}

/* PUT | GET | DELETE /v1/me/profile */
void
jsw_rest_profile_mine (JswRestContext *rest,
                       JswRestRequest *request)
{
  if (!vault_ready (rest, request))
    return;
  if (g_str_equal (request->method, "PUT"))
    put_profile (rest, request);
  else if (g_str_equal (request->method, "GET"))
    get_profile (rest, request, request->auth->user_id);
  else if (g_str_equal (request->method, "DELETE"))
    delete_kept (rest, request, JSW_VAULT_PROFILE);
  else
    jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, _("Use PUT, GET or DELETE on /v1/me/profile"));
}

/* The resume: kept as its facts (a JSON object), a NUL, then its bytes.
 * Strict JSON never holds a NUL, so the first one ends the facts. */

static const char *
resume_type_name (const char *media_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (resume_types); i++)
    if (g_str_equal (resume_types[i].media_type, media_type))
      return _(resume_types[i].name);
  return NULL;
}

/* What @data is, by its content. libmagic's database is loaded once; the
 * server calls this from its one main thread. */
static char *
sniff_media_type (const void *data,
                  gsize       size)
{
  static magic_t magic;
  const char *type;

  if (magic == NULL)
    {
      magic = magic_open (MAGIC_MIME_TYPE | MAGIC_ERROR);
      if (magic == NULL || magic_load (magic, NULL) != 0)
        {
          g_clear_pointer (&magic, magic_close);
          return NULL;
        }
    }
  type = magic_buffer (magic, data, size);
  return g_strdup (type);
}

static gboolean
valid_file_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > MAX_FILENAME_BYTES ||
      !g_utf8_validate (name, -1, NULL) || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

static char *
resume_facts (const char *filename,
              const char *media_type,
              gsize       size)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, filename);
  json_builder_set_member_name (builder, "media_type");
  json_builder_add_string_value (builder, media_type);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) size);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return jsw_json_node_to_string (node);
}

static void
put_resume (JswRestContext *rest,
            JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *filename = request->query ? g_hash_table_lookup (request->query, "filename") : NULL;
  const char *declared = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_autofree char *sniffed = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GByteArray) plain = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const void *data = g_bytes_get_data (body, &size);
  gint64 now = jsw_rest_now ();

  if (!valid_file_name (filename))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID,
                                 _("Name the file in ?filename= (1 to 255 bytes of UTF-8, no “/”, “\\” or control characters)"));
      return;
    }
  if (size == 0)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, _("The resume is empty"));
      return;
    }
  if (size > JSW_MAX_RESUME_SIZE)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_PAYLOAD_TOO_LARGE, _("A resume may be at most 10 MiB"));
      return;
    }
  sniffed = sniff_media_type (data, size);
  if (sniffed == NULL || resume_type_name (sniffed) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("A resume must be a PDF, DOCX, ODT, RTF or plain text document; "
                                                    "the content of this one is %s"),
                                                  sniffed ? sniffed : _("unknown"));

      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, message);
      return;
    }
  if (declared != NULL && !g_str_equal (declared, "application/octet-stream") &&
      g_ascii_strcasecmp (declared, sniffed) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("The file was sent as %s, but its content is %s (%s)"),
                                                  declared, resume_type_name (sniffed), sniffed);

      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, message);
      return;
    }

  facts = resume_facts (filename, sniffed, size);
  plain = g_byte_array_sized_new (strlen (facts) + 1 + size);
  g_byte_array_append (plain, (const guint8 *) facts, strlen (facts) + 1);
  g_byte_array_append (plain, data, size);
  kept = g_byte_array_free_to_bytes (g_steal_pointer (&plain));
  if (!keep (rest, request->auth->user_id, JSW_VAULT_RESUME, kept, now, &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  {
    g_autofree char *when = jsw_time_format (now);

    facts[strlen (facts) - 1] = '\0';  /* the closing brace, to add a member */
    answer = g_strdup_printf ("{\"resume\":%s,\"updated_at\":\"%s\"}}", facts, when);
  }
  jsw_rest_reply_text (msg, SOUP_STATUS_OK, "application/json", g_steal_pointer (&answer));
}

/* The file as it was sent: its type, its name, when it was kept. */
static void
get_resume (JswRestContext *rest,
            JswRestRequest *request,
            const char     *user_id)
{
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *http_date = NULL;
  JsonObject *facts;
  gint64 updated_at = 0;
  gsize size;
  const char *data;
  const char *nul;

  plain = open_kept (rest, request, user_id, JSW_VAULT_RESUME, &updated_at, &error);
  if (plain == NULL)
    {
      if (g_error_matches (error, JSW_ERROR, JSW_ERROR_NOT_FOUND))
        jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("No resume is kept on the server"));
      else
        jsw_rest_reply_error (msg, error);
      return;
    }
  data = g_bytes_get_data (plain, &size);
  nul = memchr (data, '\0', size);
  facts = nul ? jsw_json_parse_object (data, nul - data, &root, &error) : NULL;
  if (facts == NULL)
    {
      g_autoptr(GError) internal = g_error_new_literal (JSW_ERROR, JSW_ERROR_INTERNAL, "a kept resume has no facts");

      jsw_rest_reply_error (msg, internal);
      return;
    }
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, (gpointer) "filename", (gpointer) json_object_get_string_member (facts, "filename"));
  soup_message_headers_set_content_disposition (headers, "attachment", params);
  when = g_date_time_new_from_unix_utc (updated_at / G_USEC_PER_SEC);
  http_date = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S GMT");
  soup_message_headers_replace (headers, "Last-Modified", http_date);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, json_object_get_string_member (facts, "media_type"), SOUP_MEMORY_COPY,
                                    nul + 1, size - (nul + 1 - data));
}

/* PUT | GET | DELETE /v1/me/resume */
void
jsw_rest_profile_my_resume (JswRestContext *rest,
                            JswRestRequest *request)
{
  if (!vault_ready (rest, request))
    return;
  if (g_str_equal (request->method, "PUT"))
    put_resume (rest, request);
  else if (g_str_equal (request->method, "GET"))
    get_resume (rest, request, request->auth->user_id);
  else if (g_str_equal (request->method, "DELETE"))
    delete_kept (rest, request, JSW_VAULT_RESUME);
  else
    jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, _("Use PUT, GET or DELETE on /v1/me/resume"));
}

/* GET /v1/worker/entries/{id}/profile | resume: only to the worker that
 * holds the entry's live lease, and only that entry's person's. */
void
jsw_rest_profile_for_worker (JswRestContext *rest,
                             JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const char *entry_id = request->segments[3];
  const char *what = request->segments[4];
  const char *lease = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), LEASE_HEADER);
  const char *cid = g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  if (request->auth->kind != JSW_KIND_SERVER)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_FORBIDDEN, _("Only a worker token may read an entry’s profile"));
      return;
    }
  if (!g_str_equal (what, "profile") && !g_str_equal (what, "resume"))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_NOT_FOUND, _("There is no such endpoint"));
      return;
    }
  if (!g_str_equal (request->method, "GET"))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID, _("Use GET"));
      return;
    }
  if (!vault_ready (rest, request))
    return;
  if (lease == NULL)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_FORBIDDEN, _("Show the entry’s live lease in the X-Jobswipe-Lease header"));
      return;
    }
  entry = jsw_store_check_lease (rest->store, request->auth, entry_id, lease, jsw_rest_now (), &error);
  if (entry == NULL)
    {
      jsw_log (JSW_LOG_WARNING, cid, "vault.refused", "entry", 's', entry_id, "what", 's', what,
               "why", 's', error->message, NULL);
      jsw_rest_reply_error (msg, error);
      return;
    }
  jsw_log (JSW_LOG_INFO, cid, "vault.read", "entry", 's', entry_id, "what", 's', what, NULL);
  if (g_str_equal (what, "profile"))
    get_profile (rest, request, entry->user_id);
  else
    get_resume (rest, request, entry->user_id);
}
