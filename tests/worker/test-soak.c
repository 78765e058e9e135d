/* test-soak.c: no job is ever applied to twice, and none is lost
 *
 * One real jobswipe-server, two real workers (WebKitGTK under the suite's
 * Xvfb) and three desktop-kind clients (this program run again with
 * --desktop-client: a scripted stream client that claims its person's
 * desktop entries, reports the steps, posts the application to the fixture
 * site and reports the result), against the fixture site in this process.
 * JSW_SOAK_ENTRIES entries (300 here, 1,000 in bench/soak) over three
 * people, JSW_SOAK_SERVER_PERCENT of them (20 %, 50 % in bench/soak) routed
 * to the server, the others to their desktops. Meanwhile
 * workers and clients are killed with SIGKILL at random moments and
 * started again, and some exactly between `submitting` (the application
 * posted) and the result.
 *
 * At the end: every entry is in exactly one final state; the site recorded
 * at most one application per job, exactly one for every `submitted`
 * entry; every entry whose client was killed after posting is
 * `needs_review`. It prints the duplicate count and the lost count, both
 * of which must be 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "jsw-fixture-site.h"
#include "jsw-test-util.h"
#include "soak-client.h"

#define N_PEOPLE   3
#define N_WORKERS  2
#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"phone\":\"+44 20 7946 0958\",\"location\":\"London, UK\"," \
  "\"answers\":{\"work_authorization\":\"Yes\",\"requires_sponsorship\":\"No\",\"salary_expectation\":\"85000\"}}"
#define RESUME_BYTES "%PDF-1.4\n% Ada Lovelace, resume\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

/* The soak */

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;     /* a client's stdout, a worker's stderr */
  GOutputStream    *in;      /* a client's stdin */
  char             *token;   /* a client's person */
  guint             index;
  gboolean          is_worker;
  GHashTable       *in_flight;  /* a worker's entries past submitting, without a result */
} Member;

typedef struct {
  JswTestServer  *server;
  JswFixtureSite *site;
  SoupSession    *soup;
  char           *dir;
  char           *token_file;
  char           *tokens[N_PEOPLE];
  Member          members[N_WORKERS + N_PEOPLE];
  GHashTable     *killed_after_posting;    /* entry ids: a client killed between post and result */
  GHashTable     *worker_killed_in_flight; /* entry ids: a worker killed past submitting */
  guint           kills;
  guint           kills_left[3];   /* by KillKind */
  gboolean        stopping;
} Soak;

/* Kills are budgeted per kind, so that the soak ends and each kind happens. */
typedef enum {
  KILL_CLIENT_AFTER_POST,
  KILL_WORKER_AFTER_SUBMITTING,
  KILL_ANY_TIME,
} KillKind;

static void read_next_line (Soak *soak, Member *member);

static void start_member (Soak *soak, Member *member);

typedef struct {
  Soak   *soak;
  Member *member;
  GSubprocess *process;
} LineRead;

static void
kill_member (Soak   *soak,
             Member *member)
{
  if (member->process == NULL)
    return;
  soak->kills++;
  g_subprocess_send_signal (member->process, SIGKILL);
  g_subprocess_wait (member->process, NULL, NULL);
  g_clear_object (&member->process);
  g_clear_object (&member->out);
  g_clear_object (&member->in);
  if (member->is_worker)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, member->in_flight);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_hash_table_add (soak->worker_killed_in_flight, g_strdup (id));
      g_hash_table_remove_all (member->in_flight);
    }
}

static gboolean
chance (double p)
{
  return g_random_double () < p;
}

static gboolean
may_kill (Soak     *soak,
          KillKind  kind,
          double    p)
{
  if (soak->stopping || soak->kills_left[kind] == 0 || !chance (p))
    return FALSE;
  soak->kills_left[kind]--;
  return TRUE;
}

static gboolean
restart_member_cb (gpointer data)
{
  LineRead *restart = data;

  if (!restart->soak->stopping && restart->member->process == NULL)
    start_member (restart->soak, restart->member);
  g_free (restart);
  return G_SOURCE_REMOVE;
}

static void
kill_and_restart (Soak   *soak,
                  Member *member)
{
  LineRead *restart = g_new0 (LineRead, 1);

  kill_member (soak, member);
  restart->soak = soak;
  restart->member = member;
  g_timeout_add (g_random_int_range (100, 800), restart_member_cb, restart);
}

