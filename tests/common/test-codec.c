/* test-codec.c: every frame of the stream, valid and each kind of invalid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-common.h"

#define ENTRY_JSON \
  "{\"id\":\"e_1\",\"job_id\":\"j1\",\"target\":\"desktop\",\"state\":\"running\",\"attempt\":2," \
  "\"progress\":{\"percent\":40,\"step\":\"filling\",\"message\":\"Filling the form\"}," \
  "\"claimed_by\":{\"device\":\"laptop\",\"kind\":\"desktop\"},\"result\":null," \
  "\"created_at\":\"2026-11-28T21:57:01Z\",\"updated_at\":\"2026-11-28T21:58:00Z\"," \
  "\"snapshot\":{\"job_id\":\"j1\",\"title\":\"Dev\",\"company\":\"ACME\",\"apply_url\":\"https://acme.example/1\"}}"

static JswMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JswMessage *message = jsw_message_parse (text, strlen (text), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
test_client_frames (void)
{
  g_autoptr(JswMessage) hello = parse_ok ("{\"type\":\"hello\",\"device\":\"laptop\",\"since\":42}");
  g_autoptr(JswMessage) claim = parse_ok ("{\"type\":\"claim\",\"id\":\"r1\",\"entry\":\"e_1\"}");
  g_autoptr(JswMessage) heartbeat = parse_ok ("{\"type\":\"heartbeat\",\"lease\":\"l_1\"}");
  g_autoptr(JswMessage) progress = parse_ok ("{\"type\":\"progress\",\"lease\":\"l_1\",\"percent\":55,\"step\":\"answering\",\"message\":\"3 questions\"}");
  g_autoptr(JswMessage) result = parse_ok ("{\"type\":\"result\",\"id\":\"r2\",\"lease\":\"l_1\",\"outcome\":\"submitted\","
                                           "\"confirmation\":\"Thanks!\",\"screenshot_sha256\":"
                                           "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}");
  g_autoptr(JswMessage) release = parse_ok ("{\"type\":\"release\",\"lease\":\"l_1\",\"unknown\":[1,2]}");

  g_assert_cmpint (hello->type, ==, JSW_MESSAGE_HELLO);
  g_assert_cmpstr (hello->device, ==, "laptop");
  g_assert_cmpint (hello->since, ==, 42);
  g_assert_true (jsw_message_type_is_client (hello->type));

  g_assert_cmpint (claim->type, ==, JSW_MESSAGE_CLAIM);
  g_assert_cmpstr (claim->id, ==, "r1");
  g_assert_cmpstr (claim->entry_id, ==, "e_1");

  g_assert_cmpstr (heartbeat->lease, ==, "l_1");

  g_assert_cmpint (progress->percent, ==, 55);
  g_assert_cmpint (progress->step, ==, JSW_STEP_ANSWERING);
  g_assert_cmpstr (progress->message, ==, "3 questions");

  g_assert_cmpint (result->outcome, ==, JSW_OUTCOME_SUBMITTED);
  g_assert_cmpstr (result->confirmation, ==, "Thanks!");
  g_assert_null (result->error);

  /* Unknown fields are ignored. */
  g_assert_cmpint (release->type, ==, JSW_MESSAGE_RELEASE);
}

/* Addition: a run that pressed the send button and then saw neither a
 * confirmation nor an error says so, and the entry goes to a person. */
static void
test_result_unconfirmed (void)
{
  g_autoptr(JswMessage) result = parse_ok ("{\"type\":\"result\",\"id\":\"r3\",\"lease\":\"l_1\",\"outcome\":\"unconfirmed\","
                                           "\"error\":\"No confirmation was seen after sending\"}");
  JswOutcome outcome;

  g_assert_cmpint (result->outcome, ==, JSW_OUTCOME_UNCONFIRMED);
  g_assert_cmpstr (result->error, ==, "No confirmation was seen after sending");
  g_assert_cmpint (jsw_outcome_to_state (JSW_OUTCOME_UNCONFIRMED), ==, JSW_STATE_NEEDS_REVIEW);
  g_assert_true (jsw_outcome_from_string (jsw_outcome_to_string (JSW_OUTCOME_UNCONFIRMED), &outcome));
  g_assert_cmpint (outcome, ==, JSW_OUTCOME_UNCONFIRMED);
  g_assert_false (jsw_outcome_from_string ("needs_review", &outcome));
}

