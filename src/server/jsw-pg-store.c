/* jsw-pg-store.c: the store on PostgreSQL
 *
 * For when one server process is not enough: several processes share one
 * database, and every rule the SQLite store enforces in one transaction is
 * enforced here in one transaction too, under PostgreSQL's row locks
 * (jsw-pg-store-private.h gives their order). Each process announces its
 * changes with NOTIFY; jsw-pg-listener.c hears the others'.
 *
 * Calls are synchronous: the server runs one main loop, and a request
 * waits for its transaction as it waits for SQLite's. On loopback a
 * statement takes some tens of µs, a swipe's transaction about a
 * millisecond (docs/performance.md); a process serves one transaction at
 * a time, and more throughput comes from more processes. Nothing waits on
 * another process's lock for long: claims skip locked rows, and
 * lock_timeout bounds the rest. This keeps the code the SQLite store's,
 * statement for statement, which an asynchronous store (a callback per
 * statement) would not.
 *
 * This file holds the object and its JswStore wiring; the connection,
 * statements and transactions are in jsw-pg-store-statements.c, the
 * schema's migrations in jsw-pg-store-schema.c, each concern's calls in
 * its jsw-pg-store-*.c (jsw-pg-store-private.h lists them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-pg-store"

#include "config.h"

#include <sodium.h>

#include "jsw-pg-connection.h"
#include "jsw-pg-listener.h"
#include "jsw-pg-store-private.h"

static void jsw_pg_store_iface_init (JswStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JswPgStore, jsw_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSW_TYPE_STORE, jsw_pg_store_iface_init))

/* Several processes */

static gboolean
jsw_pg_store_watch (JswStore             *store,
                    JswStoreChangesFunc   func,
                    gpointer              user_data,
                    GError              **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autoptr(JswPgListener) listener = jsw_pg_listener_new (self->url, self->origin, func, user_data);

  if (!jsw_pg_listener_start (listener, error))
    return FALSE;
  g_object_set_data_full (G_OBJECT (self), "jsw-pg-listener", g_steal_pointer (&listener), g_object_unref);
  return TRUE;
}

static void
jsw_pg_store_unwatch (JswStore *store)
{
  g_object_set_data (G_OBJECT (store), "jsw-pg-listener", NULL);
}

/* "0 <channel> <origin>" on the changes' NOTIFY channel, so that it keeps
 * its place among them: seq 0 says it is no change of the log, and the
 * origin lets this process's own listener pass over it (the caller told
 * this process's streams already). */
static gboolean
jsw_pg_store_announce_account (JswStore    *store,
                               const char  *user_id,
                               GError     **error)
{
  JswPgStore *self = JSW_PG_STORE (store);
  g_autofree char *channel = jsw_store_user_channel (user_id);
  g_autofree char *payload = g_strdup_printf ("0 %s %s", channel, self->origin);
  JswPgParams p = { 0 };

  jsw_pg_params_text (&p, payload);
  return jsw_pg_store_run (self, "SELECT pg_notify('" JSW_PG_NOTIFY_CHANNEL "', $1)", &p, NULL, error);
}

/* GObject */

static void
jsw_pg_store_dispose (GObject *object)
{
  jsw_pg_store_unwatch (JSW_STORE (object));

  G_OBJECT_CLASS (jsw_pg_store_parent_class)->dispose (object);
}

static void
jsw_pg_store_finalize (GObject *object)
{
  JswPgStore *self = (JswPgStore *) object;

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_free (self->url);
  g_free (self->origin);

  G_OBJECT_CLASS (jsw_pg_store_parent_class)->finalize (object);
}

static void
jsw_pg_store_class_init (JswPgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_pg_store_dispose;
  object_class->finalize = jsw_pg_store_finalize;
}

static void
jsw_pg_store_init (JswPgStore *self)
{
  jsw_pg_store_init_statements (self);
  self->origin = g_uuid_string_random ();
}

