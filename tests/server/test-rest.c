/* test-rest.c: the REST side of PROTOCOL.md against a real server process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-test-util.h"

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;     /* tokens */
  char          *alice_id;
  char          *bob;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = jsw_test_server_start (NULL);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "free", &f->alice_id);
  f->bob = jsw_test_server_add_user (f->server, "bob@example.com", "pro", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, jsw_test_server_free);
  g_free (f->alice);
  g_free (f->alice_id);
  g_free (f->bob);
}

static JsonObject *
get_object (Fixture    *f,
            const char *path,
            const char *token,
            guint       expected_status)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static guint
count_entries (Fixture    *f,
               const char *token)
{
  g_autoptr(JsonObject) queue = get_object (f, "/v1/queue", token, 200);

  return json_array_get_length (json_object_get_array_member (queue, "entries"));
}

static void
test_healthz (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) health = get_object (f, "/healthz", NULL, 200);

  g_assert_true (json_object_get_boolean_member (health, "ok"));
}

static void
test_auth_required (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *worker = jsw_test_server_worker_token (f->server, "w1");
  guint status;
  g_autoptr(JsonNode) none = jsw_test_http (f->session, f->server, "GET", "/v1/me", NULL, NULL, &status);
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) as_worker = NULL;

  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (jsw_test_error_code (none), ==, "unauthorized");

  wrong = jsw_test_http (f->session, f->server, "GET", "/v1/queue", "jsw_not-a-token", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (jsw_test_error_code (wrong), ==, "unauthorized");

  as_worker = jsw_test_http (f->session, f->server, "GET", "/v1/me", worker, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (jsw_test_error_code (as_worker), ==, "forbidden");
}

static void
test_me_and_preference (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) me = get_object (f, "/v1/me", f->alice, 200);
  JsonObject *limits = json_object_get_object_member (me, "limits");
  guint status;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_assert_cmpstr (json_object_get_string_member (me, "email"), ==, "alice@example.com");
  g_assert_cmpstr (json_object_get_string_member (me, "user_id"), ==, f->alice_id);
  g_assert_cmpstr (json_object_get_string_member (me, "plan"), ==, "free");
  g_assert_cmpstr (json_object_get_string_member (me, "execution_mode"), ==, "auto");
  g_assert_cmpint (json_object_get_int_member (limits, "server_month"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (limits, "total_month"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (limits, "daily"), ==, 3);
  /* No billing on this server: no plan for sale, so the app offers no
   * Upgrade. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (me, "subscription"),
                                                                          "plans_for_sale")), ==, 0);

  changed = jsw_test_http (f->session, f->server, "PUT", "/v1/me/preference", f->alice,
                           "{\"execution_mode\":\"desktop\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changed), "execution_mode"), ==, "desktop");

  refused = jsw_test_http (f->session, f->server, "PUT", "/v1/me/preference", f->alice,
                           "{\"execution_mode\":\"sometimes\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");

  after = get_object (f, "/v1/me", f->alice, 200);
  g_assert_cmpstr (json_object_get_string_member (after, "execution_mode"), ==, "desktop");
}

static void
test_swipe_right_once (Fixture       *f,
                       gconstpointer  data)
{
  guint status;
  g_autoptr(JsonObject) first = jsw_test_swipe_right (f->session, f->server, f->alice, "job-1", &status);
  g_autoptr(JsonObject) again = NULL;
  JsonObject *snapshot;

  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (first, "target"), ==, "server");
  g_assert_cmpint (json_object_get_int_member (first, "attempt"), ==, 1);
  snapshot = json_object_get_object_member (first, "snapshot");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "company"), ==, "Example GmbH");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (snapshot, "extra"), "team"), ==, "platform");

  again = jsw_test_swipe_right (f->session, f->server, f->alice, "job-1", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (again, "id"), ==, json_object_get_string_member (first, "id"));

  g_assert_cmpuint (count_entries (f, f->alice), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "total_month"), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "server_month"), ==, 1);
}

static void
test_swipe_left (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *job = jsw_test_job_json ("job-left");
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"left\",\"job\":%s}", job);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, body, &status);

  g_assert_cmpuint (status, ==, 204);
  g_assert_null (node);
  g_assert_cmpuint (count_entries (f, f->alice), ==, 0);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 0);
}

static void
test_swipe_invalid (Fixture       *f,
                    gconstpointer  data)
{
  static const char *bodies[] = {
    "",
    "not json",
    "{\"direction\":\"right\"",
    "[]",
    "42",
    "{}",
    "{\"direction\":\"right\"}",
    "{\"direction\":\"up\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
    "{\"direction\":7,\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
    "{\"direction\":\"right\",\"job\":\"a job\"}",
    "{\"direction\":\"right\",\"job\":{\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":12,\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"ftp://x.example/\"}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"javascript:alert(1)\"}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\",\"salary\":100000}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\",\"extra\":[1]}}",
    "{\"direction\":\"right\",\"job\":{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}} trailing",
    "\xff\xfe{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      guint status;
      g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, bodies[i], &status);
      JsonObject *error;

      g_autofree char *printable = g_strescape (bodies[i], NULL);

      g_test_message ("body %u: %s", i, printable);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (jsw_test_error_code (node), ==, "invalid");
      error = json_object_get_object_member (json_node_get_object (node), "error");
      g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
    }

  /* Nothing was created, nothing was charged. */
  g_assert_cmpuint (count_entries (f, f->alice), ==, 0);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 0);
}

static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  GString *body = g_string_new ("{\"direction\":\"right\",\"job\":");
  g_autofree char *text = NULL;
  guint status;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) health = NULL;

  /* 500,000 levels would overflow a recursive parser's stack. */
  for (guint i = 0; i < 500000; i++)
    g_string_append_c (body, '[');
  text = g_string_free (body, FALSE);

  node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, text, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (jsw_test_error_code (node), ==, "invalid");
  health = get_object (f, "/healthz", NULL, 200);
  g_assert_cmpuint (count_entries (f, f->alice), ==, 0);
}