static void
test_server_frames (void)
{
  g_autoptr(JswMessage) welcome = parse_ok ("{\"type\":\"welcome\",\"seq\":7,\"lease_ttl_s\":60,\"heartbeat_s\":20}");
  g_autoptr(JswMessage) entry = parse_ok ("{\"type\":\"entry\",\"seq\":8,\"entry\":" ENTRY_JSON "}");
  g_autoptr(JswMessage) sync = parse_ok ("{\"type\":\"sync\",\"seq\":9,\"entries\":[" ENTRY_JSON "," ENTRY_JSON "]}");
  g_autoptr(JswMessage) claimed = parse_ok ("{\"type\":\"claimed\",\"re\":\"r1\",\"entry\":\"e_1\",\"lease\":\"l_1\",\"expires_at\":\"2026-11-28T21:58:01Z\"}");
  g_autoptr(JswMessage) ack = parse_ok ("{\"type\":\"ack\",\"re\":\"r2\"}");
  g_autoptr(JswMessage) error = parse_ok ("{\"type\":\"error\",\"re\":null,\"code\":\"invalid\",\"message\":\"no\"}");

  g_assert_cmpint (welcome->seq, ==, 7);
  g_assert_cmpint (welcome->lease_ttl_s, ==, 60);
  g_assert_false (jsw_message_type_is_client (welcome->type));

  g_assert_cmpstr (entry->entry->id, ==, "e_1");
  g_assert_cmpint (entry->entry->state, ==, JSW_STATE_RUNNING);
  g_assert_cmpint (entry->entry->target, ==, JSW_TARGET_DESKTOP);
  g_assert_cmpint (entry->entry->attempt, ==, 2);
  g_assert_cmpint (entry->entry->percent, ==, 40);
  g_assert_cmpint (entry->entry->step, ==, JSW_STEP_FILLING);
  g_assert_true (entry->entry->claimed);
  g_assert_cmpstr (entry->entry->claimed_device, ==, "laptop");
  g_assert_false (entry->entry->has_result);
  g_assert_cmpstr (entry->entry->snapshot->company, ==, "ACME");

  g_assert_cmpuint (sync->entries->len, ==, 2);
  g_assert_cmpstr (claimed->lease, ==, "l_1");
  g_assert_cmpstr (ack->re, ==, "r2");
  g_assert_null (error->re);
  g_assert_cmpstr (error->code, ==, "invalid");
}

