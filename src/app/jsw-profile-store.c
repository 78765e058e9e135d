/* jsw-profile-store.c
 *
 * The profile lives in one file (0600, under the app's data folder) and
 * in one JswProfile, the `profile` property, which the runner is bound to.
 * Everything that changes the profile (the preferences, "Save Answers and
 * Continue", --import-profile) goes through here: an edited copy of the
 * JswProfile is validated (jsw_profile_validate()) before it is written,
 * and the property changes with the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-profile-store"

#include "config.h"

#include <glib/gi18n.h>

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
  g_set_object (&self->profile, profile);
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

/**
 * jsw_profile_store_dup_profile:
 *
 * Returns: (transfer full): a copy of the profile to edit (an empty one
 *   when there is none); nothing changes until it is saved with
 *   jsw_profile_store_save()
 */
JswProfile *
jsw_profile_store_dup_profile (JswProfileStore *self)
{
  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), NULL);

  return self->profile ? jsw_profile_copy (self->profile) : jsw_profile_new ();
}

/**
 * jsw_profile_store_save:
 * @profile: the edited profile (from jsw_profile_store_dup_profile())
 * @field: (out) (optional) (transfer full): the field at fault, as
 *   jsw_profile_validate() names it
 * @error: JSW_ERROR_INVALID when a value is wrong, or the file's error
 *
 * Saves @profile if its values are right (jsw_profile_validate());
 * otherwise changes nothing, neither the file nor the `profile` property.
 * A copy becomes the store's profile, so that the runner's does not
 * change under it while the editor goes on editing.
 */
gboolean
jsw_profile_store_save (JswProfileStore  *self,
                        JswProfile       *profile,
                        char            **field,
                        GError          **error)
{
  g_autoptr(JswProfile) saved = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (JSW_IS_PROFILE (profile), FALSE);

  if (!jsw_profile_validate (profile, field, error))
    return FALSE;
  json = jsw_profile_to_json (profile);
  if (!write_json (self, json, error))
    return FALSE;
  saved = jsw_profile_copy (profile);
  set_profile (self, saved);
  return TRUE;
}

/* --import-profile FILE: the file's profile replaces this one, if valid
 * (types and values); the file is written as given, so the person's own
 * formatting stays. */
gboolean
jsw_profile_store_import_file (JswProfileStore  *self,
                               const char       *path,
                               GError          **error)
{
  g_autoptr(JswProfile) imported = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *field = NULL;

  g_return_val_if_fail (JSW_IS_PROFILE_STORE (self), FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  imported = jsw_profile_new_from_json (contents, error);
  if (imported == NULL || !jsw_profile_validate (imported, &field, error))
    {
      g_prefix_error (error, _("%s is not a valid profile: "), path);
      return FALSE;
    }
  if (!write_json (self, contents, error))
    return FALSE;
  set_profile (self, imported);
  return TRUE;
}

/**
 * jsw_profile_store_add_answers:
 * @answers: question -> answer, both strings
 *
 * Adds to (or replaces in) the saved answers, for this form and every next
 * one that asks the same.
 */
gboolean
jsw_profile_store_add_answers (JswProfileStore  *self,
                               GHashTable       *answers,
                               GError          **error)
{
  g_autoptr(JswProfile) profile = jsw_profile_store_dup_profile (self);
  GHashTableIter iter;
  gpointer question, answer;

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &question, &answer))
    jsw_profile_set_map_value (profile, "answers", question, answer);
  return jsw_profile_store_save (self, profile, NULL, error);
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
    case PROP_PROFILE: g_value_set_object (value, self->profile); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_profile_store_finalize (GObject *object)
{
  JswProfileStore *self = (JswProfileStore *) object;

  g_clear_object (&self->profile);
  g_free (self->path);
  G_OBJECT_CLASS (jsw_profile_store_parent_class)->finalize (object);
}

static void
jsw_profile_store_class_init (JswProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jsw_profile_store_finalize;
  object_class->get_property = jsw_profile_store_get_property;

  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, JSW_TYPE_PROFILE,
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
