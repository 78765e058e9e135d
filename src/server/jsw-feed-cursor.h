/* jsw-feed-cursor.h: the feed's cursors, signed for one person
 * (docs/server.md "The feed")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

GBytes   *jsw_feed_cursor_key    (JswStore            *store,
                                  GError             **error);
char     *jsw_feed_cursor_encode (const JswFeedCursor *cursor,
                                  GBytes              *key,
                                  const char          *user_id);
gboolean  jsw_feed_cursor_decode (const char          *encoded,
                                  GBytes              *key,
                                  const char          *user_id,
                                  JswFeedCursor       *cursor);

G_END_DECLS