static void
handle_client_line (Soak       *soak,
                    Member     *member,
                    const char *line)
{
  g_autofree char *go = NULL;

  if (!g_str_has_prefix (line, "posted "))
    return;
  /* Between the post and the result: sometimes the client dies here. */
  if (may_kill (soak, KILL_CLIENT_AFTER_POST, 0.15))
    {
      g_hash_table_add (soak->killed_after_posting, g_strdup (line + strlen ("posted ")));
      kill_and_restart (soak, member);
      return;
    }
  go = g_strdup_printf ("go %s\n", line + strlen ("posted "));
  g_output_stream_write_all (member->in, go, strlen (go), NULL, NULL, NULL);
}

static char *
field_of (const char *line,
          const char *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\":\"", name);
  const char *start = strstr (line, key);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (key);
  end = strchr (start, '"');
  return end ? g_strndup (start, end - start) : NULL;
}

static void
handle_worker_line (Soak       *soak,
                    Member     *member,
                    const char *line)
{
  g_autofree char *cid = field_of (line, "cid");

  if (cid == NULL)
    return;
  if (strstr (line, "\"event\":\"run.progress\"") && strstr (line, "\"step\":\"submitting\""))
    {
      g_hash_table_add (member->in_flight, g_strdup (cid));
      if (may_kill (soak, KILL_WORKER_AFTER_SUBMITTING, 0.1))
        kill_and_restart (soak, member);
    }
  else if (strstr (line, "\"event\":\"run.result\"") || strstr (line, "\"event\":\"run.released\""))
    g_hash_table_remove (member->in_flight, cid);
}

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LineRead *read = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  Soak *soak = read->soak;
  Member *member = read->member;
  gboolean current = member->process == read->process;

  g_object_unref (read->process);
  g_free (read);
  if (line == NULL || !current)
    return;  /* that process is gone */
  if (member->is_worker)
    handle_worker_line (soak, member, line);
  else
    handle_client_line (soak, member, line);
  if (member->process != NULL)
    read_next_line (soak, member);
}

static void
read_next_line (Soak   *soak,
                Member *member)
{
  LineRead *read = g_new0 (LineRead, 1);

  read->soak = soak;
  read->member = member;
  read->process = g_object_ref (member->process);
  g_data_input_stream_read_line_async (member->out, G_PRIORITY_DEFAULT, NULL, line_read, read);
}

static void
start_member (Soak   *soak,
              Member *member)
{
  g_autoptr(GError) error = NULL;

  if (member->is_worker)
    {
      const char *argv[] = { g_getenv ("JSW_WORKER_BIN"), "--server", soak->server->url, "--token-file",
                             soak->token_file, "--concurrency", "2", "--timeout", "30", "--allow-private-targets",
                             "--log-level", "debug", NULL };

      member->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      g_assert_no_error (error);
      member->out = g_data_input_stream_new (g_subprocess_get_stderr_pipe (member->process));
    }
  else
    {
      const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-soak", NULL), "--desktop-client",
                             soak->server->ws_url, member->token, NULL };

      member->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      member->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (member->process));
      member->in = g_object_ref (g_subprocess_get_stdin_pipe (member->process));
    }
  read_next_line (soak, member);
}

/* Random kills at any moment, besides those between submitting and the
 * result. */
static gboolean
chaos_cb (gpointer data)
{
  Soak *soak = data;

  if (soak->stopping)
    return G_SOURCE_REMOVE;
  if (may_kill (soak, KILL_ANY_TIME, 0.4))
    kill_and_restart (soak, &soak->members[g_random_int_range (0, N_WORKERS + N_PEOPLE)]);
  return G_SOURCE_CONTINUE;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static GPtrArray *
all_entries (Soak *soak)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint p = 0; p < N_PEOPLE; p++)
    {
      guint status;
      g_autoptr(JsonNode) node = jsw_test_http (soak->soup, soak->server, "GET", "/v1/queue", soak->tokens[p], NULL, &status);
      JsonArray *list;

      g_assert_cmpuint (status, ==, 200);
      list = json_object_get_array_member (json_node_get_object (node), "entries");
      for (guint i = 0; i < json_array_get_length (list); i++)
        g_ptr_array_add (entries, json_object_ref (json_array_get_object_element (list, i)));
    }
  return entries;
}

static gboolean
is_final (const char *state)
{
  return g_str_equal (state, "submitted") || g_str_equal (state, "failed") ||
         g_str_equal (state, "needs_user") || g_str_equal (state, "needs_review");
}

static guint
count_not_final (GPtrArray *entries)
{
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    if (!is_final (json_object_get_string_member (g_ptr_array_index (entries, i), "state")))
      n++;
  return n;
}

