/* jsw-search.h: a person's search (docs/server.md "The job feed"), as it
 * travels and as it is kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

/* Each array of a search holds at most this many strings, each at most
 * JSW_SEARCH_MAX_STRING characters. */
#define JSW_SEARCH_MAX_STRINGS 50
#define JSW_SEARCH_MAX_STRING  200

JswSearch *jsw_search_from_object (JsonObject       *object,
                                   GError          **error);
JswSearch *jsw_search_from_stored (JsonObject       *object,
                                   GError          **error);
JsonNode  *jsw_search_to_node     (const JswSearch  *search);
gboolean   jsw_search_has_keywords (const JswSearch *search);
char      *jsw_search_types_list  (const JswSearch  *search);
char      *jsw_search_keys_list   (char            **texts,
                                   gboolean          closed);

G_END_DECLS
