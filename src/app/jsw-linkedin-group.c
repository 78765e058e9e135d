/* jsw-linkedin-group.c: LinkedIn's limits on the Plan page (issue 16)
 *
 * What the server allows for LinkedIn applications (`GET /v1/me/linkedin`,
 * docs/server.md "LinkedIn"): how many today, when the next one may start
 * or until when LinkedIn is paused and why, and automatic sending, which is
 * offered only after the person reviewed five prepared applications. The
 * page also tells the server the person's time zone, which "today" and
 * "night" are counted in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-linkedin-group"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-linkedin-group.h"

struct _JswLinkedinGroup
{
  AdwPreferencesGroup  parent_instance;

  JswSession          *session;
  GCancellable        *cancellable;
  AdwActionRow        *today_row;
  AdwActionRow        *status_row;
  AdwActionRow        *auto_row;
  GtkSwitch           *auto_switch;
  gboolean             showing;  /* the switch is being set from the server's answer */
  gboolean             zone_sent;
  gboolean             reread;   /* a PUT was sent: read the state again if it is refused */
};

G_DEFINE_FINAL_TYPE (JswLinkedinGroup, jsw_linkedin_group, ADW_TYPE_PREFERENCES_GROUP)

/* An RFC 3339 time from the server, as the person's local time. */
static char *
local_time_of (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = rfc3339 ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* TRANSLATORS: a day and time, see g_date_time_format() */
  return local ? g_date_time_format (local, _("%a %H:%M")) : NULL;
}

static const char *
pause_reason_words (const char *reason)
{
  if (g_strcmp0 (reason, "daily_limit") == 0)
    return _("LinkedIn’s daily limit was reached");
  if (g_strcmp0 (reason, "throttled") == 0)
    return _("LinkedIn said you were applying at a fast pace");
  if (g_strcmp0 (reason, "checkpoint") == 0)
    return _("LinkedIn asked for a security check");
  if (g_strcmp0 (reason, "restricted") == 0)
    return _("LinkedIn restricted your account");
  return "";
}

static char *
status_text (JsonObject *state)
{
  const char *next = json_object_get_string_member_with_default (state, "next_start_at", NULL);
  g_autofree char *when = local_time_of (next);

  if (json_object_get_boolean_member_with_default (state, "paused", FALSE))
    {
      const char *reason = json_object_get_string_member_with_default (state, "pause_reason", NULL);
      g_autofree char *until = local_time_of (json_object_get_string_member_with_default (state, "paused_until", NULL));

      if (until == NULL)
        /* TRANSLATORS: %s says why, e.g. "LinkedIn restricted your account" */
        return g_strdup_printf (_("Stopped until you turn it on again: %s"), pause_reason_words (reason));
      /* TRANSLATORS: %s is a day and time, then why */
      return g_strdup_printf (_("Paused until %s: %s"), until, pause_reason_words (reason));
    }
  if (json_object_get_boolean_member_with_default (state, "may_start_now", FALSE))
    return g_strdup (_("The next application may start now"));
  if (when != NULL)
    return g_strdup_printf (_("The next application may start %s"), when);
  return g_strdup (_("Waiting"));
}

static void
show_state (JswLinkedinGroup *self,
            JsonObject       *state)
{
  JsonObject *limits = json_object_get_object_member (state, "limits");
  JsonObject *usage = json_object_get_object_member (state, "usage");
  gint64 reviewed = json_object_get_int_member_with_default (state, "reviewed", 0);
  gboolean offered = json_object_get_boolean_member_with_default (state, "auto_send_offered", FALSE);
  g_autofree char *today = NULL;
  g_autofree char *status = status_text (state);
  g_autofree char *description = NULL;

  if (limits == NULL || usage == NULL)
    return;
  description = g_strdup_printf (_("Applied in your own LinkedIn session, at a careful person’s pace: at most %d a day "
                                   "(%d of them sent without your review), %d an hour, 4 to 10 minutes apart, "
                                   "none from 22:00 to 07:00"),
                                 (int) json_object_get_int_member (limits, "daily"),
                                 (int) json_object_get_int_member (limits, "automatic_daily"),
                                 (int) json_object_get_int_member (limits, "hourly"));
  if (json_object_get_boolean_member_with_default (state, "halved", FALSE))
    {
      g_autofree char *halved = g_strconcat (description, " ", _("(halved for a week after LinkedIn’s warning)"), NULL);

      g_free (description);
      description = g_steal_pointer (&halved);
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  /* TRANSLATORS: LinkedIn applications today, e.g. "3 of 20" */
  today = g_strdup_printf (_("%d of %d"), (int) json_object_get_int_member (usage, "today"),
                           (int) json_object_get_int_member (limits, "daily"));
  adw_action_row_set_subtitle (self->today_row, today);
  adw_action_row_set_subtitle (self->status_row, status);

  self->showing = TRUE;
  gtk_switch_set_active (self->auto_switch, json_object_get_boolean_member_with_default (state, "auto_send", FALSE));
  self->showing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->auto_row), offered);
  if (offered)
    adw_action_row_set_subtitle (self->auto_row, _("Otherwise each application waits on LinkedIn’s review step for you"));
  else
    {
      /* TRANSLATORS: %d is how many the person reviewed so far */
      g_autofree char *text = g_strdup_printf (_("Offered after you reviewed 5 applications (%d so far)"), (int) reviewed);

      adw_action_row_set_subtitle (self->auto_row, text);
    }
}

