/* test-input.c: what an attacker or a careless client sends, against a real
 * server process: JSON that is not strict RFC 8259, nesting meant to
 * overflow a parser's stack, and the requests issue 8 found taken wrongly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-common.h"
#include "jsw-test-util.h"

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;     /* a free user's token */
  char          *alice_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = jsw_test_server_start (data);
  f->session = jsw_test_session_new ();
  f->alice = jsw_test_server_add_user (f->server, "alice@example.com", "free", &f->alice_id);
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

static void
assert_server_answers (Fixture *f)
{
  guint status;
  g_autoptr(JsonNode) health = jsw_test_http (f->session, f->server, "GET", "/healthz", NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
}

static guint
count_entries (Fixture *f)
{
  guint status;
  g_autoptr(JsonNode) queue = jsw_test_http (f->session, f->server, "GET", "/v1/queue", f->alice, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (queue), "entries"));
}

static void
assert_invalid (JsonNode *node,
                guint     status)
{
  JsonObject *error;

  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (node);
  g_assert_cmpstr (jsw_test_error_code (node), ==, "invalid");
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

/* The crash of issue 8: a '"' inside a single-quoted string hid the
 * nesting that follows from the old check, and json-glib's recursive
 * parser then overflowed its stack. */
static char *
hidden_nesting (const char *prefix,
                guint       levels,
                const char *suffix)
{
  GString *text = g_string_new (prefix);

  g_string_append (text, "{'\"': ");
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}");
  g_string_append (text, suffix);
  return g_string_free (text, FALSE);
}

static char *
swipe_with_job_member (const char *member)
{
  return g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"j-1\",\"title\":\"Engineer\","
                          "\"company\":\"Acme\",\"apply_url\":\"https://jobs.example/1\"%s}}", member);
}

static char *
nested_extra (guint levels)
{
  GString *member = g_string_new (",\"extra\":");
  g_autofree char *inner = NULL;

  for (guint i = 0; i < levels; i++)
    g_string_append (member, "{\"a\":");
  g_string_append (member, "1");
  for (guint i = 0; i < levels; i++)
    g_string_append_c (member, '}');
  inner = g_string_free (member, FALSE);
  return swipe_with_job_member (inner);
}

static void
test_hidden_nesting_sign_in (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *body = hidden_nesting ("", 100000, "");
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL, body, &status);

  assert_invalid (node, status);
  assert_server_answers (f);
}

static void
test_not_strict_rest (Fixture       *f,
                      gconstpointer  data)
{
  static const char *sign_ins[] = {
    "{'email':'alice@example.com','password':'x','device':'d'}",
    "{\"email\":\"alice@example.com\",/* why not */\"password\":\"x\",\"device\":\"d\"}",
    "// a comment\n{\"email\":\"alice@example.com\",\"password\":\"x\",\"device\":\"d\"}",
    "{\"email\":\"alice@example.com\",\"password\":\"x\",\"device\":\"d\"} # trailing",
    "{\"email\":\"alice@example.com\",\"email\":\"bob@example.com\",\"password\":\"x\",\"device\":\"d\"}",
    "{\"email\":\"alice@example.com\",\"password\":\"x\\u0000y\",\"device\":\"d\"}",
    "{\"email\":\"alice@example.com\",\"password\":\"x\",\"device\":\"d\",}",
    "{\"email\":\"alice@example.com\",\"password\":\"x\",\"device\":\"\\ud800\"}",
  };
  g_autofree char *duplicate_job_id = swipe_with_job_member (",\"job_id\":\"j-2\"");
  g_autofree char *nul_in_title = swipe_with_job_member (",\"description\":\"a\\u0000b\"");
  g_autofree char *big_integer = swipe_with_job_member (",\"extra\":{\"n\":9223372036854775808}");
  g_autofree char *small_integer = swipe_with_job_member (",\"extra\":{\"n\":-9223372036854775809}");
  g_autofree char *huge_real = swipe_with_job_member (",\"extra\":{\"n\":1e400}");
  g_autofree char *too_deep = nested_extra (31);
  g_autofree char *hidden = hidden_nesting ("{\"direction\":\"right\",\"job\":", 1000, "}");
  const char *swipes[] = {
    duplicate_job_id, nul_in_title, big_integer, small_integer, huge_real, too_deep, hidden,
    "{\"direction\":\"right\",\"direction\":\"left\",\"job\":{\"job_id\":\"j\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https://x.example/\"}}",
  };
  g_autofree char *deep_enough = nested_extra (30);
  guint status;
  g_autoptr(JsonNode) accepted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sign_ins); i++)
    {
      g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/sessions", NULL, sign_ins[i], &status);
      g_autofree char *printable = g_strescape (sign_ins[i], NULL);

      g_test_message ("sign-in %u: %s", i, printable);
      assert_invalid (node, status);
    }

  for (guint i = 0; i < G_N_ELEMENTS (swipes); i++)
    {
      g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, swipes[i], &status);
      g_autofree char *start = g_strndup (swipes[i], 200);
      g_autofree char *printable = g_strescape (start, NULL);

      g_test_message ("swipe %u: %s", i, printable);
      assert_invalid (node, status);
    }
  g_assert_cmpuint (count_entries (f), ==, 0);

  /* The limit is where it says: 32 levels in all are fine. */
  accepted = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->alice, deep_enough, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpuint (count_entries (f), ==, 1);
}

