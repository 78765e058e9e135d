/* test-profile.c: the profile and resume kept for server execution
 *
 * Against the real jobswipe-server: what a person keeps comes back as they
 * sent it, and only to them or to the worker holding the live lease of one
 * of their entries; bad input is a clear 4xx that stores nothing; the
 * database alone shows neither; without a key the server says so and
 * keeps nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "jsw-test-util.h"

#define MARKER "Zephyrine-7f3a"
#define PROFILE_JSON \
  "{\"first_name\":\"" MARKER "\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"cover_letter\":\"I would love to build your queue.\",\"answers\":{\"work_authorization\":\"Yes\"}}"
#define RESUME_PDF "%PDF-1.4\n% " MARKER " resume\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

typedef struct {
  JswTestServer *server;
  SoupSession   *soup;
  char          *dir;
  char          *token;
  char          *other_token;
  char          *worker_token;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  with_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  f->dir = g_dir_make_tmp ("jsw-profile-XXXXXX", &error);
  g_assert_no_error (error);
  key = jsw_test_profile_key_new (f->dir);
  if (GPOINTER_TO_INT (with_key))
    {
      const char *args[] = { "--profile-key-file", key, NULL };

      f->server = jsw_test_server_start (args);
    }
  else
    f->server = jsw_test_server_start (NULL);
  f->soup = jsw_test_session_new ();
  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  f->other_token = jsw_test_server_add_user (f->server, "grace@example.org", "pro", NULL);
  f->worker_token = jsw_test_server_worker_token (f->server, "w");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *key = g_build_filename (f->dir, "profile.key", NULL);

  jsw_test_server_free (f->server);
  g_clear_object (&f->soup);
  g_remove (key);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->token);
  g_free (f->other_token);
  g_free (f->worker_token);
}

typedef struct {
  guint   status;
  GBytes *body;
  char   *content_type;
  char   *disposition_name;
} Answer;

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->content_type);
  g_free (answer->disposition_name);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *content_type,
         const void *data,
         gsize       size,
         const char *lease)
{
  g_autofree char *url = g_strconcat (f->server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  Answer *answer = g_new0 (Answer, 1);

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (lease != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Jobswipe-Lease", lease);
  if (data != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (data, size);

      soup_message_set_request_body_from_bytes (msg, content_type, body);
    }
  answer->body = soup_session_send_and_read (f->soup, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  answer->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  if (soup_message_headers_get_content_disposition (soup_message_get_response_headers (msg), NULL, &params))
    answer->disposition_name = g_strdup (g_hash_table_lookup (params, "filename"));
  return answer;
}

static const char *
error_code (Answer *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  static char code[64];

  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer->body, NULL), g_bytes_get_size (answer->body), NULL))
    return NULL;
  g_strlcpy (code, json_object_get_string_member (json_object_get_object_member (
               json_node_get_object (json_parser_get_root (parser)), "error"), "code"), sizeof code);
  return code;
}

static gboolean
body_has (Answer     *answer,
          const char *needle)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (answer->body, NULL), g_bytes_get_size (answer->body));

  return strstr (text, needle) != NULL;
}

static void
assert_refused (Answer     *answer,
                guint       status,
                const char *code)
{
  g_assert_cmpuint (answer->status, ==, status);
  g_assert_cmpstr (error_code (answer), ==, code);
}

static void
put_profile (Fixture *f)
{
  g_autoptr(Answer) answer = request (f, "PUT", "/v1/me/profile", f->token, "application/json",
                                      PROFILE_JSON, strlen (PROFILE_JSON), NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_true (body_has (answer, "\"updated_at\":"));
}

static void
put_resume (Fixture *f)
{
  g_autoptr(Answer) answer = request (f, "PUT", "/v1/me/resume?filename=Ada%20CV.pdf", f->token, "application/pdf",
                                      RESUME_PDF, strlen (RESUME_PDF), NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_true (body_has (answer, "\"media_type\":\"application/pdf\""));
}

static void
assert_nothing_kept (Fixture *f)
{
  g_autoptr(Answer) profile = request (f, "GET", "/v1/me/profile", f->token, NULL, NULL, 0, NULL);
  g_autoptr(Answer) resume = request (f, "GET", "/v1/me/resume", f->token, NULL, NULL, 0, NULL);

  assert_refused (profile, 404, "not_found");
  assert_refused (resume, 404, "not_found");
}

/* The person's own */

