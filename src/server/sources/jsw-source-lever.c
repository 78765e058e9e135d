/* jsw-source-lever.c: Lever's Postings API
 *
 * GET /v0/postings/{company}?mode=json
 *   [{"id": "5e6f...", "text": title, "categories": {"commitment",
 *     "department", "location", "team", "allLocations": [...]},
 *     "workplaceType": "remote"|"hybrid"|"onsite"|"unspecified",
 *     "createdAt": ms, "description": html, "lists": [{"text", "content":
 *     "<li>...</li>"}], "additional": html, "hostedUrl", "applyUrl",
 *     "salaryRange": {"currency", "interval", "min", "max"},
 *     "salaryDescription"}]
 * (github.com/lever/postings-api)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-html-text.h"
#include "jsw-source-kind.h"

static char *
lever_list_url (const JswSourceConfig *config)
{
  g_autofree char *base = jsw_source_config_base (config);

  return g_strdup_printf ("%s/v0/postings/%s?mode=json", base, config->board);
}

/* The description, then each list under its heading, then "additional":
 * the order the posting's page shows them in. */
static char *
description_html (JsonObject *posting)
{
  GString *html = g_string_new (jsw_source_member_string (posting, "description"));
  JsonNode *node = json_object_get_member (posting, "lists");
  JsonArray *lists = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  const char *additional = jsw_source_member_string (posting, "additional");

  for (guint i = 0; lists != NULL && i < json_array_get_length (lists); i++)
    {
      JsonNode *item = json_array_get_element (lists, i);
      JsonObject *list = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *heading = jsw_source_member_string (list, "text");
      const char *content = jsw_source_member_string (list, "content");

      if (heading != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (heading, -1);

          g_string_append_printf (html, "<h3>%s</h3>", escaped);
        }
      if (content != NULL)
        g_string_append_printf (html, "<ul>%s</ul>", content);
    }
  if (additional != NULL)
    g_string_append (html, additional);
  return g_string_free (html, FALSE);
}

static void
read_salary (JswPosting *posting,
             JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "salaryRange");
  JsonObject *range = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *words = jsw_source_member_string (object, "salaryDescriptionPlain");

  if (range != NULL)
    {
      posting->has_salary_min = jsw_source_member_number (range, "min", &posting->salary_min);
      posting->has_salary_max = jsw_source_member_number (range, "max", &posting->salary_max);
      posting->salary_currency = g_strdup (jsw_source_member_string (range, "currency"));
      jsw_posting_set_salary_interval (posting, jsw_source_member_string (range, "interval"));
    }
  if (words != NULL)
    posting->salary_text = g_strstrip (g_strdup (words));
}

static JswPosting *
read_posting (const JswSourceConfig *config,
              JsonObject            *object,
              gboolean              *unlisted)
{
  g_autofree char *id = jsw_source_member_id (object, "id");
  g_autoptr(JswPosting) posting = NULL;
  g_autofree char *html = NULL;
  JsonNode *node = json_object_get_member (object, "categories");
  JsonObject *categories = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *hosted = jsw_source_member_string (object, "hostedUrl");
  const char *apply = jsw_source_member_string (object, "applyUrl");
  JsonNode *all = categories ? json_object_get_member (categories, "allLocations") : NULL;
  double created_ms;

  if (id == NULL || jsw_source_member_string (object, "text") == NULL || (hosted == NULL && apply == NULL))
    return NULL;

  posting = jsw_posting_new ("lever", config->board, id);
  posting->title = g_strdup (jsw_source_member_string (object, "text"));
  posting->company = g_strdup (config->company ? config->company : config->board);
  posting->source_url = g_strdup (hosted ? hosted : apply);
  posting->apply_url = apply ? g_strdup (apply) : g_strconcat (hosted, "/apply", NULL);

  jsw_posting_add_location (posting, jsw_source_member_string (categories, "location"));
  for (guint i = 0; all && JSON_NODE_HOLDS_ARRAY (all) && i < json_array_get_length (json_node_get_array (all)); i++)
    {
      JsonNode *place = json_array_get_element (json_node_get_array (all), i);

      if (JSON_NODE_HOLDS_VALUE (place) && json_node_get_value_type (place) == G_TYPE_STRING)
        jsw_posting_add_location (posting, json_node_get_string (place));
    }
  if (g_strcmp0 (jsw_source_member_string (object, "workplaceType"), "remote") == 0)
    posting->remote = TRUE;

  posting->department = g_strdup (jsw_source_member_string (categories, "department"));
  jsw_posting_set_employment_type (posting, jsw_source_member_string (categories, "commitment"));
  if (jsw_source_member_number (object, "createdAt", &created_ms) && created_ms > 0)
    posting->posted_at = (gint64) created_ms * 1000;
  read_salary (posting, object);

  html = description_html (object);
  jsw_posting_set_description_html (posting, html);
  return g_steal_pointer (&posting);
}

static GPtrArray *
lever_parse_list (const JswSourceConfig  *config,
                  const char             *body,
                  gsize                   length,
                  guint                  *skipped,
                  GError                **error)
{
  g_autoptr(JsonNode) root = jsw_source_parse_json (body, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A Lever board answers an array of postings"));
      return NULL;
    }
  return jsw_source_read_postings (config, json_node_get_array (root), read_posting, skipped);
}

const JswSourceKind jsw_source_lever = {
  .name = "lever",
  .default_base_url = "https://api.lever.co",
  .list_url = lever_list_url,
  .parse_list = lever_parse_list,
};
