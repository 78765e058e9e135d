/* jsw-sweeper.c: expires leases and trims the event log on a timer
 *
 * Every sweep_interval_ms: the leases not extended in time go back to the
 * queue (PROTOCOL.md: a lease lives lease_ttl_s without a heartbeat) and
 * the change is published; the channels changed since the last sweep have
 * their event log trimmed to its limits. Every 60th sweep the whole log
 * and the expired Idempotency-Key answers are trimmed as well. A cancelled
 * plan whose period ended since the last sweep is announced to its
 * person's streams (issue 14).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sweeper"

#include "config.h"

#include "jsw-log.h"
#include "jsw-rest-billing.h"
#include "jsw-sweeper.h"

struct _JswSweeper
{
  GObject          parent_instance;

  JswStore        *store;
  JswHub          *hub;
  JswMetrics      *metrics;
  JswServerConfig  config;
  guint            timeout_id;
  guint            sweeps;
  gint64           plan_ends_checked;  /* µs: cancelled periods ended by then are announced */
};

G_DEFINE_FINAL_TYPE (JswSweeper, jsw_sweeper, G_TYPE_OBJECT)

/* A channel's log is trimmed to its limits (count and bytes) within a sweep
 * of its change, so a busy client cannot grow it far past them in between;
 * a client further behind gets a sync. */
static void
prune_changed_channels (JswSweeper *self)
{
  g_auto(GStrv) channels = jsw_hub_take_changed_channels (self->hub);
  g_autoptr(GError) error = NULL;

  if (!jsw_store_prune_events (self->store, (const char *const *) channels, self->config.events_kept,
                               self->config.events_bytes_kept, &error))
    jsw_log (JSW_LOG_ERROR, NULL, "events.prune_failed", "message", 's', error->message, NULL);
}

/* A cancelled or unpaid plan falls back to free when its period ends,
 * with no event from Stripe: the person's open apps are told then. */
static void
announce_plan_ends (JswSweeper *self,
                    gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;

  if (self->plan_ends_checked == 0)
    self->plan_ends_checked = now;
  users = jsw_store_list_plan_ends (self->store, self->plan_ends_checked, now, &error);
  if (users == NULL)
    {
      jsw_log (JSW_LOG_ERROR, NULL, "billing.plan_ends_failed", "message", 's', error->message, NULL);
      return;
    }
  self->plan_ends_checked = now;
  for (guint i = 0; i < users->len; i++)
    jsw_rest_billing_publish_account (self->store, self->hub, &self->config.billing, g_ptr_array_index (users, i), NULL);
}

/* Now and then the whole log (changes made by other processes, limits
 * lowered) and the expired Idempotency-Key answers. */
static void
prune_everything (JswSweeper *self,
                  gint64      now)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_store_prune_events (self->store, NULL, self->config.events_kept,
                               self->config.events_bytes_kept, &error))
    jsw_log (JSW_LOG_ERROR, NULL, "events.prune_failed", "message", 's', error->message, NULL);
  g_clear_error (&error);
  if (!jsw_store_idempotency_expire (self->store, now, &error))
    jsw_log (JSW_LOG_ERROR, NULL, "idempotency.expire_failed", "message", 's', error->message, NULL);
}

/**
 * jsw_sweeper_sweep:
 * @now: wall-clock time in µs (g_get_real_time())
 *
 * One sweep, as the timer does it: leases expired by @now are released
 * and published, the changed channels' logs trimmed.
 *
 * Returns: how many leases expired
 */
guint
jsw_sweeper_sweep (JswSweeper *self,
                   gint64      now)
{
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(GError) error = NULL;
  guint expired;

  g_return_val_if_fail (JSW_IS_SWEEPER (self), 0);

  expired = jsw_store_expire_leases (self->store, now, events, &error);
  if (error != NULL)
    jsw_log (JSW_LOG_ERROR, NULL, "lease.sweep_failed", "message", 's', error->message, NULL);
  if (expired > 0)
    {
      jsw_metrics_lease_expiries (self->metrics, expired);
      jsw_log (JSW_LOG_INFO, NULL, "lease.expired", "count", 'i', (int) expired, NULL);
      jsw_hub_publish (self->hub, events);
    }

  prune_changed_channels (self);
  announce_plan_ends (self, now);
  if (++self->sweeps % 60 == 0)
    prune_everything (self, now);
  return expired;
}

static gboolean
on_timeout (gpointer user_data)
{
  jsw_sweeper_sweep (user_data, g_get_real_time ());
  return G_SOURCE_CONTINUE;
}

/**
 * jsw_sweeper_start:
 *
 * Sweeps every config->sweep_interval_ms from now on; nothing if started.
 */
void
jsw_sweeper_start (JswSweeper *self)
{
  g_return_if_fail (JSW_IS_SWEEPER (self));

  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add (self->config.sweep_interval_ms, on_timeout, self);
}

void
jsw_sweeper_stop (JswSweeper *self)
{
  g_return_if_fail (JSW_IS_SWEEPER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static void
jsw_sweeper_dispose (GObject *object)
{
  JswSweeper *self = (JswSweeper *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->hub);
  g_clear_object (&self->metrics);

  G_OBJECT_CLASS (jsw_sweeper_parent_class)->dispose (object);
}

static void
jsw_sweeper_class_init (JswSweeperClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_sweeper_dispose;
}

static void
jsw_sweeper_init (JswSweeper *self)
{
}

/**
 * jsw_sweeper_new:
 * @config: read for sweep_interval_ms, events_kept and events_bytes_kept
 *   (copied)
 *
 * Returns: a sweeper, not started (jsw_sweeper_start())
 */
JswSweeper *
jsw_sweeper_new (JswStore              *store,
                 JswHub                *hub,
                 JswMetrics            *metrics,
                 const JswServerConfig *config)
{
  JswSweeper *self = g_object_new (JSW_TYPE_SWEEPER, NULL);

  self->store = g_object_ref (store);
  self->hub = g_object_ref (hub);
  self->metrics = g_object_ref (metrics);
  self->config = *config;
  return self;
}
