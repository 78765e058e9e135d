/* test-feed.c: the job feed against a real jobswipe-server and a fake
 * job board: syncing on a schedule and on demand (the schedule kept across
 * a restart), boards that fail, closed postings purged, the search's
 * filters, the order, and paging while postings arrive (docs/server.md
 * "The job feed"). Swipes by posting and likely duplicates:
 * test-feed-swipes.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-feed-fixture.h"
#include "jsw-feed-syncer.h"

typedef JswFeedFixture Fixture;

static void
test_scheduled_sync_and_metrics (Fixture       *f,
                                 gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* Added while the server runs: picked up within seconds. A board that
   * does not exist (404) fails on its own. */
  jsw_feed_add_source (f, "greenhouse", "acme");
  jsw_feed_add_source (f, "lever", "acme");
  jsw_feed_add_source (f, "lever", "nobody");
  while (jsw_feed_metric (f, "jobswipe_source_syncs_total{source=\"lever:acme\"} ") < 2 ||
         jsw_feed_metric (f, "jobswipe_source_sync_errors_total{source=\"lever:nobody\"} ") < 2 ||
         jsw_feed_metric (f, "jobswipe_source_syncs_total{source=\"greenhouse:acme\"} ") < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  g_assert_cmpint (jsw_feed_metric (f, "jobswipe_source_sync_errors_total{source=\"lever:acme\"} "), ==, 0);
  g_assert_cmpint (jsw_feed_metric (f, "jobswipe_source_postings{source=\"greenhouse:acme\"} "), ==, 220);
  g_assert_cmpint (jsw_feed_metric (f, "jobswipe_source_postings{source=\"lever:acme\"} "), ==, 40);
  g_assert_cmpint (jsw_feed_metric (f, "jobswipe_source_postings{source=\"lever:nobody\"} "), ==, 0);
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

  jsw_feed_add_and_sync_all (f);
  before = jsw_feed_open_postings (f);
  g_assert_cmpint (before, ==, 220 + 40 + 28 + 25);

  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autoptr(JsonObject) out = NULL;
      g_autofree char *log = NULL;
      g_autoptr(JsonObject) listed = NULL;
      JsonObject *greenhouse;
      JsonArray *synced;

      jsw_fake_board_set_mode (f->board, failures[i].mode);
      g_assert_cmpint (jsw_feed_sync_now (f, "1", &out, &log), ==, 1);
      g_test_message ("%s", log);
      g_assert_nonnull (strstr (log, "\"event\":\"source.sync_failed\""));
      g_assert_nonnull (strstr (log, failures[i].said));
      synced = json_object_get_array_member (out, "synced");
      g_assert_false (json_object_get_boolean_member (json_array_get_object_element (synced, 0), "ok"));
      g_assert_cmpint (jsw_feed_open_postings (f), ==, before);

      listed = jsw_test_server_cli (f->server, NULL, "source", "list", NULL);
      greenhouse = json_array_get_object_element (json_object_get_array_member (listed, "sources"), 0);
      g_assert_cmpint (json_object_get_int_member (greenhouse, "failures"), ==, i + 1);
      g_assert_nonnull (strstr (json_object_get_string_member (greenhouse, "last_error"), failures[i].said));
      g_assert_cmpint (json_object_get_int_member (greenhouse, "open_postings"), ==, 220);
    }

  /* The server never noticed. */
  jsw_fake_board_set_mode (f->board, JSW_FAKE_BOARD_NORMAL);
  {
    g_autoptr(GPtrArray) feed = jsw_feed_walk (f, f->alice, 100);

    g_assert_cmpuint (feed->len, ==, jsw_feed_groups (f));
  }
  g_assert_cmpint (jsw_feed_sync_now (f, "1", NULL, NULL), ==, 0);
}

/* The first posting of the Lever fixture: a Product Designer. */
#define LEVER_FIRST "lever:acme:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b"

/* The board of @kind (Greenhouse or Lever) lists its postings but
 * those with these job_ids from now on. */
