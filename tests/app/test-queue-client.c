/* test-queue-client.c: the desktop's end of the stream, on its own
 *
 * A real jobswipe-server on a loopback port and a real cache in SQLite:
 * what the stream delivers lands in the cache and is announced once; a
 * claim gets a lease, and a result reaches the server and leaves the
 * outbox; a client started again resumes after the cached seq instead of
 * hearing everything again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-cache.h"
#include "jsw-queue-client.h"
#include "jsw-test-util.h"

typedef struct {
  JswTestServer  *server;
  SoupSession    *http;     /* the test's own, for REST */
  SoupSession    *soup;     /* the client's */
  char           *token;
  char           *dir;
  JswCache       *cache;
  JswQueueClient *client;
  GPtrArray      *changed;  /* entry ids, as entry-changed announced them */
} Fixture;

static void
on_entry_changed (JswQueueClient *client,
                  JswEntry       *entry,
                  Fixture        *f)
{
  g_ptr_array_add (f->changed, g_strdup (entry->id));
}

static void
start_client (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  f->client = jsw_queue_client_new (f->soup, f->server->url, f->token, "laptop", JSW_QUEUE_STORE (f->cache));
  g_signal_connect (f->client, "entry-changed", G_CALLBACK (on_entry_changed), f);
  jsw_queue_client_start (f->client);
  while (!jsw_queue_client_is_connected (f->client) && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_true (jsw_queue_client_is_connected (f->client));
}

static void
stop_client (Fixture *f)
{
  jsw_queue_client_stop (f->client);
  g_clear_object (&f->client);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->server = jsw_test_server_start (NULL);
  f->http = jsw_test_session_new ();
  f->soup = soup_session_new ();
  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  jsw_test_set_mode (f->http, f->server, f->token, "desktop");
  f->dir = g_dir_make_tmp ("jsw-queue-client-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = jsw_cache_open (path, &error);
  g_assert_no_error (error);
  f->changed = g_ptr_array_new_with_free_func (g_free);
  start_client (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->client != NULL)
    stop_client (f);
  g_clear_object (&f->cache);
  g_assert_cmpint (system (command), ==, 0);
  g_ptr_array_unref (f->changed);
  g_clear_object (&f->soup);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, jsw_test_server_free);
  g_free (f->token);
  g_free (f->dir);
}

static char *
swipe (Fixture    *f,
       const char *job_id)
{
  guint status;
  g_autoptr(JsonObject) entry = jsw_test_swipe_right (f->http, f->server, f->token, job_id, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (entry, "id"));
}

static guint
times_announced (Fixture    *f,
                 const char *entry_id)
{
  guint n = 0;

  for (guint i = 0; i < f->changed->len; i++)
    n += g_str_equal (g_ptr_array_index (f->changed, i), entry_id);
  return n;
}

static void
wait_announced (Fixture    *f,
                const char *entry_id)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (times_announced (f, entry_id) == 0 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_cmpuint (times_announced (f, entry_id), >=, 1);
}

/* A swipe on another device reaches the cache, with the seq it came with. */
static void
test_entries_reach_the_cache (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *entry_id = swipe (f, "gh-1");
  g_autoptr(JswEntry) cached = NULL;

  wait_announced (f, entry_id);
  cached = jsw_cache_get_entry (f->cache, entry_id);
  g_assert_nonnull (cached);
  g_assert_cmpint (cached->state, ==, JSW_STATE_QUEUED);
  g_assert_cmpint (cached->target, ==, JSW_TARGET_DESKTOP);
  g_assert_cmpint (jsw_cache_get_last_seq (f->cache), >, 0);
}

static void
claimed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **lease = user_data;
  g_autoptr(GError) error = NULL;

  *lease = jsw_queue_client_claim_finish (JSW_QUEUE_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static const char *
server_state (Fixture    *f,
              const char *entry_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", entry_id);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->http, f->server, "GET", path, f->token, NULL, &status);
  JswState state = JSW_STATE_QUEUED;

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (jsw_state_from_string (json_object_get_string_member (json_node_get_object (node), "state"), &state));
  return jsw_state_to_string (state);
}

typedef struct {
  gboolean  done;
  gboolean  on_record;
  GError   *error;
  gint64    at;
} OnRecord;

static void
progress_answered (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OnRecord *answer = user_data;

  answer->on_record = jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), result, &answer->error);
  answer->at = g_get_monotonic_time ();
  answer->done = TRUE;
}