static void
test_kept_and_returned (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Answer) profile = NULL;
  g_autoptr(Answer) resume = NULL;
  g_autoptr(Answer) others = NULL;
  g_autoptr(Answer) deleted = NULL;

  put_profile (f);
  put_resume (f);
  profile = request (f, "GET", "/v1/me/profile", f->token, NULL, NULL, 0, NULL);
  g_assert_cmpuint (profile->status, ==, 200);
  g_assert_true (body_has (profile, "\"first_name\":\"" MARKER "\""));
  g_assert_true (body_has (profile, "\"answers\":{\"work_authorization\":\"Yes\"}"));
  resume = request (f, "GET", "/v1/me/resume", f->token, NULL, NULL, 0, NULL);
  g_assert_cmpuint (resume->status, ==, 200);
  g_assert_cmpstr (resume->content_type, ==, "application/pdf");
  g_assert_cmpstr (resume->disposition_name, ==, "Ada CV.pdf");
  g_assert_cmpmem (g_bytes_get_data (resume->body, NULL), g_bytes_get_size (resume->body), RESUME_PDF, strlen (RESUME_PDF));

  /* Another person has none of it. */
  others = request (f, "GET", "/v1/me/profile", f->other_token, NULL, NULL, 0, NULL);
  assert_refused (others, 404, "not_found");

  /* Withdrawn: gone. */
  deleted = request (f, "DELETE", "/v1/me/profile", f->token, NULL, NULL, 0, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_clear_pointer (&deleted, answer_free);
  deleted = request (f, "DELETE", "/v1/me/resume", f->token, NULL, NULL, 0, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  assert_nothing_kept (f);
}

static void
test_every_resume_type (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *file, *type; } types[] = {
    { "cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    { "cv.odt", "application/vnd.oasis.opendocument.text" },
    { "cv.rtf", "text/rtf" },
    { "cv.txt", "text/plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "resumes", types[i].file, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *url = g_strconcat ("/v1/me/resume?filename=", types[i].file, NULL);
      g_autoptr(Answer) put = NULL;
      g_autoptr(Answer) got = NULL;
      gsize size;

      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      /* A file sent without a type of its own is judged by its content. */
      put = request (f, "PUT", url, f->token, "application/octet-stream", contents, size, NULL);
      g_assert_cmpuint (put->status, ==, 200);
      got = request (f, "GET", "/v1/me/resume", f->token, NULL, NULL, 0, NULL);
      g_assert_cmpstr (got->content_type, ==, types[i].type);
      g_assert_cmpmem (g_bytes_get_data (got->body, NULL), g_bytes_get_size (got->body), contents, size);
    }
}

/* Bad input: a clear 4xx, nothing stored */

static void
test_bad_profiles (Fixture       *f,
                   gconstpointer  data)
{
  static const char *bodies[] = {
    "{\"first_name\":5}",
    "{\"answers\":[\"Yes\"]}",
    "{\"answers\":{\"work_authorization\":true}}",
    "{\"consent_to_required_terms\":\"yes\"}",
    "{\"eeo\":\"Female\"}",
    "{\"first_name\":\"Ada\",\"resume_path\":\"/home/ada/cv.pdf\"}",
    "{\"first_name\":\"Ada\",}",
    "[\"Ada\"]",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Answer) answer = request (f, "PUT", "/v1/me/profile", f->token, "application/json",
                                          bodies[i], strlen (bodies[i]), NULL);

      assert_refused (answer, 400, "invalid");
    }
  assert_nothing_kept (f);
}

static void
test_bad_resumes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *exe = NULL;
  g_autofree char *big = NULL;
  gsize exe_size;
  g_autoptr(Answer) answer = NULL;
  const gsize big_size = 10 * 1024 * 1024 + 1;

  /* An executable named cv.pdf and sent as a PDF. */
  g_assert_true (g_file_get_contents ("/bin/true", &exe, &exe_size, NULL));
  answer = request (f, "PUT", "/v1/me/resume?filename=cv.pdf", f->token, "application/pdf", exe, exe_size, NULL);
  assert_refused (answer, 400, "invalid");
  g_assert_true (body_has (answer, "must be a PDF, DOCX, ODT, RTF or plain text"));
  g_clear_pointer (&answer, answer_free);

  /* A PDF sent as plain text. */
  answer = request (f, "PUT", "/v1/me/resume?filename=cv.txt", f->token, "text/plain", RESUME_PDF, strlen (RESUME_PDF), NULL);
  assert_refused (answer, 400, "invalid");
  g_assert_true (body_has (answer, "sent as text/plain"));
  g_clear_pointer (&answer, answer_free);

  /* No name, a name that is a path, an empty file. */
  answer = request (f, "PUT", "/v1/me/resume", f->token, "application/pdf", RESUME_PDF, strlen (RESUME_PDF), NULL);
  assert_refused (answer, 400, "invalid");
  g_clear_pointer (&answer, answer_free);
  answer = request (f, "PUT", "/v1/me/resume?filename=../../etc/cv.pdf", f->token, "application/pdf",
                    RESUME_PDF, strlen (RESUME_PDF), NULL);
  assert_refused (answer, 400, "invalid");
  g_clear_pointer (&answer, answer_free);
  answer = request (f, "PUT", "/v1/me/resume?filename=cv.pdf", f->token, "application/pdf", "", 0, NULL);
  assert_refused (answer, 400, "invalid");
  g_clear_pointer (&answer, answer_free);

  /* Over 10 MiB: refused before it is read. */
  big = g_malloc (big_size);
  memcpy (big, RESUME_PDF, strlen (RESUME_PDF));
  memset (big + strlen (RESUME_PDF), ' ', big_size - strlen (RESUME_PDF));
  answer = request (f, "PUT", "/v1/me/resume?filename=cv.pdf", f->token, "application/pdf", big, big_size, NULL);
  assert_refused (answer, 413, "payload_too_large");
  g_clear_pointer (&answer, answer_free);

  /* A worker token is not a person. */
  answer = request (f, "PUT", "/v1/me/resume?filename=cv.pdf", f->worker_token, "application/pdf",
                    RESUME_PDF, strlen (RESUME_PDF), NULL);
  g_assert_cmpuint (answer->status, ==, 403);
  assert_nothing_kept (f);
}

