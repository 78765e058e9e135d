/* jsw-plan-page.c: the Plan page of Preferences (issue 14)
 *
 * What the person's plan allows and how much of it this period used (bars),
 * when it renews or ends, and the two ways to change it: "Upgrade" opens a
 * Stripe Checkout page, "Manage Billing" Stripe's billing portal, both in
 * the person's browser through g_app_info_launch_default_for_uri_async()
 * (the desktop portal under Flatpak; never a child process of ours). The
 * server pushes an `account` frame when Stripe confirms a change, and the
 * page shows it at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-plan-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-linkedin-group.h"
#include "jsw-plan-page.h"

/* The plans that can be bought, in the order of the upgrade row's list. */
static const char *const plans_for_sale[] = { "basic", "pro", "premium" };

/* The counters of /v1/me, in the order shown. */
static const struct {
  const char *counter;
  const char *title;
} counters[] = {
  { "daily", N_("Today") },
  { "total_month", N_("This Month") },
  { "server_month", N_("On Our Servers This Month") },
};

struct _JswPlanPage
{
  AdwPreferencesPage  parent_instance;

  JswSession         *session;
  GCancellable       *cancellable;

  AdwActionRow       *plan_row;
  AdwActionRow       *period_row;
  AdwComboRow        *upgrade_row;
  GtkButton          *upgrade_button;
  AdwActionRow       *billing_row;
  GtkButton          *billing_button;
  AdwPreferencesGroup *usage_group;
  AdwActionRow       *usage_rows[G_N_ELEMENTS (counters)];
  GtkLevelBar        *usage_bars[G_N_ELEMENTS (counters)];
};

G_DEFINE_FINAL_TYPE (JswPlanPage, jsw_plan_page, ADW_TYPE_PREFERENCES_PAGE)

/* A problem, said where the person looks: a toast of the window. */
static void
tell (JswPlanPage *self,
      const char  *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_message ("%s", text);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static char *
plan_title (const char *plan)
{
  g_autofree char *title = g_strdup (plan);

  if (title[0] != '\0')
    title[0] = g_ascii_toupper (title[0]);
  return g_steal_pointer (&title);
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "past_due") == 0)
    return _("payment overdue");
  if (g_strcmp0 (status, "canceled") == 0)
    return _("cancelled");
  if (g_strcmp0 (status, "unpaid") == 0)
    return _("unpaid");
  if (g_strcmp0 (status, "trialing") == 0)
    return _("trial");
  return _("active");
}

static gboolean
status_is_live (const char *status)
{
  return g_strcmp0 (status, "active") == 0 || g_strcmp0 (status, "trialing") == 0 ||
         g_strcmp0 (status, "past_due") == 0;
}

static char *
local_date (const char *rfc3339)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_autoptr(GDateTime) local = time ? g_date_time_to_local (time) : NULL;

  return local ? g_date_time_format (local, "%x") : g_strdup (rfc3339);
}

static void
show_period (JswPlanPage *self,
             JsonObject  *subscription)
{
  const char *status = json_object_get_string_member_with_default (subscription, "status", "active");
  JsonNode *end = json_object_get_member (subscription, "current_period_end");
  gboolean ends = g_strcmp0 (status, "canceled") == 0 || g_strcmp0 (status, "unpaid") == 0 ||
                  json_object_get_boolean_member_with_default (subscription, "cancel_at_period_end", FALSE);
  g_autofree char *date = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->period_row), end != NULL && JSON_NODE_HOLDS_VALUE (end));
  if (end == NULL || !JSON_NODE_HOLDS_VALUE (end))
    return;
  date = local_date (json_node_get_string (end));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->period_row), ends ? _("Ends On") : _("Renews On"));
  adw_action_row_set_subtitle (self->period_row, date);
}

