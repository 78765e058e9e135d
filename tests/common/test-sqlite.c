/* test-sqlite.c: the SQLite wrapper on a real database file: a
 * transaction keeps its writes only when committed, forgets what it
 * collected when rolled back, and a second writer waits for the first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-error.h"
#include "jsw-sqlite.h"

typedef struct {
  char      *dir;
  char      *path;
  JswSqlite *db;
} Fixture;

static JswSqlite *
open_database (Fixture *f,
               int      busy_timeout_ms)
{
  g_autoptr(GError) error = NULL;
  JswSqlite *db = jsw_sqlite_open (f->path, busy_timeout_ms, "PRAGMA journal_mode = WAL;", &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->db = open_database (f, 1000);
  g_assert_true (jsw_sqlite_exec (f->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_pointer (&f->db, jsw_sqlite_close);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
add_note (JswSqlite   *db,
          const char  *text,
          GError     **error)
{
  sqlite3_stmt *stmt = jsw_sqlite_prepare (db, "INSERT INTO notes (text) VALUES (?1)", error);

  if (stmt == NULL)
    return FALSE;
  jsw_sqlite_bind_text (stmt, 1, text);
  return jsw_sqlite_step_done (db, stmt, error);
}

static gint64
count_notes (JswSqlite *db)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = jsw_sqlite_prepare (db, "SELECT count(*) FROM notes", &error);
  gint64 count = -1;

  g_assert_no_error (error);
  g_assert_true (jsw_sqlite_step_int (db, stmt, &count, &error));
  g_assert_no_error (error);
  return count;
}

static void
test_commit_keeps (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (f->db, &error);

  g_assert_no_error (error);
  g_assert_true (add_note (f->db, "kept", &error));
  g_assert_true (jsw_sqlite_transaction_commit (tx, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tx, jsw_sqlite_transaction_free);

  g_assert_cmpint (count_notes (f->db), ==, 1);
}

/* The write that fails half-way (NOT NULL) leaves nothing of its first
 * half, and the events it collected are forgotten; what the array held
 * before the transaction stays. */
static gboolean
write_two_notes (JswSqlite  *db,
                 GPtrArray  *collected,
                 GError    **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (db, error);

  if (tx == NULL)
    return FALSE;
  jsw_sqlite_transaction_forget_on_rollback (tx, collected);
  if (!add_note (db, "first", error))
    return FALSE;
  g_ptr_array_add (collected, g_strdup ("first added"));
  if (!add_note (db, NULL, error))
    return FALSE;
  g_ptr_array_add (collected, g_strdup ("second added"));
  return jsw_sqlite_transaction_commit (tx, error);
}

static void
test_failure_rolls_back (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) collected = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (collected, g_strdup ("from before"));
  g_assert_false (write_two_notes (f->db, collected, &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, "NOT NULL"));

  g_assert_cmpint (count_notes (f->db), ==, 0);
  g_assert_cmpuint (collected->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (collected, 0), ==, "from before");

  /* The connection is usable again: no transaction was left open. */
  g_assert_true (sqlite3_get_autocommit (jsw_sqlite_get_handle (f->db)));
  g_clear_error (&error);
  g_assert_true (add_note (f->db, "after", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_notes (f->db), ==, 1);
}

/* A transaction dropped without commit (an early return) rolls back. */
static void
test_uncommitted_rolls_back (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JswSqliteTransaction *tx = jsw_sqlite_begin_write (f->db, &error);

  g_assert_no_error (error);
  g_assert_true (add_note (f->db, "dropped", &error));
  g_assert_cmpint (count_notes (f->db), ==, 1);
  jsw_sqlite_transaction_free (tx);

  g_assert_cmpint (count_notes (f->db), ==, 0);
}

/* BEGIN IMMEDIATE takes the write lock at once: a second connection's
 * write waits out its busy timeout, then fails with an error rather than
 * writing beside the first; once the first commits, it gets through. */
