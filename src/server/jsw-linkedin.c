/* jsw-linkedin.c: LinkedIn Easy Apply's limits and pauses, decided from
 * what the store keeps (issue 16)
 *
 * LinkedIn's User Agreement forbids automated access, and people using
 * other tools report restrictions within hours. JobSwipe fills LinkedIn's
 * forms in the person's own visible session, and only at a pace a careful
 * person keeps: at most 20 LinkedIn applications a day of any kind, 10 of
 * them sent without the person's review, 4 in any hour with 4 to 10
 * minutes between two, none at night in the person's local time. LinkedIn's
 * own stops pause it: its daily-limit panel until tomorrow, "applying at a
 * fast pace" for 24 hours (and the caps are halved for a week), a security
 * check for 72 hours, a restricted account until the person re-enables it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "jsw-linkedin-host.h"
#include "jsw-linkedin.h"

static const char *stop_names[] = {
  [JSW_LINKEDIN_STOP_NONE] = "none",
  [JSW_LINKEDIN_STOP_DAILY_LIMIT] = "daily_limit",
  [JSW_LINKEDIN_STOP_THROTTLED] = "throttled",
  [JSW_LINKEDIN_STOP_CHECKPOINT] = "checkpoint",
  [JSW_LINKEDIN_STOP_RESTRICTED] = "restricted",
};

static const char *wait_names[] = {
  [JSW_LINKEDIN_WAIT_NONE] = "none",
  [JSW_LINKEDIN_WAIT_PAUSED] = "paused",
  [JSW_LINKEDIN_WAIT_NIGHT] = "night",
  [JSW_LINKEDIN_WAIT_DAILY] = "daily",
  [JSW_LINKEDIN_WAIT_HOURLY] = "hourly",
  [JSW_LINKEDIN_WAIT_GAP] = "gap",
};

JswLinkedinStart *
jsw_linkedin_start_new (const char *entry_id,
                        gint64      started_at,
                        gboolean    automatic,
                        gboolean    sent)
{
  JswLinkedinStart *start = g_new0 (JswLinkedinStart, 1);

  start->entry_id = g_strdup (entry_id);
  start->started_at = started_at;
  start->automatic = automatic;
  start->sent = sent;
  return start;
}

void
jsw_linkedin_start_free (JswLinkedinStart *start)
{
  if (start == NULL)
    return;
  g_free (start->entry_id);
  g_free (start);
}

JswLinkedinState *
jsw_linkedin_state_new (void)
{
  JswLinkedinState *state = g_new0 (JswLinkedinState, 1);

  state->starts = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_linkedin_start_free);
  return state;
}

void
jsw_linkedin_state_free (JswLinkedinState *state)
{
  if (state == NULL)
    return;
  g_free (state->timezone);
  g_ptr_array_unref (state->starts);
  jsw_linkedin_start_free (state->new_start);
  g_free (state->forget_entry);
  g_free (state->sent_entry);
  g_free (state);
}

/**
 * jsw_linkedin_is_url:
 * @url: (nullable): a job's apply_url
 *
 * Returns: whether @url's host is LinkedIn's (jsw_linkedin_host_is_linkedin():
 *   linkedin.com, lnkd.in, or a name under either, any case): an
 *   application only the person's desktop makes
 */
gboolean
jsw_linkedin_is_url (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && jsw_linkedin_host_is_linkedin (g_uri_get_host (uri));
}

/* Whether @entry's job is a LinkedIn posting (its snapshot's apply_url). */
gboolean
jsw_linkedin_is_entry (JswEntry *entry)
{
  g_autoptr(JswJob) parsed = NULL;

  if (entry->snapshot != NULL)
    return jsw_linkedin_is_url (entry->snapshot->apply_url);
  if (entry->snapshot_json == NULL)
    return FALSE;
  parsed = jsw_job_new_from_json (entry->snapshot_json, NULL);
  return parsed != NULL && jsw_linkedin_is_url (parsed->apply_url);
}

/* Time zones
 *
 * g_time_zone_new_identifier() opens whatever path it is given (absolute,
 * or relative to the zoneinfo directory, ".." included) and blocks on a
 * FIFO, so a person's time zone is checked here before GLib sees it: an
 * IANA name whose file under the zoneinfo directory is a regular TZif file,
 * or an offset from UTC. */

#define TIMEZONE_MAX_LENGTH 64

