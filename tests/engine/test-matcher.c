/* test-matcher.c: the engine's question matcher (resources/adapters/
 * matcher.js) in a JavaScriptCore context of its own, as the app's swipe
 * deck runs it to tell which of a posting's questions a person would still
 * be asked
 *
 * The profile is the corpus's (Mara Lindqvist, tests/fixtures/corpus/
 * profile.json); the questions are shaped as the server gives a POSTING's
 * (docs/server.md, QUESTION), worded as Greenhouse boards word them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-json.h"
#include "jsw-matcher.h"

typedef struct {
  JswMatcher *matcher;
  JsonObject *profile;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "corpus", "profile.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  root = jsw_json_parse (text, -1, &error);
  g_assert_no_error (error);
  f->profile = json_object_ref (json_node_get_object (root));
  json_object_set_string_member (f->profile, "resume_path", "/home/mara/Mara_Lindqvist_CV.pdf");
  f->matcher = jsw_matcher_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->matcher);
  g_clear_pointer (&f->profile, json_object_unref);
}

/* The labels of the questions @profile leaves open among @questions_json,
 * joined with " | ". */
static char *
uncovered_labels (Fixture    *f,
                  const char *questions_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) questions = jsw_json_parse (questions_json, -1, &error);
  g_autoptr(JsonArray) open = NULL;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  g_assert_no_error (error);
  open = jsw_matcher_uncovered (f->matcher, f->profile, json_node_get_array (questions), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (open); i++)
    g_strv_builder_add (labels, json_object_get_string_member (json_array_get_object_element (open, i), "label"));
  list = g_strv_builder_end (labels);
  return g_strjoinv (" | ", list);
}

#define TEXT(label, required) \
  "{\"set\":\"form\",\"label\":\"" label "\",\"required\":" required ",\"description\":null," \
  "\"fields\":[{\"name\":\"q\",\"type\":\"text\",\"options\":[]}]}"
#define SELECT(set, label, options) \
  "{\"set\":\"" set "\",\"label\":\"" label "\",\"required\":true,\"description\":null," \
  "\"fields\":[{\"name\":\"q\",\"type\":\"single_select\",\"options\":[" options "]}]}"
#define OPTION(label, value) "{\"label\":\"" label "\",\"value\":\"" value "\"}"
#define BOOLEAN(set, label) \
  "{\"set\":\"" set "\",\"label\":\"" label "\",\"required\":true,\"description\":null," \
  "\"fields\":[{\"name\":\"b\",\"type\":\"boolean\",\"options\":[]}]}"
#define RESUME \
  "{\"set\":\"form\",\"label\":\"Resume/CV\",\"required\":true,\"description\":null," \
  "\"fields\":[{\"name\":\"resume\",\"type\":\"file\",\"options\":[]}," \
  "{\"name\":\"resume_text\",\"type\":\"textarea\",\"options\":[]}]}"

/* A Greenhouse posting the saved answers cover: nothing to ask. */
static void
test_covered (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *open = uncovered_labels (f, "["
    TEXT ("First Name", "true") "," TEXT ("Last Name", "true") "," TEXT ("Email", "true") ","
    TEXT ("Phone", "true") "," RESUME ","
    TEXT ("LinkedIn Profile", "false") ","
    SELECT ("form", "Are you legally authorized to work in the United States?", OPTION ("Yes", "1") "," OPTION ("No", "0")) ","
    SELECT ("form", "Will you now or in the future require sponsorship for employment visa status?",
            OPTION ("I will require sponsorship now or in the future", "1") ","
            OPTION ("I will not now or in the future require sponsorship", "0")) ","
    SELECT ("form", "How did you hear about this job?", OPTION ("Indeed", "a") "," OPTION ("Social Media - LinkedIn", "b")) ","
    SELECT ("eeo", "Gender", OPTION ("Male", "1") "," OPTION ("Female", "2") "," OPTION ("Decline To Self Identify", "3")) ","
    SELECT ("eeo", "Please identify your race", OPTION ("Asian", "1") "," OPTION ("White", "2") "," OPTION ("Decline To Self Identify", "3")) ","
    BOOLEAN ("gdpr", "Consent to the processing of my data for this application")
    "]");

  g_assert_cmpstr (open, ==, "");
}

/* What the run would hand to the person: never guessed. */
static void
test_uncovered (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *open = uncovered_labels (f, "["
    TEXT ("First Name", "true") ","
    /* no saved answer; numbers come only from saved answers */
    TEXT ("How many years of experience do you have with Python?", "true") ","
    /* optional: never asked */
    TEXT ("What is your favourite data structure?", "false") ","
    /* two options could mean LinkedIn: a person chooses */
    SELECT ("form", "How did you hear about us?", OPTION ("LinkedIn Jobs", "a") "," OPTION ("LinkedIn Post", "b")) ","
    /* self-identification with no answer and no way to decline */
    SELECT ("eeo", "Veteran Status", OPTION ("I am a protected veteran", "1") "," OPTION ("I am not a protected veteran", "2")) ","
    /* a required opt-in is the person's to tick */
    BOOLEAN ("gdpr", "Send me future job openings at Oddfellow Maps")
    "]");

  g_assert_cmpstr (open, ==, "How many years of experience do you have with Python? | How did you hear about us? | "
                   "Veteran Status | Send me future job openings at Oddfellow Maps");
}

/* A saved answer worded differently covers a reworded question, and a
 * number picks its range; "… with C" is not "… with Python". */
