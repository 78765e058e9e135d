/* jsw-worker.c: the server-side worker
 *
 * One stream connection as a worker (the shared JswQueueClient, its state
 * in a JswWorkerStore), through which the server announces server entries
 * that become `queued`. Up to `concurrency` of them are claimed and run at
 * once (JswWorkerRun), oldest first, each with the next proxy in service.
 * Claims race other workers'; a lost claim is simply the next entry's turn.
 *
 * Draining (SIGTERM): no new claims; runs that have not reached
 * `submitting` are given back at once; the others finish and report; the
 * results' acknowledgements are awaited (up to ten seconds); then
 * "drained".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-log.h"
#include "jsw-proxy-pool.h"
#include "jsw-worker.h"
#include "jsw-worker-run.h"
#include "jsw-worker-store.h"

/* A proxy that failed rests this long before it is tried again. */
#define PROXY_RETIRE_S       120
/* How often waiting entries are looked at again when no proxy was free. */
#define LOOK_AGAIN_S         5
#define DRAIN_ACK_WAIT_S     10

struct _JswWorker
{
  GObject             parent_instance;

  JswWorkerRunConfig  run_config;
  char               *server_url;
  char               *token;
  char               *screenshot_dir;
  guint               concurrency;

  SoupSession        *soup;
  JswWorkerStore     *store;
  JswQueueClient     *client;
  JswProxyPool       *pool;
  GPtrArray          *runs;           /* JswWorkerRun* */
  guint               claiming;
  guint               unacknowledged;
  gboolean            draining;
  guint               look_id;
  guint               drain_timeout_id;
  guint64             finished[3];    /* by JswWorkerRunEnd */
};

G_DEFINE_FINAL_TYPE (JswWorker, jsw_worker, G_TYPE_OBJECT)

enum {
  DRAINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void look_for_work (JswWorker *self);

/* Draining */

static void
check_drained (JswWorker *self)
{
  if (!self->draining || self->runs->len > 0 || self->claiming > 0 ||
      (self->unacknowledged > 0 && self->drain_timeout_id != 0))
    return;
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  jsw_log (JSW_LOG_INFO, NULL, "worker.drained", "reported", 'l', (gint64) self->finished[JSW_WORKER_RUN_REPORTED],
           "released", 'l', (gint64) self->finished[JSW_WORKER_RUN_RELEASED],
           "lost", 'l', (gint64) self->finished[JSW_WORKER_RUN_LOST],
           "unacknowledged", 'i', self->unacknowledged, NULL);
  jsw_queue_client_stop (self->client);
  g_signal_emit (self, signals[DRAINED], 0);
}

static gboolean
drain_timeout_cb (gpointer user_data)
{
  JswWorker *self = user_data;

  self->drain_timeout_id = 0;
  check_drained (self);
  return G_SOURCE_REMOVE;
}

/* No new claims; runs not yet at `submitting` are given back, the others
 * finish. "drained" is emitted once nothing is left. */
void
jsw_worker_drain (JswWorker *self)
{
  if (self->draining)
    return;
  self->draining = TRUE;
  jsw_log (JSW_LOG_INFO, NULL, "worker.draining", "running", 'i', self->runs->len, NULL);
  g_clear_handle_id (&self->look_id, g_source_remove);
  self->drain_timeout_id = g_timeout_add_seconds (DRAIN_ACK_WAIT_S, drain_timeout_cb, self);
  for (guint i = 0; i < self->runs->len; i++)
    jsw_worker_run_stop (g_ptr_array_index (self->runs, i), "draining");
  check_drained (self);
}

/* Runs */

static void
run_finished (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JswWorker) self = user_data;
  JswWorkerRun *run = JSW_WORKER_RUN (source);
  JswWorkerRunEnd how = jsw_worker_run_finish (run, result);

  self->finished[how]++;
  if (how == JSW_WORKER_RUN_REPORTED)
    self->unacknowledged++;
  g_ptr_array_remove (self->runs, run);
  check_drained (self);
  look_for_work (self);
}

typedef struct {
  JswWorker      *worker;
  JswEntry       *entry;
  JswTargetGuard *guard;
} Claim;

