/* test-footprint.c: what one user can make the server store and send
 * (issue 8, amplification), against a real server process and its real
 * SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-common.h"
#include "jsw-test-util.h"

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;     /* pro plan, desktop mode */
  char          *alice_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = jsw_test_server_start (data);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "pro", &f->alice_id);
  jsw_test_set_mode (f->session, f->server, f->alice, "desktop");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, jsw_test_server_free);
  g_free (f->alice);
  g_free (f->alice_id);
}

/* A job whose snapshot is exactly @size bytes of JSON. */
static char *
job_of_size (const char *job_id,
             gsize       size)
{
  g_autofree char *head = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"Engineer\",\"company\":\"Acme\","
                                           "\"apply_url\":\"https://jobs.example/1\",\"description\":\"", job_id);
  gsize fill = size - strlen (head) - strlen ("\"}");
  GString *job = g_string_new (head);

  for (gsize i = 0; i < fill; i++)
    g_string_append_c (job, 'a' + i % 26);
  g_string_append (job, "\"}");
  g_assert_cmpuint (job->len, ==, size);
  return g_string_free (job, FALSE);
}

static JsonNode *
swipe_job (Fixture    *f,
           const char *job,
           guint      *status)
{
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);

  return jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, body, status);
}

/* The sum of the event log's stored text, read from the server's own file. */
static gint64
event_log_bytes (Fixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT coalesce(sum(length(entry)), 0) FROM events", NULL);
}

static gsize
description_length (JsonObject *entry)
{
  JsonObject *snapshot = json_object_get_object_member (entry, "snapshot");

  return strlen (json_object_get_string_member (snapshot, "description"));
}

static void
test_snapshot_max (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *largest = job_of_size ("big-1", JSW_MAX_SNAPSHOT_SIZE);
  g_autofree char *too_large = job_of_size ("big-2", JSW_MAX_SNAPSHOT_SIZE + 1);
  guint status;
  g_autoptr(JsonNode) accepted = swipe_job (f, largest, &status);
  g_autoptr(JsonNode) refused = NULL;

  g_assert_cmpuint (status, ==, 201);
  refused = swipe_job (f, too_large, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
}

static void
test_events_without_snapshot (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *job = job_of_size ("long-posting", 60 * 1024);
  guint status;
  g_autoptr(JsonNode) created = swipe_job (f, job, &status);
  const char *id = json_object_get_string_member (json_object_get_object_member (json_node_get_object (created), "entry"), "id");
  g_autoptr(JswTestStream) stream = jsw_test_stream_open (f->server, f->alice, NULL);
  g_autoptr(JswTestStream) later = NULL;
  g_autoptr(JswTestStream) recent = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) claimed = NULL;
  g_autoptr(JsonObject) sync = NULL;
  g_autofree char *claim = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c\",\"entry\":\"%s\"}", id);
  g_autofree char *recent_hello = NULL;
  gint64 seq = 0;
  gint64 log_bytes;

  g_assert_cmpuint (status, ==, 201);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"d\",\"since\":1}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  jsw_test_stream_send (stream, claim);
  claimed = jsw_test_stream_expect (stream, "claimed");

  /* 100 progress frames: each change is pushed whole, snapshot and all. */
  {
    g_autoptr(JsonObject) claimed_entry = jsw_test_stream_expect (stream, "entry");

    g_assert_cmpuint (description_length (json_object_get_object_member (claimed_entry, "entry")), >, 60000);
  }
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *progress = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":%u,"
                                                   "\"step\":\"filling\",\"message\":\"page %u\"}",
                                                   json_object_get_string_member (claimed, "lease"), i, i);
      g_autoptr(JsonObject) pushed = NULL;

      jsw_test_stream_send (stream, progress);
      pushed = jsw_test_stream_expect (stream, "entry");
      g_assert_cmpuint (description_length (json_object_get_object_member (pushed, "entry")), >, 60000);
      seq = json_object_get_int_member (pushed, "seq");
    }

  /* ...but the log keeps the snapshot once, with the entry: 102 changes
   * of a 60 KiB posting were 6 MiB; now each change is its own size. */
  log_bytes = event_log_bytes (f);
  g_test_message ("event log after 102 changes of an entry with a 60 KiB snapshot: %" G_GINT64_FORMAT " bytes", log_bytes);
  g_assert_cmpint (log_bytes, <, 102 * 1024);

  /* Resuming from the start would replay 6 MiB for one entry: a sync. */
  later = jsw_test_stream_open (f->server, f->alice, NULL);
  jsw_test_stream_send (later, "{\"type\":\"hello\",\"device\":\"d2\",\"since\":1}");
  g_clear_pointer (&welcome, json_object_unref);
  welcome = jsw_test_stream_expect (later, "welcome");
  sync = jsw_test_stream_expect (later, "sync");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sync, "entries")), ==, 1);
  g_assert_cmpuint (description_length (json_array_get_object_element (json_object_get_array_member (sync, "entries"), 0)), >, 60000);

  /* A short absence is replayed, the snapshot spliced back in. */
  recent = jsw_test_stream_open (f->server, f->alice, NULL);
  recent_hello = g_strdup_printf ("{\"type\":\"hello\",\"device\":\"d3\",\"since\":%" G_GINT64_FORMAT "}", seq - 2);
  jsw_test_stream_send (recent, recent_hello);
  g_clear_pointer (&welcome, json_object_unref);
  welcome = jsw_test_stream_expect (recent, "welcome");
  for (gint64 expected = seq - 1; expected <= seq; expected++)
    {
      g_autoptr(JsonObject) replayed = jsw_test_stream_expect (recent, "entry");

      g_assert_cmpint (json_object_get_int_member (replayed, "seq"), ==, expected);
      g_assert_cmpuint (description_length (json_object_get_object_member (replayed, "entry")), ==,
                        60 * 1024 - strlen ("{\"job_id\":\"long-posting\",\"title\":\"Engineer\",\"company\":\"Acme\","
                                            "\"apply_url\":\"https://jobs.example/1\",\"description\":\"\"}"));
    }
  g_assert_true (jsw_test_stream_quiet (recent, 300));
}

static const char *small_event_log[] = { "--events-bytes-kept", "4096", "--sweep-ms", "50", NULL };

static void
test_events_kept_by_bytes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) sync = NULL;
  guint status;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("kept-%u", i);
      g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->session, f->server, f->alice, job_id, &status);

      g_assert_cmpuint (status, ==, 201);
    }
  /* 20 changes of about 500 bytes each, trimmed within a sweep or two of
   * the change, not once a minute. */
  jsw_test_iterate_for (300);
  g_test_message ("event log after 20 swipes, 4096 bytes kept: %" G_GINT64_FORMAT " bytes", event_log_bytes (f));
  g_assert_cmpint (event_log_bytes (f), <=, 4096);
  g_assert_cmpint (event_log_bytes (f), >, 0);

  stream = jsw_test_stream_open (f->server, f->alice, NULL);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"d\",\"since\":1}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  sync = jsw_test_stream_expect (stream, "sync");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sync, "entries")), ==, 20);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("/footprint/snapshot-max", NULL, test_snapshot_max);
  ADD ("/footprint/events-without-snapshot", NULL, test_events_without_snapshot);
  ADD ("/footprint/events-kept-by-bytes", small_event_log, test_events_kept_by_bytes);
#undef ADD

  return g_test_run ();
}
