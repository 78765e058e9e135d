/* test-plan-page.c: the Plan page of Preferences (issue 14), in a real
 * window, against a real jobswipe-server whose Stripe API is a fake on a
 * loopback port of this test
 *
 * What a person sees: their plan, its limits and this period's usage; a
 * plan bought elsewhere (Stripe's signed webhook reaching the server)
 * shows at once, without reopening anything; "Upgrade" asks the server for
 * a Checkout page for the next plan up and opens it in the browser, here a
 * stand-in browser registered for https that writes down what it opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "jsw-cache.h"
#include "jsw-plan-page.h"
#include "jsw-queue-client.h"
#include "jsw-screenshot.h"
#include "jsw-session.h"
#include "jsw-test-util.h"

#define WEBHOOK_SECRET "whsec_plan_page_test"

typedef struct {
  SoupServer *fake_stripe;
  char       *fake_url;
  char       *checkout_plan;  /* metadata[plan] of the last Checkout Session asked for */
  char       *dir;
} Fixture;

static Fixture fixture;

static void
fake_stripe_handler (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *answer = "{\"id\":\"cs_test_1\",\"url\":\"https://checkout.stripe.test/c/pay/cs_test_1\"}";

  g_free (fixture.checkout_plan);
  fixture.checkout_plan = g_strdup (g_hash_table_lookup (form, "metadata[plan]"));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer, strlen (answer));
}

/* A browser stand-in: the desktop's handler of https links, which writes
 * the link it is given to a file. */