static void
board_without (Fixture            *f,
               const char         *kind,
               const char *const  *job_ids)
{
  gboolean lever = g_str_equal (kind, "lever");
  g_autofree char *dir = jsw_fake_board_fixtures_dir ();
  g_autofree char *path = lever ? g_build_filename (dir, "lever", "acme.json", NULL)
                                : g_build_filename (dir, "greenhouse", "acme", "jobs.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *shorter = NULL;
  JsonNode *root;
  JsonArray *list;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_parser_get_root (parser);
  list = lever ? json_node_get_array (root) : json_object_get_array_member (json_node_get_object (root), "jobs");
  for (guint i = json_array_get_length (list); i-- > 0;)
    {
      JsonNode *id = json_object_get_member (json_array_get_object_element (list, i), "id");
      g_autofree char *id_text = lever ? g_strdup (json_node_get_string (id))
                                       : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
      g_autofree char *job_id = g_strconcat (kind, ":acme:", id_text, NULL);

      if (g_strv_contains (job_ids, job_id))
        json_array_remove_element (list, i);
    }
  json_generator_set_root (generator, root);
  shorter = json_generator_to_data (generator, NULL);
  jsw_fake_board_override (f->board, lever ? "/v0/postings/acme" : "/v1/boards/acme/jobs", shorter);
}

/* The board of @kind (Greenhouse, the source 1, or Lever, 2) drops the
 * postings with these job_ids, and a sync closes them. */
static void
drop_postings (Fixture            *f,
               const char         *kind,
               const char *const  *job_ids)
{
  g_autoptr(JsonObject) out = NULL;

  board_without (f, kind, job_ids);
  g_assert_cmpint (jsw_feed_sync_now (f, g_str_equal (kind, "lever") ? "2" : "1", &out, NULL), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (out, "synced"), 0), "closed"), ==, g_strv_length ((GStrv) job_ids));
}

static void
test_gone_posting_leaves_feed (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *entry_path = NULL;
  const char *gone = LEVER_FIRST;
  g_autofree char *posting_id = NULL;

  jsw_feed_add_and_sync_all (f);
  before = jsw_feed_walk (f, f->alice, 100);
  posting_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                jsw_test_db_int (f->server->db_path, "SELECT id FROM postings WHERE job_id = ?1", gone));
  /* Bob applies to it. */
  entry = jsw_feed_swipe (f, f->bob, "right", posting_id, FALSE, 201);
  entry_path = g_strconcat ("/v1/queue/", json_object_get_string_member (
                              json_object_get_object_member (json_node_get_object (entry), "entry"), "id"), NULL);

  {
    const char *const dropped[] = { gone, NULL };

    drop_postings (f, "lever", dropped);
  }

  after = jsw_feed_walk (f, f->alice, 100);
  g_assert_null (jsw_feed_find_job (after, gone));
  g_assert_cmpuint (after->len, ==, jsw_feed_groups (f));
  /* A swipe on it now finds it gone. */
  {
    g_autoptr(JsonNode) refused = jsw_feed_swipe (f, f->alice, "right", posting_id, FALSE, 404);

    g_assert_cmpstr (jsw_test_error_code (refused), ==, "not_found");
  }
  /* Bob's entry keeps its snapshot. */
  again = jsw_feed_get (f, entry_path, f->bob, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (again), "snapshot"),
                                                  "title"), ==, "Product Designer");
}

/* Closed postings are purged after the grace period, a group of likely
 * duplicates at a time: a job posted once goes, with the left swipes on
 * it, while an entry on it keeps its snapshot; a closed copy of a job
 * still open elsewhere stays, and Alice's left swipe on it still hides
 * the open copies. */
