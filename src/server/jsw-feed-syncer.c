/* jsw-feed-syncer.c
 *
 * One thread syncs every source, one after the other, so no board ever
 * sees two requests from this server at once and the main loop never
 * waits on a board. The thread has its own connection to the database
 * (WAL: the server reads beside it) and its own HTTP session.
 *
 * Each source is synced every interval_s, give or take a tenth (jitter, so
 * that many sources added together do not stay in step), and the first
 * time within a few seconds of start. A failure (the board unreachable,
 * slow, answering an error, or sending what is not its shape) is logged
 * (`source.sync_failed`), counted in /metrics and recorded on the source;
 * the source's postings stay as they were; it is tried again after
 * backoff_s, doubled after each failure in a row up to backoff_max_s.
 * Other sources go on as planned.
 *
 * The plan is kept in the store (each source's next_sync_at, and its
 * failures in a row), not only in memory: a restarted server syncs what is
 * due, not every source at once, and a failing board's backoff goes on
 * where it was. A sync first claims its source in the store
 * (jsw_feed_claim_source()), so that of several syncers sharing it
 * (server processes on one PostgreSQL database, an operator's
 * `source sync`) one syncs a due source and the others pass.
 *
 * Postings closed for purge_after_s (30 days) are purged, at most once an
 * hour (jsw_store_purge_closed_postings()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-feed-syncer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-feed-syncer.h"
#include "jsw-log.h"
#include "jsw-pg-store.h"
#include "jsw-source-fetch.h"
#include "jsw-sqlite-store.h"

/* How often closed postings are looked for, to be purged. */
#define PURGE_EVERY G_TIME_SPAN_HOUR

typedef struct {
  gint64 next_at;    /* monotonic µs */
  guint  failures;   /* in a row */
} SourceSchedule;

typedef struct {
  guint64 syncs;
  guint64 errors;
} SourceCounters;

struct _JswFeedSyncer
{
  GObject              parent_instance;

  char                *db_path;
  char                *database_url;  /* PostgreSQL's, else NULL for db_path */
  JswFeedSyncerConfig  config;
  GThread             *thread;
  JswStore            *thread_store;  /* the thread's connection, until it takes it */
  GCancellable        *cancellable;

  GMutex               lock;       /* guards what follows */
  GCond                wake;
  gboolean             stopping;
  GHashTable          *counters;   /* "kind:board" -> SourceCounters */
};

G_DEFINE_FINAL_TYPE (JswFeedSyncer, jsw_feed_syncer, G_TYPE_OBJECT)

void
jsw_feed_syncer_config_init_defaults (JswFeedSyncerConfig *config)
{
  config->interval_s = 30 * 60;
  config->timeout_s = 30;
  config->backoff_s = 60;
  config->backoff_max_s = 6 * 60 * 60;
  config->max_body = JSW_BOARD_MAX_BODY;
  config->purge_after_s = JSW_CLOSED_POSTINGS_KEPT / G_USEC_PER_SEC;
}

static void
jsw_feed_syncer_finalize (GObject *object)
{
  JswFeedSyncer *self = JSW_FEED_SYNCER (object);

  jsw_feed_syncer_stop (self);
  g_clear_object (&self->thread_store);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->counters);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_free (self->db_path);
  g_free (self->database_url);
  G_OBJECT_CLASS (jsw_feed_syncer_parent_class)->finalize (object);
}

static void
jsw_feed_syncer_class_init (JswFeedSyncerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_feed_syncer_finalize;
}

