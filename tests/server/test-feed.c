/* test-feed.c: the job feed against a real jobswipe-server and a fake
 * job board: syncing on a schedule and on demand, boards that fail, the
 * search's filters, the order, paging while postings arrive, swipes by
 * posting, and likely duplicates (docs/server.md "The job feed")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-fake-board.h"
#include "jsw-posting.h"
#include "jsw-test-util.h"

typedef struct {
  JswFakeBoard  *board;
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;
  char          *bob;
} Fixture;

static void
add_source (Fixture    *f,
            const char *kind,
            const char *board)
{
  g_autoptr(JsonObject) added = jsw_test_server_cli (f->server, NULL, "source", "add", kind, board,
                                                     "--base-url", jsw_fake_board_url (f->board), NULL);

  g_assert_cmpint (json_object_get_int_member (added, "source_id"), >, 0);
}

/* Runs `source sync [ID]` as an operator would; its exit status, its
 * stdout as JSON, its stderr (the log) as text. */
static int
sync_now (Fixture     *f,
          const char  *id,
          JsonObject **out,
          char       **log)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { g_getenv ("JSW_SERVER_BIN"), "source", "sync", "--timeout", "1", "--db",
                         f->server->db_path, id, NULL };

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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();
  const char *const *args = data;

  f->board = jsw_fake_board_start (dir);
  f->server = jsw_test_server_start (args);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "premium", NULL);
  f->bob = jsw_test_server_add_user (f->server, "bob@example.com", "premium", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->alice);
  g_free (f->bob);
  g_clear_object (&f->session);
  jsw_test_server_free (f->server);
  jsw_fake_board_stop (f->board);
}

/* Every source of the fake board, synced once. */
static void
add_and_sync_all (Fixture *f)
{
  g_autoptr(JsonObject) out = NULL;

  add_source (f, "greenhouse", "acme");
  add_source (f, "lever", "acme");
  add_source (f, "ashby", "acme");
  add_source (f, "personio", "acme");
  g_assert_cmpint (sync_now (f, NULL, &out, NULL), ==, 0);
}

static JsonNode *
get (Fixture    *f,
     const char *path,
     const char *token,
     guint       expected)
{
  guint status;
  JsonNode *node = jsw_test_http (f->session, f->server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, expected);
  return node;
}

static void
put_search (Fixture    *f,
            const char *token,
            const char *search)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", token, search, &status);

  g_assert_cmpuint (status, ==, 200);
}