/* At rest */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize size;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;
  return memmem (contents, size, needle, strlen (needle)) != NULL;
}

static void
test_sealed_at_rest (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->server->db_path, "-wal", NULL);

  put_profile (f);
  put_resume (f);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM vault", NULL), ==, 2);
  g_assert_false (file_contains (f->server->db_path, MARKER));
  g_assert_false (file_contains (wal, MARKER));
  g_assert_false (file_contains (wal, "%PDF-1.4"));
  g_assert_false (file_contains (wal, "work_authorization"));
}

/* The worker's door */

static JsonObject *
next_of_type (JswTestStream *stream,
              const char    *type)
{
  for (;;)
    {
      JsonObject *frame = jsw_test_stream_next (stream, 10000);

      g_assert_nonnull (frame);
      if (g_str_equal (json_object_get_string_member (frame, "type"), type))
        return frame;
      json_object_unref (frame);
    }
}

static char *
claim (JswTestStream *stream,
       const char    *entry_id)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c-%s\",\"entry\":\"%s\"}", entry_id, entry_id);
  g_autoptr(JsonObject) claimed = NULL;

  jsw_test_stream_send (stream, frame);
  claimed = next_of_type (stream, "claimed");
  return g_strdup (json_object_get_string_member (claimed, "lease"));
}

static void
test_worker_needs_the_live_lease (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(JswTestStream) worker = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) others = NULL;
  g_autofree char *lease_a = NULL;
  g_autofree char *lease_b = NULL;
  g_autofree char *lease_c = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_c = NULL;
  g_autofree char *resume_a = NULL;
  const char *id_a, *id_b, *id_c;
  guint status;

  put_profile (f);
  put_resume (f);
  jsw_test_set_mode (f->soup, f->server, f->token, "server");
  jsw_test_set_mode (f->soup, f->server, f->other_token, "server");
  first = jsw_test_swipe_right (f->soup, f->server, f->token, "job-a", &status);
  second = jsw_test_swipe_right (f->soup, f->server, f->token, "job-b", &status);
  others = jsw_test_swipe_right (f->soup, f->server, f->other_token, "job-c", &status);
  id_a = json_object_get_string_member (first, "id");
  id_b = json_object_get_string_member (second, "id");
  id_c = json_object_get_string_member (others, "id");
  path_a = g_strdup_printf ("/v1/worker/entries/%s/profile", id_a);
  path_c = g_strdup_printf ("/v1/worker/entries/%s/profile", id_c);
  resume_a = g_strdup_printf ("/v1/worker/entries/%s/resume", id_a);

  /* Nobody gets anything before a claim. */
  {
    g_autoptr(Answer) no_lease = request (f, "GET", path_a, f->worker_token, NULL, NULL, 0, NULL);
    g_autoptr(Answer) made_up = request (f, "GET", path_a, f->worker_token, NULL, NULL, 0, "made-up");
    g_autoptr(Answer) desktop = request (f, "GET", path_a, f->token, NULL, NULL, 0, "made-up");

    assert_refused (no_lease, 403, "forbidden");
    g_assert_cmpuint (made_up->status, ==, 409);
    assert_refused (desktop, 403, "forbidden");
    g_assert_false (body_has (no_lease, MARKER) || body_has (made_up, MARKER) || body_has (desktop, MARKER));
  }

  worker = jsw_test_stream_open (f->server, f->worker_token, NULL);
  jsw_test_stream_send (worker, "{\"type\":\"hello\",\"device\":\"w\",\"since\":0}");
  welcome = next_of_type (worker, "welcome");
  lease_a = claim (worker, id_a);
  lease_b = claim (worker, id_b);
  lease_c = claim (worker, id_c);

  /* The live lease of this very entry: the person's profile and resume. */
  {
    g_autoptr(Answer) profile = request (f, "GET", path_a, f->worker_token, NULL, NULL, 0, lease_a);
    g_autoptr(Answer) resume = request (f, "GET", resume_a, f->worker_token, NULL, NULL, 0, lease_a);

    g_assert_cmpuint (profile->status, ==, 200);
    g_assert_true (body_has (profile, "\"first_name\":\"" MARKER "\""));
    g_assert_cmpuint (resume->status, ==, 200);
    g_assert_cmpstr (resume->disposition_name, ==, "Ada CV.pdf");
    g_assert_cmpmem (g_bytes_get_data (resume->body, NULL), g_bytes_get_size (resume->body), RESUME_PDF, strlen (RESUME_PDF));
  }
  /* Another entry's lease, even of the same person, shows nothing; the
   * other person keeps no profile, and their entry's lease gets no one
   * else's. */
  {
    g_autoptr(Answer) crossed = request (f, "GET", path_a, f->worker_token, NULL, NULL, 0, lease_b);
    g_autoptr(Answer) other = request (f, "GET", path_c, f->worker_token, NULL, NULL, 0, lease_c);

    assert_refused (crossed, 403, "forbidden");
    assert_refused (other, 404, "not_found");
    g_assert_false (body_has (crossed, MARKER) || body_has (other, MARKER));
  }
  /* Once the result is in, the lease opens nothing. */
  {
    g_autofree char *result = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r-a\",\"lease\":\"%s\",\"outcome\":\"failed\","
                                               "\"error\":\"test\"}", lease_a);
    g_autoptr(JsonObject) ack = NULL;
    g_autoptr(Answer) after = NULL;

    jsw_test_stream_send (worker, result);
    ack = next_of_type (worker, "ack");
    after = request (f, "GET", path_a, f->worker_token, NULL, NULL, 0, lease_a);
    assert_refused (after, 409, "conflict");
    g_assert_false (body_has (after, MARKER));
  }
}

