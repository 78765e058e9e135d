/* jsw-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-message.h"
#include "jsw-time.h"

G_DEFINE_BOXED_TYPE (JswMessage, jsw_message, (GBoxedCopyFunc) NULL, jsw_message_free)

/* Ids, devices and leases are opaque, but bounded. */
#define MAX_ID_LENGTH      256
#define MAX_TEXT_LENGTH    (64 * 1024)

static const char *type_names[] = {
  [JSW_MESSAGE_HELLO] = "hello",
  [JSW_MESSAGE_CLAIM] = "claim",
  [JSW_MESSAGE_HEARTBEAT] = "heartbeat",
  [JSW_MESSAGE_PROGRESS] = "progress",
  [JSW_MESSAGE_RESULT] = "result",
  [JSW_MESSAGE_RELEASE] = "release",
  [JSW_MESSAGE_WELCOME] = "welcome",
  [JSW_MESSAGE_ENTRY] = "entry",
  [JSW_MESSAGE_SYNC] = "sync",
  [JSW_MESSAGE_CLAIMED] = "claimed",
  [JSW_MESSAGE_ACK] = "ack",
  [JSW_MESSAGE_ERROR] = "error",
  [JSW_MESSAGE_ACCOUNT] = "account",
};

const char *
jsw_message_type_to_string (JswMessageType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

gboolean
jsw_message_type_is_client (JswMessageType type)
{
  return type <= JSW_MESSAGE_RELEASE;
}

void
jsw_message_free (JswMessage *message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->entry, jsw_entry_unref);
  g_clear_pointer (&message->entries, g_ptr_array_unref);
  g_clear_pointer (&message->root, json_node_unref);
  g_free (message);
}

static gboolean
get_id (JsonObject  *object,
        const char  *name,
        JswFieldFlags flags,
        const char **value,
        GError     **error)
{
  return jsw_json_get_string (object, name, flags, MAX_ID_LENGTH, value, error);
}

static gboolean
decode_hello (JsonObject *o, JswMessage *m, GError **error)
{
  return get_id (o, "device", JSW_FIELD_REQUIRED, &m->device, error) &&
         jsw_json_get_int (o, "since", 0, 0, G_MAXINT64, &m->since, error);
}

static gboolean
decode_claim (JsonObject *o, JswMessage *m, GError **error)
{
  return get_id (o, "id", JSW_FIELD_REQUIRED, &m->id, error) &&
         get_id (o, "entry", JSW_FIELD_REQUIRED, &m->entry_id, error);
}

static gboolean
decode_lease_only (JsonObject *o, JswMessage *m, GError **error)
{
  return get_id (o, "lease", JSW_FIELD_REQUIRED, &m->lease, error);
}

static gboolean
decode_progress (JsonObject *o, JswMessage *m, GError **error)
{
  const char *step;

  /* An addition: with an `id`, the server acknowledges it once stored. */
  if (!get_id (o, "id", 0, &m->id, error) ||
      !get_id (o, "lease", JSW_FIELD_REQUIRED, &m->lease, error) ||
      !jsw_json_get_int (o, "percent", JSW_FIELD_REQUIRED, 0, 100, &m->percent, error) ||
      !jsw_json_get_string (o, "step", JSW_FIELD_REQUIRED, 64, &step, error) ||
      !jsw_json_get_string (o, "message", JSW_FIELD_NULLABLE, MAX_TEXT_LENGTH, &m->message, error))
    return FALSE;

  if (!jsw_step_from_string (step, &m->step))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown step “%s”"), step);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_sha256_hex (const char *str)
{
  if (strlen (str) != 64)
    return FALSE;
  for (const char *p = str; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
decode_result (JsonObject *o, JswMessage *m, GError **error)
{
  const char *outcome;

  if (!get_id (o, "id", JSW_FIELD_REQUIRED, &m->id, error) ||
      !get_id (o, "lease", JSW_FIELD_REQUIRED, &m->lease, error) ||
      !jsw_json_get_string (o, "outcome", JSW_FIELD_REQUIRED, 64, &outcome, error) ||
      !jsw_json_get_string (o, "confirmation", JSW_FIELD_NULLABLE, MAX_TEXT_LENGTH, &m->confirmation, error) ||
      !jsw_json_get_string (o, "error", JSW_FIELD_NULLABLE, MAX_TEXT_LENGTH, &m->error, error) ||
      !jsw_json_get_string (o, "screenshot_sha256", JSW_FIELD_NULLABLE, 64, &m->screenshot_sha256, error))
    return FALSE;

  if (!jsw_outcome_from_string (outcome, &m->outcome))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown outcome “%s”"), outcome);
      return FALSE;
    }
  if (m->screenshot_sha256 != NULL && *m->screenshot_sha256 != '\0' && !is_sha256_hex (m->screenshot_sha256))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “screenshot_sha256” must be 64 hexadecimal digits"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_welcome (JsonObject *o, JswMessage *m, GError **error)
{
  return jsw_json_get_int (o, "seq", JSW_FIELD_REQUIRED, 0, G_MAXINT64, &m->seq, error) &&
         jsw_json_get_int (o, "lease_ttl_s", JSW_FIELD_REQUIRED, 1, G_MAXINT32, &m->lease_ttl_s, error) &&
         jsw_json_get_int (o, "heartbeat_s", JSW_FIELD_REQUIRED, 1, G_MAXINT32, &m->heartbeat_s, error);
}

static gboolean
decode_entry (JsonObject *o, JswMessage *m, GError **error)
{
  JsonObject *entry;

  if (!jsw_json_get_int (o, "seq", JSW_FIELD_REQUIRED, 0, G_MAXINT64, &m->seq, error) ||
      !jsw_json_get_object (o, "entry", JSW_FIELD_REQUIRED, &entry, error))
    return FALSE;

  m->entry = jsw_entry_new_from_object (entry, error);
  return m->entry != NULL;
}

static gboolean
decode_sync (JsonObject *o, JswMessage *m, GError **error)
{
  JsonArray *entries;

  if (!jsw_json_get_int (o, "seq", JSW_FIELD_REQUIRED, 0, G_MAXINT64, &m->seq, error) ||
      !jsw_json_get_array (o, "entries", JSW_FIELD_REQUIRED, &entries, error))
    return FALSE;

  m->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_entry_unref);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JswEntry *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “entries” must hold objects"));
          return FALSE;
        }
      entry = jsw_entry_new_from_object (json_node_get_object (node), error);
      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (m->entries, entry);
    }
  return TRUE;
}

