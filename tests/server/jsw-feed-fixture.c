/* jsw-feed-fixture.c: what the job feed's tests share (test-feed.c,
 * test-feed-swipes.c): a real jobswipe-server (on SQLite or PostgreSQL,
 * as the test runs) and a fake job board, two people, and the calls a
 * client of the feed makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-feed-fixture.h"

void
jsw_feed_add_source (JswFeedFixture *f,
                     const char     *kind,
                     const char     *board)
{
  g_autoptr(JsonObject) added = jsw_test_server_cli (f->server, NULL, "source", "add", kind, board,
                                                     "--base-url", jsw_fake_board_url (f->board), NULL);

  g_assert_cmpint (json_object_get_int_member (added, "source_id"), >, 0);
}

/* Runs `source sync [ID]` as an operator would; its exit status, its
 * stdout as JSON, its stderr (the log) as text. */
int
jsw_feed_sync_now (JswFeedFixture  *f,
                   const char      *id,
                   JsonObject     **out,
                   char           **log)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { g_getenv ("JSW_SERVER_BIN"), "source", "sync", "--timeout", "1",
                         jsw_test_database_option (f->server->db_path), f->server->db_path, id, NULL };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (out != NULL)
    {
      json_parser_load_from_data (parser, stdout_text, -1, &error);
      g_assert_no_error (error);
      *out = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  if (log != NULL)
    *log = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

void
jsw_feed_fixture_set_up (JswFeedFixture *f,
                         gconstpointer   data)
{
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();
  const char *const *args = data;

  f->board = jsw_fake_board_start (dir);
  f->server = jsw_test_server_start (args);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "premium", &f->alice_id);
  f->bob = jsw_test_server_add_user (f->server, "bob@example.com", "premium", NULL);
}

void
jsw_feed_fixture_tear_down (JswFeedFixture *f,
                            gconstpointer   data)
{
  g_free (f->alice);
  g_free (f->alice_id);
  g_free (f->bob);
  g_clear_object (&f->session);
  jsw_test_server_free (f->server);
  jsw_fake_board_stop (f->board);
}

/* Every source of the fake board, synced once. */
void
jsw_feed_add_and_sync_all (JswFeedFixture *f)
{
  g_autoptr(JsonObject) out = NULL;

  jsw_feed_add_source (f, "greenhouse", "acme");
  jsw_feed_add_source (f, "lever", "acme");
  jsw_feed_add_source (f, "ashby", "acme");
  jsw_feed_add_source (f, "personio", "acme");
  g_assert_cmpint (jsw_feed_sync_now (f, NULL, &out, NULL), ==, 0);
}

JsonNode *
jsw_feed_get (JswFeedFixture *f,
              const char     *path,
              const char     *token,
              guint           expected)
{
  guint status;
  JsonNode *node = jsw_test_http (f->session, f->server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, expected);
  return node;
}

void
jsw_feed_put_search (JswFeedFixture *f,
                     const char     *token,
                     const char     *search)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", token, search, &status);

  g_assert_cmpuint (status, ==, 200);
}

/* The whole feed, page by page: (element-type JsonObject) POSTINGs. */
GPtrArray *
jsw_feed_walk (JswFeedFixture *f,
               const char     *token,
               guint           limit)
{
  GPtrArray *postings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *cursor = NULL;

  for (guint page = 0; page < 1000; page++)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/feed?limit=%u&cursor=%s", limit, cursor)
                                     : g_strdup_printf ("/v1/feed?limit=%u", limit);
      g_autoptr(JsonNode) node = jsw_feed_get (f, path, token, 200);
      JsonObject *answer = json_node_get_object (node);
      JsonArray *items = json_object_get_array_member (answer, "postings");

      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (postings, json_object_ref (json_array_get_object_element (items, i)));
      g_clear_pointer (&cursor, g_free);
      if (json_object_get_null_member (answer, "next_cursor"))
        return postings;
      cursor = g_strdup (json_object_get_string_member (answer, "next_cursor"));
    }
  g_assert_not_reached ();
  return NULL;
}

JsonObject *
jsw_feed_find_job (GPtrArray  *postings,
                   const char *job_id)
{
  for (guint i = 0; i < postings->len; i++)
    if (g_str_equal (json_object_get_string_member (postings->pdata[i], "job_id"), job_id))
      return postings->pdata[i];
  return NULL;
}

gint64
jsw_feed_open_postings (JswFeedFixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings WHERE open", NULL);
}

/* The feed without a search holds one posting per group of likely
 * duplicates. */
guint
jsw_feed_groups (JswFeedFixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(DISTINCT group_id) FROM postings WHERE open", NULL);
}

char *
jsw_feed_swipe_body (const char *direction,
                     const char *posting_id,
                     gboolean    allow_duplicate)
{
  return g_strdup_printf ("{\"direction\":\"%s\",\"posting_id\":\"%s\"%s}", direction, posting_id,
                          allow_duplicate ? ",\"allow_duplicate\":true" : "");
}

JsonNode *
jsw_feed_swipe (JswFeedFixture *f,
                const char     *token,
                const char     *direction,
                const char     *posting_id,
                gboolean        allow_duplicate,
                guint           expected)
{
  g_autofree char *body = jsw_feed_swipe_body (direction, posting_id, allow_duplicate);
  guint status;
  JsonNode *node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", token, body, &status);

  g_assert_cmpuint (status, ==, expected);
  return node;
}

/* ---- syncing ---- */

gint64
jsw_feed_metric (JswFeedFixture *f,
                 const char     *line_start)
{
  g_autofree char *token = jsw_test_server_worker_token (f->server, "ops");
  g_autofree char *url = g_strconcat (f->server->url, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  const char *found;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  body = soup_session_send_and_read (f->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  found = strstr (text, line_start);
  if (found == NULL)
    return -1;
  return g_ascii_strtoll (found + strlen (line_start), NULL, 10);
}

/* Syncs only when the test says so. */
const char *const jsw_feed_manual_args[] = { "--sync-interval", "0", NULL };
const char *const jsw_feed_scheduled_args[] = { "--sync-interval", "2", "--sync-timeout", "1", "--sync-backoff", "1", NULL };

/* Polls @sql (with @parameter) until it counts @expected, for at most 60 s:
 * for what the server does on its own schedule. */
void
jsw_feed_wait_for_count (JswFeedFixture *f,
                         const char     *sql,
                         const char     *parameter,
                         gint64          expected)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_test_message ("waiting for %s (%s) to be %" G_GINT64_FORMAT, sql, parameter, expected);
  while (jsw_test_db_int (f->server->db_path, sql, parameter) != expected)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
}
