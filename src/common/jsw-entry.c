/* jsw-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-entry.h"
#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-time.h"

G_DEFINE_BOXED_TYPE (JswEntry, jsw_entry, jsw_entry_ref, jsw_entry_unref)

JswEntry *
jsw_entry_new (void)
{
  JswEntry *entry = g_atomic_rc_box_new0 (JswEntry);

  entry->attempt = 1;
  entry->step = JSW_STEP_NONE;
  return entry;
}

JswEntry *
jsw_entry_ref (JswEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

static void
jsw_entry_clear (JswEntry *entry)
{
  g_free (entry->id);
  g_free (entry->user_id);
  g_free (entry->job_id);
  g_free (entry->message);
  g_free (entry->claimed_device);
  g_free (entry->confirmation);
  g_free (entry->error);
  g_free (entry->screenshot_sha256);
  g_clear_pointer (&entry->snapshot, jsw_job_unref);
  g_free (entry->snapshot_json);
}

void
jsw_entry_unref (JswEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify) jsw_entry_clear);
}

static void
add_nullable_string (JsonBuilder *builder,
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
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *str = jsw_time_format (usec);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, str);
}

static JsonBuilder *
build_entry_without_snapshot (JswEntry *entry);

/* Stored text is read back as strictly as it was accepted; a snapshot that
 * no longer parses (a damaged database) is sent as null, not guessed at. */
static JsonNode *
snapshot_from_stored_text (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = jsw_json_parse (json, -1, &error);

  if (node == NULL)
    {
      g_warning ("A stored snapshot is not valid JSON: %s", error->message);
      return json_node_new (JSON_NODE_NULL);
    }
  return node;
}

JsonNode *
jsw_entry_to_json_node (JswEntry *entry)
{
  g_autoptr(JsonBuilder) builder = build_entry_without_snapshot (entry);

  json_builder_set_member_name (builder, "snapshot");
  if (entry->snapshot != NULL)
    json_builder_add_value (builder, json_node_copy (jsw_job_get_node (entry->snapshot)));
  else if (entry->snapshot_json != NULL)
    json_builder_add_value (builder, snapshot_from_stored_text (entry->snapshot_json));
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonBuilder *
build_entry_without_snapshot (JswEntry *entry)
{
  JsonBuilder *builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, entry->id);
  json_builder_set_member_name (builder, "job_id");
  json_builder_add_string_value (builder, entry->job_id);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, jsw_target_to_string (entry->target));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, jsw_state_to_string (entry->state));
  json_builder_set_member_name (builder, "attempt");
  json_builder_add_int_value (builder, entry->attempt);

  json_builder_set_member_name (builder, "progress");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "percent");
  json_builder_add_int_value (builder, entry->percent);
  add_nullable_string (builder, "step", jsw_step_to_string (entry->step));
  add_nullable_string (builder, "message", entry->message);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "claimed_by");
  if (entry->claimed)
    {
      json_builder_begin_object (builder);
      add_nullable_string (builder, "device", entry->claimed_device);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, jsw_kind_to_string (entry->claimed_kind));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "result");
  if (entry->has_result)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, jsw_outcome_to_string (entry->outcome));
      add_nullable_string (builder, "confirmation", entry->confirmation);
      add_nullable_string (builder, "error", entry->error);
      add_nullable_string (builder, "screenshot_sha256", entry->screenshot_sha256);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_time (builder, "created_at", entry->created_at);
  add_time (builder, "updated_at", entry->updated_at);
  return builder;
}

static void
append_json_string (GString    *out,
                    const char *str)
{
  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ",\"%s\":", name);
  append_json_string (out, value);
}

static void
append_time_member (GString    *out,
                    const char *name,
                    gint64      usec)
{
  g_autofree char *str = jsw_time_format (usec);

  append_member (out, name, str);
}

