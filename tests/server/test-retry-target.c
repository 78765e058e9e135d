/* test-retry-target.c: POST /v1/queue/{id}/retry with a target
 * (docs/server.md, Additions): an entry a worker handed to the person is
 * queued again and moved to their desktop in one request, so no worker
 * claims it in between; a bad body changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-test-util.h"

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *token;
  char          *worker_token;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = jsw_test_server_start (NULL);
  f->session = jsw_test_session_new ();
  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  f->worker_token = jsw_test_server_worker_token (f->server, "test-worker");
  jsw_test_set_mode (f->session, f->server, f->token, "server");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  jsw_test_server_free (f->server);
  g_free (f->token);
  g_free (f->worker_token);
}

static JswTestStream *
worker_stream (Fixture *f)
{
  JswTestStream *stream = jsw_test_stream_open (f->server, f->worker_token, NULL);
  g_autoptr(JsonObject) welcome = NULL;

  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"worker-1\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  return stream;
}

/* The next frame of @type, past the entries the worker is told about. */
static JsonObject *
expect (JswTestStream *stream,
        const char    *type)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_next (stream, 5000);

      g_assert_nonnull (frame);
      if (g_str_equal (json_object_get_string_member (frame, "type"), type))
        return g_steal_pointer (&frame);
      g_assert_cmpstr (json_object_get_string_member (frame, "type"), ==, "entry");
    }
  g_error ("no %s frame", type);
}

/* A worker claims @entry_id and hands it to the person: needs_user. */
static void
worker_needs_user (JswTestStream *worker,
                   const char    *entry_id)
{
  g_autofree char *claim = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c1\",\"entry\":\"%s\"}", entry_id);
  g_autoptr(JsonObject) claimed = NULL;
  g_autofree char *result = NULL;
  g_autoptr(JsonObject) ack = NULL;

  jsw_test_stream_send (worker, claim);
  claimed = expect (worker, "claimed");
  result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r1\",\"lease\":\"%s\",\"outcome\":\"needs_user\","
                            "\"error\":\"What is your notice period?\"}",
                            json_object_get_string_member (claimed, "lease"));
  jsw_test_stream_send (worker, result);
  ack = expect (worker, "ack");
}

static JsonObject *
get_entry (Fixture    *f,
           const char *path)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "GET", path, f->token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (node));
}

static void
test_retry_to_desktop (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JswTestStream) worker = worker_stream (f);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->token, "rt-1", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
  g_autofree char *retry = g_strconcat (path, "/retry", NULL);
  g_autofree char *claim = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c2\",\"entry\":\"%s\"}", id);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) after = NULL;
  JsonObject *moved;

  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "server");
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->token, "server_month"), ==, 1);
  worker_needs_user (worker, id);

  answer = jsw_test_http (f->session, f->server, "POST", retry, f->token, "{\"target\":\"desktop\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  moved = json_node_get_object (answer);
  g_assert_cmpstr (json_object_get_string_member (moved, "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (moved, "target"), ==, "desktop");
  /* Run on the desktop, it no longer uses the server's quota. */
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->token, "server_month"), ==, 0);

  /* The worker, told it was queued, cannot have it. */
  jsw_test_stream_send (worker, claim);
  refused = expect (worker, "error");
  g_assert_cmpstr (json_object_get_string_member (refused, "re"), ==, "c2");
  after = get_entry (f, path);
  g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (after, "target"), ==, "desktop");
}

/* Without a body it is queued again where it was (PROTOCOL.md). */
static void
test_retry_without_target (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JswTestStream) worker = worker_stream (f);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->token, "rt-2", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *retry = g_strdup_printf ("/v1/queue/%s/retry", id);
  g_autoptr(JsonNode) answer = NULL;

  worker_needs_user (worker, id);
  answer = jsw_test_http (f->session, f->server, "POST", retry, f->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "target"), ==, "server");
}

/* A body that is not a target: 400, and the entry still needs the person. */
static void
test_retry_bad_target (Fixture       *f,
                       gconstpointer  data)
{
  static const char *bodies[] = {
    "{\"target\":\"undecided\"}", "{\"target\":\"moon\"}", "{\"target\":5}", "{}", "[\"desktop\"]",
    "{\"target\":\"desktop\",\"target\":\"server\"}", "not json",
  };
  g_autoptr(JswTestStream) worker = worker_stream (f);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->token, "rt-3", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
  g_autofree char *retry = g_strconcat (path, "/retry", NULL);

  worker_needs_user (worker, id);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) answer = jsw_test_http (f->session, f->server, "POST", retry, f->token, bodies[i], &status);
      g_autoptr(JsonObject) still = get_entry (f, path);

      g_test_message ("body %s", bodies[i]);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (jsw_test_error_code (answer), ==, "invalid");
      g_assert_cmpstr (json_object_get_string_member (still, "state"), ==, "needs_user");
      g_assert_cmpstr (json_object_get_string_member (still, "target"), ==, "server");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/retry-target/to-desktop", Fixture, NULL, fixture_set_up, test_retry_to_desktop, fixture_tear_down);
  g_test_add ("/retry-target/without-target", Fixture, NULL, fixture_set_up, test_retry_without_target, fixture_tear_down);
  g_test_add ("/retry-target/bad-target", Fixture, NULL, fixture_set_up, test_retry_bad_target, fixture_tear_down);

  return g_test_run ();
}
