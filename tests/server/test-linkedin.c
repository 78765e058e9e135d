/* test-linkedin.c: LinkedIn applications on the server (issue 16)
 *
 * The store's rules with an injected clock, on SQLite and (as
 * pg-linkedin) on PostgreSQL: LinkedIn entries go to the desktop whatever
 * the mode and `server` mode is refused; at most 4 an hour, 4 to 10
 * minutes apart, 20 a day, 10 of them sent without review, none at night
 * in the person's time zone; LinkedIn's stops pause it (until tomorrow,
 * 24 hours and the caps halved for a week, 72 hours, until re-enabled).
 * Then the same through the real jobswipe-server: the swipe, the route,
 * the desktop's claim and /v1/me/linkedin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "jsw-store-fixture.h"

#define MINUTE (G_GINT64_CONSTANT (60) * SEC)
#define HOUR   (60 * MINUTE)
/* 2026-11-30T09:00:00Z, 10:00 in Berlin, a Monday. */
#define MON_0900_UTC G_GINT64_CONSTANT (1796029200000000)

/* A job whose apply_url is @url. */
static JswJob *
job_at (const char *job_id,
        const char *url)
{
  g_autofree char *json = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"Backend Engineer\",\"company\":\"Acme\","
                                           "\"apply_url\":\"%s\"}", job_id, url);
  g_autoptr(GError) error = NULL;
  JswJob *job = jsw_job_new_from_json (json, &error);

  g_assert_no_error (error);
  return job;
}

static JswJob *
linkedin_job (const char *job_id)
{
  g_autofree char *url = g_strdup_printf ("https://www.LinkedIn.com/jobs/view/%s/", job_id);

  return job_at (job_id, url);
}

static JswEntry *
swipe_linkedin (Fixture    *f,
                const char *user,
                const char *job_id,
                gint64      now,
                GError    **error)
{
  g_autoptr(JswJob) job = linkedin_job (job_id);
  gboolean created;

  return jsw_store_swipe_right (f->store, user, job, now, &created, NULL, error);
}

static void
set_timezone (Fixture    *f,
              const char *user,
              const char *timezone)
{
  JswLinkedinSettings settings = { timezone, -1, FALSE };
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_store_linkedin_change (f->store, user, NOON, jsw_linkedin_apply_settings, &settings, &error));
  g_assert_no_error (error);
}

/* Starts a LinkedIn application for @entry_id at @now; returns the
 * decision, and the refusal's message in @message when asked. */
static JswLinkedinDecision
admit_saying (Fixture     *f,
              const char  *user,
              const char  *entry_id,
              gint64       now,
              char       **message)
{
  JswLinkedinDecision decision;
  g_autoptr(GError) error = NULL;
  gboolean ok = jsw_store_linkedin_admit (f->store, user, entry_id, now, &decision, &error);

  g_assert_cmpint (ok, ==, decision.allowed);
  if (!ok)
    g_assert_error (error, JSW_ERROR, JSW_ERROR_QUOTA_EXCEEDED);
  if (message != NULL)
    *message = error != NULL ? g_strdup (error->message) : NULL;
  return decision;
}

static JswLinkedinDecision
admit (Fixture    *f,
       const char *user,
       const char *entry_id,
       gint64      now)
{
  return admit_saying (f, user, entry_id, now, NULL);
}

static void
stop (Fixture         *f,
      const char      *user,
      JswLinkedinStop  what,
      gint64           now)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_store_linkedin_change (f->store, user, now, jsw_linkedin_apply_stop, &what, &error));
  g_assert_no_error (error);
}

