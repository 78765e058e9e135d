/* jsw-app-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-app-fixture.h"

const char *short_leases[] = { "--lease-ttl", "8", "--sweep-ms", "200", NULL };

/* A notification server, as the desktop provides it: it writes down the
 * summaries it was asked to show. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

/* The buttons of the notifications shown, as "summary: label". */
GPtrArray *notification_buttons;

/* The app's end-to-end tests need a display and an unlocked Secret
 * Service keyring (tools/run-tests starts both): without them they are
 * skipped, said in TAP so that the runner reports a skip, not a pass. */
gboolean
skip_without_desktop (void)
{
  if (g_getenv ("DISPLAY") != NULL && jsw_test_keyring_available ())
    return FALSE;
  g_print ("1..0 # SKIP needs a display and a Secret Service keyring (tools/run-tests starts both)\n");
  return TRUE;
}

void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *resume = NULL;
  g_autofree char *profile = NULL;
  g_autoptr(JsonObject) device = NULL;
  guint status;
  g_autoptr(JsonNode) preference = NULL;

  f->server = jsw_test_server_start (data);
  f->site = jsw_fixture_site_new (fixtures);
  f->session = jsw_test_session_new ();
  f->dir = g_dir_make_tmp ("jsw-app-XXXXXX", &error);
  g_assert_no_error (error);

  f->token = jsw_test_server_add_user (f->server, "ada@example.org", "pro", NULL);
  device = jsw_test_server_cli (f->server, NULL, "token", "add", "ada@example.org", "--device", "phone", NULL);
  f->watcher = g_strdup (json_object_get_string_member (device, "token"));
  preference = jsw_test_http (f->session, f->server, "PUT", "/v1/me/preference", f->token,
                              "{\"execution_mode\":\"desktop\"}", &status);
  g_assert_cmpuint (status, ==, 200);

  resume = g_build_filename (f->dir, "resume.pdf", NULL);
  write_file (resume, "%PDF-1.4\n% Ada's resume\n%%EOF\n");
  f->profile = g_build_filename (f->dir, "profile.json", NULL);
  profile = g_strdup_printf (PROFILE_JSON, resume);
  write_file (f->profile, profile);
  f->token_file = g_build_filename (f->dir, "token", NULL);
  write_file (f->token_file, f->token);
  serve_notifications (f);
}

void
stop_app (Fixture *f,
          int      signum)
{
  if (f->app == NULL)
    return;
  g_subprocess_send_signal (f->app, signum);
  g_subprocess_wait (f->app, NULL, NULL);
  g_clear_object (&f->app);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  stop_app (f, SIGTERM);
  stop_serving_notifications (f);
  /* WebKit's helper processes may still be writing their last files into
   * the app's folders for a moment after the app is gone. */
  for (guint i = 0; i < 20 && g_file_test (f->dir, G_FILE_TEST_EXISTS); i++)
    {
      if (system (command) != 0)
        jsw_test_iterate_for (200);
    }
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, jsw_test_server_free);
  jsw_fixture_site_free (f->site);
  g_free (f->dir);
  g_free (f->token);
  g_free (f->watcher);
  g_free (f->token_file);
  g_free (f->profile);
}

/* UI tests leave pictures of the main states in the build folder. */
const char *
screenshots_dir (void)
{
  static char *dir;

  if (dir == NULL)
    dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  return dir;
}

void
forget_screenshot (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", screenshots_dir (), name);

  g_remove (path);
}

