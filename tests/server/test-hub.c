/* test-hub.c: the hub on its own: who is pushed what, and subscribers that
 * leave while a change is being pushed
 *
 * The subscribers are JswTestSubscriber, a small real implementation of
 * JswHubSubscriber that keeps what it is pushed (the stream connection is
 * the other).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-store.h"
#include "jsw-test-subscriber.h"
#include "jsw-test-util.h"

static GPtrArray *
events_of (const char *channel,
           gint64      first_seq,
           guint       n)
{
  GPtrArray *events = jsw_event_list_new ();

  for (guint i = 0; i < n; i++)
    {
      JswEvent *event = g_new0 (JswEvent, 1);

      event->channel = g_strdup (channel);
      event->seq = first_seq + i;
      event->entry_json = g_strdup_printf ("{\"id\":\"e%" G_GINT64_FORMAT "\"}", event->seq);
      g_ptr_array_add (events, event);
    }
  return events;
}

static void
test_channel_only (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  g_autoptr(JswTestSubscriber) phone = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(JswTestSubscriber) laptop = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(JswTestSubscriber) bob = jsw_test_subscriber_new (hub, "u:bob");
  g_autoptr(JswTestSubscriber) worker = jsw_test_subscriber_new (hub, JSW_STORE_WORKERS_CHANNEL);
  g_autoptr(GPtrArray) events = events_of ("u:alice", 7, 2);

  jsw_hub_publish (hub, events);

  /* Every device of Alice's is pushed both changes, in order, as `entry`
   * frames; nobody else is pushed anything. */
  for (guint i = 0; i < 2; i++)
    {
      JswTestSubscriber *device = i == 0 ? phone : laptop;

      g_assert_cmpuint (device->frames->len, ==, 2);
      g_assert_cmpint (g_array_index (device->seqs, gint64, 0), ==, 7);
      g_assert_cmpint (g_array_index (device->seqs, gint64, 1), ==, 8);
      g_assert_cmpstr (g_ptr_array_index (device->frames, 0), ==,
                       "{\"type\":\"entry\",\"seq\":7,\"entry\":{\"id\":\"e7\"}}");
    }
  g_assert_cmpuint (bob->frames->len, ==, 0);
  g_assert_cmpuint (worker->frames->len, ==, 0);
  g_assert_true (jsw_test_metrics_say (metrics, "jobswipe_stream_frames_sent_total 4"));

  /* A channel without subscribers: pushed to nobody, counted as nothing. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = events_of ("u:carol", 1, 1);
  jsw_hub_publish (hub, events);
  g_assert_cmpuint (bob->frames->len + phone->frames->len, ==, 2);
  g_assert_true (jsw_test_metrics_say (metrics, "jobswipe_stream_frames_sent_total 4"));
}

static void
test_unsubscribe (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  g_autoptr(JswTestSubscriber) phone = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(JswTestSubscriber) laptop = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(GPtrArray) first = events_of ("u:alice", 1, 1);
  g_autoptr(GPtrArray) second = events_of ("u:alice", 2, 1);

  jsw_hub_publish (hub, first);
  jsw_hub_unsubscribe (hub, "u:alice", JSW_HUB_SUBSCRIBER (phone));
  /* Twice, or on a channel it never had: nothing happens. */
  jsw_hub_unsubscribe (hub, "u:alice", JSW_HUB_SUBSCRIBER (phone));
  jsw_hub_unsubscribe (hub, "u:nobody", JSW_HUB_SUBSCRIBER (phone));
  jsw_hub_publish (hub, second);

  g_assert_cmpuint (phone->frames->len, ==, 1);
  g_assert_cmpuint (laptop->frames->len, ==, 2);
  g_assert_cmpuint (jsw_hub_get_n_subscribers (hub, "u:alice"), ==, 1);
  jsw_hub_unsubscribe (hub, "u:alice", JSW_HUB_SUBSCRIBER (laptop));
  g_assert_cmpuint (jsw_hub_get_n_subscribers (hub, "u:alice"), ==, 0);
}

