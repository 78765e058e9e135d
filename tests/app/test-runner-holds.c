/* test-runner-holds.c: a claim the server refuses holds that entry back
 * on this desktop, not the queue behind it
 *
 * The real server refuses a LinkedIn entry at night in the person's time
 * zone (docs/server.md "LinkedIn (issue 16)"); the real `jobswipe` under
 * Xvfb applies by itself. Before, it asked for the refused entry again
 * and again at full speed, and the entry queued after it never ran.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-app-fixture.h"

/* A fixed-offset zone where it is about 02:00 now: LinkedIn's night. */
static char *
zone_where_it_is_night (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int offset = 2 - g_date_time_get_hour (now);

  if (offset < -12)
    offset += 24;
  return g_strdup_printf ("%c%02d:00", offset < 0 ? '-' : '+', ABS (offset));
}

/* The server's count of refused claims (/metrics, an operator's token). */
static gint64
claims_lost (Fixture *f)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = g_strconcat (f->server->url, "/metrics", NULL);
  g_autofree char *token = jsw_test_server_worker_token (f->server, "ops");
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *text = NULL;
  const char *line = "jobswipe_claims_total{result=\"lost\"} ";
  const char *at;

  message = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
  body = soup_session_send_and_read (f->session, message, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  at = strstr (text, line);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (line), NULL, 10);
}

static char *
swipe_linkedin (Fixture *f)
{
  const char *body = "{\"direction\":\"right\",\"job\":{\"job_id\":\"li-night\",\"title\":\"Compiler Engineer\","
                     "\"company\":\"Analytical Engines\",\"apply_url\":\"https://www.linkedin.com/jobs/view/4242/\"}}";
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->watcher, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "entry"), "id"));
}

/* LinkedIn's night: its entry is refused and held back; the entry queued
 * after it is applied to on the site, and the server saw only a handful of
 * claims of the LinkedIn entry in all that time. */
static void
test_refused_entry_waits (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *zone = zone_where_it_is_night ();
  g_autofree char *put = g_strdup_printf ("{\"timezone\":\"%s\"}", zone);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) linkedin = NULL;
  g_autofree char *linkedin_id = NULL;
  g_autofree char *normal_id = NULL;
  g_autofree char *state = NULL;
  gint64 refused;
  guint status;

  answer = jsw_test_http (f->session, f->server, "PUT", "/v1/me/linkedin", f->watcher, put, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (answer), "may_start_now"));

  linkedin_id = swipe_linkedin (f);
  normal_id = swipe (f, "h-after", "/greenhouse/happy");
  start_app_with (f, "--auto-apply");

  state = follow (f, stream, normal_id, 120, NULL, NULL);
  g_assert_cmpstr (state, ==, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);

  /* A few seconds more of what a loop would fill with claims. */
  jsw_test_iterate_for (5000);
  refused = claims_lost (f);
  g_test_message ("claims of the LinkedIn entry refused: %" G_GINT64_FORMAT, refused);
  g_assert_cmpint (refused, >=, 1);
  g_assert_cmpint (refused, <=, 3);
  linkedin = get_entry (f, linkedin_id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (linkedin), "state"), ==, "queued");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (skip_without_desktop ())
    return 0;

  g_test_add ("/app/runner-holds/refused-entry-waits", Fixture, NULL,
              fixture_set_up, test_refused_entry_waits, fixture_tear_down);

  return g_test_run ();
}
