/* test-deck-applying.c: the swipe deck, where applying needs more than a
 * swipe
 *
 * The same world as test-deck-swiping.c (jsw-deck-fixture.c), its feed
 * with a Greenhouse posting whose form asks what the profile does not
 * answer.
 *
 * What a person checks, and the server confirms: a required question the
 * profile does not answer is asked, saved to the profile, and the
 * application then posts it on the fixture site; offline, cached postings
 * stay swipeable and the swipes reach the server exactly once when it is
 * back; a reached daily limit says which and when it resets; a likely
 * duplicate says when the person applied; a feed cursor the server no
 * longer verifies starts the feed over without an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-deck-fixture.h"

/* The first widget of @type under @widget (with @title, for a row). */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *title)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type) &&
      (title == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The text of the first label under @widget a person sees cut off with an
 * ellipsis, or NULL. */
static const char *
cut_off_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = cut_off_label (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Offline: the cached postings stay swipeable; the swipes wait, and reach
 * the server once each when it is back. */
static void
test_offline (void)
{
  g_autoptr(JsonObject) applied = NULL;
  g_autoptr(JsonObject) passed = NULL;
  g_autofree char *applied_id = NULL;
  g_autofree char *passed_id = NULL;
  GtkWidget *note = child (page (), JSW_TYPE_DISCOVER_PAGE, "waiting_label");

  applied = front ();
  applied_id = dup_id (applied);
  jsw_test_server_stop (t.server);

  press_key (XK_Right, NoSymbol);
  iterate_until (front_is_not, applied_id, 10, "Right to swipe offline");
  passed = front ();
  passed_id = dup_id (passed);
  press_key (XK_Left, NoSymbol);
  iterate_until (front_is_not, passed_id, 10, "Left to swipe offline");
  iterate_until (waiting, GUINT_TO_POINTER (2), 20, "two swipes kept");
  iterate_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, note, 30, "the offline note");
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (note)));
  screenshot ("deck-offline");

  jsw_test_server_restart (t.server);
  iterate_until (all_sent, NULL, 60, "the kept swipes to be sent");
  g_assert_cmpuint (entries_for (applied, NULL, NULL), ==, 1);
  g_assert_cmpuint (entries_for (passed, NULL, NULL), ==, 0);
  g_assert_false (in_feed (passed_id));
  g_assert_false (in_feed (applied_id));
}

static GtkWindow *
dialog_shown (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_shown () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return dialog_shown () == NULL;
}

