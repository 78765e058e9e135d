/* test-worker.c: jobswipe-worker end to end
 *
 * A real jobswipe-server (with a profile key) on a loopback port, the real
 * worker as its own process under the suite's Xvfb, and the fixture site
 * of application systems in this process. What a job seeker would check:
 * a right swipe routed to the server is applied with the profile and resume
 * they keep on the server (every posted field, the resume's bytes and
 * name), their desktop's stream shows the progress, the quota is charged
 * once, the last page's picture is the one the result names. And what an
 * operator would check: private addresses are never reached, a proxy that
 * fails gives the entry back without charging it twice, SIGTERM drains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "jsw-fixture-site.h"
#include "jsw-test-util.h"

#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"phone\":\"+44 20 7946 0958\",\"location\":\"London, UK\"," \
  "\"linkedin_url\":\"https://www.linkedin.com/in/ada-lovelace\",\"github_url\":\"https://github.com/ada\"," \
  "\"website_url\":\"https://ada.example.org\",\"current_company\":\"Analytical Engines Ltd\"," \
  "\"current_title\":\"Engineer\",\"cover_letter\":\"I would love to build your queue.\"," \
  "\"answers\":{\"work_authorization\":\"Yes\",\"requires_sponsorship\":\"No\",\"salary_expectation\":\"85000\"," \
  "\"willing_to_relocate\":\"Yes\",\"how_did_you_hear\":\"LinkedIn\"," \
  "\"How many years of experience do you have with C?\":\"12\"}," \
  "\"eeo\":{\"gender\":\"Female\"}}"

#define RESUME_BYTES "%PDF-1.4\n% Ada Lovelace, resume\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
#define RESUME_NAME "Ada Lovelace - Resume.pdf"

typedef struct {
  JswFixtureSite *site;
  JswTestServer  *server;
  SoupSession    *soup;
  char           *dir;
  char           *token;
  char           *token_file;
  char           *shots;
  char           *log_path;
  GSubprocess    *worker;
  GSubprocess    *proxy;
  char           *proxy_log;
} Fixture;

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *key_file = NULL;
  g_autofree char *worker_token = NULL;
  guchar key[32];
  g_autofree char *key_text = NULL;

  f->dir = g_dir_make_tmp ("jsw-worker-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guchar) g_random_int_range (0, 256);
  key_text = g_base64_encode (key, sizeof key);
  key_file = write_file (f, "profile.key", key_text);
  {
    const char *args[] = { "--profile-key-file", key_file, NULL };

    f->server = jsw_test_server_start (args);
  }
  f->soup = jsw_test_session_new ();
  f->site = jsw_fixture_site_new (fixtures);
  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  jsw_test_set_mode (f->soup, f->server, f->token, "server");
  worker_token = jsw_test_server_worker_token (f->server, "test-worker");
  f->token_file = write_file (f, "worker.token", worker_token);
  f->shots = g_build_filename (f->dir, "shots", NULL);
  f->log_path = g_build_filename (f->dir, "worker.log", NULL);
}

static gboolean
wait_exited (GSubprocess *process,
             guint        seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  return g_subprocess_get_identifier (process) == NULL;
}

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  if (g_subprocess_get_identifier (*process) != NULL)
    {
      g_subprocess_send_signal (*process, SIGKILL);
      wait_exited (*process, 10);
    }
  g_clear_object (process);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_process (&f->worker);
  stop_process (&f->proxy);
  jsw_test_server_free (f->server);
  jsw_fixture_site_free (f->site);
  g_clear_object (&f->soup);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->token);
  g_free (f->token_file);
  g_free (f->shots);
  g_free (f->log_path);
  g_free (f->proxy_log);
}

/* The person's side */