static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "r@example.com", "pro");
  g_autoptr(GError) error = NULL;
  g_autoptr(JswEntry) auto_entry = NULL;
  g_autoptr(JswEntry) ask_entry = NULL;
  g_autoptr(JswEntry) refused = NULL;
  g_autoptr(JswEntry) routed = NULL;
  gint64 total_before;

  /* auto: the server quota remains, yet LinkedIn goes to the desktop */
  auto_entry = swipe_linkedin (f, user, "li-1", NOON, &error);
  g_assert_no_error (error);
  g_assert_cmpint (auto_entry->target, ==, JSW_TARGET_DESKTOP);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_SERVER_MONTH, NOON), ==, 0);

  /* LinkedIn's short links (lnkd.in) are LinkedIn's too; a name that only
   * ends in the same letters is not */
  {
    static const struct {
      const char *url;
      JswTarget   target;
    } links[] = {
      { "https://lnkd.in/gAbC123", JSW_TARGET_DESKTOP },
      { "http://LNKD.IN./e5xYz", JSW_TARGET_DESKTOP },
      { "https://de.linkedin.com/jobs/view/7/", JSW_TARGET_DESKTOP },
      { "https://notlinkedin.com/jobs/7", JSW_TARGET_SERVER },
      { "https://xlnkd.in/jobs/7", JSW_TARGET_SERVER },
    };

    for (guint i = 0; i < G_N_ELEMENTS (links); i++)
      {
        g_autofree char *job_id = g_strdup_printf ("link-%u", i);
        g_autoptr(JswJob) job = job_at (job_id, links[i].url);
        g_autoptr(JswEntry) entry = NULL;
        gboolean created;

        g_test_message ("%s", links[i].url);
        entry = jsw_store_swipe_right (f->store, user, job, NOON, &created, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (entry->target, ==, links[i].target);
      }
  }

  g_assert_true (jsw_store_set_execution_mode (f->store, user, JSW_MODE_ASK, &error));
  ask_entry = swipe_linkedin (f, user, "li-2", NOON, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ask_entry->target, ==, JSW_TARGET_DESKTOP);

  /* server mode promises the server: refused, nothing charged */
  g_assert_true (jsw_store_set_execution_mode (f->store, user, JSW_MODE_SERVER, &error));
  total_before = store_usage (f, user, JSW_COUNTER_TOTAL_MONTH, NOON);
  refused = swipe_linkedin (f, user, "li-3", NOON, &error);
  g_assert_null (refused);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "LinkedIn"));
  g_clear_error (&error);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_TOTAL_MONTH, NOON), ==, total_before);
  g_assert_cmpint (store_usage (f, user, JSW_COUNTER_DAILY, NOON), ==, total_before);

  /* and a queued LinkedIn entry is never moved to the server */
  routed = jsw_store_route_entry (f->store, user, auto_entry->id, JSW_TARGET_SERVER, NOON, NULL, &error);
  g_assert_null (routed);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_CONFLICT);
}

static void
test_pace (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "p@example.com", "pro");
  JswLinkedinDecision d;
  gint64 t = MON_0900_UTC;
  gint64 gap;
  g_autofree char *gap_message = NULL;
  g_autofree char *hour_message = NULL;

  set_timezone (f, user, "Europe/Berlin");
  d = admit (f, user, "e1", t);
  g_assert_true (d.allowed);
  g_assert_false (d.automatic);  /* not opted in */

  /* the next only 4 to 10 minutes later */
  d = admit_saying (f, user, "e2", t + MINUTE, &gap_message);
  g_assert_false (d.allowed);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_GAP);
  g_assert_nonnull (strstr (gap_message, "spaced out"));
  gap = d.retry_at - t;
  g_assert_cmpint (gap, >=, 4 * MINUTE);
  g_assert_cmpint (gap, <=, 10 * MINUTE);
  g_assert_false (admit (f, user, "e2", t + gap - SEC).allowed);
  g_assert_true (admit (f, user, "e2", t + 10 * MINUTE).allowed);
  g_assert_true (admit (f, user, "e3", t + 20 * MINUTE).allowed);
  g_assert_true (admit (f, user, "e4", t + 30 * MINUTE).allowed);

  /* four in the hour: the fifth waits until the first is an hour old,
   * and the refusal says so, not that they are spaced out (the
   * independent tester's finding: it said the gap's words) */
  d = admit_saying (f, user, "e5", t + 45 * MINUTE, &hour_message);
  g_assert_false (d.allowed);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_HOURLY);
  g_test_message ("%s", hour_message);
  g_assert_nonnull (strstr (hour_message, "hour"));
  g_assert_null (strstr (hour_message, "spaced out"));
  g_assert_cmpint (d.retry_at, ==, t + HOUR);
  g_assert_true (admit (f, user, "e5", t + HOUR).allowed);
}

