/* jsw-discover-page-refusals.c: the server's refusals of a swipe, said in
 * the person's terms
 *
 * A reached limit (402) says which and when it resets, with Upgrade where
 * the server sells a plan above the person's; a likely duplicate (409)
 * says when the person applied, with Apply Anyway; a closed posting (404)
 * and anything else, a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-discover-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-discover-page-private.h"
#include "jsw-plan-page.h"
#include "jsw-screenshot.h"

/* When a plan's counter starts again (PROTOCOL.md: calendar periods in
 * UTC), in the person's time. */
static char *
reset_text (gboolean daily)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                                                    daily ? g_date_time_get_day_of_month (now) : 1, 0, 0, 0);
  g_autoptr(GDateTime) reset = daily ? g_date_time_add_days (start, 1) : g_date_time_add_months (start, 1);
  g_autoptr(GDateTime) local = g_date_time_to_local (reset);

  /* TRANSLATORS: when a limit resets: "Monday, 30 November at 01:00" */
  return g_date_time_format (local, _("%A, %e %B at %H:%M"));
}

static void
on_limit_response (JswDiscoverPage *self,
                   const char      *response)
{
  if (g_str_equal (response, "upgrade"))
    gtk_widget_activate_action (GTK_WIDGET (self), "deck.upgrade", NULL);
}

static void
show_limit (JswDiscoverPage *self,
            JsonObject      *me)
{
  static const char *counters[] = { "daily", "total_month", "server_month" };
  JsonObject *limits = me ? json_object_get_object_member (me, "limits") : NULL;
  JsonObject *usage = me ? json_object_get_object_member (me, "usage") : NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  for (guint i = 0; limits != NULL && usage != NULL && body == NULL && i < G_N_ELEMENTS (counters); i++)
    {
      JsonNode *limit = json_object_get_member (limits, counters[i]);
      gint64 used = json_object_get_int_member_with_default (usage, counters[i], 0);
      g_autofree char *reset = NULL;

      if (limit == NULL || json_node_is_null (limit) || used < json_node_get_int (limit))
        continue;
      reset = reset_text (i == 0);
      if (i == 0)
        body = g_strdup_printf (ngettext ("Your plan’s %" G_GINT64_FORMAT " application a day is used. "
                                          "Applying starts again on %s.",
                                          "Your plan’s %" G_GINT64_FORMAT " applications a day are used. "
                                          "Applying starts again on %s.", json_node_get_int (limit)),
                                json_node_get_int (limit), reset);
      else if (i == 1)
        body = g_strdup_printf (ngettext ("Your plan’s %" G_GINT64_FORMAT " application this month is used. "
                                          "Applying starts again on %s.",
                                          "Your plan’s %" G_GINT64_FORMAT " applications this month are used. "
                                          "Applying starts again on %s.", json_node_get_int (limit)),
                                json_node_get_int (limit), reset);
      else
        body = g_strdup_printf (ngettext ("Your plan’s %" G_GINT64_FORMAT " application on our servers this month is "
                                          "used, and your applications run only there. Choose “This computer” or "
                                          "“Automatic” in Preferences, or wait until %s.",
                                          "Your plan’s %" G_GINT64_FORMAT " applications on our servers this month are "
                                          "used, and your applications run only there. Choose “This computer” or "
                                          "“Automatic” in Preferences, or wait until %s.", json_node_get_int (limit)),
                                json_node_get_int (limit), reset);
    }
  if (body == NULL)
    body = g_strdup (_("Your plan’s limit is reached. Applying starts again when the limit resets."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Application Limit Reached"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  /* Only where it leads somewhere: the server sells a plan above the
   * person's (not where billing is not set up). */
  if (me != NULL && jsw_plan_page_offers_upgrade (me))
    {
      adw_message_dialog_add_response (dialog, "upgrade", _("_Upgrade"));
      adw_message_dialog_set_response_appearance (dialog, "upgrade", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "upgrade");
    }
  adw_message_dialog_set_close_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_limit_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  jsw_screenshot_soon (GTK_WIDGET (dialog), "deck-limit", 700);
}

static void
me_for_limit_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(JswDiscoverPage) self = user_data;
  guint status = 0;
  g_autoptr(JsonNode) me = jsw_session_rest_finish (JSW_SESSION (source), result, &status, NULL);

  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  show_limit (self, me && status == 200 && JSON_NODE_HOLDS_OBJECT (me) ? json_node_get_object (me) : NULL);
}

typedef struct {
  JswDiscoverPage *self;
  char            *posting_id;
  char            *title;
} Duplicate;

static void
duplicate_free (Duplicate *duplicate)
{
  g_object_unref (duplicate->self);
  g_free (duplicate->posting_id);
  g_free (duplicate->title);
  g_free (duplicate);
}

static void
on_duplicate_response (AdwMessageDialog *dialog,
                       const char       *response,
                       Duplicate        *duplicate)
{
  JswDiscoverPage *self = duplicate->self;

  if (!g_str_equal (response, "apply"))
    return;
  g_free (self->allow_duplicate);
  self->allow_duplicate = g_strdup (duplicate->posting_id);
  jsw_discover_page_swipe (self, TRUE);
}

static void
show_duplicate (Duplicate  *duplicate,
                JsonObject *entry)
{
  const char *created_at = entry ? json_object_get_string_member_with_default (entry, "created_at", NULL) : NULL;
  g_autoptr(GDateTime) created = created_at ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
  g_autoptr(GDateTime) local = created ? g_date_time_to_local (created) : NULL;
  /* TRANSLATORS: the day of an earlier application: "27 November 2026" */
  g_autofree char *day = local ? g_date_time_format (local, _("%e %B %Y")) : NULL;
  g_autofree char *heading = day ? g_strdup_printf (_("You applied to this job on %s"), g_strstrip (day))
                                 : g_strdup (_("You applied to this job before"));
  g_autofree char *body = g_strdup_printf (_("“%s” looks like a job you already applied to, posted again or for "
                                             "another place. Apply to this posting as well?"), duplicate->title);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (duplicate->self))),
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", _("_Apply Anyway"), NULL);
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_duplicate_response), duplicate,
                         (GClosureNotify) duplicate_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  jsw_screenshot_soon (GTK_WIDGET (dialog), "deck-duplicate", 700);
}

