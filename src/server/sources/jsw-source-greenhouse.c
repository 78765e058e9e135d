/* jsw-source-greenhouse.c: Greenhouse's Job Board API
 *
 * GET /v1/boards/{board}/jobs?content=true
 *   {"jobs": [{"id": 4012345, "title", "updated_at", "first_published",
 *              "company_name", "location": {"name"}, "absolute_url",
 *              "content": "&lt;p&gt;...", "departments": [{"name"}],
 *              "offices": [{"name", "location"}], "metadata": [...]}],
 *    "meta": {"total"}}
 * GET /v1/boards/{board}/jobs/{id}?questions=true&pay_transparency=true
 *   the same posting, plus "questions", "location_questions",
 *   "compliance" (the EEO sets), "demographic_questions",
 *   "data_compliance" (GDPR consent) and "pay_input_ranges".
 * (developers.greenhouse.io/job-board.html)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-html-text.h"
#include "jsw-source-kind.h"

static char *
greenhouse_list_url (const JswSourceConfig *config)
{
  g_autofree char *base = jsw_source_config_base (config);

  return g_strdup_printf ("%s/v1/boards/%s/jobs?content=true", base, config->board);
}

static char *
greenhouse_detail_url (const JswSourceConfig *config,
                       const JswPosting      *posting)
{
  g_autofree char *base = jsw_source_config_base (config);

  return g_strdup_printf ("%s/v1/boards/%s/jobs/%s?questions=true&pay_transparency=true",
                          base, config->board, posting->external_id);
}

/* Greenhouse sends `content` with its markup escaped once more
 * ("&lt;p&gt;"); a board edited through the API may send it plain. */
static void
set_content (JswPosting *posting,
             const char *content)
{
  if (content == NULL)
    return;
  if (strchr (content, '<') == NULL && strstr (content, "&lt;") != NULL)
    {
      g_autofree char *html = jsw_html_unescape (content);

      jsw_posting_set_description_html (posting, html);
    }
  else
    jsw_posting_set_description_html (posting, content);
}

/* "Berlin, Germany; Remote (EU)" or "London | New York": one board field
 * for several places. */
static void
add_locations (JswPosting *posting,
               const char *names)
{
  g_auto(GStrv) parts = NULL;

  if (names == NULL)
    return;
  parts = g_strsplit_set (names, ";|", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    jsw_posting_add_location (posting, parts[i]);
}

/* A custom field the board chose to publish, by its name ("Employment
 * Type"), when its value is text. */
static const char *
metadata_value (JsonObject *job,
                const char *name)
{
  JsonNode *node = json_object_get_member (job, "metadata");
  JsonArray *metadata;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  metadata = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (metadata); i++)
    {
      JsonNode *item = json_array_get_element (metadata, i);
      JsonObject *field = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *field_name = jsw_source_member_string (field, "name");

      if (field_name != NULL && g_ascii_strcasecmp (field_name, name) == 0)
        return jsw_source_member_string (field, "value");
    }
  return NULL;
}

static const char *
first_name_in (JsonObject *job,
               const char *member)
{
  JsonNode *node = json_object_get_member (job, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (item)
        ? jsw_source_member_string (json_node_get_object (item), "name") : NULL;

      if (name != NULL)
        return name;
    }
  return NULL;
}

static JswPosting *
read_job (const JswSourceConfig *config,
          JsonObject            *job,
          gboolean              *unlisted)
{
  g_autofree char *id = jsw_source_member_id (job, "id");
  g_autoptr(JswPosting) posting = NULL;
  JsonObject *location;
  const char *company;

  if (id == NULL || jsw_source_member_string (job, "title") == NULL ||
      jsw_source_member_string (job, "absolute_url") == NULL)
    return NULL;

  posting = jsw_posting_new ("greenhouse", config->board, id);
  posting->title = g_strdup (jsw_source_member_string (job, "title"));
  company = config->company ? config->company : jsw_source_member_string (job, "company_name");
  posting->company = g_strdup (company ? company : config->board);
  posting->apply_url = g_strdup (jsw_source_member_string (job, "absolute_url"));
  posting->source_url = g_strdup (posting->apply_url);
  posting->version = g_strdup (jsw_source_member_string (job, "updated_at"));
  if (!jsw_posting_set_posted_at (posting, jsw_source_member_string (job, "first_published")))
    jsw_posting_set_posted_at (posting, jsw_source_member_string (job, "updated_at"));

  location = json_object_get_member (job, "location") &&
             JSON_NODE_HOLDS_OBJECT (json_object_get_member (job, "location"))
    ? json_object_get_object_member (job, "location") : NULL;
  add_locations (posting, jsw_source_member_string (location, "name"));
  if (posting->locations->len == 0)
    add_locations (posting, first_name_in (job, "offices"));

  posting->department = g_strdup (first_name_in (job, "departments"));
  jsw_posting_set_employment_type (posting, metadata_value (job, "Employment Type"));
  set_content (posting, jsw_source_member_string (job, "content"));
  return g_steal_pointer (&posting);
}

