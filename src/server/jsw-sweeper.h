/* jsw-sweeper.h: expires leases and trims the event log on a timer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-hub.h"
#include "jsw-metrics.h"
#include "jsw-server-config.h"
#include "jsw-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_SWEEPER (jsw_sweeper_get_type ())

G_DECLARE_FINAL_TYPE (JswSweeper, jsw_sweeper, JSW, SWEEPER, GObject)

JswSweeper *jsw_sweeper_new   (JswStore              *store,
                               JswHub                *hub,
                               JswMetrics            *metrics,
                               const JswServerConfig *config);
void        jsw_sweeper_start (JswSweeper            *self);
void        jsw_sweeper_stop  (JswSweeper            *self);
guint       jsw_sweeper_sweep (JswSweeper            *self,
                               gint64                 now);

G_END_DECLS
