/* jsw-search-page.h: the Search page of Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_SEARCH_PAGE (jsw_search_page_get_type ())

G_DECLARE_FINAL_TYPE (JswSearchPage, jsw_search_page, JSW, SEARCH_PAGE, AdwPreferencesPage)

GtkWidget *jsw_search_page_new     (JswSession    *session);
char      *jsw_search_page_to_json (JswSearchPage *self);

G_END_DECLS