static void
wait_answered (OnRecord *answer)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!answer->done && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (20);
  g_assert_true (answer->done);
}

/* Progress asked to be acknowledged (what a runner sends as `submitting`
 * before it lets the engine send): answered once the server stored it;
 * from a server that does not answer (stopped), an error once the time
 * given is up, not a wait as long as the connection lasts. */
static void
test_progress_on_record (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *entry_id = swipe (f, "gh-4");
  g_autofree char *lease = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", entry_id);
  g_autoptr(JsonNode) entry = NULL;
  OnRecord stored = { 0 }, unanswered = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 asked;
  guint status;

  wait_announced (f, entry_id);
  jsw_queue_client_claim_async (f->client, entry_id, NULL, claimed, &lease);
  while (lease == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_nonnull (lease);

  jsw_queue_client_progress_confirmed_async (f->client, lease, 85, JSW_STEP_SUBMITTING, "Sending the application",
                                             5000, NULL, progress_answered, &stored);
  wait_answered (&stored);
  g_assert_no_error (stored.error);
  g_assert_true (stored.on_record);
  entry = jsw_test_http (f->http, f->server, "GET", path, f->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (entry), "progress"),
                                                  "step"), ==, "submitting");

  jsw_test_server_pause (f->server);
  asked = g_get_monotonic_time ();
  jsw_queue_client_progress_confirmed_async (f->client, lease, 85, JSW_STEP_SUBMITTING, "Sending the application",
                                             500, NULL, progress_answered, &unanswered);
  wait_answered (&unanswered);
  jsw_test_server_resume (f->server);
  g_assert_error (unanswered.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_false (unanswered.on_record);
  g_assert_cmpint (unanswered.at - asked, >=, 500 * 1000);
  /* Its ack, come late, is nobody's: no second answer, the stream goes on. */
  unanswered.done = FALSE;
  jsw_test_iterate_for (1000);
  g_assert_false (unanswered.done);
  g_assert_true (jsw_queue_client_is_connected (f->client));
  g_clear_error (&unanswered.error);
}

/* Claimed, then reported: the result reaches the server, and once it is
 * acknowledged the outbox is empty. */
