/* bench-feed-page.c: GET /v1/feed latency with 100,000 open postings and a
 * person who has swiped 10,000 of them (issue 12: p99 <= 20 ms)
 *
 *   bench-feed-page SERVER_BIN [--spread|--newest] [--postings N] [--swipes N]
 *
 * (--postings and --swipes make a smaller run, to check the bench and the
 * query plans on a busy machine; the figure is with the defaults.)
 *
 * Fills a fresh database straight through the store (50 sources of 2,000
 * postings each, as a sync leaves them: titles, descriptions of ~1.5 KiB,
 * locations, remote flags, employment types, posted over 120 days), makes
 * one person swipe 10,000 postings left (spread over the feed, as swiping
 * through it leaves them, or --newest: the 10,000 newest, the worst case
 * for the first page), starts `jobswipe-server serve` and times pages over
 * HTTP, each a new connection as the server answers one request per
 * connection: the first page 200 times and a walk of 200 pages with
 * cursors, for three searches. Prints p50/p99 per search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <unistd.h>

#include "bench-util.h"
#include "jsw-posting.h"

#define PER_SOURCE       2000
#define REPEATS          200

static guint n_sources = 50;
static guint n_swipes = 10000;

static const char *titles[] = {
  "Backend Engineer", "Frontend Engineer", "Site Reliability Engineer", "Data Engineer", "Data Scientist",
  "Machine Learning Engineer", "Product Designer", "UX Researcher", "Product Manager", "Engineering Manager",
  "Account Executive", "Customer Success Manager", "Support Engineer", "Security Engineer", "DevOps Engineer",
  "QA Engineer", "Technical Writer", "Recruiter", "Financial Controller", "Marketing Manager",
};
static const char *levels[] = { "", "Senior ", "Staff ", "Junior ", "Lead ", "Principal " };
static const char *teams[] = {
  "", ", Payments", ", Platform", ", Growth", ", Search", ", Mobile", ", Billing", ", Identity", ", Infrastructure",
  ", Analytics",
};
static const char *places[] = {
  "Berlin, Germany", "Munich, Germany", "London, United Kingdom", "Amsterdam, Netherlands", "Paris, France",
  "Lisbon, Portugal", "New York, NY", "San Francisco, CA", "Toronto, Canada", "Remote (EU)", "Remote (US)",
  "Zürich, Switzerland", "Kraków, Poland", "Madrid, Spain", "Austin, TX",
};
static const char *types[] = { "Full-time", "Full-time", "Full-time", "Part-time", "Contract", "Intern" };
static const char *words[] = {
  "payments", "customers", "reliability", "latency", "PostgreSQL", "Kubernetes", "Go", "Rust", "Python", "React",
  "Kafka", "Terraform", "observability", "mentoring", "on call", "design reviews", "roadmap", "experiments",
  "dashboards", "pipelines", "security", "compliance", "accessibility", "performance", "migrations",
};

static char *
description (GRand *rand)
{
  GString *html = g_string_new (NULL);

  for (int p = 0; p < 4; p++)
    {
      g_string_append (html, "<p>");
      for (int w = 0; w < 40; w++)
        g_string_append_printf (html, "%s ", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append (html, "</p><ul>");
      for (int i = 0; i < 3; i++)
        g_string_append_printf (html, "<li>Work with %s and %s</li>", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append (html, "</ul>");
    }
  return g_string_free (html, FALSE);
}

static GPtrArray *
make_postings (GRand  *rand,
               guint   source,
               gint64  now)
{
  GPtrArray *postings = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_posting_free);
  g_autofree char *board = g_strdup_printf ("company%02u", source);

  for (guint i = 0; i < PER_SOURCE; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 4000000 + i);
      g_autofree char *html = description (rand);
      JswPosting *posting = jsw_posting_new ("greenhouse", board, id);
      guint n_places = g_rand_int_range (rand, 1, 4);

      posting->title = g_strdup_printf ("%s%s%s", levels[g_rand_int_range (rand, 0, G_N_ELEMENTS (levels))],
                                        titles[g_rand_int_range (rand, 0, G_N_ELEMENTS (titles))],
                                        teams[g_rand_int_range (rand, 0, G_N_ELEMENTS (teams))]);
      posting->company = g_strdup_printf ("Company %02u", source);
      posting->apply_url = g_strdup_printf ("https://boards.greenhouse.io/%s/jobs/%s", board, id);
      posting->source_url = g_strdup (posting->apply_url);
      for (guint p = 0; p < n_places; p++)
        jsw_posting_add_location (posting, places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))]);
      jsw_posting_set_employment_type (posting, types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))]);
      jsw_posting_set_description_html (posting, html);
      posting->posted_at = now - g_rand_int_range (rand, 0, 120 * 24 * 3600) * G_USEC_PER_SEC;
      posting->has_salary_min = posting->has_salary_max = TRUE;
      posting->salary_min = g_rand_int_range (rand, 40, 140) * 1000;
      posting->salary_max = posting->salary_min + 20000;
      posting->salary_currency = g_strdup ("EUR");
      posting->salary_interval = g_strdup ("year");
      posting->version = g_strdup ("v1");
      g_ptr_array_add (postings, posting);
    }
  return postings;
}

static char *
fill (const char *db_path,
      gboolean    newest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_sqlite_store_open (db_path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autofree char *user = NULL;
  g_autofree char *token = jsw_token_generate ();
  g_autofree char *hash = jsw_token_hash (token);
  gint64 now = g_get_real_time ();
  gint64 started = g_get_monotonic_time ();
  gint64 open;

  g_assert_no_error (error);
  user = jsw_store_create_user (store, "person@bench.example", "enterprise", NULL, now, &error);
  g_assert_no_error (error);
  jsw_store_add_token (store, hash, user, JSW_KIND_DESKTOP, "bench", now, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < n_sources; s++)
    {
      g_autofree char *board = g_strdup_printf ("company%02u", s);
      g_autoptr(GPtrArray) postings = make_postings (rand, s, now);
      JswSyncCounts counts;
      gint64 id = jsw_store_add_source (store, "greenhouse", board, NULL, "http://127.0.0.1:9", now, &error);

      g_assert_no_error (error);
      jsw_store_sync_postings (store, id, postings, NULL, NULL, now, &counts, &error);
      g_assert_no_error (error);
    }

  /* The person's swipes: spread over the feed, or its newest. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    sqlite3_prepare_v2 (db, newest ? "SELECT id FROM postings ORDER BY sort_at DESC, id DESC"
                                   : "SELECT id FROM postings ORDER BY random()", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
      }
    sqlite3_finalize (stmt);
    sqlite3_prepare_v2 (db, "SELECT count(*) FROM postings WHERE open = 1", -1, &stmt, NULL);
    sqlite3_step (stmt);
    open = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    for (guint i = 0; i < n_swipes && i < ids->len; i++)
      {
        jsw_store_left_swipe_posting (store, user, g_array_index (ids, gint64, i), now, &error);
        g_assert_no_error (error);
      }
  }
  g_printerr ("filled: %" G_GINT64_FORMAT " open postings, %u swipes (%s), in %.1f s\n", open, n_swipes,
              newest ? "the newest" : "spread", (g_get_monotonic_time () - started) / 1e6);
  return g_steal_pointer (&token);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
get_page (SoupSession *session,
          const char  *url,
          const char  *auth,
          char       **next_cursor)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 started;
  double ms;
  JsonObject *answer;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  started = g_get_monotonic_time ();
  body = soup_session_send_and_read (session, msg, NULL, &error);
  ms = (g_get_monotonic_time () - started) / 1000.0;
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  answer = json_node_get_object (json_parser_get_root (parser));
  /* A full page, or the last one (a small run can reach the end, and a
   * walk whose last full page ended the feed gets an empty last page). */
  g_assert_true (json_array_get_length (json_object_get_array_member (answer, "postings")) > 0 ||
                 json_object_get_null_member (answer, "next_cursor"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "postings")), <=, 20);
  if (next_cursor != NULL)
    *next_cursor = json_object_get_null_member (answer, "next_cursor") ? NULL
                   : g_strdup (json_object_get_string_member (answer, "next_cursor"));
  return ms;
}

