/* jsw-deck-demo.h: tools/run-demo's swipes in the Discover view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-discover-page.h"

G_BEGIN_DECLS

void jsw_deck_demo_start (JswDiscoverPage *page);

G_END_DECLS
