/* jsw-sqlite-store.c: the store on SQLite
 *
 * One connection per object, used by one thread at a time. Several objects
 * (threads, or processes such as the CLI next to a running server) may open
 * the same file: WAL lets readers run beside the writer, and every write
 * runs in a BEGIN IMMEDIATE transaction so two writers queue on the busy
 * timeout instead of failing on a lock upgrade.
 *
 * Durability: synchronous=NORMAL in WAL mode loses nothing a committed
 * transaction wrote when the *process* dies (kill -9); only a power cut can
 * lose the last commits. `JSW_SQLITE_SYNC=full` trades speed for that.
 *
 * This file opens the database, migrates its schema and wires the JswStore
 * interface to the parts, one file per concern (jsw-sqlite-store-private.h
 * lists them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sqlite-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "jsw-schema.h"
#include "jsw-sqlite-store-private.h"

static void jsw_sqlite_store_iface_init (JswStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswSqliteStore, jsw_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_STORE, jsw_sqlite_store_iface_init))

char *
jsw_sqlite_store_random_id (const char *prefix)
{
  return jsw_store_random_id (prefix);
}

/* Schema */

static gboolean
migrate (JswSqliteStore  *self,
         GError         **error)
{
  g_autoptr(JswSqliteTransaction) tx = jsw_sqlite_begin_write (self->db, error);
  sqlite3_stmt *stmt;
  gint64 version = 0;

  if (tx == NULL)
    return FALSE;

  stmt = jsw_sqlite_prepare (self->db, "PRAGMA user_version", error);
  if (stmt == NULL || !jsw_sqlite_step_int (self->db, stmt, &version, error))
    return FALSE;

  if (version > (gint64) G_N_ELEMENTS (jsw_sqlite_migrations))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL,
                   _("The database was written by a newer version (schema %lld)"), (long long) version);
      return FALSE;
    }

  for (; version < (gint64) G_N_ELEMENTS (jsw_sqlite_migrations); version++)
    {
      g_autofree char *set_version = NULL;

      if (!jsw_sqlite_exec (self->db, jsw_sqlite_migrations[version], error))
        return FALSE;
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);
      if (!jsw_sqlite_exec (self->db, set_version, error))
        return FALSE;
    }

  return jsw_sqlite_transaction_commit (tx, error);
}

/* GObject */

static void
jsw_sqlite_store_finalize (GObject *object)
{
  JswSqliteStore *self = (JswSqliteStore *) object;

  g_clear_pointer (&self->db, jsw_sqlite_close);
  g_clear_pointer (&self->term_postings, g_hash_table_unref);

  G_OBJECT_CLASS (jsw_sqlite_store_parent_class)->finalize (object);
}

static void
jsw_sqlite_store_class_init (JswSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jsw_sqlite_store_finalize;
}

