/* jsw-profile-store.h: the job seeker's profile on this computer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-common.h"

G_BEGIN_DECLS

#define JSW_TYPE_PROFILE_STORE (jsw_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (JswProfileStore, jsw_profile_store, JSW, PROFILE_STORE, GObject)

JswProfileStore *jsw_profile_store_new             (const char       *path);
JswProfile      *jsw_profile_store_get_profile     (JswProfileStore  *self);
void             jsw_profile_store_load            (JswProfileStore  *self);
JswProfile      *jsw_profile_store_dup_profile     (JswProfileStore  *self);
gboolean         jsw_profile_store_save            (JswProfileStore  *self,
                                                    JswProfile       *profile,
                                                    char            **field,
                                                    GError          **error);
gboolean         jsw_profile_store_import_file     (JswProfileStore  *self,
                                                    const char       *path,
                                                    GError          **error);
gboolean         jsw_profile_store_add_answers     (JswProfileStore  *self,
                                                    GHashTable       *answers,
                                                    GError          **error);

G_END_DECLS
