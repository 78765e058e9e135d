/* test-app.c: the desktop app, end to end
 *
 * A real jobswipe-server, the local fixture site of application systems,
 * and the real `jobswipe` in the background under Xvfb, with its token in
 * a real keyring on the test's D-Bus session. What a job seeker expects:
 * a swipe on the phone becomes an application sent from this computer,
 * with its progress visible at the server; a form that needs them sends
 * nothing; a crash never sends an application twice; the token is in no
 * file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <signal.h>

#include "jsw-app-fixture.h"

/* Every file the app wrote, searched for the token's text. */
static gboolean
token_in_files (const char *dir,
                const char *token)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (token_in_files (path, token))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, length, token) != NULL)
        {
          g_test_message ("the token is in %s", path);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_swipe_is_applied (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *entry_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *app_files = g_build_filename (f->dir, "data", NULL);
  g_autofree char *app_config = g_build_filename (f->dir, "config", NULL);
  gint64 max_percent = 0;
  JswFixturePost *post;

  start_app (f);
  entry_id = swipe (f, "gh-1", "/greenhouse/happy");
  state = follow (f, stream, entry_id, 90, &max_percent, steps);

  g_assert_cmpstr (state, ==, "submitted");
  /* The progress was seen at the server as it happened. */
  g_assert_cmpint (max_percent, ==, 100);
  g_assert_true (g_ptr_array_find_with_equal_func (steps, "filling", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (steps, "submitting", g_str_equal, NULL));

  g_assert_cmpuint (f->site->posts->len, ==, 1);
  post = g_ptr_array_index (f->site->posts, 0);
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[first_name]"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[email]"), ==, "ada@example.org");
  g_assert_nonnull (g_hash_table_lookup (post->files, "job_application[resume]"));

  /* The history keeps a picture of the last page; the server gets its
   * SHA-256 with the result. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/queue/%s", entry_id);
    g_autofree char *png_name = g_strconcat (entry_id, ".png", NULL);
    g_autofree char *png = g_build_filename (app_files, "jobswipe", "screenshots", png_name, NULL);
    g_autofree char *contents = NULL;
    g_autofree char *sha = NULL;
    gsize length;
    guint status;
    g_autoptr(JsonNode) entry = jsw_test_http (f->session, f->server, "GET", path, f->watcher, NULL, &status);
    JsonObject *result = json_object_get_object_member (json_node_get_object (entry), "result");

    g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
    sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    g_assert_cmpstr (json_object_get_string_member (result, "screenshot_sha256"), ==, sha);
  }

  stop_app (f, SIGTERM);
  g_assert_false (token_in_files (app_files, f->token));
  g_assert_false (token_in_files (app_config, f->token));
}

/* The app in the background applies to @path (a swipe on the server);
 * the entry must end @state with @posts posts at the employer. Returns the
 * entry as the server has it. */
static JsonNode *
apply_in_background (Fixture    *f,
                     const char *job_id,
                     const char *path,
                     const char *state,
                     guint       posts)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  start_app (f);
  entry_id = swipe_until (f, stream, job_id, path, state);
  g_assert_cmpuint (f->site->posts->len, ==, posts);
  return get_entry (f, entry_id);
}

static void
test_needs_you_sends_nothing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) entry = apply_in_background (f, "gh-2", "/greenhouse/unknown", "needs_user", 0);
  JsonObject *result = json_object_get_object_member (json_node_get_object (entry), "result");

  /* The question the person has to answer travels with the result. */
  g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), "Describe the largest system you have scaled"));
}

/* The form was sent, and the employer's page said nothing (the corpus'
 * plain-unconfirmed case): the app reports "unconfirmed", the entry waits
 * for a person to check (needs_review), and nothing is sent again. */
static void
test_unconfirmed_goes_to_review (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonNode) entry = apply_in_background (f, "pu-1", "/corpus/plain-unconfirmed/index.html", "needs_review", 1);
  JsonObject *result = json_object_get_object_member (json_node_get_object (entry), "result");

  g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "unconfirmed");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), "check with the employer"));
  /* Give the app every chance to send it again. */
  jsw_test_iterate_for (3000);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* kill -9 while the application is being sent, then start again: the
 * employer never gets it twice, and the entry waits for a person. */