void
assert_screenshot (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", screenshots_dir (), name);
  g_autofree char *contents = NULL;
  gsize length = 0;
  /* A picture is taken once the state it shows is reached; on a busy
   * machine an ASan build takes its time to get there. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 10000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
}

/* What a person sees on the X display (`import` from ImageMagick, on
 * Xvfb): the app's own pictures come from GTK's snapshot of the window,
 * which may differ from the screen where a web view is concerned, so a
 * state with the live page is checked on the screen as well. Saved as
 * NAME-screen.png; returns the path. */
char *
screen_picture (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s-screen.png", screenshots_dir (), name);
  const char *argv[] = { "import", "-window", "root", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_remove (path);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

/* Starts `jobswipe` the way an operator would (`--background`, or a
 * window), with its data, config and cache folders inside the test's
 * folder. */
void
spawn_app (Fixture    *f,
           gboolean    signed_in,
           const char *mode)
{
  g_autoptr(GSubprocessLauncher) launcher = jsw_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (f->dir, "data", NULL);
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *cache = g_build_filename (f->dir, "cache", NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "JOBSWIPE_SCREENSHOT_DIR", screenshots_dir (), TRUE);
  /* The detail pane on the bus (src/app/jsw-entry-detail-driver.c), for the
   * tests that use its widgets as a person would. */
  g_subprocess_launcher_setenv (launcher, "JOBSWIPE_TEST_DRIVER", "1", TRUE);
  if (f->use_portals)
    g_subprocess_launcher_setenv (launcher, "GTK_USE_PORTAL", "1", TRUE);
  if (f->settings != NULL)
    {
      /* Settings as the person left them: a keyfile the app starts with. */
      g_autofree char *dir = g_build_filename (config, "glib-2.0", "settings", NULL);
      g_autofree char *keyfile = g_build_filename (dir, "keyfile", NULL);

      g_mkdir_with_parents (dir, 0700);
      write_file (keyfile, f->settings);
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
    }
  if (signed_in)
    f->app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("JSW_APP_BIN"),
                                          "--server", f->server->url, "--token-file", f->token_file,
                                          "--import-profile", f->profile, mode, NULL);
  else
    f->app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("JSW_APP_BIN"),
                                          "--import-profile", f->profile, mode, NULL);
  g_assert_no_error (error);
}

void
start_app_with (Fixture    *f,
                const char *mode)
{
  spawn_app (f, TRUE, mode);
}

void
start_app (Fixture *f)
{
  start_app_with (f, "--background");
}

char *
swipe (Fixture    *f,
       const char *job_id,
       const char *path)
{
  g_autofree char *url = jsw_fixture_site_url (f->site, path);
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"Backend Engineer\","
                                           "\"company\":\"Lumen Labs\",\"apply_url\":\"%s\"}}", job_id, url);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (f->session, f->server, "POST", "/v1/swipes", f->watcher, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "entry"), "id"));
}

/* Follows the entry on the watcher's own stream until it reaches a final
 * state; returns that state and what was seen on the way. */
char *
follow (Fixture       *f,
        JswTestStream *stream,
        const char    *entry_id,
        guint          timeout_s,
        gint64        *max_percent,
        GPtrArray     *steps)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) frame = jsw_test_stream_next (stream, 500);
      JsonObject *entry;
      const char *state;

      if (frame == NULL || g_strcmp0 (json_object_get_string_member (frame, "type"), "entry") != 0)
        continue;
      entry = json_object_get_object_member (frame, "entry");
      if (g_strcmp0 (json_object_get_string_member (entry, "id"), entry_id) != 0)
        continue;
      state = json_object_get_string_member (entry, "state");
      if (max_percent != NULL)
        *max_percent = MAX (*max_percent, json_object_get_int_member (json_object_get_object_member (entry, "progress"), "percent"));
      if (steps != NULL && !json_node_is_null (json_object_get_member (json_object_get_object_member (entry, "progress"), "step")))
        g_ptr_array_add (steps, g_strdup (json_object_get_string_member (json_object_get_object_member (entry, "progress"), "step")));
      if (g_str_equal (state, "submitted") || g_str_equal (state, "failed") ||
          g_str_equal (state, "needs_user") || g_str_equal (state, "needs_review"))
        return g_strdup (state);
    }
  return g_strdup ("timeout");
}

/* Follows @entry_id on @stream to its next final state (90 s at most),
 * which must be @state. */
void
follow_until (Fixture       *f,
              JswTestStream *stream,
              const char    *entry_id,
              const char    *state)
{
  g_autofree char *reached = follow (f, stream, entry_id, 90, NULL, NULL);

  if (!g_str_equal (reached, state))
    g_test_message ("%s reached %s, not %s", entry_id, reached, state);
  g_assert_cmpstr (reached, ==, state);
}

/* The person's other device swipes right on the fixture site's @path (as
 * the posting @job_id), and the entry is followed to its first final
 * state, which must be @state. Returns: (transfer full): the entry's id */