static void
test_daily_ceiling (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "d@example.com", "pro");
  /* 07:00 in Berlin */
  gint64 t = MON_0900_UTC - 3 * HOUR;
  JswLinkedinDecision d;
  gint64 today, automatic_today, last_hour;
  g_autoptr(JswLinkedinState) state = NULL;
  g_autoptr(GError) error = NULL;

  set_timezone (f, user, "Europe/Berlin");
  for (int i = 0; i < JSW_LINKEDIN_DAILY; i++)
    {
      g_autofree char *entry = g_strdup_printf ("d%d", i);

      d = admit (f, user, entry, t + i * 15 * MINUTE);
      g_assert_true (d.allowed);
    }
  d = admit (f, user, "d20", t + 20 * 15 * MINUTE);
  g_assert_false (d.allowed);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_DAILY);
  /* tomorrow, 07:00 in Berlin */
  g_assert_cmpint (d.retry_at, ==, t + 24 * HOUR);

  state = jsw_store_linkedin_load (f->store, user, t + 20 * 15 * MINUTE, &error);
  g_assert_no_error (error);
  jsw_linkedin_usage (state, t + 20 * 15 * MINUTE, &today, &automatic_today, &last_hour);
  g_assert_cmpint (today, ==, 20);
  g_assert_cmpint (automatic_today, ==, 0);
  g_assert_true (admit (f, user, "d20", t + 24 * HOUR).allowed);
}

static void
test_night (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "n@example.com", "pro");
  /* 22:30 in New York is 03:30 UTC the next day */
  gint64 late = MON_0900_UTC + 18 * HOUR + 30 * MINUTE;
  JswLinkedinDecision d;

  set_timezone (f, user, "America/New_York");
  d = admit (f, user, "n1", late);
  g_assert_false (d.allowed);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_NIGHT);
  /* 07:00 in New York: 12:00 UTC */
  g_assert_cmpint (d.retry_at, ==, late + 8 * HOUR + 30 * MINUTE);
  g_assert_false (admit (f, user, "n1", d.retry_at - SEC).allowed);
  g_assert_true (admit (f, user, "n1", d.retry_at).allowed);
  /* the same instant is daytime for someone in Tokyo (12:30) */
  set_timezone (f, user, "Asia/Tokyo");
  g_assert_true (admit (f, user, "n2", late).allowed);
}

static void
test_automatic_sending (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "a@example.com", "pro");
  JswLinkedinSettings opt_in = { NULL, 1, FALSE };
  gint64 t = MON_0900_UTC - 3 * HOUR;  /* 07:00 in Berlin */
  g_autoptr(GError) error = NULL;
  int automatic = 0;

  set_timezone (f, user, "Europe/Berlin");
  /* offered only after five reviewed applications */
  g_assert_false (jsw_store_linkedin_change (f->store, user, t, jsw_linkedin_apply_settings, &opt_in, &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_CONFLICT);
  g_clear_error (&error);
  for (int i = 0; i < JSW_LINKEDIN_REVIEWS_BEFORE_AUTO; i++)
    {
      g_autofree char *entry = g_strdup_printf ("r%d", i);

      g_assert_true (admit (f, user, entry, t + i * 15 * MINUTE).allowed);
      g_assert_true (jsw_store_linkedin_change (f->store, user, t + i * 15 * MINUTE + MINUTE,
                                                jsw_linkedin_note_sent, entry, &error));
      /* confirmed twice (a result sent again): counted once */
      g_assert_true (jsw_store_linkedin_change (f->store, user, t + i * 15 * MINUTE + MINUTE,
                                                jsw_linkedin_note_sent, entry, &error));
    }
  g_assert_true (jsw_store_linkedin_change (f->store, user, t, jsw_linkedin_apply_settings, &opt_in, &error));
  g_assert_no_error (error);

  /* then at most 10 automatic sends a day; the rest wait for review */
  for (int i = JSW_LINKEDIN_REVIEWS_BEFORE_AUTO; i < JSW_LINKEDIN_DAILY; i++)
    {
      g_autofree char *entry = g_strdup_printf ("r%d", i);
      JswLinkedinDecision d = admit (f, user, entry, t + i * 15 * MINUTE);

      g_assert_true (d.allowed);
      automatic += d.automatic;
    }
  g_assert_cmpint (automatic, ==, JSW_LINKEDIN_AUTOMATIC_DAILY);
}

