/* jsw-entry-detail-driver.h: the detail pane driven over D-Bus, for the
 * end-to-end tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-entry-detail.h"

G_BEGIN_DECLS

void jsw_entry_detail_driver_export (JswEntryDetail *detail);

G_END_DECLS
