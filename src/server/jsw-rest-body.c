/* jsw-rest-body.c
 *
 * Every function takes a body jsw_json_parse_object() accepted (strict
 * JSON, an object) and fails with JSW_ERROR_INVALID and a message a person
 * can act on; nothing is changed before the whole body is known good.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-body"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-rest-body.h"

static gboolean
read_direction (JsonObject  *body,
                gboolean    *right,
                GError     **error)
{
  const char *direction;

  if (!jsw_json_get_string (body, "direction", JSW_FIELD_REQUIRED, 16, &direction, error))
    return FALSE;
  if (!g_str_equal (direction, "right") && !g_str_equal (direction, "left"))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("“direction” must be “right” or “left”"));
      return FALSE;
    }
  *right = g_str_equal (direction, "right");
  return TRUE;
}

/**
 * jsw_rest_body_swipe:
 * @body: the body of POST /v1/swipes: {"direction": "right"|"left", "job": JOB}
 * @right: (out): whether it is a right swipe
 * @job: (out) (transfer full): the job snapshot, validated (PROTOCOL.md, JOB),
 *   at most JSW_MAX_SNAPSHOT_SIZE bytes as JSON
 * @error: JSW_ERROR_INVALID
 */
gboolean
jsw_rest_body_swipe (JsonObject  *body,
                     gboolean    *right,
                     JswJob     **job,
                     GError     **error)
{
  JsonObject *job_object;

  if (!read_direction (body, right, error) ||
      !jsw_json_get_object (body, "job", JSW_FIELD_REQUIRED, &job_object, error))
    return FALSE;

  *job = jsw_job_new_from_object (job_object, error);
  if (*job == NULL)
    return FALSE;
  if (strlen (jsw_job_get_json (*job)) > JSW_MAX_SNAPSHOT_SIZE)
    {
      g_clear_pointer (job, jsw_job_unref);
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The job snapshot is larger than %d KiB"), JSW_MAX_SNAPSHOT_SIZE / 1024);
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_rest_body_posting_swipe:
 * @body: the body of POST /v1/swipes with a posting (docs/server.md "The
 *   job feed"): {"direction", "posting_id", "allow_duplicate"?}, without
 *   "job"
 * @posting_id: (out): borrowed from @body, at most 64 bytes; whether it
 *   names a posting is the store's to say
 * @error: JSW_ERROR_INVALID
 */
gboolean
jsw_rest_body_posting_swipe (JsonObject  *body,
                             gboolean    *right,
                             const char **posting_id,
                             gboolean    *allow_duplicate,
                             GError     **error)
{
  *allow_duplicate = FALSE;
  if (json_object_has_member (body, "job"))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A swipe names either a “job” or a “posting_id”, not both"));
      return FALSE;
    }
  return read_direction (body, right, error) &&
         jsw_json_get_string (body, "posting_id", JSW_FIELD_REQUIRED, 64, posting_id, error) &&
         jsw_json_get_boolean (body, "allow_duplicate", 0, allow_duplicate, error);
}

/**
 * jsw_rest_body_sign_in:
 * @body: the body of POST /v1/sessions: {"email", "password", "device"},
 *   at most 320, 1024 and 256 bytes
 * @email: (out): borrowed from @body, like @password and @device
 * @error: JSW_ERROR_INVALID
 */
gboolean
jsw_rest_body_sign_in (JsonObject  *body,
                       const char **email,
                       const char **password,
                       const char **device,
                       GError     **error)
{
  return jsw_json_get_string (body, "email", JSW_FIELD_REQUIRED, 320, email, error) &&
         jsw_json_get_string (body, "password", JSW_FIELD_REQUIRED, 1024, password, error) &&
         jsw_json_get_string (body, "device", JSW_FIELD_REQUIRED, 256, device, error);
}

/**
 * jsw_rest_body_preference:
 * @body: the body of PUT /v1/me/preference: {"execution_mode": MODE}
 * @error: JSW_ERROR_INVALID
 */
gboolean
jsw_rest_body_preference (JsonObject        *body,
                          JswExecutionMode  *mode,
                          GError           **error)
{
  const char *name;

  if (!jsw_json_get_string (body, "execution_mode", JSW_FIELD_REQUIRED, 64, &name, error))
    return FALSE;
  if (!jsw_execution_mode_from_string (name, mode))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("“execution_mode” must be one of auto, desktop, server or ask"));
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_rest_body_route:
 * @body: the body of POST /v1/queue/{id}/route: {"target": "server"|"desktop"}
 * @error: JSW_ERROR_INVALID
 */
gboolean
jsw_rest_body_route (JsonObject  *body,
                     JswTarget   *target,
                     GError     **error)
{
  const char *name;

  if (!jsw_json_get_string (body, "target", JSW_FIELD_REQUIRED, 16, &name, error))
    return FALSE;
  if (!jsw_target_from_string (name, target) || *target == JSW_TARGET_UNDECIDED)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("“target” must be “server” or “desktop”"));
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_rest_error_node:
 * @code: the error code name (PROTOCOL.md "Errors": `invalid`, `conflict`...)
 * @message: what went wrong, for a person
 *
 * Returns: (transfer full): `{"error": {"code", "message"}}`, the body of
 *   every REST error (PROTOCOL.md "Errors")
 */
JsonNode *
jsw_rest_error_node (const char *code,
                     const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
