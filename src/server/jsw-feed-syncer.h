/* jsw-feed-syncer.h: keeps every job source's postings fresh, on a
 * schedule, in a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-board-client.h"
#include "jsw-store.h"

G_BEGIN_DECLS

typedef struct {
  guint  interval_s;      /* between two syncs of a source: 1800 */
  guint  timeout_s;       /* for a connection or a read: 30 */
  guint  backoff_s;       /* after the first failure in a row; doubles after each: 60 */
  guint  backoff_max_s;   /* the longest wait after failures: 6 h */
  gsize  max_body;        /* bytes a board may send for one request */
  guint  purge_after_s;   /* a closed posting is purged after: JSW_CLOSED_POSTINGS_KEPT */
} JswFeedSyncerConfig;

void     jsw_feed_syncer_config_init_defaults (JswFeedSyncerConfig       *config);
gint64   jsw_feed_syncer_next_sync_in         (const JswFeedSyncerConfig *config,
                                               guint                      failures);
gboolean jsw_feed_claim_source                (JswStore                  *store,
                                               const JswFeedSyncerConfig *config,
                                               gint64                     source_id,
                                               gboolean                   force,
                                               gboolean                  *claimed,
                                               GError                   **error);

#define JSW_TYPE_FEED_SYNCER (jsw_feed_syncer_get_type ())

G_DECLARE_FINAL_TYPE (JswFeedSyncer, jsw_feed_syncer, JSW, FEED_SYNCER, GObject)

JswFeedSyncer *jsw_feed_syncer_new            (const char                *db_path,
                                               const char                *database_url,
                                               const JswFeedSyncerConfig *config);
void           jsw_feed_syncer_start          (JswFeedSyncer             *self);
void           jsw_feed_syncer_stop           (JswFeedSyncer             *self);
char          *jsw_feed_syncer_render_metrics (JswFeedSyncer             *self,
                                               GPtrArray                 *sources);

gboolean       jsw_feed_sync_source           (JswStore                  *store,
                                               JswBoardClient            *client,
                                               const JswSource           *source,
                                               GCancellable              *cancellable,
                                               JswSyncCounts             *counts,
                                               GError                   **error);

G_END_DECLS
