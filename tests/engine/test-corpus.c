/* test-corpus.c: the engine on the corpus of real-world form shapes
 *
 * One subtest per folder of tests/fixtures/corpus, found at run time
 * (/engine/corpus/<case>, and /engine/corpus/<case>/desktop for a case that
 * asks for desktop mode too). Each runs the real jobswipe-apply under Xvfb
 * against the fixture site and checks what case.json expects
 * (tests/fixtures/corpus/README.md): the outcome and exit status, the exact
 * post the employer received, fields that must not be sent, and the
 * questions handed to the person.
 *
 *   test-corpus --report [CASE...]
 *
 * runs the cases without asserting and prints one line per case (right,
 * wrong or hand-off, and how long it took), then the median and the
 * slowest; bench/engine-corpus uses it. JSW_CORPUS_VERBOSE=1 adds each
 * run's own output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "jsw-fixture-site.h"

#define RESUME_NAME   "Mara_Lindqvist_CV.pdf"
/* Bounds a case that goes wrong; a right one takes a few seconds. */
#define RUN_TIMEOUT_S "30"

typedef enum {
  VERDICT_RIGHT,
  VERDICT_HAND_OFF,   /* stopped and asked the person where it should have sent */
  VERDICT_WRONG,
} Verdict;

static const char *verdict_names[] = { "right", "hand-off", "wrong" };

/* --report prints its own table, not each run's output. */
static gboolean reporting;

typedef struct {
  char       *name;
  char       *mode;     /* "server" or "desktop" */
} CaseRun;

static void
case_run_free (CaseRun *run)
{
  g_free (run->name);
  g_free (run->mode);
  g_free (run);
}

typedef struct {
  int         status;
  JsonObject *result;   /* the "result" line, or NULL */
  GPtrArray  *steps;    /* char*: the progress steps in order */
  char       *out;
  char       *err;
  double      seconds;
} Apply;

static void
apply_free (Apply *apply)
{
  g_clear_pointer (&apply->result, json_object_unref);
  g_ptr_array_unref (apply->steps);
  g_free (apply->out);
  g_free (apply->err);
  g_free (apply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Apply, apply_free)

/* The folder of cases under tests/fixtures: the corpus, or another set in
 * its format (test-linkedin-apply.c includes this file for "linkedin"). */
#ifndef JSW_CORPUS_NAME
#define JSW_CORPUS_NAME "corpus"
#endif

static char *
corpus_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", JSW_CORPUS_NAME, NULL);
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

/* @over's members replace @base's; objects are merged member by member,
 * and null removes a member. */
static void
merge_into (JsonObject *base,
            JsonObject *over)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, over);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (base, name);
      else if (JSON_NODE_HOLDS_OBJECT (value) && json_object_has_member (base, name) &&
               JSON_NODE_HOLDS_OBJECT (json_object_get_member (base, name)))
        merge_into (json_object_get_object_member (base, name), json_node_get_object (value));
      else
        json_object_set_member (base, name, json_node_copy (value));
    }
}

/* The default profile (profile.json, Mara Lindqvist) with the case's
 * "profile" merged over it, written to @path. */
static void
write_profile (JsonObject *spec,
               const char *path)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *default_path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(JsonNode) profile = load_json (default_path);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (json_object_has_member (spec, "profile"))
    merge_into (json_node_get_object (profile), json_object_get_object_member (spec, "profile"));
  text = json_to_string (profile, FALSE);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Apply *apply = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &apply->out, &apply->err, &error);
  g_assert_no_error (error);
}

static void
parse_events (Apply *apply)
{
  g_auto(GStrv) lines = g_strsplit (apply->out ? apply->out : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *event;
      const char *kind;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      event = json_node_get_object (node);
      kind = json_object_get_string_member_with_default (event, "event", "");
      if (g_str_equal (kind, "progress"))
        g_ptr_array_add (apply->steps, g_strdup (json_object_get_string_member_with_default (event, "step", "")));
      else if (g_str_equal (kind, "result"))
        {
          g_clear_pointer (&apply->result, json_object_unref);
          apply->result = json_object_ref (event);
        }
    }
}