/* The whole feed, page by page: (element-type JsonObject) POSTINGs. */
static GPtrArray *
walk_feed (Fixture    *f,
           const char *token,
           guint       limit)
{
  GPtrArray *postings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *cursor = NULL;

  for (guint page = 0; page < 1000; page++)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/feed?limit=%u&cursor=%s", limit, cursor)
                                     : g_strdup_printf ("/v1/feed?limit=%u", limit);
      g_autoptr(JsonNode) node = get (f, path, token, 200);
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

static JsonObject *
find_job (GPtrArray  *postings,
          const char *job_id)
{
  for (guint i = 0; i < postings->len; i++)
    if (g_str_equal (json_object_get_string_member (postings->pdata[i], "job_id"), job_id))
      return postings->pdata[i];
  return NULL;
}

static gint64
open_postings (Fixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings WHERE open = 1", NULL);
}

/* The feed without a search holds one posting per group of likely
 * duplicates. */
static guint
groups (Fixture *f)
{
  return jsw_test_db_int (f->server->db_path, "SELECT count(DISTINCT group_id) FROM postings WHERE open = 1", NULL);
}

static char *
swipe_body (const char *direction,
            const char *posting_id,
            gboolean    allow_duplicate)
{
  return g_strdup_printf ("{\"direction\":\"%s\",\"posting_id\":\"%s\"%s}", direction, posting_id,
                          allow_duplicate ? ",\"allow_duplicate\":true" : "");
}

static JsonNode *
swipe (Fixture    *f,
       const char *token,
       const char *direction,
       const char *posting_id,
       gboolean    allow_duplicate,
       guint       expected)
{
  g_autofree char *body = swipe_body (direction, posting_id, allow_duplicate);
  guint status;
  JsonNode *node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", token, body, &status);

  g_assert_cmpuint (status, ==, expected);
  return node;
}

/* ---- syncing ---- */

static gint64
metric (Fixture    *f,
        const char *line_start)
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
static const char *const manual_args[] = { "--sync-interval", "0", NULL };
static const char *const scheduled_args[] = { "--sync-interval", "2", "--sync-timeout", "1", "--sync-backoff", "1", NULL };

static void
test_scheduled_sync_and_metrics (Fixture       *f,
                                 gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* Added while the server runs: picked up within seconds. A board that
   * does not exist (404) fails on its own. */
  add_source (f, "greenhouse", "acme");
  add_source (f, "lever", "acme");
  add_source (f, "lever", "nobody");
  while (metric (f, "jobswipe_source_syncs_total{source=\"lever:acme\"} ") < 2 ||
         metric (f, "jobswipe_source_sync_errors_total{source=\"lever:nobody\"} ") < 2 ||
         metric (f, "jobswipe_source_syncs_total{source=\"greenhouse:acme\"} ") < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  g_assert_cmpint (metric (f, "jobswipe_source_sync_errors_total{source=\"lever:acme\"} "), ==, 0);
  g_assert_cmpint (metric (f, "jobswipe_source_postings{source=\"greenhouse:acme\"} "), ==, 220);
  g_assert_cmpint (metric (f, "jobswipe_source_postings{source=\"lever:acme\"} "), ==, 40);
  g_assert_cmpint (metric (f, "jobswipe_source_postings{source=\"lever:nobody\"} "), ==, 0);
  /* The board was asked for the list again only conditionally. */
  g_assert_cmpuint (jsw_fake_board_not_modified (f->board), >=, 1);
  /* One request at a time, and a User-Agent that says who asks. */
  g_assert_cmpuint (jsw_fake_board_max_in_flight (f->board), ==, 1);
  {
    g_autofree char *agent = jsw_fake_board_user_agent (f->board);

    g_assert_true (g_str_has_prefix (agent, "JobSwipe/"));
  }
}

/* A board that fails in each way: a clear log line, the failure recorded
 * and counted, its postings and everyone else's left as they were. */
static void
test_failing_board_keeps_postings (Fixture       *f,
                                   gconstpointer  data)
{
  static const struct { JswFakeBoardMode mode; const char *said; } failures[] = {
    { JSW_FAKE_BOARD_ERROR_500, "500" },
    { JSW_FAKE_BOARD_MALFORMED, "not valid JSON" },
    { JSW_FAKE_BOARD_HUGE, "not valid JSON" },
    { JSW_FAKE_BOARD_HANG, "timed out" },
  };
  gint64 before;

  add_and_sync_all (f);
  before = open_postings (f);
  g_assert_cmpint (before, ==, 220 + 40 + 28 + 25);

  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autoptr(JsonObject) out = NULL;
      g_autofree char *log = NULL;
      g_autoptr(JsonObject) listed = NULL;
      JsonObject *greenhouse;
      JsonArray *synced;

      jsw_fake_board_set_mode (f->board, failures[i].mode);
      g_assert_cmpint (sync_now (f, "1", &out, &log), ==, 1);
      g_test_message ("%s", log);
      g_assert_nonnull (strstr (log, "\"event\":\"source.sync_failed\""));
      g_assert_nonnull (strstr (log, failures[i].said));
      synced = json_object_get_array_member (out, "synced");
      g_assert_false (json_object_get_boolean_member (json_array_get_object_element (synced, 0), "ok"));
      g_assert_cmpint (open_postings (f), ==, before);

      listed = jsw_test_server_cli (f->server, NULL, "source", "list", NULL);
      greenhouse = json_array_get_object_element (json_object_get_array_member (listed, "sources"), 0);
      g_assert_cmpint (json_object_get_int_member (greenhouse, "failures"), ==, i + 1);
      g_assert_nonnull (strstr (json_object_get_string_member (greenhouse, "last_error"), failures[i].said));
      g_assert_cmpint (json_object_get_int_member (greenhouse, "open_postings"), ==, 220);
    }

  /* The server never noticed. */
  jsw_fake_board_set_mode (f->board, JSW_FAKE_BOARD_NORMAL);
  {
    g_autoptr(GPtrArray) feed = walk_feed (f, f->alice, 100);

    g_assert_cmpuint (feed->len, ==, groups (f));
  }
  g_assert_cmpint (sync_now (f, "1", NULL, NULL), ==, 0);
}

static void
test_gone_posting_leaves_feed (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();
  g_autofree char *path = g_build_filename (dir, "lever", "acme.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *entry_path = NULL;
  g_autofree char *shorter = NULL;
  const char *gone = "lever:acme:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b";
  g_autofree char *posting_id = NULL;
  JsonArray *list;

  add_and_sync_all (f);
  before = walk_feed (f, f->alice, 100);
  posting_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                jsw_test_db_int (f->server->db_path, "SELECT id FROM postings WHERE job_id = ?1", gone));
  /* Bob applies to it. */
  entry = swipe (f, f->bob, "right", posting_id, FALSE, 201);
  entry_path = g_strconcat ("/v1/queue/", json_object_get_string_member (
                              json_object_get_object_member (json_node_get_object (entry), "entry"), "id"), NULL);

  /* The board drops it. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  list = json_node_get_array (json_parser_get_root (parser));
  json_array_remove_element (list, 0);
  json_generator_set_root (generator, json_parser_get_root (parser));
  shorter = json_generator_to_data (generator, NULL);
  jsw_fake_board_override (f->board, "/v0/postings/acme", shorter);
  g_assert_cmpint (sync_now (f, "2", &out, NULL), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (out, "synced"), 0), "closed"), ==, 1);

  after = walk_feed (f, f->alice, 100);
  g_assert_null (find_job (after, gone));
  g_assert_cmpuint (after->len, ==, groups (f));
  /* A swipe on it now finds it gone. */
  {
    g_autoptr(JsonNode) refused = swipe (f, f->alice, "right", posting_id, FALSE, 404);

    g_assert_cmpstr (jsw_test_error_code (refused), ==, "not_found");
  }
  /* Bob's entry keeps its snapshot. */
  again = get (f, entry_path, f->bob, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (again), "snapshot"),
                                                  "title"), ==, "Product Designer");
}

