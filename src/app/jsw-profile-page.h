/* jsw-profile-page.h: the profile, as a person fills it in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-profile-store.h"
#include "jsw-profile-sync.h"

G_BEGIN_DECLS

#define JSW_TYPE_PROFILE_PAGE (jsw_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (JswProfilePage, jsw_profile_page, JSW, PROFILE_PAGE, AdwPreferencesPage)

GtkWidget  *jsw_profile_page_new      (JswProfileStore  *store);
JswProfile *jsw_profile_page_get_profile (JswProfilePage *self);
void        jsw_profile_page_add_server (JswProfilePage *self,
                                         JswProfileSync *sync,
                                         GSettings      *settings);
gboolean    jsw_profile_page_save     (JswProfilePage   *self,
                                       GError          **error);
gboolean    jsw_profile_page_show_field (JswProfilePage *self,
                                         const char     *name);

G_END_DECLS