/* Runs jobswipe-apply on the case's page while the site serves it. */
static Apply *
run_case (JswFixtureSite *site,
          const char     *name,
          JsonObject     *spec,
          const char     *mode,
          const char     *tmp)
{
  g_autofree char *page = g_strconcat ("/", json_object_get_string_member (spec, "url"), NULL);
  g_autofree char *url = jsw_fixture_site_url (site, page);
  g_autofree char *profile = g_build_filename (tmp, "profile.json", NULL);
  g_autofree char *browser = g_build_filename (tmp, "browser", NULL);
  g_autofree char *resume = g_test_build_filename (G_TEST_DIST, "fixtures", RESUME_NAME, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  JsonArray *extra = json_object_has_member (spec, "args") ? json_object_get_array_member (spec, "args") : NULL;
  Apply *apply = g_new0 (Apply, 1);
  gint64 started;

  write_profile (spec, profile);
  g_strv_builder_add_many (builder, g_getenv ("JSW_APPLY_BIN"), "--json", "--timeout", RUN_TIMEOUT_S,
                           "--mode", mode, "--profile", profile, "--resume", resume, NULL);
  if (g_str_equal (mode, "desktop"))
    g_strv_builder_add_many (builder, "--browser-profile", browser, NULL);
  for (guint i = 0; extra != NULL && i < json_array_get_length (extra); i++)
    g_strv_builder_add (builder, json_array_get_string_element (extra, i));
  g_strv_builder_add (builder, url);
  argv = g_strv_builder_end (builder);

  started = g_get_monotonic_time ();
  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated, apply);
  while (apply->out == NULL && apply->err == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (process, NULL, NULL);
  apply->seconds = (g_get_monotonic_time () - started) / 1e6;
  apply->status = g_subprocess_get_exit_status (process);
  apply->steps = g_ptr_array_new_with_free_func (g_free);
  parse_events (apply);
  if (reporting && g_getenv ("JSW_CORPUS_VERBOSE") != NULL)
    g_printerr ("%s%s", apply->out, apply->err ? apply->err : "");
  else if (!reporting)
    g_test_message ("%s (%s): exit %d after %.2f s\n%s%s", name, mode, apply->status, apply->seconds,
                    apply->out, apply->err ? apply->err : "");
  return apply;
}

/* Checking ----------------------------------------------------------------- */

static int
exit_status_of (const char *outcome)
{
  if (g_str_equal (outcome, "submitted") || g_str_equal (outcome, "filled"))
    return 0;
  if (g_str_equal (outcome, "needs_user"))
    return 3;
  if (g_str_equal (outcome, "unconfirmed"))
    return 4;
  return 1;
}

static gboolean
strings_contain (JsonArray  *array,
                 const char *needle)
{
  g_autofree char *want = g_utf8_casefold (needle, -1);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item = g_utf8_casefold (json_array_get_string_element (array, i), -1);

      if (strstr (item, want) != NULL)
        return TRUE;
    }
  return FALSE;
}

static GBytes *
resume_bytes (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", RESUME_NAME, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The post against "post": every listed field exactly (a file by its name
 * and the resume's bytes), and nothing else unless "extra_ok". */
static void
check_post (JsonObject     *spec,
            JswFixturePost *post,
            GString        *wrong)
{
  JsonObject *want = json_object_get_object_member (spec, "post");
  gboolean extra_ok = json_object_get_boolean_member_with_default (spec, "extra_ok", FALSE);
  g_autoptr(GBytes) resume = resume_bytes ();
  JsonObjectIter iter;
  GHashTableIter fields;
  const char *name;
  JsonNode *value;
  gpointer key;

  json_object_iter_init (&iter, want);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          const char *file_name = json_object_get_string_member_with_default (json_node_get_object (value), "filename", "");
          GBytes *bytes = g_hash_table_lookup (post->files, name);

          if (bytes == NULL)
            g_string_append_printf (wrong, "file %s not posted; ", name);
          else if (g_strcmp0 (g_hash_table_lookup (post->file_names, name), file_name) != 0)
            g_string_append_printf (wrong, "file %s named \"%s\", not \"%s\"; ", name,
                                    (char *) g_hash_table_lookup (post->file_names, name), file_name);
          else if (g_str_equal (file_name, RESUME_NAME) && !g_bytes_equal (bytes, resume))
            g_string_append_printf (wrong, "file %s is not the resume's bytes; ", name);
        }
      else
        {
          const char *got = g_hash_table_lookup (post->fields, name);
          const char *expected = json_node_get_string (value);

          if (g_strcmp0 (got, expected) != 0)
            g_string_append_printf (wrong, "%s = \"%s\", expected \"%s\"; ", name, got ? got : "(absent)", expected);
        }
    }

  if (extra_ok)
    return;
  g_hash_table_iter_init (&fields, post->fields);
  while (g_hash_table_iter_next (&fields, &key, NULL))
    if (!json_object_has_member (want, key))
      g_string_append_printf (wrong, "%s posted but not expected (\"%s\"); ", (char *) key,
                              (char *) g_hash_table_lookup (post->fields, key));
  g_hash_table_iter_init (&fields, post->files);
  while (g_hash_table_iter_next (&fields, &key, NULL))
    if (!json_object_has_member (want, key))
      g_string_append_printf (wrong, "file %s posted but not expected; ", (char *) key);
}

