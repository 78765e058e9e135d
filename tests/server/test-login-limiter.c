/* test-login-limiter.c: the login limiter on its own, with a clock of the
 * test's choosing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-login-limiter.h"

#define SEC    G_USEC_PER_SEC
#define WINDOW (15 * 60 * SEC)
/* 2026-11-28T12:00:00Z */
#define NOON   G_GINT64_CONSTANT (1795867200000000)

/* N wrong passwords (each attempt counts as failed until it succeeds). */
static void
fail_times (JswLoginLimiter *limiter,
            const char      *email,
            const char      *address,
            guint            n,
            gint64           now)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (jsw_login_limiter_try_begin (limiter, email, address, now), ==, 0);
}

static void
test_locks_and_unlocks (void)
{
  g_autoptr(JswLoginLimiter) limiter = jsw_login_limiter_new (5, WINDOW);

  fail_times (limiter, "ann@example.com", "192.0.2.1", 5, NOON);

  /* The sixth is refused until the window that began with the first
   * failure is over, and how long is left is said. */
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON), ==, WINDOW);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON + 60 * SEC), ==,
                   WINDOW - 60 * SEC);
  /* Under another spelling of the same address, from elsewhere too. */
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ANN@Example.com", "198.51.100.7", NOON + 1), >, 0);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON + WINDOW - 1), ==, 1);

  /* Once the window is over, five more tries. */
  fail_times (limiter, "ann@example.com", "192.0.2.1", 5, NOON + WINDOW);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON + WINDOW), >, 0);

  /* Another account is not locked by Ann's. */
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "bob@example.com", "203.0.113.9", NOON + WINDOW), ==, 0);
}

static void
test_success_forgets (void)
{
  g_autoptr(JswLoginLimiter) limiter = jsw_login_limiter_new (5, WINDOW);

  fail_times (limiter, "ann@example.com", "192.0.2.1", 4, NOON);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON), ==, 0);
  jsw_login_limiter_succeeded (limiter, "ann@example.com", "192.0.2.1");

  /* The account's failures are gone: five more before a lock. */
  fail_times (limiter, "ann@example.com", "192.0.2.1", 5, NOON + SEC);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON + SEC), >, 0);
}

static void
test_abandoned_gives_back (void)
{
  g_autoptr(JswLoginLimiter) limiter = jsw_login_limiter_new (2, WINDOW);

  /* Attempts whose password was never checked (the server failed) do not
   * count against the account. */
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON), ==, 0);
      jsw_login_limiter_abandoned (limiter, "ann@example.com", "192.0.2.1");
    }
  fail_times (limiter, "ann@example.com", "192.0.2.1", 2, NOON);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "ann@example.com", "192.0.2.1", NOON), >, 0);
}

/* A spray over many accounts from one address: four times the
 * per-account limit, then that address is refused for any account. */
static void
test_spray_from_one_address (void)
{
  g_autoptr(JswLoginLimiter) limiter = jsw_login_limiter_new (5, WINDOW);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@example.com", i);

      g_assert_cmpint (jsw_login_limiter_try_begin (limiter, email, "192.0.2.66", NOON), ==, 0);
    }
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "fresh@example.com", "192.0.2.66", NOON), >, 0);
  g_assert_cmpint (jsw_login_limiter_try_begin (limiter, "fresh@example.com", "192.0.2.67", NOON), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/login-limiter/locks-after-n-failures-and-unlocks-after-the-window", test_locks_and_unlocks);
  g_test_add_func ("/login-limiter/success-forgets-failures", test_success_forgets);
  g_test_add_func ("/login-limiter/abandoned-attempts-given-back", test_abandoned_gives_back);
  g_test_add_func ("/login-limiter/spray-from-one-address", test_spray_from_one_address);
  return g_test_run ();
}