static void
test_crash_while_submitting (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *state = NULL;
  gint64 deadline;
  gboolean killed = FALSE;

  start_app (f);
  entry_id = swipe (f, "gh-3", "/greenhouse/happy");

  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (!killed && g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_next (stream, 500);
      JsonObject *progress;

      if (frame == NULL || g_strcmp0 (json_object_get_string_member (frame, "type"), "entry") != 0)
        continue;
      progress = json_object_get_object_member (json_object_get_object_member (frame, "entry"), "progress");
      if (!json_node_is_null (json_object_get_member (progress, "step")) &&
          g_str_equal (json_object_get_string_member (progress, "step"), "submitting"))
        {
          stop_app (f, SIGKILL);
          killed = TRUE;
        }
    }
  g_assert_true (killed);

  start_app (f);
  state = follow (f, stream, entry_id, 30, NULL, NULL);
  g_assert_cmpstr (state, ==, "needs_review");
  /* Give the restarted app every chance to do the wrong thing. */
  jsw_test_iterate_for (3000);
  g_assert_cmpuint (f->site->posts->len, <=, 1);
}

static void
test_window_apply_now (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *state = NULL;
  gint64 max_percent = 0;

  /* A window, not applying on its own: the entry waits for the person. */
  forget_screenshot ("applying");
  forget_screenshot ("submitted");
  start_app_with (f, NULL);
  entry_id = swipe (f, "gh-4", "/greenhouse/happy");
  jsw_test_iterate_for (3000);
  wait_for_state (f, entry_id, "queued");
  g_assert_cmpuint (f->site->posts->len, ==, 0);

  activate_app_action ("apply-now", g_variant_new_string (entry_id));
  state = follow (f, stream, entry_id, 90, &max_percent, NULL);
  g_assert_cmpstr (state, ==, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  assert_screenshot ("applying");
  assert_screenshot ("submitted");
}

static void
test_window_needs_you (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  forget_screenshot ("needs-you");
  start_app_with (f, "--auto-apply");
  entry_id = swipe_until (f, stream, "gh-5", "/greenhouse/unknown", "needs_user");
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  /* The banner that tells the person what is needed. */
  assert_screenshot ("needs-you");

  /* "Save Answers and Continue": queued again, applied again, this time
   * with the person's own answer; and it is kept for next time. */
  {
    GVariantBuilder answers;
    g_autofree char *again = NULL;
    g_autofree char *profile_path = g_build_filename (f->dir, "data", "jobswipe", "profile.json", NULL);
    g_autofree char *profile = NULL;
    JswFixturePost *post;

    g_variant_builder_init (&answers, G_VARIANT_TYPE ("a{ss}"));
    g_variant_builder_add (&answers, "{ss}", "Describe the largest system you have scaled",
                           "A queue of two million job applications a day");
    activate_app_action ("answer", g_variant_new ("(sa{ss})", entry_id, &answers));
    again = follow (f, stream, entry_id, 90, NULL, NULL);
    g_assert_cmpstr (again, ==, "submitted");
    g_assert_cmpuint (f->site->posts->len, ==, 1);
    post = g_ptr_array_index (f->site->posts, 0);
    g_assert_cmpstr (jsw_fixture_post_field (post, "scaled"), ==, "A queue of two million job applications a day");
    g_assert_true (g_file_get_contents (profile_path, &profile, NULL, NULL));
    g_assert_nonnull (strstr (profile, "Describe the largest system you have scaled"));
  }
}

static gint64
outbox_size (Fixture *f)
{
  g_autofree char *cache = g_build_filename (f->dir, "data", "jobswipe", "cache.db", NULL);
  g_autofree char *command = g_strdup_printf ("sqlite3 '%s' 'SELECT count(*) FROM outbox'", cache);
  g_autofree char *out = NULL;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, NULL, NULL));
  return g_ascii_strtoll (out, NULL, 10);
}

