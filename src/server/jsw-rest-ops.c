/* jsw-rest-ops.c: the operators' endpoints: /healthz and /metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-ops"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-rest-ops.h"

/* GET /healthz: anyone; answers while the server's main loop turns */
void
jsw_rest_ops_healthz (JswRestContext *rest,
                      JswRestRequest *request)
{
  jsw_rest_reply_text (request->msg, SOUP_STATUS_OK, "application/json", g_strdup ("{\"ok\":true}"));
}

/* GET /metrics: operators only (a worker token), Prometheus text format */
void
jsw_rest_ops_metrics (JswRestContext *rest,
                      JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *server_text = NULL;
  g_autofree char *feed_text = NULL;
  gint64 counts[JSW_N_STATES];

  if (request->auth->kind != JSW_KIND_SERVER)
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_FORBIDDEN, _("Metrics are for operators; use a worker token"));
      return;
    }
  if (!jsw_store_count_by_state (rest->store, counts, &error) ||
      (sources = jsw_store_list_sources (rest->store, &error)) == NULL)
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }

  server_text = jsw_metrics_render (rest->metrics, counts);
  feed_text = jsw_feed_syncer_render_metrics (rest->syncer, sources);
  jsw_rest_reply_text (request->msg, SOUP_STATUS_OK, "text/plain; version=0.0.4",
                       g_strconcat (server_text, feed_text, NULL));
}
