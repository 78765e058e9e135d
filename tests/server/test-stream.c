/* test-stream.c: the push stream of PROTOCOL.md over a real WebSocket on
 * loopback, against a real server process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "jsw-test-util.h"

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;     /* desktop mode */
  char          *bob;       /* auto mode, lots of server quota */
  char          *worker;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = jsw_test_server_start (data);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "pro", NULL);
  f->bob = jsw_test_server_add_user (f->server, "bob@example.com", "pro", NULL);
  f->worker = jsw_test_server_worker_token (f->server, "worker-1");
  jsw_test_set_mode (f->session, f->server, f->alice, "desktop");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, jsw_test_server_free);
  g_free (f->alice);
  g_free (f->bob);
  g_free (f->worker);
}

static JswTestStream *
connect_and_hello (Fixture    *f,
                   const char *token,
                   gint64      since,
                   gint64     *seq)
{
  JswTestStream *stream = jsw_test_stream_open (f->server, token, NULL);
  g_autofree char *hello = g_strdup_printf ("{\"type\":\"hello\",\"device\":\"test-device\",\"since\":%" G_GINT64_FORMAT "}", since);
  g_autoptr(JsonObject) welcome = NULL;

  g_assert_nonnull (stream);
  jsw_test_stream_send (stream, hello);
  welcome = jsw_test_stream_expect (stream, "welcome");
  g_assert_cmpint (json_object_get_int_member (welcome, "lease_ttl_s"), >, 0);
  g_assert_cmpint (json_object_get_int_member (welcome, "heartbeat_s"), >, 0);
  if (seq != NULL)
    *seq = json_object_get_int_member (welcome, "seq");
  return stream;
}

static JsonObject *
entry_of (JsonObject *frame)
{
  return json_object_get_object_member (frame, "entry");
}

static const char *
state_of (JsonObject *frame)
{
  return json_object_get_string_member (entry_of (frame), "state");
}

static const char *
error_code_of (JsonObject *frame)
{
  return json_object_get_string_member (frame, "code");
}

static char *
claim (JswTestStream *stream,
       const char    *request_id,
       const char    *entry_id)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"%s\",\"entry\":\"%s\"}", request_id, entry_id);
  g_autoptr(JsonObject) claimed = NULL;

  jsw_test_stream_send (stream, frame);
  claimed = jsw_test_stream_expect (stream, "claimed");
  g_assert_cmpstr (json_object_get_string_member (claimed, "re"), ==, request_id);
  g_assert_cmpstr (json_object_get_string_member (claimed, "entry"), ==, entry_id);
  g_assert_nonnull (json_object_get_string_member (claimed, "expires_at"));
  return g_strdup (json_object_get_string_member (claimed, "lease"));
}

