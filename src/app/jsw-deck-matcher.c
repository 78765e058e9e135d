/* jsw-deck-matcher.c
 *
 * The app asks a posting's questions before a right swipe only when the
 * engine would not find their answers when it fills the form in. So the
 * answer is the engine's: resources/adapters/matcher.js, the same module
 * the adapters use on the page (saved answers by their question, option
 * matching, the well-known profile fields), evaluated here on its own in
 * a JavaScriptCore context, with no web view and no DOM. There is no
 * second copy of those rules in C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-matcher"

#include "config.h"

#include <glib/gi18n.h>
#include <jsc/jsc.h>

#include "jsw-deck-matcher.h"
#include "jsw-json.h"

/* The engine's GResource (resources/jobswipe-engine.gresource.xml). */
#define MATCHER_RESOURCE "/org/jobswipe/engine/adapters/matcher.js"

struct _JswDeckMatcher
{
  GObject     parent_instance;

  JSCContext *context;
};

G_DEFINE_FINAL_TYPE (JswDeckMatcher, jsw_deck_matcher, G_TYPE_OBJECT)

static gboolean
take_exception (JswDeckMatcher  *self,
                GError         **error)
{
  JSCException *exception = jsc_context_get_exception (self->context);
  g_autofree char *report = NULL;

  if (exception == NULL)
    return FALSE;
  report = jsc_exception_report (exception);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The question matcher failed: %s"), report);
  jsc_context_clear_exception (self->context);
  return TRUE;
}

/**
 * jsw_deck_matcher_new:
 *
 * Returns: (transfer full) (nullable): the matcher, or %NULL with @error
 *   when the engine's matcher.js cannot be read or run
 */
JswDeckMatcher *
jsw_deck_matcher_new (GError **error)
{
  g_autoptr(JswDeckMatcher) self = g_object_new (JSW_TYPE_DECK_MATCHER, NULL);
  g_autoptr(GBytes) source = g_resources_lookup_data (MATCHER_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(JSCValue) result = NULL;
  g_autoptr(JSCValue) matcher = NULL;

  if (source == NULL)
    return NULL;
  self->context = jsc_context_new ();
  result = jsc_context_evaluate_with_source_uri (self->context, g_bytes_get_data (source, NULL),
                                                 g_bytes_get_size (source), "resource://" MATCHER_RESOURCE, 1);
  if (take_exception (self, error))
    return NULL;
  matcher = jsc_context_get_value (self->context, "JobSwipeMatcher");
  if (!jsc_value_is_object (matcher))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("matcher.js defines no JobSwipeMatcher"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * jsw_deck_matcher_uncovered:
 * @profile_json: PROFILE.json as the engine is given it
 *   (jsw_profile_to_form_json())
 * @questions: the posting's `questions` (docs/server.md QUESTION)
 *
 * Returns: (transfer full) (nullable): the required questions of
 *   @questions that the profile does not answer, as QUESTION objects in
 *   their order, as the engine's matcher decides (`JobSwipeMatcher.
 *   uncovered()`); %NULL with @error when the matcher failed
 */
JsonArray *
jsw_deck_matcher_uncovered (JswDeckMatcher  *self,
                            const char      *profile_json,
                            JsonArray       *questions,
                            GError         **error)
{
  g_autoptr(JsonNode) questions_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *questions_json = NULL;
  g_autoptr(JSCValue) profile_value = NULL;
  g_autoptr(JSCValue) questions_value = NULL;
  g_autoptr(JSCValue) result = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) answer = NULL;
  static const char script[] =
    "JSON.stringify(JobSwipeMatcher.uncovered(JSON.parse(jobswipeProfile), JSON.parse(jobswipeQuestions)))";

  g_return_val_if_fail (JSW_IS_DECK_MATCHER (self), NULL);

  json_node_set_array (questions_node, questions);
  questions_json = json_to_string (questions_node, FALSE);
  /* Handed over as strings and parsed there: nothing is pasted into code. */
  profile_value = jsc_value_new_string (self->context, profile_json);
  questions_value = jsc_value_new_string (self->context, questions_json);
  jsc_context_set_value (self->context, "jobswipeProfile", profile_value);
  jsc_context_set_value (self->context, "jobswipeQuestions", questions_value);
  result = jsc_context_evaluate (self->context, script, -1);
  if (take_exception (self, error))
    return NULL;
  text = jsc_value_to_string (result);
  answer = jsw_json_parse (text, -1, error);
  if (answer == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (answer))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The question matcher gave no list"));
      return NULL;
    }
  return json_array_ref (json_node_get_array (answer));
}

static void
jsw_deck_matcher_finalize (GObject *object)
{
  JswDeckMatcher *self = JSW_DECK_MATCHER (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (jsw_deck_matcher_parent_class)->finalize (object);
}

static void
jsw_deck_matcher_class_init (JswDeckMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_deck_matcher_finalize;
}

static void
jsw_deck_matcher_init (JswDeckMatcher *self)
{
}