/* What we build, we parse back to the same values. */
static void
test_round_trip (void)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *frame = NULL;
  g_autofree char *progress = jsw_message_build_progress (NULL, "l_9", 87, JSW_STEP_SUBMITTING, "Sending");
  g_autofree char *confirmed = jsw_message_build_progress ("p7", "l_9", 85, JSW_STEP_SUBMITTING, NULL);
  g_autoptr(JswMessage) parsed_confirmed = NULL;
  g_autofree char *result = jsw_message_build_result ("r9", "l_9", JSW_OUTCOME_NEEDS_USER, NULL, "captcha", NULL);
  g_autofree char *claimed = jsw_message_build_claimed ("r8", "e_9", "l_9", G_GINT64_CONSTANT (1795298221) * G_USEC_PER_SEC);
  g_autoptr(JswMessage) parsed = NULL;
  g_autoptr(JswMessage) parsed_progress = NULL;
  g_autoptr(JswMessage) parsed_result = NULL;
  g_autoptr(JswMessage) parsed_claimed = NULL;

  entry->id = g_strdup ("e_9");
  entry->job_id = g_strdup ("j9");
  entry->target = JSW_TARGET_SERVER;
  entry->state = JSW_STATE_SUBMITTED;
  entry->percent = 100;
  entry->step = JSW_STEP_CONFIRMING;
  entry->has_result = TRUE;
  entry->outcome = JSW_OUTCOME_SUBMITTED;
  entry->confirmation = g_strdup ("Application received");
  entry->created_at = G_GINT64_CONSTANT (1795298221) * G_USEC_PER_SEC;
  entry->updated_at = entry->created_at;
  entry->snapshot = jsw_job_new_from_json ("{\"job_id\":\"j9\",\"title\":\"T\",\"company\":\"C\",\"apply_url\":\"http://c.example/\"}", &error);
  g_assert_no_error (error);

  frame = jsw_message_build_entry (3, entry);
  parsed = parse_ok (frame);
  g_assert_cmpint (parsed->seq, ==, 3);
  g_assert_cmpstr (parsed->entry->confirmation, ==, "Application received");
  g_assert_cmpint (parsed->entry->outcome, ==, JSW_OUTCOME_SUBMITTED);
  g_assert_cmpint (parsed->entry->created_at, ==, entry->created_at);
  g_assert_false (parsed->entry->claimed);

  parsed_progress = parse_ok (progress);
  g_assert_cmpint (parsed_progress->step, ==, JSW_STEP_SUBMITTING);
  g_assert_cmpint (parsed_progress->percent, ==, 87);
  g_assert_null (parsed_progress->id);
  parsed_confirmed = parse_ok (confirmed);
  g_assert_cmpstr (parsed_confirmed->id, ==, "p7");
  parsed_result = parse_ok (result);
  g_assert_cmpint (parsed_result->outcome, ==, JSW_OUTCOME_NEEDS_USER);
  g_assert_cmpstr (parsed_result->error, ==, "captcha");
  parsed_claimed = parse_ok (claimed);
  g_assert_cmpstr (parsed_claimed->expires_at, ==, "2026-11-21T21:57:01Z");
}

/* The fast writer and the node tree describe the same entry. */
static void
test_entry_text (void)
{
  g_autoptr(JswEntry) entry = jsw_entry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *frame = NULL;
  g_autoptr(JswMessage) parsed = NULL;

  entry->id = g_strdup ("e_\"quoted\"");
  entry->job_id = g_strdup ("back\\slash\nnew line\ttab\x01control ünïcödé");
  entry->state = JSW_STATE_NEEDS_USER;
  entry->target = JSW_TARGET_UNDECIDED;
  entry->attempt = 3;
  entry->percent = 42;
  entry->step = JSW_STEP_ANSWERING;
  entry->message = g_strdup ("What is your \"notice period\"?");
  entry->claimed = TRUE;
  entry->claimed_kind = JSW_KIND_SERVER;
  entry->has_result = TRUE;
  entry->outcome = JSW_OUTCOME_NEEDS_USER;
  entry->error = g_strdup ("captcha");
  entry->created_at = G_GINT64_CONSTANT (1795298221) * G_USEC_PER_SEC;
  entry->updated_at = entry->created_at + G_USEC_PER_SEC;
  entry->snapshot_json = g_strdup ("{\"job_id\":\"j\",\"title\":\"T\",\"company\":\"C\",\"apply_url\":\"https://c.example/\"}");

  text = jsw_entry_to_json (entry);
  frame = g_strdup_printf ("{\"type\":\"entry\",\"seq\":1,\"entry\":%s}", text);
  parsed = jsw_message_parse (frame, strlen (frame), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->entry->id, ==, entry->id);
  g_assert_cmpstr (parsed->entry->job_id, ==, entry->job_id);
  g_assert_cmpstr (parsed->entry->message, ==, entry->message);
  g_assert_cmpint (parsed->entry->state, ==, JSW_STATE_NEEDS_USER);
  g_assert_cmpint (parsed->entry->target, ==, JSW_TARGET_UNDECIDED);
  g_assert_cmpint (parsed->entry->attempt, ==, 3);
  g_assert_cmpint (parsed->entry->step, ==, JSW_STEP_ANSWERING);
  g_assert_true (parsed->entry->claimed);
  g_assert_null (parsed->entry->claimed_device);
  g_assert_cmpint (parsed->entry->claimed_kind, ==, JSW_KIND_SERVER);
  g_assert_cmpstr (parsed->entry->error, ==, "captcha");
  g_assert_null (parsed->entry->confirmation);
  g_assert_cmpint (parsed->entry->updated_at, ==, entry->updated_at);
  g_assert_cmpstr (parsed->entry->snapshot->apply_url, ==, "https://c.example/");
}