static void
test_no_token (Fixture       *f,
               gconstpointer  data)
{
  guint status = 0;
  JswTestStream *none = jsw_test_stream_open (f->server, NULL, &status);
  JswTestStream *bad = NULL;

  g_assert_null (none);
  g_assert_cmpuint (status, ==, 401);
  bad = jsw_test_stream_open (f->server, "jsw_forged", &status);
  g_assert_null (bad);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_swipe_reaches_desktop (Fixture       *f,
                            gconstpointer  data)
{
  gint64 seq;
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, &seq);
  g_autoptr(JswTestStream) other = connect_and_hello (f, f->bob, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) frame = NULL;

  g_assert_cmpint (seq, ==, 0);
  entry = jsw_test_swipe_right (f->session, f->server, f->alice, "push-1", &status);
  g_assert_cmpuint (status, ==, 201);

  frame = jsw_test_stream_expect (stream, "entry");
  g_assert_cmpint (json_object_get_int_member (frame, "seq"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (entry_of (frame), "id"), ==, json_object_get_string_member (entry, "id"));
  g_assert_cmpstr (state_of (frame), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (entry_of (frame), "target"), ==, "desktop");

  /* Bob sees nothing of Alice's queue. */
  g_assert_true (jsw_test_stream_quiet (other, 300));
}

static void
test_claim_progress_result (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "flow-1", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *lease = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *backwards = NULL;
  g_autofree char *result = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
  g_autoptr(JsonObject) created = jsw_test_stream_expect (stream, "entry");
  g_autoptr(JsonObject) claimed_entry = NULL;
  g_autoptr(JsonObject) running = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(JsonObject) ack_again = NULL;
  g_autoptr(JsonNode) at_server = NULL;
  JsonObject *result_object;

  lease = claim (stream, "c-1", id);
  claimed_entry = jsw_test_stream_expect (stream, "entry");
  g_assert_cmpstr (state_of (claimed_entry), ==, "claimed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry_of (claimed_entry), "claimed_by"), "device"),
                   ==, "test-device");

  progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":35,\"step\":\"filling\",\"message\":\"Filling in 8 fields\"}", lease);
  jsw_test_stream_send (stream, progress);
  running = jsw_test_stream_expect (stream, "entry");
  g_assert_cmpstr (state_of (running), ==, "running");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (entry_of (running), "progress"), "percent"), ==, 35);

  backwards = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":20,\"step\":\"filling\"}", lease);
  jsw_test_stream_send (stream, backwards);
  refused = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (refused), ==, "invalid");

  result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r-1\",\"lease\":\"%s\",\"outcome\":\"submitted\","
                            "\"confirmation\":\"Thank you for applying to Example GmbH\"}", lease);
  jsw_test_stream_send (stream, result);
  ack = jsw_test_stream_expect (stream, "ack");
  g_assert_cmpstr (json_object_get_string_member (ack, "re"), ==, "r-1");
  submitted = jsw_test_stream_expect (stream, "entry");
  g_assert_cmpstr (state_of (submitted), ==, "submitted");

  at_server = jsw_test_http (f->session, f->server, "GET", path, f->alice, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (at_server), "state"), ==, "submitted");
  result_object = json_object_get_object_member (json_node_get_object (at_server), "result");
  g_assert_cmpstr (json_object_get_string_member (result_object, "confirmation"), ==, "Thank you for applying to Example GmbH");

  /* The result sent again (its ack lost): acknowledged again, no change. */
  jsw_test_stream_send (stream, result);
  ack_again = jsw_test_stream_expect (stream, "ack");
  g_assert_true (jsw_test_stream_quiet (stream, 300));
  (void) created;
}

static void
test_claim_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JswTestStream) alice = connect_and_hello (f, f->alice, 0, NULL);
  g_autoptr(JswTestStream) bob = connect_and_hello (f, f->bob, 0, NULL);
  guint status;
  g_autoptr(JsonObject) mine = jsw_test_swipe_right (f->session, f->server, f->alice, "ce-1", &status);
  g_autoptr(JsonObject) bobs = jsw_test_swipe_right (f->session, f->server, f->bob, "ce-2", &status);
  g_autofree char *lease = NULL;
  g_autofree char *frame = NULL;
  g_autoptr(JsonObject) e1 = jsw_test_stream_expect (alice, "entry");
  g_autoptr(JsonObject) e2 = jsw_test_stream_expect (bob, "entry");
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) foreign = NULL;
  g_autoptr(JsonObject) wrong_kind = NULL;
  g_autoptr(JsonObject) second = NULL;

  jsw_test_stream_send (alice, "{\"type\":\"claim\",\"id\":\"x1\",\"entry\":\"e_does_not_exist\"}");
  missing = jsw_test_stream_expect (alice, "error");
  g_assert_cmpstr (error_code_of (missing), ==, "not_found");
  g_assert_cmpstr (json_object_get_string_member (missing, "re"), ==, "x1");

  /* Bob's entry is on the server; to Alice it does not exist. */
  frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"x2\",\"entry\":\"%s\"}", json_object_get_string_member (bobs, "id"));
  jsw_test_stream_send (alice, frame);
  foreign = jsw_test_stream_expect (alice, "error");
  g_assert_cmpstr (error_code_of (foreign), ==, "not_found");

  /* Bob's own desktop may not take an entry meant for the server. */
  jsw_test_stream_send (bob, frame);
  wrong_kind = jsw_test_stream_expect (bob, "error");
  g_assert_cmpstr (error_code_of (wrong_kind), ==, "forbidden");

  lease = claim (alice, "x3", json_object_get_string_member (mine, "id"));
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"x4\",\"entry\":\"%s\"}", json_object_get_string_member (mine, "id"));
  jsw_test_stream_send (alice, frame);
  /* skip the `entry` frame of the first claim */
  {
    g_autoptr(JsonObject) change = jsw_test_stream_expect (alice, "entry");
  }
  second = jsw_test_stream_expect (alice, "error");
  g_assert_cmpstr (error_code_of (second), ==, "already_claimed");
  (void) e1;
  (void) e2;
}

