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
  g_test_add ("/app/queue-client/resumes-after-cached-seq", Fixture, NULL, fixture_set_up, test_resumes_after_cached_seq, fixture_tear_down);
  return g_test_run ();
}