static void
test_body_too_large (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *job = jsw_test_job_json ("job-big");
  GString *body = g_string_new ("{\"direction\":\"right\",\"job\":");
  g_autofree char *text = NULL;
  guint status;
  g_autoptr(JsonNode) node = NULL;

  /* A valid swipe padded with 2 MiB of description. */
  g_string_append_len (body, job, strlen (job) - 1);
  g_string_append (body, ",\"description\":\"");
  for (guint i = 0; i < 2 * 1024 * 1024 / 64; i++)
    g_string_append (body, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (body, "\"}}");
  text = g_string_free (body, FALSE);

  node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, text, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (jsw_test_error_code (node), ==, "payload_too_large");
  g_assert_cmpuint (count_entries (f, f->alice), ==, 0);
}

static JsonNode *
swipe_with_key (Fixture    *f,
                const char *direction,
                const char *job_id,
                const char *key,
                guint      *status)
{
  g_autofree char *job = jsw_test_job_json (job_id);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"%s\",\"job\":%s}", direction, job);
  g_autofree char *url = g_strconcat (f->server->url, "/v1/swipes", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->alice, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  response = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (g_bytes_get_size (response) == 0)
    return NULL;
  return json_from_string (g_bytes_get_data (response, NULL), NULL);
}

static void
test_idempotency_key (Fixture       *f,
                      gconstpointer  data)
{
  guint status;
  g_autoptr(JsonNode) first = swipe_with_key (f, "right", "job-k", "key-1", &status);
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) left = NULL;
  g_autoptr(JsonNode) left_again = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_cmpuint (status, ==, 201);
  /* The very same answer, even its status: the retry is not a second swipe. */
  second = swipe_with_key (f, "right", "job-k", "key-1", &status);
  g_assert_cmpuint (status, ==, 201);
  a = json_to_string (first, FALSE);
  b = json_to_string (second, FALSE);
  g_assert_cmpstr (a, ==, b);

  left = swipe_with_key (f, "left", "job-l", "key-2", &status);
  g_assert_cmpuint (status, ==, 204);
  left_again = swipe_with_key (f, "left", "job-l", "key-2", &status);
  g_assert_cmpuint (status, ==, 204);

  /* A key used again with another request is refused, not answered with
   * the first one's answer (which would say this swipe was made). */
  {
    g_autoptr(JsonNode) other_job = swipe_with_key (f, "right", "job-m", "key-1", &status);

    g_assert_cmpuint (status, ==, 409);
    g_assert_cmpstr (jsw_test_error_code (other_job), ==, "conflict");
  }
  {
    g_autoptr(JsonNode) other_direction = swipe_with_key (f, "right", "job-l", "key-2", &status);

    g_assert_cmpuint (status, ==, 409);
  }

  g_assert_cmpuint (count_entries (f, f->alice), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 1);
}