static void
test_stops (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "s@example.com", "pro");
  JswLinkedinSettings enable = { NULL, -1, TRUE };
  gint64 t = MON_0900_UTC;  /* 10:00 in Berlin */
  g_autoptr(JswLinkedinState) state = NULL;
  g_autoptr(GError) error = NULL;
  JswLinkedinLimits limits;
  JswLinkedinDecision d;

  set_timezone (f, user, "Europe/Berlin");

  /* the daily-limit panel: until tomorrow (00:00 in Berlin), then night */
  stop (f, user, JSW_LINKEDIN_STOP_DAILY_LIMIT, t);
  d = admit (f, user, "x", t + HOUR);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_PAUSED);
  g_assert_cmpint (d.retry_at, ==, t + 14 * HOUR);
  g_assert_true (admit (f, user, "x", t + 24 * HOUR).allowed);

  /* "applying at a fast pace": 24 hours, then a week at half the caps */
  t += 24 * HOUR;
  stop (f, user, JSW_LINKEDIN_STOP_THROTTLED, t + 10 * MINUTE);
  d = admit (f, user, "y1", t + 11 * MINUTE);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_PAUSED);
  g_assert_cmpint (d.retry_at, ==, t + 10 * MINUTE + 24 * HOUR);
  t += 24 * HOUR + 10 * MINUTE;
  state = jsw_store_linkedin_load (f->store, user, t, &error);
  g_assert_no_error (error);
  jsw_linkedin_limits (state, t, &limits);
  g_assert_cmpint (limits.daily, ==, 10);
  g_assert_cmpint (limits.automatic_daily, ==, 5);
  g_assert_cmpint (limits.hourly, ==, 2);
  g_assert_true (admit (f, user, "y1", t).allowed);
  g_assert_true (admit (f, user, "y2", t + 15 * MINUTE).allowed);
  d = admit (f, user, "y3", t + 30 * MINUTE);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_HOURLY);
  jsw_linkedin_limits (state, t - 10 * MINUTE + 7 * 24 * HOUR - 24 * HOUR - SEC, &limits);
  g_assert_cmpint (limits.hourly, ==, 2);
  jsw_linkedin_limits (state, t - 24 * HOUR + 7 * 24 * HOUR, &limits);
  g_assert_cmpint (limits.hourly, ==, 4);

  /* a security check: 72 hours */
  t += 2 * HOUR;
  stop (f, user, JSW_LINKEDIN_STOP_CHECKPOINT, t);
  d = admit (f, user, "z", t + 71 * HOUR);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_PAUSED);
  g_assert_cmpint (d.retry_at, ==, t + 72 * HOUR);
  g_assert_true (admit (f, user, "z", t + 72 * HOUR).allowed);

  /* a restricted account: until the person turns it on again */
  t += 96 * HOUR;
  stop (f, user, JSW_LINKEDIN_STOP_RESTRICTED, t);
  d = admit (f, user, "w", t + 30 * 24 * HOUR);
  g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_PAUSED);
  g_assert_cmpint (d.retry_at, ==, JSW_LINKEDIN_UNTIL_ENABLED);
  /* a later, shorter stop does not end it */
  stop (f, user, JSW_LINKEDIN_STOP_CHECKPOINT, t + 30 * 24 * HOUR);
  g_assert_cmpint (admit (f, user, "w", t + 40 * 24 * HOUR).retry_at, ==, JSW_LINKEDIN_UNTIL_ENABLED);
  g_assert_true (jsw_store_linkedin_change (f->store, user, t + 40 * 24 * HOUR, jsw_linkedin_apply_settings, &enable, &error));
  g_assert_no_error (error);
  g_assert_true (admit (f, user, "w", t + 40 * 24 * HOUR).allowed);
}

