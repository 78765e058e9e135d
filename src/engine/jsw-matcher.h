/* jsw-matcher.h: the engine's question matcher (resources/adapters/
 * matcher.js) run without a web view, to tell which of a posting's
 * questions the person's saved answers leave open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JSW_TYPE_MATCHER (jsw_matcher_get_type ())

G_DECLARE_FINAL_TYPE (JswMatcher, jsw_matcher, JSW, MATCHER, GObject)

JswMatcher *jsw_matcher_new       (void);
JsonArray  *jsw_matcher_uncovered (JswMatcher  *self,
                                   JsonObject  *profile,
                                   JsonArray   *questions,
                                   GError     **error);

G_END_DECLS
