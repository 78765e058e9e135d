/* jsw-profile-sync.c
 *
 * The profile and resume kept on the server for server execution (issue
 * 11; docs/server.md "Profiles kept for server execution"), following the
 * setting `keep-profile-on-server`:
 *
 *   ticked    PUT /v1/me/profile (PROFILE.json without `resume_path`: a
 *             path on this computer means nothing there), then PUT
 *             /v1/me/resume with the file (or DELETE it when the profile
 *             has none); again whenever the store saves the profile
 *   unticked  DELETE both
 *
 * `status` says what the server last answered: when they were last sent,
 * that they were withdrawn, or the server's own message when it refused
 * (`failed`). Nothing is reported sent without the server's 2xx. A refusal
 * of the first sending after the tick (a server without a profile key
 * answers 503) unticks the setting again, so the switch never claims what
 * the server does not hold; a refused re-sending leaves it ticked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-profile-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-profile-sync.h"

#define KEY "keep-profile-on-server"

struct _JswProfileSync
{
  GObject          parent_instance;

  JswSession      *session;
  JswProfileStore *store;
  GSettings       *settings;
  GCancellable    *cancellable;   /* of the call under way; a newer one cancels it */
  char            *status;
  char            *sent_at;       /* the profile's `updated_at` of this sending */
  gboolean         failed;
  gboolean         busy;
  gboolean         after_tick;    /* this sending follows the tick */
  gboolean         reverting;     /* unticking after a refused tick: nothing to withdraw */
};

G_DEFINE_FINAL_TYPE (JswProfileSync, jsw_profile_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_FAILED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_status (JswProfileSync *self,
            const char     *status,
            gboolean        failed,
            gboolean        busy)
{
  g_free (self->status);
  self->status = g_strdup (status);
  self->failed = failed;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static GCancellable *
begin (JswProfileSync *self,
       const char     *status)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_status (self, status, FALSE, TRUE);
  return self->cancellable;
}

/* "Last sent 29/11/26 13:20:05", in the person's locale and time zone. */
static char *
last_sent_text (const char *updated_at)
{
  g_autoptr(GDateTime) utc = updated_at ? g_date_time_new_from_iso8601 (updated_at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%c") : NULL;

  /* TRANSLATORS: %s is a date and time */
  return g_strdup_printf (_("Last sent %s"), when ? when : _("just now"));
}

/* Finishes a call of the chain: %TRUE with the answer for a 2xx; otherwise
 * says why in `status` and returns %FALSE (also when cancelled). */
static gboolean
answered (JswProfileSync  *self,
          GAsyncResult    *result,
          JsonNode       **answer_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;
  JsonObject *object, *problem;

  answer = jsw_session_rest_finish (self->session, result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (answer != NULL && status >= 200 && status < 300)
    {
      if (answer_out != NULL)
        *answer_out = g_steal_pointer (&answer);
      return TRUE;
    }

  object = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  problem = object && json_object_has_member (object, "error") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error"))
            ? json_object_get_object_member (object, "error") : NULL;
  if (problem != NULL)
    set_status (self, json_object_get_string_member_with_default (problem, "message", _("The server refused")), TRUE, FALSE);
  else if (error != NULL)
    set_status (self, error->message, TRUE, FALSE);
  else
    set_status (self, _("The server refused"), TRUE, FALSE);

  if (self->after_tick && g_settings_get_boolean (self->settings, KEY))
    {
      self->reverting = TRUE;
      g_settings_set_boolean (self->settings, KEY, FALSE);
      self->reverting = FALSE;
    }
  return FALSE;
}

/* Sending: the profile, then the resume */

static void
resume_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JswProfileSync) self = user_data;
  g_autofree char *text = NULL;

  if (!answered (self, result, NULL))
    return;
  self->after_tick = FALSE;
  text = last_sent_text (self->sent_at);
  set_status (self, text, FALSE, FALSE);
}

static void
send_resume (JswProfileSync *self,
             JswProfile     *profile)
{
  const char *path = jsw_profile_get_resume_path (profile);
  g_autoptr(GFile) file = path ? g_file_new_for_path (path) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL, *escaped = NULL, *query = NULL, *type = NULL, *media_type = NULL;

  if (file == NULL)
    {
      /* None on this computer: none kept on the server either. */
      jsw_session_rest_async (self->session, "DELETE", "/v1/me/resume", NULL, self->cancellable,
                              resume_sent, g_object_ref (self));
      return;
    }
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The resume could not be read: %s"), error->message);

      set_status (self, message, TRUE, FALSE);
      return;
    }
  name = g_file_get_basename (file);
  escaped = g_uri_escape_string (name, NULL, FALSE);
  query = g_strconcat ("/v1/me/resume?filename=", escaped, NULL);
  /* The server checks the type by content too; this only names it. */
  type = g_content_type_guess (name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  media_type = g_content_type_get_mime_type (type);
  jsw_session_send_async (self->session, "PUT", query, media_type ? media_type : "application/octet-stream",
                          bytes, self->cancellable, resume_sent, g_object_ref (self));
}

static void
profile_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JswProfileSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JswProfile) profile = NULL;
  JsonObject *object;

  if (!answered (self, result, &answer))
    return;
  object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  g_free (self->sent_at);
  self->sent_at = g_strdup (object ? json_object_get_string_member_with_default (object, "updated_at", NULL) : NULL);
  profile = jsw_profile_store_dup_profile (self->store);
  send_resume (self, profile);
}