static void
test_daily_quota (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("daily-%u", i);
      guint status;
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, job_id, &status);

      g_assert_cmpuint (status, ==, 201);
    }

  {
    guint status;
    g_autofree char *job = jsw_test_job_json ("daily-3");
    g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
    g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, body, &status);

    g_assert_cmpuint (status, ==, 402);
    g_assert_cmpstr (jsw_test_error_code (node), ==, "quota_exceeded");
  }

  g_assert_cmpuint (count_entries (f, f->alice), ==, 3);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 3);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "total_month"), ==, 3);
}

typedef struct {
  guint created;
  guint refused;
  guint other;
  guint pending;
} SwipeTally;

static void
concurrent_swipe_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SwipeTally *tally = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  switch (soup_message_get_status (msg))
    {
    case 201: tally->created++; break;
    case 402: tally->refused++; break;
    default:
      g_test_message ("unexpected status %u (%s)", soup_message_get_status (msg),
                      error ? error->message : "no error");
      tally->other++;
      break;
    }
  tally->pending--;
}

static void
test_concurrent_swipes (Fixture       *f,
                        gconstpointer  data)
{
  SwipeTally tally = { 0, 0, 0, 50 };
  g_autofree char *url = g_strconcat (f->server->url, "/v1/swipes", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->alice, NULL);

  /* 50 right swipes on 50 different jobs, all in flight at once. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("rush-%u", i);
      g_autofree char *job = jsw_test_job_json (job_id);
      g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, concurrent_swipe_done, &tally);
    }

  while (tally.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (tally.created, ==, 3);
  g_assert_cmpuint (tally.refused, ==, 47);
  g_assert_cmpuint (tally.other, ==, 0);
  g_assert_cmpuint (count_entries (f, f->alice), ==, 3);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 3);
}

static char *
user_on_tiny_plan (Fixture    *f,
                   const char *email)
{
  g_autoptr(JsonObject) plan = jsw_test_server_cli (f->server, NULL, "plan", "set", "tiny",
                                                    "--server-month", "1", "--total-month", "20",
                                                    "--daily", "20", NULL);

  g_assert_cmpint (json_object_get_int_member (plan, "server_month"), ==, 1);
  return jsw_test_server_add_user (f->server, email, "tiny", NULL);
}

static const char *
target_of (JsonObject *entry)
{
  return json_object_get_string_member (entry, "target");
}

static void
test_routing_modes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *carol = user_on_tiny_plan (f, "carol@example.com");
  guint status;
  g_autoptr(JsonObject) first = jsw_test_swipe_right (f->session, f->server, carol, "r-1", &status);
  g_autoptr(JsonObject) second = jsw_test_swipe_right (f->session, f->server, carol, "r-2", &status);
  g_autoptr(JsonObject) desktop = NULL;
  g_autoptr(JsonObject) asked = NULL;
  g_autofree char *job = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) refused = NULL;

  /* auto: server while server quota remains, else desktop */
  g_assert_cmpstr (target_of (first), ==, "server");
  g_assert_cmpstr (target_of (second), ==, "desktop");

  /* server: a 402 instead of silently going to the desktop */
  jsw_test_set_mode (f->session, f->server, carol, "server");
  job = jsw_test_job_json ("r-3");
  body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
  refused = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", carol, body, &status);
  g_assert_cmpuint (status, ==, 402);
  g_assert_cmpstr (jsw_test_error_code (refused), ==, "quota_exceeded");

  jsw_test_set_mode (f->session, f->server, carol, "desktop");
  desktop = jsw_test_swipe_right (f->session, f->server, carol, "r-4", &status);
  g_assert_cmpstr (target_of (desktop), ==, "desktop");

  jsw_test_set_mode (f->session, f->server, carol, "ask");
  asked = jsw_test_swipe_right (f->session, f->server, carol, "r-5", &status);
  g_assert_cmpstr (target_of (asked), ==, "undecided");

  /* Routing an undecided entry to the server needs server quota, which
   * the first entry holds; moving that one to the desktop gives it back. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/queue/%s/route", json_object_get_string_member (asked, "id"));
    g_autofree char *first_path = g_strdup_printf ("/v1/queue/%s/route", json_object_get_string_member (first, "id"));
    g_autoptr(JsonNode) no = jsw_test_http (f->session, f->server, "POST", path, carol, "{\"target\":\"server\"}", &status);
    g_autoptr(JsonNode) moved = NULL;
    g_autoptr(JsonNode) yes = NULL;
    g_autoptr(JsonNode) bad = NULL;

    g_assert_cmpuint (status, ==, 402);
    g_assert_cmpstr (jsw_test_error_code (no), ==, "quota_exceeded");

    moved = jsw_test_http (f->session, f->server, "POST", first_path, carol, "{\"target\":\"desktop\"}", &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (target_of (json_node_get_object (moved)), ==, "desktop");
    g_assert_cmpint (jsw_test_usage_of (f->session, f->server, carol, "server_month"), ==, 0);

    yes = jsw_test_http (f->session, f->server, "POST", path, carol, "{\"target\":\"server\"}", &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (target_of (json_node_get_object (yes)), ==, "server");
    g_assert_cmpint (jsw_test_usage_of (f->session, f->server, carol, "server_month"), ==, 1);

    bad = jsw_test_http (f->session, f->server, "POST", path, carol, "{\"target\":\"moon\"}", &status);
    g_assert_cmpuint (status, ==, 400);
  }
}

static void
test_other_users_entry (Fixture       *f,
                        gconstpointer  data)
{
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "private", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
  g_autofree char *cancel = g_strdup_printf ("/v1/queue/%s/cancel", id);
  g_autoptr(JsonNode) read = jsw_test_http (f->session, f->server, "GET", path, f->bob, NULL, &status);
  g_autoptr(JsonNode) cancelled = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonObject) mine = NULL;

  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpstr (jsw_test_error_code (read), ==, "not_found");

  cancelled = jsw_test_http (f->session, f->server, "POST", cancel, f->bob, NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Indistinguishable from an id that does not exist at all. */
  missing = jsw_test_http (f->session, f->server, "GET", "/v1/queue/e_nope", f->bob, NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  g_assert_cmpuint (count_entries (f, f->bob), ==, 0);
  mine = get_object (f, path, f->alice, 200);
  g_assert_cmpstr (json_object_get_string_member (mine, "state"), ==, "queued");
}

static void
test_cancel_and_swipe_again (Fixture       *f,
                             gconstpointer  data)
{
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "again", &status);
  g_autofree char *cancel = g_strdup_printf ("/v1/queue/%s/cancel", json_object_get_string_member (entry, "id"));
  g_autofree char *retry = g_strdup_printf ("/v1/queue/%s/retry", json_object_get_string_member (entry, "id"));
  g_autoptr(JsonNode) cancelled = jsw_test_http (f->session, f->server, "POST", cancel, f->alice, NULL, &status);
  g_autoptr(JsonNode) twice = NULL;
  g_autoptr(JsonNode) retried = NULL;
  g_autoptr(JsonObject) fresh = NULL;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cancelled), "state"), ==, "cancelled");
  /* A cancelled entry gives back what it consumed. */
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 0);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "server_month"), ==, 0);

  twice = jsw_test_http (f->session, f->server, "POST", cancel, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (jsw_test_error_code (twice), ==, "conflict");
  retried = jsw_test_http (f->session, f->server, "POST", retry, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "daily"), ==, 0);

  /* Swiping right again makes a new entry, since the old one is cancelled. */
  fresh = jsw_test_swipe_right (f->session, f->server, f->alice, "again", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (fresh, "id"), !=, json_object_get_string_member (entry, "id"));
  g_assert_cmpuint (count_entries (f, f->alice), ==, 2);
}