/* "+08:00", "-0530", "+02": hours 00..23, minutes 00..59. */
static gboolean
is_utc_offset (const char *s)
{
  gsize len = strlen (s);

  if ((s[0] != '+' && s[0] != '-') || !(len == 3 || len == 5 || len == 6))
    return FALSE;
  if (!g_ascii_isdigit (s[1]) || !g_ascii_isdigit (s[2]) || (s[1] - '0') * 10 + (s[2] - '0') > 23)
    return FALSE;
  if (len == 3)
    return TRUE;
  s += len == 6 ? 4 : 3;
  if (len == 6 && s[-1] != ':')
    return FALSE;
  return g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && s[0] <= '5';
}

/* "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+8": components
 * of letters, digits, '_', '-' and '+' between single slashes; never a
 * leading slash, never "." or "..". */
static gboolean
is_zone_name (const char *s)
{
  gboolean component_start = TRUE;

  for (const char *c = s; *c != '\0'; c++)
    {
      if (*c == '/')
        {
          if (component_start)
            return FALSE;
          component_start = TRUE;
          continue;
        }
      if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '+')
        return FALSE;
      component_start = FALSE;
    }
  return !component_start;
}

/* The directory GLib reads zones from (it honours TZDIR too). */
static const char *
zoneinfo_dir (void)
{
  const char *dir = g_getenv ("TZDIR");

  return dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

/* Whether @name's file under the zoneinfo directory is a regular file that
 * starts with the TZif magic. Opened non-blocking and checked again after
 * opening, so nothing but a regular file is ever read. */
static gboolean
zone_file_is_tzif (const char *name)
{
  g_autofree char *path = g_build_filename (zoneinfo_dir (), name, NULL);
  GStatBuf st;
  char magic[4];
  gboolean tzif;
  int fd;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    return FALSE;
  tzif = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && read (fd, magic, sizeof magic) == sizeof magic &&
         memcmp (magic, "TZif", sizeof magic) == 0;
  close (fd);
  return tzif;
}

/**
 * jsw_linkedin_timezone_is_valid:
 * @identifier: (nullable): what the person sent, or what the store kept
 *
 * Returns: whether @identifier is an IANA zone name ("Europe/Berlin", at
 *   most 64 bytes) whose file under the zoneinfo directory is a regular
 *   TZif file, or an offset from UTC ("+08:00", "-0530", "+02"). Nothing
 *   else is handed to GLib: it would open any path, FIFOs included.
 */
gboolean
jsw_linkedin_timezone_is_valid (const char *identifier)
{
  g_autoptr(GTimeZone) zone = NULL;

  if (identifier == NULL || *identifier == '\0' || strlen (identifier) > TIMEZONE_MAX_LENGTH)
    return FALSE;
  if (!is_utc_offset (identifier) && !(is_zone_name (identifier) && zone_file_is_tzif (identifier)))
    return FALSE;
  zone = g_time_zone_new_identifier (identifier);
  return zone != NULL;
}

const char *
jsw_linkedin_stop_to_string (JswLinkedinStop stop)
{
  g_return_val_if_fail (stop < G_N_ELEMENTS (stop_names), NULL);
  return stop_names[stop];
}

/* Only the four stops, not "none". */
gboolean
jsw_linkedin_stop_from_string (const char      *name,
                               JswLinkedinStop *stop)
{
  for (guint i = JSW_LINKEDIN_STOP_DAILY_LIMIT; name != NULL && i < G_N_ELEMENTS (stop_names); i++)
    if (g_str_equal (name, stop_names[i]))
      {
        *stop = i;
        return TRUE;
      }
  return FALSE;
}

const char *
jsw_linkedin_wait_to_string (JswLinkedinWait wait)
{
  g_return_val_if_fail (wait < G_N_ELEMENTS (wait_names), NULL);
  return wait_names[wait];
}

/* Local time */

/* The person's zone, or UTC. What the store keeps is checked again: a
 * value stored before the check existed may be a path. */
static GTimeZone *
zone_of (const JswLinkedinState *state)
{
  GTimeZone *zone = jsw_linkedin_timezone_is_valid (state->timezone) ? g_time_zone_new_identifier (state->timezone)
                                                                      : NULL;

  return zone ? zone : g_time_zone_new_utc ();
}

static GDateTime *
local_time (const JswLinkedinState *state,
            gint64                  usec)
{
  g_autoptr(GTimeZone) zone = zone_of (state);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, zone);
}

/* @days after @usec's local day, at @hour:00 local time, in µs. */
static gint64
local_day_at (const JswLinkedinState *state,
              gint64                  usec,
              int                     days,
              int                     hour)
{
  g_autoptr(GTimeZone) zone = zone_of (state);
  g_autoptr(GDateTime) local = local_time (state, usec);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (midnight, days);
  g_autoptr(GDateTime) at = g_date_time_add_hours (day, hour);

  return g_date_time_to_unix (at) * G_USEC_PER_SEC;
}

