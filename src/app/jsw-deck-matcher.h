/* jsw-deck-matcher.h: which of a posting's questions the profile answers,
 * decided by the engine's own matcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JSW_TYPE_DECK_MATCHER (jsw_deck_matcher_get_type ())

G_DECLARE_FINAL_TYPE (JswDeckMatcher, jsw_deck_matcher, JSW, DECK_MATCHER, GObject)

JswDeckMatcher *jsw_deck_matcher_new       (GError         **error);
JsonArray      *jsw_deck_matcher_uncovered (JswDeckMatcher  *self,
                                            const char      *profile_json,
                                            JsonArray       *questions,
                                            GError         **error);

G_END_DECLS
