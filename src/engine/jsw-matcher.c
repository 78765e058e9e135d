/* jsw-matcher.c
 *
 * The engine decides what a question means and which answer fits it in
 * resources/adapters/matcher.js, which touches no page. The app's swipe
 * deck asks the same code, in a plain JavaScriptCore context of its own
 * (no web view, no web process), whether a posting's questions are covered
 * before the person swipes right, so that the deck and the run never
 * disagree about what has an answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <jsc/jsc.h>

#include "jsw-error.h"
#include "jsw-json.h"
#include "jsw-matcher.h"

#define MATCHER_PATH "/org/jobswipe/engine/adapters/matcher.js"

struct _JswMatcher
{
  GObject     parent_instance;

  JSCContext *context;
  JSCValue   *uncovered;  /* (profile JSON, questions JSON) -> uncovered questions JSON */
};

G_DEFINE_FINAL_TYPE (JswMatcher, jsw_matcher, G_TYPE_OBJECT)

static void
jsw_matcher_dispose (GObject *object)
{
  JswMatcher *self = (JswMatcher *) object;

  g_clear_object (&self->uncovered);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (jsw_matcher_parent_class)->dispose (object);
}

static void
jsw_matcher_class_init (JswMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_matcher_dispose;
}

/* matcher.js is part of the engine's own resources: it always evaluates. */
static void
jsw_matcher_init (JswMatcher *self)
{
  g_autoptr(GBytes) script = g_resources_lookup_data (MATCHER_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(JSCValue) loaded = NULL;
  JSCException *exception;

  g_assert (script != NULL);
  self->context = jsc_context_new ();
  loaded = jsc_context_evaluate_with_source_uri (self->context, g_bytes_get_data (script, NULL),
                                                 g_bytes_get_size (script), "jobswipe:matcher.js", 1);
  self->uncovered = jsc_context_evaluate (self->context,
                                          "(profile, questions) => JSON.stringify("
                                          "JobSwipeMatcher.uncovered(JSON.parse(profile), JSON.parse(questions)))", -1);
  exception = jsc_context_get_exception (self->context);
  if (exception != NULL)
    g_error ("matcher.js: %s", jsc_exception_get_message (exception));
}

/**
 * jsw_matcher_new:
 *
 * A JavaScriptCore context holding matcher.js. Make one and keep it: each
 * costs a context (about a millisecond and a few hundred KiB).
 */
JswMatcher *
jsw_matcher_new (void)
{
  return g_object_new (JSW_TYPE_MATCHER, NULL);
}

/**
 * jsw_matcher_uncovered:
 * @profile: PROFILE.json as an object (its `answers`, `eeo`,
 *   `consent_to_required_terms`, `resume_path` and the profile's fields)
 * @questions: a POSTING's `questions` (docs/server.md: QUESTION objects
 *   `{"set", "label", "required", "description", "fields": [{"name",
 *   "type", "options"}]}`)
 * @error: JSW_ERROR_INTERNAL should matcher.js throw
 *
 * The required questions the engine would hand to the person, in their
 * order, as JobSwipeMatcher.uncovered() decides it: a question is covered
 * when the profile's field, saved answer or self-identification answers it
 * the way the run would on the form (an option that means the answer; a
 * consent ticked unless the profile says no; the resume as a file). An
 * empty array: nothing to ask.
 *
 * Returns: (transfer full): copies of the uncovered questions, or %NULL
 *   with @error
 */
JsonArray *
jsw_matcher_uncovered (JswMatcher  *self,
                       JsonObject  *profile,
                       JsonArray   *questions,
                       GError     **error)
{
  g_autoptr(JsonNode) profile_node = json_node_init_object (json_node_alloc (), profile);
  g_autoptr(JsonNode) questions_node = json_node_init_array (json_node_alloc (), questions);
  g_autofree char *profile_json = jsw_json_node_to_string (profile_node);
  g_autofree char *questions_json = jsw_json_node_to_string (questions_node);
  g_autoptr(JSCValue) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JSCException *exception;

  g_return_val_if_fail (JSW_IS_MATCHER (self), NULL);

  jsc_context_clear_exception (self->context);
  answer = jsc_value_function_call (self->uncovered, G_TYPE_STRING, profile_json,
                                    G_TYPE_STRING, questions_json, G_TYPE_NONE);
  exception = jsc_context_get_exception (self->context);
  if (exception != NULL || !jsc_value_is_string (answer))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("The question matcher failed: %s"),
                   exception ? jsc_exception_get_message (exception) : "no answer");
      return NULL;
    }
  text = jsc_value_to_string (answer);
  root = jsw_json_parse (text, -1, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("The question matcher gave no list"));
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}