static gboolean
decode_claimed (JsonObject *o, JswMessage *m, GError **error)
{
  gint64 ignored;

  if (!get_id (o, "re", JSW_FIELD_REQUIRED, &m->re, error) ||
      !get_id (o, "entry", JSW_FIELD_REQUIRED, &m->entry_id, error) ||
      !get_id (o, "lease", JSW_FIELD_REQUIRED, &m->lease, error) ||
      !jsw_json_get_string (o, "expires_at", JSW_FIELD_REQUIRED, 64, &m->expires_at, error) ||
      !jsw_json_get_string (o, "linkedin_send", 0, 16, &m->linkedin_send, error))
    return FALSE;
  if (m->linkedin_send != NULL && !g_str_equal (m->linkedin_send, "automatic") && !g_str_equal (m->linkedin_send, "review"))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “linkedin_send” is “automatic” or “review”"));
      return FALSE;
    }

  if (!jsw_time_parse (m->expires_at, &ignored))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “expires_at” is not an RFC 3339 time"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_ack (JsonObject *o, JswMessage *m, GError **error)
{
  return get_id (o, "re", JSW_FIELD_REQUIRED, &m->re, error);
}

static gboolean
decode_error (JsonObject *o, JswMessage *m, GError **error)
{
  gint64 ignored;

  if (!get_id (o, "re", JSW_FIELD_NULLABLE, &m->re, error) ||
      !jsw_json_get_string (o, "code", JSW_FIELD_REQUIRED, 64, &m->code, error) ||
      !jsw_json_get_string (o, "message", JSW_FIELD_NULLABLE, MAX_TEXT_LENGTH, &m->message, error) ||
      !jsw_json_get_string (o, "retry_at", 0, 64, &m->retry_at, error))
    return FALSE;
  if (m->retry_at != NULL && !jsw_time_parse (m->retry_at, &ignored))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “retry_at” is not an RFC 3339 time"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_account (JsonObject *o, JswMessage *m, GError **error)
{
  return jsw_json_get_object (o, "account", JSW_FIELD_REQUIRED, &m->account, error);
}

typedef gboolean (*DecodeFunc) (JsonObject *object, JswMessage *message, GError **error);

static const DecodeFunc decoders[] = {
  [JSW_MESSAGE_HELLO] = decode_hello,
  [JSW_MESSAGE_CLAIM] = decode_claim,
  [JSW_MESSAGE_HEARTBEAT] = decode_lease_only,
  [JSW_MESSAGE_PROGRESS] = decode_progress,
  [JSW_MESSAGE_RESULT] = decode_result,
  [JSW_MESSAGE_RELEASE] = decode_lease_only,
  [JSW_MESSAGE_WELCOME] = decode_welcome,
  [JSW_MESSAGE_ENTRY] = decode_entry,
  [JSW_MESSAGE_SYNC] = decode_sync,
  [JSW_MESSAGE_CLAIMED] = decode_claimed,
  [JSW_MESSAGE_ACK] = decode_ack,
  [JSW_MESSAGE_ERROR] = decode_error,
  [JSW_MESSAGE_ACCOUNT] = decode_account,
};

/* Finds the request id even in a frame that fails validation, so that the
 * error answer can still say which request it refers to. */
static char *
find_request_id (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "id");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      strlen (json_node_get_string (node)) <= MAX_ID_LENGTH)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

/**
 * jsw_message_parse:
 * @text: the frame's text
 * @length: its length in bytes
 * @request_id: (out) (optional): the frame's `id`, if it has a usable one,
 *   even when decoding fails
 * @error: a #JSW_ERROR_INVALID on any malformed frame
 */
