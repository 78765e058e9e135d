/* test-feed-swipes.c: swipes by posting against a real jobswipe-server
 * and a fake job board: left swipes and their undo, right swipes, another
 * person's swipes, likely duplicates (one at a time, and swiped at once
 * through two server processes), swipes with a JOB body, and bad input
 * to the feed (docs/server.md "The job feed")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-feed-fixture.h"

typedef JswFeedFixture Fixture;

/* ---- swipes ---- */

static void
test_swipes (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) feed = NULL;
  g_autoptr(GPtrArray) after_left = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autoptr(GPtrArray) after_right = NULL;
  g_autoptr(GPtrArray) bobs = NULL;
  g_autoptr(GPtrArray) after_cancel = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *left_id = NULL;
  g_autofree char *right_id = NULL;
  g_autofree char *right_job = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *cancel = NULL;
  JsonObject *entry;
  guint status;

  jsw_feed_add_and_sync_all (f);
  feed = jsw_feed_walk (f, f->alice, 100);
  left_id = g_strdup (json_object_get_string_member (feed->pdata[0], "posting_id"));
  right_id = g_strdup (json_object_get_string_member (feed->pdata[1], "posting_id"));
  right_job = g_strdup (json_object_get_string_member (feed->pdata[1], "job_id"));

  /* Left: gone for good, for Alice only; undone: back. */
  g_clear_pointer (&created, json_node_unref);
  created = jsw_feed_swipe (f, f->alice, "left", left_id, FALSE, 204);
  g_clear_pointer (&created, json_node_unref);
  created = jsw_feed_swipe (f, f->alice, "left", left_id, FALSE, 204);
  after_left = jsw_feed_walk (f, f->alice, 100);
  g_assert_cmpuint (after_left->len, ==, feed->len - 1);
  /* The same in pages of two, most of them after a cursor (the SQLite
   * store checks left swipes one way on a first page, another after a
   * cursor), with a second left swipe further down the feed. */
  {
    g_autoptr(JsonNode) further = jsw_feed_swipe (f, f->alice, "left",
                                                  json_object_get_string_member (feed->pdata[feed->len - 2],
                                                                                 "posting_id"), FALSE, 204);
    g_autoptr(GPtrArray) whole = jsw_feed_walk (f, f->alice, 100);
    g_autoptr(GPtrArray) paged = jsw_feed_walk (f, f->alice, 2);

    g_assert_cmpuint (whole->len, ==, feed->len - 2);
    g_assert_cmpuint (paged->len, ==, whole->len);
    for (guint i = 0; i < whole->len; i++)
      g_assert_cmpstr (json_object_get_string_member (paged->pdata[i], "posting_id"), ==,
                       json_object_get_string_member (whole->pdata[i], "posting_id"));
    g_autofree char *undo_further = g_strconcat ("/v1/swipes/", json_object_get_string_member (
                                                   feed->pdata[feed->len - 2], "posting_id"), NULL);

    g_clear_pointer (&created, json_node_unref);
    created = jsw_test_http (f->session, f->server, "DELETE", undo_further, f->alice, NULL, &status);
    g_assert_cmpuint (status, ==, 204);
  }
  g_assert_cmpstr (json_object_get_string_member (after_left->pdata[0], "posting_id"), ==, right_id);
  bobs = jsw_feed_walk (f, f->bob, 100);
  g_assert_cmpuint (bobs->len, ==, feed->len);
  undo = g_strconcat ("/v1/swipes/", left_id, NULL);
  g_clear_pointer (&created, json_node_unref);
  created = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  after_undo = jsw_feed_walk (f, f->alice, 100);
  g_assert_cmpuint (after_undo->len, ==, feed->len);
  g_clear_pointer (&created, json_node_unref);
  created = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Right: an entry whose snapshot is the posting, frozen. */
  g_clear_pointer (&created, json_node_unref);
  created = jsw_feed_swipe (f, f->alice, "right", right_id, FALSE, 201);
  entry = json_object_get_object_member (json_node_get_object (created), "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "job_id"), ==, right_job);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "snapshot"), "title"), ==,
                   json_object_get_string_member (feed->pdata[1], "title"));
  g_assert_false (json_object_has_member (json_object_get_object_member (entry, "snapshot"), "posting_id"));
  again = jsw_feed_swipe (f, f->alice, "right", right_id, FALSE, 200);
  after_right = jsw_feed_walk (f, f->alice, 100);
  g_assert_null (jsw_feed_find_job (after_right, right_job));
  g_assert_cmpuint (after_right->len, ==, feed->len - 1);

  /* Undone by cancelling the entry: back in the feed. */
  cancel = g_strconcat ("/v1/queue/", json_object_get_string_member (entry, "id"), "/cancel", NULL);
  g_clear_pointer (&again, json_node_unref);
  again = jsw_test_http (f->session, f->server, "POST", cancel, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  after_cancel = jsw_feed_walk (f, f->alice, 100);
  g_assert_nonnull (jsw_feed_find_job (after_cancel, right_job));

  /* Bad swipes change nothing. */
  {
    static const char *bad_bodies[] = {
      "{\"direction\":\"right\",\"posting_id\":\"1\",\"job\":{}}",
      "{\"direction\":\"up\",\"posting_id\":\"1\"}",
      "{\"direction\":\"right\",\"posting_id\":1}",
      "{\"direction\":\"right\",\"posting_id\":\"1\",\"allow_duplicate\":\"yes\"}",
    };
    static const char *unknown[] = { "999999", "abc", "-1", "0", "1e3" };

    for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
      {
        g_autoptr(JsonNode) refused = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice,
                                                     bad_bodies[i], &status);

        g_assert_cmpuint (status, ==, 400);
      }
    for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
      {
        g_autoptr(JsonNode) refused = jsw_feed_swipe (f, f->alice, "right", unknown[i], FALSE, 404);

        g_assert_cmpstr (jsw_test_error_code (refused), ==, "not_found");
      }
  }
}