typedef struct {
  const char *text;
  const char *request_id;  /* what the error answer can still refer to */
} InvalidCase;

static void
test_invalid_frames (void)
{
  static const InvalidCase cases[] = {
    { "", NULL },
    { "not json", NULL },
    { "{\"type\":\"hello\"", NULL },
    { "[\"hello\"]", NULL },
    { "\"hello\"", NULL },
    { "{}", NULL },
    { "{\"type\":5}", NULL },
    { "{\"type\":\"shout\"}", NULL },
    { "{\"type\":\"hello\"}", NULL },
    { "{\"type\":\"hello\",\"device\":\"\"}", NULL },
    { "{\"type\":\"hello\",\"device\":\"d\",\"since\":-1}", NULL },
    { "{\"type\":\"hello\",\"device\":\"d\",\"since\":\"3\"}", NULL },
    { "{\"type\":\"hello\",\"device\":\"d\",\"since\":1.5}", NULL },
    { "{\"type\":\"claim\",\"id\":\"r1\"}", "r1" },
    { "{\"type\":\"claim\",\"id\":7,\"entry\":\"e\"}", NULL },
    { "{\"type\":\"claim\",\"id\":\"r1\",\"entry\":null}", "r1" },
    { "{\"type\":\"heartbeat\"}", NULL },
    { "{\"type\":\"heartbeat\",\"lease\":[]}", NULL },
    { "{\"type\":\"progress\",\"lease\":\"l\",\"percent\":101,\"step\":\"filling\"}", NULL },
    { "{\"type\":\"progress\",\"lease\":\"l\",\"percent\":-1,\"step\":\"filling\"}", NULL },
    { "{\"type\":\"progress\",\"lease\":\"l\",\"percent\":10,\"step\":\"dancing\"}", NULL },
    { "{\"type\":\"progress\",\"lease\":\"l\",\"percent\":10}", NULL },
    { "{\"type\":\"progress\",\"lease\":\"l\",\"percent\":true,\"step\":\"filling\"}", NULL },
    { "{\"type\":\"result\",\"id\":\"r2\",\"lease\":\"l\",\"outcome\":\"won\"}", "r2" },
    { "{\"type\":\"result\",\"id\":\"r2\",\"lease\":\"l\"}", "r2" },
    { "{\"type\":\"result\",\"id\":\"r2\",\"lease\":\"l\",\"outcome\":\"failed\",\"error\":{}}", "r2" },
    { "{\"type\":\"result\",\"id\":\"r2\",\"lease\":\"l\",\"outcome\":\"submitted\",\"screenshot_sha256\":\"xyz\"}", "r2" },
    { "{\"type\":\"release\"}", NULL },
    { "{\"type\":\"welcome\",\"seq\":1}", NULL },
    { "{\"type\":\"entry\",\"seq\":1,\"entry\":{\"id\":\"e\"}}", NULL },
    { "{\"type\":\"claimed\",\"re\":\"r\",\"entry\":\"e\",\"lease\":\"l\",\"expires_at\":\"tomorrow\"}", NULL },
    { "{\"type\":\"hello\",\"device\":\"d\",\"since\":0} {}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *request_id = NULL;
      g_autoptr(JswMessage) message = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      message = jsw_message_parse (cases[i].text, strlen (cases[i].text), &request_id, &error);
      g_assert_null (message);
      g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
      g_assert_cmpstr (jsw_error_code_name (error->code), ==, "invalid");
      g_assert_cmpstr (request_id, ==, cases[i].request_id);
    }
}

static void
test_frame_too_large (void)
{
  gsize size = JSW_MAX_FRAME_SIZE + 1;
  g_autofree char *text = g_malloc (size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswMessage) message = NULL;

  memset (text, ' ', size);
  message = jsw_message_parse (text, size, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_PAYLOAD_TOO_LARGE);
}

static void
test_too_deep (void)
{
  GString *deep = g_string_new ("{\"type\":\"hello\",\"device\":\"d\",\"x\":");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswMessage) message = NULL;

  /* Deep enough to overflow a recursive parser's stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  text = g_string_free (deep, FALSE);
  message = jsw_message_parse (text, strlen (text), NULL, &error);
  g_assert_null (message);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
}

static void
test_not_utf8 (void)
{
  const char text[] = "{\"type\":\"hello\",\"device\":\"\xc3\x28\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JswMessage) message = jsw_message_parse (text, sizeof text - 1, NULL, &error);

  g_assert_null (message);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
}

static void
test_job_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswJob) job = jsw_job_new_from_json ("{\"job_id\":\"gh-123\",\"title\":\"SRE\",\"company\":\"Initech\","
                                                  "\"apply_url\":\"https://boards.greenhouse.io/initech/jobs/123\","
                                                  "\"salary\":null,\"extra\":{\"remote\":true},\"tags\":[\"kept\"]}",
                                                  &error);
  g_autoptr(JswJob) no_host = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (job->job_id, ==, "gh-123");
  /* Stored as sent, unknown members included. */
  g_assert_nonnull (strstr (jsw_job_get_json (job), "\"tags\":[\"kept\"]"));

  no_host = jsw_job_new_from_json ("{\"job_id\":\"a\",\"title\":\"t\",\"company\":\"c\",\"apply_url\":\"https:///path\"}", &error);
  g_assert_null (no_host);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
}

