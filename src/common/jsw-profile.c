/* jsw-profile.c
 *
 * The profile is validated strictly (every member a string, `answers` and
 * `eeo` objects of strings) because it goes into application forms as is:
 * a wrong type would end up as "[object Object]" in someone's application.
 * The one exception is `consent_to_required_terms` (an addition to
 * PROTOCOL.md, docs/engine.md): true or false, absent meaning true.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-profile.h"

struct _JswProfile
{
  JsonNode *root;
};

G_DEFINE_BOXED_TYPE (JswProfile, jsw_profile, jsw_profile_ref, jsw_profile_unref)

/* The members of PROFILE.json, written once: validation, the app's
 * profile editor and the form JSON handed to the adapters all go by it. */
static const JswProfileField fields[] = {
  { "first_name", N_("First Name"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "last_name", N_("Last Name"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "email", N_("E-mail Address"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "phone", N_("Phone"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "location", N_("Location"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "linkedin_url", N_("LinkedIn"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "github_url", N_("GitHub"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "website_url", N_("Website"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "current_company", N_("Current Company"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "current_title", N_("Current Title"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "cover_letter", N_("Cover Letter"), JSW_PROFILE_FIELD_TEXT, TRUE },
  /* A path on this machine, which no form needs (the file's bytes go in
   * separately). */
  { "resume_path", N_("Resume"), JSW_PROFILE_FIELD_FILE, FALSE },
  { "consent_to_required_terms", N_("Agree to Required Terms"), JSW_PROFILE_FIELD_FLAG, TRUE },
  { "answers", N_("Saved Answers"), JSW_PROFILE_FIELD_STRING_MAP, TRUE },
  { "eeo", N_("Self-Identification"), JSW_PROFILE_FIELD_STRING_MAP, TRUE },
};

/**
 * jsw_profile_get_fields:
 * @n_fields: (out): how many
 *
 * Returns: (array length=n_fields): the members of PROFILE.json, in the
 *   order the profile editor shows them
 */
const JswProfileField *
jsw_profile_get_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

static gboolean
validate_string_map (JsonObject  *object,
                     const char  *name,
                     GError     **error)
{
  JsonObject *map;
  g_autoptr(GList) members = NULL;

  if (!jsw_json_get_object (object, name, JSW_FIELD_NULLABLE, &map, error))
    return FALSE;
  if (map == NULL)
    return TRUE;

  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *ignored;

      if (!jsw_json_get_string (map, l->data, JSW_FIELD_NULLABLE, 64 * 1024, &ignored, error))
        {
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_field (JsonObject             *object,
                const JswProfileField  *field,
                GError                **error)
{
  const char *text;
  gboolean flag;

  switch (field->kind)
    {
    case JSW_PROFILE_FIELD_TEXT:
    case JSW_PROFILE_FIELD_FILE:
      return jsw_json_get_string (object, field->name, JSW_FIELD_NULLABLE, 64 * 1024, &text, error);
    case JSW_PROFILE_FIELD_FLAG:
      return jsw_json_get_boolean (object, field->name, JSW_FIELD_NULLABLE, &flag, error);
    case JSW_PROFILE_FIELD_STRING_MAP:
      return validate_string_map (object, field->name, error);
    default:
      g_assert_not_reached ();
    }
}

JswProfile *
jsw_profile_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = jsw_json_parse_object (json, -1, &root, error);
  JswProfile *profile;

  if (object == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!validate_field (object, &fields[i], error))
      return NULL;

  profile = g_atomic_rc_box_new0 (JswProfile);
  profile->root = g_steal_pointer (&root);
  return profile;
}

JswProfile *
jsw_profile_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  JswProfile *profile;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  profile = jsw_profile_new_from_json (contents, error);
  if (profile == NULL)
    g_prefix_error (error, _("%s is not a valid profile: "), path);
  return profile;
}

JswProfile *
jsw_profile_ref (JswProfile *profile)
{
  return g_atomic_rc_box_acquire (profile);
}

static void
jsw_profile_clear (JswProfile *profile)
{
  g_clear_pointer (&profile->root, json_node_unref);
}

void
jsw_profile_unref (JswProfile *profile)
{
  g_atomic_rc_box_release_full (profile, (GDestroyNotify) jsw_profile_clear);
}

const char *
jsw_profile_get_string (JswProfile *profile,
                        const char *field)
{
  JsonObject *object = json_node_get_object (profile->root);

  return json_object_get_string_member_with_default (object, field, NULL);
}

const char *
jsw_profile_get_resume_path (JswProfile *profile)
{
  return jsw_profile_get_string (profile, "resume_path");
}

/* What the form filler may see: every member but those not for forms
 * (the resume's path on this machine). */
char *
jsw_profile_to_form_json (JswProfile *profile)
{
  g_autofree char *text = jsw_json_node_to_string (profile->root);
  g_autoptr(JsonNode) copy = jsw_json_parse (text, -1, NULL);

  /* A fresh document: json_node_copy() would share the object, and the
   * removal below would take members out of the profile itself. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!fields[i].in_forms)
      json_object_remove_member (json_node_get_object (copy), fields[i].name);
  return jsw_json_node_to_string (copy);
}