/* ---- likely duplicates ---- */

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) feed = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) insisted = NULL;
  g_autofree char *copy_id = NULL;
  g_autofree char *group_sql = NULL;
  JsonObject *head = NULL;
  JsonObject *duplicate_of;
  gint64 copy;

  jsw_feed_add_and_sync_all (f);
  feed = jsw_feed_walk (f, f->alice, 100);

  /* Shown once: no two postings of the feed are likely duplicates. */
  for (guint i = 0; i < feed->len; i++)
    for (guint j = i + 1; j < feed->len; j++)
      {
        g_autofree char *a = jsw_posting_normalise_key (json_object_get_string_member (feed->pdata[i], "title"));
        g_autofree char *b = jsw_posting_normalise_key (json_object_get_string_member (feed->pdata[j], "title"));
        g_autoptr(GDateTime) when_a = g_date_time_new_from_iso8601 (json_object_get_string_member (feed->pdata[i], "posted_at"), NULL);
        g_autoptr(GDateTime) when_b = g_date_time_new_from_iso8601 (json_object_get_string_member (feed->pdata[j], "posted_at"), NULL);

        if (g_str_equal (a, b) &&
            g_str_equal (json_object_get_string_member (feed->pdata[i], "company"),
                         json_object_get_string_member (feed->pdata[j], "company")))
          g_assert_cmpint (ABS (g_date_time_difference (when_a, when_b)), >, 30 * G_TIME_SPAN_DAY);
      }
  g_assert_cmpint (feed->len, <, jsw_feed_open_postings (f));
  g_assert_cmpint (feed->len, ==, jsw_feed_groups (f));

  /* A posting of the feed with a copy, and that copy. */
  for (guint i = 0; i < feed->len && head == NULL; i++)
    {
      const char *id = json_object_get_string_member (feed->pdata[i], "posting_id");

      if (jsw_test_db_int (f->server->db_path,
                           "SELECT count(*) FROM postings WHERE open AND group_id = (SELECT group_id FROM postings WHERE id = ?1)",
                           id) > 1)
        head = feed->pdata[i];
    }
  g_assert_nonnull (head);
  copy = jsw_test_db_int (f->server->db_path,
                          "SELECT max(id) FROM postings WHERE group_id = (SELECT group_id FROM postings WHERE id = ?1)",
                          json_object_get_string_member (head, "posting_id"));
  copy_id = g_strdup_printf ("%" G_GINT64_FORMAT, copy);
  g_assert_cmpstr (copy_id, !=, json_object_get_string_member (head, "posting_id"));

  /* Applied to one: the other is refused, naming the entry, unless
   * the person insists. */
  first = jsw_feed_swipe (f, f->alice, "right", json_object_get_string_member (head, "posting_id"), FALSE, 201);
  refused = jsw_feed_swipe (f, f->alice, "right", copy_id, FALSE, 409);
  g_assert_cmpstr (jsw_test_error_code (refused), ==, "conflict");
  duplicate_of = json_object_get_object_member (json_object_get_object_member (json_node_get_object (refused), "error"),
                                                "duplicate_of");
  g_assert_cmpstr (json_object_get_string_member (duplicate_of, "entry_id"), ==,
                   json_object_get_string_member (json_object_get_object_member (json_node_get_object (first), "entry"), "id"));
  g_assert_cmpstr (json_object_get_string_member (duplicate_of, "posting_id"), ==,
                   json_object_get_string_member (head, "posting_id"));
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM entries WHERE user_id IS NOT NULL", NULL),
                   ==, 1);
  /* Bob has applied to nothing: no conflict for him. */
  {
    g_autoptr(JsonNode) bobs = jsw_feed_swipe (f, f->bob, "right", copy_id, FALSE, 201);
  }
  insisted = jsw_feed_swipe (f, f->alice, "right", copy_id, TRUE, 201);
}