static void
jsw_feed_syncer_init (JswFeedSyncer *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

/* @database_url: (nullable): PostgreSQL's; NULL: the SQLite file @db_path */
JswFeedSyncer *
jsw_feed_syncer_new (const char                *db_path,
                     const char                *database_url,
                     const JswFeedSyncerConfig *config)
{
  JswFeedSyncer *self = g_object_new (JSW_TYPE_FEED_SYNCER, NULL);

  self->db_path = g_strdup (db_path);
  self->database_url = g_strdup (database_url);
  self->config = *config;
  return self;
}

static gboolean
known_version (const char *job_id,
               const char *version,
               gpointer    data)
{
  return g_strcmp0 (g_hash_table_lookup (data, job_id), version) == 0;
}

/**
 * jsw_feed_sync_source:
 * @counts: (out): what the sync changed in the store
 * @error: why the board could not be read; the failure is recorded on the
 *   source (jsw_store_sync_failed()) and logged, its postings kept
 *
 * Syncs one source now: its board's list (a conditional request with the
 * validators of the last one), the details of what is new or changed, and
 * the store brought in line in one transaction. Used by the schedule and
 * by `jobswipe-server source sync`.
 */
gboolean
jsw_feed_sync_source (JswStore         *store,
                      JswBoardClient   *client,
                      const JswSource  *source,
                      GCancellable     *cancellable,
                      JswSyncCounts    *counts,
                      GError          **error)
{
  JswSourceConfig config = {
    .kind = source->kind,
    .board = source->board,
    .company = source->company,
    .base_url = source->base_url,
  };
  g_autoptr(GHashTable) versions = NULL;
  g_autoptr(GError) local_error = NULL;
  JswSourceFetch fetch;
  gint64 started = g_get_monotonic_time ();
  gboolean fetched;

  memset (counts, 0, sizeof *counts);
  versions = jsw_store_posting_versions (store, source->id, error);
  if (versions == NULL)
    return FALSE;
  fetched = jsw_source_fetch (client, &config, source->etag, source->last_modified, known_version, versions,
                              cancellable, &fetch, &local_error);
  if (!fetched)
    {
      g_autoptr(GError) record_error = NULL;

      jsw_log (JSW_LOG_WARNING, NULL, "source.sync_failed", "source", 'l', source->id, "kind", 's', source->kind,
               "board", 's', source->board, "failures", 'l', source->failures + 1,
               "message", 's', local_error->message, NULL);
      if (!jsw_store_sync_failed (store, source->id, local_error->message, g_get_real_time (), &record_error))
        jsw_log (JSW_LOG_ERROR, NULL, "source.not_recorded", "source", 'l', source->id,
                 "message", 's', record_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!jsw_store_sync_postings (store, source->id, fetch.postings, fetch.etag, fetch.last_modified,
                                g_get_real_time (), counts, error))
    {
      jsw_source_fetch_clear (&fetch);
      return FALSE;
    }
  jsw_log (JSW_LOG_INFO, NULL, "source.synced", "source", 'l', source->id, "kind", 's', source->kind,
           "board", 's', source->board, "not_modified", 'b', fetch.postings == NULL,
           "added", 'i', counts->added, "updated", 'i', counts->updated, "unchanged", 'i', counts->unchanged,
           "closed", 'i', counts->closed, "skipped", 'i', fetch.skipped,
           "detail_errors", 'i', fetch.detail_errors, "requests", 'i', fetch.requests,
           "ms", 'l', (g_get_monotonic_time () - started) / 1000, NULL);
  jsw_source_fetch_clear (&fetch);
  return TRUE;
}

static void
count_sync (JswFeedSyncer   *self,
            const JswSource *source,
            gboolean         ok)
{
  g_autofree char *label = g_strdup_printf ("%s:%s", source->kind, source->board);
  SourceCounters *counters;

  g_mutex_lock (&self->lock);
  counters = g_hash_table_lookup (self->counters, label);
  if (counters == NULL)
    {
      counters = g_new0 (SourceCounters, 1);
      g_hash_table_insert (self->counters, g_steal_pointer (&label), counters);
    }
  counters->syncs++;
  counters->errors += !ok;
  g_mutex_unlock (&self->lock);
}

/**
 * jsw_feed_syncer_next_sync_in:
 * @failures: failed syncs in a row, the one just made included (0: it
 *   succeeded)
 *
 * Returns: µs from a sync to the source's next: @config's interval give
 *   or take a tenth, or the backoff after a failure (doubled after each
 *   failure in a row, up to the longest)
 */
gint64
jsw_feed_syncer_next_sync_in (const JswFeedSyncerConfig *config,
                              guint                      failures)
{
  guint64 wait_s;

  if (failures == 0)
    {
      gint64 interval = (gint64) config->interval_s * G_USEC_PER_SEC;

      return interval + g_random_int_range (-(int) (interval / 10) - 1, (int) (interval / 10) + 1);
    }
  wait_s = (guint64) config->backoff_s << MIN (failures - 1, 20u);
  wait_s = MIN (wait_s, config->backoff_max_s);
  return (gint64) wait_s * G_USEC_PER_SEC;
}

/**
 * jsw_feed_claim_source:
 * @force: claim it whatever its plan (an operator's `source sync`); else
 *   only if it is due
 * @claimed: (out): whether the caller syncs it now
 *
 * jsw_store_claim_source() for a sync with @config: the source is held
 * for the longer of an interval and ten of a board's timeouts, longer
 * than a sync takes; should the syncer die meanwhile, it is synced again
 * then, as if this sync had been made.
 */
gboolean
jsw_feed_claim_source (JswStore                  *store,
                       const JswFeedSyncerConfig *config,
                       gint64                     source_id,
                       gboolean                   force,
                       gboolean                  *claimed,
                       GError                   **error)
{
  gint64 now = g_get_real_time ();
  gint64 hold_s = MAX ((gint64) config->interval_s, 10 * (gint64) config->timeout_s);

  return jsw_store_claim_source (store, source_id, force ? G_MAXINT64 : now, now + hold_s * G_USEC_PER_SEC,
                                 claimed, error);
}

/* The monotonic time of @source's next sync as the store has it: soon
 * (spread over a second) when never planned or overdue. */
static void
schedule_init (SourceSchedule  *schedule,
               const JswSource *source,
               gint64           now)
{
  gint64 in = source->next_sync_at - g_get_real_time ();

  schedule->failures = (guint) MIN (source->failures, G_MAXUINT);
  schedule->next_at = source->next_sync_at > 0 && in > 0 ? now + in : now + g_random_int_range (0, G_USEC_PER_SEC);
}

/* Another syncer sharing the store claimed or synced the source and
 * planned a later sync than ours: ours follows it, so that it does not
 * try to claim the source before then. */
static void
adopt_later_plan (SourceSchedule  *schedule,
                  const JswSource *source,
                  gint64           now)
{
  gint64 planned = now + (source->next_sync_at - g_get_real_time ());

  if (source->next_sync_at > 0 && planned > schedule->next_at)
    {
      schedule->next_at = planned;
      schedule->failures = (guint) MIN (source->failures, G_MAXUINT);
    }
}

/* Plans the source's next sync after one, and keeps the plan in the
 * store. */
static void
schedule_next (JswFeedSyncer   *self,
               JswStore        *store,
               const JswSource *source,
               SourceSchedule  *schedule,
               gboolean         ok)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  schedule->failures = ok ? 0 : schedule->failures + 1;
  schedule->next_at = now + jsw_feed_syncer_next_sync_in (&self->config, schedule->failures);
  if (!jsw_store_schedule_source (store, source->id, g_get_real_time () + (schedule->next_at - now), &error))
    jsw_log (JSW_LOG_ERROR, NULL, "source.not_scheduled", "source", 'l', source->id,
             "message", 's', error->message, NULL);
}

static void
purge_closed (JswFeedSyncer *self,
              JswStore      *store)
{
  g_autoptr(GError) error = NULL;
  guint purged;

  if (!jsw_store_purge_closed_postings (store, g_get_real_time () - (gint64) self->config.purge_after_s * G_USEC_PER_SEC,
                                        &purged, &error))
    jsw_log (JSW_LOG_ERROR, NULL, "source.purge_failed", "message", 's', error->message, NULL);
  else if (purged > 0)
    jsw_log (JSW_LOG_INFO, NULL, "source.purged", "postings", 'i', purged,
             "closed_for_s", 'i', self->config.purge_after_s, NULL);
}

/* Whether this syncer syncs @source now: another may have claimed it
 * since the list was read; its plan is then adopted at the next list. */
static gboolean
claim_due_source (JswFeedSyncer   *self,
                  JswStore        *store,
                  const JswSource *source,
                  SourceSchedule  *schedule)
{
  g_autoptr(GError) error = NULL;
  gboolean claimed;

  if (!jsw_feed_claim_source (store, &self->config, source->id, FALSE, &claimed, &error))
    {
      jsw_log (JSW_LOG_ERROR, NULL, "source.not_claimed", "source", 'l', source->id,
               "message", 's', error->message, NULL);
      return FALSE;
    }
  if (!claimed)
    jsw_log (JSW_LOG_DEBUG, NULL, "source.claimed_elsewhere", "source", 'l', source->id, NULL);
  return claimed;
}

static gint64
sync_due_sources (JswFeedSyncer *self,
                  JswStore      *store,
                  JswBoardClient *client,
                  GHashTable    *schedules)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = jsw_store_list_sources (store, &error);
  g_autoptr(GHashTable) present = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 now = g_get_monotonic_time ();
  gint64 wake_at = now + G_USEC_PER_SEC;  /* new sources are looked for every second */
  GHashTableIter iter;
  gpointer key;

  if (sources == NULL)
    {
      jsw_log (JSW_LOG_ERROR, NULL, "source.list_failed", "message", 's', error->message, NULL);
      return now + 5 * G_USEC_PER_SEC;
    }

  for (guint i = 0; i < sources->len && !g_cancellable_is_cancelled (self->cancellable); i++)
    {
      JswSource *source = sources->pdata[i];
      SourceSchedule *schedule = g_hash_table_lookup (schedules, &source->id);
      JswSyncCounts counts;
      gboolean ok;

      g_hash_table_add (present, &source->id);
      if (schedule == NULL)
        {
          gint64 *id = g_new (gint64, 1);

          *id = source->id;
          schedule = g_new0 (SourceSchedule, 1);
          schedule_init (schedule, source, now);
          g_hash_table_insert (schedules, id, schedule);
        }
      else
        adopt_later_plan (schedule, source, now);
      if (schedule->next_at > g_get_monotonic_time ())
        {
          wake_at = MIN (wake_at, schedule->next_at);
          continue;
        }

      g_clear_error (&error);
      if (!claim_due_source (self, store, source, schedule))
        continue;
      ok = jsw_feed_sync_source (store, client, source, self->cancellable, &counts, &error);
      if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      count_sync (self, source, ok);
      schedule_next (self, store, source, schedule, ok);
    }

  /* Forget the schedules of removed sources. */
  g_hash_table_iter_init (&iter, schedules);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
  return wake_at;
}