static guint
put_bytes (Fixture    *f,
           const char *path,
           const char *content_type,
           const void *data,
           gsize       size)
{
  g_autofree char *url = g_strconcat (f->server->url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  answer = soup_session_send_and_read (f->soup, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
keep_profile_on_server (Fixture *f)
{
  g_assert_cmpuint (put_bytes (f, "/v1/me/profile", "application/json", PROFILE_JSON, strlen (PROFILE_JSON)), ==, 200);
  g_assert_cmpuint (put_bytes (f, "/v1/me/resume?filename=Ada%20Lovelace%20-%20Resume.pdf", "application/pdf",
                               RESUME_BYTES, strlen (RESUME_BYTES)), ==, 200);
}

/* A right swipe on the job at @url; returns the entry's id. */
static char *
swipe_url (Fixture    *f,
           const char *job_id,
           const char *url)
{
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"Engineer\","
                                           "\"company\":\"Example\",\"apply_url\":\"%s\"}}", job_id, url);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->soup, f->server, "POST", "/v1/swipes", f->token, body, &status);
  JsonObject *entry;

  g_assert_cmpuint (status, ==, 201);
  entry = json_object_get_object_member (json_node_get_object (node), "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "server");
  return g_strdup (json_object_get_string_member (entry, "id"));
}

/* A right swipe on the fixture site's @path; returns the entry's id. */
static char *
swipe (Fixture    *f,
       const char *job_id,
       const char *path)
{
  g_autofree char *url = jsw_fixture_site_url (f->site, path);

  return swipe_url (f, job_id, url);
}

static JsonObject *
get_entry (Fixture    *f,
           const char *id)
{
  g_autofree char *path = g_strconcat ("/v1/queue/", id, NULL);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->soup, f->server, "GET", path, f->token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (node));
}

static gboolean
is_final (const char *state)
{
  return g_str_equal (state, "submitted") || g_str_equal (state, "failed") ||
         g_str_equal (state, "needs_user") || g_str_equal (state, "needs_review");
}

/* Serves the fixture site until the entry is final (90 s at most). */
static JsonObject *
wait_final (Fixture    *f,
            const char *id)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) entry = get_entry (f, id);

      if (is_final (json_object_get_string_member (entry, "state")))
        return g_steal_pointer (&entry);
      jsw_test_iterate_for (200);
    }
  g_error ("entry %s never ended", id);
}

/* The worker */

static void
start_worker_with (Fixture            *f,
                   const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("JSW_WORKER_BIN");

  g_assert_nonnull (bin);
  g_strv_builder_add_many (builder, bin, "--server", f->server->url, "--token-file", f->token_file,
                           "--screenshot-dir", f->shots, "--timeout", "60", NULL);
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **) extra);
  argv = g_strv_builder_end (builder);
  g_subprocess_launcher_set_stderr_file_path (launcher, f->log_path);
  f->worker = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
}

static void
start_worker (Fixture *f)
{
  const char *extra[] = { "--allow-private-targets", NULL };

  start_worker_with (f, extra);
}

static char *
worker_log (Fixture *f)
{
  char *text = NULL;

  g_file_get_contents (f->log_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

/* Whether the worker logged @event for entry @id, with @field
 * (`"address":"10.20.30.40"`, say) on the same line if not NULL. */
static gboolean
logged (Fixture    *f,
        const char *event,
        const char *id,
        const char *field)
{
  g_autofree char *log = worker_log (f);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  g_autofree char *start = g_strdup_printf ("\"event\":\"%s\",\"cid\":\"%s\"", event, id);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], start) != NULL && (field == NULL || strstr (lines[i], field) != NULL))
      return TRUE;
  return FALSE;
}

/* The tests */

static JswFixturePost *
only_post (Fixture *f)
{
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  return g_ptr_array_index (f->site->posts, 0);
}

