/* test-sources.c: each kind of job board read from a fake board serving
 * the vendors' documented shapes, field by field; HTML laid out as text;
 * boards that fail in every way a board can
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-common.h"
#include "jsw-fake-board.h"
#include "jsw-html-text.h"
#include "jsw-source-fetch.h"

typedef struct {
  JswFakeBoard   *board;
  JswBoardClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();

  fixture->board = jsw_fake_board_start (dir);
  fixture->client = jsw_board_client_new (2, JSW_BOARD_MAX_BODY);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  jsw_fake_board_stop (fixture->board);
}

static JswSourceConfig
config_for (Fixture    *fixture,
            const char *kind)
{
  JswSourceConfig config = {
    .kind = kind,
    .board = "acme",
    .company = NULL,
    .base_url = jsw_fake_board_url (fixture->board),
  };

  return config;
}

/* Postings in the fixture's list, counted the way a person would. */
static guint
count_in_fixture (const char *relative,
                  const char *needle)
{
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *text = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    count++;
  return count;
}

static JswPosting *
find_posting (GPtrArray  *postings,
              const char *external_id)
{
  for (guint i = 0; i < postings->len; i++)
    {
      JswPosting *posting = postings->pdata[i];

      if (g_str_equal (posting->external_id, external_id))
        return posting;
    }
  g_assert_not_reached ();
  return NULL;
}

static JsonObject *
job_of (JswPosting  *posting,
        JsonNode   **root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = jsw_posting_to_job_json (posting, &error);

  g_assert_no_error (error);
  return jsw_json_parse_object (json, -1, root, NULL);
}

static void
assert_locations (JswPosting  *posting,
                  const char  *first,
                  const char  *second)
{
  g_assert_cmpuint (posting->locations->len, ==, second ? 2 : 1);
  g_assert_cmpstr (posting->locations->pdata[0], ==, first);
  if (second)
    g_assert_cmpstr (posting->locations->pdata[1], ==, second);
}

/* ---- HTML as text ---- */