static void
test_closed_postings_purged (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  g_autoptr(JswPostingRecord) single = NULL;
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) left = NULL;
  g_autoptr(JsonNode) left_copy = NULL;
  g_autofree char *entry_path = NULL;
  g_autofree char *single_id = NULL;
  g_autofree char *copy_id = NULL;
  const char *in_group = "SELECT count(*) FROM postings WHERE group_id = (SELECT group_id FROM postings WHERE id = ?1)";
  gint64 open_groups;
  guint purged = 0;

  jsw_feed_add_and_sync_all (f);
  store = jsw_test_store_open (f->server->db_path, &error);
  g_assert_no_error (error);
  /* A Greenhouse job posted nowhere else, and a Lever one with copies on
   * other boards. */
  single_id = g_strdup_printf ("%" G_GINT64_FORMAT, jsw_test_db_int (f->server->db_path,
    "SELECT min(p.id) FROM postings p JOIN sources s ON s.id = p.source_id WHERE s.kind = ?1"
    " AND (SELECT count(*) FROM postings q WHERE q.group_id = p.group_id) = 1", "greenhouse"));
  copy_id = g_strdup_printf ("%" G_GINT64_FORMAT, jsw_test_db_int (f->server->db_path,
                                                                   "SELECT id FROM postings WHERE job_id = ?1",
                                                                   LEVER_FIRST));
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, in_group, copy_id), >, 1);
  single = jsw_store_get_posting (store, g_ascii_strtoll (single_id, NULL, 10), &error);
  g_assert_no_error (error);

  entry = jsw_feed_swipe (f, f->bob, "right", single_id, FALSE, 201);
  entry_path = g_strconcat ("/v1/queue/", json_object_get_string_member (
                              json_object_get_object_member (json_node_get_object (entry), "entry"), "id"), NULL);
  left = jsw_feed_swipe (f, f->alice, "left", single_id, FALSE, 204);
  left_copy = jsw_feed_swipe (f, f->alice, "left", copy_id, FALSE, 204);
  {
    const char *const single_dropped[] = { single->job_id, NULL };
    const char *const copy_dropped[] = { LEVER_FIRST, NULL };

    drop_postings (f, "greenhouse", single_dropped);
    drop_postings (f, "lever", copy_dropped);
  }
  open_groups = jsw_feed_groups (f);

  /* Within the grace period: kept. */
  g_assert_true (jsw_store_purge_closed_postings (store, g_get_real_time () - JSW_CLOSED_POSTINGS_KEPT, &purged,
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 0);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, in_group, single_id), ==, 1);

  /* Past it: the job posted once is gone, and Alice's left swipe on it;
   * the closed copy stays while its group is open elsewhere. */
  g_assert_true (jsw_store_purge_closed_postings (store, g_get_real_time () + G_USEC_PER_SEC, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 1);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings WHERE id = ?1", single_id),
                   ==, 0);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings WHERE id = ?1", copy_id),
                   ==, 1);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM posting_left_swipes WHERE user_id = ?1",
                                    f->alice_id), ==, 1);
  g_assert_cmpint (jsw_feed_groups (f), ==, open_groups);
  {
    g_autoptr(GPtrArray) alices = jsw_feed_walk (f, f->alice, 100);
    g_autoptr(GPtrArray) bobs = jsw_feed_walk (f, f->bob, 100);

    /* Alice still passes on the copies; Bob, who applied to the job
     * purged, sees every group. */
    g_assert_cmpuint (alices->len, ==, open_groups - 1);
    g_assert_cmpuint (bobs->len, ==, open_groups);
  }
  /* Bob's entry keeps its snapshot; the posting is no more. */
  again = jsw_feed_get (f, entry_path, f->bob, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (again), "snapshot"),
                                                  "job_id"), ==, single->job_id);
  {
    g_autoptr(JsonNode) refused = jsw_feed_swipe (f, f->alice, "right", single_id, FALSE, 404);
  }
}

/* The purge runs in the serving process on its own schedule (every hour,
 * or every --purge-closed-after when that is shorter): no command, no
 * call of the test's. A posting its board drops is closed by the
 * scheduled sync, kept for the grace period, then purged with the left
 * swipe on it while an entry keeps its snapshot; listed again later, it is
 * a new posting. */
static const char *const purge_soon_args[] = { "--sync-interval", "1", "--sync-timeout", "1", "--sync-backoff", "1",
                                               "--purge-closed-after", "3", NULL };
/* The same where an operator syncs (`source sync`, the server started with
 * --sync-interval 0): the serving process still purges. */
static const char *const purge_soon_manual_args[] = { "--sync-interval", "0", "--purge-closed-after", "3", NULL };

static void
sync_if_manual (Fixture       *f,
                gconstpointer  args)
{
  if (args == purge_soon_manual_args)
    g_assert_cmpint (jsw_feed_sync_now (f, NULL, NULL, NULL), ==, 0);
}


