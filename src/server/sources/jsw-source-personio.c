/* jsw-source-personio.c: Personio's XML feed of open positions
 *
 * GET https://{company}.jobs.personio.de/xml?language=en
 *   <workzag-jobs><position><id>1044731</id><subcompany>..</subcompany>
 *   <office>Berlin</office><additionalOffices><office>..</office>
 *   </additionalOffices><department>..</department><name>title</name>
 *   <jobDescriptions><jobDescription><name>heading</name>
 *   <value><![CDATA[html]]></value></jobDescription>...</jobDescriptions>
 *   <employmentType>permanent|intern|trainee|freelance|temporary|working_student</employmentType>
 *   <schedule>full-time|part-time|full-or-part-time</schedule>
 *   <createdAt>2026-11-02T09:14:33+00:00</createdAt></position>...
 *   </workzag-jobs>
 * (developer.personio.de, "Retrieving open job positions")
 * The posting's page, where its form is, is /job/{id} on the same host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "jsw-common.h"
#include "jsw-source-kind.h"

static char *
personio_list_url (const JswSourceConfig *config)
{
  g_autofree char *base = jsw_source_config_base (config);

  return g_strdup_printf ("%s/xml?language=en", base);
}

static xmlNode *
child_named (xmlNode    *parent,
             const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) child->name, name) == 0)
      return child;
  return NULL;
}

/* The trimmed text of a child element, NULL when missing or empty. */
static char *
child_text (xmlNode    *parent,
            const char *name)
{
  xmlNode *child = child_named (parent, name);
  xmlChar *content;
  char *text;

  if (child == NULL)
    return NULL;
  content = xmlNodeGetContent (child);
  text = g_strstrip (g_strdup (content ? (const char *) content : ""));
  xmlFree (content);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
description_html (xmlNode *position)
{
  xmlNode *list = child_named (position, "jobDescriptions");
  GString *html = g_string_new (NULL);

  for (xmlNode *item = list ? list->children : NULL; item != NULL; item = item->next)
    {
      g_autofree char *heading = NULL;
      g_autofree char *value = NULL;

      if (item->type != XML_ELEMENT_NODE || g_strcmp0 ((const char *) item->name, "jobDescription") != 0)
        continue;
      heading = child_text (item, "name");
      value = child_text (item, "value");
      if (heading != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (heading, -1);

          g_string_append_printf (html, "<h3>%s</h3>", escaped);
        }
      if (value != NULL)
        g_string_append (html, value);
    }
  return g_string_free (html, FALSE);
}

static JswPosting *
read_position (const JswSourceConfig *config,
               const char            *base,
               xmlNode               *position)
{
  g_autofree char *id = child_text (position, "id");
  g_autofree char *name = child_text (position, "name");
  g_autofree char *subcompany = child_text (position, "subcompany");
  g_autofree char *office = child_text (position, "office");
  g_autofree char *department = child_text (position, "department");
  g_autofree char *employment = child_text (position, "employmentType");
  g_autofree char *schedule = child_text (position, "schedule");
  g_autofree char *created = child_text (position, "createdAt");
  g_autofree char *html = NULL;
  g_autoptr(JswPosting) posting = NULL;
  xmlNode *others = child_named (position, "additionalOffices");

  if (id == NULL || name == NULL || !jsw_source_valid_board (id))
    return NULL;

  posting = jsw_posting_new ("personio", config->board, id);
  posting->title = g_steal_pointer (&name);
  posting->company = g_strdup (config->company ? config->company : subcompany ? subcompany : config->board);
  posting->source_url = g_strdup_printf ("%s/job/%s", base, id);
  posting->apply_url = g_strdup (posting->source_url);
  jsw_posting_add_location (posting, office);
  for (xmlNode *item = others ? others->children : NULL; item != NULL; item = item->next)
    if (item->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) item->name, "office") == 0)
      {
        xmlChar *content = xmlNodeGetContent (item);

        jsw_posting_add_location (posting, (const char *) content);
        xmlFree (content);
      }
  posting->department = g_steal_pointer (&department);
  /* The schedule says full or part time; the contract's kind, when it is
   * not a permanent one, says more. */
  jsw_posting_set_employment_type (posting, schedule);
  if (employment != NULL && g_strcmp0 (employment, "permanent") != 0)
    jsw_posting_set_employment_type (posting, employment);
  jsw_posting_set_posted_at (posting, created);
  posting->version = g_steal_pointer (&created);
  html = description_html (position);
  jsw_posting_set_description_html (posting, html);
  return g_steal_pointer (&posting);
}

static GPtrArray *
personio_parse_list (const JswSourceConfig  *config,
                     const char             *body,
                     gsize                   length,
                     guint                  *skipped,
                     GError                **error)
{
  g_autofree char *base = jsw_source_config_base (config);
  g_autoptr(GPtrArray) postings = NULL;
  xmlDoc *doc;
  xmlNode *root;

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The answer is too large"));
      return NULL;
    }
  /* NONET and no entity expansion: a feed never makes the parser fetch or
   * blow up anything. */
  doc = xmlReadMemory (body, (int) length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                       XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (doc == NULL)
    {
      const xmlError *last = xmlGetLastError ();

      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("The XML is malformed: %s (line %d)"),
                   last && last->message ? g_strstrip (last->message) : "?", last ? last->line : 0);
      return NULL;
    }
  root = xmlDocGetRootElement (doc);
  if (root == NULL || g_strcmp0 ((const char *) root->name, "workzag-jobs") != 0)
    {
      xmlFreeDoc (doc);
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("A Personio feed is a <workzag-jobs> document"));
      return NULL;
    }

  postings = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_posting_free);
  for (xmlNode *item = root->children; item != NULL; item = item->next)
    {
      JswPosting *posting;

      if (item->type != XML_ELEMENT_NODE || g_strcmp0 ((const char *) item->name, "position") != 0)
        continue;
      posting = read_position (config, base, item);
      if (posting != NULL)
        g_ptr_array_add (postings, posting);
      else
        (*skipped)++;
    }
  xmlFreeDoc (doc);
  return g_steal_pointer (&postings);
}

const JswSourceKind jsw_source_personio = {
  .name = "personio",
  .default_base_url = "https://{board}.jobs.personio.de",
  .list_url = personio_list_url,
  .parse_list = personio_parse_list,
};