/* The limits */

/**
 * jsw_linkedin_limits:
 *
 * The person's caps at @now: JSW_LINKEDIN_DAILY, _AUTOMATIC_DAILY and
 * _HOURLY, each halved while a throttle's week lasts.
 */
void
jsw_linkedin_limits (const JswLinkedinState *state,
                     gint64                  now,
                     JswLinkedinLimits      *limits)
{
  gboolean halved = now < state->halved_until;

  limits->daily = halved ? JSW_LINKEDIN_DAILY / 2 : JSW_LINKEDIN_DAILY;
  limits->automatic_daily = halved ? JSW_LINKEDIN_AUTOMATIC_DAILY / 2 : JSW_LINKEDIN_AUTOMATIC_DAILY;
  limits->hourly = halved ? JSW_LINKEDIN_HOURLY / 2 : JSW_LINKEDIN_HOURLY;
}

/**
 * jsw_linkedin_usage:
 * @today: (out): applications started since the person's local midnight
 * @automatic_today: (out): of them, to be sent without review
 * @last_hour: (out): applications started in the 60 minutes before @now
 */
void
jsw_linkedin_usage (const JswLinkedinState *state,
                    gint64                  now,
                    gint64                 *today,
                    gint64                 *automatic_today,
                    gint64                 *last_hour)
{
  gint64 midnight = local_day_at (state, now, 0, 0);

  *today = *automatic_today = *last_hour = 0;
  for (guint i = 0; i < state->starts->len; i++)
    {
      JswLinkedinStart *start = g_ptr_array_index (state->starts, i);

      if (start->started_at > now)
        continue;
      if (start->started_at >= midnight)
        {
          (*today)++;
          *automatic_today += start->automatic ? 1 : 0;
        }
      if (start->started_at > now - G_TIME_SPAN_HOUR)
        (*last_hour)++;
    }
}

/**
 * jsw_linkedin_gap_after:
 *
 * How long after @start the next application may start: from
 * JSW_LINKEDIN_MIN_GAP to JSW_LINKEDIN_MAX_GAP, a person's irregular pace,
 * fixed by the start itself so that every process answers the same.
 *
 * Returns: µs
 */
gint64
jsw_linkedin_gap_after (const JswLinkedinStart *start)
{
  g_autofree char *seed = g_strdup_printf ("%s/%" G_GINT64_FORMAT, start->entry_id, start->started_at);
  gint64 spread = (JSW_LINKEDIN_MAX_GAP - JSW_LINKEDIN_MIN_GAP) / G_USEC_PER_SEC;

  return JSW_LINKEDIN_MIN_GAP + (gint64) (g_str_hash (seed) % (guint) (spread + 1)) * G_USEC_PER_SEC;
}

static void
wait_until (JswLinkedinDecision *decision,
            JswLinkedinWait      wait,
            gint64               until)
{
  if (decision->allowed || until > decision->retry_at)
    {
      decision->allowed = FALSE;
      decision->automatic = FALSE;
      decision->wait = wait;
      decision->retry_at = until;
    }
}

static gboolean
is_night (const JswLinkedinState *state,
          gint64                  now)
{
  g_autoptr(GDateTime) local = local_time (state, now);
  int hour = g_date_time_get_hour (local);

  return hour >= JSW_LINKEDIN_NIGHT_FROM_HOUR || hour < JSW_LINKEDIN_NIGHT_UNTIL_HOUR;
}

/* The next local morning (07:00) after @now. */
static gint64
next_morning (const JswLinkedinState *state,
              gint64                  now)
{
  gint64 today = local_day_at (state, now, 0, JSW_LINKEDIN_NIGHT_UNTIL_HOUR);

  return now < today ? today : local_day_at (state, now, 1, JSW_LINKEDIN_NIGHT_UNTIL_HOUR);
}

/**
 * jsw_linkedin_decide:
 *
 * Whether a LinkedIn application may start at @now and, when it may,
 * whether it is sent without the person's review (they opted in, after
 * reviewing JSW_LINKEDIN_REVIEWS_BEFORE_AUTO, and today's automatic
 * sends are not used up). When it may not: why, and the earliest time the
 * rules allow (the latest of the times each rule that refuses names).
 */
