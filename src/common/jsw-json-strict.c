/* jsw-json-strict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <jansson.h>

#include "jsw-error.h"
#include "jsw-json-strict.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* Counts nesting in the text itself, without recursion. This is sound only
 * for strict JSON, where the one kind of string is double-quoted and there
 * are no comments: a bracket inside a single-quoted string or a comment
 * would be counted, and a '"' inside one would hide what follows (the crash
 * of issue 8). So it runs after jansson has accepted the text. */
static gboolean
depth_within (const char *text,
              gsize       length,
              guint       max_depth)
{
  JswJsonScan scan = { FALSE, FALSE };
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (jsw_json_scan_in_string (&scan, c))
        continue;
      if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

/**
 * jsw_json_scan_in_string:
 * @scan: the state so far, zeroed before the first byte
 * @c: the next byte of a strict JSON text
 *
 * For scanners of JSON text that must tell strings from the rest: sound
 * only for strict JSON, where a string is double-quoted and nothing else
 * (a comment) can hold a quote.
 *
 * Returns: whether @c belongs to a string, its quotes included
 */
gboolean
jsw_json_scan_in_string (JswJsonScan *scan,
                         char         c)
{
  if (scan->in_string)
    {
      if (scan->escaped)
        scan->escaped = FALSE;
      else if (c == '\\')
        scan->escaped = TRUE;
      else if (c == '"')
        scan->in_string = FALSE;
      return TRUE;
    }
  scan->in_string = c == '"';
  return scan->in_string;
}

/**
 * jsw_json_check_strict:
 * @text: the JSON text
 * @length: its length in bytes
 * @max_depth: the deepest nesting of objects and arrays allowed (1 is a
 *   flat object)
 * @error: a #JSW_ERROR_INVALID error saying what is wrong and at which byte
 *
 * Checks that @text is one strict RFC 8259 JSON value, which json-glib 1.6
 * does not: it takes comments, single-quoted strings, duplicate keys (the
 * last wins), "\u0000" inside strings and integers beyond 64 bits (changed
 * silently), and it parses nesting recursively without a limit. jansson
 * refuses all of these (JSON_REJECT_DUPLICATES; NUL unless JSON_ALLOW_NUL,
 * which is not passed; "too big integer"), refuses invalid UTF-8 and
 * anything after the value, and stops at 2048 levels before recursing
 * further. Once a text passes, json-glib parses only what it parses
 * correctly, at most @max_depth levels deep.
 *
 * Only json_loadb() and json_decref() of jansson are used: json-glib exports
 * a function named json_object_iter_next too, and in a process that loads
 * both, jansson's json_object_foreach() would call json-glib's.
 *
 * Returns: whether @text may be given to json-glib
 */
gboolean
jsw_json_check_strict (const char  *text,
                       gsize        length,
                       guint        max_depth,
                       GError     **error)
{
  g_autoptr(json_t) value = NULL;
  json_error_t parse_error;

  value = json_loadb (text, length, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &parse_error);
  if (value == NULL)
    {
      g_autofree char *reason = NULL;

      /* jansson's own text for this one names its flag
       * ("\u0000 is not allowed without JSON_ALLOW_NUL"), which means
       * nothing to a client. */
      if (json_error_code (&parse_error) == json_error_null_character)
        reason = g_strdup (_("a string holds \\u0000 (a NUL character), which is not allowed"));
      else
        reason = g_utf8_make_valid (parse_error.text, -1);
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("This is not valid JSON (RFC 8259) at byte %d: %s"),
                   parse_error.position, reason);
      return FALSE;
    }

  if (!depth_within (text, length, max_depth))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The JSON is nested more than %u levels deep"), max_depth);
      return FALSE;
    }
  return TRUE;
}
