/* jsw-store-fixture.h: a store on a database of its own, for the store's
 * tests (test-store*.c), with an injected clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-test-util.h"

G_BEGIN_DECLS

/* 2026-11-28T12:00:00Z */
#define NOON G_GINT64_CONSTANT (1795867200000000)
/* 2026-11-20T12:00:00Z and 2026-12-01T00:00:00Z */
#define NOV20 G_GINT64_CONSTANT (1795176000000000)
#define DEC1  G_GINT64_CONSTANT (1796083200000000)
#define DAY  (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define SEC  G_USEC_PER_SEC

typedef struct {
  char     *dir;
  char     *path;
  JswStore *store;
} Fixture;

void      store_fixture_set_up    (Fixture *f, gconstpointer data);
void      store_fixture_tear_down (Fixture *f, gconstpointer data);
char     *store_add_user          (Fixture *f, const char *email, const char *plan);
JswJob   *store_make_job          (const char *job_id);
JswEntry *store_swipe             (JswStore *store, const char *user_id, const char *job_id, gint64 now,
                                   int *code);
gint64    store_usage             (Fixture *f, const char *user_id, JswCounter counter, gint64 now);

#define STORE_TEST_ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_fixture_set_up, func, store_fixture_tear_down)

G_END_DECLS
