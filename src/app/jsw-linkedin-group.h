/* jsw-linkedin-group.h: LinkedIn's limits on the Plan page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_LINKEDIN_GROUP (jsw_linkedin_group_get_type ())

G_DECLARE_FINAL_TYPE (JswLinkedinGroup, jsw_linkedin_group, JSW, LINKEDIN_GROUP, AdwPreferencesGroup)

GtkWidget *jsw_linkedin_group_new (JswSession *session);

G_END_DECLS
