/* jsw-runner-private.h: what the runner (jsw-runner.c) shares with its
 * browsers (jsw-runner-browsers.c) and the records its runs leave
 * (jsw-runner-records.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-runner.h"

G_BEGIN_DECLS

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
  gboolean        not_on_record; /* the server did not take `submitting`: nothing was sent */
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
