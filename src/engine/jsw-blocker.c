/* jsw-blocker.c
 *
 * The one place where a blocker code becomes words: the adapters (in the
 * page, untranslated) report codes and the form's own labels, and both
 * jobswipe-apply and the app show what jsw_blocker_describe() says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-blocker.h"
#include "jsw-common.h"
#include "jsw-json.h"

static const char *code_names[] = {
  [JSW_BLOCKER_CAPTCHA] = "captcha",
  [JSW_BLOCKER_SIGN_IN] = "sign_in",
  [JSW_BLOCKER_EMAIL_CODE] = "email_code",
  [JSW_BLOCKER_UNKNOWN_QUESTION] = "unknown_question",
  [JSW_BLOCKER_FIELD_REJECTED] = "field_rejected",
  [JSW_BLOCKER_MISSING_FILE] = "missing_file",
  [JSW_BLOCKER_LINKEDIN_DAILY_LIMIT] = "linkedin_daily_limit",
  [JSW_BLOCKER_LINKEDIN_THROTTLED] = "linkedin_throttled",
  [JSW_BLOCKER_LINKEDIN_CHECKPOINT] = "linkedin_checkpoint",
  [JSW_BLOCKER_LINKEDIN_RESTRICTED] = "linkedin_restricted",
  [JSW_BLOCKER_LINKEDIN_CLOSED] = "linkedin_closed",
  [JSW_BLOCKER_LINKEDIN_ALREADY_APPLIED] = "linkedin_already_applied",
  [JSW_BLOCKER_LINKEDIN_EXTERNAL] = "linkedin_external",
};

static const char *kind_names[] = {
  [JSW_ASK_TEXT] = "text",
  [JSW_ASK_LONG_TEXT] = "long_text",
  [JSW_ASK_CHOICE] = "choice",
  [JSW_ASK_YES_NO] = "yes_no",
  [JSW_ASK_FILE] = "file",
};

static gboolean
name_to_index (const char  *name,
               const char **names,
               guint        n_names,
               guint       *index)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (g_str_equal (name, names[i]))
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

const char *
jsw_blocker_code_to_string (JswBlockerCode code)
{
  g_return_val_if_fail (code < G_N_ELEMENTS (code_names), NULL);
  return code_names[code];
}

/* @label: (nullable): the form's question or field */
JswBlocker *
jsw_blocker_new (JswBlockerCode  code,
                 const char     *label)
{
  JswBlocker *blocker = g_new0 (JswBlocker, 1);

  blocker->code = code;
  blocker->label = g_strdup (label);
  blocker->kind = code == JSW_BLOCKER_MISSING_FILE ? JSW_ASK_FILE : JSW_ASK_TEXT;
  return blocker;
}

void
jsw_blocker_free (JswBlocker *blocker)
{
  if (blocker == NULL)
    return;
  g_free (blocker->label);
  g_strfreev (blocker->options);
  g_free (blocker->message);
  g_free (blocker);
}

/* A wall on the page (captcha, sign-in, e-mailed code) is got past on the
 * page itself, by the person, in the live view. */
gboolean
jsw_blocker_needs_page (JswBlocker *blocker)
{
  return blocker->code == JSW_BLOCKER_CAPTCHA || blocker->code == JSW_BLOCKER_SIGN_IN ||
         blocker->code == JSW_BLOCKER_EMAIL_CODE || blocker->code == JSW_BLOCKER_LINKEDIN_CHECKPOINT;
}

/* What a person reads, translated: a wall says what to do; a question is
 * the form's own words; a refused field is the site's words.
 *
 * Returns: (transfer full): the text */
char *
jsw_blocker_describe (JswBlocker *blocker)
{
  switch (blocker->code)
    {
    case JSW_BLOCKER_CAPTCHA:
      return g_strdup (_("A captcha has to be solved by a person"));
    case JSW_BLOCKER_SIGN_IN:
      return g_strdup (_("The site asks to sign in"));
    case JSW_BLOCKER_EMAIL_CODE:
      return g_strdup (_("The site sent a code by e-mail that has to be typed in"));
    case JSW_BLOCKER_FIELD_REJECTED:
      /* The field's name; what the site said is @message, shown beside. */
      return g_strdup (blocker->label ? blocker->label : blocker->message ? blocker->message : "");
    case JSW_BLOCKER_MISSING_FILE:
      return g_strdup (blocker->label ? blocker->label : _("Resume"));
    case JSW_BLOCKER_LINKEDIN_DAILY_LIMIT:
      return g_strdup (_("LinkedIn says today’s Easy Apply limit is reached: LinkedIn applications wait until tomorrow"));
    case JSW_BLOCKER_LINKEDIN_THROTTLED:
      return g_strdup (_("LinkedIn says you are applying at a fast pace: LinkedIn applications stop for 24 hours, then go at half the pace for a week"));
    case JSW_BLOCKER_LINKEDIN_CHECKPOINT:
      return g_strdup (_("LinkedIn asks for a security check that only you can pass; LinkedIn applications pause for 72 hours"));
    case JSW_BLOCKER_LINKEDIN_RESTRICTED:
      return g_strdup (_("LinkedIn has restricted your account: LinkedIn applications stop until you turn them on again"));
    case JSW_BLOCKER_LINKEDIN_CLOSED:
      return g_strdup (_("This LinkedIn posting is no longer accepting applications"));
    case JSW_BLOCKER_LINKEDIN_ALREADY_APPLIED:
      return g_strdup (_("You already applied to this posting on LinkedIn"));
    case JSW_BLOCKER_LINKEDIN_EXTERNAL:
      return g_strdup (_("This posting is applied to on the employer’s own site, not with Easy Apply"));
    case JSW_BLOCKER_UNKNOWN_QUESTION:
    default:
      return g_strdup (blocker->label ? blocker->label : "");
    }
}