/* Marking as sent or not is for an entry that may have been sent
 * (needs_review) only; anything else changes nothing. The way from
 * needs_review is tested end to end in tests/app/test-handoff.c. */
static void
test_resolve_refused (Fixture       *f,
                      gconstpointer  data)
{
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "resolve", &status);
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", json_object_get_string_member (entry, "id"));
  g_autofree char *resolve = g_strconcat (path, "/resolve", NULL);
  g_autoptr(JsonNode) queued = jsw_test_http (f->session, f->server, "POST", resolve, f->alice, "{\"sent\":true}", &status);
  g_autoptr(JsonNode) no_body = NULL;
  g_autoptr(JsonNode) wrong_type = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonObject) still = NULL;

  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (jsw_test_error_code (queued), ==, "conflict");
  no_body = jsw_test_http (f->session, f->server, "POST", resolve, f->alice, "{}", &status);
  g_assert_cmpuint (status, ==, 400);
  wrong_type = jsw_test_http (f->session, f->server, "POST", resolve, f->alice, "{\"sent\":\"yes\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  other = jsw_test_http (f->session, f->server, "POST", resolve, f->bob, "{\"sent\":true}", &status);
  g_assert_cmpuint (status, ==, 404);
  still = get_object (f, path, f->alice, 200);
  g_assert_cmpstr (json_object_get_string_member (still, "state"), ==, "queued");
}

