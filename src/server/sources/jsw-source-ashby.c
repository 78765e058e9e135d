/* jsw-source-ashby.c: Ashby's public job posting API
 *
 * GET /posting-api/job-board/{board}?includeCompensation=true
 *   {"apiVersion": "1", "jobs": [{"id", "title", "location",
 *    "secondaryLocations": [{"location", "address"}], "department", "team",
 *    "isListed", "isRemote", "workplaceType": "Remote"|"Hybrid"|"OnSite",
 *    "descriptionHtml", "descriptionPlain", "publishedAt",
 *    "employmentType": "FullTime"|"PartTime"|"Intern"|"Contract"|"Temporary",
 *    "address": {"postalAddress": {...}}, "jobUrl", "applyUrl",
 *    "compensation": {"compensationTierSummary", "summaryComponents":
 *      [{"compensationType": "Salary", "interval": "1 YEAR",
 *        "currencyCode", "minValue", "maxValue"}]}}]}
 * (developers.ashbyhq.com, "Public Job Posting API")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-source-kind.h"

static char *
ashby_list_url (const JswSourceConfig *config)
{
  g_autofree char *base = jsw_source_config_base (config);

  return g_strdup_printf ("%s/posting-api/job-board/%s?includeCompensation=true", base, config->board);
}

/* The salary component of the compensation, if the board shows one. */
static void
read_compensation (JswPosting *posting,
                   JsonObject *job)
{
  JsonNode *node = json_object_get_member (job, "compensation");
  JsonObject *compensation = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *list = compensation ? json_object_get_member (compensation, "summaryComponents") : NULL;
  JsonArray *components = list && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonNode *item = json_array_get_element (components, i);
      JsonObject *component = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

      if (g_strcmp0 (jsw_source_member_string (component, "compensationType"), "Salary") != 0)
        continue;
      posting->has_salary_min = jsw_source_member_number (component, "minValue", &posting->salary_min);
      posting->has_salary_max = jsw_source_member_number (component, "maxValue", &posting->salary_max);
      posting->salary_currency = g_strdup (jsw_source_member_string (component, "currencyCode"));
      jsw_posting_set_salary_interval (posting, jsw_source_member_string (component, "interval"));
      return;
    }
  if (compensation != NULL && jsw_source_member_string (compensation, "compensationTierSummary") != NULL)
    posting->salary_text = g_strdup (jsw_source_member_string (compensation, "compensationTierSummary"));
}

/* Ashby's jobUrl ends in the posting's id: .../acme/0f1d2c3b-... */
static char *
id_of (JsonObject *job)
{
  g_autofree char *id = jsw_source_member_id (job, "id");
  const char *url = jsw_source_member_string (job, "jobUrl");
  const char *slash;

  if (id != NULL || url == NULL)
    return g_steal_pointer (&id);
  slash = strrchr (url, '/');
  return slash != NULL && jsw_source_valid_board (slash + 1) ? g_strdup (slash + 1) : NULL;
}

static JswPosting *
read_job (const JswSourceConfig *config,
          JsonObject            *job,
          gboolean              *unlisted)
{
  g_autofree char *id = id_of (job);
  g_autoptr(JswPosting) posting = NULL;
  const char *job_url = jsw_source_member_string (job, "jobUrl");
  const char *apply_url = jsw_source_member_string (job, "applyUrl");
  JsonNode *node = json_object_get_member (job, "secondaryLocations");
  JsonArray *secondary = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  const char *workplace = jsw_source_member_string (job, "workplaceType");

  /* An unlisted posting is reachable by its link only: not for a feed. */
  *unlisted = json_object_has_member (job, "isListed") && !jsw_source_member_true (job, "isListed");
  if (*unlisted || id == NULL || jsw_source_member_string (job, "title") == NULL ||
      (job_url == NULL && apply_url == NULL))
    return NULL;

  posting = jsw_posting_new ("ashby", config->board, id);
  posting->title = g_strdup (jsw_source_member_string (job, "title"));
  posting->company = g_strdup (config->company ? config->company : config->board);
  posting->source_url = g_strdup (job_url ? job_url : apply_url);
  posting->apply_url = apply_url ? g_strdup (apply_url) : g_strconcat (job_url, "/application", NULL);

  jsw_posting_add_location (posting, jsw_source_member_string (job, "location"));
  for (guint i = 0; secondary != NULL && i < json_array_get_length (secondary); i++)
    {
      JsonNode *item = json_array_get_element (secondary, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        jsw_posting_add_location (posting, jsw_source_member_string (json_node_get_object (item), "location"));
    }
  if (jsw_source_member_true (job, "isRemote") || g_strcmp0 (workplace, "Remote") == 0)
    posting->remote = TRUE;

  posting->department = g_strdup (jsw_source_member_string (job, "department"));
  jsw_posting_set_employment_type (posting, jsw_source_member_string (job, "employmentType"));
  jsw_posting_set_posted_at (posting, jsw_source_member_string (job, "publishedAt"));
  read_compensation (posting, job);
  jsw_posting_set_description_html (posting, jsw_source_member_string (job, "descriptionHtml"));
  return g_steal_pointer (&posting);
}

static GPtrArray *
ashby_parse_list (const JswSourceConfig  *config,
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
                           _("An Ashby board answers an object with a “jobs” array"));
      return NULL;
    }
  return jsw_source_read_postings (config, jobs, read_job, skipped);
}

const JswSourceKind jsw_source_ashby = {
  .name = "ashby",
  .default_base_url = "https://api.ashbyhq.com",
  .list_url = ashby_list_url,
  .parse_list = ashby_parse_list,
};
