/* jsw-profile-store.c
 *
 * The profile lives in one file (0600, under the app's data folder) and
 * in one JswProfile, the `profile` property, which the runner is bound to.
 * Everything that changes the profile (the preferences, "Save Answers and
 * Continue", --import-profile) goes through here: it is validated by
 * jsw_profile_new_from_json() before it is written, and the property
 * changes with the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-profile-store"

#include "config.h"

#include "jsw-profile-store.h"

struct _JswProfileStore
{
  GObject     parent_instance;

  char       *path;
  JswProfile *profile;
};

G_DEFINE_FINAL_TYPE (JswProfileStore, jsw_profile_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_profile (JswProfileStore *self,
             JswProfile      *profile)
{
  if (self->profile == profile)
    return;
  g_clear_pointer (&self->profile, jsw_profile_unref);
  self->profile = profile ? jsw_profile_ref (profile) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/* Reads the file again; a missing or invalid one means no profile (the
 * runner then applies to nothing). */
void
jsw_profile_store_load (JswProfileStore *self)
{
  g_autoptr(JswProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JSW_IS_PROFILE_STORE (self));

  if (g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      profile = jsw_profile_new_from_file (self->path, &error);
      if (profile == NULL)
        g_warning ("%s", error->message);
    }
  set_profile (self, profile);
}

/* Returns: (transfer none) (nullable): the profile, as last loaded */
JswProfile *
jsw_profile_store_get_profile (JswProfileStore *self)
{
  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), NULL);

  return self->profile;
}

static gboolean
write_json (JswProfileStore  *self,
            const char       *json,
            GError          **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  g_mkdir_with_parents (dir, 0700);
  return g_file_set_contents_full (self->path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* @json is written as given (the person's own formatting stays) once it
 * is a valid profile; then it is the profile. */
static gboolean
save_json (JswProfileStore  *self,
           const char       *json,
           GError          **error)
{
  g_autoptr(JswProfile) valid = jsw_profile_new_from_json (json, error);

  if (valid == NULL || !write_json (self, json, error))
    return FALSE;
  set_profile (self, valid);
  return TRUE;
}

/**
 * jsw_profile_store_dup_document:
 *
 * Returns: (transfer full): the profile as a JSON object, for editing; an
 *   empty object when there is none or the file is not JSON
 */
JsonNode *
jsw_profile_store_dup_document (JswProfileStore *self)
{
  g_autofree char *contents = NULL;
  JsonNode *root = NULL;

  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), NULL);

  if (g_file_get_contents (self->path, &contents, NULL, NULL))
    root = json_from_string (contents, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_node_init_object (json_node_alloc (), json_object_new ());
    }
  return root;
}

/* Saves @document if it is a valid profile; otherwise changes nothing and
 * says why in @error (JSW_ERROR). */
gboolean
jsw_profile_store_save_document (JswProfileStore  *self,
                                 JsonNode         *document,
                                 GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), FALSE);

  json = jsw_json_node_to_pretty_string (document);
  return save_json (self, json, error);
}

/* --import-profile FILE: the file's profile replaces this one, if valid. */
gboolean
jsw_profile_store_import_file (JswProfileStore  *self,
                               const char       *path,
                               GError          **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  return save_json (self, contents, error);
}

/**
 * jsw_profile_store_add_answers:
 * @answers: question -> answer, both strings
 *
 * Adds to (or replaces in) the saved answers, for this form and every next
 * one that asks the same. A profile file that is not JSON is replaced by
 * one holding the answers.
 */
gboolean
jsw_profile_store_add_answers (JswProfileStore  *self,
                               GHashTable       *answers,
                               GError          **error)
{
  g_autoptr(JsonNode) root = jsw_profile_store_dup_document (self);
  JsonObject *profile = json_node_get_object (root);
  GHashTableIter iter;
  gpointer question, answer;

  if (!json_object_has_member (profile, "answers") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (profile, "answers")))
    json_object_set_object_member (profile, "answers", json_object_new ());

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &question, &answer))
    json_object_set_string_member (json_object_get_object_member (profile, "answers"), question, answer);
  return jsw_profile_store_save_document (self, root, error);
}

static void
jsw_profile_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JswProfileStore *self = JSW_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_PROFILE: g_value_set_boxed (value, self->profile); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_profile_store_finalize (GObject *object)
{
  JswProfileStore *self = (JswProfileStore *) object;

  g_clear_pointer (&self->profile, jsw_profile_unref);
  g_free (self->path);
  G_OBJECT_CLASS (jsw_profile_store_parent_class)->finalize (object);
}

static void
jsw_profile_store_class_init (JswProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jsw_profile_store_finalize;
  object_class->get_property = jsw_profile_store_get_property;

  properties[PROP_PROFILE] = g_param_spec_boxed ("profile", NULL, NULL, JSW_TYPE_PROFILE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jsw_profile_store_init (JswProfileStore *self)
{
}

/* @path: the profile's file; loaded now */
JswProfileStore *
jsw_profile_store_new (const char *path)
{
  JswProfileStore *self = g_object_new (JSW_TYPE_PROFILE_STORE, NULL);

  self->path = g_strdup (path);
  jsw_profile_store_load (self);
  return self;
}
