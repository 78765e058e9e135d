/* jsw-runner-private.h: what the runner (jsw-runner.c) shares with its
 * browsers (jsw-runner-browsers.c), the records its runs leave
 * (jsw-runner-records.c), the entries it holds back (jsw-runner-holds.c)
 * and the reviewed forms it sends (jsw-runner-review.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-runner.h"

G_BEGIN_DECLS

/* How long `submitting` may take to be on record at the server before the
 * send button would be pressed (the worker waits as long). */
#define SUBMITTING_ACK_TIMEOUT_MS 5000

struct _JswRunner
{
  GObject         parent_instance;

  JswQueueClient *client;
  JswQueueModel  *queue;
  JswEngine      *engine;
  JswProfile     *profile;
  JswBrowser     *browser;      /* the next or current run's */
  GHashTable     *parked;       /* entry id -> JswBrowser: a page left for the person */
  GPtrArray      *parked_order; /* their entry ids, the oldest first */
  GHashTable     *records;      /* entry id -> JsonNode: what a run left (jsw_runner_dup_record()) */
  guint           drop_id;
  JswApplyRun    *run;
  GCancellable   *cancellable;
  char           *current;      /* the entry being applied to */
  char           *lease;
  GPtrArray      *requested;   /* Apply now, not started yet: first in line */
  gboolean        auto_apply;
  gboolean        review;       /* stop before sending, for the person */
  gboolean        in_review;    /* filled in, waiting for the person */
  gboolean        claiming;
  guint           look_id;
  GHashTable     *held;         /* entry id -> JswRunnerHold: refused, not claimed again before its time */
  guint           held_id;      /* looks again when the earliest hold ends */
};

/* jsw-runner-browsers.c */
void        _jsw_runner_park_page             (JswRunner      *self,
                                               const char     *entry_id,
                                               JswApplyResult *result);
JswBrowser *_jsw_runner_take_parked           (JswRunner      *self,
                                               const char     *entry_id);
void        _jsw_runner_forget_parked         (JswRunner      *self,
                                               const char     *entry_id);

/* jsw-runner.c */
void        _jsw_runner_look_for_work         (JswRunner      *self);
void        _jsw_runner_look_soon             (JswRunner      *self);
void        _jsw_runner_finished_running      (JswRunner      *self);
void        _jsw_runner_emit_run_finished     (JswRunner      *self,
                                               const char     *entry_id,
                                               int             outcome,
                                               const char     *message);
void        _jsw_runner_notify_reviewing      (JswRunner      *self);
void        _jsw_runner_run_done              (GObject        *source,
                                               GAsyncResult   *res,
                                               gpointer        user_data);

/* jsw-runner-holds.c */
gboolean    _jsw_runner_is_held               (JswRunner      *self,
                                               const char     *entry_id);
void        _jsw_runner_hold_back             (JswRunner      *self,
                                               const char     *entry_id,
                                               const char     *why,
                                               gint64          retry_at);
void        _jsw_runner_stop_holding          (JswRunner      *self,
                                               const char     *entry_id);
void        _jsw_runner_release_hold          (JswRunner      *self,
                                               const char     *entry_id);

/* jsw-runner-records.c */
void        _jsw_runner_keep_record           (JswRunner      *self,
                                               const char     *entry_id,
                                               JswApplyResult *result);
void        _jsw_runner_clear_record          (JswRunner      *self,
                                               const char     *entry_id);
gboolean    _jsw_runner_refused_last_time     (JswRunner      *self,
                                               const char     *entry_id);
GHashTable *_jsw_runner_dup_answers_once      (JswRunner      *self,
                                               const char     *entry_id);

G_END_DECLS
