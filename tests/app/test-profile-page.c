/* test-profile-page.c: the profile a person fills in
 *
 * The real profile page over a real profile store (a file in a temporary
 * folder), in this process under Xvfb. What a person checks: a wrong
 * e-mail address, telephone number or URL is marked on its row and nothing
 * is saved until it is right; the work history, saved answers and
 * self-identification end up in PROFILE.json as typed or chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-profile-page.h"
#include "jsw-screenshot.h"

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (GtkWidget  *page,
     const char *name)
{
  GtkWidget *found = find_named (page, name);

  g_assert_nonnull (found);
  return found;
}

static char *
read_file (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_steal_pointer (&contents);
}

static void
test_nothing_saved_until_valid (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jsw-profile-page-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(JswProfileStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonObject *profile;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;

  g_assert_true (g_file_set_contents (path, "{\"first_name\":\"Ada\",\"email\":\"ada@example.org\","
                                      "\"answers\":{\"notice_period\":\"1 month\"}}", -1, NULL));
  store = jsw_profile_store_new (path);
  page = jsw_profile_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 900);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (200);
  before = read_file (path);

  /* A saved answer reads as a question, not as its key. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row (page, "notice_period"))), ==,
                   "What is your notice period?");

  /* Half-typed: marked on the row, and the file keeps what it had. */
  gtk_editable_set_text (GTK_EDITABLE (row (page, "email")), "ada@");
  gtk_editable_set_text (GTK_EDITABLE (row (page, "phone")), "020 7946 0958");
  gtk_editable_set_text (GTK_EDITABLE (row (page, "last_name")), "Lovelace");
  iterate_for (900);
  g_assert_true (gtk_widget_has_css_class (row (page, "email"), "error"));
  g_assert_true (gtk_widget_has_css_class (row (page, "phone"), "error"));
  g_assert_false (gtk_widget_has_css_class (row (page, "last_name"), "error"));
  after = read_file (path);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (jsw_profile_page_save (JSW_PROFILE_PAGE (page), NULL));
  jsw_screenshot_soon (window, "profile-invalid", 50);
  iterate_for (300);

  /* Fixed: saved on its own, with everything typed meanwhile. */
  gtk_editable_set_text (GTK_EDITABLE (row (page, "email")), "ada@example.org");
  gtk_editable_set_text (GTK_EDITABLE (row (page, "phone")), "+44 20 7946 0958");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (page, "veteran")), 2);
  iterate_for (900);
  g_assert_false (gtk_widget_has_css_class (row (page, "email"), "error"));
  g_clear_pointer (&after, g_free);
  after = read_file (path);
  saved = json_from_string (after, NULL);
  profile = json_node_get_object (saved);
  g_assert_cmpstr (json_object_get_string_member (profile, "last_name"), ==, "Lovelace");
  g_assert_cmpstr (json_object_get_string_member (profile, "phone"), ==, "+44 20 7946 0958");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (profile, "eeo"), "veteran"), ==,
                   "I am not a protected veteran");
  g_assert_cmpstr (jsw_profile_get_string (jsw_profile_store_get_profile (store), "last_name"), ==, "Lovelace");

  /* Work history: an item added, its title typed; a saved answer deleted. */
  g_signal_emit_by_name (adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (row (page, "experience"))), "clicked");
  iterate_for (50);
  gtk_editable_set_text (GTK_EDITABLE (find_named (row (page, "experience/0"), "title")), "Engineer");
  gtk_editable_set_text (GTK_EDITABLE (find_named (row (page, "experience/0"), "company")), "Analytical Engines");
  g_signal_emit_by_name (row (row (page, "notice_period"), "delete"), "clicked");
  iterate_for (900);
  g_clear_pointer (&after, g_free);
  after = read_file (path);
  g_clear_pointer (&saved, json_node_unref);
  saved = json_from_string (after, NULL);
  profile = json_node_get_object (saved);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (profile, "experience"), 0), "title"), ==, "Engineer");
  g_assert_false (json_object_has_member (json_object_get_object_member (profile, "answers"), "notice_period"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row (page, "experience/0"))), ==,
                   "Engineer at Analytical Engines");
  {
    GtkWidget *scrolled = gtk_widget_get_first_child (page);

    /* The lower half: work history, education, answers, self-identification. */
    while (scrolled != NULL && !GTK_IS_SCROLLED_WINDOW (scrolled))
      scrolled = gtk_widget_get_first_child (scrolled);
    if (scrolled != NULL)
      {
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      }
    jsw_screenshot_soon (window, "profile-lists", 200);
    iterate_for (600);
  }

  /* Dark, as AdwStyleManager makes it when the person prefers it. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  jsw_screenshot_soon (window, "profile-dark", 200);
  iterate_for (600);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_for (50);
  g_remove (path);
  g_rmdir (dir);
}

/* "Fix in Profile": a field deep in the page gets the focus and is
 * scrolled into view, in a window too short to show it at first; a field
 * the page has no row for is refused. The label of a form's field leads
 * to the profile's member. */
static void
test_show_field (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jsw-profile-page-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(JswProfileStore) store = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;
  GtkWidget *scrolled;
  GtkWidget *website;
  GtkWidget *focus;
  graphene_rect_t bounds;

  g_assert_cmpstr (jsw_profile_field_for_label ("Phone")->name, ==, "phone");
  g_assert_cmpstr (jsw_profile_field_for_label ("Your phone number *")->name, ==, "phone");
  g_assert_cmpstr (jsw_profile_field_for_label ("Email")->name, ==, "email");
  g_assert_cmpstr (jsw_profile_field_for_label ("LinkedIn Profile")->name, ==, "linkedin_url");
  g_assert_null (jsw_profile_field_for_label ("Favourite colour"));

  g_assert_true (g_file_set_contents (path, "{\"first_name\":\"Ada\",\"phone\":\"+44 20 7946 0958\"}", -1, NULL));
  store = jsw_profile_store_new (path);
  page = jsw_profile_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 400);
  g_assert_false (jsw_profile_page_show_field (JSW_PROFILE_PAGE (page), "no_such_field"));
  /* Asked before the page is on screen, as the preferences window opens. */
  g_assert_true (jsw_profile_page_show_field (JSW_PROFILE_PAGE (page), "website_url"));
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (800);

  website = row (page, "website_url");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, website) || focus == website);
  scrolled = gtk_widget_get_ancestor (website, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scrolled);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled))), >, 0);
  g_assert_true (gtk_widget_compute_bounds (website, scrolled, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));
  jsw_screenshot_soon (window, "profile-fix-field-360", 200);
  iterate_for (500);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_for (50);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *screenshots = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);

  /* The pictures of each state, as the end-to-end tests leave theirs. */
  g_setenv ("JOBSWIPE_SCREENSHOT_DIR", screenshots, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/profile-page/nothing-saved-until-valid", test_nothing_saved_until_valid);
  g_test_add_func ("/app/profile-page/show-field", test_show_field);
  return g_test_run ();
}
