/* jsw-cache.h: the desktop app's local SQLite cache
 *
 * Holds the entries the stream delivered and the last `seq` processed (so a
 * reconnect resumes where it left off), the runs this device started (so a
 * run that reached `submitting` is never run again after a crash), and an
 * outbox of progress and results not yet acknowledged (written before they
 * are sent, so a crash or an offline spell loses nothing). It is the queue
 * client's JswQueueStore.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jsw-common.h"
#include "jsw-queue-store.h"

G_BEGIN_DECLS

#define JSW_TYPE_CACHE (jsw_cache_get_type ())

G_DECLARE_FINAL_TYPE (JswCache, jsw_cache, JSW, CACHE, GObject)

JswCache  *jsw_cache_open               (const char  *path,
                                         GError     **error);
gint64     jsw_cache_get_last_seq       (JswCache    *self);
gboolean   jsw_cache_store_entry        (JswCache    *self,
                                         JswEntry    *entry,
                                         gint64       seq,
                                         GError     **error);
gboolean   jsw_cache_replace_all        (JswCache    *self,
                                         GPtrArray   *entries,
                                         gint64       seq,
                                         GError     **error);
GPtrArray *jsw_cache_list_entries       (JswCache    *self,
                                         GError     **error);
JswEntry  *jsw_cache_get_entry          (JswCache    *self,
                                         const char  *id);
char      *jsw_cache_get_meta           (JswCache    *self,
                                         const char  *key);
gboolean   jsw_cache_set_meta           (JswCache    *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);
gboolean   jsw_cache_run_started        (JswCache    *self,
                                         const char  *entry_id,
                                         const char  *lease,
                                         GError     **error);
gboolean   jsw_cache_run_reached        (JswCache    *self,
                                         const char  *entry_id,
                                         JswStep      step,
                                         GError     **error);
gboolean   jsw_cache_run_finished       (JswCache    *self,
                                         const char  *entry_id,
                                         GError     **error);
gboolean   jsw_cache_run_may_start      (JswCache    *self,
                                         const char  *entry_id);
GPtrArray *jsw_cache_interrupted_runs   (JswCache    *self);
gboolean   jsw_cache_outbox_add         (JswCache    *self,
                                         const char  *request_id,
                                         const char  *lease,
                                         const char  *frame,
                                         GError     **error);
GPtrArray *jsw_cache_outbox_list        (JswCache    *self);
gboolean   jsw_cache_outbox_remove      (JswCache    *self,
                                         gint64       id,
                                         GError     **error);
gboolean   jsw_cache_outbox_remove_request (JswCache *self,
                                         const char  *request_id,
                                         GError     **error);

G_END_DECLS