static void
test_second_writer_waits (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswSqlite) other = open_database (f, 50);
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (f->db, &error);
  g_autoptr(JswSqliteTransaction) refused = NULL;
  g_autoptr(JswSqliteTransaction) later = NULL;

  g_assert_no_error (error);
  refused = jsw_sqlite_begin_write (other, &error);
  g_assert_null (refused);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INTERNAL);
  g_clear_error (&error);

  g_assert_true (add_note (f->db, "first writer", &error));
  g_assert_true (jsw_sqlite_transaction_commit (tx, &error));
  g_assert_no_error (error);

  later = jsw_sqlite_begin_write (other, &error);
  g_assert_no_error (error);
  g_assert_true (add_note (other, "second writer", &error));
  g_assert_true (jsw_sqlite_transaction_commit (later, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_notes (f->db), ==, 2);
}

/* A statement is prepared once per literal and comes back reset. */
static void
test_statements_are_kept (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first = NULL, *again = NULL;
  gboolean has_row;

  g_assert_true (add_note (f->db, "one", &error));
  g_assert_true (add_note (f->db, "two", &error));

  for (int i = 0; i < 2; i++)
    {
      again = jsw_sqlite_prepare (f->db, "SELECT text FROM notes ORDER BY id", &error);
      g_assert_no_error (error);
      if (i == 0)
        first = again;
      g_assert_true (again == first);
      /* Read one row only: the next prepare must start from the top. */
      g_assert_true (jsw_sqlite_step_row (f->db, again, &has_row, &error));
      g_assert_true (has_row);
      g_assert_cmpstr (jsw_sqlite_column_text (again, 0), ==, "one");
    }
  sqlite3_reset (again);
}

/* One integer: a NULL or a missing row leaves the default. */
static void
test_step_int (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 value = -7;

  stmt = jsw_sqlite_prepare (f->db, "SELECT max(id) FROM notes", &error);
  g_assert_true (jsw_sqlite_step_int (f->db, stmt, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, -7);

  g_assert_true (add_note (f->db, "one", &error));
  g_assert_true (add_note (f->db, "two", &error));
  g_assert_true (jsw_sqlite_step_int (f->db, stmt, &value, &error));
  g_assert_cmpint (value, ==, 2);

  value = -7;
  stmt = jsw_sqlite_prepare (f->db, "SELECT id FROM notes WHERE text = 'three'", &error);
  g_assert_true (jsw_sqlite_step_int (f->db, stmt, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, -7);
}

/* The row that must be there, or the caller's error when it is not. */
static void
test_step_one (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (add_note (f->db, "here", &error));
  stmt = jsw_sqlite_prepare (f->db, "SELECT id FROM notes WHERE text = ?1", &error);

  jsw_sqlite_bind_text (stmt, 1, "here");
  g_assert_true (jsw_sqlite_step_one (f->db, stmt, JSW_ERROR_NOT_FOUND, "There is no such note", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  jsw_sqlite_bind_text (stmt, 1, "elsewhere");
  g_assert_false (jsw_sqlite_step_one (f->db, stmt, JSW_ERROR_NOT_FOUND, "There is no such note", &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no such note");
}

static void
test_bad_sql_is_an_error (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (jsw_sqlite_prepare (f->db, "SELECT * FROM no_such_table", &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_clear_error (&error);

  g_assert_false (jsw_sqlite_exec (f->db, "CREATE TABLE notes (id)", &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INTERNAL);
}

static void
test_open_in_missing_folder (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "missing", "test.db", NULL);
  g_autoptr(JswSqlite) db = jsw_sqlite_open (path, 100, NULL, &error);

  g_assert_null (db);
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, path));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sqlite/commit-keeps", test_commit_keeps);
  ADD ("/sqlite/failure-rolls-back", test_failure_rolls_back);
  ADD ("/sqlite/uncommitted-rolls-back", test_uncommitted_rolls_back);
  ADD ("/sqlite/second-writer-waits", test_second_writer_waits);
  ADD ("/sqlite/statements-are-kept", test_statements_are_kept);
  ADD ("/sqlite/step-int", test_step_int);
  ADD ("/sqlite/step-one", test_step_one);
  ADD ("/sqlite/bad-sql-is-an-error", test_bad_sql_is_an_error);
  ADD ("/sqlite/open-in-missing-folder", test_open_in_missing_folder);
#undef ADD

  return g_test_run ();
}