static void
test_not_strict_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = jsw_test_stream_open (f->server, f->alice, NULL);
  /* 160 KB, under the frame limit, the shape of the crash. */
  g_autofree char *hidden = hidden_nesting ("{\"type\":\"hello\",\"device\":\"d\",\"x\":", 80000, "}");
  const char *frames[] = {
    hidden,
    "{'type':'hello','device':'d'}",
    "{\"type\":\"hello\",\"device\":\"d\"/* */}",
    "{\"type\":\"hello\",\"type\":\"ping\",\"device\":\"d\"}",
    "{\"type\":\"hello\",\"device\":\"d\\u0000\"}",
    "{\"type\":\"hello\",\"device\":\"d\",\"since\":18446744073709551616}",
  };
  g_autoptr(JsonObject) welcome = NULL;

  g_assert_cmpuint (strlen (hidden), >, 160000);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(JsonObject) error = NULL;

      jsw_test_stream_send (stream, frames[i]);
      error = jsw_test_stream_expect (stream, "error");
      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid");
    }

  /* The connection is still open and still works. */
  g_assert_false (stream->closed);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"d\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  assert_server_answers (f);
}

/* The answer's raw text, checked with the same strict gate the server
 * uses: what the server writes must be JSON its own clients accept. */
static JsonNode *
http_strict (Fixture    *f,
             const char *method,
             const char *path,
             const char *body,
             guint      *status)
{
  g_autofree char *url = g_strconcat (f->server->url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->alice, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  node = jsw_json_parse (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  return node;
}

static void
test_numbers_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *body = swipe_with_job_member (",\"extra\":{\"big\":3e52,\"small\":-1.5e-300,\"int\":-9223372036854775808}");
  guint status;
  g_autoptr(JsonNode) created = http_strict (f, "POST", "/v1/swipes", body, &status);
  JsonObject *entry = json_object_get_object_member (json_node_get_object (created), "entry");
  g_autofree char *path = g_strconcat ("/v1/queue/", json_object_get_string_member (entry, "id"), NULL);
  g_autoptr(JsonNode) read_back = NULL;
  JsonObject *extra;

  g_assert_cmpuint (status, ==, 201);
  read_back = http_strict (f, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  extra = json_object_get_object_member (json_object_get_object_member (json_node_get_object (read_back), "snapshot"), "extra");
  g_assert_cmpfloat (json_object_get_double_member (extra, "big"), ==, 3e52);
  g_assert_cmpfloat (json_object_get_double_member (extra, "small"), ==, -1.5e-300);
  g_assert_cmpint (json_object_get_int_member (extra, "int"), ==, G_MININT64);
}

/* json-glib 1.6 writes control characters other than \b \f \n \r \t
 * raw, which is not JSON: a posting whose text holds one must still come
 * back as strict JSON, the same text. */
static void
test_control_characters_round_trip (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *body = swipe_with_job_member (",\"description\":\"a\\u001fb\\u0001c\\td\"");
  guint status;
  g_autoptr(JsonNode) created = http_strict (f, "POST", "/v1/swipes", body, &status);
  JsonObject *entry;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  JsonObject *snapshot;

  g_assert_cmpuint (status, ==, 201);
  entry = json_object_get_object_member (json_node_get_object (created), "entry");
  path = g_strconcat ("/v1/queue/", json_object_get_string_member (entry, "id"), NULL);
  read_back = http_strict (f, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  snapshot = json_object_get_object_member (json_node_get_object (read_back), "snapshot");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "description"), ==, "a\x1f" "b\x01" "c\td");
}

static JsonNode *
swipe (Fixture    *f,
       const char *token,
       const char *body,
       guint      *status)
{
  return jsw_test_http (f->session, f->server, "POST", "/v1/swipes", token, body, status);
}

static void
test_apply_url (Fixture       *f,
                gconstpointer  data)
{
  static const char *refused[] = {
    "http://x .io/",
    "https://jobs.example/apply\\n",
    "https://jobs.example/apply\\r\\n",
    "https://jobs.example/\\u0085",
    "https://jobs.example/\\u2028",
    "https://jobs.example/a\\u00a0b",
    "https://jobs.example/\\u200b",
    " https://jobs.example/",
    "https://jobs.example/a b",
    "http://-bad-.example/",
    "http://exa_mple.com/",
    "http://a..b/",
    "https:///path-only",
    "https:jobs.example",
    "jobs.example/apply",
    "ftp://jobs.example/",
  };
  static const char *accepted[] = {
    "https://jobs.example:8443/a/b?c=d&e=%20#f",
    "http://127.0.0.1:8080/apply",
    "http://[::1]/apply",
    "https://bücher.example/stellen",
    "https://Boards.Greenhouse.io/acme/jobs/123",
  };
  g_autofree char *pro = jsw_test_server_add_user (f->server, "pro@example.com", "pro", NULL);
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *member = g_strdup_printf (",\"apply_url\":\"%s\"", refused[i]);
      g_autofree char *job = g_strdup_printf ("{\"job_id\":\"u-%u\",\"title\":\"t\",\"company\":\"c\"%s}", i, member);
      g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":%s}", job);
      g_autoptr(JsonNode) node = swipe (f, f->alice, body, &status);

      g_test_message ("refused apply_url %u: %s", i, refused[i]);
      assert_invalid (node, status);
    }
  g_assert_cmpuint (count_entries (f), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"a-%u\",\"title\":\"t\","
                                               "\"company\":\"c\",\"apply_url\":\"%s\"}}", i, accepted[i]);
      g_autoptr(JsonNode) node = swipe (f, pro, body, &status);

      g_test_message ("accepted apply_url %u: %s", i, accepted[i]);
      g_assert_cmpuint (status, ==, 201);
    }
}

