/* jsw-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-job.h"
#include "jsw-json.h"

G_DEFINE_BOXED_TYPE (JswJob, jsw_job, jsw_job_ref, jsw_job_unref)

/* Generous bounds: a posting's description can be long, but a snapshot is
 * not a place for megabytes (the whole request is capped at 1 MiB anyway). */
#define MAX_SHORT_FIELD 1024
#define MAX_URL_LENGTH  4096

static const char *optional_string_fields[] = {
  "location", "description", "salary", "employment_type", "posted_at", "source",
};

/* A DNS name (RFC 1123 labels: letters, digits, inner hyphens, 1 to 63
 * bytes each, 253 in all), after IDNA for a name in another script. */
static gboolean
valid_host_name (const char *host)
{
  g_autofree char *ascii = g_hostname_to_ascii (host);
  g_auto(GStrv) labels = NULL;

  if (ascii == NULL || *ascii == '\0' || strlen (ascii) > 253)
    return FALSE;
  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize length = strlen (label);

      /* One empty label at the end is the root: "example.com." */
      if (length == 0 && labels[i + 1] == NULL && i > 0)
        continue;
      if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
        return FALSE;
      for (const char *p = label; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return FALSE;
    }
  return TRUE;
}

static gboolean
has_space_or_control (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* C0, DEL and C1 (U+0085 NEL among them), and every kind of Unicode
       * space and separator (U+2028, U+00A0, ...) */
      if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || g_unichar_isspace (c) ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        return TRUE;
    }
  return FALSE;
}

/* An absolute http(s) URL that a browser would open as it is: GUri's
 * parser alone takes "http://x .io/" and a trailing newline (issue 8). */
static gboolean
validate_apply_url (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (has_space_or_control (url))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("The field “apply_url” must not contain spaces or control characters"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “apply_url” is not a valid URL"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “apply_url” must be an http or https URL"));
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("The field “apply_url” has no host"));
      return FALSE;
    }
  if (!g_hostname_is_ip_address (host) && !valid_host_name (host))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The field “apply_url” has an invalid host name “%s”"), host);
      return FALSE;
    }

  return TRUE;
}

JswJob *
jsw_job_new_from_object (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(JswJob) job = NULL;
  JsonObject *extra;

  g_return_val_if_fail (object != NULL, NULL);

  job = g_atomic_rc_box_new0 (JswJob);

  /* Serialise and parse again: the snapshot then owns no memory of the
   * caller's document, and its text is exactly what we store and send. */
  {
    g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (wrapper, object);
    job->json = jsw_json_node_to_string (wrapper);
  }
  object = jsw_json_parse_object (job->json, -1, &job->root, error);
  if (object == NULL)
    return NULL;

  if (!jsw_json_get_string (object, "job_id", JSW_FIELD_REQUIRED, MAX_SHORT_FIELD, &job->job_id, error) ||
      !jsw_json_get_string (object, "title", JSW_FIELD_REQUIRED, MAX_SHORT_FIELD, &job->title, error) ||
      !jsw_json_get_string (object, "company", JSW_FIELD_REQUIRED, MAX_SHORT_FIELD, &job->company, error) ||
      !jsw_json_get_string (object, "apply_url", JSW_FIELD_REQUIRED, MAX_URL_LENGTH, &job->apply_url, error))
    return NULL;

  if (!validate_apply_url (job->apply_url, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (optional_string_fields); i++)
    {
      const char *ignored;

      if (!jsw_json_get_string (object, optional_string_fields[i], JSW_FIELD_NULLABLE, 0, &ignored, error))
        return NULL;
    }

  if (!jsw_json_get_object (object, "extra", JSW_FIELD_NULLABLE, &extra, error))
    return NULL;

  return g_steal_pointer (&job);
}

JswJob *
jsw_job_new_from_json (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = jsw_json_parse_object (json, -1, &root, error);

  if (object == NULL)
    return NULL;
  return jsw_job_new_from_object (object, error);
}

JswJob *
jsw_job_ref (JswJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
jsw_job_clear (JswJob *job)
{
  g_clear_pointer (&job->root, json_node_unref);
  g_clear_pointer (&job->json, g_free);
}

void
jsw_job_unref (JswJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) jsw_job_clear);
}

const char *
jsw_job_get_json (JswJob *job)
{
  return job->json;
}

JsonNode *
jsw_job_get_node (JswJob *job)
{
  return job->root;
}
