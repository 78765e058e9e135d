/* test-metrics.c: what /metrics says, from the counts it was given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-metrics.h"

static char *
render (JswMetrics *metrics)
{
  gint64 counts[JSW_N_STATES] = { 0 };

  counts[JSW_STATE_QUEUED] = 3;
  counts[JSW_STATE_RUNNING] = 1;
  return jsw_metrics_render (metrics, counts);
}

static void
assert_line (const char *text,
             const char *line)
{
  g_autofree char *whole_line = g_strconcat ("\n", line, "\n", NULL);

  if (strstr (text, whole_line) == NULL)
    g_error ("/metrics lacks the line “%s”:\n%s", line, text);
}

static double
sample (const char *text,
        const char *name)
{
  g_autofree char *prefix = g_strconcat ("\n", name, " ", NULL);
  const char *line = strstr (text, prefix);

  g_assert_nonnull (line);
  return g_ascii_strtod (line + strlen (prefix), NULL);
}

static void
test_counts (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autofree char *text = NULL;

  jsw_metrics_stream_opened (metrics, JSW_KIND_DESKTOP);
  jsw_metrics_stream_opened (metrics, JSW_KIND_DESKTOP);
  jsw_metrics_stream_opened (metrics, JSW_KIND_SERVER);
  jsw_metrics_stream_closed (metrics, JSW_KIND_DESKTOP);
  jsw_metrics_claim (metrics, TRUE);
  jsw_metrics_claim (metrics, FALSE);
  jsw_metrics_claim (metrics, FALSE);
  jsw_metrics_lease_expiries (metrics, 4);
  jsw_metrics_frame_sent (metrics, 5);
  jsw_metrics_frame_sent (metrics, 0);

  text = render (metrics);
  assert_line (text, "jobswipe_stream_connections{kind=\"desktop\"} 1");
  assert_line (text, "jobswipe_stream_connections{kind=\"server\"} 1");
  assert_line (text, "jobswipe_entries{state=\"queued\"} 3");
  assert_line (text, "jobswipe_entries{state=\"running\"} 1");
  assert_line (text, "jobswipe_entries{state=\"submitted\"} 0");
  assert_line (text, "jobswipe_claims_total{result=\"won\"} 1");
  assert_line (text, "jobswipe_claims_total{result=\"lost\"} 2");
  assert_line (text, "jobswipe_lease_expiries_total 4");
  assert_line (text, "jobswipe_stream_frames_sent_total 5");
}

/* Requests by status class, and the latency histogram's buckets, which
 * are cumulative (Prometheus: a bucket counts everything up to its le). */
static void
test_requests (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autofree char *text = NULL;

  jsw_metrics_request (metrics, 200, 0.0004);
  jsw_metrics_request (metrics, 201, 0.003);
  jsw_metrics_request (metrics, 404, 0.2);
  jsw_metrics_request (metrics, 500, 3.0);

  text = render (metrics);
  assert_line (text, "jobswipe_http_requests_total{code=\"2xx\"} 2");
  assert_line (text, "jobswipe_http_requests_total{code=\"4xx\"} 1");
  assert_line (text, "jobswipe_http_requests_total{code=\"5xx\"} 1");
  assert_line (text, "jobswipe_http_requests_total{code=\"3xx\"} 0");
  assert_line (text, "jobswipe_http_request_duration_seconds_bucket{le=\"0.0005\"} 1");
  assert_line (text, "jobswipe_http_request_duration_seconds_bucket{le=\"0.005\"} 2");
  assert_line (text, "jobswipe_http_request_duration_seconds_bucket{le=\"0.25\"} 3");
  assert_line (text, "jobswipe_http_request_duration_seconds_bucket{le=\"2.5\"} 3");
  assert_line (text, "jobswipe_http_request_duration_seconds_bucket{le=\"+Inf\"} 4");
  assert_line (text, "jobswipe_http_request_duration_seconds_count 4");
  g_assert_cmpfloat_with_epsilon (sample (text, "jobswipe_http_request_duration_seconds_sum"), 3.2034, 1e-9);
}

/* Every sample line belongs to a metric announced by # HELP and # TYPE. */
static void
test_format (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autofree char *text = render (metrics);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (g_str_has_suffix (text, "\n"));
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autofree char *name = NULL;

      if (g_str_has_prefix (lines[i], "# HELP "))
        continue;
      if (g_str_has_prefix (lines[i], "# TYPE "))
        {
          g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);

          g_assert_cmpuint (g_strv_length (words), ==, 4);
          g_hash_table_add (typed, g_strdup (words[2]));
          continue;
        }
      name = g_strndup (lines[i], strcspn (lines[i], "{ "));
      if (g_str_has_suffix (name, "_bucket") || g_str_has_suffix (name, "_count"))
        name[strlen (name) - (g_str_has_suffix (name, "_count") ? 6 : 7)] = '\0';
      else if (g_str_has_suffix (name, "_sum"))
        name[strlen (name) - 4] = '\0';
      g_assert_true (g_hash_table_contains (typed, name));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/counts", test_counts);
  g_test_add_func ("/metrics/requests-and-latency", test_requests);
  g_test_add_func ("/metrics/format", test_format);
  return g_test_run ();
}
