/* jsw-profile.h: the job seeker's profile (PROFILE.json of PROTOCOL.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JSW_TYPE_PROFILE (jsw_profile_get_type ())

typedef struct _JswProfile JswProfile;

typedef enum {
  JSW_PROFILE_FIELD_TEXT,        /* a string */
  JSW_PROFILE_FIELD_FILE,        /* a string: a path on this machine */
  JSW_PROFILE_FIELD_FLAG,        /* true or false */
  JSW_PROFILE_FIELD_STRING_MAP,  /* an object of strings */
} JswProfileFieldKind;

typedef struct {
  const char          *name;      /* the member of PROFILE.json */
  const char          *title;     /* N_(): what the profile editor calls it */
  JswProfileFieldKind  kind;
  gboolean             in_forms;  /* handed to the adapters */
} JswProfileField;

const JswProfileField *jsw_profile_get_fields (guint *n_fields);

GType       jsw_profile_get_type          (void) G_GNUC_CONST;
JswProfile *jsw_profile_new_from_json     (const char  *json,
                                           GError     **error);
JswProfile *jsw_profile_new_from_file     (const char  *path,
                                           GError     **error);
JswProfile *jsw_profile_ref               (JswProfile  *profile);
void        jsw_profile_unref             (JswProfile  *profile);
const char *jsw_profile_get_string        (JswProfile  *profile,
                                           const char  *field);
const char *jsw_profile_get_resume_path   (JswProfile  *profile);
char       *jsw_profile_to_form_json      (JswProfile  *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswProfile, jsw_profile_unref)

G_END_DECLS