static void
test_resume_since (Fixture       *f,
                   gconstpointer  data)
{
  gint64 seq;
  guint status;
  g_autoptr(JswTestStream) first = connect_and_hello (f, f->alice, 0, &seq);
  g_autoptr(JsonObject) a = jsw_test_swipe_right (f->session, f->server, f->alice, "rs-1", &status);
  g_autoptr(JsonObject) b = jsw_test_swipe_right (f->session, f->server, f->alice, "rs-2", &status);
  g_autoptr(JsonObject) fa = jsw_test_stream_expect (first, "entry");
  g_autoptr(JsonObject) fb = jsw_test_stream_expect (first, "entry");
  gint64 last_seen = json_object_get_int_member (fb, "seq");
  g_autoptr(JswTestStream) second = NULL;
  g_autofree char *cancel = g_strdup_printf ("/v1/queue/%s/cancel", json_object_get_string_member (a, "id"));

  g_assert_cmpint (last_seen, ==, 2);
  g_clear_pointer (&first, jsw_test_stream_free);

  /* Three changes while offline. */
  {
    g_autoptr(JsonObject) c = jsw_test_swipe_right (f->session, f->server, f->alice, "rs-3", &status);
    g_autoptr(JsonObject) d = jsw_test_swipe_right (f->session, f->server, f->alice, "rs-4", &status);
    g_autoptr(JsonNode) cancelled = jsw_test_http (f->session, f->server, "POST", cancel, f->alice, NULL, &status);
  }

  second = connect_and_hello (f, f->alice, last_seen, &seq);
  g_assert_cmpint (seq, ==, 5);
  for (gint64 expected = 3; expected <= 5; expected++)
    {
      g_autoptr(JsonObject) missed = jsw_test_stream_expect (second, "entry");

      g_assert_cmpint (json_object_get_int_member (missed, "seq"), ==, expected);
      if (expected == 5)
        {
          g_assert_cmpstr (state_of (missed), ==, "cancelled");
          g_assert_cmpstr (json_object_get_string_member (entry_of (missed), "job_id"), ==, "rs-1");
        }
    }
  /* Exactly what was missed: nothing more. */
  g_assert_true (jsw_test_stream_quiet (second, 300));
  (void) fa;
  (void) b;
}

/* A replay longer than one slice (256 changes) comes whole and in order,
 * and a change made while it is under way comes once, after it. */
static void
test_resume_long_replay (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *carol = jsw_test_server_add_user (f->server, "carol@example.com", "enterprise", NULL);
  g_autoptr(JswTestStream) stream = NULL;
  g_autoptr(JsonObject) during = NULL;
  guint status;
  gint64 seq;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("long-%u", i);
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, carol, job_id, &status);

      g_assert_cmpuint (status, ==, 201);
    }

  stream = connect_and_hello (f, carol, 0, &seq);
  g_assert_cmpint (seq, ==, 600);
  during = jsw_test_swipe_right (f->session, f->server, carol, "long-during", &status);
  g_assert_cmpuint (status, ==, 201);

  for (gint64 expected = 1; expected <= 601; expected++)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_expect (stream, "entry");

      g_assert_cmpint (json_object_get_int_member (frame, "seq"), ==, expected);
      if (expected == 601)
        g_assert_cmpstr (json_object_get_string_member (entry_of (frame), "job_id"), ==, "long-during");
    }
  g_assert_true (jsw_test_stream_quiet (stream, 300));
}

static void
send_lease_frames (JswTestStream *stream,
                   const char    *lease,
                   const char    *result_id)
{
  g_autofree char *heartbeat = g_strdup_printf ("{\"type\":\"heartbeat\",\"lease\":\"%s\"}", lease);
  g_autofree char *progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":50,"
                                               "\"step\":\"filling\"}", lease);
  g_autofree char *result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"%s\",\"lease\":\"%s\","
                                             "\"outcome\":\"failed\",\"error\":\"not mine\"}", result_id, lease);

  jsw_test_stream_send (stream, heartbeat);
  jsw_test_stream_send (stream, progress);
  jsw_test_stream_send (stream, result);
}