static void
put_resume (Soak       *soak,
            const char *token)
{
  g_autofree char *url = g_strconcat (soak->server->url, "/v1/me/resume?filename=cv.pdf", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) body = g_bytes_new_static (RESUME_BYTES, strlen (RESUME_BYTES));
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/pdf", body);
  answer = soup_session_send_and_read (soak->soup, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
put_profile (Soak       *soak,
             const char *token)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (soak->soup, soak->server, "PUT", "/v1/me/profile", token, PROFILE_JSON, &status);

  g_assert_cmpuint (status, ==, 200);
  put_resume (soak, token);
}

static char *
swipe (Soak       *soak,
       const char *token,
       guint       job)
{
  g_autofree char *path = g_strdup_printf ("/generic/soak-%u", job);
  g_autofree char *url = jsw_fixture_site_url (soak->site, path);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"soak-%u\",\"title\":\"Engineer\","
                                           "\"company\":\"Example\",\"apply_url\":\"%s\"}}", job, url);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (soak->soup, soak->server, "POST", "/v1/swipes", token, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "entry"), "job_id"));
}

/* The job a post was for: its path is /generic/<job id>/submit. */
static char *
job_of_post (JswFixturePost *post)
{
  g_auto(GStrv) parts = g_strsplit (post->path, "/", -1);

  return g_strv_length (parts) >= 3 ? g_strdup (parts[2]) : g_strdup ("?");
}