static void
duplicate_entry_loaded (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Duplicate *duplicate = user_data;
  guint status = 0;
  g_autoptr(JsonNode) entry = jsw_session_rest_finish (JSW_SESSION (source), result, &status, NULL);

  if (gtk_widget_get_root (GTK_WIDGET (duplicate->self)) == NULL)
    {
      duplicate_free (duplicate);
      return;
    }
  show_duplicate (duplicate, entry && status == 200 && JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL);
}

/* JswDeckModel::refused: a swipe the server would not take, put back in
 * front. */
void
_jsw_discover_page_on_refused (JswDiscoverPage *self,
                               JsonObject      *posting,
                               guint            status,
                               const char      *message,
                               JsonObject      *duplicate_of)
{
  if (status == 402)
    jsw_session_rest_async (self->session, "GET", "/v1/me", NULL, NULL, me_for_limit_loaded, g_object_ref (self));
  else if (status == 409 && duplicate_of != NULL && posting != NULL)
    {
      Duplicate *duplicate = g_new0 (Duplicate, 1);
      g_autofree char *path = g_strdup_printf ("/v1/queue/%s",
                                               json_object_get_string_member_with_default (duplicate_of, "entry_id", ""));

      duplicate->self = g_object_ref (self);
      duplicate->posting_id = g_strdup (posting_string (posting, "posting_id"));
      duplicate->title = g_strdup (posting_string (posting, "title"));
      jsw_session_rest_async (self->session, "GET", path, NULL, NULL, duplicate_entry_loaded, duplicate);
    }
  else if (status == 404)
    add_toast (self, adw_toast_new_format (_("“%s” is no longer open, and was not applied to"),
                                           posting_string (posting, "title")));
  else
    add_toast (self, adw_toast_new_format (_("Not swiped: %s"), message));
}