/* ---- likely duplicates swiped at once ---- */

typedef struct {
  SoupSession *session;   /* its own: a connection of its own */
  SoupMessage *msg;
  guint        status;
  JsonNode    *answer;
} Swipe;

static void
swipe_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Swipe *swipe = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  swipe->status = soup_message_get_status (swipe->msg);
  if (g_bytes_get_size (body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    swipe->answer = json_node_copy (json_parser_get_root (parser));
}

/* Sends @body to @server from a new connection; answered into @swipe. */
static void
swipe_start (Swipe         *swipe,
             JswTestServer *server,
             const char    *token,
             const char    *body)
{
  g_autofree char *url = g_strconcat (server->url, "/v1/swipes", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  swipe->session = jsw_test_session_new ();
  swipe->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (swipe->msg), "Authorization", header);
  soup_message_set_request_body_from_bytes (swipe->msg, "application/json", bytes);
  soup_session_send_and_read_async (swipe->session, swipe->msg, G_PRIORITY_DEFAULT, NULL, swipe_answered, swipe);
}

static const char *
answered_entry_id (JsonNode *answer)
{
  return json_object_get_string_member (json_object_get_object_member (json_node_get_object (answer), "entry"), "id");
}

/* Two server processes on one database, several connections to each:
 * right swipes at once on every copy of one job. The check for a likely
 * duplicate and the entry are one write transaction, so exactly one entry
 * is made; every other swipe is told about it (409, or 200 for the same
 * posting again). */
static void
test_duplicates_swiped_at_once (Fixture       *f,
                                gconstpointer  data)
{
  enum { ROUNDS = 12, PER_COPY = 4 };
  g_autoptr(JswTestServer) second = NULL;
  g_autoptr(GPtrArray) feed = NULL;
  gint64 group = 0;
  gint64 copies = 0;

  jsw_feed_add_and_sync_all (f);
  second = jsw_test_server_start_sharing (f->server, jsw_feed_manual_args);
  feed = jsw_feed_walk (f, f->alice, 100);
  for (guint i = 0; i < feed->len && copies < 2; i++)
    {
      const char *id = json_object_get_string_member (feed->pdata[i], "posting_id");

      group = jsw_test_db_int (f->server->db_path, "SELECT group_id FROM postings WHERE id = ?1", id);
      copies = jsw_test_db_int (f->server->db_path,
                                "SELECT count(*) FROM postings WHERE open AND group_id = (SELECT group_id FROM postings WHERE id = ?1)",
                                id);
    }
  g_assert_cmpint (copies, >=, 2);

  /* Each round a new person, so that every round starts with no entry. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *email = g_strdup_printf ("racer%u@example.com", round);
      g_autofree char *user_id = NULL;
      g_autofree char *token = jsw_test_server_add_user (f->server, email, "premium", &user_id);
      g_autofree char *group_text = g_strdup_printf ("%" G_GINT64_FORMAT, group);
      guint n = (guint) copies * PER_COPY;
      g_autofree Swipe *swipes = g_new0 (Swipe, n);
      const char *winner = NULL;
      guint created = 0;
      guint pending;

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *offset_sql = g_strdup_printf ("SELECT id FROM postings WHERE group_id = ?1 AND open"
                                                         " ORDER BY id LIMIT 1 OFFSET %u", i % (guint) copies);
          g_autofree char *copy = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   jsw_test_db_int (f->server->db_path, offset_sql, group_text));
          g_autofree char *body = jsw_feed_swipe_body ("right", copy, FALSE);

          swipe_start (&swipes[i], i % 2 ? second : f->server, token, body);
        }
      do
        {
          g_main_context_iteration (NULL, TRUE);
          pending = 0;
          for (guint i = 0; i < n; i++)
            pending += swipes[i].status == 0;
        }
      while (pending > 0);

      for (guint i = 0; i < n; i++)
        if (swipes[i].status == 201)
          {
            created++;
            winner = answered_entry_id (swipes[i].answer);
          }
      g_assert_cmpuint (created, ==, 1);
      for (guint i = 0; i < n; i++)
        {
          if (swipes[i].status == 409)
            {
              JsonObject *error = json_object_get_object_member (json_node_get_object (swipes[i].answer), "error");

              g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "conflict");
              g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "duplicate_of"),
                                                              "entry_id"), ==, winner);
            }
          else
            {
              g_assert_cmpuint (swipes[i].status, >=, 200);
              g_assert_cmpuint (swipes[i].status, <=, 201);
              g_assert_cmpstr (answered_entry_id (swipes[i].answer), ==, winner);
            }
        }
      g_assert_cmpint (jsw_test_db_int (f->server->db_path,
                                        "SELECT count(*) FROM entries WHERE user_id = ?1 AND cancelled_at IS NULL",
                                        user_id), ==, 1);
      for (guint i = 0; i < n; i++)
        {
          g_clear_pointer (&swipes[i].answer, json_node_unref);
          g_clear_object (&swipes[i].msg);
          g_clear_object (&swipes[i].session);
        }
    }
}

/* ---- swipes with a JOB body (the older way) ---- */

/* The JOB of a POSTING, as a client of the older body sends it. */
static char *
job_swipe_body (const char *direction,
                JsonObject *posting)
{
  g_autoptr(JsonObject) job = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (posting);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "posting_id") && !g_str_equal (l->data, "questions"))
      json_object_set_member (job, l->data, json_node_copy (json_object_get_member (posting, l->data)));
  json_object_set_string_member (body, "direction", direction);
  json_object_set_object_member (body, "job", json_object_ref (job));
  json_node_take_object (root, json_object_ref (body));
  return json_to_string (root, FALSE);
}