static void
test_saved_answers (Fixture       *f,
                    gconstpointer  data)
{
  JsonObject *answers = json_object_get_object_member (f->profile, "answers");
  g_autofree char *open = NULL;

  json_object_set_string_member (answers, "Years of experience with C", "5");
  open = uncovered_labels (f, "["
    SELECT ("form", "How many years of experience do you have with C?", OPTION ("0-2", "a") "," OPTION ("3-5", "b") "," OPTION ("6+", "c")) ","
    TEXT ("How many years of experience do you have with Python?", "true")
    "]");
  g_assert_cmpstr (open, ==, "How many years of experience do you have with Python?");
}

/* The profile decides consent and the resume. */
static void
test_consent_and_resume (Fixture       *f,
                         gconstpointer  data)
{
  const char *questions = "[" RESUME "," BOOLEAN ("gdpr", "Consent to the processing of my data for this application") "]";
  g_autofree char *with_all = uncovered_labels (f, questions);
  g_autofree char *without = NULL;

  g_assert_cmpstr (with_all, ==, "");
  json_object_remove_member (f->profile, "resume_path");
  json_object_set_boolean_member (f->profile, "consent_to_required_terms", FALSE);
  without = uncovered_labels (f, questions);
  g_assert_cmpstr (without, ==, "Resume/CV | Consent to the processing of my data for this application");
}

/* {label, required, type, options} is a question of one field; what is
 * not a question is left out, not an error. */
static void
test_shapes (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *flat = uncovered_labels (f, "["
    "{\"label\":\"Are you willing to relocate?\",\"required\":true,\"type\":\"single_select\","
    "\"options\":[{\"label\":\"Yes\",\"value\":\"y\"},{\"label\":\"No\",\"value\":\"n\"}]},"
    "{\"label\":\"Notice period\",\"required\":true,\"type\":\"text\",\"options\":[]},"
    "{\"label\":\"Hidden\",\"required\":true,\"fields\":[{\"name\":\"h\",\"type\":\"hidden\",\"options\":[]}]},"
    "42, null, \"text\", {\"label\":\"Required as a string\",\"required\":\"true\"}"
    "]");

  g_assert_cmpstr (flat, ==, "Notice period");
}

/* A question the matcher takes for a profile field the profile lacks is
 * answered by the answer the person gave to it in the swipe deck (saved
 * under the question's words), as the engine fills it. */
static void
test_profile_field_from_answer (Fixture       *f,
                                gconstpointer  data)
{
  const char *questions = "[" TEXT ("Location (City)", "true") "]";
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  json_object_remove_member (f->profile, "location");
  before = uncovered_labels (f, questions);
  g_assert_cmpstr (before, ==, "Location (City)");
  json_object_set_string_member (json_object_get_object_member (f->profile, "answers"), "Location (City)", "Oakland, CA");
  after = uncovered_labels (f, questions);
  g_assert_cmpstr (after, ==, "");
}

/* The GDPR retention consent is the person's choice: open until they say
 * yes to it, and their yes covers it however another form words it. */
static void
test_retention_consent (Fixture       *f,
                        gconstpointer  data)
{
  JsonObject *answers = json_object_get_object_member (f->profile, "answers");
  const char *questions = "["
    BOOLEAN ("gdpr", "Consent to keeping my data for future openings (retention)") ","
    BOOLEAN ("form", "I consent to Oddfellow Maps retaining my personal data for future job openings")
    "]";
  g_autofree char *before = uncovered_labels (f, questions);
  g_autofree char *declined = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "Consent to keeping my data for future openings (retention) | "
                   "I consent to Oddfellow Maps retaining my personal data for future job openings");
  /* No: the required box cannot be ticked, so the form cannot go. */
  json_object_set_string_member (answers, "Consent to keeping my data for future openings (retention)", "No");
  declined = uncovered_labels (f, questions);
  g_assert_cmpstr (declined, ==, before);
  json_object_set_string_member (answers, "Consent to keeping my data for future openings (retention)", "Yes");
  after = uncovered_labels (f, questions);
  g_assert_cmpstr (after, ==, "");
}

#define HISPANIC(options) SELECT ("eeo", "Are you Hispanic/Latino?", options)

/* "Are you Hispanic/Latino?" is self-identification: the race answer's
 * ethnicity, else declined where the form offers to, as the other EEO
 * questions. */
static void
test_hispanic_latino (Fixture       *f,
                      gconstpointer  data)
{
  const char *declinable = "[" HISPANIC (OPTION ("Yes", "Yes") "," OPTION ("No", "No") ","
                                         OPTION ("Decline To Self Identify", "Decline To Self Identify")) "]";
  const char *yes_no = "[" HISPANIC (OPTION ("Yes", "Yes") "," OPTION ("No", "No")) "]";
  g_autofree char *no_race_declinable = uncovered_labels (f, declinable);
  g_autofree char *no_race_yes_no = uncovered_labels (f, yes_no);
  g_autofree char *with_race = NULL;

  g_assert_cmpstr (no_race_declinable, ==, "");
  g_assert_cmpstr (no_race_yes_no, ==, "Are you Hispanic/Latino?");
  json_object_set_string_member (json_object_get_object_member (f->profile, "eeo"), "race", "White");
  with_race = uncovered_labels (f, yes_no);
  g_assert_cmpstr (with_race, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/matcher/covered", test_covered);
  ADD ("/engine/matcher/uncovered", test_uncovered);
  ADD ("/engine/matcher/saved-answers", test_saved_answers);
  ADD ("/engine/matcher/consent-and-resume", test_consent_and_resume);
  ADD ("/engine/matcher/shapes", test_shapes);
  ADD ("/engine/matcher/profile-field-from-answer", test_profile_field_from_answer);
  ADD ("/engine/matcher/retention-consent", test_retention_consent);
  ADD ("/engine/matcher/hispanic-latino", test_hispanic_latino);
#undef ADD

  return g_test_run ();
}
