/* jsw-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-json-strict.h"

/* The deepest nesting any message of ours needs is a handful of levels. */
#define MAX_DEPTH 32

/**
 * jsw_json_parse:
 * @text: the JSON text, UTF-8
 * @length: its length in bytes, or -1 if it ends with a NUL
 * @error: a #JSW_ERROR_INVALID error when the text is not one strict
 *   RFC 8259 JSON value nested at most 32 levels deep
 *
 * Parses untrusted JSON strictly: no comments, no single-quoted strings, no
 * duplicate keys, no "\u0000" in strings, no integer outside the int64
 * range, no nesting beyond 32 levels, nothing after the value (see
 * jsw_json_check_strict(), which every text passes first). Every decoder of
 * JobSwipe, and every reader of stored JSON, goes through here.
 *
 * Returns: (transfer full): a new node (not sealed), or %NULL
 */
JsonNode *
jsw_json_parse (const char  *text,
                gssize       length,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (length < 0)
    length = text ? (gssize) strlen (text) : 0;

  if (text == NULL || length == 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The body is empty; a JSON object was expected"));
      return NULL;
    }

  if (!jsw_json_check_strict (text, length, MAX_DEPTH, error))
    return NULL;

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("This is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

JsonObject *
jsw_json_parse_object (const char  *text,
                       gssize       length,
                       JsonNode   **root_out,
                       GError     **error)
{
  g_autoptr(JsonNode) root = jsw_json_parse (text, length, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("A JSON object was expected"));
      return NULL;
    }

  /* Sealed: decoded messages are shared, never changed. */
  json_node_seal (root);
  *root_out = g_steal_pointer (&root);
  return json_node_get_object (*root_out);
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

/* Makes json-glib 1.6's output strict RFC 8259 JSON, as jsw_json_parse()
 * expects it back; the fuzzer of tests/fuzz found both faults:
 *
 * - A control character in a string other than \b \f \n \r \t is
 *   written raw (U+001F comes out as the byte 0x1f), where RFC 8259 §7
 *   wants it escaped: it becomes \u00XX.
 * - A double whose shortest form has an exponent and no point gets ".0"
 *   after the exponent: 3e52 comes out as "3e+52.0". Outside strings the
 *   generator writes only numbers, literals and punctuation, so dropping
 *   the point and the digits that follow an exponent's digits is exact. */
static char *
make_strict (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);
  JswJsonScan scan = { FALSE, FALSE };
  gboolean after_digit = FALSE;
  gboolean in_exponent = FALSE;
  gboolean dropping = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (jsw_json_scan_in_string (&scan, c))
        {
          after_digit = in_exponent = dropping = FALSE;
          if ((guchar) c < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) c);
          else
            g_string_append_c (out, c);
          continue;
        }

      if (dropping && g_ascii_isdigit (c))
        continue;
      dropping = FALSE;

      if (in_exponent && c == '.')
        {
          dropping = TRUE;
          continue;
        }

      in_exponent = (in_exponent && (g_ascii_isdigit (c) || c == '+' || c == '-')) ||
                    (after_digit && (c == 'e' || c == 'E'));
      after_digit = g_ascii_isdigit (c);
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
generate_strict (JsonNode *node,
                 gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return make_strict (text);
}

char *
jsw_json_node_to_string (JsonNode *node)
{
  return generate_strict (node, FALSE);
}

/**
 * jsw_json_node_to_pretty_string:
 * @node: the JSON value
 *
 * Like jsw_json_node_to_string(), indented for a person to read (files a
 * person may open, such as the profile).
 *
 * Returns: (transfer full): strict RFC 8259 JSON text, with newlines
 */
char *
jsw_json_node_to_pretty_string (JsonNode *node)
{
  return generate_strict (node, TRUE);
}