static void
test_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswProfile) profile = jsw_profile_new_from_json ("{\"first_name\":\"Ada\",\"resume_path\":\"/home/ada/cv.pdf\","
                                                             "\"answers\":{\"notice_period\":\"1 month\"}}", &error);
  g_autoptr(JswProfile) wrong = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  /* What a form may see never holds the resume's path on this machine... */
  first = jsw_profile_to_form_json (profile);
  g_assert_null (strstr (first, "cv.pdf"));
  g_assert_nonnull (strstr (first, "1 month"));
  /* ...and taking it out leaves the profile whole for the next run. */
  g_assert_cmpstr (jsw_profile_get_resume_path (profile), ==, "/home/ada/cv.pdf");
  second = jsw_profile_to_form_json (profile);
  g_assert_cmpstr (first, ==, second);

  wrong = jsw_profile_new_from_json ("{\"first_name\":\"Ada\",\"answers\":{\"salary\":90000}}", &error);
  g_assert_null (wrong);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_clear_error (&error);

  /* consent_to_required_terms is true or false, nothing else. */
  wrong = jsw_profile_new_from_json ("{\"first_name\":\"Ada\",\"consent_to_required_terms\":\"no\"}", &error);
  g_assert_null (wrong);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(JswProfile) declines = jsw_profile_new_from_json ("{\"first_name\":\"Ada\",\"consent_to_required_terms\":false}", &error);
    g_autofree char *form = NULL;

    g_assert_no_error (error);
    form = jsw_profile_to_form_json (declines);
    g_assert_nonnull (strstr (form, "\"consent_to_required_terms\":false"));
  }
}