static void
test_purged_on_schedule (Fixture       *f,
                         gconstpointer  data)
{
  const char *by_id = "SELECT count(*) FROM postings WHERE id = ?1";
  const char *by_job = "SELECT count(*) FROM postings WHERE job_id = ?1";
  g_autofree char *posting_id = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *entry_path = NULL;
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) left = NULL;
  g_autoptr(JsonNode) kept = NULL;
  gint64 closed_at;

  /* Synced by the server's own schedule; or by the operator's `source sync`
   * where the server does not sync (sync_if_manual). */
  jsw_feed_add_source (f, "lever", "acme");
  sync_if_manual (f, data);
  jsw_feed_wait_for_count (f, "SELECT count(*) FROM postings WHERE open AND job_id = ?1", LEVER_FIRST, 1);
  posting_id = g_strdup_printf ("%" G_GINT64_FORMAT, jsw_test_db_int (f->server->db_path,
    "SELECT min(p.id) FROM postings p WHERE (SELECT count(*) FROM postings q WHERE q.group_id = p.group_id) = 1",
    NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JswStore) store = jsw_test_store_open (f->server->db_path, &error);
    g_autoptr(JswPostingRecord) record = NULL;

    g_assert_no_error (error);
    record = jsw_store_get_posting (store, g_ascii_strtoll (posting_id, NULL, 10), &error);
    g_assert_no_error (error);
    job_id = g_strdup (record->job_id);
  }
  entry = jsw_feed_swipe (f, f->bob, "right", posting_id, FALSE, 201);
  entry_path = g_strconcat ("/v1/queue/", json_object_get_string_member (
                              json_object_get_object_member (json_node_get_object (entry), "entry"), "id"), NULL);
  left = jsw_feed_swipe (f, f->alice, "left", posting_id, FALSE, 204);

  /* The board drops it: the next scheduled sync closes it. */
  {
    const char *const dropped[] = { job_id, NULL };

    board_without (f, "lever", dropped);
  }
  sync_if_manual (f, data);
  jsw_feed_wait_for_count (f, "SELECT count(*) FROM postings WHERE NOT open AND id = ?1", posting_id, 1);
  closed_at = jsw_test_db_int (f->server->db_path, "SELECT closed_at FROM postings WHERE id = ?1", posting_id);
  g_assert_cmpint (closed_at, >, 0);

  /* Then the server purges it, not before its 3 s of grace. */
  jsw_feed_wait_for_count (f, by_id, posting_id, 0);
  g_assert_cmpint (g_get_real_time () - closed_at, >=, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM posting_left_swipes WHERE user_id = ?1",
                                    f->alice_id), ==, 0);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings WHERE open", NULL), >, 0);
  kept = jsw_feed_get (f, entry_path, f->bob, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (kept),
                                                                                 "snapshot"), "job_id"), ==, job_id);

  /* Listed again, it comes back as a new posting. */
  jsw_fake_board_override (f->board, "/v0/postings/acme", NULL);
  sync_if_manual (f, data);
  jsw_feed_wait_for_count (f, by_job, job_id, 1);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, by_id, posting_id), ==, 0);
}

/* The sync schedule is in the store: a restarted server syncs neither a
 * source synced a moment ago nor a failing one still in its backoff. */
static const char *const long_schedule_args[] = { "--sync-interval", "120", "--sync-timeout", "1",
                                                  "--sync-backoff", "60", NULL };

static void
test_schedule_survives_restart (Fixture       *f,
                                gconstpointer  data)
{
  const char *next_sync = "SELECT coalesce(next_sync_at, 0) FROM sources WHERE board = ?1";
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 now = g_get_real_time ();
  gint64 acme_next, nobody_next;
  guint acme_requests, nobody_requests;

  jsw_feed_add_source (f, "lever", "acme");
  jsw_feed_add_source (f, "lever", "nobody");
  while (jsw_feed_metric (f, "jobswipe_source_syncs_total{source=\"lever:acme\"} ") < 1 ||
         jsw_feed_metric (f, "jobswipe_source_sync_errors_total{source=\"lever:nobody\"} ") < 1 ||
         jsw_test_db_int (f->server->db_path, next_sync, "nobody") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  /* Planned: the interval give or take a tenth; the backoff after one failure. */
  acme_next = jsw_test_db_int (f->server->db_path, next_sync, "acme");
  nobody_next = jsw_test_db_int (f->server->db_path, next_sync, "nobody");
  g_assert_cmpint (acme_next, >=, now + 100 * G_USEC_PER_SEC);
  g_assert_cmpint (acme_next, <=, g_get_real_time () + 140 * G_USEC_PER_SEC);
  g_assert_cmpint (nobody_next, >=, now + 55 * G_USEC_PER_SEC);
  g_assert_cmpint (nobody_next, <=, g_get_real_time () + 60 * G_USEC_PER_SEC);
  acme_requests = jsw_fake_board_requests (f->board, "/v0/postings/acme");
  nobody_requests = jsw_fake_board_requests (f->board, "/v0/postings/nobody");
  g_assert_cmpuint (acme_requests, >=, 1);
  g_assert_cmpuint (nobody_requests, >=, 1);

  jsw_test_server_stop (f->server);
  jsw_test_server_restart (f->server);
  /* Before, a restart synced every source within its first second. */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (jsw_fake_board_requests (f->board, "/v0/postings/acme"), ==, acme_requests);
  g_assert_cmpuint (jsw_fake_board_requests (f->board, "/v0/postings/nobody"), ==, nobody_requests);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "acme"), ==, acme_next);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "nobody"), ==, nobody_next);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT failures FROM sources WHERE board = ?1", "nobody"),
                   ==, 1);
}