static char *
install_browser (const char *dir)
{
  g_autofree char *applications = g_build_filename (dir, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *desktop = g_build_filename (applications, "jsw-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  char *opened = g_build_filename (dir, "opened.txt", NULL);
  g_autofree char *entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                                            "Exec=sh -c 'printf %%s \"$1\" > %s' sh %%u\n"
                                            "MimeType=x-scheme-handler/https;\n", opened);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (applications, 0700);
  g_mkdir_with_parents (config, 0700);
  g_file_set_contents (desktop, entry, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps, "[Default Applications]\nx-scheme-handler/https=jsw-test-browser.desktop\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  return opened;
}

/* The preferences row titled @title under @widget. */
static AdwActionRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *button = find_button (child, label);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* Waits up to @seconds for the row's subtitle to read @expected. */
static void
wait_for_subtitle (GtkWidget  *page,
                   const char *title,
                   const char *expected,
                   guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  AdwActionRow *row = find_row (page, title);

  g_assert_nonnull (row);
  while (g_strcmp0 (adw_action_row_get_subtitle (row), expected) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (jsw_session_sign_in_finish (JSW_SESSION (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A subscription to pro, as Stripe signs it (Stripe-Signature: t=, v1=). */
static void
deliver_pro_subscription (SoupSession   *soup,
                          JswTestServer *server,
                          const char    *user_id)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *body = g_strdup_printf ("{\"id\":\"evt_plan_page\",\"object\":\"event\",\"type\":\"customer.subscription.created\","
                                           "\"created\":%" G_GINT64_FORMAT ",\"data\":{\"object\":{\"id\":\"sub_1\",\"customer\":\"cus_1\","
                                           "\"status\":\"active\",\"current_period_start\":%" G_GINT64_FORMAT ","
                                           "\"current_period_end\":%" G_GINT64_FORMAT ",\"cancel_at_period_end\":false,"
                                           "\"items\":{\"data\":[{\"price\":{\"id\":\"price_pro\"}}]},"
                                           "\"metadata\":{\"user_id\":\"%s\"}}}}",
                                           now, now, now + 30 * 86400, user_id);
  g_autofree char *signed_payload = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", now, body);
  g_autofree char *v1 = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) WEBHOOK_SECRET,
                                                   strlen (WEBHOOK_SECRET), signed_payload, -1);
  g_autofree char *header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", now, v1);
  g_autofree char *url = g_strconcat (server->url, "/v1/webhooks/stripe", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Stripe-Signature", header);
  soup_message_set_request_body_from_bytes (msg, "application/json", g_bytes_new (body, strlen (body)));
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_plan_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *opened_path = g_build_filename (fixture.dir, "opened.txt", NULL);
  g_autofree char *cache_path = g_build_filename (fixture.dir, "cache.db", NULL);
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *opened = NULL;
  g_autoptr(JswTestServer) server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(JswSession) session = NULL;
  g_autoptr(JswCache) cache = NULL;
  g_autoptr(JswQueueClient) client = NULL;
  g_autoptr(SoupSession) soup = jsw_test_session_new ();
  GtkWidget *window;
  GtkWidget *page;
  gboolean done = FALSE;
  gint64 deadline;

  g_setenv ("JOBSWIPE_STRIPE_SECRET_KEY", "sk_test_plan_page", TRUE);
  g_setenv ("JOBSWIPE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET, TRUE);
  g_setenv ("JOBSWIPE_STRIPE_API_BASE", fixture.fake_url, TRUE);
  g_setenv ("JOBSWIPE_STRIPE_PRICE_BASIC", "price_basic", TRUE);
  g_setenv ("JOBSWIPE_STRIPE_PRICE_PRO", "price_pro", TRUE);
  g_setenv ("JOBSWIPE_STRIPE_PRICE_PREMIUM", "price_premium", TRUE);
  server = jsw_test_server_start (NULL);
  token = jsw_test_server_add_user (server, "plan@example.org", "free", &user_id);

  settings = g_settings_new ("org.jobswipe.JobSwipe");
  session = jsw_session_new (settings);
  jsw_session_sign_in_async (session, server->url, NULL, NULL, token, NULL, signed_in, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  cache = jsw_cache_open (cache_path, &error);
  g_assert_no_error (error);
  client = jsw_queue_client_new (jsw_session_get_soup_session (session), server->url, token, "plan-page-test",
                                 JSW_QUEUE_STORE (cache));
  jsw_session_follow_client (session, client);
  jsw_queue_client_start (client);

  window = adw_preferences_window_new ();
  page = jsw_plan_page_new (session);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));

  /* What the free plan allows. */
  wait_for_subtitle (page, "Plan", "Free · active", 20);
  wait_for_subtitle (page, "Today", "0 of 3 used", 1);
  wait_for_subtitle (page, "This Month", "0 of 10 used", 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_row (page, "Manage Billing"))));

  /* LinkedIn's own limits (issue 16): none used, automatic sending not
   * offered before five reviewed applications. */
  wait_for_subtitle (page, "LinkedIn Applications Today", "0 of 20", 20);
  wait_for_subtitle (page, "Send Automatically", "Offered after you reviewed 5 applications (0 so far)", 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_row (page, "Send Automatically"))));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (find_row (page, "Next Application")),
                                   "The next application may start"));

  /* Billing is set up with a price for each plan: all three are for sale,
   * and Upgrade is offered. */
  {
    g_autoptr(SoupSession) http = jsw_test_session_new ();
    guint status = 0;
    g_autoptr(JsonNode) me = jsw_test_http (http, server, "GET", "/v1/me", token, NULL, &status);
    JsonArray *for_sale = json_object_get_array_member (json_object_get_object_member (json_node_get_object (me), "subscription"),
                                                        "plans_for_sale");

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpuint (json_array_get_length (for_sale), ==, 3);
    g_assert_cmpstr (json_array_get_string_element (for_sale, 0), ==, "basic");
    g_assert_cmpstr (json_array_get_string_element (for_sale, 2), ==, "premium");
    g_assert_true (jsw_plan_page_offers_upgrade (json_node_get_object (me)));
    g_assert_true (gtk_widget_is_visible (GTK_WIDGET (find_button (page, "Upgrade"))));
  }
  /* Upgrade leads somewhere only to a plan above the person's. */
  {
    static const struct {
      const char *me;
      gboolean    offered;
    } cases[] = {
      { "{\"plan\":\"free\",\"subscription\":{\"plans_for_sale\":[\"basic\"]}}", TRUE },
      { "{\"plan\":\"pro\",\"subscription\":{\"plans_for_sale\":[\"basic\",\"pro\",\"premium\"]}}", TRUE },
      { "{\"plan\":\"pro\",\"subscription\":{\"plans_for_sale\":[\"basic\",\"pro\"]}}", FALSE },
      { "{\"plan\":\"premium\",\"subscription\":{\"plans_for_sale\":[\"basic\",\"pro\",\"premium\"]}}", FALSE },
      { "{\"plan\":\"free\",\"subscription\":{\"plans_for_sale\":[]}}", FALSE },
      /* a server from before plans_for_sale: nothing known to be for sale */
      { "{\"plan\":\"free\",\"subscription\":{\"status\":\"active\"}}", FALSE },
      /* a plan an operator made: nothing known above it */
      { "{\"plan\":\"enterprise\",\"subscription\":{\"plans_for_sale\":[\"premium\"]}}", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(JsonNode) me = json_from_string (cases[i].me, NULL);

        g_assert_cmpint (jsw_plan_page_offers_upgrade (json_node_get_object (me)), ==, cases[i].offered);
      }
  }

  /* Upgrade: the next plan up, opened in the browser. */
  g_signal_emit_by_name (find_button (page, "Upgrade"), "clicked");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!g_file_get_contents (opened_path, &opened, NULL, NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (20000), TRUE);
  g_assert_cmpstr (opened, ==, "https://checkout.stripe.test/c/pay/cs_test_1");
  g_assert_cmpstr (fixture.checkout_plan, ==, "basic");

  /* Paid for: shown at once, through the stream. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!jsw_queue_client_is_connected (client) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (jsw_queue_client_is_connected (client));
  deliver_pro_subscription (soup, server, user_id);
  wait_for_subtitle (page, "Plan", "Pro · active", 20);
  wait_for_subtitle (page, "Today", "0 of 25 used", 1);
  g_assert_nonnull (find_row (page, "Renews On"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_row (page, "Renews On"))));

  /* A picture of it, to look at: tests/plan-page.png in the build folder. */
  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    {
      g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "plan-page.png", NULL);

      g_remove (png);
      g_setenv ("JOBSWIPE_SCREENSHOT_DIR", g_getenv ("G_TEST_BUILDDIR"), TRUE);
      jsw_screenshot_soon (window, "plan-page", 200);
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!g_file_test (png, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE) || (g_usleep (20000), TRUE);
      g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    }

  /* A subscriber changes plans in the billing portal: no second checkout. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_row (page, "Upgrade To"))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (find_row (page, "Manage Billing"))));

  gtk_window_destroy (GTK_WINDOW (window));
  jsw_queue_client_stop (client);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  int status;

  fixture.dir = g_dir_make_tmp ("jsw-plan-page-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before GLib reads (and keeps) the XDG folders. */
  g_free (install_browser (fixture.dir));
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  fixture.fake_stripe = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture.fake_stripe, "/v1/checkout/sessions", fake_stripe_handler, NULL, NULL);
  soup_server_listen_local (fixture.fake_stripe, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture.fake_stripe);
  fixture.fake_url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (fixture.fake_url, "/"))
    fixture.fake_url[strlen (fixture.fake_url) - 1] = '\0';
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_test_add_func ("/app/plan-page", test_plan_page);
  status = g_test_run ();

  g_clear_object (&fixture.fake_stripe);
  g_free (fixture.fake_url);
  g_free (fixture.checkout_plan);
  return status;
}
