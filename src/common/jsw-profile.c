/* jsw-profile.c
 *
 * The profile as one object, edited in place by the app's profile editor
 * and read by the engine. Its document is PROFILE.json (PROTOCOL.md, with
 * the additions of docs/engine.md: `consent_to_required_terms`,
 * `experience`, `education`); members the profile does not know are kept
 * as they are.
 *
 * Two levels of checking, both driven by the one list of fields
 * (jsw-profile-fields.c):
 * - loading (jsw_profile_new_from_json()) is strict about types (every
 *   member a string, `answers` and `eeo` objects of strings, `experience`
 *   and `education` arrays of objects of strings) because the profile goes
 *   into application forms as is: a wrong type would end up as
 *   "[object Object]" in someone's application;
 * - jsw_profile_validate() also checks what the values say (an e-mail
 *   address, a telephone number, URLs), which is what saving requires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-phone.h"
#include "jsw-profile-private.h"

struct _JswProfile
{
  GObject   parent_instance;

  JsonNode *root;  /* always an object */
};

G_DEFINE_FINAL_TYPE (JswProfile, jsw_profile, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The members of PROFILE.json (jsw-profile-fields.c). */
static const JswProfileField *const fields = _jsw_profile_fields;

/* One property per text, file and flag member, named as the member with
 * dashes ("first-name"); property id = index in fields[] + 1. */
static GParamSpec *properties[JSW_PROFILE_N_FIELDS + 1];

/* Loading: types */

static gboolean
validate_strings (JsonObject  *map,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (map);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *ignored;

      if (!jsw_json_get_string (map, l->data, JSW_FIELD_NULLABLE, JSW_PROFILE_MAX_TEXT, &ignored, error))
        {
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_string_map (JsonObject  *object,
                     const char  *name,
                     GError     **error)
{
  JsonObject *map;

  if (!jsw_json_get_object (object, name, JSW_FIELD_NULLABLE, &map, error))
    return FALSE;
  return map == NULL || validate_strings (map, name, error);
}

static gboolean
validate_item_list (JsonObject  *object,
                    const char  *name,
                    GError     **error)
{
  JsonArray *items;

  if (!jsw_json_get_array (object, name, JSW_FIELD_NULLABLE, &items, error))
    return FALSE;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("%s: item %u is not an object"), name, i + 1);
          return FALSE;
        }
      if (!validate_strings (json_node_get_object (item), name, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_type (JsonObject             *object,
               const JswProfileField  *field,
               GError                **error)
{
  const char *text;
  gboolean flag;

  switch (field->kind)
    {
    case JSW_PROFILE_FIELD_TEXT:
    case JSW_PROFILE_FIELD_FILE:
      return jsw_json_get_string (object, field->name, JSW_FIELD_NULLABLE, JSW_PROFILE_MAX_TEXT, &text, error);
    case JSW_PROFILE_FIELD_FLAG:
      return jsw_json_get_boolean (object, field->name, JSW_FIELD_NULLABLE, &flag, error);
    case JSW_PROFILE_FIELD_STRING_MAP:
      return validate_string_map (object, field->name, error);
    case JSW_PROFILE_FIELD_ITEM_LIST:
      return validate_item_list (object, field->name, error);
    default:
      g_assert_not_reached ();
    }
}

static JsonObject *
root_object (JswProfile *self)
{
  return json_node_get_object (self->root);
}

/**
 * jsw_profile_new_from_json:
 * @json: PROFILE.json's text
 * @error: JSW_ERROR_INVALID when it is not JSON or a member has the wrong
 *   type (naming the member)
 *
 * Returns: (transfer full) (nullable): the profile; its values are not
 *   checked here (jsw_profile_validate())
 */
JswProfile *
jsw_profile_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = jsw_json_parse_object (json, -1, &root, error);
  JswProfile *profile;

  if (object == NULL)
    return NULL;

  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    if (!validate_type (object, &fields[i], error))
      return NULL;

  profile = g_object_new (JSW_TYPE_PROFILE, NULL);
  g_clear_pointer (&profile->root, json_node_unref);
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

/* An empty profile: every field left out. */
JswProfile *
jsw_profile_new (void)
{
  return g_object_new (JSW_TYPE_PROFILE, NULL);
}

/* Returns: (transfer full): an independent copy, for editing without
 * touching the profile in use until the copy is valid */
JswProfile *
jsw_profile_copy (JswProfile *profile)
{
  g_autofree char *text = jsw_profile_to_json (profile);

  return jsw_profile_new_from_json (text, NULL);
}

JswProfile *
jsw_profile_ref (JswProfile *profile)
{
  return g_object_ref (profile);
}

void
jsw_profile_unref (JswProfile *profile)
{
  g_object_unref (profile);
}

static gboolean
validate_values (JsonObject             *object,
                 const JswProfileField  *item_fields,
                 guint                   n_fields,
                 char                  **field_out,
                 const char             *prefix,
                 GError                **error)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *value;

      if (item_fields[i].kind != JSW_PROFILE_FIELD_TEXT)
        continue;
      value = json_object_get_string_member_with_default (object, item_fields[i].name, NULL);
      if (!jsw_profile_check_value (&item_fields[i], value, error))
        {
          if (field_out != NULL)
            *field_out = g_strconcat (prefix, item_fields[i].name, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * jsw_profile_validate:
 * @field: (out) (optional) (transfer full): which field is wrong: a
 *   member's name ("email"), or "experience/2/title" for an item's
 * @error: JSW_ERROR_INVALID, with a sentence for the person
 *
 * Checks what the values say: the e-mail address, the telephone number,
 * the URLs (jsw_profile_check_value()). Saving requires it.
 */
gboolean
jsw_profile_validate (JswProfile  *profile,
                      char       **field,
                      GError     **error)
{
  g_return_val_if_fail (JSW_IS_PROFILE (profile), FALSE);

  if (!validate_values (root_object (profile), fields, JSW_PROFILE_N_FIELDS, field, "", error))
    return FALSE;
  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    {
      guint n_items = fields[i].kind == JSW_PROFILE_FIELD_ITEM_LIST
                      ? jsw_profile_get_n_items (profile, fields[i].name) : 0;
      guint n_item_fields;
      const JswProfileField *item_fields = jsw_profile_get_item_fields (fields[i].name, &n_item_fields);

      for (guint j = 0; j < n_items; j++)
        {
          JsonArray *items = json_object_get_array_member (root_object (profile), fields[i].name);
          g_autofree char *prefix = g_strdup_printf ("%s/%u/", fields[i].name, j);

          if (!validate_values (json_array_get_object_element (items, j), item_fields, n_item_fields,
                                field, prefix, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Returns: (transfer full): PROFILE.json, indented for a person to read */
char *
jsw_profile_to_json (JswProfile *profile)
{
  return jsw_json_node_to_pretty_string (profile->root);
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
  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    if (!fields[i].in_forms)
      json_object_remove_member (json_node_get_object (copy), fields[i].name);
  return jsw_json_node_to_string (copy);
}

/* Reading and changing */

static void
changed (JswProfile            *self,
         const JswProfileField *field)
{
  guint id = field != NULL ? (guint) (field - fields) + 1 : 0;

  if (id > 0 && properties[id] != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[id]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Returns: (nullable): the text member @field, %NULL when left out */
const char *
jsw_profile_get_string (JswProfile *profile,
                        const char *field)
{
  return json_object_get_string_member_with_default (root_object (profile), field, NULL);
}

/* @value: (nullable): empty or %NULL leaves the member out */
void
jsw_profile_set_string (JswProfile *profile,
                        const char *field,
                        const char *value)
{
  JsonObject *object = root_object (profile);

  if (g_strcmp0 (jsw_profile_get_string (profile, field), value && *value ? value : NULL) == 0)
    return;
  if (value == NULL || *value == '\0')
    json_object_remove_member (object, field);
  else
    json_object_set_string_member (object, field, value);
  changed (profile, jsw_profile_find_field (field));
}

/* A flag left out is true (docs/engine.md: consent_to_required_terms). */
gboolean
jsw_profile_get_flag (JswProfile *profile,
                      const char *field)
{
  return json_object_get_boolean_member_with_default (root_object (profile), field, TRUE);
}

void
jsw_profile_set_flag (JswProfile *profile,
                      const char *field,
                      gboolean    value)
{
  if (json_object_has_member (root_object (profile), field) && jsw_profile_get_flag (profile, field) == value)
    return;
  json_object_set_boolean_member (root_object (profile), field, value);
  changed (profile, jsw_profile_find_field (field));
}

const char *
jsw_profile_get_resume_path (JswProfile *profile)
{
  return jsw_profile_get_string (profile, "resume_path");
}

static JsonObject *
get_map (JswProfile *self,
         const char *map,
         gboolean    create)
{
  JsonObject *object = root_object (self);

  if (json_object_has_member (object, map) && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, map)))
    return json_object_get_object_member (object, map);
  if (!create)
    return NULL;
  json_object_set_object_member (object, map, json_object_new ());
  return json_object_get_object_member (object, map);
}

/* Returns: (transfer full): the keys of the string map @map ("answers",
 * "eeo"), sorted as a person reads them */
GStrv
jsw_profile_dup_map_keys (JswProfile *profile,
                          const char *map)
{
  JsonObject *object = get_map (profile, map, FALSE);
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  members = g_list_sort (members, (GCompareFunc) g_utf8_collate);
  for (GList *l = members; l != NULL; l = l->next)
    g_strv_builder_add (keys, l->data);
  return g_strv_builder_end (keys);
}

const char *
jsw_profile_get_map_value (JswProfile *profile,
                           const char *map,
                           const char *key)
{
  JsonObject *object = get_map (profile, map, FALSE);

  return object ? json_object_get_string_member_with_default (object, key, NULL) : NULL;
}

/* @value: (nullable): empty or %NULL forgets @key */
void
jsw_profile_set_map_value (JswProfile *profile,
                           const char *map,
                           const char *key,
                           const char *value)
{
  if (g_strcmp0 (jsw_profile_get_map_value (profile, map, key), value && *value ? value : NULL) == 0)
    return;
  if (value == NULL || *value == '\0')
    json_object_remove_member (get_map (profile, map, TRUE), key);
  else
    json_object_set_string_member (get_map (profile, map, TRUE), key, value);
  changed (profile, jsw_profile_find_field (map));
}

static JsonArray *
get_list (JswProfile *self,
          const char *list,
          gboolean    create)
{
  JsonObject *object = root_object (self);

  if (json_object_has_member (object, list) && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, list)))
    return json_object_get_array_member (object, list);
  if (!create)
    return NULL;
  json_object_set_array_member (object, list, json_array_new ());
  return json_object_get_array_member (object, list);
}

/* @list: "experience" or "education" */
guint
jsw_profile_get_n_items (JswProfile *profile,
                         const char *list)
{
  JsonArray *items = get_list (profile, list, FALSE);

  return items ? json_array_get_length (items) : 0;
}

/* Returns: the index of the new, empty item, at the end */
guint
jsw_profile_add_item (JswProfile *profile,
                      const char *list)
{
  JsonArray *items = get_list (profile, list, TRUE);

  json_array_add_object_element (items, json_object_new ());
  changed (profile, jsw_profile_find_field (list));
  return json_array_get_length (items) - 1;
}

void
jsw_profile_remove_item (JswProfile *profile,
                         const char *list,
                         guint       index)
{
  JsonArray *items = get_list (profile, list, FALSE);

  g_return_if_fail (items != NULL && index < json_array_get_length (items));
  json_array_remove_element (items, index);
  changed (profile, jsw_profile_find_field (list));
}

const char *
jsw_profile_get_item_value (JswProfile *profile,
                            const char *list,
                            guint       index,
                            const char *field)
{
  JsonArray *items = get_list (profile, list, FALSE);

  if (items == NULL || index >= json_array_get_length (items))
    return NULL;
  return json_object_get_string_member_with_default (json_array_get_object_element (items, index), field, NULL);
}

/* @value: (nullable): empty or %NULL leaves the member out */
void
jsw_profile_set_item_value (JswProfile *profile,
                            const char *list,
                            guint       index,
                            const char *field,
                            const char *value)
{
  JsonArray *items = get_list (profile, list, FALSE);
  JsonObject *item;

  g_return_if_fail (items != NULL && index < json_array_get_length (items));
  if (g_strcmp0 (jsw_profile_get_item_value (profile, list, index, field), value && *value ? value : NULL) == 0)
    return;
  item = json_array_get_object_element (items, index);
  if (value == NULL || *value == '\0')
    json_object_remove_member (item, field);
  else
    json_object_set_string_member (item, field, value);
  changed (profile, jsw_profile_find_field (list));
}

/* GObject */

static void
jsw_profile_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  JswProfile *self = JSW_PROFILE (object);
  const JswProfileField *field = &fields[prop_id - 1];

  if (field->kind == JSW_PROFILE_FIELD_FLAG)
    g_value_set_boolean (value, jsw_profile_get_flag (self, field->name));
  else
    g_value_set_string (value, jsw_profile_get_string (self, field->name));
}

static void
jsw_profile_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  JswProfile *self = JSW_PROFILE (object);
  const JswProfileField *field = &fields[prop_id - 1];

  if (field->kind == JSW_PROFILE_FIELD_FLAG)
    jsw_profile_set_flag (self, field->name, g_value_get_boolean (value));
  else
    jsw_profile_set_string (self, field->name, g_value_get_string (value));
}

static void
jsw_profile_finalize (GObject *object)
{
  JswProfile *self = (JswProfile *) object;

  g_clear_pointer (&self->root, json_node_unref);
  G_OBJECT_CLASS (jsw_profile_parent_class)->finalize (object);
}

static void
jsw_profile_class_init (JswProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_NICK | G_PARAM_STATIC_BLURB;

  object_class->finalize = jsw_profile_finalize;
  object_class->get_property = jsw_profile_get_property;
  object_class->set_property = jsw_profile_set_property;

  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (fields[i].name), "_", '-');

      if (fields[i].kind == JSW_PROFILE_FIELD_TEXT || fields[i].kind == JSW_PROFILE_FIELD_FILE)
        properties[i + 1] = g_param_spec_string (name, NULL, NULL, NULL, flags);
      else if (fields[i].kind == JSW_PROFILE_FIELD_FLAG)
        properties[i + 1] = g_param_spec_boolean (name, NULL, NULL, TRUE, flags);
      if (properties[i + 1] != NULL)
        g_object_class_install_property (object_class, i + 1, properties[i + 1]);
    }

  /**
   * JswProfile::changed:
   *
   * Any member changed: a property (also notified), a saved answer, an
   * item of the work history or education.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jsw_profile_init (JswProfile *self)
{
  self->root = json_node_init_object (json_node_alloc (), json_object_new ());
}
