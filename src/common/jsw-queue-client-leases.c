/* jsw-queue-client-leases.c
 *
 * What a runner does with the entries it claims on the stream: the claim,
 * the heartbeats that keep its lease alive, progress (kept in the outbox
 * while offline, or acknowledged on request), the result (written to the
 * outbox before it is sent) and the release; and the requests awaiting
 * the server's answer (the claim, acknowledged progress).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-queue-client-private.h"

typedef struct {
  JswQueueClient *client;
  char           *lease;
} Heartbeat;

static gboolean
send_heartbeat (gpointer data)
{
  Heartbeat *heartbeat = data;
  g_autofree char *frame = jsw_message_build_heartbeat (heartbeat->lease);

  _jsw_queue_client_send_frame (heartbeat->client, frame);
  return G_SOURCE_CONTINUE;
}

static void
heartbeat_free (gpointer data)
{
  Heartbeat *heartbeat = data;

  g_free (heartbeat->lease);
  g_free (heartbeat);
}

static void
hold_lease (JswQueueClient *self,
            const char     *lease)
{
  Heartbeat *heartbeat = g_new0 (Heartbeat, 1);
  guint id;

  heartbeat->client = self;
  heartbeat->lease = g_strdup (lease);
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, MAX (1, self->heartbeat_s),
                                   send_heartbeat, heartbeat, heartbeat_free);
  g_hash_table_replace (self->leases, g_strdup (lease), GUINT_TO_POINTER (id));
}

void
jsw_queue_client_let_go (JswQueueClient *self,
                         const char     *lease)
{
  g_autofree char *key = NULL;
  gpointer id;

  /* The key is a copy of the lease the table owns: stolen, it is ours. */
  if (g_hash_table_steal_extended (self->leases, lease, (gpointer *) &key, &id))
    g_source_remove (GPOINTER_TO_UINT (id));
}

/* Requests the server answers by their id (`claimed`, `ack`, or an `error`
 * with that `re`), each waiting in a pending table of the client. */

typedef struct {
  GHashTable *pending;     /* the table it waits in (not a reference) */
  char       *request_id;  /* its key there */
  GTask      *task;
  guint       timeout_id;
} Awaited;

static void
awaited_free (Awaited *awaited)
{
  g_clear_handle_id (&awaited->timeout_id, g_source_remove);
  g_clear_object (&awaited->task);
  g_free (awaited->request_id);
  g_free (awaited);
}

GHashTable *
_jsw_queue_client_pending_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) awaited_free);
}

/* Takes the request out of its table: returns its task, for its answer
 * (the caller's reference), or NULL when nothing waits under @request_id
 * (answered, or given up on, already). */
GTask *
_jsw_queue_client_take_awaited (GHashTable *pending,
                                const char *request_id)
{
  Awaited *awaited = NULL;
  GTask *task;

  if (request_id == NULL || !g_hash_table_steal_extended (pending, request_id, NULL, (gpointer *) &awaited))
    return NULL;
  task = g_steal_pointer (&awaited->task);
  awaited_free (awaited);
  return task;
}

static gboolean
awaited_timed_out (gpointer user_data)
{
  Awaited *awaited = user_data;
  g_autoptr(GTask) task = NULL;

  awaited->timeout_id = 0;
  task = _jsw_queue_client_take_awaited (awaited->pending, awaited->request_id);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("The server did not answer in time"));
  return G_SOURCE_REMOVE;
}

/* Sends @frame, the request @request_id (taken), and keeps @task (taken)
 * in @pending until its answer; @task fails at once when not connected,
 * with the connection when it is lost, and after @timeout_ms without an
 * answer (0: no limit of its own). */