/* Heartbeat, progress and result with a lease the connection may not use:
 * each is refused with `forbidden`, and nothing else comes. */
static void
assert_lease_refused (JswTestStream *stream,
                      const char    *lease)
{
  send_lease_frames (stream, lease, "stolen");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) refused = jsw_test_stream_expect (stream, "error");

      g_assert_cmpstr (error_code_of (refused), ==, "forbidden");
      if (i == 2)
        g_assert_cmpstr (json_object_get_string_member (refused, "re"), ==, "stolen");
    }
  g_assert_true (jsw_test_stream_quiet (stream, 300));
}

/* Issue 8: any worker token could use another worker's lease. A worker's
 * lease is bound to the connection that claimed it: another worker, or
 * the same token on another connection, is refused and changes nothing. */
static void
test_worker_lease_bound_to_connection (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *other_token = jsw_test_server_worker_token (f->server, "worker-2");
  g_autoptr(JswTestStream) holder = connect_and_hello (f, f->worker, 0, NULL);
  g_autoptr(JswTestStream) same_token = connect_and_hello (f, f->worker, 0, NULL);
  g_autoptr(JswTestStream) other = connect_and_hello (f, other_token, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->bob, "bound-1", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *lease = NULL;
  g_autofree char *result = NULL;
  g_autoptr(JsonObject) ack = NULL;

  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "server");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) queued = jsw_test_stream_expect (i == 0 ? holder : i == 1 ? same_token : other, "entry");
    }
  lease = claim (holder, "w-1", id);

  assert_lease_refused (same_token, lease);
  assert_lease_refused (other, lease);

  /* The holder's lease is untouched: its result is the one taken. */
  result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"mine\",\"lease\":\"%s\",\"outcome\":\"submitted\","
                            "\"confirmation\":\"Thanks\"}", lease);
  jsw_test_stream_send (holder, result);
  ack = jsw_test_stream_expect (holder, "ack");
  g_assert_cmpstr (json_object_get_string_member (ack, "re"), ==, "mine");
  {
    g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
    g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "GET", path, f->bob, NULL, &status);
    JsonObject *stored = json_node_get_object (node);

    g_assert_cmpuint (status, ==, 200);
    if (json_object_has_member (stored, "entry"))
      stored = json_object_get_object_member (stored, "entry");
    g_assert_cmpstr (json_object_get_string_member (stored, "state"), ==, "submitted");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "result"), "confirmation"),
                     ==, "Thanks");
  }
}

/* A desktop's lease is bound to its token: the app that reconnects (a new
 * connection, the same token) goes on with it, as its saved progress and
 * results need; another device of the same user is refused. */
static void
test_desktop_lease_bound_to_token (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) laptop = jsw_test_server_cli (f->server, NULL, "token", "add", "alice@example.com",
                                                      "--device", "laptop-2", NULL);
  const char *other_device = json_object_get_string_member (laptop, "token");
  g_autoptr(JswTestStream) first = connect_and_hello (f, f->alice, 0, NULL);
  g_autoptr(JswTestStream) again = NULL;
  g_autoptr(JswTestStream) other = NULL;
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "bound-2", &status);
  g_autoptr(JsonObject) created = jsw_test_stream_expect (first, "entry");
  g_autofree char *lease = claim (first, "d-1", json_object_get_string_member (entry, "id"));

  /* A network blip: the app's connection is gone. */
  g_clear_pointer (&first, jsw_test_stream_free);

  other = connect_and_hello (f, other_device, 2, NULL);
  assert_lease_refused (other, lease);

  again = connect_and_hello (f, f->alice, 2, NULL);
  send_lease_frames (again, lease, "resent");
  /* The ack, and the two changes in order; the changes may come after the
   * ack, as the replay after hello sends them. */
  {
    const char *states[] = { "running", "failed" };
    guint n_changes = 0;
    gboolean acked = FALSE;

    while (n_changes < 2 || !acked)
      {
        g_autoptr(JsonObject) frame = jsw_test_stream_next (again, 5000);
        const char *type;

        g_assert_nonnull (frame);
        type = json_object_get_string_member (frame, "type");
        if (g_str_equal (type, "ack"))
          {
            g_assert_false (acked);
            g_assert_cmpstr (json_object_get_string_member (frame, "re"), ==, "resent");
            acked = TRUE;
          }
        else
          {
            g_assert_cmpstr (type, ==, "entry");
            g_assert_cmpuint (n_changes, <, 2);
            g_assert_cmpstr (state_of (frame), ==, states[n_changes++]);
          }
      }
  }
  g_assert_true (jsw_test_stream_quiet (again, 300));
  (void) created;
}