/* PROFILE.json as saved, without `resume_path`. */
static char *
profile_for_server (JswProfile *profile)
{
  g_autofree char *text = jsw_profile_to_json (profile);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  json_object_remove_member (json_node_get_object (node), "resume_path");
  return json_to_string (node, FALSE);
}

static void
send_all (JswProfileSync *self)
{
  g_autoptr(JswProfile) profile = jsw_profile_store_dup_profile (self->store);
  g_autofree char *body = profile_for_server (profile);

  begin (self, _("Sending…"));
  jsw_session_rest_async (self->session, "PUT", "/v1/me/profile", body, self->cancellable,
                          profile_sent, g_object_ref (self));
}

/* Withdrawing: both */

static void
resume_withdrawn (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JswProfileSync) self = user_data;

  if (answered (self, result, NULL))
    set_status (self, _("Withdrawn: the server keeps neither your profile nor your resume"), FALSE, FALSE);
}

static void
profile_withdrawn (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(JswProfileSync) self = user_data;

  if (answered (self, result, NULL))
    jsw_session_rest_async (self->session, "DELETE", "/v1/me/resume", NULL, self->cancellable,
                            resume_withdrawn, g_object_ref (self));
}

static void
withdraw_all (JswProfileSync *self)
{
  begin (self, _("Withdrawing…"));
  jsw_session_rest_async (self->session, "DELETE", "/v1/me/profile", NULL, self->cancellable,
                          profile_withdrawn, g_object_ref (self));
}

/* What the server holds now, when it was ticked before: its `updated_at`,
 * or (none kept, such as after the key changed) sent again. */
static void
kept_profile_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(JswProfileSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *text = NULL;
  guint status = 0;

  answer = jsw_session_rest_finish (self->session, result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (status == 200 && answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      text = last_sent_text (json_object_get_string_member_with_default (json_node_get_object (answer), "updated_at", NULL));
      set_status (self, text, FALSE, FALSE);
      return;
    }
  send_all (self);
}

static void
on_setting_changed (JswProfileSync *self)
{
  if (self->reverting)
    return;
  if (g_settings_get_boolean (self->settings, KEY))
    {
      self->after_tick = TRUE;
      send_all (self);
    }
  else
    {
      self->after_tick = FALSE;
      withdraw_all (self);
    }
}

static void
on_profile_saved (JswProfileSync *self)
{
  if (g_settings_get_boolean (self->settings, KEY))
    send_all (self);
}

const char *
jsw_profile_sync_get_status (JswProfileSync *self)
{
  return self->status;
}

gboolean
jsw_profile_sync_get_failed (JswProfileSync *self)
{
  return self->failed;
}

gboolean
jsw_profile_sync_get_busy (JswProfileSync *self)
{
  return self->busy;
}

static void
jsw_profile_sync_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JswProfileSync *self = JSW_PROFILE_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_FAILED: g_value_set_boolean (value, self->failed); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_profile_sync_dispose (GObject *object)
{
  JswProfileSync *self = JSW_PROFILE_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (jsw_profile_sync_parent_class)->dispose (object);
}

static void
jsw_profile_sync_finalize (GObject *object)
{
  JswProfileSync *self = JSW_PROFILE_SYNC (object);

  g_free (self->status);
  g_free (self->sent_at);
  G_OBJECT_CLASS (jsw_profile_sync_parent_class)->finalize (object);
}

static void
jsw_profile_sync_class_init (JswProfileSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = jsw_profile_sync_get_property;
  object_class->dispose = jsw_profile_sync_dispose;
  object_class->finalize = jsw_profile_sync_finalize;
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED] = g_param_spec_boolean ("failed", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jsw_profile_sync_init (JswProfileSync *self)
{
}

/**
 * jsw_profile_sync_new:
 * @session: signed in; its REST calls carry the token
 * @store: the profile as saved; each save is sent again while ticked
 * @settings: org.jobswipe.JobSwipe, whose `keep-profile-on-server` it follows
 *
 * When the setting is ticked already, asks the server when the profile was
 * last sent (and sends it when the server keeps none).
 */
JswProfileSync *
jsw_profile_sync_new (JswSession      *session,
                      JswProfileStore *store,
                      GSettings       *settings)
{
  JswProfileSync *self = g_object_new (JSW_TYPE_PROFILE_SYNC, NULL);

  self->session = g_object_ref (session);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (settings, "changed::" KEY, G_CALLBACK (on_setting_changed), self);
  g_signal_connect_swapped (store, "notify::profile", G_CALLBACK (on_profile_saved), self);
  if (g_settings_get_boolean (settings, KEY))
    jsw_session_rest_async (session, "GET", "/v1/me/profile", NULL, begin (self, _("Asking the server…")),
                            kept_profile_loaded, g_object_ref (self));
  else
    set_status (self, _("Only this computer holds your profile"), FALSE, FALSE);
  return self;
}