static void
test_types (void)
{
  JswState state;
  JswStep step;
  JswExecutionMode mode;

  for (int i = 0; i < JSW_N_STATES; i++)
    {
      g_assert_true (jsw_state_from_string (jsw_state_to_string ((JswState) i), &state));
      g_assert_cmpint (state, ==, i);
    }
  g_assert_false (jsw_state_from_string ("QUEUED", &state));
  g_assert_false (jsw_state_from_string (NULL, &state));
  g_assert_true (jsw_step_from_string ("confirming", &step));
  g_assert_cmpint (step, >, JSW_STEP_SUBMITTING);
  g_assert_true (jsw_execution_mode_from_string ("ask", &mode));
  g_assert_cmpint (mode, ==, JSW_MODE_ASK);
}

static void
test_periods (void)
{
  /* 2026-12-31T23:59:59Z and one second later */
  gint64 last = G_GINT64_CONSTANT (1798761599) * G_USEC_PER_SEC;
  g_autofree char *month = jsw_time_month_period (last);
  g_autofree char *day = jsw_time_day_period (last);
  g_autofree char *next_month = jsw_time_month_period (last + G_USEC_PER_SEC);
  g_autofree char *next_day = jsw_time_day_period (last + G_USEC_PER_SEC);
  g_autofree char *formatted = jsw_time_format (last);
  gint64 parsed;

  g_assert_cmpstr (month, ==, "2026-12");
  g_assert_cmpstr (day, ==, "2026-12-31");
  g_assert_cmpstr (next_month, ==, "2027-01");
  g_assert_cmpstr (next_day, ==, "2027-01-01");
  g_assert_cmpstr (formatted, ==, "2026-12-31T23:59:59Z");
  g_assert_true (jsw_time_parse (formatted, &parsed));
  g_assert_cmpint (parsed, ==, last);
}

/* The one list of profile fields: each is validated by its kind, and only
 * those meant for forms reach the adapters. */
static void
test_profile_fields (void)
{
  guint n_fields;
  const JswProfileField *fields = jsw_profile_get_fields (&n_fields);
  g_autoptr(JswProfile) profile = NULL;
  g_autofree char *form = NULL;
  g_autoptr(JsonNode) form_node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_fields, >, 10);
  for (guint i = 0; i < n_fields; i++)
    {
      /* A number is never right: not for text, a flag or a map. */
      g_autofree char *json = g_strdup_printf ("{\"%s\": 7}", fields[i].name);
      g_autoptr(JswProfile) wrong = jsw_profile_new_from_json (json, &error);

      g_assert_null (wrong);
      g_assert_nonnull (error);
      g_clear_error (&error);
      g_assert_nonnull (fields[i].title);
    }

  profile = jsw_profile_new_from_json ("{\"first_name\":\"Ada\",\"resume_path\":\"/home/ada/cv.pdf\","
                                       "\"consent_to_required_terms\":false,\"answers\":{\"q\":\"a\"}}", &error);
  g_assert_no_error (error);
  form = jsw_profile_to_form_json (profile);
  form_node = json_from_string (form, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_fields; i++)
    if (!fields[i].in_forms)
      g_assert_false (json_object_has_member (json_node_get_object (form_node), fields[i].name));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (form_node), "first_name"), ==, "Ada");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (form_node), "consent_to_required_terms"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/client-frames", test_client_frames);
  g_test_add_func ("/codec/result-unconfirmed", test_result_unconfirmed);
  g_test_add_func ("/codec/server-frames", test_server_frames);
  g_test_add_func ("/codec/round-trip", test_round_trip);
  g_test_add_func ("/codec/entry-text", test_entry_text);
  g_test_add_func ("/codec/invalid", test_invalid_frames);
  g_test_add_func ("/codec/too-large", test_frame_too_large);
  g_test_add_func ("/codec/not-utf8", test_not_utf8);
  g_test_add_func ("/codec/too-deep", test_too_deep);
  g_test_add_func ("/codec/job-snapshot", test_job_snapshot);
  g_test_add_func ("/codec/types", test_types);
  g_test_add_func ("/codec/profile", test_profile);
  g_test_add_func ("/codec/profile-fields", test_profile_fields);
  g_test_add_func ("/codec/periods", test_periods);

  return g_test_run ();
}