/* Re-enabling ends a restriction only: a throttle's 24 hours and a
 * checkpoint's 72 that were running when the account was restricted run
 * their time. */
static void
test_restricted_keeps_timed_pause (Fixture       *f,
                                   gconstpointer  data)
{
  static const struct {
    JswLinkedinStop stop;
    gint64          pause;
  } cases[] = {
    { JSW_LINKEDIN_STOP_THROTTLED, 24 * HOUR },
    { JSW_LINKEDIN_STOP_CHECKPOINT, 72 * HOUR },
  };
  JswLinkedinSettings enable = { NULL, -1, TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *email = g_strdup_printf ("rk%u@example.com", i);
      g_autofree char *user = store_add_user (f, email, "pro");
      g_autoptr(GError) error = NULL;
      g_autoptr(JswLinkedinState) state = NULL;
      gint64 t = MON_0900_UTC;  /* UTC: not night for the next 13 hours */
      JswLinkedinDecision d;

      stop (f, user, cases[i].stop, t);
      stop (f, user, JSW_LINKEDIN_STOP_RESTRICTED, t + MINUTE);
      d = admit (f, user, "k", t + HOUR);
      g_assert_cmpint (d.retry_at, ==, JSW_LINKEDIN_UNTIL_ENABLED);

      g_assert_true (jsw_store_linkedin_change (f->store, user, t + 2 * HOUR, jsw_linkedin_apply_settings, &enable, &error));
      g_assert_no_error (error);
      d = admit (f, user, "k", t + 2 * HOUR);
      g_assert_false (d.allowed);
      g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_PAUSED);
      g_assert_cmpint (d.retry_at, ==, t + cases[i].pause);
      state = jsw_store_linkedin_load (f->store, user, t + 2 * HOUR, &error);
      g_assert_no_error (error);
      g_assert_false (state->restricted);
      g_assert_cmpint (state->pause_reason, ==, cases[i].stop);

      /* and a timed stop while restricted leaves the restriction */
      stop (f, user, JSW_LINKEDIN_STOP_RESTRICTED, t + 3 * HOUR);
      stop (f, user, JSW_LINKEDIN_STOP_DAILY_LIMIT, t + 4 * HOUR);
      g_assert_cmpint (admit (f, user, "k", t + 30 * 24 * HOUR).retry_at, ==, JSW_LINKEDIN_UNTIL_ENABLED);
    }
}