void
jsw_linkedin_decide (const JswLinkedinState *state,
                     gint64                  now,
                     JswLinkedinDecision    *decision)
{
  JswLinkedinLimits limits;
  gint64 today, automatic_today, last_hour;
  JswLinkedinStart *last = NULL;

  *decision = (JswLinkedinDecision) { TRUE, FALSE, JSW_LINKEDIN_WAIT_NONE, 0 };
  jsw_linkedin_limits (state, now, &limits);
  jsw_linkedin_usage (state, now, &today, &automatic_today, &last_hour);

  if (state->restricted)
    wait_until (decision, JSW_LINKEDIN_WAIT_PAUSED, JSW_LINKEDIN_UNTIL_ENABLED);
  if (now < state->paused_until)
    wait_until (decision, JSW_LINKEDIN_WAIT_PAUSED, state->paused_until);
  if (is_night (state, now))
    wait_until (decision, JSW_LINKEDIN_WAIT_NIGHT, next_morning (state, now));
  if (today >= limits.daily)
    wait_until (decision, JSW_LINKEDIN_WAIT_DAILY, local_day_at (state, now, 1, JSW_LINKEDIN_NIGHT_UNTIL_HOUR));
  if (last_hour >= limits.hourly)
    {
      /* Free again an hour after the oldest of the last hour's that keep
       * it full. */
      guint seen = 0;

      for (guint i = state->starts->len; i > 0; i--)
        {
          JswLinkedinStart *start = g_ptr_array_index (state->starts, i - 1);

          if (start->started_at > now || start->started_at <= now - G_TIME_SPAN_HOUR)
            continue;
          if (++seen == limits.hourly)
            {
              wait_until (decision, JSW_LINKEDIN_WAIT_HOURLY, start->started_at + G_TIME_SPAN_HOUR);
              break;
            }
        }
    }
  for (guint i = 0; i < state->starts->len; i++)
    {
      JswLinkedinStart *start = g_ptr_array_index (state->starts, i);

      if (start->started_at <= now && (last == NULL || start->started_at >= last->started_at))
        last = start;
    }
  if (last != NULL && now < last->started_at + jsw_linkedin_gap_after (last))
    wait_until (decision, JSW_LINKEDIN_WAIT_GAP, last->started_at + jsw_linkedin_gap_after (last));

  if (decision->allowed)
    decision->automatic = state->auto_send && state->reviewed >= JSW_LINKEDIN_REVIEWS_BEFORE_AUTO &&
                          automatic_today < limits.automatic_daily;
}

/* Changes (JswLinkedinChangeFunc) */

/**
 * jsw_linkedin_admit:
 * @data: (type JswLinkedinAdmission): the entry and, out, the decision
 *
 * Starts a LinkedIn application for the entry when jsw_linkedin_decide()
 * allows it; otherwise fails with %JSW_ERROR_QUOTA_EXCEEDED saying until
 * when (the decision says it too).
 */
gboolean
jsw_linkedin_admit (JswLinkedinState  *state,
                    gint64             now,
                    gpointer           data,
                    GError           **error)
{
  JswLinkedinAdmission *admission = data;
  g_autofree char *when = NULL;

  jsw_linkedin_decide (state, now, &admission->decision);
  if (admission->decision.allowed)
    {
      state->new_start = jsw_linkedin_start_new (admission->entry_id, now, admission->decision.automatic, FALSE);
      return TRUE;
    }
  if (admission->decision.retry_at == JSW_LINKEDIN_UNTIL_ENABLED)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED,
                           _("LinkedIn applications are stopped until you turn them on again"));
      return FALSE;
    }
  when = jsw_time_format (admission->decision.retry_at);
  switch (admission->decision.wait)
    {
    case JSW_LINKEDIN_WAIT_PAUSED:
      /* TRANSLATORS: %s is a time, RFC 3339 in UTC */
      g_set_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED, _("LinkedIn applications are paused until %s"), when);
      break;
    case JSW_LINKEDIN_WAIT_NIGHT:
      g_set_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED,
                   _("No LinkedIn applications at night; the next one may start at %s"), when);
      break;
    case JSW_LINKEDIN_WAIT_DAILY:
      g_set_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED,
                   _("Today's LinkedIn applications are used up; the next one may start at %s"), when);
      break;
    case JSW_LINKEDIN_WAIT_HOURLY:
      g_set_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED,
                   _("This hour’s LinkedIn applications are used up; the next one may start at %s"), when);
      break;
    case JSW_LINKEDIN_WAIT_GAP:
    case JSW_LINKEDIN_WAIT_NONE:
    default:
      g_set_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED,
                   _("LinkedIn applications are spaced out; the next one may start at %s"), when);
      break;
    }
  return FALSE;
}