static gint64
source_id_of (Fixture    *f,
              const char *board)
{
  return jsw_test_db_int (f->server->db_path, "SELECT id FROM sources WHERE board = ?1", board);
}

/* A sync claims its source: whoever claims it first syncs it; the others
 * do not until the hold runs out; an operator's claim takes it whatever
 * the plan. */
static void
test_claim_source (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_test_store_open (f->server->db_path, &error);
  gint64 now = g_get_real_time ();
  gint64 hold = now + 60 * G_USEC_PER_SEC;
  gint64 id;
  gboolean claimed;

  g_assert_no_error (error);
  jsw_feed_add_source (f, "lever", "acme");
  id = source_id_of (f, "acme");

  /* Never planned: due. */
  g_assert_true (jsw_store_claim_source (store, id, now, hold, &claimed, &error));
  g_assert_no_error (error);
  g_assert_true (claimed);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT next_sync_at FROM sources WHERE board = ?1", "acme"),
                   ==, hold);
  /* Held: nobody else until then, then whoever comes first. */
  g_assert_true (jsw_store_claim_source (store, id, now + G_USEC_PER_SEC, hold, &claimed, &error));
  g_assert_false (claimed);
  g_assert_true (jsw_store_claim_source (store, id, hold, hold + 60 * G_USEC_PER_SEC, &claimed, &error));
  g_assert_true (claimed);
  g_assert_true (jsw_store_claim_source (store, id, hold, hold + 60 * G_USEC_PER_SEC, &claimed, &error));
  g_assert_false (claimed);
  /* An operator's sync takes it whatever the plan. */
  g_assert_true (jsw_store_claim_source (store, id, G_MAXINT64, now + 5, &claimed, &error));
  g_assert_true (claimed);
  /* No such source: nothing claimed, nothing wrong. */
  g_assert_true (jsw_store_claim_source (store, id + 1000, G_MAXINT64, now, &claimed, &error));
  g_assert_no_error (error);
  g_assert_false (claimed);
}

/* Two syncers on one store (as two server processes on one database),
 * each finding a new source due within its first second: one syncs it,
 * once, and the other follows the plan that sync made. The board is slow
 * (300 ms an answer), so that without the claim both syncs would run. */