static gpointer
sync_thread (gpointer data)
{
  JswFeedSyncer *self = data;
  g_autoptr(JswStore) store = g_steal_pointer (&self->thread_store);
  g_autoptr(JswBoardClient) client = jsw_board_client_new (self->config.timeout_s, self->config.max_body);
  g_autoptr(GHashTable) schedules = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gint64 purge_at = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 wake_at;

      g_mutex_unlock (&self->lock);
      if (g_get_monotonic_time () >= purge_at)
        {
          purge_closed (self, store);
          purge_at = g_get_monotonic_time () + MIN (PURGE_EVERY, (gint64) self->config.purge_after_s * G_USEC_PER_SEC);
        }
      /* With no syncing (interval 0: an operator runs `source sync`) the
       * thread still purges what those syncs closed. */
      wake_at = self->config.interval_s > 0 ? MIN (sync_due_sources (self, store, client, schedules), purge_at)
                                            : purge_at;
      g_mutex_lock (&self->lock);
      if (!self->stopping)
        g_cond_wait_until (&self->wake, &self->lock, wake_at);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

void
jsw_feed_syncer_start (JswFeedSyncer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->thread == NULL);

  /* The thread's connection is opened here, not in the thread: once the
   * server says it listens, the descriptors it holds are all open (the
   * thread's file and -wal appearing a moment later read as a leak to
   * tests/server/test-connections.c, which counts them). */
  self->thread_store = self->database_url != NULL ? jsw_pg_store_open (self->database_url, &error)
                                                   : jsw_sqlite_store_open_another (self->db_path, &error);
  if (self->thread_store == NULL)
    {
      jsw_log (JSW_LOG_ERROR, NULL, "source.syncer_failed", "message", 's', error->message, NULL);
      return;
    }
  self->thread = g_thread_new ("feed-syncer", sync_thread, self);
}

