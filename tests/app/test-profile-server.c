/* test-profile-server.c: "Also keep my profile on the server" on the
 * profile page (issue 11), in a real window, against a real
 * jobswipe-server holding a profile key
 *
 * What a person checks: ticked, the server holds the profile (without the
 * path of this computer's resume) and the resume byte for byte, and the
 * page says when they were sent; saved again, the server holds the new
 * profile; unticked, the server holds neither. A server without a key
 * refuses: the page shows its message and the switch goes back off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "jsw-profile-page.h"
#include "jsw-profile-store.h"
#include "jsw-profile-sync.h"
#include "jsw-screenshot.h"
#include "jsw-session.h"
#include "jsw-test-util.h"

#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"cover_letter\":\"I would love to build your queue.\",\"answers\":{\"work_authorization\":\"Yes\"}," \
  "\"resume_path\":\"%s\"}"
/* Bytes of every value, so that a resume changed in transit shows. */
#define RESUME_PDF "%PDF-1.4\n% Ada's resume \xe2\x80\x94 \x01\x02\x80\xff\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

typedef struct {
  char          *dir;
  JswTestServer *server;
  char          *token;
  SoupSession   *soup;
  GSettings     *settings;
  JswSession    *session;
  JswProfileStore *store;
  GtkWidget     *window;
  GtkWidget     *page;
  char          *resume_path;
} Fixture;

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkSwitch *
find_switch (GtkWidget *widget)
{
  if (GTK_IS_SWITCH (widget))
    return GTK_SWITCH (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkSwitch *found = find_switch (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
status_text (Fixture *f)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (find_named (f->page, "server-status")));
}

/* Waits up to @seconds for the status row to start with @prefix. */
static void
wait_for_status (Fixture    *f,
                 const char *prefix,
                 guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!g_str_has_prefix (status_text (f) ?: "", prefix) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  if (!g_str_has_prefix (status_text (f) ?: "", prefix))
    g_error ("the page says “%s”, not “%s…”", status_text (f), prefix);
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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  with_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *profile = NULL;
  g_autoptr(JswProfileSync) sync = NULL;
  gboolean done = FALSE;

  f->dir = g_dir_make_tmp ("jsw-profile-server-XXXXXX", &error);
  g_assert_no_error (error);
  key = jsw_test_profile_key_new (f->dir);
  if (GPOINTER_TO_INT (with_key))
    {
      const char *args[] = { "--profile-key-file", key, NULL };

      f->server = jsw_test_server_start (args);
    }
  else
    f->server = jsw_test_server_start (NULL);
  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  f->soup = jsw_test_session_new ();

  f->settings = g_settings_new ("org.jobswipe.JobSwipe");
  g_settings_reset (f->settings, "keep-profile-on-server");
  f->session = jsw_session_new (f->settings);
  jsw_session_sign_in_async (f->session, f->server->url, NULL, NULL, f->token, NULL, signed_in, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* A name with a space and a non-ASCII letter, as people's files have. */
  f->resume_path = g_build_filename (f->dir, "Ada Lovelace – CV.pdf", NULL);
  g_file_set_contents (f->resume_path, RESUME_PDF, sizeof RESUME_PDF - 1, &error);
  g_assert_no_error (error);
  profile_path = g_build_filename (f->dir, "profile.json", NULL);
  profile = g_strdup_printf (PROFILE_JSON, f->resume_path);
  g_file_set_contents (profile_path, profile, -1, &error);
  g_assert_no_error (error);
  f->store = jsw_profile_store_new (profile_path);

  f->window = adw_preferences_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 800);
  f->page = jsw_profile_page_new (f->store);
  sync = jsw_profile_sync_new (f->session, f->store, f->settings);
  jsw_profile_page_add_server (JSW_PROFILE_PAGE (f->page), sync, f->settings);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (f->window), ADW_PREFERENCES_PAGE (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_status (f, "Only this computer holds your profile", 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  with_key)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  g_clear_object (&f->session);
  g_clear_object (&f->settings);
  g_clear_object (&f->soup);
  g_clear_pointer (&f->server, jsw_test_server_free);
  g_free (f->token);
  g_free (f->resume_path);
  g_free (f->dir);
}

/* GET /v1/me/profile's profile as JSON text, or NULL with @status 404. */
static JsonObject *
server_profile (Fixture *f,
                guint   *status)
{
  g_autoptr(JsonNode) answer = jsw_test_http (f->soup, f->server, "GET", "/v1/me/profile", f->token, NULL, status);

  if (*status != 200)
    return NULL;
  return json_object_ref (json_object_get_object_member (json_node_get_object (answer), "profile"));
}

/* GET /v1/me/resume: the bytes, as the server answers them. */
static GBytes *
server_resume (Fixture  *f,
               guint    *status,
               char    **content_type)
{
  g_autofree char *url = g_strconcat (f->server->url, "/v1/me/resume", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->soup, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  return body;
}

static void
take_picture (GtkWidget  *window,
              const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *png = NULL;
  gint64 deadline;

  if (g_getenv ("G_TEST_BUILDDIR") == NULL)
    return;
  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), file, NULL);
  g_remove (png);
  g_setenv ("JOBSWIPE_SCREENSHOT_DIR", g_getenv ("G_TEST_BUILDDIR"), TRUE);
  jsw_screenshot_soon (window, name, 200);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (png, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (20000), TRUE);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
}

static void
test_kept_sent_again_withdrawn (Fixture       *f,
                                gconstpointer  with_key)
{
  GtkSwitch *toggle = find_switch (find_named (f->page, "keep-profile-on-server"));
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(GBytes) resume = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *first_name = find_named (f->page, "first_name");
  guint status = 0;
  gint64 deadline;

  /* Nothing on the server before the tick. */
  g_assert_null (server_profile (f, &status));
  g_assert_cmpuint (status, ==, 404);

  /* Ticked: both sent, and said when. */
  gtk_switch_set_active (toggle, TRUE);
  g_assert_true (g_settings_get_boolean (f->settings, "keep-profile-on-server"));
  wait_for_status (f, "Last sent ", 20);
  g_assert_false (gtk_widget_has_css_class (find_named (f->page, "server-status"), "error"));
  profile = server_profile (f, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (profile, "first_name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (profile, "cover_letter"), ==, "I would love to build your queue.");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (profile, "answers"), "work_authorization"), ==, "Yes");
  g_assert_false (json_object_has_member (profile, "resume_path"));
  resume = server_resume (f, &status, &content_type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (content_type, ==, "application/pdf");
  g_assert_cmpmem (g_bytes_get_data (resume, NULL), g_bytes_get_size (resume), RESUME_PDF, sizeof RESUME_PDF - 1);
  take_picture (f->window, "profile-server");

  /* Edited and saved: sent again. */
  gtk_editable_set_text (GTK_EDITABLE (first_name), "Augusta");
  g_assert_true (jsw_profile_page_save (JSW_PROFILE_PAGE (f->page), &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&profile, json_object_unref);
      for (guint i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE) || (g_usleep (5000), TRUE);
      profile = server_profile (f, &status);
    }
  while (g_strcmp0 (json_object_get_string_member (profile, "first_name"), "Augusta") != 0 &&
         g_get_monotonic_time () < deadline);
  g_assert_cmpstr (json_object_get_string_member (profile, "first_name"), ==, "Augusta");
  wait_for_status (f, "Last sent ", 20);

  /* Unticked: both withdrawn, and said so. */
  gtk_switch_set_active (toggle, FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "keep-profile-on-server"));
  wait_for_status (f, "Withdrawn", 20);
  g_clear_pointer (&profile, json_object_unref);
  profile = server_profile (f, &status);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&resume, g_bytes_unref);
  resume = server_resume (f, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_server_without_key (Fixture       *f,
                         gconstpointer  with_key)
{
  GtkSwitch *toggle = find_switch (find_named (f->page, "keep-profile-on-server"));
  g_autoptr(JsonNode) refusal = NULL;
  const char *message;
  guint status = 0;
  gint64 deadline;

  /* The server's own words, as it answers anyone. */
  refusal = jsw_test_http (f->soup, f->server, "PUT", "/v1/me/profile", f->token, "{}", &status);
  g_assert_cmpuint (status, ==, 503);
  message = json_object_get_string_member (json_object_get_object_member (json_node_get_object (refusal), "error"), "message");

  gtk_switch_set_active (toggle, TRUE);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_strcmp0 (status_text (f), message) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  g_assert_cmpstr (status_text (f), ==, message);
  g_assert_true (gtk_widget_has_css_class (find_named (f->page, "server-status"), "error"));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (g_settings_get_boolean (f->settings, "keep-profile-on-server"));
  take_picture (f->window, "profile-server-refused");
  /* Going back off withdrew nothing over the refusal: it still reads. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  g_assert_cmpstr (status_text (f), ==, message);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/app/profile-server/kept-sent-again-withdrawn", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_kept_sent_again_withdrawn, fixture_tear_down);
  g_test_add ("/app/profile-server/server-without-key", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_server_without_key, fixture_tear_down);
  return g_test_run ();
}