static void
show_usage (JswPlanPage *self,
            JsonObject  *me)
{
  JsonObject *limits = json_object_get_object_member (me, "limits");
  JsonObject *usage = json_object_get_object_member (me, "usage");

  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    {
      gint64 used = json_object_get_int_member_with_default (usage, counters[i].counter, 0);
      JsonNode *limit = json_object_get_member (limits, counters[i].counter);
      gboolean limited = limit != NULL && !json_node_is_null (limit);
      gint64 most = limited ? json_node_get_int (limit) : 0;
      g_autofree char *text = NULL;

      if (limited)
        text = g_strdup_printf (_("%'" G_GINT64_FORMAT " of %'" G_GINT64_FORMAT " used"), used, most);
      else
        text = g_strdup_printf (_("%'" G_GINT64_FORMAT " used, no limit"), used);
      adw_action_row_set_subtitle (self->usage_rows[i], text);
      gtk_widget_set_visible (GTK_WIDGET (self->usage_bars[i]), limited);
      gtk_level_bar_set_max_value (self->usage_bars[i], MAX (most, 1));
      gtk_level_bar_set_value (self->usage_bars[i], MIN (used, MAX (most, 1)));
    }
}

/* Offers the next plan above the current one. */
static void
offer_upgrade (JswPlanPage *self,
               const char  *plan)
{
  guint next = 0;

  for (guint i = 0; i < G_N_ELEMENTS (plans_for_sale); i++)
    if (g_strcmp0 (plan, plans_for_sale[i]) == 0)
      next = MIN (i + 1, G_N_ELEMENTS (plans_for_sale) - 1);
  adw_combo_row_set_selected (self->upgrade_row, next);
}

/**
 * jsw_plan_page_offers_upgrade:
 * @me: the account as `GET /v1/me` answers it
 *
 * Whether Upgrade leads somewhere for this person: the server sells a plan
 * above theirs (`subscription.plans_for_sale`, docs/server.md "Billing
 * (issue 14)": empty where billing is not set up). Plans rank free, basic,
 * pro, premium; above any other plan (one an operator made) nothing is
 * sold.
 */
gboolean
jsw_plan_page_offers_upgrade (JsonObject *me)
{
  const char *plan = json_object_get_string_member_with_default (me, "plan", "free");
  JsonObject *subscription = json_object_has_member (me, "subscription")
                             ? json_object_get_object_member (me, "subscription") : NULL;
  JsonArray *for_sale = subscription && json_object_has_member (subscription, "plans_for_sale")
                        ? json_object_get_array_member (subscription, "plans_for_sale") : NULL;
  int rank = g_str_equal (plan, "free") ? 0 : -1;

  for (guint i = 0; i < G_N_ELEMENTS (plans_for_sale); i++)
    if (g_str_equal (plan, plans_for_sale[i]))
      rank = (int) i + 1;
  for (guint i = 0; rank >= 0 && for_sale != NULL && i < json_array_get_length (for_sale); i++)
    for (guint j = (guint) rank; j < G_N_ELEMENTS (plans_for_sale); j++)
      if (g_strcmp0 (json_array_get_string_element (for_sale, i), plans_for_sale[j]) == 0)
        return TRUE;
  return FALSE;
}

/**
 * jsw_plan_page_show_account:
 * @me: the account as `GET /v1/me` answers it
 */
void
jsw_plan_page_show_account (JswPlanPage *self,
                            JsonObject  *me)
{
  const char *plan = json_object_get_string_member_with_default (me, "plan", "free");
  JsonObject *subscription = json_object_has_member (me, "subscription")
                             ? json_object_get_object_member (me, "subscription") : NULL;
  const char *status = subscription ? json_object_get_string_member_with_default (subscription, "status", "active") : "active";
  g_autofree char *title = plan_title (plan);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", title, status_text (status));
  gboolean manage_billing;

  g_return_if_fail (JSW_IS_PLAN_PAGE (self));

  adw_action_row_set_subtitle (self->plan_row, subtitle);
  if (subscription != NULL)
    show_period (self, subscription);
  manage_billing = subscription != NULL &&
                   json_object_get_boolean_member_with_default (subscription, "manage_billing", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->billing_row), manage_billing);
  /* A paid subscription changes its plan in the billing portal; the server
   * opens no second one. Nothing to buy, nothing offered. */
  gtk_widget_set_visible (GTK_WIDGET (self->upgrade_row),
                          jsw_plan_page_offers_upgrade (me) &&
                          !(manage_billing && g_strcmp0 (plan, "free") != 0 && status_is_live (status)));
  offer_upgrade (self, plan);
  show_usage (self, me);
}