static void
test_nul_in_path (Fixture       *f,
                  gconstpointer  data)
{
  static const char *paths[] = { "/v1/queue/%00", "/v1/queue/e_1%00x/cancel", "/v1/qu%00eue", "/v1/queue/a%2Fb", "/%FF" };
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) with_token = NULL;
      g_autoptr(JsonNode) without = NULL;

      g_test_message ("path %s", paths[i]);
      with_token = jsw_test_http (f->session, f->server, "GET", paths[i], f->alice, NULL, &status);
      assert_invalid (with_token, status);
      without = jsw_test_http (f->session, f->server, "GET", paths[i], NULL, NULL, &status);
      assert_invalid (without, status);
    }
  assert_server_answers (f);
}

static void
test_two_authorization_headers (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->server->url, "/v1/me", NULL);
  g_autofree char *mine = g_strconcat ("Bearer ", f->alice, NULL);
  g_autofree char *worker = jsw_test_server_worker_token (f->server, "w");
  g_autofree char *theirs = g_strconcat ("Bearer ", worker, NULL);
  const char *pairs[][2] = { { mine, theirs }, { theirs, mine }, { mine, mine } };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", pairs[i][0]);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", pairs[i][1]);
      body = soup_session_send_and_read (f->session, msg, NULL, &error);
      g_assert_no_error (error);
      node = jsw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
      g_assert_no_error (error);
      assert_invalid (node, soup_message_get_status (msg));
    }
}