/* A push that closes a stream makes it unsubscribe while the hub is still
 * going through the channel: the others are each pushed the change once,
 * the one that left is pushed nothing more. */
static void
test_unsubscribe_during_publish (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  g_autoptr(GPtrArray) subscribers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) events = events_of ("u:alice", 1, 3);

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (subscribers, jsw_test_subscriber_new (hub, "u:alice"));

  /* The first leaves itself on its first push; the second makes the last
   * one leave before the last was pushed anything. */
  ((JswTestSubscriber *) subscribers->pdata[0])->leaving = subscribers->pdata[0];
  ((JswTestSubscriber *) subscribers->pdata[1])->leaving = subscribers->pdata[4];

  jsw_hub_publish (hub, events);

  g_assert_cmpuint (((JswTestSubscriber *) subscribers->pdata[0])->frames->len, ==, 1);
  for (guint i = 1; i < 4; i++)
    g_assert_cmpuint (((JswTestSubscriber *) subscribers->pdata[i])->frames->len, ==, 3);
  g_assert_cmpuint (((JswTestSubscriber *) subscribers->pdata[4])->frames->len, ==, 0);
  g_assert_cmpuint (jsw_hub_get_n_subscribers (hub, "u:alice"), ==, 3);
  g_assert_true (jsw_test_metrics_say (metrics, "jobswipe_stream_frames_sent_total 10"));
}

/* The subscriber's owner lets go of it from within a push (a closed
 * stream is dropped by the server): the hub holds it for the push. */
static void
test_last_reference_dropped_during_publish (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  JswTestSubscriber *leaving = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(JswTestSubscriber) staying = jsw_test_subscriber_new (hub, "u:alice");
  g_autoptr(GPtrArray) events = events_of ("u:alice", 1, 2);

  g_object_add_weak_pointer (G_OBJECT (leaving), (gpointer *) &leaving);
  leaving->leaving = leaving;
  leaving->drop_reference = TRUE;

  jsw_hub_publish (hub, events);

  g_assert_null (leaving);  /* finalized, once the hub let go */
  g_assert_cmpuint (staying->frames->len, ==, 2);
  g_assert_cmpuint (jsw_hub_get_n_subscribers (hub, "u:alice"), ==, 1);
}

static void
test_changed_channels (void)
{
  g_autoptr(JswMetrics) metrics = jsw_metrics_new ();
  g_autoptr(JswHub) hub = jsw_hub_new (metrics);
  g_autoptr(GPtrArray) alice = events_of ("u:alice", 1, 3);
  g_autoptr(GPtrArray) workers = events_of (JSW_STORE_WORKERS_CHANNEL, 1, 1);
  g_autoptr(GPtrArray) heard = events_of ("u:bob", 1, 2);
  g_autoptr(JswTestSubscriber) bob = jsw_test_subscriber_new (hub, "u:bob");
  g_auto(GStrv) changed = NULL;
  g_auto(GStrv) none = NULL;

  /* Channels without subscribers change too (their log needs trimming). */
  jsw_hub_publish (hub, alice);
  jsw_hub_publish (hub, workers);
  /* Another process's changes are its to trim. */
  jsw_hub_publish_heard (hub, heard);
  g_assert_cmpuint (bob->frames->len, ==, 2);
  g_assert_cmpint (jsw_hub_get_last_seq (hub, "u:bob"), ==, 2);
  changed = jsw_hub_take_changed_channels (hub);
  g_assert_cmpuint (g_strv_length (changed), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) changed, "u:alice"));
  g_assert_true (g_strv_contains ((const char *const *) changed, JSW_STORE_WORKERS_CHANNEL));

  none = jsw_hub_take_changed_channels (hub);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/delivers-to-its-channel-only", test_channel_only);
  g_test_add_func ("/hub/unsubscribe", test_unsubscribe);
  g_test_add_func ("/hub/unsubscribe-during-publish", test_unsubscribe_during_publish);
  g_test_add_func ("/hub/last-reference-dropped-during-publish", test_last_reference_dropped_during_publish);
  g_test_add_func ("/hub/changed-channels", test_changed_channels);
  return g_test_run ();
}
