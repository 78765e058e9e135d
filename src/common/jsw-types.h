/* jsw-types.h: the small vocabularies of the model (states, targets, steps…)
 *
 * Every enum here has a wire spelling fixed by PROTOCOL.md; the tables in
 * jsw-types.c are the single place where the two meet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JSW_STATE_QUEUED,
  JSW_STATE_CLAIMED,
  JSW_STATE_RUNNING,
  JSW_STATE_SUBMITTED,
  JSW_STATE_FAILED,
  JSW_STATE_NEEDS_USER,
  JSW_STATE_NEEDS_REVIEW,
  JSW_STATE_CANCELLED,
  JSW_N_STATES
} JswState;

typedef enum {
  JSW_TARGET_SERVER,
  JSW_TARGET_DESKTOP,
  JSW_TARGET_UNDECIDED,
} JswTarget;

/* The steps of one attempt, in the order PROTOCOL.md gives them. The
 * ordering matters: a lease that expires at or after SUBMITTING must never
 * be retried. */
typedef enum {
  JSW_STEP_NONE = -1,
  JSW_STEP_OPENING,
  JSW_STEP_DETECTING,
  JSW_STEP_FILLING,
  JSW_STEP_UPLOADING,
  JSW_STEP_ANSWERING,
  JSW_STEP_REVIEWING,
  JSW_STEP_SUBMITTING,
  JSW_STEP_CONFIRMING,
} JswStep;

typedef enum {
  JSW_MODE_AUTO,
  JSW_MODE_DESKTOP,
  JSW_MODE_SERVER,
  JSW_MODE_ASK,
} JswExecutionMode;

/* A token belongs either to a user's device or to a server-side worker. */
typedef enum {
  JSW_KIND_DESKTOP,
  JSW_KIND_SERVER,
} JswKind;

typedef enum {
  JSW_OUTCOME_SUBMITTED,
  JSW_OUTCOME_FAILED,
  JSW_OUTCOME_NEEDS_USER,
  /* The send button was pressed, then neither a confirmation nor an error
   * showed: perhaps sent, perhaps not. Never retried automatically (that
   * could apply twice); a person checks (state needs_review). An addition
   * to PROTOCOL.md, docs/server.md "Additions". */
  JSW_OUTCOME_UNCONFIRMED,
} JswOutcome;

typedef enum {
  JSW_COUNTER_SERVER_MONTH,
  JSW_COUNTER_TOTAL_MONTH,
  JSW_COUNTER_DAILY,
  JSW_N_COUNTERS
} JswCounter;

const char *jsw_state_to_string          (JswState          state);
gboolean    jsw_state_from_string        (const char       *str,
                                          JswState         *state);
gboolean    jsw_state_is_final           (JswState          state);
const char *jsw_target_to_string         (JswTarget         target);
gboolean    jsw_target_from_string       (const char       *str,
                                          JswTarget        *target);
const char *jsw_step_to_string           (JswStep           step);
gboolean    jsw_step_from_string         (const char       *str,
                                          JswStep          *step);
const char *jsw_execution_mode_to_string (JswExecutionMode  mode);
gboolean    jsw_execution_mode_from_string (const char     *str,
                                          JswExecutionMode *mode);
const char *jsw_kind_to_string           (JswKind           kind);
gboolean    jsw_kind_from_string         (const char       *str,
                                          JswKind          *kind);
const char *jsw_outcome_to_string        (JswOutcome        outcome);
gboolean    jsw_outcome_from_string      (const char       *str,
                                          JswOutcome       *outcome);
JswState    jsw_outcome_to_state         (JswOutcome        outcome);
const char *jsw_counter_to_string        (JswCounter        counter);

G_END_DECLS