static const char *short_event_log[] = { "--events-kept", "2", "--sweep-ms", "10", NULL };

static void
test_resume_too_old (Fixture       *f,
                     gconstpointer  data)
{
  guint status;
  gint64 seq;
  g_autoptr(JswTestStream) stream = NULL;
  g_autoptr(JsonObject) sync = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("old-%u", i);
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, job_id, &status);
    }
  /* The server trims its log every 60 sweeps: 600 ms here. */
  jsw_test_iterate_for (1500);

  stream = connect_and_hello (f, f->alice, 1, &seq);
  sync = jsw_test_stream_expect (stream, "sync");
  g_assert_cmpint (json_object_get_int_member (sync, "seq"), ==, 5);
  g_assert_cmpint (seq, ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sync, "entries")), ==, 5);
}

static void
test_malformed_frames (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = jsw_test_stream_open (f->server, f->alice, NULL);
  static const char *frames[] = {
    "this is not json",
    "{\"no\":\"type\"}",
    "{\"type\":\"dance\"}",
    "{\"type\":\"claim\",\"id\":\"early\",\"entry\":\"e_1\"}",   /* before hello */
    "{\"type\":\"hello\",\"device\":42}",
    "{\"type\":\"welcome\",\"seq\":0,\"lease_ttl_s\":1,\"heartbeat_s\":1}",
  };
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) bad_progress = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) binary = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(JsonObject) error = NULL;

      jsw_test_stream_send (stream, frames[i]);
      error = jsw_test_stream_expect (stream, "error");
      g_assert_cmpstr (error_code_of (error), ==, "invalid");
      g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
      if (i == 3)
        g_assert_cmpstr (json_object_get_string_member (error, "re"), ==, "early");
    }

  soup_websocket_connection_send_binary (stream->ws, "\x01\x02", 2);
  binary = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (binary), ==, "invalid");

  /* The connection lives on. */
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"d\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");

  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"d\",\"since\":0}");
  again = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (again), ==, "invalid");

  jsw_test_stream_send (stream, "{\"type\":\"progress\",\"lease\":\"l_x\",\"percent\":\"half\",\"step\":\"filling\"}");
  bad_progress = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (bad_progress), ==, "invalid");

  jsw_test_stream_send (stream, "{\"type\":\"heartbeat\",\"lease\":\"l_made_up\"}");
  stale = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (stale), ==, "lease_expired");

  jsw_test_stream_send (stream, "{\"type\":\"result\",\"id\":\"q\",\"lease\":\"l_made_up\",\"outcome\":\"submitted\"}");
  after = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (after), ==, "lease_expired");
  g_assert_cmpstr (json_object_get_string_member (after, "re"), ==, "q");
  g_assert_false (stream->closed);
}

