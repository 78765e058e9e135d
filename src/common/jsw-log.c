/* jsw-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-log"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "jsw-json.h"
#include "jsw-log.h"
#include "jsw-time.h"

static JswLogLevel min_level = JSW_LOG_INFO;
static const char *level_names[] = { "debug", "info", "warning", "error" };

void
jsw_log_set_level (JswLogLevel level)
{
  min_level = level;
}

gboolean
jsw_log_level_from_string (const char  *str,
                           JswLogLevel *level)
{
  for (guint i = 0; i < G_N_ELEMENTS (level_names); i++)
    if (g_strcmp0 (str, level_names[i]) == 0)
      {
        *level = (JswLogLevel) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
jsw_log_enabled (JswLogLevel level)
{
  return level >= min_level;
}

static void
add_field (JsonBuilder *builder,
           const char  *name,
           char         type,
           va_list     *args)
{
  json_builder_set_member_name (builder, name);
  switch (type)
    {
    case 's':
      {
        const char *value = va_arg (*args, const char *);

        if (value != NULL)
          json_builder_add_string_value (builder, value);
        else
          json_builder_add_null_value (builder);
      }
      break;
    case 'i':
      json_builder_add_int_value (builder, va_arg (*args, int));
      break;
    case 'l':
      json_builder_add_int_value (builder, va_arg (*args, gint64));
      break;
    case 'd':
      json_builder_add_double_value (builder, va_arg (*args, double));
      break;
    case 'b':
      json_builder_add_boolean_value (builder, va_arg (*args, int));
      break;
    default:
      g_assert_not_reached ();
    }
}

void
jsw_log (JswLogLevel  level,
         const char  *cid,
         const char  *event,
         ...)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *ts = NULL;
  g_autofree char *line = NULL;
  const char *name;
  va_list args;

  if (!jsw_log_enabled (level))
    return;

  now = g_date_time_new_now_utc ();
  ts = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ts");
  json_builder_add_string_value (builder, ts);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, level_names[level]);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  if (cid != NULL)
    {
      json_builder_set_member_name (builder, "cid");
      json_builder_add_string_value (builder, cid);
    }

  va_start (args, event);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      char type = (char) va_arg (args, int);

      add_field (builder, name, type, &args);
    }
  va_end (args);

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  line = jsw_json_node_to_string (root);

  /* One write per line, so lines of concurrent processes never interleave. */
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

char *
jsw_log_new_cid (const char *prefix)
{
  static gint counter;

  return g_strdup_printf ("%s-%x-%x", prefix, (guint) getpid (), (guint) g_atomic_int_add (&counter, 1));
}