static void
test_limit (void)
{
  g_autoptr(JsonObject) refused = front ();
  g_autofree char *refused_id = dup_id (refused);
  g_autofree char *daily = g_strdup_printf ("%" G_GINT64_FORMAT, used_today ());
  g_autoptr(JsonObject) set = jsw_test_server_cli (t.server, NULL, "plan", "set", "pro", "--daily", daily, NULL);
  AdwMessageDialog *dialog;
  const char *body;

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the limit to be said");
  dialog = ADW_MESSAGE_DIALOG (dialog_shown ());
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Application Limit Reached");
  /* Which limit, and when it resets (tomorrow, 00:00 UTC in local time). */
  g_assert_nonnull (strstr (body, "applications a day are used"));
  g_assert_nonnull (strstr (body, "Applying starts again on"));
  /* This server has no billing: Upgrade would lead nowhere, so it is not
   * offered. */
  g_assert_false (adw_message_dialog_has_response (dialog, "upgrade"));
  g_assert_null (find_button (GTK_WIDGET (dialog), "_Upgrade"));
  /* Nothing was created, and the posting is back in front. */
  iterate_until (front_is, refused_id, 10, "the refused posting back in front");
  g_assert_cmpuint (entries_for (refused, NULL, NULL), ==, 0);
  iterate_for (800);
  {
    g_autofree char *png = g_build_filename (g_getenv ("JOBSWIPE_SCREENSHOT_DIR"), "deck-limit.png", NULL);

    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  }
  click (find_button (GTK_WIDGET (dialog), "_Close"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");
  g_clear_pointer (&set, json_object_unref);
  set = jsw_test_server_cli (t.server, NULL, "plan", "set", "pro", "--daily", "25", NULL);
}

/* The board's other posting of @posting's job (a Lever board lists one job
 * per city: the same title), as its job_id, or NULL. */
static char *
duplicate_job_id (JsonObject *posting)
{
  g_autofree char *path = g_build_filename (t.home, "boards", "lever", "acme.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) board = NULL;
  JsonArray *postings;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  board = json_from_string (text, NULL);
  postings = json_node_get_array (board);
  for (guint i = 0; i < json_array_get_length (postings); i++)
    {
      JsonObject *listed = json_array_get_object_element (postings, i);
      g_autofree char *job_id = g_strconcat ("lever:acme:", json_object_get_string_member (listed, "id"), NULL);

      if (g_str_equal (json_object_get_string_member (listed, "text"), json_object_get_string_member (posting, "title")) &&
          !g_str_equal (job_id, json_object_get_string_member (posting, "job_id")))
        return g_steal_pointer (&job_id);
    }
  return NULL;
}

/* Applied to from another device under another city's posting: a right
 * swipe says when, and Apply Anyway applies to this one as well. */
static void
test_duplicate (void)
{
  g_autoptr(JsonObject) posting = NULL;
  g_autofree char *other = NULL;
  g_autofree char *body = NULL;
  g_autofree char *posting_id = NULL;
  g_autoptr(JsonNode) created = NULL;
  GtkWindow *dialog;
  guint status;

  for (guint i = 0; i < 25 && other == NULL; i++)
    {
      g_clear_pointer (&posting, json_object_unref);
      posting = front ();
      other = duplicate_job_id (posting);
      if (other == NULL)
        {
          g_autofree char *passed = dup_id (posting);

          press_key (XK_Left, NoSymbol);
          iterate_until (front_is_not, passed, 10, "Left to swipe");
        }
    }
  g_assert_nonnull (other);
  posting_id = dup_id (posting);
  body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"%s\",\"title\":\"%s\","
                          "\"company\":\"%s\",\"apply_url\":\"https://jobs.example.org/%s\"}}",
                          other, json_object_get_string_member (posting, "title"),
                          json_object_get_string_member (posting, "company"), other);
  created = jsw_test_http (t.http, t.server, "POST", "/v1/swipes", t.phone, body, &status);
  g_assert_cmpuint (status, ==, 201);

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the earlier application to be said");
  dialog = dialog_shown ();
  g_test_message ("%s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "You applied to this job on "));
  /* Nothing created, the posting back in front. */
  iterate_until (front_is, posting_id, 10, "the posting back in front");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 0);

  /* Shown and placed on the screen before it is clicked. */
  iterate_for (800);
  click (find_button (GTK_WIDGET (dialog), "_Apply Anyway"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");
  iterate_until (front_is_not, posting_id, 10, "Apply Anyway to swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 1);
}

/* Preferences' Search page, open. */
static JswSearchPage *
search_page (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (t.app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t.app)); l != NULL; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      {
        GtkWidget *found = find_descendant (l->data, JSW_TYPE_SEARCH_PAGE, NULL);

        g_assert_nonnull (found);
        return JSW_SEARCH_PAGE (found);
      }
  g_error ("no Preferences window");
}

static gboolean
searched (gpointer keyword)
{
  g_autoptr(JsonNode) search = server_get ("/v1/me/search", t.phone);
  JsonArray *keywords = json_object_get_array_member (json_node_get_object (search), "keywords");

  return json_array_get_length (keywords) == 1 && g_str_equal (json_array_get_string_element (keywords, 0), keyword);
}

static gboolean
front_title_is (gpointer title)
{
  return deck_shows ((gpointer) "cards") && !jsw_deck_view_get_busy (view ()) && g_strcmp0 (front_title (), title) == 0;
}

static gboolean
questions_said (gpointer data)
{
  return *jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "questions") != '\0';
}

static JswFixturePost *
post_to (const char *path)
{
  for (guint i = 0; i < t.site->posts->len; i++)
    {
      JswFixturePost *post = g_ptr_array_index (t.site->posts, i);

      if (g_str_equal (post->path, path))
        return post;
    }
  return NULL;
}

static gboolean
posted (gpointer path)
{
  return post_to (path) != NULL;
}

static gboolean
entry_is (gpointer state)
{
  g_autofree char *now = NULL;

  return entries_for (g_object_get_data (G_OBJECT (t.window), "jsw-test-posting"), &now, NULL) == 1 &&
         g_strcmp0 (now, state) == 0;
}

/* Found in the search (set in Preferences, kept on the server), a posting
 * whose form asks what the profile does not answer: Apply asks it, saves
 * it to the profile, swipes; the application then posts the answer. */
static void
test_questions (void)
{
  JswSearchPage *search = search_page ();
  GtkWidget *keywords = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (search), JSW_TYPE_SEARCH_PAGE, "keywords_row"));
  g_autoptr(JsonObject) posting = NULL;
  g_autoptr(JswProfileStore) store = NULL;
  GtkWindow *dialog;
  GtkWidget *answer_row;
  GtkWidget *answer_view;
  GtkWidget *choices;
  const char *answer = "A payments ledger of 40 million accounts, sharded over 64 PostgreSQL nodes";
  JswFixturePost *post;

  iterate_until ((gboolean (*) (gpointer)) gtk_widget_is_sensitive, search, 20, "the saved search");
  gtk_editable_set_text (GTK_EDITABLE (keywords), "Scaling");
  g_signal_emit_by_name (keywords, "apply");
  iterate_until (searched, (gpointer) "Scaling", 20, "the search on the server");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (search))));
  iterate_until (front_title_is, (gpointer) "Platform Engineer, Scaling", 30, "the deck of the new search");

  /* The card says what will be asked, as the engine's matcher has it: the
   * question of the fixture's form (text), one more of the posting's
   * (which of PostgreSQL, Kafka...: choices), its location question (Ada's
   * profile has no location), and the consent to keep the data for later
   * openings, which is never given without asking (yes or no). */
  iterate_until (questions_said, NULL, 20, "the questions on the card");
  g_assert_cmpstr (jsw_swipe_card_get_text (jsw_deck_view_get_front (view ()), "questions"), ==,
                   "Asks 4 questions you have not answered: you are asked before applying");
  posting = front ();
  g_object_set_data (G_OBJECT (t.window), "jsw-test-posting", posting);
  screenshot ("deck-asks");

  press_key (XK_Right, NoSymbol);
  iterate_until (has_dialog, NULL, 20, "the questions to be asked");
  dialog = dialog_shown ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Before Applying");
  /* Not swiped while asking. */
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 0);
  iterate_for (500);
  answer_row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_PREFERENCES_ROW, SCALED);
  choices = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW, "Which of these have you run in production?");
  g_assert_nonnull (answer_row);
  g_assert_nonnull (choices);
  /* The form's textarea is answered in several lines, not one. */
  answer_view = find_descendant (answer_row, GTK_TYPE_TEXT_VIEW, NULL);
  g_assert_nonnull (answer_view);
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (answer_view)), !=, GTK_WRAP_NONE);
  g_assert_cmpint (gtk_widget_get_height (answer_view), >=, 3 * gtk_widget_get_height (find_button (GTK_WIDGET (dialog), "_Yes")) / 2);
  /* Every question is read whole in the narrow dialog: long ones wrap. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 400);
  g_assert_cmpstr (cut_off_label (GTK_WIDGET (dialog)), ==, NULL);
  /* Save and Apply waits for every answer. */
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (answer_view)), answer, -1);
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_PREFERENCES_ROW,
                                                                         "Location (City)"),
                                                        GTK_TYPE_ENTRY, NULL)),
                         "Bristol, United Kingdom");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_descendant (choices, GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  iterate_for (100);
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  {
    /* The questions scroll: down to the last, as a person would. */
    GtkWidget *scroller = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW, NULL);
    GtkAdjustment *down = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (down, gtk_adjustment_get_upper (down));
    iterate_for (300);
  }
  click (find_button (GTK_WIDGET (dialog), "_Yes"));
  iterate_for (300);
  g_assert_true (gtk_widget_is_sensitive (find_button (GTK_WIDGET (dialog), "_Save and Apply")));
  jsw_screenshot_soon (GTK_WIDGET (dialog), "deck-questions", 50);
  iterate_for (800);
  click (find_button (GTK_WIDGET (dialog), "_Save and Apply"));
  iterate_until (no_dialog, NULL, 10, "the dialog to close");

  /* Saved to the profile's answers, then swiped. */
  g_object_get (t.app, "profile-store", &store, NULL);
  g_assert_cmpstr (jsw_profile_get_map_value (jsw_profile_store_get_profile (store), "answers", SCALED), ==, answer);
  {
    /* And they stick: the engine's matcher, which fills the form, finds
     * nothing left to ask on this posting (the city for a profile without
     * a location, the retention consent among them). */
    g_autofree char *saved = jsw_profile_to_json (jsw_profile_store_get_profile (store));
    g_autoptr(JsonNode) person = jsw_json_parse (saved, -1, NULL);
    g_autoptr(JswMatcher) matcher = jsw_matcher_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) open = jsw_matcher_uncovered (matcher, json_node_get_object (person),
                                                       json_object_get_array_member (posting, "questions"), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (open), ==, 0);
  }
  iterate_until (front_is_not, (gpointer) json_object_get_string_member (posting, "posting_id"), 10, "the swipe");
  iterate_until (all_sent, NULL, 20, "the swipe to be sent");
  g_assert_cmpuint (entries_for (posting, NULL, NULL), ==, 1);

  /* Applying on: the application runs unattended and posts the answer. */
  g_action_group_change_action_state (G_ACTION_GROUP (t.app), "auto-apply", g_variant_new_boolean (TRUE));
  iterate_until (posted, (gpointer) "/greenhouse/unknown/submit", 180, "the form to be sent");
  post = post_to ("/greenhouse/unknown/submit");
  g_assert_cmpstr (jsw_fixture_post_field (post, "scaled"), ==, answer);
  iterate_until (entry_is, (gpointer) "submitted", 60, "the entry to be submitted");
  g_action_group_change_action_state (G_ACTION_GROUP (t.app), "auto-apply", g_variant_new_boolean (FALSE));

  /* Every posting again, for the tests after this one. */
  {
    guint status;
    g_autoptr(JsonNode) saved = jsw_test_http (t.http, t.server, "PUT", "/v1/me/search", t.token, "{}", &status);

    g_assert_cmpuint (status, ==, 200);
    gtk_widget_activate_action (GTK_WIDGET (t.window), "win.reload-deck", NULL);
  }
}

