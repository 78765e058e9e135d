/* test-feed-input.c: the bad input an independent tester found accepted
 * (issue 12), against a real jobswipe-server on either store: each gets a
 * clear 4xx and changes nothing
 *
 * - a feed cursor forged, altered, or made for another person;
 * - a posting_id with leading zeros ("011" is not the posting "11");
 * - "allow_duplicate": null (a wrong type);
 * - a keyword that shows nothing (a zero-width space);
 * - \u0000 in a body, whose error named jansson's flag;
 * - a query parameter given twice (limit=3&limit=4);
 * - a request line that is not HTTP, answered with a bare 400.
 *
 * (The LinkedIn hourly cap's own message is in test-linkedin.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-feed-fixture.h"

typedef JswFeedFixture Fixture;

static void
assert_error (JsonNode   *node,
              const char *code)
{
  JsonObject *error;

  g_assert_nonnull (node);
  g_assert_cmpstr (jsw_test_error_code (node), ==, code);
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_test_message ("%s", json_object_get_string_member (error, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

static const char *
error_message (JsonNode *node)
{
  return json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "error"),
                                        "message");
}

/* The first page's next_cursor, for @token with limit 3. */
static char *
first_cursor (Fixture    *f,
              const char *token)
{
  g_autoptr(JsonNode) page = jsw_feed_get (f, "/v1/feed?limit=3", token, 200);
  JsonObject *answer = json_node_get_object (page);

  g_assert_false (json_object_get_null_member (answer, "next_cursor"));
  return g_strdup (json_object_get_string_member (answer, "next_cursor"));
}

static JsonNode *
page_after (Fixture    *f,
            const char *token,
            const char *cursor,
            guint       expected)
{
  g_autofree char *path = g_strconcat ("/v1/feed?limit=3&cursor=", cursor, NULL);

  return jsw_feed_get (f, path, token, expected);
}

static char *
base64url (const char *text,
           gsize       length)
{
  char *encoded = g_base64_encode ((const guchar *) text, length);

  for (char *p = encoded; *p != '\0'; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  g_strdelimit (encoded, "=", '\0');
  return encoded;
}

static void
test_cursor_signed (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *bobs_cursor = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *place = NULL;
  g_autofree char *decoded_place = NULL;
  g_autofree char *old_form = NULL;
  g_auto(GStrv) halves = NULL;
  gsize length;

  jsw_feed_add_and_sync_all (f);
  cursor = first_cursor (f, f->alice);
  second = page_after (f, f->alice, cursor, 200);

  /* Another person's cursor: refused as any cursor the server did not
   * make for them, not read as a place in their feed. */
  refused = page_after (f, f->bob, cursor, 400);
  assert_error (refused, "invalid");
  expected = g_strdup (error_message (refused));
  g_clear_pointer (&refused, json_node_unref);

  /* Altered: every fourth character of the cursor changed in turn (in
   * the place and in the signature) and its last one, and cut short. */
  for (gsize i = 0; cursor[i] != '\0'; i++)
    {
      g_autofree char *altered = g_strdup (cursor);

      if (altered[i] == '.' || (i % 4 != 0 && cursor[i + 1] != '\0'))
        continue;
      altered[i] = altered[i] == 'A' ? 'B' : 'A';
      refused = page_after (f, f->alice, altered, 400);
      assert_error (refused, "invalid");
      g_assert_cmpstr (error_message (refused), ==, expected);
      g_clear_pointer (&refused, json_node_unref);
    }
  cursor[strlen (cursor) - 2] = '\0';
  refused = page_after (f, f->alice, cursor, 400);
  assert_error (refused, "invalid");
  g_clear_pointer (&refused, json_node_unref);
  g_free (cursor);
  cursor = first_cursor (f, f->alice);

  /* Forged: the place of a real cursor moved to its very end, with the
   * real signature; and the unsigned form cursors had before. */
  halves = g_strsplit (cursor, ".", -1);
  g_assert_cmpuint (g_strv_length (halves), ==, 2);
  {
    g_autofree char *padded = g_strconcat (halves[0], "==", NULL);
    g_auto(GStrv) parts = NULL;

    padded[strlen (halves[0]) + (4 - strlen (halves[0]) % 4) % 4] = '\0';
    for (char *p = padded; *p != '\0'; p++)
      *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
    decoded_place = (char *) g_base64_decode (padded, &length);
    decoded_place = g_realloc (decoded_place, length + 1);
    decoded_place[length] = '\0';
    parts = g_strsplit (decoded_place, ".", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 5);
    place = g_strdup_printf ("%s.%s.%s.1.1", parts[0], parts[1], parts[2]);
    old_form = g_strdup_printf ("jf1.%s.%s.1.1", parts[1], parts[2]);
  }
  {
    g_autofree char *place_text = base64url (place, strlen (place));
    g_autofree char *forged = g_strconcat (place_text, ".", halves[1], NULL);
    g_autofree char *old_text = base64url (old_form, strlen (old_form));

    refused = page_after (f, f->alice, forged, 400);
    assert_error (refused, "invalid");
    g_assert_cmpstr (error_message (refused), ==, expected);
    g_clear_pointer (&refused, json_node_unref);
    refused = page_after (f, f->alice, old_text, 400);
    assert_error (refused, "invalid");
    g_clear_pointer (&refused, json_node_unref);
  }

  /* Nothing changed: the cursor made for Alice still pages her feed as
   * before, and Bob's own cursors work for him. */
  again = page_after (f, f->alice, cursor, 200);
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (again), "postings"),
                                  json_object_get_member (json_node_get_object (second), "postings")));
  bobs_cursor = first_cursor (f, f->bob);
  g_clear_pointer (&refused, json_node_unref);
  refused = page_after (f, f->bob, bobs_cursor, 200);
}