/* The server goes away right after the form went out: the app finishes
 * the application, keeps the result in its outbox, and delivers it exactly
 * once when the server is back. (It sends a form only once the server has
 * `submitting` on record, tests/app/test-handoff-server.c, so the server
 * is killed as the employer gets the form, not earlier.) */
static void
test_offline_outbox (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JswTestStream) again = NULL;
  g_autofree char *entry_id = NULL;
  g_autofree char *path = NULL;
  guint submitted_frames = 0;
  gint64 deadline;

  start_app (f);
  entry_id = swipe (f, "gh-6", "/greenhouse/slow");

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (f->site->posts->len == 0 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (5);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  jsw_test_server_kill (f->server, SIGKILL);

  /* Meanwhile the application is finished: its result waits. */
  jsw_test_iterate_for (3000);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
  g_assert_cmpint (outbox_size (f), >=, 1);

  jsw_test_server_restart (f->server);
  again = watch (f);
  path = g_strdup_printf ("/v1/queue/%s", entry_id);
  wait_for_state (f, entry_id, "submitted");

  /* Exactly once: one change to submitted in the log, and nothing left. */
  jsw_test_iterate_for (1500);
  for (;;)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_next (again, 300);
      JsonObject *entry;

      if (frame == NULL)
        break;
      if (g_strcmp0 (json_object_get_string_member (frame, "type"), "entry") != 0)
        continue;
      entry = json_object_get_object_member (frame, "entry");
      if (g_str_equal (json_object_get_string_member (entry, "id"), entry_id) &&
          g_str_equal (json_object_get_string_member (entry, "state"), "submitted"))
        submitted_frames++;
    }
  g_assert_cmpuint (submitted_frames, ==, 1);
  g_assert_cmpint (outbox_size (f), ==, 0);
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* First run: the window asks to sign in; signing in with an e-mail address
 * and a password stores the token in the keyring and starts the queue. */
static void
test_window_sign_in (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) eve = jsw_test_server_cli (f->server, "correct horse battery\n", "user", "add",
                                                   "eve@example.org", "--plan", "pro", "--password-stdin", NULL);
  const char *eve_token = json_object_get_string_member (eve, "token");
  g_autoptr(JswTestStream) stream = jsw_test_stream_open (f->server, eve_token, NULL);
  g_autoptr(JsonObject) welcome = NULL;
  g_autofree char *url = jsw_fixture_site_url (f->site, "/greenhouse/happy");
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"eve-1\",\"title\":\"SRE\","
                                           "\"company\":\"Lumen Labs\",\"apply_url\":\"%s\"}}", url);
  g_autofree char *app_files = g_build_filename (f->dir, "data", NULL);
  g_autofree char *entry_id = NULL;
  g_autoptr(JsonNode) preference = NULL;
  g_autoptr(JsonNode) swiped = NULL;
  guint status;

  preference = jsw_test_http (f->session, f->server, "PUT", "/v1/me/preference", eve_token,
                              "{\"execution_mode\":\"desktop\"}", &status);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"phone\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");

  forget_screenshot ("sign-in");
  spawn_app (f, FALSE, "--auto-apply");
  assert_screenshot ("sign-in");
  activate_app_action ("sign-in", g_variant_new ("(sss)", f->server->url, "eve@example.org", "correct horse battery"));

  swiped = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", eve_token, body, &status);
  g_assert_cmpuint (status, ==, 201);
  entry_id = g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (swiped), "entry"), "id"));
  follow_until (f, stream, entry_id, "submitted");

  stop_app (f, SIGTERM);
  /* The token the server issued at sign-in is nowhere on disk. */
  g_assert_false (token_in_files (app_files, "jsw_"));
}

static void
test_window_preferences (Fixture       *f,
                         gconstpointer  data)
{
  forget_screenshot ("preferences");
  start_app_with (f, NULL);
  activate_app_action ("preferences", NULL);
  /* Taken once the plan and usage came from the server. */
  assert_screenshot ("preferences");
}