static GPtrArray *
greenhouse_parse_list (const JswSourceConfig  *config,
                       const char             *body,
                       gsize                   length,
                       guint                  *skipped,
                       GError                **error)
{
  g_autoptr(JsonNode) root = jsw_source_parse_json (body, length, error);
  JsonArray *jobs;

  if (root == NULL)
    return NULL;
  jobs = jsw_source_list_member (root, "jobs");
  if (jobs == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A Greenhouse board answers an object with a “jobs” array"));
      return NULL;
    }
  return jsw_source_read_postings (config, jobs, read_job, skipped);
}

/* Greenhouse's field types, as QUESTION's (docs/server.md "The job feed"). */
static const char *
field_type (const char *greenhouse_type)
{
  static const struct { const char *greenhouse; const char *ours; } types[] = {
    { "input_text", "text" }, { "textarea", "textarea" }, { "input_file", "file" },
    { "multi_value_single_select", "single_select" }, { "multi_value_multi_select", "multi_select" },
    { "input_hidden", "hidden" }, { "boolean", "boolean" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (greenhouse_type, types[i].greenhouse) == 0)
      return types[i].ours;
  return "text";
}

/* An option's value, as text whether the board gives a number or not. */
static char *
option_value (JsonObject *option,
              const char *member)
{
  double number;

  if (jsw_source_member_string (option, member) != NULL)
    return g_strdup (jsw_source_member_string (option, member));
  if (jsw_source_member_number (option, member, &number))
    return g_strdup_printf ("%.15g", number);
  return NULL;
}

static void
add_options (JsonBuilder *builder,
             JsonObject  *owner,
             const char  *options_member,
             const char  *value_member)
{
  JsonNode *node = json_object_get_member (owner, options_member);
  JsonArray *options = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      JsonNode *item = json_array_get_element (options, i);
      JsonObject *option = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *label = jsw_source_member_string (option, "label");
      g_autofree char *value = option ? option_value (option, value_member) : NULL;

      if (label == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, label);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value ? value : label);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
begin_question (JsonBuilder *builder,
                const char  *set,
                const char  *label,
                gboolean     required,
                const char  *description_html)
{
  /* Boards put markup in labels too ("<b>Why</b> us?"). */
  g_autofree char *label_text = jsw_html_to_text (label, -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "set");
  json_builder_add_string_value (builder, set);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, label_text);
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, required);
  json_builder_set_member_name (builder, "description");
  if (description_html != NULL)
    {
      g_autofree char *text = jsw_html_to_text (description_html, -1);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
}

static void
end_question (JsonBuilder *builder)
{
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* {"required", "label", "description", "fields": [{"name", "type",
 * "values": [{"label", "value"}]}]}: the form's questions, its location
 * questions and the EEO sets all look so. */
static void
add_question_list (JsonBuilder *builder,
                   JsonObject  *owner,
                   const char  *member,
                   const char  *set)
{
  JsonNode *node = owner ? json_object_get_member (owner, member) : NULL;
  JsonArray *questions = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *item = json_array_get_element (questions, i);
      JsonObject *question = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *label = jsw_source_member_string (question, "label");
      JsonNode *fields_node = question ? json_object_get_member (question, "fields") : NULL;
      JsonArray *fields = fields_node && JSON_NODE_HOLDS_ARRAY (fields_node) ? json_node_get_array (fields_node) : NULL;
      gboolean required = jsw_source_member_true (question, "required");

      if (label == NULL || fields == NULL)
        continue;
      begin_question (builder, set, label, required, jsw_source_member_string (question, "description"));
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonNode *field_node = json_array_get_element (fields, f);
          JsonObject *field = JSON_NODE_HOLDS_OBJECT (field_node) ? json_node_get_object (field_node) : NULL;
          const char *name = jsw_source_member_string (field, "name");

          if (name == NULL)
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, field_type (jsw_source_member_string (field, "type")));
          add_options (builder, field, "values", "value");
          json_builder_end_object (builder);
        }
      end_question (builder);
    }
}

/* "compliance": [{"type": "eeoc", "description", "questions": [...]}] */
static void
add_compliance (JsonBuilder *builder,
                JsonObject  *job)
{
  JsonNode *node = json_object_get_member (job, "compliance");
  JsonArray *sets = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; sets != NULL && i < json_array_get_length (sets); i++)
    {
      JsonNode *item = json_array_get_element (sets, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        add_question_list (builder, json_node_get_object (item), "questions", "eeo");
    }
}

/* "demographic_questions": {"questions": [{"id", "label", "required",
 * "type", "answer_options": [{"id", "label"}]}]} */