static void
test_job_body_swipes_leave_feed (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) feed = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) bobs = NULL;
  g_autoptr(JsonNode) left = NULL;
  g_autoptr(JsonNode) right = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autofree char *left_body = NULL;
  g_autofree char *right_body = NULL;
  g_autofree char *left_job = NULL;
  g_autofree char *right_job = NULL;
  guint status;

  jsw_feed_add_and_sync_all (f);
  feed = jsw_feed_walk (f, f->alice, 100);
  left_job = g_strdup (json_object_get_string_member (feed->pdata[0], "job_id"));
  right_job = g_strdup (json_object_get_string_member (feed->pdata[1], "job_id"));
  left_body = job_swipe_body ("left", feed->pdata[0]);
  right_body = job_swipe_body ("right", feed->pdata[1]);

  left = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, left_body, &status);
  g_assert_cmpuint (status, ==, 204);
  right = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, right_body, &status);
  g_assert_cmpuint (status, ==, 201);

  /* Both gone from Alice's feed, and only from hers. */
  after = jsw_feed_walk (f, f->alice, 100);
  g_assert_null (jsw_feed_find_job (after, left_job));
  g_assert_null (jsw_feed_find_job (after, right_job));
  g_assert_cmpuint (after->len, ==, feed->len - 2);
  bobs = jsw_feed_walk (f, f->bob, 100);
  g_assert_cmpuint (bobs->len, ==, feed->len);

  /* The left one is undone as a left swipe by posting is. */
  {
    g_autofree char *undo = g_strconcat ("/v1/swipes/", json_object_get_string_member (feed->pdata[0], "posting_id"),
                                         NULL);
    g_autoptr(JsonNode) undone = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
    g_autoptr(GPtrArray) back = NULL;

    g_assert_cmpuint (status, ==, 204);
    back = jsw_feed_walk (f, f->alice, 100);
    g_assert_nonnull (jsw_feed_find_job (back, left_job));
    g_clear_pointer (&left, json_node_unref);
    left = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, left_body, &status);
    g_assert_cmpuint (status, ==, 204);
  }

  /* A job that is no posting is passed on as before: nothing else moves. */
  {
    g_autofree char *job = jsw_test_job_json ("not-a-posting");
    g_autofree char *body = g_strdup_printf ("{\"direction\":\"left\",\"job\":%s}", job);
    g_autoptr(GPtrArray) still = NULL;

    unknown = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, body, &status);
    g_assert_cmpuint (status, ==, 204);
    still = jsw_feed_walk (f, f->alice, 100);
    g_assert_cmpuint (still->len, ==, after->len);
  }
}