static void
jsw_sqlite_store_init (JswSqliteStore *self)
{
  self->term_postings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
jsw_sqlite_store_iface_init (JswStoreInterface *iface)
{
  iface->create_user = jsw_sqlite_store_create_user;
  iface->find_user = jsw_sqlite_store_find_user;
  iface->add_token = jsw_sqlite_store_add_token;
  iface->lookup_token = jsw_sqlite_store_lookup_token;
  iface->get_account = jsw_sqlite_store_get_account;
  iface->set_execution_mode = jsw_sqlite_store_set_execution_mode;
  iface->set_subscription = jsw_sqlite_store_set_subscription;
  iface->set_plan = jsw_sqlite_store_set_plan;
  iface->list_plans = jsw_sqlite_store_list_plans;
  iface->record_left_swipe = jsw_sqlite_store_record_left_swipe;
  iface->swipe_right = jsw_sqlite_store_swipe_right;
  iface->get_entry = jsw_sqlite_store_get_entry;
  iface->list_entries = jsw_sqlite_store_list_entries;
  iface->route_entry = jsw_sqlite_store_route_entry;
  iface->cancel_entry = jsw_sqlite_store_cancel_entry;
  iface->retry_entry = jsw_sqlite_store_retry_entry;
  iface->resolve_entry = jsw_sqlite_store_resolve_entry;
  iface->claim = jsw_sqlite_store_claim;
  iface->heartbeat = jsw_sqlite_store_heartbeat;
  iface->progress = jsw_sqlite_store_progress;
  iface->finish = jsw_sqlite_store_finish;
  iface->release = jsw_sqlite_store_release;
  iface->expire_leases = jsw_sqlite_store_expire_leases;
  iface->current_seq = jsw_sqlite_store_current_seq;
  iface->events_since = jsw_sqlite_store_events_since;
  iface->live_entries = jsw_sqlite_store_live_entries;
  iface->prune_events = jsw_sqlite_store_prune_events;
  iface->idempotency_get = jsw_sqlite_store_idempotency_get;
  iface->idempotency_put = jsw_sqlite_store_idempotency_put;
  iface->idempotency_expire = jsw_sqlite_store_idempotency_expire;
  iface->count_by_state = jsw_sqlite_store_count_by_state;
  iface->add_source = jsw_sqlite_store_add_source;
  iface->list_sources = jsw_sqlite_store_list_sources;
  iface->remove_source = jsw_sqlite_store_remove_source;
  iface->posting_versions = jsw_sqlite_store_posting_versions;
  iface->sync_postings = jsw_sqlite_store_sync_postings;
  iface->sync_failed = jsw_sqlite_store_sync_failed;
  iface->schedule_source = jsw_sqlite_store_schedule_source;
  iface->claim_source = jsw_sqlite_store_claim_source;
  iface->purge_closed_postings = jsw_sqlite_store_purge_closed_postings;
  iface->get_search = jsw_sqlite_store_get_search;
  iface->put_search = jsw_sqlite_store_put_search;
  iface->feed_page = jsw_sqlite_store_feed_page;
  iface->get_posting = jsw_sqlite_store_get_posting;
  iface->left_swipe_posting = jsw_sqlite_store_left_swipe_posting;
  iface->forget_left_swipe = jsw_sqlite_store_forget_left_swipe;
  iface->swipe_right_posting = jsw_sqlite_store_swipe_right_posting;
  iface->apply_billing_event = jsw_sqlite_store_apply_billing_event;
  iface->get_subscription = jsw_sqlite_store_get_subscription;
  iface->usage_report = jsw_sqlite_store_usage_report;
  iface->count_by_state_and_target = jsw_sqlite_store_count_by_state_and_target;
  iface->list_failed_entries = jsw_sqlite_store_list_failed_entries;
  iface->list_plan_ends = jsw_sqlite_store_list_plan_ends;
  iface->vault_put = jsw_sqlite_store_vault_put;
  iface->vault_get = jsw_sqlite_store_vault_get;
  iface->vault_delete = jsw_sqlite_store_vault_delete;
  iface->check_lease = jsw_sqlite_store_check_lease;
  iface->linkedin_load = jsw_sqlite_store_linkedin_load;
  iface->linkedin_change = jsw_sqlite_store_linkedin_change;
  iface->server_secret = jsw_sqlite_store_server_secret;
}

/* The database holds password and token hashes and everyone's queue: only
 * its owner may read it. SQLite would create it 0644 (less the umask), and
 * gives its -wal and -shm files the main file's mode, so the file is
 * created (or an existing one tightened) to 0600 before SQLite opens it,
 * and companions left by an older version are tightened too. */
static gboolean
make_database_private (const char  *path,
                       GError     **error)
{
  static const char *companions[] = { "-wal", "-shm", "-journal" };
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot make the database “%s” private: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      if (g_chmod (companion, 0600) != 0 && errno != ENOENT)
        {
          g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, _("Cannot make the database “%s” private: %s"),
                       companion, g_strerror (errno));
          return FALSE;
        }
    }
  return TRUE;
}

static JswStore *
open_connection (const char  *path,
                 gboolean     first,
                 GError     **error)
{
  g_autoptr(JswSqliteStore) self = g_object_new (JSW_TYPE_SQLITE_STORE, NULL);
  const char *sync = g_getenv ("JSW_SQLITE_SYNC");
  g_autofree char *pragmas = NULL;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "libsodium could not be initialised");
      return NULL;
    }

  if (first && !make_database_private (path, error))
    return NULL;

  pragmas = g_strdup_printf ("PRAGMA journal_mode = WAL;"
                             "PRAGMA synchronous = %s;"
                             "PRAGMA foreign_keys = ON;"
                             "PRAGMA wal_autocheckpoint = 10000;",
                             g_strcmp0 (sync, "full") == 0 ? "FULL" : "NORMAL");
  self->db = jsw_sqlite_open (path, 10000, pragmas, error);
  if (self->db == NULL || !jsw_sqlite_store_init_feed (self, error) || (first && !migrate (self, error)))
    return NULL;

  return JSW_STORE (g_steal_pointer (&self));
}

/**
 * jsw_sqlite_store_open:
 * @path: the database file; created (mode 0600; an existing one is made
 *   0600 too), and migrated to the current schema
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
JswStore *
jsw_sqlite_store_open (const char  *path,
                       GError     **error)
{
  return open_connection (path, TRUE, error);
}

/**
 * jsw_sqlite_store_open_another:
 * @path: a database this process has open already (jsw_sqlite_store_open())
 *
 * Another connection to it, for another thread. Neither touches the file
 * itself nor migrates: the process's first connection did both, and a
 * close() of the file outside SQLite would drop that connection's POSIX
 * locks (the next process to close the database would then take it for
 * the last one and delete the -wal file from under it).
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
JswStore *
jsw_sqlite_store_open_another (const char  *path,
                               GError     **error)
{
  return open_connection (path, FALSE, error);
}
