/* jsw-deck-fixture.c: the world of the swipe deck's tests (see
 * jsw-deck-fixture.h), and the helpers its two test programs share
 *
 * Input is real X input (jsw-deck-input.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-deck-fixture.h"

JswDeckTest t;

/* Waiting, with the main loop running (the app, the site and the board's
 * answers all need it). */

void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      timeout_s,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!done (data))
    g_error ("timed out waiting for %s", what);
}

gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *found = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (found);
  return found;
}

JswDiscoverPage *
page (void)
{
  return child (t.window, JSW_TYPE_WINDOW, "discover_page");
}

JswDeckModel *
model (void)
{
  return jsw_discover_page_get_model (page ());
}

JswDeckView *
view (void)
{
  return jsw_discover_page_get_view (page ());
}

const char *
front_id (void)
{
  JsonObject *posting = model () ? jsw_deck_model_get_posting (model (), 0) : NULL;

  return posting ? json_object_get_string_member (posting, "posting_id") : NULL;
}

const char *
front_title (void)
{
  return jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "title");
}

void
screenshot (const char *name)
{
  jsw_test_window_picture (GTK_WIDGET (t.window), name);
}

/* The server's side */

JsonNode *
server_get (const char *path,
            const char *token)
{
  guint status;
  JsonNode *node = jsw_test_http (t.http, t.server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return node;
}

gboolean
in_feed (const char *posting_id)
{
  g_autoptr(JsonNode) feed = server_get ("/v1/feed?limit=100", t.phone);
  JsonArray *postings = json_object_get_array_member (json_node_get_object (feed), "postings");

  for (guint i = 0; i < json_array_get_length (postings); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (postings, i), "posting_id"), posting_id))
      return TRUE;
  return FALSE;
}

/* The live (not cancelled) entries of the queue for a posting's job, and
 * the last one's state; with @state, cancelled ones count too. */
guint
entries_for (JsonObject  *posting,
             char       **state,
             char       **entry_id)
{
  g_autoptr(JsonNode) queue = server_get ("/v1/queue", t.phone);
  JsonArray *entries = json_object_get_array_member (json_node_get_object (queue), "entries");
  const char *job_id = json_object_get_string_member (posting, "job_id");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (!g_str_equal (json_object_get_string_member (entry, "job_id"), job_id) ||
          (state == NULL && g_str_equal (json_object_get_string_member (entry, "state"), "cancelled")))
        continue;
      n++;
      if (state != NULL)
        {
          g_free (*state);
          *state = g_strdup (json_object_get_string_member (entry, "state"));
        }
      if (entry_id != NULL)
        {
          g_free (*entry_id);
          *entry_id = g_strdup (json_object_get_string_member (entry, "id"));
        }
    }
  return n;
}

gint64
used_today (void)
{
  g_autoptr(JsonNode) me = server_get ("/v1/me", t.phone);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (me), "usage"), "daily");
}

/* States */

gboolean
deck_shows (gpointer name)
{
  return model () != NULL && g_strcmp0 (jsw_discover_page_get_state (page ()), name) == 0;
}

gboolean
front_is_not (gpointer posting_id)
{
  return !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_id (), posting_id) != 0;
}

gboolean
front_is (gpointer posting_id)
{
  return !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_id (), posting_id) == 0;
}

gboolean
settled (gpointer data)
{
  return !jsw_deck_view_get_busy (view ()) && jsw_deck_view_get_offset (view ()) == 0;
}

gboolean
all_sent (gpointer data)
{
  return jsw_deck_model_get_n_waiting (model ()) == 0;
}

/* The posting in front, held across the swipe that takes it away. */
JsonObject *
front (void)
{
  iterate_until (deck_shows, (gpointer) "cards", 60, "cards");
  iterate_until (settled, NULL, 10, "the deck to settle");
  return json_object_ref (jsw_deck_model_get_posting (model (), 0));
}

char *
dup_id (JsonObject *posting)
{
  return g_strdup (json_object_get_string_member (posting, "posting_id"));
}

GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
waiting (gpointer n)
{
  return jsw_deck_model_get_n_waiting (model ()) == GPOINTER_TO_UINT (n);
}