static GPtrArray *
steps_seen (JswTestStream *stream,
            const char    *id,
            gboolean      *saw_final)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_free);
  JsonObject *frame;

  while ((frame = jsw_test_stream_next (stream, 100)) != NULL)
    {
      JsonObject *entry;

      if (g_str_equal (json_object_get_string_member (frame, "type"), "entry") &&
          (entry = json_object_get_object_member (frame, "entry")) != NULL &&
          g_str_equal (json_object_get_string_member (entry, "id"), id))
        {
          JsonObject *progress = json_object_get_object_member (entry, "progress");

          if (!json_object_get_null_member (progress, "step"))
            g_ptr_array_add (steps, g_strdup (json_object_get_string_member (progress, "step")));
          if (g_str_equal (json_object_get_string_member (entry, "state"), "submitted"))
            *saw_final = TRUE;
        }
      json_object_unref (frame);
    }
  return steps;
}

static gboolean
contains (GPtrArray  *strings,
          const char *needle)
{
  return g_ptr_array_find_with_equal_func (strings, needle, g_str_equal, NULL);
}

static void
test_applies_with_the_stored_profile (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(JswTestStream) desktop = jsw_test_stream_open (f->server, f->token, NULL);
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *shot_name = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *png = NULL;
  g_autofree char *sha = NULL;
  gsize png_size;
  JsonObject *result;
  JswFixturePost *post;
  GBytes *resume;
  gboolean saw_final = FALSE;

  jsw_test_stream_send (desktop, "{\"type\":\"hello\",\"device\":\"laptop\",\"since\":0}");
  welcome = jsw_test_stream_expect (desktop, "welcome");
  keep_profile_on_server (f);
  id = swipe (f, "gh-1", "/greenhouse/happy");
  start_worker (f);
  entry = wait_final (f, id);

  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "submitted");
  result = json_object_get_object_member (entry, "result");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "confirmation"), "Thank you for applying"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "claimed_by"), "kind"), ==, "server");

  /* What the employer received: the profile kept on the server. */
  post = only_post (f);
  jsw_fixture_post_assert_greenhouse_profile (post);
  resume = g_hash_table_lookup (post->files, "job_application[resume]");
  g_assert_nonnull (resume);
  g_assert_cmpmem (g_bytes_get_data (resume, NULL), g_bytes_get_size (resume), RESUME_BYTES, strlen (RESUME_BYTES));
  g_assert_cmpstr (g_hash_table_lookup (post->file_names, "job_application[resume]"), ==, RESUME_NAME);

  /* The person's desktop saw it go through its steps. */
  steps = steps_seen (desktop, id, &saw_final);
  g_assert_true (saw_final);
  g_assert_true (contains (steps, "opening"));
  g_assert_true (contains (steps, "filling"));
  g_assert_true (contains (steps, "submitting"));

  /* Charged once: one server application, one of the month's. */
  g_assert_cmpint (jsw_test_usage_of (f->soup, f->server, f->token, "server_month"), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->soup, f->server, f->token, "total_month"), ==, 1);

  /* The picture the result names is the one kept, a desktop-wide page. */
  shot_name = g_strconcat (id, ".png", NULL);
  shot = g_build_filename (f->shots, shot_name, NULL);
  g_assert_true (g_file_get_contents (shot, &png, &png_size, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) png, png_size);
  g_assert_cmpstr (json_object_get_string_member (result, "screenshot_sha256"), ==, sha);
  g_assert_cmpuint (png_size, >, 24);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (png + 16)), ==, 1280);
}

static void
test_no_server_profile (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = swipe (f, "gh-2", "/greenhouse/happy");
  g_autoptr(JsonObject) entry = NULL;
  JsonObject *result;

  start_worker (f);
  entry = wait_final (f, id);
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "needs_user");
  result = json_object_get_object_member (entry, "result");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), "Also keep my profile on the server"));
  g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), "Apply now"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* Without --allow-private-targets the fixture site, on 127.0.0.1, is
 * exactly what a worker must never reach. */