/* ---- the search ---- */

static gboolean
contains_word (JsonObject *posting,
               const char *member,
               const char *word)
{
  const char *text = json_object_get_string_member_with_default (posting, member, NULL);
  g_autofree char *lower = text ? g_utf8_strdown (text, -1) : NULL;

  return lower != NULL && strstr (lower, word) != NULL;
}

static void
assert_keyword_tiers (Fixture    *f,
                      const char *search,
                      const char *word,
                      guint       everything)
{
  g_autoptr(GPtrArray) feed = NULL;
  gboolean description_tier = FALSE;

  put_search (f, f->alice, search);
  feed = walk_feed (f, f->alice, 9);
  g_test_message ("%s: %u postings of %u", word, feed->len, everything);
  g_assert_cmpuint (feed->len, >, 0);
  g_assert_cmpuint (feed->len, <, everything);
  for (guint i = 0; i < feed->len; i++)
    {
      gboolean in_title = contains_word (feed->pdata[i], "title", word);

      g_assert_true (in_title || contains_word (feed->pdata[i], "description", word));
      if (!in_title)
        description_tier = TRUE;
      else
        g_assert_false (description_tier);
    }
}

static void
test_search_filters (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) everything = NULL;

  add_and_sync_all (f);
  everything = walk_feed (f, f->alice, 100);

  /* Keywords: title matches first, then description only; a word in
   * most postings and one in a few (each matched its own way). */
  assert_keyword_tiers (f, "{\"keywords\": [\"engineer\"]}", "engineer", everything->len);
  assert_keyword_tiers (f, "{\"keywords\": [\"backend\"]}", "backend", everything->len);
  assert_keyword_tiers (f, "{\"keywords\": [\"PRIVACY\"]}", "privacy", everything->len);

  /* Remote only. */
  put_search (f, f->alice, "{\"remote_only\": true}");
  {
    g_autoptr(GPtrArray) feed = walk_feed (f, f->alice, 50);

    g_assert_cmpuint (feed->len, >, 0);
    for (guint i = 0; i < feed->len; i++)
      g_assert_true (json_object_get_boolean_member (json_object_get_object_member (feed->pdata[i], "extra"), "remote"));
  }

  /* Locations: any case, accents ignored, part of a place's name. */
  put_search (f, f->alice, "{\"locations\": [\"ZURICH\", \"lisbon\"]}");
  {
    g_autoptr(GPtrArray) feed = walk_feed (f, f->alice, 50);

    g_assert_cmpuint (feed->len, >, 0);
    for (guint i = 0; i < feed->len; i++)
      g_assert_true (contains_word (feed->pdata[i], "location", "zürich") ||
                     contains_word (feed->pdata[i], "location", "lisbon"));
  }

  /* Employment types, companies and words left out. */
  put_search (f, f->alice, "{\"employment_types\": [\"internship\"], \"exclude_companies\": [\"ACME GMBH\"],"
                           " \"exclude_keywords\": [\"kafka\"]}");
  {
    g_autoptr(GPtrArray) feed = walk_feed (f, f->alice, 50);

    g_assert_cmpuint (feed->len, >, 0);
    for (guint i = 0; i < feed->len; i++)
      {
        JsonObject *posting = feed->pdata[i];

        g_assert_true (json_object_get_null_member (posting, "employment_type") ||
                       g_str_equal (json_object_get_string_member (posting, "employment_type"), "internship"));
        g_assert_cmpstr (json_object_get_string_member (posting, "company"), !=, "Acme GmbH");
        g_assert_false (contains_word (posting, "description", "kafka"));
        g_assert_false (contains_word (posting, "title", "kafka"));
      }
  }

  /* The search as saved, and a bad one refused without a change. */
  {
    static const char *bad[] = {
      "{\"keywords\": \"backend\"}", "{\"keywords\": [\"   \"]}", "{\"keywords\": [7]}",
      "{\"employment_types\": [\"forever\"]}", "{\"remote_only\": \"yes\"}", "[1]",
    };
    g_autoptr(JsonNode) saved = get (f, "/v1/me/search", f->alice, 200);
    g_autoptr(JsonNode) bobs = get (f, "/v1/me/search", f->bob, 200);
    JsonObject *search = json_node_get_object (saved);

    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (search, "employment_types"), 0), ==,
                     "internship");
    g_assert_false (json_object_get_boolean_member (search, "remote_only"));
    g_assert_false (json_object_get_null_member (search, "updated_at"));
    g_assert_true (json_object_get_null_member (json_node_get_object (bobs), "updated_at"));
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        guint status;
        g_autoptr(JsonNode) refused = jsw_test_http (f->session, f->server, "PUT", "/v1/me/search", f->alice, bad[i],
                                                     &status);
        g_autoptr(JsonNode) still = get (f, "/v1/me/search", f->alice, 200);

        g_assert_cmpuint (status, ==, 400);
        g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
        g_assert_true (json_node_equal (saved, still));
      }
  }
}

