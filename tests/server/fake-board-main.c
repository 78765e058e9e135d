/* fake-board-main.c: jsw-fake-board as a program, for tools/run-demo and
 * the benchmarks
 *
 *   jsw-fake-board DIR      serves the boards make-boards.py wrote in DIR,
 *                           prints {"url": "http://127.0.0.1:PORT"}, runs
 *                           until SIGTERM or SIGINT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include "jsw-fake-board.h"

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  JswFakeBoard *board;

  if (argc != 2)
    {
      g_printerr ("Usage: jsw-fake-board DIR\n");
      return 2;
    }
  board = jsw_fake_board_start (argv[1]);
  printf ("{\"url\": \"%s\"}\n", jsw_fake_board_url (board));
  fflush (stdout);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  jsw_fake_board_stop (board);
  return 0;
}