static void
test_html_layout (void)
{
  struct { const char *html; const char *text; } cases[] = {
    { "<p>One</p><p>Two&nbsp;words</p>", "One\n\nTwo words" },
    { "<div>Intro<ul><li>a</li><li><p>b</p></li></ul>After</div>", "Intro\n\n• a\n• b\n\nAfter" },
    { "<ol><li>first</li><li>second</li></ol>", "1. first\n2. second" },
    { "<ul><li>outer<ul><li>inner</li></ul></li><li>next</li></ul>", "• outer\n  • inner\n• next" },
    { "<p>Line one<br>line two</p>", "Line one\nline two" },
    { "<script>alert(1)</script><style>p{}</style><p>Kept</p>", "Kept" },
    { "<h3>Heading</h3>text &amp; more &lt;tags&gt;", "Heading\n\ntext & more <tags>" },
    { "<p>unclosed <b>bold <i>both</p><p>next", "unclosed bold both\n\nnext" },
    { "plain   text\n\twith  spaces", "plain text with spaces" },
    { "", "" },
    { "<p>   </p><p></p>", "" },
    { "<table><tr><td>a</td><td>b</td></tr></table>", "a b" },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *deep_text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = jsw_html_to_text (cases[i].html, -1);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Past libxml2's default limit of 256 nested elements, and nested
   * lists past the walk's own depth limit: still text. */
  for (guint i = 0; i < 300; i++)
    g_string_append (deep, "<ul><li>");
  g_string_append (deep, "innermost<style>p{}</style>");
  deep_text = jsw_html_to_text (deep->str, -1);
  g_assert_true (g_str_has_suffix (deep_text, "innermost"));
}

static void
test_html_unescape (void)
{
  g_autofree char *html = jsw_html_unescape ("&lt;p&gt;Caf&eacute; &amp;amp; more&lt;/p&gt;");

  g_assert_cmpstr (html, ==, "<p>Café &amp; more</p>");
}

/* ---- each kind ---- */

static void
test_greenhouse (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) questions_root = NULL;
  JswPosting *posting;
  JsonObject *job;
  JsonObject *extra;
  JsonArray *questions;
  guint in_fixture = count_in_fixture ("greenhouse/acme/jobs.json", "\"internal_job_id\"");
  guint eeo = 0, gdpr = 0, demographic = 0, form = 0;

  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (in_fixture, >=, 200);
  g_assert_cmpuint (fetch.postings->len, ==, in_fixture);
  g_assert_cmpuint (fetch.skipped, ==, 0);
  g_assert_cmpuint (fetch.detail_errors, ==, 0);
  /* The list, then each posting's questions. */
  g_assert_cmpuint (fetch.requests, ==, in_fixture + 1);
  g_assert_cmpuint (jsw_fake_board_requests (fixture->board, "/v1/boards/acme/jobs/"), ==, in_fixture);

  posting = find_posting (fetch.postings, "4012345");
  job = job_of (posting, &root);
  g_assert_cmpstr (json_object_get_string_member (job, "job_id"), ==, "greenhouse:acme:4012345");
  g_assert_cmpstr (json_object_get_string_member (job, "title"), ==, "Senior Backend Engineer");
  g_assert_cmpstr (json_object_get_string_member (job, "company"), ==, "Acme");
  g_assert_cmpstr (json_object_get_string_member (job, "apply_url"), ==,
                   "https://boards.greenhouse.io/acme/jobs/4012345");
  g_assert_cmpstr (json_object_get_string_member (job, "location"), ==, "Berlin, Germany; Remote (EU)");
  g_assert_cmpstr (json_object_get_string_member (job, "description"), ==,
                   "We build the payment rails that 40,000 small businesses run on. Join the team that keeps them up.\n\n"
                   "What you will do\n\n"
                   "• Run Go services on PostgreSQL\n"
                   "• Be on call one week in six\n"
                   "  • with a second person, always\n\n"
                   "Salary: EUR 70,000–90,000\nplus stock options\n\n"
                   "1. A call with a recruiter\n"
                   "2. A paid take-home task");
  g_assert_cmpstr (json_object_get_string_member (job, "salary"), ==, "EUR 70,000–90,000 per year");
  g_assert_cmpstr (json_object_get_string_member (job, "employment_type"), ==, "full_time");
  g_assert_cmpstr (json_object_get_string_member (job, "posted_at"), ==, "2026-11-20T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (job, "source"), ==, "greenhouse");
  extra = json_object_get_object_member (job, "extra");
  g_assert_true (json_object_get_boolean_member (extra, "remote"));
  g_assert_cmpstr (json_object_get_string_member (extra, "department"), ==, "Engineering");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (extra, "locations")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (extra, "salary_range"), "min"), ==, 70000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (extra, "salary_range"), "currency"), ==, "EUR");

  /* The form's questions, with the EEO, demographic and GDPR sets. */
  g_assert_nonnull (posting->questions);
  questions = json_node_get_array (posting->questions);
  for (guint i = 0; i < json_array_get_length (questions); i++)
    {
      JsonObject *question = json_array_get_object_element (questions, i);
      const char *set = json_object_get_string_member (question, "set");

      g_assert_nonnull (json_object_get_string_member (question, "label"));
      g_assert_nonnull (json_object_get_array_member (question, "fields"));
      if (g_str_equal (set, "eeo")) eeo++;
      else if (g_str_equal (set, "gdpr")) gdpr++;
      else if (g_str_equal (set, "demographic")) demographic++;
      else if (g_str_equal (set, "form")) form++;
      else g_assert_not_reached ();
    }
  g_assert_cmpuint (form, ==, 11);  /* ten questions and one location question */
  g_assert_cmpuint (eeo, ==, 4);
  g_assert_cmpuint (demographic, ==, 1);
  g_assert_cmpuint (gdpr, ==, 2);   /* consent and retention */
  {
    JsonObject *resume = json_array_get_object_element (questions, 4);
    JsonObject *authorised = json_array_get_object_element (questions, 7);
    JsonArray *fields = json_object_get_array_member (resume, "fields");
    JsonObject *select = json_array_get_object_element (json_object_get_array_member (authorised, "fields"), 0);
    JsonObject *yes = json_array_get_object_element (json_object_get_array_member (select, "options"), 0);

    g_assert_cmpstr (json_object_get_string_member (resume, "label"), ==, "Resume/CV");
    g_assert_true (json_object_get_boolean_member (resume, "required"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, 0), "type"), ==, "file");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, 1), "type"), ==, "textarea");
    g_assert_cmpstr (json_object_get_string_member (authorised, "description"), ==,
                     "We can sponsor visas for some roles; say so below.");
    g_assert_cmpstr (json_object_get_string_member (select, "type"), ==, "single_select");
    g_assert_cmpstr (json_object_get_string_member (yes, "label"), ==, "Yes");
    g_assert_cmpstr (json_object_get_string_member (yes, "value"), ==, "1");
  }
  jsw_source_fetch_clear (&fetch);
}