static void
test_refuses_private_targets (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) entry = NULL;
  JsonObject *result;
  const char *error;

  keep_profile_on_server (f);
  id = swipe (f, "gh-3", "/greenhouse/happy");
  start_worker_with (f, NULL);
  entry = wait_final (f, id);
  /* The run stops at the refusal: failed, saying which address was
   * refused, not whatever the engine made of the refusal's page. */
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "failed");
  result = json_object_get_object_member (entry, "result");
  error = json_object_get_string_member (result, "error");
  g_assert_nonnull (strstr (error, "leads to 127.0.0.1, a private address"));
  g_assert_null (strstr (error, "button"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  g_assert_true (logged (f, "target.refused", id, "\"address\":\"127.0.0.1\""));
}

/* A site the worker may reach (--allow-target: the one loopback port of
 * this test's server) whose pages lead to private addresses: by a
 * redirect of the posting over http and over https, and by an https image.
 * Over https the guard's refusal of the CONNECT is all there is to see
 * (WebKit shows nothing of its answer), and the run must still name it. */
static void
on_leading_astray (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  static const char page[] = "<!DOCTYPE html><html><head><title>Careers</title></head><body>"
                             "<h1>Engineer</h1><p>We are hiring.</p>"
                             "<img src=\"https://169.254.169.254/latest/meta-data/badge.png\" alt=\"\"></body></html>";

  if (g_str_equal (path, "/to-https"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "https://10.20.30.40/jobs/1/apply");
  else if (g_str_equal (path, "/to-http"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "http://10.20.30.40/jobs/2/apply");
  else if (g_str_equal (path, "/to-linkedin"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "https://www.LinkedIn.com/jobs/view/42/");
  else if (g_str_equal (path, "/to-lnkd"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "http://lnkd.in/gAbC123");
  else if (g_str_equal (path, "/with-https-image"))
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
test_refuses_private_redirects (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SoupServer) astray = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;
  g_autofree char *allowed = NULL;
  /* LinkedIn's hosts are refused like a private address, before any
   * lookup: the worker never opens LinkedIn, even through a redirect */
  const struct {
    const char *path;
    const char *named;   /* in the entry's error */
    const char *logged;  /* in its target.refused line */
  } redirects[] = {
    { "/to-https", "https://10.20.30.40/jobs/1/apply leads to 10.20.30.40, a private address", "\"address\":\"10.20.30.40\"" },
    { "/to-http", "http://10.20.30.40/jobs/2/apply leads to 10.20.30.40, a private address", "\"address\":\"10.20.30.40\"" },
    { "/to-linkedin", "https://www.linkedin.com/jobs/view/42/ leads to LinkedIn", "\"address\":\"LinkedIn\"" },
    { "/to-lnkd", "http://lnkd.in/gAbC123 leads to LinkedIn", "\"address\":\"LinkedIn\"" },
  };
  char *ids[G_N_ELEMENTS (redirects)];
  g_autofree char *image_id = NULL;
  g_autofree char *image_url = NULL;
  g_autoptr(JsonObject) image_entry = NULL;

  soup_server_add_handler (astray, NULL, on_leading_astray, NULL, NULL);
  soup_server_listen_local (astray, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (astray);
  base = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  allowed = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_foreach (uris, (GFunc) g_uri_unref, NULL);

  keep_profile_on_server (f);
  for (guint i = 0; i < G_N_ELEMENTS (redirects); i++)
    {
      g_autofree char *url = g_strconcat (base, redirects[i].path, NULL);
      g_autofree char *job = g_strdup_printf ("astray-%u", i);

      ids[i] = swipe_url (f, job, url);
    }
  image_url = g_strconcat (base, "/with-https-image", NULL);
  image_id = swipe_url (f, "astray-image", image_url);
  {
    const char *extra[] = { "--allow-target", allowed, NULL };

    start_worker_with (f, extra);
  }

  /* Each redirect ends the run with the refusal, naming where it led, the
   * same over https as over http. */
  for (guint i = 0; i < G_N_ELEMENTS (redirects); i++)
    {
      g_autoptr(JsonObject) entry = wait_final (f, ids[i]);
      JsonObject *result = json_object_get_object_member (entry, "result");

      g_test_message ("%s: %s", redirects[i].path, json_object_get_string_member (result, "error"));
      g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "failed");
      g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), redirects[i].named));
      g_assert_true (logged (f, "target.refused", ids[i], redirects[i].logged));
      g_free (ids[i]);
    }

  /* A refused https image is logged with its address, and the run goes on
   * without it: whatever it ends with, it is not that refusal. */
  image_entry = wait_final (f, image_id);
  g_assert_true (logged (f, "target.refused", image_id, "\"address\":\"169.254.169.254\""));
  g_assert_true (logged (f, "target.refused", image_id, "\"url\":\"https://169.254.169.254/latest/meta-data/badge.png\""));
  g_assert_null (strstr (json_object_get_string_member_with_default (json_object_get_object_member (image_entry, "result"),
                                                                     "error", ""), "169.254.169.254"));
}

static void
test_drains_on_sigterm (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *log = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  keep_profile_on_server (f);
  /* The slow page takes 3 s to show its form: the worker is stopped while
   * it is still opening. */
  id = swipe (f, "slow-1", "/generic/slow");
  start_worker (f);
  for (;;)
    {
      g_autoptr(JsonObject) now = get_entry (f, id);

      if (g_str_equal (json_object_get_string_member (now, "state"), "running"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      jsw_test_iterate_for (50);
    }
  g_subprocess_send_signal (f->worker, SIGTERM);
  g_assert_true (wait_exited (f->worker, 30));
  g_assert_true (g_subprocess_get_if_exited (f->worker));
  g_assert_cmpint (g_subprocess_get_exit_status (f->worker), ==, 0);

  entry = get_entry (f, id);
  /* Given back untouched (PROTOCOL.md's release): queued, same attempt. */
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "queued");
  g_assert_cmpint (json_object_get_int_member (entry, "attempt"), ==, 1);
  g_assert_true (json_object_get_null_member (entry, "claimed_by"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  log = worker_log (f);
  g_assert_nonnull (strstr (log, "\"event\":\"worker.drained\""));
  g_assert_nonnull (strstr (log, "\"why\":\"draining\""));
}

/* The server stops (SIGSTOP) as the worker opens the posting, profile and
 * resume fetched: the run reaches the send button and waits for an ack of
 * `submitting` that cannot come. */
static void
test_not_sent_without_submitting_on_record (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(JswTestFreeze) freeze = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) entry = NULL;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  const char *state;

  keep_profile_on_server (f);
  id = swipe (f, "gh-unacked", "/greenhouse/happy");
  freeze = jsw_test_freeze_on_page (f->server, f->site->server, "/greenhouse/happy");
  start_worker (f);
  while (!logged (f, "run.not_sent", id, NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      jsw_test_iterate_for (100);
    }
  g_assert_true (jsw_test_freeze_happened (freeze));
  g_subprocess_send_signal (f->worker, SIGTERM);
  g_clear_pointer (&freeze, jsw_test_freeze_end);

  /* Drained (no new lease), serving the site: a post would be seen. */
  while (g_subprocess_get_identifier (f->worker) != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      jsw_test_iterate_for (100);
    }
  g_assert_true (logged (f, "run.released", id, "\"why\":\"`submitting` not on record\""));
  g_assert_false (logged (f, "run.result", id, NULL));

  do
    {
      g_clear_pointer (&entry, json_object_unref);
      jsw_test_iterate_for (100);
      entry = get_entry (f, id);
      state = json_object_get_string_member (entry, "state");
    }
  while (g_str_equal (state, "running") && g_get_monotonic_time () < deadline);
  /* The server's own record decides: `submitting` reached it (its ack was
   * what got lost) and the entry needs a person's review, or it never did
   * and it is queued again. Never failed or unconfirmed: no result. */
  if (!g_str_equal (state, "needs_review"))
    g_assert_cmpstr (state, ==, "queued");
  g_assert_cmpint (json_object_get_int_member (entry, "attempt"), ==, 1);
  g_assert_true (json_object_get_null_member (entry, "result"));
  g_assert_cmpuint (f->site->posts->len, ==, 0);
}

/* Proxies: Debian's tinyproxy on a loopback port */

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static char *
start_tinyproxy (Fixture *f)
{
  g_autofree char *bin = g_find_program_in_path ("tinyproxy");
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint port = free_port ();
  gint64 deadline;

  if (bin == NULL)
    return NULL;
  f->proxy_log = g_build_filename (f->dir, "tinyproxy.log", NULL);
  /* No ConnectPort line: CONNECT to any port (the fixture site's). */
  text = g_strdup_printf ("Port %u\nListen 127.0.0.1\nTimeout 60\nLogFile \"%s\"\nLogLevel Connect\n"
                          "MaxClients 50\nAllow 127.0.0.1\n", port, f->proxy_log);
  conf = write_file (f, "tinyproxy.conf", text);
  {
    const char *argv[] = { bin, "-d", "-c", conf, NULL };

    f->proxy = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    g_assert_no_error (error);
  }
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
test_through_a_proxy (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *proxy = start_tinyproxy (f);
  g_autofree char *list = NULL;
  g_autofree char *id = NULL;
  g_autofree char *log = NULL;
  g_autofree char *proxy_log = NULL;
  g_autofree char *tunnel = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GUri) site = NULL;

  if (proxy == NULL)
    {
      g_test_skip ("tinyproxy is not installed (tools/install-deps installs it)");
      return;
    }
  keep_profile_on_server (f);
  /* The first proxy refuses connections: the entry it was given is
   * released, not failed, and goes out again through the second. */
  list = g_strdup_printf ("# the operator's proxies\nhttp://127.0.0.1:%u\n%s\n", free_port (), proxy);
  {
    g_autofree char *list_file = write_file (f, "proxies.txt", list);
    const char *extra[] = { "--allow-private-targets", "--proxy-list", list_file, NULL };

    id = swipe (f, "gh-4", "/greenhouse/happy");
    start_worker_with (f, extra);
    entry = wait_final (f, id);
  }
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->soup, f->server, f->token, "server_month"), ==, 1);
  g_assert_cmpint (jsw_test_usage_of (f->soup, f->server, f->token, "total_month"), ==, 1);

  log = worker_log (f);
  g_assert_nonnull (strstr (log, "\"event\":\"proxy.retired\""));
  g_assert_nonnull (strstr (log, "\"event\":\"run.released\""));

  /* The site's traffic went through tinyproxy, to the address the worker
   * checked. */
  site = g_uri_parse (f->site->base, G_URI_FLAGS_NONE, NULL);
  tunnel = g_strdup_printf ("CONNECT 127.0.0.1:%d", g_uri_get_port (site));
  g_assert_true (g_file_get_contents (f->proxy_log, &proxy_log, NULL, NULL));
  g_assert_nonnull (strstr (proxy_log, tunnel));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("needs a display (tools/run-tests runs the suite under xvfb-run)");
      return g_test_run ();
    }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/worker/applies-with-the-stored-profile", test_applies_with_the_stored_profile);
  ADD ("/worker/no-server-profile", test_no_server_profile);
  ADD ("/worker/refuses-private-targets", test_refuses_private_targets);
  ADD ("/worker/refuses-private-redirects", test_refuses_private_redirects);
  ADD ("/worker/drains-on-sigterm", test_drains_on_sigterm);
  ADD ("/worker/not-sent-without-submitting-on-record", test_not_sent_without_submitting_on_record);
  ADD ("/worker/through-a-proxy", test_through_a_proxy);
#undef ADD

  return g_test_run ();
}
