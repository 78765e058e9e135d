/* jsw-store-fixture.c: a store on a database of its own (SQLite, or
 * PostgreSQL in the server-pg suite), and the few calls every store test
 * makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-store-fixture.h"

void
store_fixture_set_up (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = jsw_test_database_new (f->dir);
  f->store = jsw_test_store_open (f->path, &error);
  g_assert_no_error (error);
}

void
store_fixture_tear_down (Fixture       *f,
                         gconstpointer  data)
{
  g_clear_object (&f->store);
  jsw_test_database_drop (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

char *
store_add_user (Fixture    *f,
                const char *email,
                const char *plan)
{
  g_autoptr(GError) error = NULL;
  char *user_id = jsw_store_create_user (f->store, email, plan, NULL, NOON, &error);

  g_assert_no_error (error);
  return user_id;
}

JswJob *
store_make_job (const char *job_id)
{
  g_autofree char *json = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"T\",\"company\":\"C\","
                                           "\"apply_url\":\"https://c.example/%s\"}", job_id, job_id);
  g_autoptr(GError) error = NULL;
  JswJob *job = jsw_job_new_from_json (json, &error);

  g_assert_no_error (error);
  return job;
}

/* Swipes right; returns the entry, or NULL with the error code in *code. */
JswEntry *
store_swipe (JswStore   *store,
             const char *user_id,
             const char *job_id,
             gint64      now,
             int        *code)
{
  g_autoptr(JswJob) job = store_make_job (job_id);
  g_autoptr(GError) error = NULL;
  gboolean created;
  JswEntry *entry = jsw_store_swipe_right (store, user_id, job, now, &created, NULL, &error);

  if (code != NULL)
    *code = entry ? -1 : error->code;
  if (entry == NULL && error->domain == JSW_ERROR && error->code != JSW_ERROR_INTERNAL)
    return NULL;
  g_assert_no_error (error);
  return entry;
}

gint64
store_usage (Fixture    *f,
             const char *user_id,
             JswCounter  counter,
             gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAccount) account = jsw_store_get_account (f->store, user_id, now, &error);

  g_assert_no_error (error);
  return account->usage[counter];
}