static gboolean
signed_in (gpointer data)
{
  return model () != NULL;
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  jsw_session_sign_in_finish (JSW_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* A job board of Lever postings whose forms are on the fixture site, in
 * the server's feed; @asking: and the Greenhouse posting whose form asks
 * what the profile does not answer (left out where nothing answers its
 * questions: a right swipe on it would ask them). */
static void
set_up_feed (gboolean asking)
{
  g_autofree char *boards = g_build_filename (t.home, "boards", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "server", "boards", "make-boards.py", NULL);
  g_autofree char *site = jsw_fixture_site_url (t.site, "");
  const char *argv[] = { "python3", script, boards, "--greenhouse", asking ? "1" : "0", "--lever", "30", "--ashby", "0",
                         "--personio", "0", "--apply-base", site, NULL };
  /* The Greenhouse posting: a form that asks a question Ada's profile
   * does not answer (the fixture site's greenhouse/unknown), published
   * with its questions as Greenhouse publishes them. */
  const char *ask[] = { "python3", "-c",
    "import json, sys\n"
    "d, site = sys.argv[1], sys.argv[2]\n"
    "path = d + '/greenhouse/acme/'\n"
    "jobs = json.load(open(path + 'jobs.json'))\n"
    "details = json.load(open(path + 'details.json'))\n"
    "job = jobs['jobs'][0]\n"
    "for j in (job, details[str(job['id'])]):\n"
    "    j['title'] = 'Platform Engineer, Scaling'\n"
    "    j['absolute_url'] = site + '/greenhouse/unknown'\n"
    "detail = details[str(job['id'])]\n"
    "detail['questions'] = detail['questions'] + [{'required': True, 'label': '" SCALED "',\n"
    "    'description': None, 'fields': [{'name': 'question_4012345009', 'type': 'textarea', 'values': []}]}]\n"
    "json.dump(jobs, open(path + 'jobs.json', 'w'))\n"
    "json.dump(details, open(path + 'details.json', 'w'))\n",
    boards, site, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) synced = NULL;

  /* No trailing slash: the boards add "/lever/happy". */
  if (g_str_has_suffix (site, "/"))
    site[strlen (site) - 1] = '\0';
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  if (asking)
    {
      g_assert_true (g_spawn_sync (NULL, (char **) ask, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  t.board = jsw_fake_board_start (boards);
  added = jsw_test_server_cli (t.server, NULL, "source", "add", "lever", "acme", "--company", "Northwind Apps",
                               "--base-url", jsw_fake_board_url (t.board), NULL);
  if (asking)
    {
      g_clear_pointer (&added, json_object_unref);
      added = jsw_test_server_cli (t.server, NULL, "source", "add", "greenhouse", "acme", "--company", "Lumen Labs",
                                   "--base-url", jsw_fake_board_url (t.board), NULL);
    }
  synced = jsw_test_server_cli (t.server, NULL, "source", "sync", NULL);
}

/**
 * jsw_deck_test_start:
 * @asking: whether the feed holds the Greenhouse posting whose form asks
 *   what Ada's profile does not answer (test-deck-applying.c's questions)
 *
 * Sets up the world (g_test_init() included): the fixture site, the
 * server with Ada and her phone's token, the feed, the application and its
 * window, signed in.
 *
 * Returns: %FALSE if the test cannot run here (no display, keyring or
 *   XTEST: skipped, and g_test_run() says so)
 */
gboolean
jsw_deck_test_start (int      *argc,
                     char   ***argv,
                     gboolean  asking)
{
  g_autofree char *screenshots = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *fixtures = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) phone = NULL;
  g_autoptr(JswProfileStore) store = NULL;
  g_autoptr(JswSession) session = NULL;
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };

  g_setenv ("JOBSWIPE_SCREENSHOT_DIR", screenshots, TRUE);
  t.home = g_dir_make_tmp ("jsw-deck-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (t.home, dirs[i], NULL);

      g_setenv (dirs[i], dir, TRUE);
    }
  g_test_init (argc, argv, NULL);
  if (g_getenv ("DISPLAY") == NULL || !jsw_test_keyring_available ())
    {
      g_test_skip ("needs a display and a Secret Service keyring (tools/run-tests starts both)");
      return FALSE;
    }
  gtk_init ();
  t.x = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  {
    int event, error_base, major, minor;

    if (!XTestQueryExtension (t.x, &event, &error_base, &major, &minor))
      {
        g_test_skip ("needs the X server's XTEST extension (Xvfb has it)");
        return FALSE;
      }
  }

  fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  t.site = jsw_fixture_site_new (fixtures);
  t.server = jsw_test_server_start (NULL);
  t.http = jsw_test_session_new ();
  t.token = jsw_test_server_add_user (t.server, "ada@example.org", "pro", NULL);
  phone = jsw_test_server_cli (t.server, NULL, "token", "add", "ada@example.org", "--device", "phone", NULL);
  t.phone = g_strdup (json_object_get_string_member (phone, "token"));
  jsw_test_set_mode (t.http, t.server, t.token, "desktop");
  set_up_feed (asking);

  /* The desktop's notification server (the app says when an application
   * was sent), as tests/app/jsw-app-fixture.c gives every app test. */
  serve_notifications (&t.desktop);
  t.renderer_chosen = g_getenv ("GSK_RENDERER") != NULL;
  t.app = jsw_application_new ();
  g_application_set_flags (G_APPLICATION (t.app), g_application_get_flags (G_APPLICATION (t.app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (t.app), NULL, &error);
  g_assert_no_error (error);

  /* Ada's profile (jsw-app-fixture.h), as --import-profile gives it. */
  resume = g_build_filename (t.home, "resume.pdf", NULL);
  g_file_set_contents (resume, "%PDF-1.4\n% Ada's resume\n%%EOF\n", -1, NULL);
  profile_path = g_build_filename (t.home, "profile.json", NULL);
  profile = g_strdup_printf (PROFILE_JSON, resume);
  g_file_set_contents (profile_path, profile, -1, NULL);
  g_object_get (t.app, "profile-store", &store, "session", &session, NULL);
  jsw_profile_store_import_file (store, profile_path, &error);
  g_assert_no_error (error);

  t.window = jsw_window_new (GTK_APPLICATION (t.app));
  gtk_window_present (GTK_WINDOW (t.window));
  jsw_session_sign_in_async (session, t.server->url, NULL, NULL, t.token, NULL, signed_in_cb, NULL);
  iterate_until (signed_in, NULL, 60, "signing in");

  return TRUE;
}

/* Everything jsw_deck_test_start() made, gone. */
void
jsw_deck_test_stop (void)
{
  g_autofree char *rm = NULL;

  gtk_window_destroy (GTK_WINDOW (t.window));
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.app);
  g_clear_object (&t.http);
  jsw_test_server_free (t.server);
  jsw_fake_board_stop (t.board);
  jsw_fixture_site_free (t.site);
  stop_serving_notifications (&t.desktop);
  rm = g_strdup_printf ("rm -rf '%s'", t.home);
  if (system (rm) != 0)
    g_warning ("could not remove %s", t.home);
}
