/* jsw-rest-linkedin.c: a person's LinkedIn limits and pauses (issue 16)
 *
 *   GET  /v1/me/linkedin        LINKEDIN: the limits, today's use, a pause
 *   PUT  /v1/me/linkedin        {"timezone", "auto_send", "enabled"}: the person's choices
 *   POST /v1/me/linkedin/stop   {"reason"}: what LinkedIn showed the desktop
 *
 * The rules are jsw-linkedin.c's; docs/server.md "LinkedIn" describes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-linkedin"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-log.h"
#include "jsw-rest-linkedin.h"

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  json_builder_set_member_name (builder, name);
  if (usec <= 0 || usec == JSW_LINKEDIN_UNTIL_ENABLED)
    {
      json_builder_add_null_value (builder);
      return;
    }
  {
    g_autofree char *text = jsw_time_format (usec);

    json_builder_add_string_value (builder, text);
  }
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_limits (JsonBuilder            *builder,
            const JswLinkedinState *state,
            gint64                  now)
{
  JswLinkedinLimits limits;
  gint64 today, automatic_today, last_hour;

  jsw_linkedin_limits (state, now, &limits);
  jsw_linkedin_usage (state, now, &today, &automatic_today, &last_hour);
  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  add_int (builder, "daily", limits.daily);
  add_int (builder, "automatic_daily", limits.automatic_daily);
  add_int (builder, "hourly", limits.hourly);
  add_int (builder, "min_gap_s", JSW_LINKEDIN_MIN_GAP / G_USEC_PER_SEC);
  add_int (builder, "max_gap_s", JSW_LINKEDIN_MAX_GAP / G_USEC_PER_SEC);
  add_int (builder, "night_from_hour", JSW_LINKEDIN_NIGHT_FROM_HOUR);
  add_int (builder, "night_until_hour", JSW_LINKEDIN_NIGHT_UNTIL_HOUR);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  add_int (builder, "today", today);
  add_int (builder, "automatic_today", automatic_today);
  add_int (builder, "last_hour", last_hour);
  json_builder_end_object (builder);
}

/* LINKEDIN (docs/server.md "LinkedIn"). */
static JsonNode *
state_to_json (const JswLinkedinState *state,
               gint64                  now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  JswLinkedinDecision decision;
  gboolean timed = now < state->paused_until;
  gboolean paused = timed || state->restricted;

  jsw_linkedin_decide (state, now, &decision);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timezone");
  /* a value stored before time zones were checked may be a path: not used, so not shown */
  json_builder_add_string_value (builder, jsw_linkedin_timezone_is_valid (state->timezone) ? state->timezone : "UTC");
  add_limits (builder, state, now);
  json_builder_set_member_name (builder, "halved");
  json_builder_add_boolean_value (builder, now < state->halved_until);
  add_time (builder, "halved_until", now < state->halved_until ? state->halved_until : 0);
  json_builder_set_member_name (builder, "paused");
  json_builder_add_boolean_value (builder, paused);
  json_builder_set_member_name (builder, "pause_reason");
  /* a restriction outlasts any timed pause; once re-enabled, the timed one shows */
  if (paused)
    json_builder_add_string_value (builder, jsw_linkedin_stop_to_string (state->restricted ? JSW_LINKEDIN_STOP_RESTRICTED
                                                                                           : state->pause_reason));
  else
    json_builder_add_null_value (builder);
  add_time (builder, "paused_until", timed && !state->restricted ? state->paused_until : 0);
  json_builder_set_member_name (builder, "may_start_now");
  json_builder_add_boolean_value (builder, decision.allowed);
  json_builder_set_member_name (builder, "waiting_for");
  if (decision.allowed)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, jsw_linkedin_wait_to_string (decision.wait));
  add_time (builder, "next_start_at", decision.allowed ? 0 : decision.retry_at);
  add_int (builder, "reviewed", state->reviewed);
  json_builder_set_member_name (builder, "auto_send_offered");
  json_builder_add_boolean_value (builder, state->reviewed >= JSW_LINKEDIN_REVIEWS_BEFORE_AUTO);
  json_builder_set_member_name (builder, "auto_send");
  json_builder_add_boolean_value (builder, state->auto_send);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_state (JswRestContext    *rest,
             SoupServerMessage *msg,
             const char        *user_id)
{
  g_autoptr(GError) error = NULL;
  gint64 now = jsw_rest_now ();
  g_autoptr(JswLinkedinState) state = jsw_store_linkedin_load (rest->store, user_id, now, &error);
  g_autoptr(JsonNode) node = NULL;

  if (state == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  node = state_to_json (state, now);
  jsw_rest_reply_json (msg, SOUP_STATUS_OK, node);
}

/* {"timezone": string, "auto_send": bool, "enabled": true}, each optional. */
static gboolean
read_settings (JsonObject           *body,
               JswLinkedinSettings  *settings,
               GError              **error)
{
  gboolean auto_send = FALSE;

  *settings = (JswLinkedinSettings) { NULL, -1, FALSE };
  if (!jsw_json_get_string (body, "timezone", 0, 64, &settings->timezone, error) ||
      !jsw_json_get_boolean (body, "auto_send", 0, &auto_send, error) ||
      !jsw_json_get_boolean (body, "enabled", 0, &settings->enable, error))
    return FALSE;
  if (json_object_has_member (body, "auto_send"))
    settings->auto_send = auto_send;
  if (json_object_has_member (body, "enabled") && !settings->enable)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("“enabled” can only be true: LinkedIn stops itself, the person turns it on again"));
      return FALSE;
    }
  return TRUE;
}

/* GET and PUT /v1/me/linkedin */
void
jsw_rest_linkedin_mine (JswRestContext *rest,
                        JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JswLinkedinSettings settings;
  JsonObject *body;

  if (g_str_equal (request->method, "GET"))
    {
      reply_state (rest, request->msg, request->auth->user_id);
      return;
    }
  if (!g_str_equal (request->method, "PUT"))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID, _("Use GET or PUT on /v1/me/linkedin"));
      return;
    }
  body = jsw_rest_parse_body (request->msg, &root, &error);
  if (body == NULL || !read_settings (body, &settings, &error) ||
      !jsw_store_linkedin_change (rest->store, request->auth->user_id, jsw_rest_now (),
                                  jsw_linkedin_apply_settings, &settings, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  reply_state (rest, request->msg, request->auth->user_id);
}

/* POST /v1/me/linkedin/stop {"reason": "daily_limit"|"throttled"|"checkpoint"|"restricted"} */
void
jsw_rest_linkedin_stop (JswRestContext *rest,
                        JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = jsw_rest_parse_body (request->msg, &root, &error);
  const char *reason = NULL;
  JswLinkedinStop stop;

  if (body == NULL || !jsw_json_get_string (body, "reason", JSW_FIELD_REQUIRED, 32, &reason, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  if (!jsw_linkedin_stop_from_string (reason, &stop))
    {
      jsw_rest_reply_error_code (request->msg, JSW_ERROR_INVALID,
                                 _("“reason” is one of daily_limit, throttled, checkpoint and restricted"));
      return;
    }
  if (!jsw_store_linkedin_change (rest->store, request->auth->user_id, jsw_rest_now (),
                                  jsw_linkedin_apply_stop, &stop, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  jsw_log (JSW_LOG_INFO, g_object_get_data (G_OBJECT (request->msg), JSW_REST_CID_KEY), "linkedin.stop", "user", 's', request->auth->user_id, "reason", 's', reason, NULL);
  reply_state (rest, request->msg, request->auth->user_id);
}
