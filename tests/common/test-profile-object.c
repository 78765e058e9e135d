/* test-profile-object.c: the profile as an object
 *
 * Its properties are its members; what a value says is checked (an e-mail
 * address, a telephone number with its country code, web addresses) before
 * anything is saved; work history and education are lists of items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-common.h"

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (pspec->name));
}

/* Each text member is a property of the same name; setting it notifies
 * once, and an empty value leaves the member out. */
static void
test_properties (void)
{
  g_autoptr(JswProfile) profile = jsw_profile_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = NULL;
  g_autofree char *json = NULL;

  g_signal_connect (profile, "notify", G_CALLBACK (on_notify), seen);
  g_object_set (profile, "first-name", "Ada", NULL);
  g_object_set (profile, "first-name", "Ada", NULL);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "first-name");
  g_assert_cmpstr (jsw_profile_get_string (profile, "first_name"), ==, "Ada");
  g_object_get (profile, "first-name", &first, NULL);
  g_assert_cmpstr (first, ==, "Ada");

  g_assert_true (jsw_profile_get_flag (profile, "consent_to_required_terms"));
  g_object_set (profile, "consent-to-required-terms", FALSE, NULL);
  g_assert_false (jsw_profile_get_flag (profile, "consent_to_required_terms"));

  jsw_profile_set_string (profile, "first_name", "");
  json = jsw_profile_to_json (profile);
  g_assert_null (strstr (json, "first_name"));
  g_assert_nonnull (strstr (json, "\"consent_to_required_terms\" : false"));
}

static void
assert_invalid (const char *json,
                const char *expected_field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) profile = jsw_profile_new_from_json (json, &error);
  g_autofree char *field = NULL;

  g_assert_no_error (error);
  g_assert_false (jsw_profile_validate (profile, &field, &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_assert_cmpstr (field, ==, expected_field);
  g_test_message ("%s: %s", field, error->message);
}

static void
test_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) valid = jsw_profile_new_from_json (
      "{\"email\":\"ada@example.org\",\"phone\":\"+44 20 7946 0958\","
      "\"linkedin_url\":\"https://www.linkedin.com/in/ada\",\"website_url\":\"http://ada.example.org/\","
      "\"experience\":[{\"title\":\"Engineer\",\"company\":\"Analytical Engines\"}]}", &error);

  g_assert_no_error (error);
  g_assert_true (jsw_profile_validate (valid, NULL, &error));
  g_assert_no_error (error);

  assert_invalid ("{\"email\":\"ada\"}", "email");
  assert_invalid ("{\"email\":\"ada@localhost\"}", "email");
  assert_invalid ("{\"email\":\"ada lovelace@example.org\"}", "email");
  assert_invalid ("{\"email\":\"ada@@example.org\"}", "email");
  /* Without its country code a number cannot be split for a form's
   * country select (the engine parses it without a region). */
  assert_invalid ("{\"phone\":\"020 7946 0958\"}", "phone");
  assert_invalid ("{\"phone\":\"call me\"}", "phone");
  assert_invalid ("{\"github_url\":\"github.com/ada\"}", "github_url");
  assert_invalid ("{\"website_url\":\"ftp://ada.example.org\"}", "website_url");
  assert_invalid ("{\"website_url\":\"https://\"}", "website_url");

  /* Types are refused when loading, naming the member. */
  {
    g_autoptr(JswProfile) wrong = jsw_profile_new_from_json ("{\"experience\":[\"Engineer\"]}", &error);

    g_assert_null (wrong);
    g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "experience"));
  }
}

/* Work history and education: added, changed, removed by index; they go
 * to the forms, the resume's path does not. */
static void
test_items (void)
{
  g_autoptr(JswProfile) profile = jsw_profile_new ();
  g_autoptr(JswProfile) copy = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autofree char *text = NULL;
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_item_fields ("experience", &n_fields);
  guint first, second;

  g_assert_cmpuint (n_fields, >=, 4);
  g_assert_cmpstr (fields[0].name, ==, "title");
  g_assert_null (jsw_profile_get_item_fields ("hobbies", &n_fields));

  first = jsw_profile_add_item (profile, "experience");
  second = jsw_profile_add_item (profile, "experience");
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (second, ==, 1);
  jsw_profile_set_item_value (profile, "experience", 0, "title", "Engineer");
  jsw_profile_set_item_value (profile, "experience", 1, "title", "Analyst");
  jsw_profile_remove_item (profile, "experience", 0);
  g_assert_cmpuint (jsw_profile_get_n_items (profile, "experience"), ==, 1);
  g_assert_cmpstr (jsw_profile_get_item_value (profile, "experience", 0, "title"), ==, "Analyst");

  jsw_profile_set_string (profile, "resume_path", "/home/ada/cv.pdf");
  jsw_profile_set_map_value (profile, "answers", "notice_period", "1 month");
  g_assert_cmpstr (jsw_profile_answer_title ("notice_period"), !=, "notice_period");
  g_assert_cmpstr (jsw_profile_answer_title ("Why us?"), ==, "Why us?");

  /* A copy is independent: editing it leaves the original alone. */
  copy = jsw_profile_copy (profile);
  jsw_profile_set_item_value (copy, "experience", 0, "title", "Director");
  g_assert_cmpstr (jsw_profile_get_item_value (profile, "experience", 0, "title"), ==, "Analyst");

  text = jsw_profile_to_form_json (profile);
  form = json_from_string (text, NULL);
  g_assert_false (json_object_has_member (json_node_get_object (form), "resume_path"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (form), "experience")), ==, 1);
  g_assert_nonnull (strstr (text, "1 month"));
}

/* The self-identification answers are fixed choices, each field its own. */
static void
test_eeo_choices (void)
{
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_eeo_fields (&n_fields);

  g_assert_cmpuint (n_fields, ==, 4);
  for (guint i = 0; i < n_fields; i++)
    {
      g_assert_nonnull (fields[i].choices);
      g_assert_cmpuint (g_strv_length ((GStrv) fields[i].choices), >=, 3);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/properties", test_properties);
  g_test_add_func ("/profile/validation", test_validation);
  g_test_add_func ("/profile/items", test_items);
  g_test_add_func ("/profile/eeo-choices", test_eeo_choices);
  return g_test_run ();
}
