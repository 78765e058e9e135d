/* jsw-queue-client-leases.c
 *
 * What a runner does with the entries it claims on the stream: the claim,
 * the heartbeats that keep its lease alive, progress (kept in the outbox
 * while offline, or acknowledged on request), the result (written to the
 * outbox before it is sent) and the release.
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

void
jsw_queue_client_claim_async (JswQueueClient      *self,
                              const char          *entry_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *request_id = NULL;
  g_autofree char *frame = NULL;

  if (!jsw_queue_client_is_connected (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected to the server"));
      return;
    }
  request_id = _jsw_queue_client_next_request_id (self, "claim");
  frame = jsw_message_build_claim (request_id, entry_id);
  g_hash_table_insert (self->pending_claims, g_steal_pointer (&request_id), g_object_ref (task));
  _jsw_queue_client_send_frame (self, frame);
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
 *
 * Sends progress asking the server to acknowledge it (an addition to
 * PROTOCOL.md): it completes once the server has stored it, so that a
 * runner can make sure `submitting` is on record before it sends an
 * application. Never kept for later: it fails when not connected, when the
 * connection is lost first, or with the server's error (a %JSW_ERROR).
 */
void
jsw_queue_client_progress_confirmed_async (JswQueueClient      *self,
                                           const char          *lease,
                                           int                  percent,
                                           JswStep              step,
                                           const char          *message,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *request_id = NULL;
  g_autofree char *frame = NULL;

  if (!jsw_queue_client_is_connected (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected to the server"));
      return;
    }
  request_id = _jsw_queue_client_next_request_id (self, "progress");
  frame = jsw_message_build_progress (request_id, lease, percent, step, message);
  g_hash_table_insert (self->pending_progress, g_steal_pointer (&request_id), g_object_ref (task));
  _jsw_queue_client_send_frame (self, frame);
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