static void
claim_free (Claim *claim)
{
  g_object_unref (claim->worker);
  jsw_entry_unref (claim->entry);
  g_object_unref (claim->guard);
  g_free (claim);
}

static void
claimed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Claim *claim = user_data;
  JswWorker *self = claim->worker;
  g_autoptr(GError) error = NULL;
  g_autofree char *lease = jsw_queue_client_claim_finish (JSW_QUEUE_CLIENT (source), result, &error);

  self->claiming--;
  if (lease == NULL && error->domain == G_IO_ERROR)
    {
      /* The connection went: the replay after the next hello will not
       * announce this entry again, so it waits here. */
      jsw_worker_store_put_back (self->store, claim->entry);
    }
  else if (lease == NULL)
    jsw_log (JSW_LOG_DEBUG, claim->entry->id, "run.not_claimed", "why", 's', error->message, NULL);
  else if (self->draining)
    {
      jsw_log (JSW_LOG_INFO, claim->entry->id, "run.released", "why", 's', "draining", NULL);
      jsw_queue_client_release (self->client, lease);
    }
  else
    {
      JswWorkerRun *run = jsw_worker_run_new (&self->run_config, self->client, claim->entry, lease, claim->guard);

      g_ptr_array_add (self->runs, run);
      jsw_worker_run_start (run, run_finished, g_object_ref (self));
    }
  check_drained (self);
  look_for_work (self);
  claim_free (claim);
}

static gboolean
look_again_cb (gpointer user_data)
{
  JswWorker *self = user_data;

  self->look_id = 0;
  look_for_work (self);
  return G_SOURCE_REMOVE;
}

/* Claims the oldest waiting entries while there is room and a way out. */
static void
look_for_work (JswWorker *self)
{
  while (!self->draining && jsw_queue_client_is_connected (self->client) &&
         self->runs->len + self->claiming < self->concurrency &&
         jsw_worker_store_n_waiting (self->store) > 0)
    {
      JswTargetGuard *guard = jsw_proxy_pool_take (self->pool);
      Claim *claim;

      if (guard == NULL)
        {
          /* Every proxy is resting: the entries wait here, unclaimed, for
           * this or another worker. */
          if (self->look_id == 0)
            self->look_id = g_timeout_add_seconds (LOOK_AGAIN_S, look_again_cb, self);
          return;
        }
      claim = g_new0 (Claim, 1);
      claim->worker = g_object_ref (self);
      claim->entry = jsw_worker_store_take_next (self->store);
      claim->guard = guard;
      self->claiming++;
      jsw_queue_client_claim_async (self->client, claim->entry->id, NULL, claimed, claim);
    }
}

/* Proxies */

static void
on_upstream_failed (JswTargetGuard *guard,
                    const char     *why,
                    JswWorker      *self)
{
  jsw_log (JSW_LOG_WARNING, NULL, "proxy.retired", "proxy", 's', jsw_target_guard_get_upstream (guard),
           "why", 's', why, "seconds", 'i', PROXY_RETIRE_S, NULL);
  jsw_proxy_pool_retire (self->pool, guard, PROXY_RETIRE_S);
  for (guint i = 0; i < self->runs->len; i++)
    {
      JswWorkerRun *run = g_ptr_array_index (self->runs, i);

      if (jsw_worker_run_get_guard (run) == guard)
        jsw_worker_run_stop (run, "proxy failed");
    }
}

static void
on_refused (JswTargetGuard *guard,
            const char     *why,
            JswWorker      *self)
{
  const char *cid = NULL;

  /* The guard serves every run going out through one proxy, so it cannot
   * tell whose request it refused; the run logs `target.refused` with its
   * id and the address from the guard's answer. This line is attributed
   * to a run only when one alone goes out this way (it is the only record
   * of a refused https CONNECT, whose answer WebKit does not show). */
  for (guint i = 0; i < self->runs->len; i++)
    if (jsw_worker_run_get_guard (g_ptr_array_index (self->runs, i)) == guard)
      cid = cid == NULL ? jsw_worker_run_get_entry_id (g_ptr_array_index (self->runs, i)) : "";
  jsw_log (JSW_LOG_WARNING, cid != NULL && *cid ? cid : NULL, "guard.refused", "why", 's', why, NULL);
}