char *
swipe_until (Fixture       *f,
             JswTestStream *stream,
             const char    *job_id,
             const char    *path,
             const char    *state)
{
  char *entry_id = swipe (f, job_id, path);

  follow_until (f, stream, entry_id, state);
  return entry_id;
}

JswTestStream *
watch (Fixture *f)
{
  JswTestStream *stream = jsw_test_stream_open (f->server, f->watcher, NULL);
  g_autoptr(JsonObject) welcome = NULL;

  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"phone\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");
  return stream;
}

/* @name's value in the last form the fixture site was sent. */
const char *
field_of_last_post (Fixture    *f,
                    const char *name)
{
  g_assert_cmpuint (f->site->posts->len, >, 0);
  return jsw_fixture_post_field (g_ptr_array_index (f->site->posts, f->site->posts->len - 1), name);
}

/* The entry as the server has it (GET /v1/queue/<id>). */
JsonNode *
get_entry (Fixture    *f,
           const char *entry_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", entry_id);
  guint status;
  JsonNode *entry = jsw_test_http (f->session, f->server, "GET", path, f->watcher, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return entry;
}

gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

void
activate_app_action (const char *action,
                     GVariant   *parameter)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder parameters;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* The app may still be starting (a sanitizer build is slow). */
  while (!name_has_owner (bus, "org.jobswipe.JobSwipe") && g_get_monotonic_time () < deadline)
    jsw_test_iterate_for (100);

  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&parameters, "v", parameter);
  reply = g_dbus_connection_call_sync (bus, "org.jobswipe.JobSwipe", "/org/jobswipe/JobSwipe",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, &parameters, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

void
wait_for_state (Fixture    *f,
                const char *entry_id,
                const char *state)
{
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s", entry_id);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      guint status;
      g_autoptr(JsonNode) entry = jsw_test_http (f->session, f->server, "GET", path, f->watcher, NULL, &status);

      if (g_str_equal (json_object_get_string_member (json_node_get_object (entry), "state"), state))
        return;
      jsw_test_iterate_for (200);
    }
  g_error ("%s never became %s", entry_id, state);
}

FakeService
serve_on_bus (const char                *xml,
              const char                *path,
              const char                *name,
              const GDBusInterfaceVTable *vtable,
              gpointer                   data)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GError) error = NULL;
  FakeService service;

  service.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  service.object_id = g_dbus_connection_register_object (service.bus, path, info->interfaces[0], vtable,
                                                         data, NULL, &error);
  g_assert_no_error (error);
  service.name_id = g_bus_own_name_on_connection (service.bus, name, G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  NULL, NULL, NULL, NULL);
  return service;
}

void
stop_serving (FakeService *service)
{
  g_bus_unown_name (service->name_id);
  g_dbus_connection_unregister_object (service->bus, service->object_id);
  g_clear_object (&service->bus);
}

static void
notifications_method (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  GPtrArray *summaries = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary;
      g_autofree const char **actions = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 5, "^a&s", &actions);
      /* Actions come in pairs: an identifier, then the button's label. */
      for (guint i = 1; actions != NULL && actions[i - 1] != NULL && actions[i] != NULL; i += 2)
        if (*actions[i] != '\0')
          g_ptr_array_add (notification_buttons, g_strdup_printf ("%s: %s", summary, actions[i]));
      g_ptr_array_add (summaries, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", summaries->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(['body', 'actions'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "jobswipe", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Every test's desktop has a notification server, as a desktop session
 * does: without one GIO warns when the app notifies, and warnings are
 * fatal in tests. */
void
serve_notifications (Fixture *f)
{
  static const GDBusInterfaceVTable vtable = { notifications_method, NULL, NULL, { 0 } };
  FakeService server;

  f->notifications = g_ptr_array_new_with_free_func (g_free);
  g_clear_pointer (&notification_buttons, g_ptr_array_unref);
  notification_buttons = g_ptr_array_new_with_free_func (g_free);
  server = serve_on_bus (notifications_xml, "/org/freedesktop/Notifications",
                         "org.freedesktop.Notifications", &vtable, f->notifications);
  f->notification_server = g_memdup2 (&server, sizeof server);
}

void
stop_serving_notifications (Fixture *f)
{
  stop_serving (f->notification_server);
  g_clear_pointer (&f->notification_server, g_free);
  g_clear_pointer (&f->notifications, g_ptr_array_unref);
}

