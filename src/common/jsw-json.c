/* jsw-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-json.h"

/* The deepest nesting any message of ours needs is a handful of levels. */
#define MAX_DEPTH 32

/* Checks the document's structure before json-glib sees it, for two things
 * json-glib 1.6 does not do: it parses nesting recursively, so a megabyte of
 * "[" would overflow the stack; and it ignores whatever follows the first
 * value, while a body or frame must be one JSON value and nothing else. */
static gboolean
check_structure (const char  *text,
                 gsize        length,
                 GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("The JSON is nested more than %d levels deep"), MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            break;
        }
    }

  for (i++; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      {
        g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("Only one JSON value is allowed"));
        return FALSE;
      }
  return TRUE;
}

JsonObject *
jsw_json_parse_object (const char  *text,
                       gssize       length,
                       JsonNode   **root_out,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length < 0)
    length = text ? (gssize) strlen (text) : 0;

  if (text == NULL || length == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The body is empty; a JSON object was expected"));
      return NULL;
    }

  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The body is not valid UTF-8"));
      return NULL;
    }

  if (!check_structure (text, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The body is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("A JSON object was expected"));
      return NULL;
    }

  *root_out = json_node_ref (root);
  return json_node_get_object (root);
}

static gboolean
check_presence (JsonObject     *object,
                const char     *name,
                JswFieldFlags   flags,
                JsonNode      **node_out,
                GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *node_out = NULL;

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && (flags & JSW_FIELD_NULLABLE)))
    {
      if (node == NULL && (flags & JSW_FIELD_REQUIRED))
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” is required"), name);
          return FALSE;
        }
      return TRUE;
    }

  *node_out = node;
  return TRUE;
}

gboolean
jsw_json_get_string (JsonObject     *object,
                     const char     *name,
                     JswFieldFlags   flags,
                     gsize           max_length,
                     const char    **value,
                     GError        **error)
{
  JsonNode *node;
  const char *str;

  *value = NULL;
  if (!check_presence (object, name, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must be a string"), name);
      return FALSE;
    }

  str = json_node_get_string (node);
  if ((flags & JSW_FIELD_REQUIRED) && *str == '\0')
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must not be empty"), name);
      return FALSE;
    }
  if (max_length > 0 && strlen (str) > max_length)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The field “%s” is longer than %lu bytes"), name, (unsigned long) max_length);
      return FALSE;
    }

  *value = str;
  return TRUE;
}

gboolean
jsw_json_get_int (JsonObject     *object,
                  const char     *name,
                  JswFieldFlags   flags,
                  gint64          min,
                  gint64          max,
                  gint64         *value,
                  GError        **error)
{
  JsonNode *node;
  gint64 v;

  if (!check_presence (object, name, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must be an integer"), name);
      return FALSE;
    }

  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The field “%s” must be between %lld and %lld"),
                   name, (long long) min, (long long) max);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

gboolean
jsw_json_get_boolean (JsonObject     *object,
                      const char     *name,
                      JswFieldFlags   flags,
                      gboolean       *value,
                      GError        **error)
{
  JsonNode *node;

  if (!check_presence (object, name, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must be true or false"), name);
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
jsw_json_get_object (JsonObject     *object,
                     const char     *name,
                     JswFieldFlags   flags,
                     JsonObject    **value,
                     GError        **error)
{
  JsonNode *node;

  *value = NULL;
  if (!check_presence (object, name, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must be an object"), name);
      return FALSE;
    }

  *value = json_node_get_object (node);
  return TRUE;
}

gboolean
jsw_json_get_array (JsonObject     *object,
                    const char     *name,
                    JswFieldFlags   flags,
                    JsonArray     **value,
                    GError        **error)
{
  JsonNode *node;

  *value = NULL;
  if (!check_presence (object, name, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “%s” must be an array"), name);
      return FALSE;
    }

  *value = json_node_get_array (node);
  return TRUE;
}

char *
jsw_json_node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
