/* jsw-discover-page.h: the Discover view, the swipe deck
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-cache.h"
#include "jsw-deck-model.h"
#include "jsw-deck-view.h"
#include "jsw-profile-store.h"
#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_DISCOVER_PAGE (jsw_discover_page_get_type ())

G_DECLARE_FINAL_TYPE (JswDiscoverPage, jsw_discover_page, JSW, DISCOVER_PAGE, GtkWidget)

void          jsw_discover_page_start          (JswDiscoverPage *self,
                                                JswSession      *session,
                                                JswCache        *cache,
                                                JswProfileStore *profile_store);
JswDeckModel *jsw_discover_page_get_model      (JswDiscoverPage *self);
JswDeckView  *jsw_discover_page_get_view       (JswDiscoverPage *self);
const char   *jsw_discover_page_get_state      (JswDiscoverPage *self);
gboolean      jsw_discover_page_get_swiping    (JswDiscoverPage *self);
void          jsw_discover_page_swipe          (JswDiscoverPage *self,
                                                gboolean         right);
int           jsw_discover_page_count_unanswered (JswDiscoverPage *self,
                                                JsonObject      *posting);

G_END_DECLS