static void
check_absent (JsonObject     *spec,
              JswFixturePost *post,
              GString        *wrong)
{
  JsonArray *absent = json_object_has_member (spec, "absent") ? json_object_get_array_member (spec, "absent") : NULL;

  for (guint i = 0; absent != NULL && i < json_array_get_length (absent); i++)
    {
      const char *name = json_array_get_string_element (absent, i);

      if (g_hash_table_contains (post->fields, name) || g_hash_table_contains (post->files, name))
        g_string_append_printf (wrong, "%s must not be posted; ", name);
    }
}

static void
check_texts (JsonObject *spec,
             JsonObject *result,
             const char *spec_member,
             const char *result_member,
             GString    *wrong)
{
  JsonArray *wanted = json_object_has_member (spec, spec_member) ? json_object_get_array_member (spec, spec_member) : NULL;

  for (guint i = 0; wanted != NULL && i < json_array_get_length (wanted); i++)
    {
      const char *needle = json_array_get_string_element (wanted, i);
      gboolean found;

      if (json_node_get_value_type (json_object_get_member (result, result_member)) == G_TYPE_STRING)
        {
          g_autofree char *text = g_utf8_casefold (json_object_get_string_member (result, result_member), -1);
          g_autofree char *want = g_utf8_casefold (needle, -1);

          found = strstr (text, want) != NULL;
        }
      else
        found = strings_contain (json_object_get_array_member (result, result_member), needle);
      if (!found)
        g_string_append_printf (wrong, "%s names no \"%s\"; ", result_member, needle);
    }
}

/* "submitting" is reported only when the filled form's own send button is
 * pressed, and so never on a run that sent nothing; "steps_absent" names
 * steps a case must never report (an e-mail step is no application). */
static void
check_steps (JsonObject *spec,
             Apply      *apply,
             guint       posts,
             GString    *wrong)
{
  JsonArray *absent = json_object_has_member (spec, "steps_absent") ? json_object_get_array_member (spec, "steps_absent") : NULL;

  if (posts == 0 && g_ptr_array_find_with_equal_func (apply->steps, "submitting", g_str_equal, NULL))
    g_string_append (wrong, "reported submitting but nothing was sent; ");
  for (guint i = 0; absent != NULL && i < json_array_get_length (absent); i++)
    if (g_ptr_array_find_with_equal_func (apply->steps, json_array_get_string_element (absent, i), g_str_equal, NULL))
      g_string_append_printf (wrong, "reported %s; ", json_array_get_string_element (absent, i));
}

static Verdict
judge (JsonObject     *spec,
       JswFixtureSite *site,
       Apply          *apply,
       GString        *wrong)
{
  const char *want = json_object_get_string_member (spec, "outcome");
  const char *got = apply->result ? json_object_get_string_member_with_default (apply->result, "outcome", "") : "(none)";
  guint want_posts = json_object_get_int_member_with_default (spec, "posts", json_object_has_member (spec, "post") ? 1 : 0);
  JswFixturePost *last = site->posts->len > 0 ? g_ptr_array_index (site->posts, site->posts->len - 1) : NULL;

  if (!g_str_equal (want, got))
    g_string_append_printf (wrong, "outcome %s, expected %s; ", got, want);
  else if (apply->status != exit_status_of (want))
    g_string_append_printf (wrong, "exit status %d, expected %d; ", apply->status, exit_status_of (want));
  if (site->posts->len != want_posts)
    g_string_append_printf (wrong, "%u posts, expected %u; ", site->posts->len, want_posts);
  if (last != NULL && json_object_has_member (spec, "post"))
    check_post (spec, last, wrong);
  for (guint i = 0; i < site->posts->len; i++)
    check_absent (spec, g_ptr_array_index (site->posts, i), wrong);
  if (apply->result != NULL)
    {
      check_texts (spec, apply->result, "missing_contains", "missing", wrong);
      check_texts (spec, apply->result, "error_contains", "error", wrong);
    }
  check_steps (spec, apply, site->posts->len, wrong);

  if (wrong->len == 0)
    return VERDICT_RIGHT;
  /* Stopping to ask, having sent nothing, is safe but not right. */
  if (g_str_equal (got, "needs_user") && site->posts->len == 0 && g_str_equal (want, "submitted"))
    return VERDICT_HAND_OFF;
  return VERDICT_WRONG;
}