static void
test_frame_too_large (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);
  gsize size = 300 * 1024;
  g_autofree char *big = g_malloc (size + 1);

  memset (big, 'x', size);
  big[size] = '\0';
  memcpy (big, "{\"type\":\"hello\",\"device\":\"", 26);
  jsw_test_stream_send (stream, big);
  g_assert_true (jsw_test_stream_wait_closed (stream, 10000));
  g_assert_cmpuint (stream->close_code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

static const char *short_leases[] = { "--lease-ttl", "1", "--sweep-ms", "100", NULL };

static void
test_lease_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "exp-1", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autoptr(JsonObject) created = jsw_test_stream_expect (stream, "entry");
  g_autofree char *lease = claim (stream, "c1", id);
  g_autoptr(JsonObject) claimed = jsw_test_stream_expect (stream, "entry");
  g_autoptr(JsonObject) requeued = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *lease2 = NULL;
  g_autofree char *submitting = NULL;

  /* No heartbeat: back to the queue for another attempt. */
  requeued = jsw_test_stream_expect (stream, "entry");
  g_assert_cmpstr (state_of (requeued), ==, "queued");
  g_assert_cmpint (json_object_get_int_member (entry_of (requeued), "attempt"), ==, 2);

  progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":50,\"step\":\"filling\"}", lease);
  jsw_test_stream_send (stream, progress);
  stale = jsw_test_stream_expect (stream, "error");
  g_assert_cmpstr (error_code_of (stale), ==, "lease_expired");

  /* After `submitting`, an expiry is never retried. */
  lease2 = claim (stream, "c2", id);
  {
    g_autoptr(JsonObject) reclaimed = jsw_test_stream_expect (stream, "entry");
    g_autoptr(JsonObject) sending = NULL;
    g_autoptr(JsonObject) review = NULL;

    submitting = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":90,\"step\":\"submitting\"}", lease2);
    jsw_test_stream_send (stream, submitting);
    sending = jsw_test_stream_expect (stream, "entry");
    g_assert_cmpstr (state_of (sending), ==, "running");
    review = jsw_test_stream_expect (stream, "entry");
    g_assert_cmpstr (state_of (review), ==, "needs_review");
  }
  (void) created;
  (void) claimed;
}

static const char *two_second_leases[] = { "--lease-ttl", "2", "--sweep-ms", "100", NULL };

static void
test_heartbeat_keeps_lease (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "hb-1", &status);
  g_autoptr(JsonObject) created = jsw_test_stream_expect (stream, "entry");
  g_autofree char *lease = claim (stream, "c1", json_object_get_string_member (entry, "id"));
  g_autoptr(JsonObject) claimed = jsw_test_stream_expect (stream, "entry");
  g_autofree char *heartbeat = g_strdup_printf ("{\"type\":\"heartbeat\",\"lease\":\"%s\"}", lease);

  /* Four seconds, twice the lease, kept alive by heartbeats. */
  for (guint i = 0; i < 8; i++)
    {
      jsw_test_stream_send (stream, heartbeat);
      g_assert_true (jsw_test_stream_quiet (stream, 500));
    }
  (void) created;
  (void) claimed;
}