static void
test_queue_filter (Fixture       *f,
                   gconstpointer  data)
{
  guint status;
  g_autoptr(JsonObject) a = jsw_test_swipe_right (f->session, f->server, f->bob, "f-1", &status);
  g_autoptr(JsonObject) b = jsw_test_swipe_right (f->session, f->server, f->bob, "f-2", &status);
  g_autofree char *cancel = g_strdup_printf ("/v1/queue/%s/cancel", json_object_get_string_member (a, "id"));
  g_autoptr(JsonNode) cancelled = jsw_test_http (f->session, f->server, "POST", cancel, f->bob, NULL, &status);
  g_autoptr(JsonObject) queued = get_object (f, "/v1/queue?state=queued", f->bob, 200);
  g_autoptr(JsonObject) all = get_object (f, "/v1/queue", f->bob, 200);
  g_autoptr(JsonNode) bad = jsw_test_http (f->session, f->server, "GET", "/v1/queue?state=sleeping", f->bob, NULL, &status);
  JsonArray *entries = json_object_get_array_member (queued, "entries");
  JsonArray *everything = json_object_get_array_member (all, "entries");

  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "job_id"), ==, "f-2");
  /* newest first */
  g_assert_cmpuint (json_array_get_length (everything), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (everything, 0), "job_id"), ==, "f-2");
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (jsw_test_error_code (bad), ==, "invalid");
}

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) user = jsw_test_server_cli (f->server, "correct horse battery\n", "user", "add",
                                                    "dave@example.com", "--password-stdin", NULL);
  guint status;
  g_autoptr(JsonNode) ok = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL,
                                          "{\"email\":\"dave@example.com\",\"password\":\"correct horse battery\",\"device\":\"laptop\"}",
                                          &status);
  const char *token;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) malformed = NULL;
  g_autofree char *wrong_text = NULL;
  g_autofree char *unknown_text = NULL;

  g_assert_cmpuint (status, ==, 201);
  token = json_object_get_string_member (json_node_get_object (ok), "token");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ok), "user_id"), ==,
                   json_object_get_string_member (user, "user_id"));
  me = get_object (f, "/v1/me", token, 200);
  g_assert_cmpstr (json_object_get_string_member (me, "email"), ==, "dave@example.com");

  /* The same answer whether the e-mail exists or not. */
  wrong = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL,
                         "{\"email\":\"dave@example.com\",\"password\":\"nope\",\"device\":\"laptop\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  unknown = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL,
                           "{\"email\":\"nobody@example.com\",\"password\":\"nope\",\"device\":\"laptop\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  wrong_text = json_to_string (wrong, FALSE);
  unknown_text = json_to_string (unknown, FALSE);
  g_assert_cmpstr (wrong_text, ==, unknown_text);

  malformed = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL, "{\"email\":1}", &status);
  g_assert_cmpuint (status, ==, 400);

  /* Repeated failures: 429, even with the right password. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonNode) again = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL,
                                                 "{\"email\":\"dave@example.com\",\"password\":\"nope\",\"device\":\"l\"}",
                                                 &status);
    }
  {
    g_autoptr(JsonNode) limited = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL,
                                                 "{\"email\":\"dave@example.com\",\"password\":\"correct horse battery\",\"device\":\"l\"}",
                                                 &status);

    g_assert_cmpuint (status, ==, 429);
    g_assert_cmpstr (jsw_test_error_code (limited), ==, "rate_limited");
  }
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *worker = jsw_test_server_worker_token (f->server, "ops");
  g_autofree char *url = g_strconcat (f->server->url, "/metrics", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", worker, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "m-1", &status);
  g_autoptr(JsonNode) denied = jsw_test_http (f->session, f->server, "GET", "/metrics", f->alice, NULL, &status);

  g_assert_cmpuint (status, ==, 403);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "jobswipe_entries{state=\"queued\"} 1\n"));
  g_assert_nonnull (strstr (text, "jobswipe_stream_connections{kind=\"desktop\"} 0\n"));
  g_assert_nonnull (strstr (text, "jobswipe_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
  g_assert_nonnull (strstr (text, "jobswipe_claims_total{result=\"won\"} 0\n"));
}

static void
test_unknown_endpoint (Fixture       *f,
                       gconstpointer  data)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "GET", "/v1/nothing-here", f->alice, NULL, &status);
  g_autoptr(JsonNode) root = jsw_test_http (f->session, f->server, "DELETE", "/v1/queue", f->alice, NULL, &status);

  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpstr (jsw_test_error_code (node), ==, "not_found");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rest/healthz", test_healthz);
  ADD ("/rest/auth/required", test_auth_required);
  ADD ("/rest/me/preference", test_me_and_preference);
  ADD ("/rest/swipes/right-once", test_swipe_right_once);
  ADD ("/rest/swipes/left", test_swipe_left);
  ADD ("/rest/swipes/invalid", test_swipe_invalid);
  ADD ("/rest/swipes/too-large", test_body_too_large);
  ADD ("/rest/swipes/deep-nesting", test_deep_nesting);
  ADD ("/rest/swipes/idempotency-key", test_idempotency_key);
  ADD ("/rest/quota/daily", test_daily_quota);
  ADD ("/rest/quota/concurrent-swipes", test_concurrent_swipes);
  ADD ("/rest/routing/modes", test_routing_modes);
  ADD ("/rest/queue/other-user", test_other_users_entry);
  ADD ("/rest/queue/cancel", test_cancel_and_swipe_again);
  ADD ("/rest/queue/filter", test_queue_filter);
  ADD ("/rest/queue/resolve-refused", test_resolve_refused);
  ADD ("/rest/sessions", test_sessions);
  ADD ("/rest/metrics", test_metrics);
  ADD ("/rest/unknown", test_unknown_endpoint);
#undef ADD

  return g_test_run ();
}