/* ---- bad input to the feed ---- */

/* Keywords a person may type, FTS5 syntax among them: each is a search
 * like any other (matched as words, never as a query), or refused with
 * 400; never a 500. */
static void
test_feed_bad_input (Fixture       *f,
                     gconstpointer  data)
{
  static const char *words[] = {
    "\\\"", "\\\"\\\"", "*", "engineer*", "NEAR(", "NEAR(engineer backend)", "OR", "engineer OR", "AND",
    "NOT", "-", "-engineer", ":", "title:engineer", "description : x", "^engineer", "(", ")", "{title}",
    "+", "c++", "c#", ".net", "Zürich", "日本語", "🙂", "ﬁnance", "engineer\\\" OR \\\"x",
  };
  static const char *members[] = { "keywords", "exclude_keywords" };
  static const char *pages[] = {
    "/v1/feed?limit=-1", "/v1/feed?limit=99999999999999999999999", "/v1/feed?limit=4294967297",
    "/v1/feed?limit=1.5", "/v1/feed?limit=", "/v1/feed?limit=%00",
    "/v1/feed?cursor=amYxLjEuNy4xLjE", "/v1/feed?cursor=amYxLi4uLg", "/v1/feed?cursor=%F0%9F%99%82",
    "/v1/feed?cursor=" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  };
  static const char *other_ids[] = { "greenhouse:acme:4012345", "lever:acme:1", "1 OR 1=1", "１", "9223372036854775808" };

  jsw_feed_add_and_sync_all (f);
  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      {
        g_autofree char *search = g_strdup_printf ("{\"%s\": [\"%s\"]}", members[m], words[i]);
        guint status;
        g_autoptr(JsonNode) saved = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", f->alice, search,
                                                   &status);
        g_autoptr(JsonNode) page = NULL;

        g_test_message ("%s", search);
        g_assert_cmpuint (status, ==, 200);
        page = jsw_test_http (f->session, f->server, "GET", "/v1/feed?limit=100", f->alice, NULL, &status);
        g_assert_cmpuint (status, ==, 200);
        /* Matched as words, not as a query: "OR" is the word "or", and
         * what holds no word matches nothing. */
        if (m == 0 && (g_str_equal (words[i], "*") || g_str_equal (words[i], "-")))
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page),
                                                                                 "postings")), ==, 0);
        if (m == 0 && g_str_equal (words[i], "OR"))
          {
            JsonArray *postings = json_object_get_array_member (json_node_get_object (page), "postings");

            g_assert_cmpuint (json_array_get_length (postings), >, 0);
            for (guint p = 0; p < json_array_get_length (postings); p++)
              {
                JsonObject *posting = json_array_get_object_element (postings, p);
                g_autofree char *text = g_strconcat (json_object_get_string_member (posting, "title"), "\n",
                                                     json_object_get_string_member (posting, "description"), NULL);

                g_assert_true (g_regex_match_simple ("\\bor\\b", text, G_REGEX_CASELESS, 0));
              }
          }
      }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(JsonNode) refused = jsw_feed_get (f, pages[i], f->alice, 400);

      g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
    }

  /* Ids that are no posting of the feed: a job_id, another board's. */
  for (guint i = 0; i < G_N_ELEMENTS (other_ids); i++)
    {
      g_autoptr(JsonNode) refused = jsw_feed_swipe (f, f->alice, "right", other_ids[i], FALSE, 404);
      g_autofree char *escaped = g_uri_escape_string (other_ids[i], NULL, FALSE);
      g_autofree char *undo = g_strconcat ("/v1/swipes/", escaped, NULL);
      guint status;
      g_autoptr(JsonNode) not_undone = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);

      g_assert_cmpstr (jsw_test_error_code (refused), ==, "not_found");
      g_assert_cmpuint (status, ==, 404);
    }
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM entries", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) g_test_add (path, Fixture, args, jsw_feed_fixture_set_up, func, jsw_feed_fixture_tear_down)
  ADD ("/feed/swipes", jsw_feed_manual_args, test_swipes);
  ADD ("/feed/duplicates", jsw_feed_manual_args, test_duplicates);
  ADD ("/feed/duplicates/swiped-at-once", jsw_feed_manual_args, test_duplicates_swiped_at_once);
  ADD ("/feed/swipes/job-body-leaves-the-feed", jsw_feed_manual_args, test_job_body_swipes_leave_feed);
  ADD ("/feed/bad-input", jsw_feed_manual_args, test_feed_bad_input);
#undef ADD

  return g_test_run ();
}
