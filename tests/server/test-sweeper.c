/* test-sweeper.c: the sweeper on a real SQLite store: expired leases go
 * back to the queue and are published, the event log is trimmed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-sqlite-store.h"
#include "jsw-sweeper.h"
#include "jsw-test-subscriber.h"
#include "jsw-test-util.h"

/* 2026-11-28T12:00:00Z */
#define NOON G_GINT64_CONSTANT (1795867200000000)
#define SEC  G_USEC_PER_SEC

typedef struct {
  char            *dir;
  char            *path;
  JswStore        *store;
  JswMetrics      *metrics;
  JswHub          *hub;
  JswServerConfig  config;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-sweeper-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->store = jsw_sqlite_store_open (f->path, &error);
  g_assert_no_error (error);
  f->metrics = jsw_metrics_new ();
  f->hub = jsw_hub_new (f->metrics);
  jsw_server_config_init_defaults (&f->config);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->hub);
  g_clear_object (&f->metrics);
  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
add_user (Fixture    *f,
          const char *email)
{
  g_autoptr(GError) error = NULL;
  char *user_id = jsw_store_create_user (f->store, email, "pro", NULL, NOON, &error);

  g_assert_no_error (error);
  return user_id;
}

/* Swipes right on @job_id; the changes are published if @hub is given. */
static JswEntry *
swipe (Fixture    *f,
       const char *user_id,
       const char *job_id,
       JswHub     *hub)
{
  g_autofree char *json = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"T\",\"company\":\"C\","
                                           "\"apply_url\":\"https://c.example/%s\"}", job_id, job_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswJob) job = jsw_job_new_from_json (json, &error);
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  gboolean created;
  JswEntry *entry;

  g_assert_no_error (error);
  entry = jsw_store_swipe_right (f->store, user_id, job, NOON, &created, events, &error);
  g_assert_no_error (error);
  if (hub != NULL)
    jsw_hub_publish (hub, events);
  return entry;
}

/* A worker claims @entry for @ttl µs from @now; returns the lease. */
static char *
claim (Fixture  *f,
       JswEntry *entry,
       gint64    ttl,
       gint64    now)
{
  JswAuth runner = { NULL, JSW_KIND_SERVER, (char *) "w1", (char *) "hash-w1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  char *lease = NULL;
  gint64 expires;

  claimed = jsw_store_claim (f->store, &runner, entry->id, ttl, now, &lease, &expires, NULL, &error);
  g_assert_no_error (error);
  return lease;
}

static JswState
state_of (Fixture    *f,
          const char *user_id,
          const char *entry_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) entry = jsw_store_get_entry (f->store, user_id, entry_id, &error);

  g_assert_no_error (error);
  return entry->state;
}

static void
test_expired_lease (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *user = add_user (f, "ann@example.com");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(JswEntry) entry = swipe (f, user, "j1", NULL);
  g_autoptr(JswTestSubscriber) device = jsw_test_subscriber_new (f->hub, channel);
  g_autoptr(JswTestSubscriber) worker = jsw_test_subscriber_new (f->hub, JSW_STORE_WORKERS_CHANNEL);
  g_autoptr(JswSweeper) sweeper = jsw_sweeper_new (f->store, f->hub, f->metrics, &f->config);
  g_autofree char *lease = claim (f, entry, 10 * SEC, NOON);

  /* Still alive: nothing happens. */
  g_assert_cmpuint (jsw_sweeper_sweep (sweeper, NOON + 9 * SEC), ==, 0);
  g_assert_cmpint (state_of (f, user, entry->id), ==, JSW_STATE_CLAIMED);
  g_assert_cmpuint (device->frames->len, ==, 0);

  /* Expired: back in the queue, and everyone watching is told so. */
  g_assert_cmpuint (jsw_sweeper_sweep (sweeper, NOON + 10 * SEC), ==, 1);
  g_assert_cmpint (state_of (f, user, entry->id), ==, JSW_STATE_QUEUED);
  g_assert_cmpuint (device->frames->len, ==, 1);
  g_assert_cmpuint (worker->frames->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (device->frames, 0), "\"state\":\"queued\""));
  g_assert_true (jsw_test_metrics_say (f->metrics, "jobswipe_lease_expiries_total 1"));

  /* Once only. */
  g_assert_cmpuint (jsw_sweeper_sweep (sweeper, NOON + 11 * SEC), ==, 0);
  g_assert_cmpuint (device->frames->len, ==, 1);

  jsw_hub_unsubscribe (f->hub, channel, JSW_HUB_SUBSCRIBER (device));
  jsw_hub_unsubscribe (f->hub, JSW_STORE_WORKERS_CHANNEL, JSW_HUB_SUBSCRIBER (worker));
}

