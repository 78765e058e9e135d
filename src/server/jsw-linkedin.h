/* jsw-linkedin.h: LinkedIn Easy Apply's limits and pauses, per person
 * (issue 16)
 *
 * LinkedIn applications run only on the person's desktop, in their own
 * signed-in session, and only as often as a careful person applies. The
 * rules are decided here, from what the store keeps (JswLinkedinState),
 * so that the SQLite and the PostgreSQL store hold the data and the same
 * code decides for both. Times are µs since the epoch, passed in so that
 * tests inject a clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jsw-common.h"

G_BEGIN_DECLS

/* A person's limits, halved for a week after LinkedIn said "applying at a
 * fast pace". */
#define JSW_LINKEDIN_DAILY            20  /* applications a day, of any kind: the hard ceiling */
#define JSW_LINKEDIN_AUTOMATIC_DAILY  10  /* sent without the person's review */
#define JSW_LINKEDIN_HOURLY            4  /* in any 60 minutes */
#define JSW_LINKEDIN_MIN_GAP          (4 * G_TIME_SPAN_MINUTE)
#define JSW_LINKEDIN_MAX_GAP          (10 * G_TIME_SPAN_MINUTE)
/* Night, in the person's local time: from 22:00 to 07:00 nothing starts. */
#define JSW_LINKEDIN_NIGHT_FROM_HOUR  22
#define JSW_LINKEDIN_NIGHT_UNTIL_HOUR  7
/* Applications reviewed and sent by the person before sending
 * automatically is offered. */
#define JSW_LINKEDIN_REVIEWS_BEFORE_AUTO 5
/* Pauses after LinkedIn's own stops. */
#define JSW_LINKEDIN_THROTTLE_PAUSE   (24 * G_TIME_SPAN_HOUR)
#define JSW_LINKEDIN_HALVED_FOR       (7 * G_TIME_SPAN_DAY)
#define JSW_LINKEDIN_CHECKPOINT_PAUSE (72 * G_TIME_SPAN_HOUR)
/* A pause only the person ends (a restricted account). */
#define JSW_LINKEDIN_UNTIL_ENABLED    G_MAXINT64
/* How far back the store loads applications: enough for a local day. */
#define JSW_LINKEDIN_WINDOW           (2 * G_TIME_SPAN_DAY)

/* LinkedIn's stops, as the desktop reports them (their wire names in
 * parentheses). */
typedef enum {
  JSW_LINKEDIN_STOP_NONE,
  JSW_LINKEDIN_STOP_DAILY_LIMIT,  /* "daily_limit": LinkedIn's daily-limit panel */
  JSW_LINKEDIN_STOP_THROTTLED,    /* "throttled": "applying at a fast pace" */
  JSW_LINKEDIN_STOP_CHECKPOINT,   /* "checkpoint": a security check, captcha or checkpoint */
  JSW_LINKEDIN_STOP_RESTRICTED,   /* "restricted": the account is restricted */
} JswLinkedinStop;

/* Why a LinkedIn application may not start now. */
typedef enum {
  JSW_LINKEDIN_WAIT_NONE,
  JSW_LINKEDIN_WAIT_PAUSED,   /* a stop's pause (JswLinkedinState.pause_reason) */
  JSW_LINKEDIN_WAIT_NIGHT,
  JSW_LINKEDIN_WAIT_DAILY,
  JSW_LINKEDIN_WAIT_HOURLY,
  JSW_LINKEDIN_WAIT_GAP,
} JswLinkedinWait;

/* One LinkedIn application started (an entry claimed by the desktop). */
typedef struct {
  char     *entry_id;
  gint64    started_at;
  gboolean  automatic;  /* to be sent without the person's review */
  gboolean  sent;       /* LinkedIn confirmed it */
} JswLinkedinStart;