static gint64
left_swipes (Fixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM posting_left_swipes", NULL);
}

static gint64
entries (Fixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM entries", NULL);
}

static void
test_posting_id_leading_zeros (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  const char *id;
  g_autofree char *padded = NULL;
  g_autofree char *undo = NULL;
  const char *ids[3];

  jsw_feed_add_and_sync_all (f);
  before = jsw_feed_walk (f, f->alice, 100);
  id = json_object_get_string_member (before->pdata[0], "posting_id");
  padded = g_strconcat ("0", id, NULL);
  ids[0] = padded;
  ids[1] = "0";
  ids[2] = "00";

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(JsonNode) left = jsw_feed_swipe (f, f->alice, "left", ids[i], FALSE, 404);
      g_autoptr(JsonNode) right = jsw_feed_swipe (f, f->alice, "right", ids[i], FALSE, 404);
      g_autofree char *path = g_strconcat ("/v1/swipes/", ids[i], NULL);
      guint status;
      g_autoptr(JsonNode) not_undone = NULL;

      g_test_message ("posting_id %s", ids[i]);
      assert_error (left, "not_found");
      assert_error (right, "not_found");
      /* A left swipe on the real one, then the undo with leading zeros. */
      if (i == 0)
        {
          g_autoptr(JsonNode) real = jsw_feed_swipe (f, f->alice, "left", id, FALSE, 204);

          g_assert_cmpint (left_swipes (f), ==, 1);
        }
      not_undone = jsw_test_http (f->session, f->server, "DELETE", path, f->alice, NULL, &status);
      g_assert_cmpuint (status, ==, 404);
      assert_error (not_undone, "not_found");
      g_assert_cmpint (left_swipes (f), ==, 1);
    }
  g_assert_cmpint (entries (f), ==, 0);
  after = jsw_feed_walk (f, f->alice, 100);
  g_assert_cmpuint (after->len, ==, before->len - 1);
  g_assert_null (jsw_feed_find_job (after, json_object_get_string_member (before->pdata[0], "job_id")));
}

static void
test_allow_duplicate_wrong_type (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *values[] = { "null", "\"true\"", "1", "0", "[]", "{}" };
  g_autoptr(GPtrArray) feed = NULL;
  const char *id;

  jsw_feed_add_and_sync_all (f);
  feed = jsw_feed_walk (f, f->alice, 100);
  id = json_object_get_string_member (feed->pdata[0], "posting_id");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"posting_id\":\"%s\","
                                               "\"allow_duplicate\":%s}", id, values[i]);
      guint status;
      g_autoptr(JsonNode) refused = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, body,
                                                   &status);

      g_test_message ("%s", body);
      g_assert_cmpuint (status, ==, 400);
      assert_error (refused, "invalid");
      g_assert_nonnull (strstr (error_message (refused), "allow_duplicate"));
    }
  g_assert_cmpint (entries (f), ==, 0);
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->alice, "total_month"), ==, 0);
}

