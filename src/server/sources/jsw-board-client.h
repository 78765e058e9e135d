/* jsw-board-client.h: HTTP to job boards, the same for every kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a board may send at most for one request; past it the request
 * fails (a 2,000-posting Greenhouse board with descriptions is ~15 MiB). */
#define JSW_BOARD_MAX_BODY (32 * 1024 * 1024)

typedef struct {
  guint   status;         /* HTTP status; 304 when not modified */
  GBytes *body;           /* NULL for 304 */
  char   *etag;           /* the validators to send next time, or NULL */
  char   *last_modified;
} JswBoardAnswer;

void jsw_board_answer_free (JswBoardAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswBoardAnswer, jsw_board_answer_free)

#define JSW_TYPE_BOARD_CLIENT (jsw_board_client_get_type ())

G_DECLARE_FINAL_TYPE (JswBoardClient, jsw_board_client, JSW, BOARD_CLIENT, GObject)

JswBoardClient *jsw_board_client_new      (guint            timeout_s,
                                           gsize            max_body);
JswBoardAnswer *jsw_board_client_get      (JswBoardClient  *self,
                                           const char      *url,
                                           const char      *etag,
                                           const char      *last_modified,
                                           GCancellable    *cancellable,
                                           GError         **error);
const char     *jsw_board_client_user_agent (void);

G_END_DECLS