/* A tray host, as a desktop shell would provide it: it only writes down
 * who registered. */
static const char watcher_xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  "<method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
watcher_method (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  char **registered = user_data;

  g_variant_get (parameters, "(s)", registered);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* The app's auto-apply setting, through its exported action. */
static gboolean
auto_apply_state (GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.jobswipe.JobSwipe", "/org/jobswipe/JobSwipe",
                                                           "org.gtk.Actions", "Describe", g_variant_new ("(s)", "auto-apply"),
                                                           G_VARIANT_TYPE ("((bgav))"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "((bg@av))", NULL, NULL, &state);
  g_assert_cmpuint (g_variant_n_children (state), ==, 1);
  g_variant_get_child (state, 0, "v", &value);
  return g_variant_get_boolean (value);
}

/* The menu's Apply Automatically item: its toggle-state (1 on, 0 off). */
static int
tray_toggle_state (GDBusConnection *bus,
                   const char      *service)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) layout = g_dbus_connection_call_sync (bus, service, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu",
                                                            "GetLayout", g_variant_new ("(ii@as)", 0, -1, g_variant_new_strv (NULL, 0)),
                                                            G_VARIANT_TYPE ("(u(ia{sv}av))"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariant) labels = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  int toggle = -1;

  g_assert_no_error (error);
  root = g_variant_get_child_value (layout, 1);
  children = g_variant_get_child_value (root, 2);
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) item = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (item, 1);
      const char *label = NULL;

      if (g_variant_lookup (props, "label", "&s", &label))
        g_string_append_printf (seen, "%s|", label);
      if (g_variant_lookup (props, "toggle-type", "&s", NULL))
        g_assert_true (g_variant_lookup (props, "toggle-state", "i", &toggle));
    }
  g_assert_cmpstr (seen->str, ==, "_Open JobSwipe|Apply _Automatically|_Quit|");
  return toggle;
}

