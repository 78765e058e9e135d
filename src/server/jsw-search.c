/* jsw-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-search"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-posting.h"
#include "jsw-search.h"

static const char *employment_types[] = {
  "full_time", "part_time", "contract", "temporary", "internship",
};

static gboolean
known_employment_type (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (employment_types); i++)
    if (g_str_equal (type, employment_types[i]))
      return TRUE;
  return FALSE;
}

/* Whether @text shows nothing: only spaces, control characters and
 * characters without width of their own (a zero-width space U+200B, a
 * joiner, a byte order mark, a combining mark with nothing to combine
 * with: g_unichar_iszerowidth()). Such a keyword holds no word for the
 * full text to match, and a person could not see what they saved. */
static gboolean
blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && !g_unichar_iszerowidth (c) && !g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

/* A member that is an array of strings (missing or null: none). A
 * search kept by an earlier version is read as it was kept (@strict
 * false): it passed the rule of its day. */
static gboolean
read_strings (JsonObject  *object,
              const char  *name,
              gboolean     strict,
              char      ***strings,
              GError     **error)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!jsw_json_get_array (object, name, JSW_FIELD_NULLABLE, &array, error))
    return FALSE;
  if (array != NULL && json_array_get_length (array) > JSW_SEARCH_MAX_STRINGS)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” may hold at most %d strings"),
                   name, JSW_SEARCH_MAX_STRINGS);
      return FALSE;
    }
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” must hold only strings"), name);
          return FALSE;
        }
      text = json_node_get_string (item);
      if ((strict && blank (text)) || g_utf8_strlen (text, -1) > JSW_SEARCH_MAX_STRING)
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                       _("Each string of “%s” must be 1 to %d characters and not blank"),
                       name, JSW_SEARCH_MAX_STRING);
          return FALSE;
        }
      g_strv_builder_add (builder, text);
    }
  *strings = g_strv_builder_end (builder);
  return TRUE;
}

static JswSearch *
search_from_object (JsonObject  *object,
                    gboolean     strict,
                    GError     **error)
{
  g_autoptr(JswSearch) search = g_new0 (JswSearch, 1);

  if (!read_strings (object, "keywords", strict, &search->keywords, error) ||
      !read_strings (object, "exclude_keywords", strict, &search->exclude_keywords, error) ||
      !read_strings (object, "locations", strict, &search->locations, error) ||
      !read_strings (object, "employment_types", strict, &search->employment_types, error) ||
      !read_strings (object, "exclude_companies", strict, &search->exclude_companies, error) ||
      !jsw_json_get_boolean (object, "remote_only", JSW_FIELD_NULLABLE, &search->remote_only, error))
    return NULL;

  for (guint i = 0; search->employment_types[i] != NULL; i++)
    if (!known_employment_type (search->employment_types[i]))
      {
        g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                     _("Unknown employment type “%s”: use full_time, part_time, contract, temporary or internship"),
                     search->employment_types[i]);
        return NULL;
      }
  return g_steal_pointer (&search);
}

/**
 * jsw_search_from_object:
 * @object: a SEARCH as a client sent it: every member optional (missing:
 *   [] or false), unknown members ignored
 * @error: JSW_ERROR_INVALID: a wrong type, an unknown employment type, a
 *   blank (blank()) or too long string, too many strings
 *
 * Returns: (transfer full): the search; its updated_at is 0
 */
JswSearch *
jsw_search_from_object (JsonObject  *object,
                        GError     **error)
{
  return search_from_object (object, TRUE, error);
}

/* A SEARCH as a store kept it: as jsw_search_from_object(), but a string
 * that an earlier version let through as not blank is read as it is. */
JswSearch *
jsw_search_from_stored (JsonObject  *object,
                        GError     **error)
{
  return search_from_object (object, FALSE, error);
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             char       **strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
}

/* Returns: (transfer full): the SEARCH, every member present */
JsonNode *
jsw_search_to_node (const JswSearch *search)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_strings (builder, "keywords", search->keywords);
  add_strings (builder, "exclude_keywords", search->exclude_keywords);
  add_strings (builder, "locations", search->locations);
  json_builder_set_member_name (builder, "remote_only");
  json_builder_add_boolean_value (builder, search->remote_only);
  add_strings (builder, "employment_types", search->employment_types);
  add_strings (builder, "exclude_companies", search->exclude_companies);
  json_builder_set_member_name (builder, "updated_at");
  if (search->updated_at > 0)
    {
      g_autofree char *when = jsw_time_format (search->updated_at);

      json_builder_add_string_value (builder, when);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
jsw_search_has_keywords (const JswSearch *search)
{
  return search->keywords[0] != NULL;
}

/**
 * jsw_search_types_list:
 *
 * Returns: (transfer full) (nullable): the employment types as the stores
 *   filter on them, ",full_time,contract,"; NULL for any
 */
char *
jsw_search_types_list (const JswSearch *search)
{
  g_autofree char *joined = NULL;

  if (search->employment_types[0] == NULL)
    return NULL;
  joined = g_strjoinv (",", search->employment_types);
  return g_strconcat (",", joined, ",", NULL);
}

/**
 * jsw_search_keys_list:
 * @texts: companies or locations of a search
 * @closed: a separator before the first and after the last too
 *
 * Returns: (transfer full) (nullable): @texts normalised as postings'
 *   keys are (jsw_posting_normalise_key()) and separated by U+001F,
 *   "\x1fkey one\x1fkey two\x1f" when @closed (a company is looked for
 *   whole); NULL when there are none
 */
char *
jsw_search_keys_list (char     **texts,
                      gboolean   closed)
{
  GString *list;

  if (texts[0] == NULL)
    return NULL;
  list = g_string_new (closed ? "\x1f" : "");
  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *key = jsw_posting_normalise_key (texts[i]);

      if (i > 0 && !closed)
        g_string_append_c (list, '\x1f');
      g_string_append (list, key);
      if (closed)
        g_string_append_c (list, '\x1f');
    }
  return g_string_free (list, FALSE);
}