static void
add_demographic (JsonBuilder *builder,
                 JsonObject  *job)
{
  JsonNode *node = json_object_get_member (job, "demographic_questions");
  JsonNode *list = node && JSON_NODE_HOLDS_OBJECT (node)
    ? json_object_get_member (json_node_get_object (node), "questions") : NULL;
  JsonArray *questions = list && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;

  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *item = json_array_get_element (questions, i);
      JsonObject *question = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *label = jsw_source_member_string (question, "label");
      g_autofree char *id = question ? option_value (question, "id") : NULL;
      g_autofree char *name = NULL;

      if (label == NULL || id == NULL)
        continue;
      name = g_strdup_printf ("demographic_question_%s", id);
      begin_question (builder, "demographic", label,
                      jsw_source_member_true (question, "required"), NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, field_type (jsw_source_member_string (question, "type")));
      add_options (builder, question, "answer_options", "id");
      json_builder_end_object (builder);
      end_question (builder);
    }
}

static void
add_consent (JsonBuilder *builder,
             const char  *label,
             const char  *name)
{
  begin_question (builder, "gdpr", label, TRUE, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "boolean");
  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  end_question (builder);
}

/* "data_compliance": [{"type": "gdpr", "requires_consent",
 * "requires_processing_consent", "requires_retention_consent",
 * "retention_period", "demographic_data_consent_applies"}]: flags, not
 * questions; each flag set is a consent the form asks for, named as
 * Greenhouse's application API names it. */
static void
add_data_compliance (JsonBuilder *builder,
                     JsonObject  *job)
{
  JsonNode *node = json_object_get_member (job, "data_compliance");
  JsonArray *policies = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; policies != NULL && i < json_array_get_length (policies); i++)
    {
      JsonNode *item = json_array_get_element (policies, i);
      JsonObject *policy = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

      if (g_strcmp0 (jsw_source_member_string (policy, "type"), "gdpr") != 0)
        continue;
      if (jsw_source_member_true (policy, "requires_consent"))
        add_consent (builder, _("Consent to the processing of my data for this application"),
                     "gdpr_consent_given");
      if (jsw_source_member_true (policy, "requires_processing_consent"))
        add_consent (builder, _("Consent to the processing of my data for this application"),
                     "gdpr_processing_consent_given");
      if (jsw_source_member_true (policy, "requires_retention_consent"))
        add_consent (builder, _("Consent to keeping my data for future openings (retention)"),
                     "gdpr_retention_consent_given");
    }
}

/* "pay_input_ranges": [{"min_cents", "max_cents", "currency_type",
 * "title", "blurb"}]: the first range (a board lists one per zone). */
static void
read_pay_range (JswPosting *posting,
                JsonObject *job)
{
  JsonNode *node = json_object_get_member (job, "pay_input_ranges");
  JsonArray *ranges = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  JsonNode *first = ranges && json_array_get_length (ranges) > 0 ? json_array_get_element (ranges, 0) : NULL;
  JsonObject *range = first && JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
  double cents;

  if (range == NULL)
    return;
  if ((posting->has_salary_min = jsw_source_member_number (range, "min_cents", &cents)))
    posting->salary_min = cents / 100;
  if ((posting->has_salary_max = jsw_source_member_number (range, "max_cents", &cents)))
    posting->salary_max = cents / 100;
  g_free (posting->salary_currency);
  posting->salary_currency = g_strdup (jsw_source_member_string (range, "currency_type"));
  /* Greenhouse has no field for the period; a range's title may name
   * one ("Annual salary"). Without it the period is unknown: interval
   * null (docs/server.md), never guessed. */
  g_free (posting->salary_interval);
  posting->salary_interval = NULL;
  jsw_posting_set_salary_interval (posting, jsw_source_member_string (range, "title"));
}

static gboolean
greenhouse_parse_detail (const JswSourceConfig  *config,
                         JswPosting             *posting,
                         const char             *body,
                         gsize                   length,
                         GError                **error)
{
  g_autoptr(JsonNode) root = jsw_source_parse_json (body, length, error);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  JsonNode *questions;
  JsonObject *job;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A Greenhouse posting is an object"));
      return FALSE;
    }
  job = json_node_get_object (root);
  /* Asked for with questions=true, a posting always has its "questions"
   * (empty for a form that asks nothing more). Without them this is not
   * the posting's details (an error page answered 200, say): questions
   * unknown, not none. */
  questions = json_object_get_member (job, "questions");
  if (questions == NULL || !JSON_NODE_HOLDS_ARRAY (questions))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A Greenhouse posting’s details hold a “questions” array"));
      return FALSE;
    }

  json_builder_begin_array (builder);
  add_question_list (builder, job, "questions", "form");
  add_question_list (builder, job, "location_questions", "form");
  add_compliance (builder, job);
  add_demographic (builder, job);
  add_data_compliance (builder, job);
  json_builder_end_array (builder);
  g_clear_pointer (&posting->questions, json_node_unref);
  posting->questions = json_builder_get_root (builder);

  read_pay_range (posting, job);
  return TRUE;
}

const JswSourceKind jsw_source_greenhouse = {
  .name = "greenhouse",
  .default_base_url = "https://boards-api.greenhouse.io",
  .list_url = greenhouse_list_url,
  .parse_list = greenhouse_parse_list,
  .detail_url = greenhouse_detail_url,
  .parse_detail = greenhouse_parse_detail,
};