static void
test_lever (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "lever");
  JswSourceFetch fetch;
  g_autoptr(JsonNode) root = NULL;
  JswPosting *posting;
  JsonObject *job;

  config.company = "Acme Inc.";
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fetch.postings->len, ==, count_in_fixture ("lever/acme.json", "\"hostedUrl\""));
  g_assert_cmpuint (fetch.requests, ==, 1);

  posting = find_posting (fetch.postings, "5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b");
  g_assert_null (posting->questions);
  job = job_of (posting, &root);
  g_assert_cmpstr (json_object_get_string_member (job, "job_id"), ==, "lever:acme:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b");
  g_assert_cmpstr (json_object_get_string_member (job, "title"), ==, "Product Designer");
  g_assert_cmpstr (json_object_get_string_member (job, "company"), ==, "Acme Inc.");
  g_assert_cmpstr (json_object_get_string_member (job, "apply_url"), ==,
                   "https://jobs.lever.co/acme/5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b/apply");
  assert_locations (posting, "Amsterdam, Netherlands", "Remote (EU)");
  g_assert_true (posting->remote);
  g_assert_cmpstr (json_object_get_string_member (job, "description"), ==,
                   "Design the screens 40,000 shop owners use every morning.\n\n"
                   "What you will do\n\n• Own the design of our mobile app\n• Test ideas with customers every week\n\n"
                   "What you bring\n\n• A portfolio of shipped work\n• Fluency in Figma\n\n"
                   "Acme is an equal opportunity employer.");
  g_assert_cmpstr (json_object_get_string_member (job, "salary"), ==, "EUR 65,000–80,000 per year");
  g_assert_cmpstr (json_object_get_string_member (job, "employment_type"), ==, "full_time");
  g_assert_cmpstr (json_object_get_string_member (job, "posted_at"), ==, "2026-11-18T08:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (job, "source"), ==, "lever");
  jsw_source_fetch_clear (&fetch);
}

static void
test_ashby (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "ashby");
  JswSourceFetch fetch;
  g_autoptr(JsonNode) root = NULL;
  JswPosting *posting;
  JsonObject *job;
  guint listed = count_in_fixture ("ashby/acme.json", "\"isListed\": true");

  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  /* Unlisted postings are not for a feed. */
  g_assert_cmpuint (listed, <, count_in_fixture ("ashby/acme.json", "\"isListed\""));
  g_assert_cmpuint (fetch.postings->len, ==, listed);

  posting = find_posting (fetch.postings, "0f1d2c3b-4a59-4687-9a0b-b1c2d3e4f5a6");
  job = job_of (posting, &root);
  g_assert_cmpstr (json_object_get_string_member (job, "job_id"), ==, "ashby:acme:0f1d2c3b-4a59-4687-9a0b-b1c2d3e4f5a6");
  g_assert_cmpstr (json_object_get_string_member (job, "title"), ==, "Data Engineer");
  g_assert_cmpstr (json_object_get_string_member (job, "company"), ==, "acme");
  g_assert_cmpstr (json_object_get_string_member (job, "apply_url"), ==,
                   "https://jobs.ashbyhq.com/acme/0f1d2c3b-4a59-4687-9a0b-b1c2d3e4f5a6/application");
  assert_locations (posting, "London, United Kingdom", "Lisbon, Portugal");
  g_assert_false (posting->remote);
  g_assert_cmpstr (json_object_get_string_member (job, "description"), ==,
                   "Move our batch jobs to streams.\n\n• dbt\n• Kafka");
  g_assert_cmpstr (json_object_get_string_member (job, "salary"), ==, "GBP 600–750 per day");
  g_assert_cmpstr (json_object_get_string_member (job, "employment_type"), ==, "contract");
  g_assert_cmpstr (json_object_get_string_member (job, "posted_at"), ==, "2026-11-25T16:21:55Z");
  jsw_source_fetch_clear (&fetch);
}

