/* jsw-rest-feed.h: the job feed's endpoints (docs/server.md "The job feed")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-rest.h"

G_BEGIN_DECLS

void jsw_rest_feed_get_search    (JswRestContext *rest,
                                  JswRestRequest *request);
void jsw_rest_feed_put_search    (JswRestContext *rest,
                                  JswRestRequest *request);
void jsw_rest_feed_get           (JswRestContext *rest,
                                  JswRestRequest *request);
void jsw_rest_feed_undo_swipe    (JswRestContext *rest,
                                  JswRestRequest *request);
gboolean jsw_rest_feed_parse_posting_id (const char *text,
                                         gint64     *posting_id);
void jsw_rest_feed_swipe_posting (JswRestContext *rest,
                                  JswRestRequest *request,
                                  JsonObject     *body,
                                  JswEntry      **entry,
                                  gboolean       *created,
                                  GPtrArray      *events);

G_END_DECLS