static void
test_route_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *bob = jsw_test_server_add_user (f->server, "bob@example.com", "pro", NULL);
  guint status;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *route = NULL;
  g_autoptr(JsonNode) cancelled = NULL;

  jsw_test_set_mode (f->session, f->server, bob, "ask");
  entry = jsw_test_swipe_right (f->session, f->server, bob, "ask-1", &status);
  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "undecided");
  cancel = g_strdup_printf ("/v1/queue/%s/cancel", json_object_get_string_member (entry, "id"));
  route = g_strdup_printf ("/v1/queue/%s/route", json_object_get_string_member (entry, "id"));
  cancelled = jsw_test_http (f->session, f->server, "POST", cancel, bob, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) routed = jsw_test_http (f->session, f->server, "POST", route, bob,
                                                  i == 0 ? "{\"target\":\"server\"}" : "{\"target\":\"desktop\"}", &status);

      g_assert_cmpuint (status, ==, 409);
      g_assert_cmpstr (jsw_test_error_code (routed), ==, "conflict");
    }
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, bob, "server_month"), ==, 0);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_database_private (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->server->db_path, "-wal", NULL);
  g_autofree char *data_home = g_build_filename (f->server->tmpdir, "data-home", NULL);
  g_autofree char *folder = g_build_filename (data_home, "jobswipe-server", NULL);
  g_autofree char *default_db = g_build_filename (folder, "jobswipe.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = jsw_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;

  g_assert_cmphex (file_mode (f->server->db_path), ==, 0600);
  g_assert_cmphex (file_mode (wal), ==, 0600);

  /* A database an older version left readable is made private. */
  jsw_test_server_stop (f->server);
  g_assert_cmpint (g_chmod (f->server->db_path, 0644), ==, 0);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  jsw_test_server_restart (f->server);
  g_assert_cmpuint (count_entries (f), ==, 0);
  g_assert_cmphex (file_mode (f->server->db_path), ==, 0600);
  g_assert_cmphex (file_mode (wal), ==, 0600);

  /* The default place: its folder is created 0700, and tightened. */
  g_subprocess_launcher_unsetenv (launcher, "JOBSWIPE_DB");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSubprocess) cli = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("JSW_SERVER_BIN"),
                                                                "plan", "list", NULL);

      g_assert_no_error (error);
      g_subprocess_wait_check (cli, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmphex (file_mode (folder), ==, 0700);
      g_assert_cmphex (file_mode (default_db), ==, 0600);
      g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
    }
}

typedef struct {
  guint pending;
  guint checked;   /* 401: the password was checked */
  guint limited;   /* 429 */
  guint other;
} SignInCount;

static void
sign_in_answered (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SignInCount *count = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 401)
    count->checked++;
  else if (soup_message_get_status (msg) == 429)
    count->limited++;
  else
    count->other++;
  count->pending--;
}

/* All at once, each on a connection of its own, so that the password
 * checks really run at the same time. */
static void
sign_in_all_at_once (Fixture     *f,
                     guint        n,
                     gboolean     same_email,
                     SignInCount *count)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 200, "max-conns-per-host", 200, NULL);
  g_autofree char *url = g_strconcat (f->server->url, "/v1/sessions", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\":\"%s%u@example.com\",\"password\":\"guess %u\",\"device\":\"d\"}",
                                               same_email ? "dave" : "user", same_email ? 0 : i, i);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sign_in_answered, count);
      count->pending++;
    }
  while (count->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_sign_in_limit_one_email (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) user = jsw_test_server_cli (f->server, "correct horse battery\n", "user", "add",
                                                    "dave0@example.com", "--password-stdin", NULL);
  SignInCount count = { 0 };

  sign_in_all_at_once (f, 50, TRUE, &count);
  g_test_message ("50 wrong passwords at once: %u checked, %u refused", count.checked, count.limited);
  g_assert_cmpuint (count.other, ==, 0);
  g_assert_cmpuint (count.checked, ==, 5);
  g_assert_cmpuint (count.limited, ==, 45);
}

static void
test_sign_in_limit_one_address (Fixture       *f,
                                gconstpointer  data)
{
  SignInCount count = { 0 };

  sign_in_all_at_once (f, 100, FALSE, &count);
  g_test_message ("100 e-mails at once from one address: %u checked, %u refused", count.checked, count.limited);
  g_assert_cmpuint (count.other, ==, 0);
  g_assert_cmpuint (count.checked, ==, 20);
  g_assert_cmpuint (count.limited, ==, 80);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("/input/json/hidden-nesting-sign-in", NULL, test_hidden_nesting_sign_in);
  ADD ("/input/json/not-strict-rest", NULL, test_not_strict_rest);
  ADD ("/input/json/not-strict-stream", NULL, test_not_strict_stream);
  ADD ("/input/json/numbers-round-trip", NULL, test_numbers_round_trip);
  ADD ("/input/json/control-characters-round-trip", NULL, test_control_characters_round_trip);
  ADD ("/input/apply-url", NULL, test_apply_url);
  ADD ("/input/path/nul", NULL, test_nul_in_path);
  ADD ("/input/auth/two-headers", NULL, test_two_authorization_headers);
  ADD ("/input/route/cancelled", NULL, test_route_cancelled);
  ADD ("/input/database/private", NULL, test_database_private);
  ADD ("/input/sign-in/limit-one-email", NULL, test_sign_in_limit_one_email);
  ADD ("/input/sign-in/limit-one-address", NULL, test_sign_in_limit_one_address);
#undef ADD

  return g_test_run ();
}