/* ---- order and paging ---- */

static void
assert_ordered (GPtrArray *feed)
{
  for (guint i = 1; i < feed->len; i++)
    {
      const char *newer = json_object_get_string_member (feed->pdata[i - 1], "posted_at");
      const char *older = json_object_get_string_member (feed->pdata[i], "posted_at");

      g_assert_cmpstr (newer, >=, older);
    }
}

static void
test_paging_while_postings_arrive (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) walked = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  add_source (f, "greenhouse", "acme");
  add_source (f, "personio", "acme");
  g_assert_cmpint (sync_now (f, "1", NULL, NULL), ==, 0);
  whole = walk_feed (f, f->alice, 100);
  assert_ordered (whole);

  /* Page by 13; after the second page, a board's postings arrive. */
  for (;;)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/feed?limit=13&cursor=%s", cursor)
                                     : g_strdup ("/v1/feed?limit=13");
      g_autoptr(JsonNode) node = get (f, path, f->alice, 200);
      JsonObject *answer = json_node_get_object (node);
      JsonArray *items = json_object_get_array_member (answer, "postings");

      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (walked, json_object_ref (json_array_get_object_element (items, i)));
      if (++pages == 2)
        g_assert_cmpint (sync_now (f, "2", NULL, NULL), ==, 0);
      g_clear_pointer (&cursor, g_free);
      if (json_object_get_null_member (answer, "next_cursor"))
        break;
      cursor = g_strdup (json_object_get_string_member (answer, "next_cursor"));
    }

  /* None twice, none of the start skipped. */
  for (guint i = 0; i < walked->len; i++)
    {
      const char *id = json_object_get_string_member (walked->pdata[i], "posting_id");

      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
    }
  for (guint i = 0; i < whole->len; i++)
    g_assert_true (g_hash_table_contains (seen, json_object_get_string_member (whole->pdata[i], "posting_id")));
  g_assert_cmpuint (walked->len, >, whole->len);
}

