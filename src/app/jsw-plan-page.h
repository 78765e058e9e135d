/* jsw-plan-page.h: the Plan page of Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_PLAN_PAGE (jsw_plan_page_get_type ())

G_DECLARE_FINAL_TYPE (JswPlanPage, jsw_plan_page, JSW, PLAN_PAGE, AdwPreferencesPage)

GtkWidget *jsw_plan_page_new          (JswSession  *session);
gboolean   jsw_plan_page_offers_upgrade (JsonObject *me);
void       jsw_plan_page_show_account (JswPlanPage *self,
                                       JsonObject  *me);

G_END_DECLS
