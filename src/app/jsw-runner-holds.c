/* jsw-runner-holds.c
 *
 * Entries whose claim the server refused, held back from being claimed
 * again before their time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "jsw-runner-private.h"
#include "jsw-time.h"

/* A claim the server refused (LinkedIn's limits and pauses, docs/server.md
 * "LinkedIn (issue 16)", or any other refusal) is not asked again at once:
 * the same oldest entry would be picked and refused again and again,
 * holding up every other one. It waits 30 s, then twice as long after
 * each refusal in a row, at most 15 minutes; the others run meanwhile. */
#define HOLD_FIRST_S 30
#define HOLD_LONGEST_S (15 * 60)

typedef struct {
  gint64 until;      /* monotonic, µs */
  guint  backoff_s;  /* the last wait */
} JswRunnerHold;

gboolean
_jsw_runner_is_held (JswRunner  *self,
         const char *entry_id)
{
  JswRunnerHold *hold = g_hash_table_lookup (self->held, entry_id);

  return hold != NULL && hold->until > g_get_monotonic_time ();
}

static gboolean
look_again_cb (gpointer data)
{
  JswRunner *self = data;

  self->held_id = 0;
  _jsw_runner_look_for_work (self);
  return G_SOURCE_REMOVE;
}

/* A timeout (no idle loop) for the earliest hold still running. */
static void
look_again_when_a_hold_ends (JswRunner *self)
{
  GHashTableIter iter;
  JswRunnerHold *hold;
  gint64 now = g_get_monotonic_time ();
  gint64 earliest = G_MAXINT64;

  g_clear_handle_id (&self->held_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->held);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &hold))
    if (hold->until > now)
      earliest = MIN (earliest, hold->until);
  if (earliest != G_MAXINT64)
    self->held_id = g_timeout_add ((earliest - now) / 1000 + 1, look_again_cb, self);
}

/* @why, the server's message, names @retry_at in RFC 3339 UTC: the person
 * reads it in their own time ("paused until 07:00"). */
static char *
with_local_time (const char *why,
                 gint64      retry_at)
{
  g_autofree char *utc = jsw_time_format (retry_at);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (retry_at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *local = NULL;
  g_auto(GStrv) parts = NULL;

  if (when == NULL || strstr (why, utc) == NULL)
    return g_strdup (why);
  /* TRANSLATORS: a time today (g_date_time_format()); the other one with its date */
  local = g_date_time_format (when, g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now) ?
                                    _("%H:%M") : _("%a %e %b, %H:%M"));
  parts = g_strsplit (why, utc, -1);
  return g_strjoinv (local, parts);
}

/* @retry_at: when the server said it may be asked again (wall-clock µs),
 * or 0 for the growing backoff */
void
_jsw_runner_hold_back (JswRunner  *self,
           const char *entry_id,
           const char *why,
           gint64      retry_at)
{
  JswRunnerHold *hold = g_hash_table_lookup (self->held, entry_id);
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);
  gint64 wait_us;
  g_autofree char *shown = NULL;

  if (hold == NULL)
    {
      hold = g_new0 (JswRunnerHold, 1);
      g_hash_table_insert (self->held, g_strdup (entry_id), hold);
    }
  hold->backoff_s = hold->backoff_s == 0 ? HOLD_FIRST_S : MIN (hold->backoff_s * 2, HOLD_LONGEST_S);
  wait_us = hold->backoff_s * G_USEC_PER_SEC;
  if (retry_at > g_get_real_time ())
    wait_us = retry_at - g_get_real_time () + G_USEC_PER_SEC;
  hold->until = g_get_monotonic_time () + wait_us;
  g_debug ("holding %s back for %" G_GINT64_FORMAT " s", entry_id, wait_us / G_USEC_PER_SEC);
  shown = retry_at > 0 ? with_local_time (why, retry_at) : g_strdup (why);
  if (item != NULL)
    jsw_entry_item_set_waiting (item, shown);
  look_again_when_a_hold_ends (self);
}

void
_jsw_runner_stop_holding (JswRunner  *self,
              const char *entry_id)
{
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);

  g_hash_table_remove (self->held, entry_id);
  if (item != NULL)
    jsw_entry_item_set_waiting (item, NULL);
}

/* The person asked for one more try (Apply Now): the hold ends, its
 * backoff stays, so a refusal again waits longer. */
void
_jsw_runner_release_hold (JswRunner  *self,
                          const char *entry_id)
{
  JswRunnerHold *hold = g_hash_table_lookup (self->held, entry_id);

  if (hold != NULL)
    hold->until = 0;
}