static void send_timezone (JswLinkedinGroup *self,
                           JsonObject       *state);

/* The server's LINKEDIN, after a GET or a PUT. A refused PUT (automatic
 * sending not offered yet) reads the state again, so that the switch
 * shows what holds. */
static void
state_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JswLinkedinGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) state = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (state != NULL && status == 200 && JSON_NODE_HOLDS_OBJECT (state))
    {
      show_state (self, json_node_get_object (state));
      send_timezone (self, json_node_get_object (state));
    }
  else if (status >= 400 && status < 500 && self->reread)
    {
      self->reread = FALSE;
      jsw_session_rest_async (self->session, "GET", "/v1/me/linkedin", NULL, self->cancellable, state_answered,
                              g_object_ref (self));
    }
  else
    adw_action_row_set_subtitle (self->status_row, _("Not available while offline"));
}

/* "Today" and "night" are the person's: the server is told this
 * computer's time zone once, when it holds another. */
static void
send_timezone (JswLinkedinGroup *self,
               JsonObject       *state)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  const char *identifier = g_time_zone_get_identifier (zone);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  if (self->zone_sent || identifier == NULL || *identifier == '\0' || *identifier == ':' ||
      g_strcmp0 (json_object_get_string_member_with_default (state, "timezone", NULL), identifier) == 0)
    return;
  self->zone_sent = TRUE;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, identifier);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  jsw_session_rest_async (self->session, "PUT", "/v1/me/linkedin", body, self->cancellable, state_answered,
                          g_object_ref (self));
}

static void
on_auto_switched (JswLinkedinGroup *self)
{
  const char *body = gtk_switch_get_active (self->auto_switch) ? "{\"auto_send\":true}" : "{\"auto_send\":false}";

  if (self->showing)
    return;
  self->reread = TRUE;
  jsw_session_rest_async (self->session, "PUT", "/v1/me/linkedin", body, self->cancellable, state_answered,
                          g_object_ref (self));
}

static AdwActionRow *
add_row (JswLinkedinGroup *self,
         const char       *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  return ADW_ACTION_ROW (row);
}

static void
jsw_linkedin_group_dispose (GObject *object)
{
  JswLinkedinGroup *self = JSW_LINKEDIN_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (jsw_linkedin_group_parent_class)->dispose (object);
}

static void
jsw_linkedin_group_class_init (JswLinkedinGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_linkedin_group_dispose;
}

static void
jsw_linkedin_group_init (JswLinkedinGroup *self)
{
  self->cancellable = g_cancellable_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("LinkedIn"));
  self->today_row = add_row (self, _("LinkedIn Applications Today"));
  adw_action_row_set_subtitle (self->today_row, _("Loading…"));
  self->status_row = add_row (self, _("Next Application"));
  self->auto_row = add_row (self, _("Send Automatically"));
  self->auto_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->auto_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (self->auto_row, GTK_WIDGET (self->auto_switch));
  adw_action_row_set_activatable_widget (self->auto_row, GTK_WIDGET (self->auto_switch));
  gtk_widget_set_sensitive (GTK_WIDGET (self->auto_row), FALSE);
  g_signal_connect_swapped (self->auto_switch, "notify::active", G_CALLBACK (on_auto_switched), self);
}

/**
 * jsw_linkedin_group_new:
 * @session: the device's session, which reads and changes
 *   /v1/me/linkedin
 */
GtkWidget *
jsw_linkedin_group_new (JswSession *session)
{
  JswLinkedinGroup *self = g_object_new (JSW_TYPE_LINKEDIN_GROUP, NULL);

  self->session = g_object_ref (session);
  jsw_session_rest_async (session, "GET", "/v1/me/linkedin", NULL, self->cancellable, state_answered, g_object_ref (self));
  return GTK_WIDGET (self);
}
