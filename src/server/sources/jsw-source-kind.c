/* jsw-source-kind.c: the kinds of job board, and what their modules share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-json-strict.h"
#include "jsw-source-kind.h"

/* Adding a kind: its module, one line here, its fixture. */
static const JswSourceKind *kinds[] = {
  &jsw_source_greenhouse,
  &jsw_source_lever,
  &jsw_source_ashby,
  &jsw_source_personio,
};

const JswSourceKind *
jsw_source_kind_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i]->name, name) == 0)
      return kinds[i];
  return NULL;
}

/**
 * jsw_source_kind_names:
 *
 * Returns: (transfer none): the names of every kind, NULL-terminated
 */
const char * const *
jsw_source_kind_names (void)
{
  static const char *names[G_N_ELEMENTS (kinds) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      names[i] = kinds[i]->name;
  return names;
}

/**
 * jsw_source_valid_board:
 *
 * Returns: whether @board can be a board's token: 1 to 100 of
 *   `A-Za-z0-9-_.`, not starting with '.' (every vendor's tokens are such;
 *   it goes into URLs and ids as it is)
 */
gboolean
jsw_source_valid_board (const char *board)
{
  gsize length = board != NULL ? strlen (board) : 0;

  if (length == 0 || length > 100 || board[0] == '.')
    return FALSE;
  for (const char *p = board; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/**
 * jsw_source_config_base:
 *
 * Returns: (transfer full): the source's base URL, or its kind's with the
 *   board put in, without a trailing '/'
 */
char *
jsw_source_config_base (const JswSourceConfig *config)
{
  const JswSourceKind *kind = jsw_source_kind_lookup (config->kind);
  g_autofree char *base = NULL;
  GString *url;

  if (config->base_url != NULL && *config->base_url != '\0')
    base = g_strdup (config->base_url);
  else
    {
      g_auto(GStrv) parts = g_strsplit (kind ? kind->default_base_url : "", "{board}", -1);
      base = g_strjoinv (config->board, parts);
    }
  url = g_string_new (base);
  while (url->len > 0 && url->str[url->len - 1] == '/')
    g_string_truncate (url, url->len - 1);
  return g_string_free (url, FALSE);
}

/* A copy of @body with every "\u0000" escape inside a string made
 * "\uFFFD" (the replacement character), or NULL when there is none.
 * RFC 8259 allows \u0000, and a board may send it; the strict gate
 * refuses it (right for clients), and a NUL must never reach a C string
 * or SQLite. The two escapes have the same length and are both valid, so
 * the gate's verdict on the copy is its verdict on @body, NUL aside. */
static char *
dup_without_nul_escapes (const char *body,
                         gsize       length)
{
  static const char nul[] = "\\u0000";
  JswJsonScan scan = { FALSE, FALSE };
  char *copy;

  if (g_strstr_len (body, (gssize) length, nul) == NULL)
    return NULL;
  copy = g_memdup2 (body, length);
  for (gsize i = 0; i < length; i++)
    {
      gboolean escape_starts = scan.in_string && !scan.escaped && copy[i] == '\\';

      jsw_json_scan_in_string (&scan, copy[i]);
      if (escape_starts && length - i >= 6 && memcmp (copy + i, nul, 6) == 0)
        {
          memcpy (copy + i + 2, "FFFD", 4);
          scan.escaped = FALSE;
          i += 5;
        }
    }
  return copy;
}

/**
 * jsw_source_parse_json:
 *
 * The strict gate of the wire protocol (jsw_json_parse) on a board's
 * answer: a board is read by the same rule as a client, but for one
 * thing: a "\u0000" in a string (valid JSON, refused from clients) is
 * read as U+FFFD, so that one such posting does not fail its board and
 * no NUL reaches the postings' text.
 *
 * Returns: (transfer full): the document, or NULL and JSW_ERROR_INVALID
 *   with what is wrong and where
 */
JsonNode *
jsw_source_parse_json (const char  *body,
                       gsize        length,
                       GError     **error)
{
  g_autofree char *without_nul = NULL;

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The answer is too large"));
      return NULL;
    }
  without_nul = dup_without_nul_escapes (body, length);
  return jsw_json_parse (without_nul ? without_nul : body, (gssize) length, error);
}

/* A member that is a non-empty string, else NULL: boards leave fields out,
 * set them null or "" alike. */
const char *
jsw_source_member_string (JsonObject *object,
                          const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? value : NULL;
}

gboolean
jsw_source_member_number (JsonObject *object,
                          const char *name,
                          double     *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

/* Whether a member is the boolean true (and nothing else, not 1). */
gboolean
jsw_source_member_true (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* An id the board gives as a number (Greenhouse) or a string (Lever,
 * Ashby), as text; NULL when it is neither or not a usable token. */
char *
jsw_source_member_id (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  g_autofree char *id = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    id = g_strdup (json_node_get_string (node));
  return jsw_source_valid_board (id) ? g_steal_pointer (&id) : NULL;
}

/**
 * jsw_source_read_postings:
 * @items: a list of postings as the board sends it
 * @skipped: (inout): counts the items that are not postings or cannot be
 *   read (unlisted ones are left out without being counted)
 *
 * Returns: (transfer full) (element-type JswPosting): the postings read
 */
GPtrArray *
jsw_source_read_postings (const JswSourceConfig *config,
                          JsonArray             *items,
                          JswReadPostingFunc     read,
                          guint                 *skipped)
{
  GPtrArray *postings = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_posting_free);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      gboolean unlisted = FALSE;
      JswPosting *posting = JSON_NODE_HOLDS_OBJECT (item) ? read (config, json_node_get_object (item), &unlisted)
                                                         : NULL;

      if (posting != NULL)
        g_ptr_array_add (postings, posting);
      else if (!unlisted)
        (*skipped)++;
    }
  return postings;
}

/* The array @member of an object document ({"jobs": [...]}), or NULL. */
JsonArray *
jsw_source_list_member (JsonNode   *root,
                        const char *member)
{
  JsonNode *node = JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), member)
                                                : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