/* Every member of the entry but its snapshot, with no closing brace. */
static GString *
append_entry_fields (JswEntry *entry)
{
  GString *out = g_string_sized_new (512);

  g_string_append (out, "{\"id\":");
  append_json_string (out, entry->id);
  append_member (out, "job_id", entry->job_id);
  append_member (out, "target", jsw_target_to_string (entry->target));
  append_member (out, "state", jsw_state_to_string (entry->state));
  g_string_append_printf (out, ",\"attempt\":%" G_GINT64_FORMAT, entry->attempt);

  g_string_append_printf (out, ",\"progress\":{\"percent\":%" G_GINT64_FORMAT, entry->percent);
  append_member (out, "step", jsw_step_to_string (entry->step));
  append_member (out, "message", entry->message);
  g_string_append_c (out, '}');

  g_string_append (out, ",\"claimed_by\":");
  if (entry->claimed)
    {
      g_string_append (out, "{\"device\":");
      append_json_string (out, entry->claimed_device);
      append_member (out, "kind", jsw_kind_to_string (entry->claimed_kind));
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");

  g_string_append (out, ",\"result\":");
  if (entry->has_result)
    {
      g_string_append (out, "{\"outcome\":");
      append_json_string (out, jsw_outcome_to_string (entry->outcome));
      append_member (out, "confirmation", entry->confirmation);
      append_member (out, "error", entry->error);
      append_member (out, "screenshot_sha256", entry->screenshot_sha256);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");

  append_time_member (out, "created_at", entry->created_at);
  append_time_member (out, "updated_at", entry->updated_at);
  return out;
}

/* The same document as jsw_entry_to_json_node(), written directly: this
 * runs inside the server's write transaction for every change, where
 * building and walking a node tree was a measurable share of the time.
 * The snapshot is spliced in as the text it was stored as, last. */
char *
jsw_entry_to_json (JswEntry *entry)
{
  GString *out = append_entry_fields (entry);
  const char *snapshot = entry->snapshot_json;

  if (snapshot == NULL && entry->snapshot != NULL)
    snapshot = jsw_job_get_json (entry->snapshot);

  g_string_append (out, ",\"snapshot\":");
  g_string_append (out, snapshot != NULL ? snapshot : "null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * jsw_entry_to_json_without_snapshot:
 *
 * The entry's JSON without its "snapshot" member: what the server keeps in
 * its event log and idempotency answers, since the snapshot never changes
 * and is stored once, with the entry (issue 8: each event repeated it).
 * jsw_entry_json_add_snapshot() makes the whole document again.
 *
 * Returns: (transfer full): a JSON object
 */
char *
jsw_entry_to_json_without_snapshot (JswEntry *entry)
{
  GString *out = append_entry_fields (entry);

  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * jsw_entry_json_add_snapshot:
 * @entry_json: what jsw_entry_to_json_without_snapshot() made
 * @snapshot_json: (nullable): the snapshot's stored text; %NULL writes null
 *
 * Returns: (transfer full): the same text jsw_entry_to_json() makes
 */
char *
jsw_entry_json_add_snapshot (const char *entry_json,
                             const char *snapshot_json)
{
  gsize length = strlen (entry_json);

  g_return_val_if_fail (length >= 2 && entry_json[length - 1] == '}', NULL);

  return g_strdup_printf ("%.*s,\"snapshot\":%s}", (int) (length - 1), entry_json,
                          snapshot_json != NULL ? snapshot_json : "null");
}

static gboolean
parse_enum_field (JsonObject   *object,
                  const char   *name,
                  gboolean    (*from_string) (const char *, gpointer),
                  gpointer      value,
                  GError      **error)
{
  const char *str;

  if (!jsw_json_get_string (object, name, JSW_FIELD_REQUIRED, 64, &str, error))
    return FALSE;
  if (!from_string (str, value))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” has an unknown value “%s”"), name, str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_time_field (JsonObject  *object,
                  const char  *name,
                  gint64      *value,
                  GError     **error)
{
  const char *str;

  if (!jsw_json_get_string (object, name, JSW_FIELD_REQUIRED, 64, &str, error))
    return FALSE;
  if (!jsw_time_parse (str, value))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” is not an RFC 3339 time"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_progress (JsonObject  *object,
                JswEntry    *entry,
                GError     **error)
{
  JsonObject *progress;
  const char *step = NULL;
  const char *message = NULL;

  if (!jsw_json_get_object (object, "progress", JSW_FIELD_REQUIRED, &progress, error) ||
      !jsw_json_get_int (progress, "percent", JSW_FIELD_REQUIRED, 0, 100, &entry->percent, error) ||
      !jsw_json_get_string (progress, "step", JSW_FIELD_NULLABLE, 64, &step, error) ||
      !jsw_json_get_string (progress, "message", JSW_FIELD_NULLABLE, 0, &message, error))
    return FALSE;

  if (step != NULL && !jsw_step_from_string (step, &entry->step))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown step “%s”"), step);
      return FALSE;
    }
  entry->message = g_strdup (message);
  return TRUE;
}

static gboolean
parse_claimed_by (JsonObject  *object,
                  JswEntry    *entry,
                  GError     **error)
{
  JsonObject *claimed_by;
  const char *device;

  if (!jsw_json_get_object (object, "claimed_by", JSW_FIELD_NULLABLE, &claimed_by, error))
    return FALSE;
  if (claimed_by == NULL)
    return TRUE;

  if (!jsw_json_get_string (claimed_by, "device", JSW_FIELD_NULLABLE, 0, &device, error) ||
      !parse_enum_field (claimed_by, "kind", (gpointer) jsw_kind_from_string, &entry->claimed_kind, error))
    return FALSE;

  entry->claimed = TRUE;
  entry->claimed_device = g_strdup (device);
  return TRUE;
}

static gboolean
parse_result (JsonObject  *object,
              JswEntry    *entry,
              GError     **error)
{
  JsonObject *result;
  const char *confirmation, *err, *sha;

  if (!jsw_json_get_object (object, "result", JSW_FIELD_NULLABLE, &result, error))
    return FALSE;
  if (result == NULL)
    return TRUE;

  if (!parse_enum_field (result, "outcome", (gpointer) jsw_outcome_from_string, &entry->outcome, error) ||
      !jsw_json_get_string (result, "confirmation", JSW_FIELD_NULLABLE, 0, &confirmation, error) ||
      !jsw_json_get_string (result, "error", JSW_FIELD_NULLABLE, 0, &err, error) ||
      !jsw_json_get_string (result, "screenshot_sha256", JSW_FIELD_NULLABLE, 0, &sha, error))
    return FALSE;

  entry->has_result = TRUE;
  entry->confirmation = g_strdup (confirmation);
  entry->error = g_strdup (err);
  entry->screenshot_sha256 = g_strdup (sha);
  return TRUE;
}

/* The client side of the codec: an ENTRY received from the server. */
JswEntry *
jsw_entry_new_from_object (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  const char *id, *job_id;
  JsonObject *snapshot;

  if (!jsw_json_get_string (object, "id", JSW_FIELD_REQUIRED, 256, &id, error) ||
      !jsw_json_get_string (object, "job_id", JSW_FIELD_REQUIRED, 0, &job_id, error) ||
      !parse_enum_field (object, "target", (gpointer) jsw_target_from_string, &entry->target, error) ||
      !parse_enum_field (object, "state", (gpointer) jsw_state_from_string, &entry->state, error) ||
      !jsw_json_get_int (object, "attempt", JSW_FIELD_REQUIRED, 1, G_MAXINT32, &entry->attempt, error) ||
      !parse_progress (object, entry, error) ||
      !parse_claimed_by (object, entry, error) ||
      !parse_result (object, entry, error) ||
      !parse_time_field (object, "created_at", &entry->created_at, error) ||
      !parse_time_field (object, "updated_at", &entry->updated_at, error) ||
      !jsw_json_get_object (object, "snapshot", JSW_FIELD_REQUIRED, &snapshot, error))
    return NULL;

  entry->id = g_strdup (id);
  entry->job_id = g_strdup (job_id);
  entry->snapshot = jsw_job_new_from_object (snapshot, error);
  if (entry->snapshot == NULL)
    return NULL;

  return g_steal_pointer (&entry);
}