/* One blocker as the adapters report it: {"code", "label", "kind",
 * "options": [string], "message"}. Returns NULL for an unknown code. */
JswBlocker *
jsw_blocker_from_json (JsonObject *object)
{
  const char *code_name = json_object_get_string_member_with_default (object, "code", NULL);
  const char *kind_name = json_object_get_string_member_with_default (object, "kind", NULL);
  JsonArray *options = NULL;
  JswBlocker *blocker;
  guint code, kind;

  if (!name_to_index (code_name, code_names, G_N_ELEMENTS (code_names), &code))
    return NULL;
  blocker = jsw_blocker_new (code, json_object_get_string_member_with_default (object, "label", NULL));
  if (name_to_index (kind_name, kind_names, G_N_ELEMENTS (kind_names), &kind))
    blocker->kind = kind;
  blocker->message = g_strdup (json_object_get_string_member_with_default (object, "message", NULL));
  jsw_json_get_array (object, "options", 0, &options, NULL);
  if (options != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (options); i++)
        {
          JsonNode *node = json_array_get_element (options, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (node));
        }
      blocker->options = g_strv_builder_end (builder);
    }
  if (blocker->kind == JSW_ASK_CHOICE && (blocker->options == NULL || blocker->options[0] == NULL))
    blocker->kind = JSW_ASK_TEXT;
  return blocker;
}

/* Adds @blocker as one JSON object, the shape jsw_blocker_from_json()
 * reads, plus "text": its words (jsw_blocker_describe()). */
void
jsw_blocker_add_json (JswBlocker  *blocker,
                      JsonBuilder *builder)
{
  g_autofree char *text = jsw_blocker_describe (blocker);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code_names[blocker->code]);
  if (blocker->label != NULL)
    {
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, blocker->label);
    }
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_names[blocker->kind]);
  if (blocker->options != NULL)
    {
      json_builder_set_member_name (builder, "options");
      json_builder_begin_array (builder);
      for (guint i = 0; blocker->options[i] != NULL; i++)
        json_builder_add_string_value (builder, blocker->options[i]);
      json_builder_end_array (builder);
    }
  if (blocker->message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, blocker->message);
    }
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

/* @json: a JSON array of blockers, as jsw_blockers_to_json() writes it
 *
 * Returns: (transfer full): JswBlocker*, unknown codes left out; NULL with
 * @error set when @json is no array */
GPtrArray *
jsw_blockers_from_json (const char  *json,
                        GError     **error)
{
  g_autoptr(JsonNode) root = jsw_json_parse (json, -1, error);
  GPtrArray *blockers;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, "Blockers are a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  blockers = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_blocker_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JswBlocker *blocker = JSON_NODE_HOLDS_OBJECT (node) ? jsw_blocker_from_json (json_node_get_object (node)) : NULL;

      if (blocker != NULL)
        g_ptr_array_add (blockers, blocker);
    }
  return blockers;
}

/**
 * jsw_blockers_linkedin_stop:
 * @blockers: (element-type JswBlocker)
 *
 * Returns: (nullable): LinkedIn's stop among @blockers, as the server's
 *   `POST /v1/me/linkedin/stop` names it (`daily_limit`, `throttled`,
 *   `checkpoint`, `restricted`; docs/server.md "LinkedIn"), or NULL
 */
const char *
jsw_blockers_linkedin_stop (GPtrArray *blockers)
{
  for (guint i = 0; blockers != NULL && i < blockers->len; i++)
    switch (((JswBlocker *) g_ptr_array_index (blockers, i))->code)
      {
      case JSW_BLOCKER_LINKEDIN_DAILY_LIMIT: return "daily_limit";
      case JSW_BLOCKER_LINKEDIN_THROTTLED: return "throttled";
      case JSW_BLOCKER_LINKEDIN_CHECKPOINT: return "checkpoint";
      case JSW_BLOCKER_LINKEDIN_RESTRICTED: return "restricted";
      default: break;
      }
  return NULL;
}

/* Returns: (transfer full): @blockers (JswBlocker*) as a JSON array */
char *
jsw_blockers_to_json (GPtrArray *blockers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < blockers->len; i++)
    jsw_blocker_add_json (g_ptr_array_index (blockers, i), builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return jsw_json_node_to_string (root);
}