static gboolean
can_resume_from (Fixture    *f,
                 const char *channel,
                 gint64      since)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean too_old = FALSE;

  events = jsw_store_events_since (f->store, channel, since, 0, FALSE, &too_old, &error);
  g_assert_no_error (error);
  return !too_old;
}

/* A channel published on is trimmed at the next sweep; one changed behind
 * the hub's back (another process) at the 60th. */
static void
test_event_log_trimmed (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *ann = add_user (f, "ann@example.com");
  g_autofree char *bob = add_user (f, "bob@example.com");
  g_autofree char *ann_channel = jsw_store_user_channel (ann);
  g_autofree char *bob_channel = jsw_store_user_channel (bob);
  g_autoptr(JswSweeper) sweeper = NULL;

  f->config.events_kept = 2;
  sweeper = jsw_sweeper_new (f->store, f->hub, f->metrics, &f->config);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *job_id = g_strdup_printf ("j%u", i);
      g_autoptr(JswEntry) published = swipe (f, ann, job_id, f->hub);
      g_autoptr(JswEntry) unpublished = swipe (f, bob, job_id, NULL);
    }
  g_assert_true (can_resume_from (f, ann_channel, 0));

  jsw_sweeper_sweep (sweeper, NOON + SEC);
  g_assert_false (can_resume_from (f, ann_channel, 2));
  g_assert_true (can_resume_from (f, ann_channel, 3));
  g_assert_true (can_resume_from (f, bob_channel, 0));

  for (guint i = 2; i <= 60; i++)
    jsw_sweeper_sweep (sweeper, NOON + i * SEC);
  g_assert_false (can_resume_from (f, bob_channel, 2));
  g_assert_true (can_resume_from (f, bob_channel, 3));
}

/* Started, it sweeps on its own every sweep_interval_ms. */
static void
test_timer (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *user = add_user (f, "ann@example.com");
  g_autofree char *channel = jsw_store_user_channel (user);
  g_autoptr(JswEntry) entry = swipe (f, user, "j1", NULL);
  g_autoptr(JswTestSubscriber) device = jsw_test_subscriber_new (f->hub, channel);
  g_autoptr(JswSweeper) sweeper = NULL;
  g_autofree char *lease = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * SEC;

  f->config.sweep_interval_ms = 20;
  sweeper = jsw_sweeper_new (f->store, f->hub, f->metrics, &f->config);
  lease = claim (f, entry, 1, g_get_real_time ());

  jsw_sweeper_start (sweeper);
  while (device->frames->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (device->frames->len, ==, 1);
  g_assert_cmpint (state_of (f, user, entry->id), ==, JSW_STATE_QUEUED);

  /* Stopped, it leaves the next expired lease alone. */
  jsw_sweeper_stop (sweeper);
  g_clear_pointer (&lease, g_free);
  lease = claim (f, entry, 1, g_get_real_time ());
  deadline = g_get_monotonic_time () + 200 * 1000;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (device->frames->len, ==, 1);
  g_assert_cmpint (state_of (f, user, entry->id), ==, JSW_STATE_CLAIMED);
  jsw_hub_unsubscribe (f->hub, channel, JSW_HUB_SUBSCRIBER (device));
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/sweeper/expired-lease-requeued-and-published", test_expired_lease);
  ADD ("/sweeper/event-log-trimmed", test_event_log_trimmed);
  ADD ("/sweeper/timer", test_timer);
  return g_test_run ();
}
