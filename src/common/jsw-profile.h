/* jsw-profile.h: the job seeker's profile (PROFILE.json of PROTOCOL.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JSW_TYPE_PROFILE (jsw_profile_get_type ())

G_DECLARE_FINAL_TYPE (JswProfile, jsw_profile, JSW, PROFILE, GObject)

typedef enum {
  JSW_PROFILE_FIELD_TEXT,        /* a string */
  JSW_PROFILE_FIELD_FILE,        /* a string: a path on this machine */
  JSW_PROFILE_FIELD_FLAG,        /* true or false */
  JSW_PROFILE_FIELD_STRING_MAP,  /* an object of strings */
  JSW_PROFILE_FIELD_ITEM_LIST,   /* an array of objects of strings (jsw_profile_get_item_fields()) */
} JswProfileFieldKind;

/* What a text value must be, beyond a string. */
typedef enum {
  JSW_PROFILE_CHECK_NONE,
  JSW_PROFILE_CHECK_EMAIL,  /* an e-mail address: local@domain.tld */
  JSW_PROFILE_CHECK_PHONE,  /* a telephone number with its +country code (libphonenumber) */
  JSW_PROFILE_CHECK_URL,    /* an http or https URL with a host */
} JswProfileCheck;

typedef struct {
  const char         *name;       /* the member of PROFILE.json (or of an item, of `eeo`) */
  const char         *title;      /* N_(): what the profile editor calls it */
  JswProfileFieldKind kind;
  gboolean            in_forms;   /* handed to the adapters */
  JswProfileCheck     check;      /* for text */
  gboolean            multiline;  /* for text: a paragraph or more */
  const char * const *choices;    /* NULL-terminated, N_(): the fixed answers, stored as written here */
} JswProfileField;

const JswProfileField *jsw_profile_get_fields       (guint       *n_fields);
const JswProfileField *jsw_profile_get_item_fields  (const char  *list,
                                                     guint       *n_fields);
const JswProfileField *jsw_profile_get_eeo_fields   (guint       *n_fields);
const JswProfileField *jsw_profile_find_field       (const char  *name);
const char            *jsw_profile_answer_title     (const char  *key);
const JswProfileField *jsw_profile_field_for_label  (const char  *label);
gboolean               jsw_profile_check_value      (const JswProfileField *field,
                                                     const char  *value,
                                                     GError     **error);

JswProfile *jsw_profile_new                 (void);
JswProfile *jsw_profile_new_from_json       (const char  *json,
                                             GError     **error);
JswProfile *jsw_profile_new_from_file       (const char  *path,
                                             GError     **error);
JswProfile *jsw_profile_copy                (JswProfile  *profile);
JswProfile *jsw_profile_ref                 (JswProfile  *profile);
void        jsw_profile_unref               (JswProfile  *profile);
gboolean    jsw_profile_validate            (JswProfile  *profile,
                                             char       **field,
                                             GError     **error);
char       *jsw_profile_to_json             (JswProfile  *profile);
char       *jsw_profile_to_form_json        (JswProfile  *profile);

const char *jsw_profile_get_string          (JswProfile  *profile,
                                             const char  *field);
void        jsw_profile_set_string          (JswProfile  *profile,
                                             const char  *field,
                                             const char  *value);
gboolean    jsw_profile_get_flag            (JswProfile  *profile,
                                             const char  *field);
void        jsw_profile_set_flag            (JswProfile  *profile,
                                             const char  *field,
                                             gboolean     value);
const char *jsw_profile_get_resume_path     (JswProfile  *profile);

GStrv       jsw_profile_dup_map_keys        (JswProfile  *profile,
                                             const char  *map);
const char *jsw_profile_get_map_value       (JswProfile  *profile,
                                             const char  *map,
                                             const char  *key);
void        jsw_profile_set_map_value       (JswProfile  *profile,
                                             const char  *map,
                                             const char  *key,
                                             const char  *value);

guint       jsw_profile_get_n_items         (JswProfile  *profile,
                                             const char  *list);
guint       jsw_profile_add_item            (JswProfile  *profile,
                                             const char  *list);
void        jsw_profile_remove_item         (JswProfile  *profile,
                                             const char  *list,
                                             guint        index);
const char *jsw_profile_get_item_value      (JswProfile  *profile,
                                             const char  *list,
                                             guint        index,
                                             const char  *field);
void        jsw_profile_set_item_value      (JswProfile  *profile,
                                             const char  *list,
                                             guint        index,
                                             const char  *field,
                                             const char  *value);

G_END_DECLS
