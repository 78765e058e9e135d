/* jsw-feed-fixture.h: what the job feed's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-fake-board.h"
#include "jsw-posting.h"
#include "jsw-test-util.h"

G_BEGIN_DECLS

typedef struct {
  JswFakeBoard  *board;
  JswTestServer *server;
  SoupSession   *session;
  char          *alice;     /* her token */
  char          *alice_id;
  char          *bob;
} JswFeedFixture;

/* Server arguments: syncs only when the test says so; or on a schedule of seconds. */
extern const char *const jsw_feed_manual_args[];
extern const char *const jsw_feed_scheduled_args[];

void        jsw_feed_add_source        (JswFeedFixture *f,
                                        const char *kind,
                                        const char *board);
int         jsw_feed_sync_now          (JswFeedFixture *f,
                                        const char *id,
                                        JsonObject **out,
                                        char **log);
void        jsw_feed_fixture_set_up    (JswFeedFixture *f,
                                        gconstpointer data);
void        jsw_feed_fixture_tear_down (JswFeedFixture *f,
                                        gconstpointer data);
void        jsw_feed_add_and_sync_all  (JswFeedFixture *f);
JsonNode *  jsw_feed_get               (JswFeedFixture *f,
                                        const char *path,
                                        const char *token,
                                        guint expected);
void        jsw_feed_put_search        (JswFeedFixture *f,
                                        const char *token,
                                        const char *search);
GPtrArray * jsw_feed_walk              (JswFeedFixture *f,
                                        const char *token,
                                        guint limit);
JsonObject *jsw_feed_find_job          (GPtrArray *postings,
                                        const char *job_id);
gint64      jsw_feed_open_postings     (JswFeedFixture *f);
guint       jsw_feed_groups            (JswFeedFixture *f);
char *      jsw_feed_swipe_body        (const char *direction,
                                        const char *posting_id,
                                        gboolean allow_duplicate);
JsonNode *  jsw_feed_swipe             (JswFeedFixture *f,
                                        const char *token,
                                        const char *direction,
                                        const char *posting_id,
                                        gboolean allow_duplicate,
                                        guint expected);
gint64      jsw_feed_metric            (JswFeedFixture *f,
                                        const char *line_start);
void        jsw_feed_wait_for_count    (JswFeedFixture *f,
                                        const char *sql,
                                        const char *parameter,
                                        gint64 expected);

G_END_DECLS