JswMessage *
jsw_message_parse (const char  *text,
                   gsize        length,
                   char       **request_id,
                   GError     **error)
{
  g_autoptr(JswMessage) message = g_new0 (JswMessage, 1);
  JsonObject *object;
  const char *type;
  guint i;

  if (request_id != NULL)
    *request_id = NULL;

  if (length > JSW_MAX_FRAME_SIZE)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_PAYLOAD_TOO_LARGE, _("The frame is larger than 256 KiB"));
      return NULL;
    }

  object = jsw_json_parse_object (text, length, &message->root, error);
  if (object == NULL)
    return NULL;

  if (request_id != NULL)
    *request_id = find_request_id (object);

  if (!jsw_json_get_string (object, "type", JSW_FIELD_REQUIRED, 64, &type, error))
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (type, type_names[i]))
      break;

  if (i == G_N_ELEMENTS (type_names))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown message type “%s”"), type);
      return NULL;
    }

  message->type = (JswMessageType) i;
  message->step = JSW_STEP_NONE;
  if (!decoders[i] (object, message, error))
    return NULL;

  return g_steal_pointer (&message);
}

/* Encoding */

static JsonBuilder *
begin_frame (JswMessageType type)
{
  JsonBuilder *builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type_names[type]);
  return builder;
}

static char *
end_frame (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  g_object_unref (builder);
  return jsw_json_node_to_string (root);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value != NULL)
    add_string (builder, name, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

char *
jsw_message_build_hello (const char *device,
                         gint64      since)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_HELLO);

  add_string (b, "device", device);
  add_int (b, "since", since);
  return end_frame (b);
}

char *
jsw_message_build_claim (const char *id,
                         const char *entry_id)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_CLAIM);

  add_string (b, "id", id);
  add_string (b, "entry", entry_id);
  return end_frame (b);
}

char *
jsw_message_build_heartbeat (const char *lease)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_HEARTBEAT);

  add_string (b, "lease", lease);
  return end_frame (b);
}

/* @id: (nullable): asks for an `ack` once the server stored it (an
 * addition to PROTOCOL.md, docs/server.md) */
char *
jsw_message_build_progress (const char *id,
                            const char *lease,
                            gint64      percent,
                            JswStep     step,
                            const char *message)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_PROGRESS);

  add_optional_string (b, "id", id);
  add_string (b, "lease", lease);
  add_int (b, "percent", percent);
  add_string (b, "step", jsw_step_to_string (step));
  add_optional_string (b, "message", message);
  return end_frame (b);
}

char *
jsw_message_build_result (const char *id,
                          const char *lease,
                          JswOutcome  outcome,
                          const char *confirmation,
                          const char *error,
                          const char *screenshot_sha256)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_RESULT);

  add_string (b, "id", id);
  add_string (b, "lease", lease);
  add_string (b, "outcome", jsw_outcome_to_string (outcome));
  add_optional_string (b, "confirmation", confirmation);
  add_optional_string (b, "error", error);
  add_optional_string (b, "screenshot_sha256", screenshot_sha256);
  return end_frame (b);
}

char *
jsw_message_build_release (const char *lease)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_RELEASE);

  add_string (b, "lease", lease);
  return end_frame (b);
}

char *
jsw_message_build_welcome (gint64 seq,
                           gint64 lease_ttl_s,
                           gint64 heartbeat_s)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_WELCOME);

  add_int (b, "seq", seq);
  add_int (b, "lease_ttl_s", lease_ttl_s);
  add_int (b, "heartbeat_s", heartbeat_s);
  return end_frame (b);
}

char *
jsw_message_build_entry (gint64    seq,
                         JswEntry *entry)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_ENTRY);

  add_int (b, "seq", seq);
  json_builder_set_member_name (b, "entry");
  json_builder_add_value (b, jsw_entry_to_json_node (entry));
  return end_frame (b);
}

char *
jsw_message_build_sync (gint64     seq,
                        GPtrArray *entries)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_SYNC);

  add_int (b, "seq", seq);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (b, jsw_entry_to_json_node (g_ptr_array_index (entries, i)));
  json_builder_end_array (b);
  return end_frame (b);
}

char *
jsw_message_build_claimed (const char *re,
                           const char *entry_id,
                           const char *lease,
                           gint64      expires_at)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_CLAIMED);
  g_autofree char *expires = jsw_time_format (expires_at);

  add_string (b, "re", re);
  add_string (b, "entry", entry_id);
  add_string (b, "lease", lease);
  add_string (b, "expires_at", expires);
  return end_frame (b);
}

char *
jsw_message_build_ack (const char *re)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_ACK);

  add_string (b, "re", re);
  return end_frame (b);
}

char *
jsw_message_build_error (const char *re,
                         const char *code,
                         const char *message)
{
  JsonBuilder *b = begin_frame (JSW_MESSAGE_ERROR);

  add_string (b, "re", re);
  add_string (b, "code", code);
  add_string (b, "message", message);
  return end_frame (b);
}
