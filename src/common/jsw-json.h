/* jsw-json.h: strict, typed access to JSON members
 *
 * PROTOCOL.md: "unknown fields are ignored; missing required fields or wrong
 * types are rejected". Every decoder goes through these helpers so that the
 * rule and the wording of its errors are the same everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  JSW_FIELD_REQUIRED = 1 << 0,
  JSW_FIELD_NULLABLE = 1 << 1,
} JswFieldFlags;

JsonNode   *jsw_json_parse           (const char    *text,
                                      gssize         length,
                                      GError       **error);
JsonObject *jsw_json_parse_object    (const char    *text,
                                      gssize         length,
                                      JsonNode     **root_out,
                                      GError       **error);
gboolean    jsw_json_get_string      (JsonObject    *object,
                                      const char    *name,
                                      JswFieldFlags  flags,
                                      gsize          max_length,
                                      const char   **value,
                                      GError       **error);
gboolean    jsw_json_get_int         (JsonObject    *object,
                                      const char    *name,
                                      JswFieldFlags  flags,
                                      gint64         min,
                                      gint64         max,
                                      gint64        *value,
                                      GError       **error);
gboolean    jsw_json_get_boolean     (JsonObject    *object,
                                      const char    *name,
                                      JswFieldFlags  flags,
                                      gboolean      *value,
                                      GError       **error);
gboolean    jsw_json_get_object      (JsonObject    *object,
                                      const char    *name,
                                      JswFieldFlags  flags,
                                      JsonObject   **value,
                                      GError       **error);
gboolean    jsw_json_get_array       (JsonObject    *object,
                                      const char    *name,
                                      JswFieldFlags  flags,
                                      JsonArray    **value,
                                      GError       **error);
char       *jsw_json_node_to_string  (JsonNode      *node);
char       *jsw_json_node_to_pretty_string (JsonNode *node);

G_END_DECLS