static void
send_awaited (JswQueueClient *self,
              GTask          *task,
              GHashTable     *pending,
              char           *request_id,
              const char     *frame,
              guint           timeout_ms)
{
  Awaited *awaited;

  if (!jsw_queue_client_is_connected (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected to the server"));
      g_object_unref (task);
      g_free (request_id);
      return;
    }
  awaited = g_new0 (Awaited, 1);
  awaited->pending = pending;
  awaited->request_id = request_id;
  awaited->task = task;
  if (timeout_ms > 0)
    awaited->timeout_id = g_timeout_add (timeout_ms, awaited_timed_out, awaited);
  g_hash_table_insert (pending, awaited->request_id, awaited);
  _jsw_queue_client_send_frame (self, frame);
}

void
jsw_queue_client_claim_async (JswQueueClient      *self,
                              const char          *entry_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *request_id = _jsw_queue_client_next_request_id (self, "claim");
  g_autofree char *frame = jsw_message_build_claim (request_id, entry_id);

  send_awaited (self, g_task_new (self, cancellable, callback, user_data), self->pending_claims,
                g_steal_pointer (&request_id), frame, 0);
}

/* Returns the lease, and keeps it alive with heartbeats until let go. */
char *
jsw_queue_client_claim_finish (JswQueueClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  char *lease = g_task_propagate_pointer (G_TASK (result), error);

  if (lease != NULL)
    hold_lease (self, lease);
  return lease;
}

/**
 * jsw_queue_client_claim_retry_at:
 * @result: a claim's result, refused
 *
 * Returns: when the server said the refused claim may be asked again (its
 *   `error`'s "retry_at", docs/server.md "LinkedIn"), wall-clock µs; 0 when
 *   it did not say
 */
gint64
jsw_queue_client_claim_retry_at (GAsyncResult *result)
{
  gint64 *retry_at = g_task_get_task_data (G_TASK (result));

  return retry_at != NULL ? *retry_at : 0;
}

void
jsw_queue_client_progress (JswQueueClient *self,
                           const char     *lease,
                           int             percent,
                           JswStep         step,
                           const char     *message)
{
  g_autofree char *frame = jsw_message_build_progress (NULL, lease, percent, step, message);
  g_autoptr(GError) error = NULL;

  if (jsw_queue_client_is_connected (self))
    {
      _jsw_queue_client_send_frame (self, frame);
      return;
    }
  if (!jsw_queue_store_outbox_add (self->store, NULL, lease, frame, &error))
    g_warning ("Cannot keep progress for later: %s", error->message);
}

/**
 * jsw_queue_client_progress_confirmed_async:
 * @timeout_ms: how long to wait for the server's acknowledgement (0: as
 *   long as the connection lasts)
 *
 * Sends progress asking the server to acknowledge it (an addition to
 * PROTOCOL.md, docs/server.md): it completes once the server has stored
 * it, so that a runner can make sure `submitting` is on record before it
 * lets the engine send an application (JswApplyRun::ready-to-send). Never
 * kept for later: it fails with %G_IO_ERROR_NOT_CONNECTED when not
 * connected, %G_IO_ERROR_CONNECTION_CLOSED when the connection is lost
 * first, %G_IO_ERROR_TIMED_OUT after @timeout_ms, or with the server's
 * error (a %JSW_ERROR such as lease_expired).
 */
void
jsw_queue_client_progress_confirmed_async (JswQueueClient      *self,
                                           const char          *lease,
                                           int                  percent,
                                           JswStep              step,
                                           const char          *message,
                                           guint                timeout_ms,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *request_id = _jsw_queue_client_next_request_id (self, "progress");
  g_autofree char *frame = jsw_message_build_progress (request_id, lease, percent, step, message);

  send_awaited (self, g_task_new (self, cancellable, callback, user_data), self->pending_progress,
                g_steal_pointer (&request_id), frame, timeout_ms);
}

gboolean
jsw_queue_client_progress_confirmed_finish (JswQueueClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Its acknowledgement is announced by "result-acknowledged". */
void
jsw_queue_client_result (JswQueueClient *self,
                         const char     *lease,
                         JswOutcome      outcome,
                         const char     *confirmation,
                         const char     *error_text,
                         const char     *screenshot_sha256)
{
  g_autofree char *request_id = _jsw_queue_client_next_request_id (self, "result");
  g_autofree char *frame = jsw_message_build_result (request_id, lease, outcome, confirmation,
                                                     error_text, screenshot_sha256);
  g_autoptr(GError) error = NULL;

  jsw_queue_client_let_go (self, lease);
  /* Written down before it is sent: a crash now loses nothing. */
  if (!jsw_queue_store_outbox_add (self->store, request_id, lease, frame, &error))
    g_warning ("Cannot keep the result: %s", error->message);
  _jsw_queue_client_send_frame (self, frame);
}

void
jsw_queue_client_release (JswQueueClient *self,
                          const char     *lease)
{
  g_autofree char *frame = jsw_message_build_release (lease);

  jsw_queue_client_let_go (self, lease);
  _jsw_queue_client_send_frame (self, frame);
}
