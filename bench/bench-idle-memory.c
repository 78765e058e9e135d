/* bench-idle-memory.c: the server's memory per idle stream, measured as the
 * growth of its resident set from no streams to @n streams that said hello
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

int
main (int    argc,
      char **argv)
{
  const char *server_bin = argv[1];
  guint n_streams = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jsw-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) warmup_tokens = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;
  g_autofree BenchStream *warmup = NULL;
  g_autofree BenchStream *streams = NULL;
  GPid pid;
  gint64 before, after;

  g_assert (server_bin != NULL);
  bench_raise_fd_limit ();
  tokens = bench_make_users (db, n_streams);
  server = bench_start_server (server_bin, db, &url);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  session = soup_session_new_with_options ("max-conns", 20000, "max-conns-per-host", 20000, NULL);

  /* A first few streams warm up the code paths, caches and allocator, so
   * the figure is the cost of one more stream, not of the first. */
  warmup_tokens = g_ptr_array_new ();
  for (guint i = 0; i < 100 && i < tokens->len; i++)
    g_ptr_array_add (warmup_tokens, g_ptr_array_index (tokens, i));
  warmup = bench_open_streams (session, url, warmup_tokens, 100);
  settle (500);
  before = bench_rss_kib (pid);

  streams = bench_open_streams (session, url, tokens, 500);
  settle (2000);
  after = bench_rss_kib (pid);

  printf ("idle streams: %u connected; server RSS %" G_GINT64_FORMAT " KiB -> %" G_GINT64_FORMAT
          " KiB: %.2f KiB per idle stream\n",
          n_streams, before, after, (after - before) / (double) n_streams);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  bench_remove_db (db);
  return 0;
}