/* Without a key */

static void
test_without_a_key (Fixture       *f,
                    gconstpointer  data)
{
  static const char *paths[] = { "/v1/me/profile", "/v1/me/resume" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Answer) put = request (f, "PUT", paths[i], f->token, "application/json",
                                       PROFILE_JSON, strlen (PROFILE_JSON), NULL);
      g_autoptr(Answer) get = request (f, "GET", paths[i], f->token, NULL, NULL, 0, NULL);

      assert_refused (put, 503, "unavailable");
      g_assert_true (body_has (put, "--profile-key-file"));
      assert_refused (get, 503, "unavailable");
    }
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM vault", NULL), ==, 0);
}

/* serve says at start that it keeps no profiles, and refuses a key file
 * that holds no key. */
static void
test_serve_and_the_key_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-key-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "db.sqlite", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.key", NULL);
  const char *bin = g_getenv ("JSW_SERVER_BIN");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (bin);
  g_file_set_contents (bad, "not base64 at all", -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { bin, "serve", "--listen", "127.0.0.1:0", "--db", db, "--profile-key-file", bad, NULL };
    g_autoptr(GSubprocess) serve = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (serve, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 1);
    g_assert_nonnull (strstr (err, "does not hold a profile key"));
  }
  {
    const char *argv[] = { bin, "serve", "--listen", "127.0.0.1:0", "--db", db, NULL };
    g_autoptr(GSubprocess) serve = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (serve));
    gboolean said = FALSE;
    char *line;

    g_assert_no_error (error);
    while (!said && (line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)) != NULL)
      {
        said = strstr (line, "\"event\":\"server.no_profile_key\"") != NULL;
        g_free (line);
      }
    g_assert_true (said);
    g_subprocess_send_signal (serve, SIGTERM);
    g_subprocess_wait (serve, NULL, NULL);
  }
  g_unlink (db);
  g_unlink (bad);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, key, fn) g_test_add (path, Fixture, GINT_TO_POINTER (key), fixture_set_up, fn, fixture_tear_down)
  ADD ("/profile/kept-and-returned", TRUE, test_kept_and_returned);
  ADD ("/profile/every-resume-type", TRUE, test_every_resume_type);
  ADD ("/profile/bad-profiles", TRUE, test_bad_profiles);
  ADD ("/profile/bad-resumes", TRUE, test_bad_resumes);
  ADD ("/profile/sealed-at-rest", TRUE, test_sealed_at_rest);
  ADD ("/profile/worker-needs-the-live-lease", TRUE, test_worker_needs_the_live_lease);
  ADD ("/profile/without-a-key", FALSE, test_without_a_key);
#undef ADD
  g_test_add_func ("/profile/serve-and-the-key-file", test_serve_and_the_key_file);

  return g_test_run ();
}