static void
test_personio (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "personio");
  JswSourceFetch fetch;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *apply_url = NULL;
  JswPosting *posting;
  JsonObject *job;

  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fetch.postings->len, ==, count_in_fixture ("personio/acme.xml", "<position>"));

  posting = find_posting (fetch.postings, "1044731");
  job = job_of (posting, &root);
  apply_url = g_strdup_printf ("%s/job/1044731", jsw_fake_board_url (fixture->board));
  g_assert_cmpstr (json_object_get_string_member (job, "job_id"), ==, "personio:acme:1044731");
  g_assert_cmpstr (json_object_get_string_member (job, "title"), ==, "Werkstudent (m/w/d) Softwareentwicklung");
  g_assert_cmpstr (json_object_get_string_member (job, "company"), ==, "Acme GmbH");
  g_assert_cmpstr (json_object_get_string_member (job, "apply_url"), ==, apply_url);
  assert_locations (posting, "München", "Remote");
  g_assert_true (posting->remote);
  g_assert_cmpstr (json_object_get_string_member (job, "description"), ==,
                   "Deine Aufgaben\n\nDu arbeitest 20 Stunden pro Woche mit uns an Rust.\n\n"
                   "Dein Profil\n\n• Studium der Informatik\n• Freude an sauberem Code");
  g_assert_true (json_object_get_null_member (job, "salary"));
  g_assert_cmpstr (json_object_get_string_member (job, "employment_type"), ==, "internship");
  g_assert_cmpstr (json_object_get_string_member (job, "posted_at"), ==, "2026-11-02T09:14:33Z");
  jsw_source_fetch_clear (&fetch);
}

/* ---- how it talks to boards ---- */

static void
test_conditional_and_user_agent (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "lever");
  JswSourceFetch first, second;
  g_autofree char *agent = NULL;

  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &first, &error));
  g_assert_nonnull (first.etag);
  agent = jsw_fake_board_user_agent (fixture->board);
  g_assert_true (g_str_has_prefix (agent, "JobSwipe/"));

  /* Unchanged since: 304, nothing to read. */
  g_assert_true (jsw_source_fetch (fixture->client, &config, first.etag, first.last_modified,
                                   NULL, NULL, NULL, &second, &error));
  g_assert_no_error (error);
  g_assert_null (second.postings);
  g_assert_cmpuint (jsw_fake_board_not_modified (fixture->board), ==, 1);
  g_assert_cmpstr (second.etag, ==, first.etag);
  jsw_source_fetch_clear (&first);
  jsw_source_fetch_clear (&second);
}

static gboolean
known_cb (const char *job_id,
          const char *version,
          gpointer    data)
{
  return TRUE;
}

static void
test_details_only_when_changed (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;

  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, known_cb, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (fetch.requests, ==, 1);
  g_assert_cmpuint (jsw_fake_board_requests (fixture->board, "/v1/boards/acme/jobs/"), ==, 0);
  jsw_source_fetch_clear (&fetch);
}

static void
test_one_request_at_a_time (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;

  jsw_fake_board_set_delay_ms (fixture->board, 2);
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (jsw_fake_board_requests (fixture->board, "/v1/"), >, 200);
  g_assert_cmpuint (jsw_fake_board_max_in_flight (fixture->board), ==, 1);
  jsw_source_fetch_clear (&fetch);
}

/* ---- boards that fail ---- */

static void
assert_fails (Fixture          *fixture,
              const char       *kind,
              JswFakeBoardMode  mode,
              const char       *message_part)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, kind);
  JswSourceFetch fetch;

  jsw_fake_board_set_mode (fixture->board, mode);
  g_assert_false (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_nonnull (error);
  g_test_message ("%s: %s", kind, error->message);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_null (fetch.postings);
}

static void
test_fails_500 (Fixture *fixture, gconstpointer data)
{
  assert_fails (fixture, "greenhouse", JSW_FAKE_BOARD_ERROR_500, "500");
}

static void
test_fails_malformed (Fixture *fixture, gconstpointer data)
{
  assert_fails (fixture, "ashby", JSW_FAKE_BOARD_MALFORMED, "JSON");
  assert_fails (fixture, "personio", JSW_FAKE_BOARD_MALFORMED, "XML");
}