static void
test_forget_and_settings (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "g@example.com", "pro");
  JswLinkedinSettings bad = { "Mars/Olympus_Mons", -1, FALSE };
  g_autoptr(JswLinkedinState) state = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = MON_0900_UTC;

  /* a start whose claim failed is taken back: the next may start at once */
  g_assert_true (admit (f, user, "f1", t).allowed);
  g_assert_true (jsw_store_linkedin_change (f->store, user, t, jsw_linkedin_forget, (gpointer) "f1", &error));
  g_assert_true (admit (f, user, "f2", t + SEC).allowed);

  /* a time zone GLib does not know changes nothing */
  g_assert_false (jsw_store_linkedin_change (f->store, user, t, jsw_linkedin_apply_settings, &bad, &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_clear_error (&error);
  state = jsw_store_linkedin_load (f->store, user, t + SEC, &error);
  g_assert_no_error (error);
  g_assert_null (state->timezone);
  g_assert_cmpuint (state->starts->len, ==, 1);
}

/* Time zones are names or offsets, never paths: GLib would open any path
 * (a FIFO blocks the server), so nothing but an IANA name whose zoneinfo
 * file is a regular TZif file, or an offset, is stored. */
static void
test_timezone_not_a_path (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *user = store_add_user (f, "tz@example.com", "pro");
  g_autofree char *dir = g_dir_make_tmp ("jsw-linkedin-tz-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *tokyo_copy = g_build_filename (dir, "tokyo", NULL);
  g_autofree char *tokyo_bytes = NULL;
  gsize tokyo_len;
  const char *refused[] = {
    "/etc/localtime", "../../../../etc/localtime", "/etc/passwd", "/usr/share/zoneinfo/Europe/Berlin",
    "Europe/../Europe/Berlin", "./Europe/Berlin", "Europe//Berlin", "Europe/Berlin/", "Europe/Atlantis",
    "zone.tab", "+25:00", "+08:60", "UTC+8", "Europe/Berlin\n", fifo, tokyo_copy,
  };
  const char *accepted[] = { "Europe/Berlin", "+08:00", "-0530", "America/Argentina/Buenos_Aires", "Etc/GMT+8" };
  g_autoptr(JswLinkedinState) state = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_get_contents ("/usr/share/zoneinfo/Asia/Tokyo", &tokyo_bytes, &tokyo_len, NULL));
  g_assert_true (g_file_set_contents (tokyo_copy, tokyo_bytes, tokyo_len, NULL));

  set_timezone (f, user, "Europe/Berlin");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      JswLinkedinSettings settings = { refused[i], -1, FALSE };

      g_test_message ("refused: %s", refused[i]);
      g_assert_false (jsw_store_linkedin_change (f->store, user, NOON, jsw_linkedin_apply_settings, &settings, &error));
      g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "Europe/Berlin"));
      g_clear_error (&error);
    }
  state = jsw_store_linkedin_load (f->store, user, NOON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->timezone, ==, "Europe/Berlin");
  g_clear_pointer (&state, jsw_linkedin_state_free);

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_test_message ("accepted: %s", accepted[i]);
      set_timezone (f, user, accepted[i]);
      state = jsw_store_linkedin_load (f->store, user, NOON, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (state->timezone, ==, accepted[i]);
      g_clear_pointer (&state, jsw_linkedin_state_free);
    }

  /* a path stored before the check is not opened when read: 14:00 UTC is
   * 23:00 in Tokyo (night), but the copied Tokyo file is not used, so the
   * person's day is UTC's */
  state = jsw_linkedin_state_new ();
  state->timezone = g_strdup (tokyo_copy);
  {
    JswLinkedinDecision d;

    jsw_linkedin_decide (state, MON_0900_UTC + 5 * HOUR, &d);
    g_assert_true (d.allowed);
    g_free (state->timezone);
    state->timezone = g_strdup ("Asia/Tokyo");
    jsw_linkedin_decide (state, MON_0900_UTC + 5 * HOUR, &d);
    g_assert_false (d.allowed);
    g_assert_cmpint (d.wait, ==, JSW_LINKEDIN_WAIT_NIGHT);
    g_free (state->timezone);
    state->timezone = g_strdup (fifo);  /* would block for ever if opened */
    jsw_linkedin_decide (state, MON_0900_UTC + 5 * HOUR, &d);
    g_assert_true (d.allowed);
  }

  g_unlink (fifo);
  g_unlink (tokyo_copy);
  g_rmdir (dir);
}

/* Through the real server --------------------------------------------- */

typedef struct {
  JswTestServer *server;
  SoupSession   *session;
  char          *token;
} ServerFixture;

static void
server_set_up (ServerFixture *f,
               gconstpointer  data)
{
  f->server = jsw_test_server_start (NULL);
  f->session = jsw_test_session_new ();
  f->token = jsw_test_server_add_user (f->server, "li@example.com", "pro", NULL);
}

static void
server_tear_down (ServerFixture *f,
                  gconstpointer  data)
{
  jsw_test_server_free (f->server);
  g_clear_object (&f->session);
  g_free (f->token);
}

