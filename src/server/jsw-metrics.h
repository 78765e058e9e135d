/* jsw-metrics.h: the numbers /metrics exposes, in Prometheus text format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-types.h"

G_BEGIN_DECLS

#define JSW_TYPE_METRICS (jsw_metrics_get_type ())

G_DECLARE_FINAL_TYPE (JswMetrics, jsw_metrics, JSW, METRICS, GObject)

JswMetrics *jsw_metrics_new              (void);
void        jsw_metrics_stream_opened    (JswMetrics   *self,
                                          JswKind       kind);
void        jsw_metrics_stream_closed    (JswMetrics   *self,
                                          JswKind       kind);
gint64      jsw_metrics_get_streams      (JswMetrics   *self,
                                          JswKind       kind);
void        jsw_metrics_claim            (JswMetrics   *self,
                                          gboolean      won);
void        jsw_metrics_lease_expiries   (JswMetrics   *self,
                                          guint         count);
void        jsw_metrics_frame_sent       (JswMetrics   *self,
                                          guint         count);
void        jsw_metrics_request          (JswMetrics   *self,
                                          guint         status,
                                          double        seconds);
char       *jsw_metrics_render           (JswMetrics   *self,
                                          const gint64  entries_by_state[JSW_N_STATES]);

G_END_DECLS