/* @data: the entry id whose start is taken back (its claim failed). */
gboolean
jsw_linkedin_forget (JswLinkedinState  *state,
                     gint64             now,
                     gpointer           data,
                     GError           **error)
{
  state->forget_entry = g_strdup (data);
  return TRUE;
}

/* @data: the entry id LinkedIn confirmed. A start that was not automatic
 * was reviewed and sent by the person, which counts toward the offer of
 * automatic sending. */
gboolean
jsw_linkedin_note_sent (JswLinkedinState  *state,
                        gint64             now,
                        gpointer           data,
                        GError           **error)
{
  const char *entry_id = data;

  for (guint i = state->starts->len; i > 0; i--)
    {
      JswLinkedinStart *start = g_ptr_array_index (state->starts, i - 1);

      if (!g_str_equal (start->entry_id, entry_id) || start->sent)
        continue;
      if (!start->automatic)
        state->reviewed++;
      state->sent_entry = g_strdup (entry_id);
      return TRUE;
    }
  return TRUE;
}

/**
 * jsw_linkedin_apply_stop:
 * @data: (type JswLinkedinStop*): what LinkedIn showed
 *
 * Pauses LinkedIn applications after one of LinkedIn's stops: the
 * daily-limit panel until the person's next local midnight, the throttle
 * for 24 hours (and halves the caps for a week), a security check for 72
 * hours, a restricted account until the person re-enables it. A pause
 * already running longer is kept. The restriction is kept beside the timed
 * pause (JswLinkedinState.restricted), so that re-enabling ends it only and
 * a throttle's 24 hours or a checkpoint's 72 still run their time.
 */
gboolean
jsw_linkedin_apply_stop (JswLinkedinState  *state,
                         gint64             now,
                         gpointer           data,
                         GError           **error)
{
  JswLinkedinStop stop = *(JswLinkedinStop *) data;
  gint64 until;

  switch (stop)
    {
    case JSW_LINKEDIN_STOP_DAILY_LIMIT:
      until = local_day_at (state, now, 1, 0);
      break;
    case JSW_LINKEDIN_STOP_THROTTLED:
      until = now + JSW_LINKEDIN_THROTTLE_PAUSE;
      state->halved_until = MAX (state->halved_until, now + JSW_LINKEDIN_HALVED_FOR);
      break;
    case JSW_LINKEDIN_STOP_CHECKPOINT:
      until = now + JSW_LINKEDIN_CHECKPOINT_PAUSE;
      break;
    case JSW_LINKEDIN_STOP_RESTRICTED:
      state->restricted = TRUE;
      return TRUE;
    case JSW_LINKEDIN_STOP_NONE:
    default:
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown LinkedIn stop"));
      return FALSE;
    }
  if (until > state->paused_until || now >= state->paused_until)
    {
      state->paused_until = until;
      state->pause_reason = stop;
    }
  return TRUE;
}

/**
 * jsw_linkedin_apply_settings:
 * @data: (type JswLinkedinSettings*)
 *
 * The person's choices: their time zone (checked:
 * jsw_linkedin_timezone_is_valid()), automatic sending (only once they
 * reviewed JSW_LINKEDIN_REVIEWS_BEFORE_AUTO applications, else
 * %JSW_ERROR_CONFLICT), and re-enabling LinkedIn after a restriction
 * (ends that pause only; the others run their time).
 */
gboolean
jsw_linkedin_apply_settings (JswLinkedinState  *state,
                             gint64             now,
                             gpointer           data,
                             GError           **error)
{
  const JswLinkedinSettings *settings = data;

  if (settings->timezone != NULL && !jsw_linkedin_timezone_is_valid (settings->timezone))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” is not a time zone: give an IANA zone name such as “Europe/Berlin” or an offset such as “+08:00”"),
                   settings->timezone);
      return FALSE;
    }
  if (settings->auto_send == 1 && !state->auto_send && state->reviewed < JSW_LINKEDIN_REVIEWS_BEFORE_AUTO)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Sending LinkedIn applications automatically is offered after you reviewed %d prepared application; you reviewed %d",
                                "Sending LinkedIn applications automatically is offered after you reviewed %d prepared applications; you reviewed %d",
                                JSW_LINKEDIN_REVIEWS_BEFORE_AUTO),
                   JSW_LINKEDIN_REVIEWS_BEFORE_AUTO, (int) state->reviewed);
      return FALSE;
    }
  if (settings->timezone != NULL)
    {
      g_free (state->timezone);
      state->timezone = g_strdup (settings->timezone);
    }
  if (settings->auto_send >= 0)
    state->auto_send = settings->auto_send;
  if (settings->enable)
    state->restricted = FALSE;
  return TRUE;
}