static JsonNode *
swipe_over_http (ServerFixture *f,
                 const char    *job_id,
                 guint         *status)
{
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"Engineer\","
                                           "\"company\":\"Acme\",\"apply_url\":\"https://www.linkedin.com/jobs/view/%s/\"}}",
                                           job_id, job_id);

  return jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->token, body, status);
}

/* A fixed-offset zone where it is about noon now, so that the night rule
 * never refuses what this test means to see admitted. */
static char *
zone_where_it_is_noon (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int offset = 12 - g_date_time_get_hour (now);

  if (offset > 12)
    offset -= 24;
  return g_strdup_printf ("%c%02d:00", offset < 0 ? '-' : '+', ABS (offset));
}

static void
test_server_routing (ServerFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) routed = NULL;
  g_autofree char *route_path = NULL;
  JsonObject *entry;
  guint status;

  created = swipe_over_http (f, "li-http-1", &status);
  g_assert_cmpuint (status, ==, 201);
  entry = json_object_get_object_member (json_node_get_object (created), "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, "desktop");

  route_path = g_strdup_printf ("/v1/queue/%s/route", json_object_get_string_member (entry, "id"));
  routed = jsw_test_http (f->session, f->server, "POST", route_path, f->token, "{\"target\":\"server\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (jsw_test_error_code (routed), ==, "conflict");

  jsw_test_set_mode (f->session, f->server, f->token, "server");
  refused = swipe_over_http (f, "li-http-2", &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (jsw_test_error_code (refused), ==, "conflict");
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (refused), "error"),
                                                           "message"), "LinkedIn"));
  g_assert_cmpint (jsw_test_usage_of (f->session, f->server, f->token, "total_month"), ==, 1);
}

static JsonObject *
linkedin_state (ServerFixture *f)
{
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "GET", "/v1/me/linkedin", f->token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (node));
}