static void
test_worker_stream (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JswTestStream) worker = connect_and_hello (f, f->worker, 0, NULL);
  g_autoptr(JswTestStream) bob = connect_and_hello (f, f->bob, 0, NULL);
  guint status;
  g_autoptr(JsonObject) desktop_entry = jsw_test_swipe_right (f->session, f->server, f->alice, "w-desk", &status);
  g_autoptr(JsonObject) server_entry = jsw_test_swipe_right (f->session, f->server, f->bob, "w-serv", &status);
  const char *id = json_object_get_string_member (server_entry, "id");
  g_autoptr(JsonObject) offered = jsw_test_stream_expect (worker, "entry");
  g_autoptr(JsonObject) bob_sees = jsw_test_stream_expect (bob, "entry");
  g_autofree char *lease = NULL;
  g_autofree char *release = NULL;
  g_autoptr(JsonObject) bob_claimed = NULL;
  g_autoptr(JsonObject) bob_released = NULL;
  g_autoptr(JsonObject) offered_again = NULL;

  /* Only the server entry reaches workers. */
  g_assert_cmpstr (json_object_get_string_member (entry_of (offered), "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (entry_of (bob_sees), "id"), ==, id);

  lease = claim (worker, "wc", id);
  bob_claimed = jsw_test_stream_expect (bob, "entry");
  g_assert_cmpstr (state_of (bob_claimed), ==, "claimed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry_of (bob_claimed), "claimed_by"), "kind"),
                   ==, "server");

  release = g_strdup_printf ("{\"type\":\"release\",\"lease\":\"%s\"}", lease);
  jsw_test_stream_send (worker, release);
  bob_released = jsw_test_stream_expect (bob, "entry");
  g_assert_cmpstr (state_of (bob_released), ==, "queued");
  g_assert_cmpint (json_object_get_int_member (entry_of (bob_released), "attempt"), ==, 1);
  offered_again = jsw_test_stream_expect (worker, "entry");
  g_assert_cmpstr (state_of (offered_again), ==, "queued");
  g_assert_true (jsw_test_stream_quiet (worker, 200));
  (void) desktop_entry;
}

static void
test_graceful_shutdown (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);

  g_subprocess_send_signal (f->server->process, SIGTERM);
  g_assert_true (jsw_test_stream_wait_closed (stream, 10000));
  g_assert_cmpuint (stream->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  {
    g_autoptr(GError) error = NULL;

    g_subprocess_wait (f->server->process, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (f->server->process));
    g_assert_cmpint (g_subprocess_get_exit_status (f->server->process), ==, 0);
    g_clear_object (&f->server->process);
  }
}

static void
test_durability (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = connect_and_hello (f, f->alice, 0, NULL);
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, "dur-1", &status);
  g_autoptr(JsonObject) other = jsw_test_swipe_right (f->session, f->server, f->alice, "dur-2", &status);
  const char *id = json_object_get_string_member (entry, "id");
  g_autoptr(JsonObject) e1 = jsw_test_stream_expect (stream, "entry");
  g_autoptr(JsonObject) e2 = jsw_test_stream_expect (stream, "entry");
  g_autofree char *lease = claim (stream, "c1", id);
  g_autoptr(JsonObject) c1 = jsw_test_stream_expect (stream, "entry");
  g_autofree char *lease2 = claim (stream, "c2", json_object_get_string_member (other, "id"));
  g_autoptr(JsonObject) c2 = jsw_test_stream_expect (stream, "entry");
  g_autofree char *result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r1\",\"lease\":\"%s\",\"outcome\":\"submitted\",\"confirmation\":\"Received\"}", lease);
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", id);
  g_autofree char *path2 = g_strdup_printf ("/v1/queue/%s", json_object_get_string_member (other, "id"));
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) after2 = NULL;
  g_autoptr(JswTestStream) resumed = NULL;

  jsw_test_stream_send (stream, result);
  ack = jsw_test_stream_expect (stream, "ack");

  /* Acknowledged: now the process dies without any chance to clean up. */
  jsw_test_server_kill (f->server, SIGKILL);
  jsw_test_server_restart (f->server);

  after = jsw_test_http (f->session, f->server, "GET", path, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "state"), ==, "submitted");
  after2 = jsw_test_http (f->session, f->server, "GET", path2, f->alice, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after2), "state"), ==, "claimed");

  /* The acknowledged claim's lease is still the one that counts. */
  resumed = connect_and_hello (f, f->alice, 0, NULL);
  {
    g_autofree char *heartbeat = g_strdup_printf ("{\"type\":\"heartbeat\",\"lease\":\"%s\"}", lease2);

    /* two swipes, two claims, one result */
    for (guint i = 0; i < 5; i++)
      {
        g_autoptr(JsonObject) replayed = jsw_test_stream_expect (resumed, "entry");
      }
    jsw_test_stream_send (resumed, heartbeat);
    g_assert_true (jsw_test_stream_quiet (resumed, 300));
  }
  (void) e1;
  (void) e2;
  (void) c1;
  (void) c2;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("/stream/auth", NULL, test_no_token);
  ADD ("/stream/push/swipe-reaches-desktop", NULL, test_swipe_reaches_desktop);
  ADD ("/stream/lease/claim-progress-result", NULL, test_claim_progress_result);
  ADD ("/stream/lease/claim-errors", NULL, test_claim_errors);
  ADD ("/stream/resume/since", NULL, test_resume_since);
  ADD ("/stream/resume/long-replay", NULL, test_resume_long_replay);
  ADD ("/stream/lease/bound-to-worker-connection", NULL, test_worker_lease_bound_to_connection);
  ADD ("/stream/lease/bound-to-desktop-token", NULL, test_desktop_lease_bound_to_token);
  ADD ("/stream/resume/too-old", short_event_log, test_resume_too_old);
  ADD ("/stream/input/malformed", NULL, test_malformed_frames);
  ADD ("/stream/input/too-large", NULL, test_frame_too_large);
  ADD ("/stream/lease/expiry", short_leases, test_lease_expiry);
  ADD ("/stream/lease/heartbeat", two_second_leases, test_heartbeat_keeps_lease);
  ADD ("/stream/worker", NULL, test_worker_stream);
  ADD ("/stream/shutdown/graceful", NULL, test_graceful_shutdown);
  ADD ("/stream/durability/kill-9", NULL, test_durability);
#undef ADD

  return g_test_run ();
}
