/* jsw-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-types.h"

static const char *state_names[] = {
  "queued", "claimed", "running", "submitted",
  "failed", "needs_user", "needs_review", "cancelled",
};
static const char *target_names[] = { "server", "desktop", "undecided" };
static const char *step_names[] = {
  "opening", "detecting", "filling", "uploading",
  "answering", "reviewing", "submitting", "confirming",
};
static const char *mode_names[] = { "auto", "desktop", "server", "ask" };
static const char *kind_names[] = { "desktop", "server" };
static const char *outcome_names[] = { "submitted", "failed", "needs_user", "unconfirmed" };
static const char *counter_names[] = { "server_month", "total_month", "daily" };

static int
lookup (const char  *str,
        const char **names,
        guint        n_names)
{
  if (str == NULL)
    return -1;
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (str, names[i]))
      return (int) i;
  return -1;
}

#define DEFINE_CONVERSIONS(Type, prefix, names)                          \
  const char *                                                            \
  prefix##_to_string (Type value)                                         \
  {                                                                       \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), NULL);    \
    return names[value];                                                  \
  }                                                                       \
  gboolean                                                                \
  prefix##_from_string (const char *str,                                  \
                        Type       *value)                                \
  {                                                                       \
    int i = lookup (str, names, G_N_ELEMENTS (names));                    \
    if (i < 0)                                                            \
      return FALSE;                                                       \
    *value = (Type) i;                                                    \
    return TRUE;                                                          \
  }

DEFINE_CONVERSIONS (JswState, jsw_state, state_names)
DEFINE_CONVERSIONS (JswTarget, jsw_target, target_names)
DEFINE_CONVERSIONS (JswExecutionMode, jsw_execution_mode, mode_names)
DEFINE_CONVERSIONS (JswKind, jsw_kind, kind_names)
DEFINE_CONVERSIONS (JswOutcome, jsw_outcome, outcome_names)

const char *
jsw_step_to_string (JswStep step)
{
  if (step == JSW_STEP_NONE)
    return NULL;
  g_return_val_if_fail ((guint) step < G_N_ELEMENTS (step_names), NULL);
  return step_names[step];
}

gboolean
jsw_step_from_string (const char *str,
                      JswStep    *step)
{
  int i = lookup (str, step_names, G_N_ELEMENTS (step_names));

  if (i < 0)
    return FALSE;
  *step = (JswStep) i;
  return TRUE;
}

gboolean
jsw_state_is_final (JswState state)
{
  return state == JSW_STATE_SUBMITTED ||
         state == JSW_STATE_CANCELLED ||
         state == JSW_STATE_NEEDS_REVIEW;
}

JswState
jsw_outcome_to_state (JswOutcome outcome)
{
  switch (outcome)
    {
    case JSW_OUTCOME_SUBMITTED: return JSW_STATE_SUBMITTED;
    case JSW_OUTCOME_FAILED: return JSW_STATE_FAILED;
    case JSW_OUTCOME_NEEDS_USER: return JSW_STATE_NEEDS_USER;
    case JSW_OUTCOME_UNCONFIRMED: return JSW_STATE_NEEDS_REVIEW;
    default: g_return_val_if_reached (JSW_STATE_FAILED);
    }
}

const char *
jsw_counter_to_string (JswCounter counter)
{
  g_return_val_if_fail ((guint) counter < G_N_ELEMENTS (counter_names), NULL);
  return counter_names[counter];
}