/* One case in one mode: the verdict, what was wrong, how long it took. */
static Verdict
try_case (const char *name,
          const char *mode,
          GString    *wrong,
          double     *seconds)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *spec_path = g_build_filename (dir, name, "case.json", NULL);
  g_autoptr(JsonNode) spec = load_json (spec_path);
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autoptr(JswFixtureSite) site = jsw_fixture_site_new (fixtures);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("jsw-corpus-XXXXXX", &error);
  g_autoptr(Apply) apply = NULL;
  g_autofree char *command = NULL;
  Verdict verdict;

  g_assert_no_error (error);
  apply = run_case (site, name, json_node_get_object (spec), mode, tmp);
  verdict = judge (json_node_get_object (spec), site, apply, wrong);
  *seconds = apply->seconds;

  command = g_strdup_printf ("rm -rf '%s'", tmp);
  g_assert_cmpint (system (command), ==, 0);
  return verdict;
}

static void
test_case (gconstpointer data)
{
  const CaseRun *run = data;
  g_autoptr(GString) wrong = g_string_new (NULL);
  double seconds = 0;
  Verdict verdict = try_case (run->name, run->mode, wrong, &seconds);

  if (verdict != VERDICT_RIGHT)
    g_test_fail_printf ("%s (%s): %s: %s", run->name, run->mode, verdict_names[verdict], wrong->str);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The case folders, sorted; "static" holds shared assets. */
static GPtrArray *
list_cases (void)
{
  g_autofree char *dir_path = corpus_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *spec = g_build_filename (dir_path, name, "case.json", NULL);

      if (g_file_test (spec, G_FILE_TEST_EXISTS))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static GPtrArray *
modes_of (const char *name)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *spec_path = g_build_filename (dir, name, "case.json", NULL);
  g_autoptr(JsonNode) spec = load_json (spec_path);
  JsonObject *object = json_node_get_object (spec);
  JsonArray *modes = json_object_has_member (object, "modes") ? json_object_get_array_member (object, "modes") : NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; modes != NULL && i < json_array_get_length (modes); i++)
    g_ptr_array_add (list, g_strdup (json_array_get_string_element (modes, i)));
  if (list->len == 0)
    g_ptr_array_add (list, g_strdup ("server"));
  return list;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* --report: every case (or the ones named), one line each, then the
 * figures. Exits 0 only when every case was right. */
static int
report (int    argc,
        char **argv)
{
  g_autoptr(GPtrArray) names = list_cases ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint counts[3] = { 0, 0, 0 };

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(GPtrArray) modes = NULL;

      if (argc > 2 && !g_strv_contains ((const char * const *) argv + 2, name))
        continue;
      modes = modes_of (name);
      for (guint m = 0; m < modes->len; m++)
        {
          g_autoptr(GString) wrong = g_string_new (NULL);
          const char *mode = g_ptr_array_index (modes, m);
          double seconds = 0;
          Verdict verdict = try_case (name, mode, wrong, &seconds);

          counts[verdict]++;
          g_array_append_val (times, seconds);
          printf ("%-34s %-7s %-8s %6.2f s  %s\n", name, mode, verdict_names[verdict], seconds, wrong->str);
          fflush (stdout);
        }
    }
  if (times->len == 0)
    return 1;
  g_array_sort (times, compare_doubles);
  printf ("%u runs: %u right, %u wrong, %u hand-off; median %.2f s, max %.2f s per application\n",
          times->len, counts[VERDICT_RIGHT], counts[VERDICT_WRONG], counts[VERDICT_HAND_OFF],
          times->len % 2 ? g_array_index (times, double, times->len / 2)
                         : (g_array_index (times, double, times->len / 2 - 1) + g_array_index (times, double, times->len / 2)) / 2,
          g_array_index (times, double, times->len - 1));
  return counts[VERDICT_RIGHT] == times->len ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) case_run_free);

  if (argc > 1 && g_str_equal (argv[1], "--report"))
    {
      int fake_argc = 1;

      reporting = TRUE;
      g_test_init (&fake_argc, &argv, NULL);
      return report (argc, argv);
    }

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* Said as TAP, so the runner reports a skip rather than a pass. */
      g_print ("1..0 # SKIP WebKitGTK needs a display: run under xvfb-run (tools/run-tests does)\n");
      return 0;
    }
  g_assert_nonnull (g_getenv ("JSW_APPLY_BIN"));

  names = list_cases ();
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(GPtrArray) modes = modes_of (name);

      for (guint m = 0; m < modes->len; m++)
        {
          CaseRun *run = g_new0 (CaseRun, 1);
          const char *mode = g_ptr_array_index (modes, m);
          g_autofree char *path = g_str_equal (mode, "server") ? g_strdup_printf ("/engine/" JSW_CORPUS_NAME "/%s", name)
                                                               : g_strdup_printf ("/engine/" JSW_CORPUS_NAME "/%s/%s", name, mode);

          run->name = g_strdup (name);
          run->mode = g_strdup (mode);
          g_ptr_array_add (runs, run);
          g_test_add_data_func (path, run, test_case);
        }
    }
  return g_test_run ();
}