/* Stops the thread: a request under way is cancelled, the store is left
 * as the last whole sync left it. */
void
jsw_feed_syncer_stop (JswFeedSyncer *self)
{
  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
escape_label (GString    *out,
              const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
}

/**
 * jsw_feed_syncer_render_metrics:
 * @self: (nullable): the syncer of this process, for its counters
 * @sources: (element-type JswSource): every source, for its postings
 *
 * Returns: (transfer full): Prometheus text: syncs and failed syncs since
 *   start, and open postings, per source ("kind:board")
 */
char *
jsw_feed_syncer_render_metrics (JswFeedSyncer *self,
                                GPtrArray     *sources)
{
  GString *out = g_string_new (NULL);
  static const struct { const char *name; const char *help; const char *type; } families[] = {
    { "jobswipe_source_syncs_total", "Syncs of a job source since the server started", "counter" },
    { "jobswipe_source_sync_errors_total", "Syncs of a job source that failed since the server started", "counter" },
    { "jobswipe_source_postings", "Open postings of a job source", "gauge" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    {
      g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", families[f].name, families[f].help,
                              families[f].name, families[f].type);
      for (guint i = 0; i < sources->len; i++)
        {
          JswSource *source = sources->pdata[i];
          g_autofree char *label = g_strdup_printf ("%s:%s", source->kind, source->board);
          SourceCounters counters = { 0 };
          guint64 value;

          if (self != NULL)
            {
              SourceCounters *found;

              g_mutex_lock (&self->lock);
              found = g_hash_table_lookup (self->counters, label);
              if (found != NULL)
                counters = *found;
              g_mutex_unlock (&self->lock);
            }
          value = f == 0 ? counters.syncs : f == 1 ? counters.errors : (guint64) source->open_postings;
          g_string_append_printf (out, "%s{source=\"", families[f].name);
          escape_label (out, label);
          g_string_append_printf (out, "\"} %" G_GUINT64_FORMAT "\n", value);
        }
    }
  return g_string_free (out, FALSE);
}
