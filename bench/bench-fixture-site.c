/* bench-fixture-site.c: the engine tests' fixture site, served for the
 * engine benchmark; prints its base URL, serves until killed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "jsw-fixture-site.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  JswFixtureSite *site;

  g_assert (argc == 2);
  site = jsw_fixture_site_new (argv[1]);
  printf ("%s\n", site->base);
  fflush (stdout);
  g_main_loop_run (loop);
  jsw_fixture_site_free (site);
  return 0;
}