static void
test_invisible_keywords (Fixture       *f,
                         gconstpointer  data)
{
  /* Each shows nothing: a zero-width space, joiners and a byte order
   * mark, a combining accent alone, and with spaces around. */
  static const char *texts[] = {
    "\\u200b", "\\u200b\\u200b", " \\u200b ", "\\u200c\\u200d", "\\ufeff", "\\u0301", "\\u2060",
  };
  static const char *members[] = { "keywords", "exclude_keywords", "locations", "exclude_companies" };
  g_autoptr(JsonNode) kept = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) accepted = NULL;
  guint status;

  jsw_feed_put_search (f, f->alice, "{\"keywords\": [\"engineer\"]}");
  before = jsw_test_http (f->session, f->server, "GET", "/v1/me/search", f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autofree char *search = g_strdup_printf ("{\"%s\": [\"%s\"]}", members[m], texts[i]);
        g_autoptr(JsonNode) refused = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", f->alice,
                                                     search, &status);

        g_test_message ("%s", search);
        g_assert_cmpuint (status, ==, 400);
        assert_error (refused, "invalid");
        g_assert_nonnull (strstr (error_message (refused), "blank"));
      }
  kept = jsw_test_http (f->session, f->server, "GET", "/v1/me/search", f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_equal (kept, before));

  /* A word with a zero-width space in it still has a word. */
  accepted = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", f->alice,
                            "{\"keywords\": [\"\\u200bengineer\"]}", &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_nul_message (Fixture       *f,
                  gconstpointer  data)
{
  static const char *bodies[] = {
    "{\"keywords\": [\"a\\u0000b\"]}",
    "{\"keywords\": [\"\\u0000\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      guint status;
      g_autoptr(JsonNode) refused = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", f->alice,
                                                   bodies[i], &status);

      g_assert_cmpuint (status, ==, 400);
      assert_error (refused, "invalid");
      g_assert_null (strstr (error_message (refused), "JSON_"));
      g_assert_nonnull (strstr (error_message (refused), "NUL"));
    }
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM searches", NULL), ==, 0);
}

static void
test_repeated_parameters (Fixture       *f,
                          gconstpointer  data)
{
  static const char *paths[] = {
    "/v1/feed?limit=3&limit=4", "/v1/feed?limit=3&limit=3", "/v1/feed?cursor=a&cursor=b",
    "/v1/feed?limit=3&cursor=a&limit=4", "/v1/queue?state=queued&state=failed",
  };
  g_autofree char *cursor = NULL;

  jsw_feed_add_and_sync_all (f);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) refused = jsw_feed_get (f, paths[i], f->alice, 400);

      g_test_message ("%s", paths[i]);
      assert_error (refused, "invalid");
      g_assert_nonnull (strstr (error_message (refused), "more than once"));
    }
  /* A cursor given twice, even the same one twice. */
  cursor = first_cursor (f, f->alice);
  {
    g_autofree char *path = g_strdup_printf ("/v1/feed?limit=3&cursor=%s&cursor=%s", cursor, cursor);
    g_autoptr(JsonNode) refused = jsw_feed_get (f, path, f->alice, 400);

    assert_error (refused, "invalid");
  }
}

/* What the server answers to @request written as it is on a connection
 * of its own: the whole answer, headers and body. */
static char *
raw_exchange (Fixture    *f,
              const char *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  GInputStream *in;
  guint8 buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_uri (client, f->server->url, 80, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, buffer, n);
  g_byte_array_append (answer, (const guint8 *) "", 1);
  return g_strdup ((const char *) answer->data);
}

static void
test_garbage_request_line (Fixture       *f,
                           gconstpointer  data)
{
  static const char *requests[] = {
    "GARBAGE\r\n\r\n",
    "\x01\x02\x03 / HTTP/1.1\r\n\r\n",
    "GET /v1/feed HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *answer = raw_exchange (f, requests[i]);
      const char *body = strstr (answer, "\r\n\r\n");
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("%s", answer);
      g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 400 ") || g_str_has_prefix (answer, "HTTP/1.0 400 "));
      g_assert_nonnull (strstr (answer, "\r\nContent-Type: application/json"));
      g_assert_nonnull (body);
      node = json_from_string (body + 4, NULL);
      assert_error (node, "invalid");
    }

  /* A request that is HTTP still gets its own answer, with no word of
   * the above. */
  {
    g_autofree char *answer = raw_exchange (f, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
    g_assert_nonnull (strstr (answer, "\"ok\""));
    g_assert_null (strstr (answer, "invalid"));
  }
  {
    g_autofree char *answer = raw_exchange (f, "POST /v1/swipes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                               "Content-Length: 0\r\n\r\n");

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 401 "));
    g_assert_nonnull (strstr (answer, "\"unauthorized\""));
    g_assert_null (strstr (answer, "could not read"));
  }
  {
    g_autoptr(JsonNode) health = jsw_feed_get (f, "/healthz", NULL, 200);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, jsw_feed_manual_args, jsw_feed_fixture_set_up, func, jsw_feed_fixture_tear_down)
  ADD ("/feed-input/cursor/signed", test_cursor_signed);
  ADD ("/feed-input/posting-id/leading-zeros", test_posting_id_leading_zeros);
  ADD ("/feed-input/allow-duplicate/wrong-type", test_allow_duplicate_wrong_type);
  ADD ("/feed-input/search/invisible-keywords", test_invisible_keywords);
  ADD ("/feed-input/json/nul-message", test_nul_message);
  ADD ("/feed-input/query/repeated", test_repeated_parameters);
  ADD ("/feed-input/http/garbage-request-line", test_garbage_request_line);
#undef ADD

  return g_test_run ();
}