static guint
feed_size (void)
{
  g_autoptr(JsonNode) feed = server_get ("/v1/feed?limit=100", t.phone);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (feed), "postings"));
}

/* Whether the deck shows a posting that is not in @seen (a set of ids). */
static gboolean
shows_a_posting_not_in (GHashTable *seen)
{
  for (guint i = 0; i < jsw_deck_model_get_n_postings (model ()); i++)
    if (!g_hash_table_contains (seen, json_object_get_string_member (jsw_deck_model_get_posting (model (), i), "posting_id")))
      return TRUE;
  return FALSE;
}

/* The server is upgraded onto a database that lost the key its feed
 * cursors are signed with: the cursor the deck holds is refused (400
 * invalid). Swiping on, the person sees the rest of the feed, the deck
 * having started it over, and no error. */
static void
test_cursor_refused (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint swipes = 0;

  iterate_until (deck_shows, (gpointer) "cards", 60, "cards");
  /* The deck holds the first page: more is behind its cursor. */
  g_assert_cmpuint (jsw_deck_model_get_n_postings (model ()), <, feed_size ());
  for (guint i = 0; i < jsw_deck_model_get_n_postings (model ()); i++)
    g_hash_table_add (seen, dup_id (jsw_deck_model_get_posting (model (), i)));

  jsw_test_server_stop (t.server);
  jsw_test_database_run (t.server->db_path, "DELETE FROM server_secrets WHERE name = 'feed-cursor'");
  jsw_test_server_restart (t.server);

  while (!shows_a_posting_not_in (seen))
    {
      g_autoptr(JsonObject) passed = NULL;
      g_autofree char *passed_id = NULL;

      g_assert_cmpint (jsw_deck_model_get_state (model ()), ==, JSW_DECK_STATE_READY);
      g_assert_cmpuint (jsw_deck_model_get_n_postings (model ()), >, 0);
      passed = front ();
      passed_id = dup_id (passed);
      press_key (XK_Left, NoSymbol);
      iterate_until (front_is_not, passed_id, 10, "Left to swipe");
      swipes++;
      /* The next page is asked for once the deck runs low: a moment for
       * its answer before the next swipe. */
      iterate_for (300);
    }
  g_test_message ("a posting past the first page after %u swipes", swipes);
  g_assert_cmpint (jsw_deck_model_get_state (model ()), ==, JSW_DECK_STATE_READY);
  screenshot ("deck-cursor-refused");
  iterate_until (all_sent, NULL, 30, "the swipes to be sent");
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (!jsw_deck_test_start (&argc, &argv, TRUE))
    return g_test_run ();
  g_test_add_func ("/app/deck/questions", test_questions);
  g_test_add_func ("/app/deck/offline", test_offline);
  g_test_add_func ("/app/deck/limit", test_limit);
  g_test_add_func ("/app/deck/duplicate", test_duplicate);
  g_test_add_func ("/app/deck/cursor-refused", test_cursor_refused);
  status = g_test_run ();
  jsw_deck_test_stop ();
  return status;
}