/* What the store keeps for one person, and what one change adds to it. */
typedef struct {
  char            *timezone;       /* the person's, as GLib reads it ("Europe/Berlin"); NULL: UTC */
  gboolean         auto_send;      /* the person opted in to automatic sending */
  gint64           reviewed;       /* LinkedIn applications they reviewed and sent */
  gint64           paused_until;   /* µs, a timed stop's pause; 0: none */
  JswLinkedinStop  pause_reason;   /* of that timed pause */
  gboolean         restricted;     /* stopped until the person re-enables, beside any timed pause */
  gint64           halved_until;   /* µs; 0: never throttled */
  GPtrArray       *starts;         /* JswLinkedinStart, oldest first, those of JSW_LINKEDIN_WINDOW */
  /* A change: written by the store after the change's function said so. */
  JswLinkedinStart *new_start;     /* to add */
  char            *forget_entry;   /* a start to take back (its claim failed) */
  char            *sent_entry;     /* a start LinkedIn confirmed */
} JswLinkedinState;

typedef struct {
  gint64 daily;
  gint64 automatic_daily;
  gint64 hourly;
} JswLinkedinLimits;

typedef struct {
  gboolean         allowed;
  gboolean         automatic;  /* allowed, and to be sent without review */
  JswLinkedinWait  wait;
  gint64           retry_at;   /* µs, when not allowed; JSW_LINKEDIN_UNTIL_ENABLED: when the person re-enables */
} JswLinkedinDecision;

/* jsw_linkedin_admit()'s data: the entry to start, and what was decided. */
typedef struct {
  const char          *entry_id;
  JswLinkedinDecision  decision;
} JswLinkedinAdmission;

/* A change to a person's state, run by the store inside one write
 * transaction on what it loaded. Returns FALSE with @error set to change
 * nothing. */
typedef gboolean (*JswLinkedinChangeFunc) (JswLinkedinState *state,
                                           gint64            now,
                                           gpointer          data,
                                           GError          **error);

JswLinkedinState *jsw_linkedin_state_new       (void);
void              jsw_linkedin_state_free      (JswLinkedinState *state);
void              jsw_linkedin_start_free      (JswLinkedinStart *start);
JswLinkedinStart *jsw_linkedin_start_new       (const char       *entry_id,
                                                gint64            started_at,
                                                gboolean          automatic,
                                                gboolean          sent);

gboolean          jsw_linkedin_is_url          (const char       *url);
gboolean          jsw_linkedin_is_entry        (JswEntry         *entry);
gboolean          jsw_linkedin_timezone_is_valid (const char     *identifier);

const char       *jsw_linkedin_stop_to_string  (JswLinkedinStop   stop);
gboolean          jsw_linkedin_stop_from_string (const char      *name,
                                                 JswLinkedinStop *stop);
const char       *jsw_linkedin_wait_to_string  (JswLinkedinWait   wait);

void              jsw_linkedin_limits          (const JswLinkedinState *state,
                                                gint64            now,
                                                JswLinkedinLimits *limits);
void              jsw_linkedin_usage           (const JswLinkedinState *state,
                                                gint64            now,
                                                gint64           *today,
                                                gint64           *automatic_today,
                                                gint64           *last_hour);
void              jsw_linkedin_decide          (const JswLinkedinState *state,
                                                gint64            now,
                                                JswLinkedinDecision *decision);
gint64            jsw_linkedin_gap_after       (const JswLinkedinStart *start);
gboolean          jsw_linkedin_admit           (JswLinkedinState *state,
                                                gint64            now,
                                                gpointer          data,
                                                GError          **error);
gboolean          jsw_linkedin_forget          (JswLinkedinState *state,
                                                gint64            now,
                                                gpointer          data,
                                                GError          **error);
gboolean          jsw_linkedin_note_sent       (JswLinkedinState *state,
                                                gint64            now,
                                                gpointer          data,
                                                GError          **error);
gboolean          jsw_linkedin_apply_stop      (JswLinkedinState *state,
                                                gint64            now,
                                                gpointer          data,
                                                GError          **error);

/* What PUT /v1/me/linkedin asks for; a NULL or -1 member keeps what is. */
typedef struct {
  const char *timezone;
  int         auto_send;  /* -1, 0 or 1 */
  gboolean    enable;     /* the person re-enables LinkedIn after a restriction */
} JswLinkedinSettings;

gboolean          jsw_linkedin_apply_settings  (JswLinkedinState *state,
                                                gint64            now,
                                                gpointer          data,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswLinkedinState, jsw_linkedin_state_free)

G_END_DECLS