static void
test_fails_huge (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswBoardClient) small = jsw_board_client_new (5, 1024 * 1024);
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;

  /* 10 MiB that never ends: read whole, refused as JSON. */
  assert_fails (fixture, "greenhouse", JSW_FAKE_BOARD_HUGE, "JSON");
  /* And past a client's limit, refused before it is all read. */
  g_assert_false (jsw_source_fetch (small, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_nonnull (strstr (error->message, "more than 1 MiB"));
}

static void
test_fails_timeout (Fixture *fixture, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  assert_fails (fixture, "lever", JSW_FAKE_BOARD_HANG, "");
  /* The client's 2 s, not forever. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
}

static void
test_not_the_vendors_shape (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;

  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs", "[1, 2, 3]");
  g_assert_false (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_nonnull (strstr (error->message, "“jobs” array"));

  /* One unreadable posting is left out; the others are read. */
  g_clear_error (&error);
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs",
                           "{\"jobs\": [{\"id\": 1, \"title\": \"No link\"}, 7,"
                           " {\"id\": 2, \"title\": \"Fine\", \"absolute_url\": \"https://example.com/2\"}]}");
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (fetch.postings->len, ==, 1);
  g_assert_cmpuint (fetch.skipped, ==, 2);
  /* Its details are not there (404): kept without them. */
  g_assert_cmpuint (fetch.detail_errors, ==, 1);
  g_assert_null (((JswPosting *) fetch.postings->pdata[0])->questions);
  jsw_source_fetch_clear (&fetch);
}

/* "\u0000" is valid JSON (RFC 8259): one posting holding it must not fail
 * its board, and no NUL may reach the posting's text. */
static void
test_nul_escape (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;
  JswPosting *posting;

  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs",
                           "{\"jobs\": [{\"id\": 1, \"title\": \"Nul\\u0000byte\", \"absolute_url\": \"https://example.com/1\","
                           " \"content\": \"a \\\\u0000 b\\u0000c\"},"
                           " {\"id\": 2, \"title\": \"Fine\", \"absolute_url\": \"https://example.com/2\"}]}");
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fetch.postings->len, ==, 2);
  g_assert_cmpuint (fetch.skipped, ==, 0);
  posting = find_posting (fetch.postings, "1");
  g_assert_cmpstr (posting->title, ==, "Nul\xef\xbf\xbd" "byte");
  /* An escaped backslash before "u0000" is text, not an escape. */
  g_assert_cmpstr (posting->description, ==, "a \\u0000 b\xef\xbf\xbd" "c");
  g_assert_cmpstr (find_posting (fetch.postings, "2")->title, ==, "Fine");
  jsw_source_fetch_clear (&fetch);
}

/* A description nested 50,000 <div>s deep (libxml2 alone gives up past
 * 256 and leaves no text): the posting is kept with its words as text,
 * scripts in the deep part still left out, and the server does not
 * overflow its stack laying it out. */
static void
test_deeply_nested_description (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  g_autoptr(GString) html = g_string_new ("<p>Intro</p>");
  g_autoptr(GString) escaped = g_string_new (NULL);
  g_autofree char *body = NULL;
  JswSourceFetch fetch;
  JswPosting *posting;

  for (guint i = 0; i < 50000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "Deep <b>words</b><script>alert(1)</script> here");
  for (guint i = 0; i < 50000; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<p>After</p>");
  /* Greenhouse sends `content` with the markup escaped once. */
  for (const char *p = html->str; *p != '\0'; p++)
    g_string_append (escaped, *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : (char[]) { *p, 0 });
  body = g_strdup_printf ("{\"jobs\": [{\"id\": 1, \"title\": \"Deep\", \"absolute_url\": \"https://example.com/1\","
                          " \"content\": \"%s\"}]}", escaped->str);
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs", body);
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fetch.postings->len, ==, 1);
  g_assert_cmpuint (fetch.skipped, ==, 0);
  posting = fetch.postings->pdata[0];
  g_assert_cmpstr (posting->description, ==, "Intro\n\nDeep words here\n\nAfter");
  jsw_source_fetch_clear (&fetch);
}

/* Details that answer 200 but are not a posting's (no "questions"):
 * questions unknown (null) and a detail error, not an empty form. */
static void
test_details_not_a_posting (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;

  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs",
                           "{\"jobs\": [{\"id\": 2, \"title\": \"Fine\", \"absolute_url\": \"https://example.com/2\"}]}");
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs/2",
                           "{\"status\": 404, \"error\": \"Job not found\"}");
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (fetch.postings->len, ==, 1);
  g_assert_cmpuint (fetch.detail_errors, ==, 1);
  g_assert_null (((JswPosting *) fetch.postings->pdata[0])->questions);
  jsw_source_fetch_clear (&fetch);
}