static void
account_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JswPlanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) me = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (me != NULL && status == 200 && JSON_NODE_HOLDS_OBJECT (me))
    jsw_plan_page_show_account (self, json_node_get_object (me));
  else
    adw_action_row_set_subtitle (self->plan_row, _("Not available while offline"));
}

static void
on_account_changed (JswSession  *session,
                    JsonObject  *account,
                    JswPlanPage *self)
{
  jsw_plan_page_show_account (self, account);
}

/* Opening Checkout and the portal */

static void
uri_launched (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JswPlanPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The browser could not be opened: %s"), error->message);

      tell (self, text);
    }
}

/* The server's answer: the URL to open, or what to tell the person. */
static void
session_url_received (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(JswPlanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);
  JsonObject *object = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  const char *url = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->upgrade_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->billing_button), TRUE);

  if (object != NULL && status == 200)
    url = json_object_get_string_member_with_default (object, "checkout_url",
                                                      json_object_get_string_member_with_default (object, "portal_url", NULL));
  if (url == NULL)
    {
      JsonObject *problem = object && json_object_has_member (object, "error")
                            ? json_object_get_object_member (object, "error") : NULL;

      tell (self, problem ? json_object_get_string_member_with_default (problem, "message", _("The server refused"))
                          : _("The server could not be reached; try again"));
      return;
    }

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (url, context, self->cancellable, uri_launched, g_object_ref (self));
}

static void
on_upgrade_clicked (JswPlanPage *self)
{
  guint selected = adw_combo_row_get_selected (self->upgrade_row);
  g_autofree char *body = g_strdup_printf ("{\"plan\":\"%s\"}",
                                           plans_for_sale[MIN (selected, G_N_ELEMENTS (plans_for_sale) - 1)]);

  gtk_widget_set_sensitive (GTK_WIDGET (self->upgrade_button), FALSE);
  jsw_session_rest_async (self->session, "POST", "/v1/subscription/checkout", body, self->cancellable,
                          session_url_received, g_object_ref (self));
}

static void
on_billing_clicked (JswPlanPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->billing_button), FALSE);
  jsw_session_rest_async (self->session, "POST", "/v1/subscription/portal", "{}", self->cancellable,
                          session_url_received, g_object_ref (self));
}

static void
add_usage_rows (JswPlanPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(counters[i].title));
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (bar, 160, -1);
      /* Full is the limit reached, not a good thing: no "full" colour. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
      adw_preferences_group_add (self->usage_group, row);
      self->usage_rows[i] = ADW_ACTION_ROW (row);
      self->usage_bars[i] = GTK_LEVEL_BAR (bar);
    }
}

static void
jsw_plan_page_dispose (GObject *object)
{
  JswPlanPage *self = (JswPlanPage *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_PLAN_PAGE);

  G_OBJECT_CLASS (jsw_plan_page_parent_class)->dispose (object);
}

static void
jsw_plan_page_class_init (JswPlanPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_plan_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, plan_row);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, period_row);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, upgrade_row);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, upgrade_button);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, billing_row);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, billing_button);
  gtk_widget_class_bind_template_child (widget_class, JswPlanPage, usage_group);
}

static void
jsw_plan_page_init (JswPlanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  add_usage_rows (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->billing_row), FALSE);
  g_signal_connect_swapped (self->upgrade_button, "clicked", G_CALLBACK (on_upgrade_clicked), self);
  g_signal_connect_swapped (self->billing_button, "clicked", G_CALLBACK (on_billing_clicked), self);
}

/**
 * jsw_plan_page_new:
 * @session: the device's session: the account is read with it, and
 *   follows its `account-changed`
 */
GtkWidget *
jsw_plan_page_new (JswSession *session)
{
  JswPlanPage *self = g_object_new (JSW_TYPE_PLAN_PAGE, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "account-changed", G_CALLBACK (on_account_changed), self, 0);
  jsw_session_rest_async (session, "GET", "/v1/me", NULL, self->cancellable, account_loaded, g_object_ref (self));
  /* LinkedIn's limits (issue 16), counted apart from the plan's */
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (jsw_linkedin_group_new (session)));
  return GTK_WIDGET (self);
}
