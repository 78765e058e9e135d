/* jsw-fake-board.h: a job board on a loopback port, for tests
 *
 * Serves the fixtures of tests/server/boards (made by make-boards.py, in
 * the shapes the vendors document) at the vendors' paths, from a thread of
 * its own, so that a test can call it with blocking code or start a real
 * jobswipe-server against it. It can also misbehave on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JSW_FAKE_BOARD_NORMAL,
  JSW_FAKE_BOARD_ERROR_500,   /* 500 to everything */
  JSW_FAKE_BOARD_HANG,        /* takes requests and never answers */
  JSW_FAKE_BOARD_MALFORMED,   /* the lists cut off in the middle */
  JSW_FAKE_BOARD_HUGE,        /* 10 MiB of JSON that never ends */
} JswFakeBoardMode;

typedef struct _JswFakeBoard JswFakeBoard;

JswFakeBoard *jsw_fake_board_start          (const char       *fixtures_dir);
void          jsw_fake_board_stop           (JswFakeBoard     *board);
const char   *jsw_fake_board_url            (JswFakeBoard     *board);
void          jsw_fake_board_set_mode       (JswFakeBoard     *board,
                                             JswFakeBoardMode  mode);
void          jsw_fake_board_set_delay_ms   (JswFakeBoard     *board,
                                             guint             delay_ms);
void          jsw_fake_board_override       (JswFakeBoard     *board,
                                             const char       *path,
                                             const char       *body);
guint         jsw_fake_board_requests       (JswFakeBoard     *board,
                                             const char       *path_prefix);
guint         jsw_fake_board_not_modified   (JswFakeBoard     *board);
guint         jsw_fake_board_max_in_flight  (JswFakeBoard     *board);
char         *jsw_fake_board_user_agent     (JswFakeBoard     *board);
char         *jsw_fake_board_fixtures_dir   (void);

G_END_DECLS