/* Question labels are laid out as text, like descriptions. */
static void
test_question_label_html (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;
  JsonArray *questions;

  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs",
                           "{\"jobs\": [{\"id\": 2, \"title\": \"Fine\", \"absolute_url\": \"https://example.com/2\"}]}");
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs/2",
                           "{\"id\": 2, \"questions\": [{\"label\": \"<b>Why</b> us?\", \"required\": true,"
                           " \"fields\": [{\"name\": \"question_1\", \"type\": \"textarea\"}]}]}");
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (fetch.detail_errors, ==, 0);
  questions = json_node_get_array (((JswPosting *) fetch.postings->pdata[0])->questions);
  g_assert_cmpuint (json_array_get_length (questions), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (questions, 0), "label"), ==, "Why us?");
  jsw_source_fetch_clear (&fetch);
}

/* Every posting the board lists is kept or counted as skipped. */
static void
test_every_posting_accounted (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JswSourceConfig config = config_for (fixture, "greenhouse");
  JswSourceFetch fetch;
  g_autoptr(GString) board = g_string_new ("{\"jobs\": [");
  g_autofree char *huge_title = g_strnfill (2 * 1024 * 1024, 'x');

  for (guint id = 1; id <= 3; id++)
    g_string_append_printf (board, "{\"id\": %u, \"title\": \"Job %u\", \"absolute_url\": \"https://example.com/%u\"},",
                            id, id, id);
  /* The same posting again, its id a string; then an id too large to be
   * one, no id, not an object, no link. */
  g_string_append_printf (board, "{\"id\": \"3\", \"title\": \"%s\", \"absolute_url\": \"https://example.com/3\"},",
                          huge_title);
  g_string_append (board, "{\"id\": 1e30, \"title\": \"Big id\", \"absolute_url\": \"https://example.com/4\"},"
                          "{\"title\": \"No id\", \"absolute_url\": \"https://example.com/5\"}, 7,"
                          "{\"id\": 6, \"title\": \"No link\"}]}");
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs", board->str);
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fetch.postings->len, ==, 3);
  g_assert_cmpuint (fetch.skipped, ==, 5);
  g_assert_cmpstr (find_posting (fetch.postings, "3")->title, ==, "Job 3");
  jsw_source_fetch_clear (&fetch);

  /* A posting too large to be a JOB, alone. */
  g_string_assign (board, "");
  g_string_append_printf (board, "{\"jobs\": [{\"id\": 9, \"title\": \"%s\", \"absolute_url\": \"https://example.com/9\"},"
                          " {\"id\": 1, \"title\": \"Job 1\", \"absolute_url\": \"https://example.com/1\"}]}",
                          huge_title);
  jsw_fake_board_override (fixture->board, "/v1/boards/acme/jobs", board->str);
  g_assert_true (jsw_source_fetch (fixture->client, &config, NULL, NULL, NULL, NULL, NULL, &fetch, &error));
  g_assert_cmpuint (fetch.postings->len, ==, 1);
  g_assert_cmpuint (fetch.skipped, ==, 1);
  jsw_source_fetch_clear (&fetch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sources/html/layout", test_html_layout);
  g_test_add_func ("/sources/html/unescape", test_html_unescape);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sources/greenhouse/fields-and-questions", test_greenhouse);
  ADD ("/sources/lever/fields", test_lever);
  ADD ("/sources/ashby/fields", test_ashby);
  ADD ("/sources/personio/fields", test_personio);
  ADD ("/sources/board/conditional-request-and-user-agent", test_conditional_and_user_agent);
  ADD ("/sources/board/details-only-when-changed", test_details_only_when_changed);
  ADD ("/sources/board/one-request-at-a-time", test_one_request_at_a_time);
  ADD ("/sources/board/fails/500", test_fails_500);
  ADD ("/sources/board/fails/malformed", test_fails_malformed);
  ADD ("/sources/board/fails/10-mib", test_fails_huge);
  ADD ("/sources/board/fails/timeout", test_fails_timeout);
  ADD ("/sources/board/fails/not-the-vendors-shape", test_not_the_vendors_shape);
  ADD ("/sources/board/nul-escape", test_nul_escape);
  ADD ("/sources/board/every-posting-accounted", test_every_posting_accounted);
  ADD ("/sources/board/details-not-a-posting", test_details_not_a_posting);
  ADD ("/sources/board/deeply-nested-description", test_deeply_nested_description);
  ADD ("/sources/greenhouse/question-label-html", test_question_label_html);
#undef ADD

  return g_test_run ();
}