static void
test_one_syncer_per_due_source (Fixture       *f,
                                gconstpointer  data)
{
  const gboolean pg = jsw_test_uses_postgresql ();
  const char *next_sync = "SELECT coalesce(next_sync_at, 0) FROM sources WHERE board = ?1";
  g_autoptr(JswFeedSyncer) one = NULL;
  g_autoptr(JswFeedSyncer) other = NULL;
  JswFeedSyncerConfig config;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 planned;

  jsw_feed_syncer_config_init_defaults (&config);
  config.interval_s = 120;
  config.timeout_s = 2;
  one = jsw_feed_syncer_new (pg ? NULL : f->server->db_path, pg ? f->server->db_path : NULL, &config);
  other = jsw_feed_syncer_new (pg ? NULL : f->server->db_path, pg ? f->server->db_path : NULL, &config);
  jsw_fake_board_set_delay_ms (f->board, 300);
  jsw_feed_syncer_start (one);
  jsw_feed_syncer_start (other);

  jsw_feed_add_source (f, "lever", "acme");
  while (jsw_test_db_int (f->server->db_path, next_sync, "acme") == 0 ||
         jsw_test_db_int (f->server->db_path, "SELECT count(*) FROM postings", NULL) == 0 ||
         jsw_fake_board_requests (f->board, "/v0/postings/acme") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
  /* Both have looked again at least twice since (they list every second). */
  g_usleep (3 * G_USEC_PER_SEC);
  jsw_feed_syncer_stop (one);
  jsw_feed_syncer_stop (other);

  g_assert_cmpuint (jsw_fake_board_requests (f->board, "/v0/postings/acme"), ==, 1);
  planned = jsw_test_db_int (f->server->db_path, next_sync, "acme");
  g_assert_cmpint (planned, >=, g_get_real_time () + 100 * G_USEC_PER_SEC);
  g_assert_cmpint (planned, <=, g_get_real_time () + 133 * G_USEC_PER_SEC);
}

/* An operator's `source sync` plans the next scheduled sync, as the
 * schedule would have after its own sync: the interval (give or take a
 * tenth) after a success, the backoff after a failure, so that a server
 * does not sync the source again right after. */
static void
test_manual_sync_plans_next (Fixture       *f,
                             gconstpointer  data)
{
  const char *next_sync = "SELECT coalesce(next_sync_at, 0) FROM sources WHERE board = ?1";
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *log = NULL;
  gint64 before = g_get_real_time ();

  jsw_feed_add_source (f, "lever", "acme");
  jsw_feed_add_source (f, "lever", "nobody");
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "acme"), ==, 0);

  g_assert_cmpint (jsw_feed_sync_now (f, NULL, &out, &log), ==, 1);  /* nobody failed */
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "acme"), >=, before + 1619 * G_USEC_PER_SEC);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "acme"), <=,
                   g_get_real_time () + 1981 * G_USEC_PER_SEC);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "nobody"), >=, before + 60 * G_USEC_PER_SEC);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "nobody"), <=,
                   g_get_real_time () + 60 * G_USEC_PER_SEC);

  /* The second failure in a row waits twice as long. */
  g_clear_pointer (&out, json_object_unref);
  g_clear_pointer (&log, g_free);
  before = g_get_real_time ();
  g_assert_cmpint (jsw_feed_sync_now (f, NULL, &out, &log), ==, 1);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, "SELECT failures FROM sources WHERE board = ?1", "nobody"),
                   ==, 2);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "nobody"), >=, before + 120 * G_USEC_PER_SEC);
  g_assert_cmpint (jsw_test_db_int (f->server->db_path, next_sync, "nobody"), <=,
                   g_get_real_time () + 120 * G_USEC_PER_SEC);
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

  jsw_feed_put_search (f, f->alice, search);
  feed = jsw_feed_walk (f, f->alice, 9);
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

  jsw_feed_add_and_sync_all (f);
  everything = jsw_feed_walk (f, f->alice, 100);

  /* Keywords: title matches first, then description only; a word in
   * most postings and one in a few (each matched its own way). */
  assert_keyword_tiers (f, "{\"keywords\": [\"engineer\"]}", "engineer", everything->len);
  assert_keyword_tiers (f, "{\"keywords\": [\"backend\"]}", "backend", everything->len);
  assert_keyword_tiers (f, "{\"keywords\": [\"PRIVACY\"]}", "privacy", everything->len);

  /* Remote only. */
  jsw_feed_put_search (f, f->alice, "{\"remote_only\": true}");
  {
    g_autoptr(GPtrArray) feed = jsw_feed_walk (f, f->alice, 50);

    g_assert_cmpuint (feed->len, >, 0);
    for (guint i = 0; i < feed->len; i++)
      g_assert_true (json_object_get_boolean_member (json_object_get_object_member (feed->pdata[i], "extra"), "remote"));
  }

  /* Locations: any case, accents ignored, part of a place's name. */
  jsw_feed_put_search (f, f->alice, "{\"locations\": [\"ZURICH\", \"lisbon\"]}");
  {
    g_autoptr(GPtrArray) feed = jsw_feed_walk (f, f->alice, 50);

    g_assert_cmpuint (feed->len, >, 0);
    for (guint i = 0; i < feed->len; i++)
      g_assert_true (contains_word (feed->pdata[i], "location", "zürich") ||
                     contains_word (feed->pdata[i], "location", "lisbon"));
  }

  /* Employment types, companies and words left out. */
  jsw_feed_put_search (f, f->alice, "{\"employment_types\": [\"internship\"], \"exclude_companies\": [\"ACME GMBH\"],"
                           " \"exclude_keywords\": [\"kafka\"]}");
  {
    g_autoptr(GPtrArray) feed = jsw_feed_walk (f, f->alice, 50);

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
    g_autoptr(JsonNode) saved = jsw_feed_get (f, "/v1/me/search", f->alice, 200);
    g_autoptr(JsonNode) bobs = jsw_feed_get (f, "/v1/me/search", f->bob, 200);
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
        g_autoptr(JsonNode) still = jsw_feed_get (f, "/v1/me/search", f->alice, 200);

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

  jsw_feed_add_source (f, "greenhouse", "acme");
  jsw_feed_add_source (f, "personio", "acme");
  g_assert_cmpint (jsw_feed_sync_now (f, "1", NULL, NULL), ==, 0);
  whole = jsw_feed_walk (f, f->alice, 100);
  assert_ordered (whole);

  /* Page by 13; after the second page, a board's postings arrive. */
  for (;;)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/feed?limit=13&cursor=%s", cursor)
                                     : g_strdup ("/v1/feed?limit=13");
      g_autoptr(JsonNode) node = jsw_feed_get (f, path, f->alice, 200);
      JsonObject *answer = json_node_get_object (node);
      JsonArray *items = json_object_get_array_member (answer, "postings");

      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (walked, json_object_ref (json_array_get_object_element (items, i)));
      if (++pages == 2)
        g_assert_cmpint (jsw_feed_sync_now (f, "2", NULL, NULL), ==, 0);
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

  jsw_feed_add_and_sync_all (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) refused = jsw_feed_get (f, bad[i], f->alice, 400);

      g_assert_cmpstr (jsw_test_error_code (refused), ==, "invalid");
    }

  /* A cursor of the search before is told so. */
  first = jsw_feed_get (f, "/v1/feed?limit=5", f->alice, 200);
  path = g_strconcat ("/v1/feed?limit=5&cursor=",
                      json_object_get_string_member (json_node_get_object (first), "next_cursor"), NULL);
  jsw_feed_put_search (f, f->alice, "{\"keywords\": [\"engineer\"]}");
  stale = jsw_feed_get (f, path, f->alice, 409);
  g_assert_cmpstr (jsw_test_error_code (stale), ==, "conflict");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) g_test_add (path, Fixture, args, jsw_feed_fixture_set_up, func, jsw_feed_fixture_tear_down)
  ADD ("/feed/sync/scheduled-with-metrics", jsw_feed_scheduled_args, test_scheduled_sync_and_metrics);
  ADD ("/feed/sync/failing-board-keeps-its-postings", jsw_feed_manual_args, test_failing_board_keeps_postings);
  ADD ("/feed/sync/gone-posting-leaves-the-feed", jsw_feed_manual_args, test_gone_posting_leaves_feed);
  ADD ("/feed/sync/closed-postings-purged", jsw_feed_manual_args, test_closed_postings_purged);
  ADD ("/feed/sync/purged-on-schedule", purge_soon_args, test_purged_on_schedule);
  ADD ("/feed/sync/purged-without-scheduled-syncs", purge_soon_manual_args, test_purged_on_schedule);
  ADD ("/feed/sync/schedule-survives-a-restart", long_schedule_args, test_schedule_survives_restart);
  ADD ("/feed/sync/claim", jsw_feed_manual_args, test_claim_source);
  ADD ("/feed/sync/one-syncer-per-due-source", jsw_feed_manual_args, test_one_syncer_per_due_source);
  ADD ("/feed/sync/manual-sync-plans-next", jsw_feed_manual_args, test_manual_sync_plans_next);
  ADD ("/feed/search/filters", jsw_feed_manual_args, test_search_filters);
  ADD ("/feed/paging/while-postings-arrive", jsw_feed_manual_args, test_paging_while_postings_arrive);
  ADD ("/feed/paging/bad-requests", jsw_feed_manual_args, test_bad_page_requests);
#undef ADD

  return g_test_run ();
}