static void
test_soak (void)
{
  Soak soak = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *key = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *worker_token = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) posts_per_job = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_entries = env_uint ("JSW_SOAK_ENTRIES", 300);
  guint seconds = env_uint ("JSW_SOAK_SECONDS", 420);
  /* Percent of the entries routed to the server: each is a real
   * application in WebKit, the desktop clients' are scripted. */
  guint server_share = MIN (100, env_uint ("JSW_SOAK_SERVER_PERCENT", 20));
  guint n_server = 0;
  guint duplicates = 0, lost = 0, submitted_without_one_post = 0, killed_not_review = 0;
  guint counts[4] = { 0 };
  gint64 started = g_get_monotonic_time ();
  gint64 deadline = started + seconds * G_USEC_PER_SEC;
  guint chaos_id;
  guchar raw_key[32];

  soak.dir = g_dir_make_tmp ("jsw-soak-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sizeof raw_key; i++)
    raw_key[i] = (guchar) g_random_int_range (0, 256);
  key = g_base64_encode (raw_key, sizeof raw_key);
  key_path = g_build_filename (soak.dir, "profile.key", NULL);
  g_file_set_contents (key_path, key, -1, &error);
  g_assert_no_error (error);
  {
    /* Short leases, so that a killed process's entries come back soon. */
    const char *args[] = { "--profile-key-file", key_path, "--lease-ttl", "4", "--heartbeat", "1",
                           "--sweep-ms", "250", NULL };

    soak.server = jsw_test_server_start (args);
  }
  soak.soup = jsw_test_session_new ();
  soak.site = jsw_fixture_site_new (fixtures);
  soak.killed_after_posting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.worker_killed_in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.kills_left[KILL_CLIENT_AFTER_POST] = MAX (6, n_entries / 40);
  soak.kills_left[KILL_WORKER_AFTER_SUBMITTING] = MAX (3, n_entries / 100);
  soak.kills_left[KILL_ANY_TIME] = MAX (6, n_entries / 50);
  worker_token = jsw_test_server_worker_token (soak.server, "soak");
  soak.token_file = g_build_filename (soak.dir, "worker.token", NULL);
  g_file_set_contents (soak.token_file, worker_token, -1, &error);
  g_assert_no_error (error);

  /* Three people, each with a profile on the server; every person's swipes
   * go now to the server, now to their desktop. */
  for (guint p = 0; p < N_PEOPLE; p++)
    {
      g_autofree char *email = g_strdup_printf ("person%u@example.org", p);

      soak.tokens[p] = jsw_test_server_add_user (soak.server, email, "enterprise", NULL);
      put_profile (&soak, soak.tokens[p]);
    }
  for (guint job = 0; job < n_entries; job++)
    {
      const char *token = soak.tokens[job % N_PEOPLE];
      gboolean to_server = (job * server_share) / 100 != ((job + 1) * server_share) / 100;

      n_server += to_server;
      jsw_test_set_mode (soak.soup, soak.server, token, to_server ? "server" : "desktop");
      g_free (swipe (&soak, token, job));
    }

  for (guint i = 0; i < N_WORKERS + N_PEOPLE; i++)
    {
      Member *member = &soak.members[i];

      member->index = i;
      member->is_worker = i < N_WORKERS;
      member->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      member->token = member->is_worker ? NULL : soak.tokens[i - N_WORKERS];
      start_member (&soak, member);
    }
  chaos_id = g_timeout_add (1500, chaos_cb, &soak);

  /* Until every entry is final, or time is up. */
  for (;;)
    {
      g_autoptr(GPtrArray) now = NULL;

      jsw_test_iterate_for (500);
      now = all_entries (&soak);
      g_assert_cmpuint (now->len, ==, n_entries);
      if (count_not_final (now) == 0 || g_get_monotonic_time () > deadline)
        break;
    }
  soak.stopping = TRUE;
  g_source_remove (chaos_id);
  for (guint i = 0; i < N_WORKERS + N_PEOPLE; i++)
    {
      if (soak.members[i].process != NULL)
        {
          g_subprocess_send_signal (soak.members[i].process, SIGKILL);
          g_subprocess_wait (soak.members[i].process, NULL, NULL);
        }
      g_clear_object (&soak.members[i].process);
      g_clear_object (&soak.members[i].out);
      g_clear_object (&soak.members[i].in);
      g_hash_table_unref (soak.members[i].in_flight);
    }
  jsw_test_iterate_for (200);

  /* What the site received, per job. */
  for (guint i = 0; i < soak.site->posts->len; i++)
    {
      g_autofree char *job = job_of_post (g_ptr_array_index (soak.site->posts, i));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (posts_per_job, job));

      g_hash_table_replace (posts_per_job, g_steal_pointer (&job), GUINT_TO_POINTER (n + 1));
    }
  {
    GHashTableIter iter;
    gpointer n;

    g_hash_table_iter_init (&iter, posts_per_job);
    while (g_hash_table_iter_next (&iter, NULL, &n))
      duplicates += GPOINTER_TO_UINT (n) > 1 ? GPOINTER_TO_UINT (n) - 1 : 0;
  }

  entries = all_entries (&soak);
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      const char *state = json_object_get_string_member (entry, "state");
      const char *id = json_object_get_string_member (entry, "id");
      guint posts = GPOINTER_TO_UINT (g_hash_table_lookup (posts_per_job, json_object_get_string_member (entry, "job_id")));

      if (!is_final (state))
        {
          g_test_message ("not final: %s %s %s attempt %" G_GINT64_FORMAT, id, json_object_get_string_member (entry, "target"),
                          state, json_object_get_int_member (entry, "attempt"));
          lost++;
          continue;
        }
      counts[g_str_equal (state, "submitted") ? 0 : g_str_equal (state, "needs_review") ? 1
             : g_str_equal (state, "failed") ? 2 : 3]++;
      if (posts > 1 || (g_str_equal (state, "submitted") && posts != 1))
        g_test_message ("job %s: %u applications, entry %s %s %s attempt %" G_GINT64_FORMAT "%s",
                        json_object_get_string_member (entry, "job_id"), posts, id, json_object_get_string_member (entry, "target"),
                        state, json_object_get_int_member (entry, "attempt"),
                        g_hash_table_contains (soak.worker_killed_in_flight, id) ? ", its worker killed past submitting" : "");
      if (g_str_equal (state, "submitted") && posts != 1)
        submitted_without_one_post++;
      if (g_hash_table_contains (soak.killed_after_posting, id) && !g_str_equal (state, "needs_review"))
        killed_not_review++;
    }

  g_test_message ("soak: %u entries (%u server, %u desktop) in %.0f s; %u kills (%u clients between submitting and the result, "
                  "%u worker runs past submitting); submitted %u, needs_review %u, failed %u, needs_user %u",
                  n_entries, n_server, n_entries - n_server, (g_get_monotonic_time () - started) / 1e6, soak.kills,
                  g_hash_table_size (soak.killed_after_posting), g_hash_table_size (soak.worker_killed_in_flight),
                  counts[0], counts[1], counts[2], counts[3]);
  g_test_message ("duplicates: %u", duplicates);
  g_test_message ("lost: %u", lost);

  g_assert_cmpuint (duplicates, ==, 0);
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (submitted_without_one_post, ==, 0);
  g_assert_cmpuint (killed_not_review, ==, 0);
  g_assert_cmpuint (counts[0], >, 0);

  for (guint p = 0; p < N_PEOPLE; p++)
    g_free (soak.tokens[p]);
  g_hash_table_unref (soak.killed_after_posting);
  g_hash_table_unref (soak.worker_killed_in_flight);
  jsw_fixture_site_free (soak.site);
  jsw_test_server_free (soak.server);
  g_clear_object (&soak.soup);
  g_unlink (soak.token_file);
  g_unlink (key_path);
  g_rmdir (soak.dir);
  g_free (soak.token_file);
  g_free (soak.dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--desktop-client"))
    return jsw_soak_run_desktop_client (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("needs a display (tools/run-tests runs the suite under xvfb-run)");
      return g_test_run ();
    }
  g_test_add_func ("/worker/soak", test_soak);
  return g_test_run ();
}