static void
test_claim_and_report (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *entry_id = swipe (f, "gh-2");
  g_autofree char *lease = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  wait_announced (f, entry_id);
  jsw_queue_client_claim_async (f->client, entry_id, NULL, claimed, &lease);
  while (lease == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_nonnull (lease);
  g_assert_cmpstr (server_state (f, entry_id), ==, "claimed");

  jsw_queue_client_progress (f->client, lease, 50, JSW_STEP_FILLING, "Filling in the form");
  jsw_queue_client_result (f->client, lease, JSW_OUTCOME_SUBMITTED, "Thank you for applying", NULL, NULL);
  while (g_strcmp0 (server_state (f, entry_id), "submitted") != 0 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_cmpstr (server_state (f, entry_id), ==, "submitted");

  do
    {
      g_clear_pointer (&outbox, g_ptr_array_unref);
      jsw_test_iterate_for (100);
      outbox = jsw_cache_outbox_list (f->cache);
    }
  while (outbox->len > 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (outbox->len, ==, 0);
}

static void
stop_told (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  int *told = user_data;
  g_autoptr(GError) error = NULL;

  *told = jsw_queue_client_linkedin_stop_finish (JSW_QUEUE_CLIENT (source), result, &error) ? 1 : -1;
  g_assert_no_error (error);
}

/* LinkedIn's security check, reported by the desktop: the server pauses
 * the person's LinkedIn applications for 72 hours (issue 16). */
static void
test_linkedin_stop (Fixture       *f,
                    gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(JsonNode) state = NULL;
  int told = 0;
  guint status;

  jsw_queue_client_linkedin_stop_async (f->client, "checkpoint", NULL, stop_told, &told);
  while (told == 0 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_cmpint (told, ==, 1);
  state = jsw_test_http (f->http, f->server, "GET", "/v1/me/linkedin", f->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (state), "paused"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "pause_reason"), ==, "checkpoint");
}

/* A LinkedIn entry's claim says whether it may be sent without the
 * person's review: not before they opted in (issue 16). */
static void
test_linkedin_claim_reviews (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int offset = 12 - g_date_time_get_hour (now);
  /* a zone where it is about noon: the night rule stays out of the way */
  g_autofree char *zone = g_strdup_printf ("{\"timezone\":\"%c%02d:00\"}", offset > 12 ? '-' : offset < 0 ? '-' : '+',
                                           ABS (offset > 12 ? offset - 24 : offset));
  const char *job = "{\"direction\":\"right\",\"job\":{\"job_id\":\"li-q\",\"title\":\"Engineer\",\"company\":\"Acme\","
                    "\"apply_url\":\"https://www.linkedin.com/jobs/view/42/\"}}";
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(JsonNode) swiped = NULL;
  g_autofree char *lease = NULL;
  const char *entry_id;
  guint status;

  put = jsw_test_http (f->http, f->server, "PUT", "/v1/me/linkedin", f->token, zone, &status);
  g_assert_cmpuint (status, ==, 200);
  swiped = jsw_test_http (f->http, f->server, "POST", "/v1/swipes", f->token, job, &status);
  g_assert_cmpuint (status, ==, 201);
  entry_id = json_object_get_string_member (json_object_get_object_member (json_node_get_object (swiped), "entry"), "id");
  wait_announced (f, entry_id);
  jsw_queue_client_claim_async (f->client, entry_id, NULL, claimed, &lease);
  while (lease == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (50);
  g_assert_nonnull (lease);
  g_assert_false (jsw_queue_client_sends_linkedin_automatically (f->client, lease));
}

/* Started again with the same cache, the client says which seq it has:
 * only what changed since is delivered. */
static void
test_resumes_after_cached_seq (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *first = swipe (f, "gh-3");
  g_autofree char *second = NULL;

  wait_announced (f, first);
  stop_client (f);
  second = swipe (f, "gh-4");
  g_ptr_array_set_size (f->changed, 0);

  start_client (f);
  wait_announced (f, second);
  jsw_test_iterate_for (500);
  g_assert_cmpuint (times_announced (f, first), ==, 0);
  g_assert_cmpuint (times_announced (f, second), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/queue-client/entries-reach-the-cache", Fixture, NULL, fixture_set_up, test_entries_reach_the_cache, fixture_tear_down);
  g_test_add ("/app/queue-client/claim-and-report", Fixture, NULL, fixture_set_up, test_claim_and_report, fixture_tear_down);
  g_test_add ("/app/queue-client/progress-on-record", Fixture, NULL, fixture_set_up, test_progress_on_record, fixture_tear_down);
  g_test_add ("/app/queue-client/linkedin-claim-reviews", Fixture, NULL, fixture_set_up, test_linkedin_claim_reviews, fixture_tear_down);
  g_test_add ("/app/queue-client/linkedin-stop", Fixture, NULL, fixture_set_up, test_linkedin_stop, fixture_tear_down);
  g_test_add ("/app/queue-client/resumes-after-cached-seq", Fixture, NULL, fixture_set_up, test_resumes_after_cached_seq, fixture_tear_down);
  return g_test_run ();
}