/* The stream */

static void
on_entries_changed (JswWorker *self)
{
  look_for_work (self);
}

static void
on_connection_changed (JswQueueClient *client,
                       gboolean        connected,
                       JswWorker      *self)
{
  jsw_log (connected ? JSW_LOG_INFO : JSW_LOG_WARNING, NULL, connected ? "stream.connected" : "stream.lost",
           "running", 'i', self->runs->len, NULL);
  if (connected)
    look_for_work (self);
}

static void
on_result_acknowledged (JswQueueClient *client,
                        const char     *request_id,
                        JswWorker      *self)
{
  if (self->unacknowledged > 0)
    self->unacknowledged--;
  check_drained (self);
}

/* The object */

static void
jsw_worker_dispose (GObject *object)
{
  JswWorker *self = (JswWorker *) object;

  g_clear_handle_id (&self->look_id, g_source_remove);
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->pool);
  g_clear_object (&self->soup);
  G_OBJECT_CLASS (jsw_worker_parent_class)->dispose (object);
}

static void
jsw_worker_finalize (GObject *object)
{
  JswWorker *self = (JswWorker *) object;

  g_free (self->server_url);
  g_free (self->token);
  g_free (self->screenshot_dir);
  G_OBJECT_CLASS (jsw_worker_parent_class)->finalize (object);
}

static void
jsw_worker_class_init (JswWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jsw_worker_dispose;
  object_class->finalize = jsw_worker_finalize;

  signals[DRAINED] = g_signal_new ("drained", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jsw_worker_init (JswWorker *self)
{
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * jsw_worker_new:
 * @config: the settings, copied
 *
 * Returns: the worker, not yet connected; NULL with @error when a proxy
 *   URL is not one or no loopback port could be bound for the guards
 */
JswWorker *
jsw_worker_new (const JswWorkerConfig  *config,
                GError                **error)
{
  g_autoptr(JswWorker) self = g_object_new (JSW_TYPE_WORKER, NULL);
  g_autofree char *url = g_strdup (config->server_url);

  /* "http://host:port/" and "http://host:port" name the same server. */
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->server_url = g_steal_pointer (&url);
  self->token = g_strdup (config->token);
  self->screenshot_dir = g_strdup (config->screenshot_dir);
  self->concurrency = MAX (1, config->concurrency);

  self->pool = jsw_proxy_pool_new (config->proxies, config->allow_private, config->allowed_targets, error);
  if (self->pool == NULL)
    return NULL;
  for (guint i = 0; i < jsw_proxy_pool_get_size (self->pool); i++)
    {
      JswTargetGuard *guard = jsw_proxy_pool_get_guard (self->pool, i);

      g_signal_connect (guard, "upstream-failed", G_CALLBACK (on_upstream_failed), self);
      g_signal_connect (guard, "refused", G_CALLBACK (on_refused), self);
    }

  self->soup = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, NULL);
  self->store = jsw_worker_store_new ();
  self->client = jsw_queue_client_new (self->soup, self->server_url, self->token, config->device,
                                       JSW_QUEUE_STORE (self->store));
  g_signal_connect_swapped (self->client, "entry-changed", G_CALLBACK (on_entries_changed), self);
  g_signal_connect_swapped (self->client, "synced", G_CALLBACK (on_entries_changed), self);
  g_signal_connect (self->client, "connection-changed", G_CALLBACK (on_connection_changed), self);
  g_signal_connect (self->client, "result-acknowledged", G_CALLBACK (on_result_acknowledged), self);

  self->run_config.soup = self->soup;
  self->run_config.server_url = self->server_url;
  self->run_config.token = self->token;
  self->run_config.timeout_s = config->timeout_s;
  self->run_config.screenshot_dir = self->screenshot_dir;
  return g_steal_pointer (&self);
}

void
jsw_worker_start (JswWorker *self)
{
  jsw_log (JSW_LOG_INFO, NULL, "worker.started", "server", 's', self->server_url,
           "concurrency", 'i', self->concurrency, "proxies", 'i', jsw_proxy_pool_get_size (self->pool), NULL);
  jsw_queue_client_start (self->client);
}