static void
test_server_claim_and_stops (ServerFixture *f,
                             gconstpointer  data)
{
  g_autofree char *zone = zone_where_it_is_noon ();
  g_autofree char *put = g_strdup_printf ("{\"timezone\":\"%s\"}", zone);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JswTestStream) stream = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) claimed = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *claim1 = NULL;
  g_autofree char *claim2 = NULL;
  JsonObject *state;
  guint status;

  answer = jsw_test_http (f->session, f->server, "PUT", "/v1/me/linkedin", f->token, put, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "timezone"), ==, zone);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "may_start_now"));
  g_clear_pointer (&answer, json_node_unref);

  first = swipe_over_http (f, "li-claim-1", &status);
  second = swipe_over_http (f, "li-claim-2", &status);
  stream = jsw_test_stream_open (f->server, f->token, NULL);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"laptop\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");

  claim1 = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c1\",\"entry\":\"%s\"}",
                            json_object_get_string_member (json_object_get_object_member (json_node_get_object (first), "entry"), "id"));
  jsw_test_stream_send (stream, claim1);
  claimed = jsw_test_stream_expect_past_changes (stream, "claimed");
  /* not opted in: LinkedIn's review step waits for the person's Send */
  g_assert_cmpstr (json_object_get_string_member (claimed, "linkedin_send"), ==, "review");

  /* the second only 4 to 10 minutes later */
  claim2 = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c2\",\"entry\":\"%s\"}",
                            json_object_get_string_member (json_object_get_object_member (json_node_get_object (second), "entry"), "id"));
  jsw_test_stream_send (stream, claim2);
  refused = jsw_test_stream_expect_past_changes (stream, "error");
  g_assert_cmpstr (json_object_get_string_member (refused, "re"), ==, "c2");
  g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, "quota_exceeded");
  g_assert_nonnull (strstr (json_object_get_string_member (refused, "message"), "LinkedIn"));

  state = linkedin_state (f);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (state, "usage"), "today"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (state, "limits"), "daily"), ==, 20);
  g_assert_false (json_object_get_boolean_member (state, "may_start_now"));
  g_assert_cmpstr (json_object_get_string_member (state, "waiting_for"), ==, "gap");
  g_assert_nonnull (json_object_get_string_member (state, "next_start_at"));
  /* the refusal says when, machine-readable (an addition) */
  g_assert_cmpstr (json_object_get_string_member (refused, "retry_at"), ==,
                   json_object_get_string_member (state, "next_start_at"));
  json_object_unref (state);

  /* LinkedIn asked for a security check: 72 hours */
  answer = jsw_test_http (f->session, f->server, "POST", "/v1/me/linkedin/stop", f->token, "{\"reason\":\"checkpoint\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "paused"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "pause_reason"), ==, "checkpoint");
  g_clear_pointer (&answer, json_node_unref);

  /* the throttle halves the caps */
  answer = jsw_test_http (f->session, f->server, "POST", "/v1/me/linkedin/stop", f->token, "{\"reason\":\"throttled\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (answer), "limits"), "daily"), ==, 10);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "halved"));
}

static void
test_server_bad_input (ServerFixture *f,
                       gconstpointer  data)
{
  static const struct {
    const char *method;
    const char *path;
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "PUT", "/v1/me/linkedin", "{\"timezone\":\"Mars/Olympus_Mons\"}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"timezone\":7}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"timezone\":\"/etc/localtime\"}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"timezone\":\"../../../../etc/localtime\"}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"timezone\":\"/etc/passwd\"}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"enabled\":false}", 400, "invalid" },
    { "PUT", "/v1/me/linkedin", "{\"auto_send\":true}", 409, "conflict" },  /* not offered yet */
    { "PUT", "/v1/me/linkedin", "[", 400, "invalid" },
    { "POST", "/v1/me/linkedin", "{}", 400, "invalid" },
    { "POST", "/v1/me/linkedin/stop", "{\"reason\":\"tired\"}", 400, "invalid" },
    { "POST", "/v1/me/linkedin/stop", "{}", 400, "invalid" },
  };
  JsonObject *state;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status;
      g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, cases[i].method, cases[i].path, f->token,
                                                cases[i].body, &status);

      g_test_message ("%s %s %s", cases[i].method, cases[i].path, cases[i].body);
      g_assert_cmpuint (status, ==, cases[i].status);
      g_assert_cmpstr (jsw_test_error_code (node), ==, cases[i].code);
    }
  /* and nothing changed */
  state = linkedin_state (f);
  g_assert_cmpstr (json_object_get_string_member (state, "timezone"), ==, "UTC");
  g_assert_false (json_object_get_boolean_member (state, "auto_send"));
  g_assert_false (json_object_get_boolean_member (state, "paused"));
  g_assert_false (json_object_get_boolean_member (state, "auto_send_offered"));
  json_object_unref (state);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/linkedin/store/routing", test_routing);
  STORE_TEST_ADD ("/linkedin/store/pace", test_pace);
  STORE_TEST_ADD ("/linkedin/store/daily-ceiling", test_daily_ceiling);
  STORE_TEST_ADD ("/linkedin/store/night", test_night);
  STORE_TEST_ADD ("/linkedin/store/automatic-sending", test_automatic_sending);
  STORE_TEST_ADD ("/linkedin/store/stops", test_stops);
  STORE_TEST_ADD ("/linkedin/store/restricted-keeps-timed-pause", test_restricted_keeps_timed_pause);
  STORE_TEST_ADD ("/linkedin/store/forget-and-settings", test_forget_and_settings);
  STORE_TEST_ADD ("/linkedin/store/timezone-not-a-path", test_timezone_not_a_path);
  g_test_add ("/linkedin/server/routing", ServerFixture, NULL, server_set_up, test_server_routing, server_tear_down);
  g_test_add ("/linkedin/server/claim-and-stops", ServerFixture, NULL, server_set_up, test_server_claim_and_stops,
              server_tear_down);
  g_test_add ("/linkedin/server/bad-input", ServerFixture, NULL, server_set_up, test_server_bad_input, server_tear_down);

  return g_test_run ();
}