/* The server's CPU time so far (user + system), in ms: on a busy machine
 * the wall time of a page is mostly waiting for a CPU, this is not. */
static double
server_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", -1);
  /* Fields 14 and 15 of stat(5), utime and stime, here 12th and 13th. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static GPid server_pid;

/* The 1, 5 and 15 minute load averages, with a newline: a figure means
 * little without them. */
static char *
load_average (void)
{
  g_autofree char *loadavg = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    return g_strdup ("unknown\n");
  fields = g_strsplit (loadavg, " ", 4);
  return g_strdup_printf ("%s %s %s:\n", fields[0], fields[1], fields[2]);
}

static void
measure (SoupSession *session,
         const char  *base,
         const char  *token,
         const char  *name,
         const char  *search)
{
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *search_url = g_strconcat (base, "/v1/me/search", NULL);
  g_autofree char *first_url = g_strconcat (base, "/v1/feed?limit=20", NULL);
  g_autoptr(SoupMessage) put = soup_message_new ("PUT", search_url);
  g_autoptr(GBytes) body = g_bytes_new (search, strlen (search));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) walk = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *cursor = NULL;
  double cpu_before;
  double cpu_first;

  soup_message_headers_replace (soup_message_get_request_headers (put), "Authorization", auth);
  soup_message_set_request_body_from_bytes (put, "application/json", body);
  answer = soup_session_send_and_read (session, put, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (put), ==, 200);

  cpu_before = server_cpu_ms (server_pid);
  for (guint i = 0; i < REPEATS; i++)
    {
      double ms = get_page (session, first_url, auth, i == 0 ? &cursor : NULL);

      g_array_append_val (first, ms);
    }
  cpu_first = server_cpu_ms (server_pid) - cpu_before;
  for (guint i = 0; i < REPEATS && cursor != NULL; i++)
    {
      g_autofree char *url = g_strconcat (base, "/v1/feed?limit=20&cursor=", cursor, NULL);
      g_autofree char *next = NULL;
      double ms = get_page (session, url, auth, &next);

      g_array_append_val (walk, ms);
      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  g_array_sort (first, compare_doubles);
  g_array_sort (walk, compare_doubles);
  printf ("%-38s first page p50 %6.2f ms p99 %6.2f ms | walk of %u pages p50 %6.2f ms p99 %6.2f ms"
          " | server CPU a page: first %.2f ms, walk %.2f ms\n", name,
          g_array_index (first, double, first->len / 2), g_array_index (first, double, first->len * 99 / 100),
          walk->len, walk->len ? g_array_index (walk, double, walk->len / 2) : 0.0,
          walk->len ? g_array_index (walk, double, walk->len * 99 / 100) : 0.0,
          cpu_first / first->len,
          walk->len ? (server_cpu_ms (server_pid) - cpu_before - cpu_first) / walk->len : 0.0);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-feed-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  g_autofree char *token = NULL;
  g_autofree char *load = load_average ();
  gboolean newest = FALSE;
  gboolean keep = FALSE;
  const char *url;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--newest"))
        newest = TRUE;
      else if (g_str_equal (argv[i], "--keep"))
        keep = TRUE;  /* the database stays, for EXPLAIN QUERY PLAN */
      else if (g_str_equal (argv[i], "--spread"))
        newest = FALSE;
      else if (g_str_equal (argv[i], "--postings") && i + 1 < argc)
        {
          guint64 postings = g_ascii_strtoull (argv[++i], NULL, 10);

          n_sources = MAX (1, postings / PER_SOURCE);
        }
      else if (g_str_equal (argv[i], "--swipes") && i + 1 < argc)
        n_swipes = g_ascii_strtoull (argv[++i], NULL, 10);
      else
        argc = 0;
    }
  if (argc < 2)
    {
      g_printerr ("Usage: bench-feed-page SERVER_BIN [--spread|--newest] [--postings N] [--swipes N] [--keep]\n");
      return 2;
    }
  token = fill (db, newest);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1], "serve", "--listen", "127.0.0.1:0",
                             "--db", db, "--log-level", "warning", "--sync-interval", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  url = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "listening");
  server_pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);

  printf ("feed page, %u postings, one person with %u left swipes (%s), limit 20, over HTTP, load average %s",
          n_sources * PER_SOURCE, n_swipes, newest ? "the newest" : "spread over the feed", load);
  measure (session, url, token, "no search", "{}");
  measure (session, url, token, "keywords [engineer]", "{\"keywords\": [\"engineer\"]}");
  measure (session, url, token, "keywords + location + remote + type",
           "{\"keywords\": [\"backend\", \"payments\"], \"locations\": [\"berlin\", \"remote\"],"
           " \"employment_types\": [\"full_time\"], \"exclude_keywords\": [\"php\"]}");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  if (keep)
    g_printerr ("database kept: %s\n", db);
  else
    bench_remove_db (db);
  return 0;
}
