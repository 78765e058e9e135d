/* jsw-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-metrics"

#include "config.h"

#include "jsw-metrics.h"

/* Request latency buckets, in seconds: the interesting range for an API
 * answered from a local database is well under a millisecond to a second. */
static const double latency_buckets[] = {
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
};

struct _JswMetrics
{
  GObject parent_instance;

  gint64  streams[2];                 /* by JswKind */
  guint64 claims_won;
  guint64 claims_lost;
  guint64 lease_expiries;
  guint64 frames_sent;
  guint64 requests_by_class[6];       /* 1xx..5xx */
  guint64 latency_counts[G_N_ELEMENTS (latency_buckets)];
  guint64 latency_count;
  double  latency_sum;
};

G_DEFINE_FINAL_TYPE (JswMetrics, jsw_metrics, G_TYPE_OBJECT)

static void
jsw_metrics_class_init (JswMetricsClass *klass)
{
}

static void
jsw_metrics_init (JswMetrics *self)
{
}

JswMetrics *
jsw_metrics_new (void)
{
  return g_object_new (JSW_TYPE_METRICS, NULL);
}

void
jsw_metrics_stream_opened (JswMetrics *self,
                           JswKind     kind)
{
  self->streams[kind]++;
}

/* Open streams of @kind: desktops (JSW_KIND_DESKTOP) or workers. */
gint64
jsw_metrics_get_streams (JswMetrics *self,
                         JswKind     kind)
{
  return self->streams[kind];
}

void
jsw_metrics_stream_closed (JswMetrics *self,
                           JswKind     kind)
{
  self->streams[kind]--;
}

void
jsw_metrics_claim (JswMetrics *self,
                   gboolean    won)
{
  if (won)
    self->claims_won++;
  else
    self->claims_lost++;
}

void
jsw_metrics_lease_expiries (JswMetrics *self,
                            guint       count)
{
  self->lease_expiries += count;
}

void
jsw_metrics_frame_sent (JswMetrics *self,
                        guint       count)
{
  self->frames_sent += count;
}

void
jsw_metrics_request (JswMetrics *self,
                     guint       status,
                     double      seconds)
{
  guint klass = status / 100;

  if (klass < G_N_ELEMENTS (self->requests_by_class))
    self->requests_by_class[klass]++;

  for (guint i = 0; i < G_N_ELEMENTS (latency_buckets); i++)
    if (seconds <= latency_buckets[i])
      self->latency_counts[i]++;
  self->latency_count++;
  self->latency_sum += seconds;
}

char *
jsw_metrics_render (JswMetrics   *self,
                    const gint64  entries_by_state[JSW_N_STATES])
{
  GString *out = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "# HELP jobswipe_stream_connections Open stream (WebSocket) connections.\n"
                        "# TYPE jobswipe_stream_connections gauge\n");
  for (int kind = 0; kind < 2; kind++)
    g_string_append_printf (out, "jobswipe_stream_connections{kind=\"%s\"} %" G_GINT64_FORMAT "\n",
                            jsw_kind_to_string ((JswKind) kind), self->streams[kind]);

  g_string_append (out, "# HELP jobswipe_entries Queue entries by state.\n"
                        "# TYPE jobswipe_entries gauge\n");
  for (int state = 0; state < JSW_N_STATES; state++)
    g_string_append_printf (out, "jobswipe_entries{state=\"%s\"} %" G_GINT64_FORMAT "\n",
                            jsw_state_to_string ((JswState) state), entries_by_state[state]);

  g_string_append_printf (out,
                          "# HELP jobswipe_claims_total Claims on the stream, by result.\n"
                          "# TYPE jobswipe_claims_total counter\n"
                          "jobswipe_claims_total{result=\"won\"} %" G_GUINT64_FORMAT "\n"
                          "jobswipe_claims_total{result=\"lost\"} %" G_GUINT64_FORMAT "\n"
                          "# HELP jobswipe_lease_expiries_total Leases that expired without a result.\n"
                          "# TYPE jobswipe_lease_expiries_total counter\n"
                          "jobswipe_lease_expiries_total %" G_GUINT64_FORMAT "\n"
                          "# HELP jobswipe_stream_frames_sent_total Entry frames pushed to streams.\n"
                          "# TYPE jobswipe_stream_frames_sent_total counter\n"
                          "jobswipe_stream_frames_sent_total %" G_GUINT64_FORMAT "\n",
                          self->claims_won, self->claims_lost, self->lease_expiries, self->frames_sent);

  g_string_append (out, "# HELP jobswipe_http_requests_total HTTP requests answered, by status class.\n"
                        "# TYPE jobswipe_http_requests_total counter\n");
  for (guint i = 1; i < G_N_ELEMENTS (self->requests_by_class); i++)
    g_string_append_printf (out, "jobswipe_http_requests_total{code=\"%uxx\"} %" G_GUINT64_FORMAT "\n",
                            i, self->requests_by_class[i]);

  g_string_append (out, "# HELP jobswipe_http_request_duration_seconds Time to answer an HTTP request.\n"
                        "# TYPE jobswipe_http_request_duration_seconds histogram\n");
  /* The bounds as written above, not g_ascii_dtostr()'s round-trip digits
   * ("0.00050000000000000001"): PromQL matches `le` as a string, so
   * {le="0.005"} must be there to be found. */
  for (guint i = 0; i < G_N_ELEMENTS (latency_buckets); i++)
    g_string_append_printf (out, "jobswipe_http_request_duration_seconds_bucket{le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            g_ascii_formatd (buf, sizeof buf, "%g", latency_buckets[i]), self->latency_counts[i]);
  g_string_append_printf (out, "jobswipe_http_request_duration_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
                          self->latency_count);
  g_string_append_printf (out, "jobswipe_http_request_duration_seconds_sum %s\n",
                          g_ascii_dtostr (buf, sizeof buf, self->latency_sum));
  g_string_append_printf (out, "jobswipe_http_request_duration_seconds_count %" G_GUINT64_FORMAT "\n",
                          self->latency_count);

  return g_string_free (out, FALSE);
}