static void
test_bad_page_requests (Fixture       *f,
                        gconstpointer  data)
{
  static const char *bad[] = {
    "/v1/feed?limit=0", "/v1/feed?limit=101", "/v1/feed?limit=ten", "/v1/feed?limit=-1",
    "/v1/feed?cursor=bm90LWEtY3Vyc29y", "/v1/feed?cursor=%3Cscript%3E", "/v1/feed?cursor=",
  };
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) stale = NULL;
  g_autofree char *path = NULL;

  add_and_sync_all (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) refused = get (f, bad[i], f->alice, 400);

      g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
    }

  /* A cursor of the search before is told so. */
  first = get (f, "/v1/feed?limit=5", f->alice, 200);
  path = g_strconcat ("/v1/feed?limit=5&cursor=",
                      json_object_get_string_member (json_node_get_object (first), "next_cursor"), NULL);
  put_search (f, f->alice, "{\"keywords\": [\"engineer\"]}");
  stale = get (f, path, f->alice, 409);
  g_assert_cmpstr (jsw_test_error_code (stale), ==, "conflict");
}

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

  add_and_sync_all (f);
  feed = walk_feed (f, f->alice, 100);
  left_id = g_strdup (json_object_get_string_member (feed->pdata[0], "posting_id"));
  right_id = g_strdup (json_object_get_string_member (feed->pdata[1], "posting_id"));
  right_job = g_strdup (json_object_get_string_member (feed->pdata[1], "job_id"));

  /* Left: gone for good, for Alice only; undone: back. */
  g_clear_pointer (&created, json_node_unref);
  created = swipe (f, f->alice, "left", left_id, FALSE, 204);
  g_clear_pointer (&created, json_node_unref);
  created = swipe (f, f->alice, "left", left_id, FALSE, 204);
  after_left = walk_feed (f, f->alice, 100);
  g_assert_cmpuint (after_left->len, ==, feed->len - 1);
  g_assert_cmpstr (json_object_get_string_member (after_left->pdata[0], "posting_id"), ==, right_id);
  bobs = walk_feed (f, f->bob, 100);
  g_assert_cmpuint (bobs->len, ==, feed->len);
  undo = g_strconcat ("/v1/swipes/", left_id, NULL);
  g_clear_pointer (&created, json_node_unref);
  created = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  after_undo = walk_feed (f, f->alice, 100);
  g_assert_cmpuint (after_undo->len, ==, feed->len);
  g_clear_pointer (&created, json_node_unref);
  created = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Right: an entry whose snapshot is the posting, frozen. */
  g_clear_pointer (&created, json_node_unref);
  created = swipe (f, f->alice, "right", right_id, FALSE, 201);
  entry = json_object_get_object_member (json_node_get_object (created), "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "job_id"), ==, right_job);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "snapshot"), "title"), ==,
                   json_object_get_string_member (feed->pdata[1], "title"));
  g_assert_false (json_object_has_member (json_object_get_object_member (entry, "snapshot"), "posting_id"));
  again = swipe (f, f->alice, "right", right_id, FALSE, 200);
  after_right = walk_feed (f, f->alice, 100);
  g_assert_null (find_job (after_right, right_job));
  g_assert_cmpuint (after_right->len, ==, feed->len - 1);

  /* Undone by cancelling the entry: back in the feed. */
  cancel = g_strconcat ("/v1/queue/", json_object_get_string_member (entry, "id"), "/cancel", NULL);
  g_clear_pointer (&again, json_node_unref);
  again = jsw_test_http (f->session, f->server, "POST", cancel, f->alice, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  after_cancel = walk_feed (f, f->alice, 100);
  g_assert_nonnull (find_job (after_cancel, right_job));

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
        g_autoptr(JsonNode) refused = swipe (f, f->alice, "right", unknown[i], FALSE, 404);

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

  add_and_sync_all (f);
  feed = walk_feed (f, f->alice, 100);

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
  g_assert_cmpint (feed->len, <, open_postings (f));
  g_assert_cmpint (feed->len, ==, groups (f));

  /* A posting of the feed with a copy, and that copy. */
  for (guint i = 0; i < feed->len && head == NULL; i++)
    {
      const char *id = json_object_get_string_member (feed->pdata[i], "posting_id");

      if (jsw_test_db_int (f->server->db_path,
                           "SELECT count(*) FROM postings WHERE open = 1 AND group_id = (SELECT group_id FROM postings WHERE id = ?1)",
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
  first = swipe (f, f->alice, "right", json_object_get_string_member (head, "posting_id"), FALSE, 201);
  refused = swipe (f, f->alice, "right", copy_id, FALSE, 409);
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
    g_autoptr(JsonNode) bobs = swipe (f, f->bob, "right", copy_id, FALSE, 201);
  }
  insisted = swipe (f, f->alice, "right", copy_id, TRUE, 201);
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

  add_and_sync_all (f);
  second = jsw_test_server_start_sharing (f->server, manual_args);
  feed = walk_feed (f, f->alice, 100);
  for (guint i = 0; i < feed->len && copies < 2; i++)
    {
      const char *id = json_object_get_string_member (feed->pdata[i], "posting_id");

      group = jsw_test_db_int (f->server->db_path, "SELECT group_id FROM postings WHERE id = ?1", id);
      copies = jsw_test_db_int (f->server->db_path,
                                "SELECT count(*) FROM postings WHERE open = 1 AND group_id = (SELECT group_id FROM postings WHERE id = ?1)",
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
          g_autofree char *offset_sql = g_strdup_printf ("SELECT id FROM postings WHERE group_id = ?1 AND open = 1"
                                                         " ORDER BY id LIMIT 1 OFFSET %u", i % (guint) copies);
          g_autofree char *copy = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   jsw_test_db_int (f->server->db_path, offset_sql, group_text));
          g_autofree char *body = swipe_body ("right", copy, FALSE);

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

  add_and_sync_all (f);
  feed = walk_feed (f, f->alice, 100);
  left_job = g_strdup (json_object_get_string_member (feed->pdata[0], "job_id"));
  right_job = g_strdup (json_object_get_string_member (feed->pdata[1], "job_id"));
  left_body = job_swipe_body ("left", feed->pdata[0]);
  right_body = job_swipe_body ("right", feed->pdata[1]);

  left = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, left_body, &status);
  g_assert_cmpuint (status, ==, 204);
  right = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, right_body, &status);
  g_assert_cmpuint (status, ==, 201);

  /* Both gone from Alice's feed, and only from hers. */
  after = walk_feed (f, f->alice, 100);
  g_assert_null (find_job (after, left_job));
  g_assert_null (find_job (after, right_job));
  g_assert_cmpuint (after->len, ==, feed->len - 2);
  bobs = walk_feed (f, f->bob, 100);
  g_assert_cmpuint (bobs->len, ==, feed->len);

  /* The left one is undone as a left swipe by posting is. */
  {
    g_autofree char *undo = g_strconcat ("/v1/swipes/", json_object_get_string_member (feed->pdata[0], "posting_id"),
                                         NULL);
    g_autoptr(JsonNode) undone = jsw_test_http (f->session, f->server, "DELETE", undo, f->alice, NULL, &status);
    g_autoptr(GPtrArray) back = NULL;

    g_assert_cmpuint (status, ==, 204);
    back = walk_feed (f, f->alice, 100);
    g_assert_nonnull (find_job (back, left_job));
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
    still = walk_feed (f, f->alice, 100);
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

  add_and_sync_all (f);
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
      g_autoptr(JsonNode) refused = get (f, pages[i], f->alice, 400);

      g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
    }

  /* Ids that are no posting of the feed: a job_id, another board's. */
  for (guint i = 0; i < G_N_ELEMENTS (other_ids); i++)
    {
      g_autoptr(JsonNode) refused = swipe (f, f->alice, "right", other_ids[i], FALSE, 404);
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

#define ADD(path, args, func) g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("/feed/sync/scheduled-with-metrics", scheduled_args, test_scheduled_sync_and_metrics);
  ADD ("/feed/sync/failing-board-keeps-its-postings", manual_args, test_failing_board_keeps_postings);
  ADD ("/feed/sync/gone-posting-leaves-the-feed", manual_args, test_gone_posting_leaves_feed);
  ADD ("/feed/search/filters", manual_args, test_search_filters);
  ADD ("/feed/paging/while-postings-arrive", manual_args, test_paging_while_postings_arrive);
  ADD ("/feed/paging/bad-requests", manual_args, test_bad_page_requests);
  ADD ("/feed/swipes", manual_args, test_swipes);
  ADD ("/feed/duplicates", manual_args, test_duplicates);
  ADD ("/feed/duplicates/swiped-at-once", manual_args, test_duplicates_swiped_at_once);
  ADD ("/feed/swipes/job-body-leaves-the-feed", manual_args, test_job_body_swipes_leave_feed);
  ADD ("/feed/bad-input", manual_args, test_feed_bad_input);
#undef ADD

  return g_test_run ();
}