static void
jsw_pg_store_iface_init (JswStoreInterface *iface)
{
  iface->create_user = jsw_pg_store_create_user;
  iface->find_user = jsw_pg_store_find_user;
  iface->add_token = jsw_pg_store_add_token;
  iface->lookup_token = jsw_pg_store_lookup_token;
  iface->get_account = jsw_pg_store_get_account;
  iface->set_execution_mode = jsw_pg_store_set_execution_mode;
  iface->set_subscription = jsw_pg_store_set_subscription;
  iface->set_plan = jsw_pg_store_set_plan;
  iface->list_plans = jsw_pg_store_list_plans;
  iface->list_plan_ends = jsw_pg_store_list_plan_ends;
  iface->record_left_swipe = jsw_pg_store_record_left_swipe;
  iface->swipe_right = jsw_pg_store_swipe_right;
  iface->get_entry = jsw_pg_store_get_entry;
  iface->list_entries = jsw_pg_store_list_entries;
  iface->route_entry = jsw_pg_store_route_entry;
  iface->cancel_entry = jsw_pg_store_cancel_entry;
  iface->retry_entry = jsw_pg_store_retry_entry;
  iface->resolve_entry = jsw_pg_store_resolve_entry;
  iface->claim = jsw_pg_store_claim;
  iface->heartbeat = jsw_pg_store_heartbeat;
  iface->progress = jsw_pg_store_progress;
  iface->finish = jsw_pg_store_finish;
  iface->release = jsw_pg_store_release;
  iface->expire_leases = jsw_pg_store_expire_leases;
  iface->current_seq = jsw_pg_store_current_seq;
  iface->events_since = jsw_pg_store_events_since;
  iface->live_entries = jsw_pg_store_live_entries;
  iface->prune_events = jsw_pg_store_prune_events;
  iface->idempotency_get = jsw_pg_store_idempotency_get;
  iface->idempotency_put = jsw_pg_store_idempotency_put;
  iface->idempotency_expire = jsw_pg_store_idempotency_expire;
  iface->count_by_state = jsw_pg_store_count_by_state;
  iface->current_seqs = jsw_pg_store_current_seqs;
  iface->watch = jsw_pg_store_watch;
  iface->unwatch = jsw_pg_store_unwatch;
  iface->announce_account = jsw_pg_store_announce_account;
  iface->add_source = jsw_pg_store_add_source;
  iface->list_sources = jsw_pg_store_list_sources;
  iface->remove_source = jsw_pg_store_remove_source;
  iface->posting_versions = jsw_pg_store_posting_versions;
  iface->sync_postings = jsw_pg_store_sync_postings;
  iface->sync_failed = jsw_pg_store_sync_failed;
  iface->schedule_source = jsw_pg_store_schedule_source;
  iface->claim_source = jsw_pg_store_claim_source;
  iface->purge_closed_postings = jsw_pg_store_purge_closed_postings;
  iface->get_search = jsw_pg_store_get_search;
  iface->put_search = jsw_pg_store_put_search;
  iface->feed_page = jsw_pg_store_feed_page;
  iface->get_posting = jsw_pg_store_get_posting;
  iface->left_swipe_posting = jsw_pg_store_left_swipe_posting;
  iface->forget_left_swipe = jsw_pg_store_forget_left_swipe;
  iface->swipe_right_posting = jsw_pg_store_swipe_right_posting;
  iface->apply_billing_event = jsw_pg_store_apply_billing_event;
  iface->get_subscription = jsw_pg_store_get_subscription;
  iface->usage_report = jsw_pg_store_usage_report;
  iface->count_by_state_and_target = jsw_pg_store_count_by_state_and_target;
  iface->list_failed_entries = jsw_pg_store_list_failed_entries;
  iface->vault_put = jsw_pg_store_vault_put;
  iface->vault_get = jsw_pg_store_vault_get;
  iface->vault_delete = jsw_pg_store_vault_delete;
  iface->check_lease = jsw_pg_store_check_lease;
  iface->linkedin_load = jsw_pg_store_linkedin_load;
  iface->linkedin_change = jsw_pg_store_linkedin_change;
  iface->server_secret = jsw_pg_store_server_secret;
}

/**
 * jsw_pg_store_get_counts:
 * @round_trips: (out) (optional): how many times this store sent
 *   something to PostgreSQL and waited for the answer (a pipeline of
 *   statements counts once), since it was opened
 * @statements: (out) (optional): how many statements it sent
 *
 * For the tests and benchmarks that count what an operation costs, which
 * is steadier than timing it on a busy machine.
 */
void
jsw_pg_store_get_counts (JswPgStore *self,
                         guint64    *round_trips,
                         guint64    *statements)
{
  g_return_if_fail (JSW_IS_PG_STORE (self));

  if (round_trips != NULL)
    *round_trips = self->n_round_trips;
  if (statements != NULL)
    *statements = self->n_statements;
}

const char *
jsw_pg_store_get_url (JswPgStore *self)
{
  g_return_val_if_fail (JSW_IS_PG_STORE (self), NULL);

  return self->url;
}

/**
 * jsw_pg_store_open:
 * @url: a libpq connection URI (postgresql://user@host:port/database) or
 *   key=value string
 *
 * Connects, and migrates the schema to the current version (under an
 * advisory lock: several processes may open the same database at once).
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
JswStore *
jsw_pg_store_open (const char  *url,
                   GError     **error)
{
  g_autoptr(JswPgStore) self = g_object_new (JSW_TYPE_PG_STORE, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INTERNAL, "libsodium could not be initialised");
      return NULL;
    }

  self->url = g_strdup (url);
  self->conn = jsw_pg_connect (url, error);
  if (self->conn == NULL || !jsw_pg_store_migrate (self, error))
    return NULL;

  return JSW_STORE (g_steal_pointer (&self));
}