static void
test_background_tray (Fixture       *f,
                      gconstpointer  data)
{
  static const GDBusInterfaceVTable vtable = { watcher_method, NULL, NULL, { 0 } };
  g_autofree char *registered = NULL;
  FakeService watcher = serve_on_bus (watcher_xml, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                                      &vtable, &registered);
  GDBusConnection *bus = watcher.bus;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) title = NULL;
  g_autoptr(GVariant) window = NULL;
  gint64 deadline;

  start_app (f);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (registered == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_nonnull (registered);
  g_assert_true (g_str_has_prefix (registered, "org.kde.StatusNotifierItem-"));

  title = g_dbus_connection_call_sync (bus, registered, "/StatusNotifierItem", "org.freedesktop.DBus.Properties",
                                       "Get", g_variant_new ("(ss)", "org.kde.StatusNotifierItem", "Title"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  /* A click on the icon opens the window. */
  g_dbus_connection_call_sync (bus, registered, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Activate",
                               g_variant_new ("(ii)", 0, 0), NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (window == NULL && g_get_monotonic_time () < deadline)
    {
      window = g_dbus_connection_call_sync (bus, "org.jobswipe.JobSwipe", "/org/jobswipe/JobSwipe/window/1",
                                            "org.gtk.Actions", "List", NULL, G_VARIANT_TYPE ("(as)"),
                                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      if (window == NULL)
        jsw_test_iterate_for (200);
    }
  g_assert_nonnull (window);

  /* The icon's menu: Open, Apply Automatically (on: the app runs in the
   * background), Quit; choosing Apply Automatically turns it off. */
  g_assert_cmpint (tray_toggle_state (bus, registered), ==, 1);
  g_dbus_connection_call_sync (bus, registered, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu", "Event",
                               g_variant_new ("(isvu)", 2, "clicked", g_variant_new_int32 (0), 0),
                               NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  /* (Off, the app no longer stays in the background, and its icon goes.) */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (auto_apply_state (bus) && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_false (auto_apply_state (bus));
  stop_serving (&watcher);
}

/* A tray item's property, as the tray host reads it. */
static GVariant *
tray_property (GDBusConnection *bus,
               const char      *service,
               const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, service, "/StatusNotifierItem", "org.freedesktop.DBus.Properties",
                                                           "Get", g_variant_new ("(ss)", "org.kde.StatusNotifierItem", name),
                                                           G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  GVariant *value;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

/* The tray: its tooltip counts what needs the person, and it asks for
 * attention while anything does. */
static void
test_background_tray_attention (Fixture       *f,
                                gconstpointer  data)
{
  static const GDBusInterfaceVTable vtable = { watcher_method, NULL, NULL, { 0 } };
  g_autofree char *registered = NULL;
  FakeService watcher = serve_on_bus (watcher_xml, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                                      &vtable, &registered);
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *tooltip_text = NULL;
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  gint64 deadline;

  start_app (f);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (registered == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_nonnull (registered);
  status = tray_property (watcher.bus, registered, "Status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "Active");

  entry_id = swipe_until (f, stream, "gh-tray", "/greenhouse/unknown", "needs_user");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      jsw_test_iterate_for (200);
      g_clear_pointer (&status, g_variant_unref);
      status = tray_property (watcher.bus, registered, "Status");
    }
  while (g_strcmp0 (g_variant_get_string (status, NULL), "NeedsAttention") != 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "NeedsAttention");
  tooltip = tray_property (watcher.bus, registered, "ToolTip");
  g_variant_get (tooltip, "(&s@a(iiay)&ss)", NULL, NULL, NULL, &tooltip_text);
  g_assert_cmpstr (tooltip_text, ==, "1 application needs you");
  stop_serving (&watcher);
}

static gboolean
contains (GPtrArray  *strings,
          const char *text)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* "Submitted" and "needs you" reach the person as notifications. */
static void
test_background_notifications (Fixture       *f,
                               gconstpointer  data)
{
  GPtrArray *summaries = f->notifications;
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *sent = NULL;
  g_autofree char *stuck = NULL;
  gint64 deadline;

  start_app (f);
  sent = swipe_until (f, stream, "gh-9", "/greenhouse/happy", "submitted");
  stuck = swipe_until (f, stream, "gh-10", "/greenhouse/unknown", "needs_user");

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (summaries->len < 2 && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_true (contains (summaries, "Applied to Backend Engineer at Lumen Labs"));
  g_assert_true (contains (summaries, "Backend Engineer at Lumen Labs needs you"));
  /* The one that needs the person leads straight to its questions. */
  g_assert_true (contains (notification_buttons, "Backend Engineer at Lumen Labs needs you: Answer"));
}

/* The Background portal, as the desktop provides it to sandboxed apps: it
 * writes down what it was asked. */
static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "<method name='RequestBackground'><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='o' direction='out'/></method>"
  "</interface></node>";

static void
portal_method (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  GVariant **options = user_data;

  g_clear_pointer (options, g_variant_unref);
  *options = g_variant_get_child_value (parameters, 1);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(o)", "/org/freedesktop/portal/desktop/request/1_1/jsw"));
}

static void
test_background_portal (Fixture       *f,
                        gconstpointer  data)
{
  static const GDBusInterfaceVTable vtable = { portal_method, NULL, NULL, { 0 } };
  g_autoptr(GVariant) options = NULL;
  FakeService portal = serve_on_bus (portal_xml, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Desktop",
                                     &vtable, &options);
  g_autofree const char **commandline = NULL;
  gboolean autostart = FALSE;
  const char *reason = NULL;
  gint64 deadline;

  f->use_portals = TRUE;
  f->settings = "[org/jobswipe/JobSwipe]\nstart-at-login=true\n";
  start_app (f);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (options == NULL && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_nonnull (options);

  /* Asked to stay in the background, and to start at login that way. */
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_true (autostart);
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &commandline));
  g_assert_cmpstr (commandline[0], ==, "jobswipe");
  g_assert_cmpstr (commandline[1], ==, "--background");
  g_assert_true (g_variant_lookup (options, "reason", "&s", &reason));
  g_assert_nonnull (strstr (reason, "window closed"));
  stop_serving (&portal);
}

/* Review before sending: the form is filled in and waits; nothing goes out
 * until the person says so. */
static void
test_window_review (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) entry = NULL;
  guint status;

  f->settings = "[org/jobswipe/JobSwipe]\nreview-before-submit=true\nauto-apply=true\n";
  forget_screenshot ("review");
  start_app_with (f, NULL);
  entry_id = swipe (f, "gh-7", "/greenhouse/happy");
  assert_screenshot ("review");

  /* Held, filled in, not sent, still the app's (heartbeats keep it). */
  jsw_test_iterate_for (2000);
  g_assert_cmpuint (f->site->posts->len, ==, 0);
  path = g_strdup_printf ("/v1/queue/%s", entry_id);
  entry = jsw_test_http (f->session, f->server, "GET", path, f->watcher, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry), "state"), ==, "running");

  activate_app_action ("review", g_variant_new ("(sb)", entry_id, TRUE));
  follow_until (f, stream, entry_id, "submitted");
  g_assert_cmpuint (f->site->posts->len, ==, 1);
}

/* Signing in with a device token instead of a password. */
static void
test_window_sign_in_token (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JswTestStream) stream = watch (f);
  g_autofree char *entry_id = NULL;

  spawn_app (f, FALSE, "--auto-apply");
  activate_app_action ("sign-in-token", g_variant_new ("(ss)", f->server->url, f->token));
  entry_id = swipe_until (f, stream, "gh-8", "/greenhouse/happy", "submitted");
}


int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (skip_without_desktop ())
    return 0;

  g_test_add ("/app/background/swipe-is-applied", Fixture, NULL, fixture_set_up, test_swipe_is_applied, fixture_tear_down);
  g_test_add ("/app/background/needs-you-sends-nothing", Fixture, NULL, fixture_set_up, test_needs_you_sends_nothing, fixture_tear_down);
  g_test_add ("/app/background/unconfirmed-goes-to-review", Fixture, NULL, fixture_set_up, test_unconfirmed_goes_to_review, fixture_tear_down);
  g_test_add ("/app/background/crash-while-submitting", Fixture, short_leases, fixture_set_up, test_crash_while_submitting, fixture_tear_down);
  g_test_add ("/app/background/offline-outbox", Fixture, NULL, fixture_set_up, test_offline_outbox, fixture_tear_down);
  g_test_add ("/app/background/tray", Fixture, NULL, fixture_set_up, test_background_tray, fixture_tear_down);
  g_test_add ("/app/background/tray-attention", Fixture, NULL, fixture_set_up, test_background_tray_attention, fixture_tear_down);
  g_test_add ("/app/background/notifications", Fixture, NULL, fixture_set_up, test_background_notifications, fixture_tear_down);
  g_test_add ("/app/background/portal", Fixture, NULL, fixture_set_up, test_background_portal, fixture_tear_down);
  g_test_add ("/app/window/apply-now", Fixture, NULL, fixture_set_up, test_window_apply_now, fixture_tear_down);
  g_test_add ("/app/window/sign-in", Fixture, NULL, fixture_set_up, test_window_sign_in, fixture_tear_down);
  g_test_add ("/app/window/sign-in-token", Fixture, NULL, fixture_set_up, test_window_sign_in_token, fixture_tear_down);
  g_test_add ("/app/window/preferences", Fixture, NULL, fixture_set_up, test_window_preferences, fixture_tear_down);
  g_test_add ("/app/window/review-before-sending", Fixture, NULL, fixture_set_up, test_window_review, fixture_tear_down);
  g_test_add ("/app/window/needs-you", Fixture, NULL, fixture_set_up, test_window_needs_you, fixture_tear_down);

  return g_test_run ();
}
