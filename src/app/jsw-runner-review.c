/* jsw-runner-review.c
 *
 * Sending a form the person reviewed: only once the server has
 * `submitting` on record, as the worker does (docs/server.md Additions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-runner-private.h"

/* The server took `submitting` for a reviewed form: it is sent now.
 * Without its ack in time nothing is sent and the run is given back.
 * Asked before the engine is (rather than in on_progress()), so that
 * nothing waits inside the engine's frames while Send is handled. */
typedef struct {
  JswRunner *runner;
  guint      timeout_id;
  gboolean   done;     /* answered or timed out: the other one is ignored */
} ReviewSend;

static void
review_send_finish (ReviewSend   *send,
                    const GError *error)
{
  JswRunner *self = send->runner;
  JswCache *cache = JSW_CACHE (jsw_queue_client_get_store (self->client));
  g_autofree char *current = NULL;
  g_autofree char *lease = NULL;

  send->done = TRUE;
  g_clear_handle_id (&send->timeout_id, g_source_remove);
  if (self->run == NULL || self->current == NULL)
    return;
  if (error == NULL)
    {
      jsw_cache_run_reached (cache, self->current, JSW_STEP_SUBMITTING, NULL);
      jsw_apply_run_send_reviewed (self->run, self->cancellable, _jsw_runner_run_done, g_object_ref (self));
      return;
    }
  g_message ("%s not sent: `submitting` is not on record at the server (%s)", self->current, error->message);
  current = g_steal_pointer (&self->current);
  lease = g_steal_pointer (&self->lease);
  g_clear_object (&self->run);
  jsw_cache_run_finished (cache, current, NULL);
  jsw_queue_client_release (self->client, lease);
  _jsw_runner_emit_run_finished (self, current, -1, _("Not sent: the server could not be told it was being sent"));
  _jsw_runner_finished_running (self);
  _jsw_runner_look_soon (self);
}

static void
review_send_free (ReviewSend *send)
{
  g_object_unref (send->runner);
  g_free (send);
}

static gboolean
review_send_timed_out (gpointer user_data)
{
  ReviewSend *send = user_data;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no ack in time");

  send->timeout_id = 0;
  review_send_finish (send, error);
  return G_SOURCE_REMOVE;
}

static void
reviewed_on_record (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ReviewSend *send = user_data;
  g_autoptr(GError) error = NULL;

  jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), result, &error);
  if (!send->done)
    review_send_finish (send, error);
  review_send_free (send);
}

/* The person looked the filled-in form over: send it (with whatever they
 * changed on the page), or not. */
gboolean
jsw_runner_finish_review (JswRunner  *self,
                          const char *entry_id,
                          gboolean    send)
{
  g_autofree char *lease = NULL;
  g_autofree char *current = NULL;

  if (!self->in_review || g_strcmp0 (entry_id, self->current) != 0)
    return FALSE;
  self->in_review = FALSE;
  _jsw_runner_notify_reviewing (self);

  if (send)
    {
      ReviewSend *review_send = g_new0 (ReviewSend, 1);

      review_send->runner = g_object_ref (self);
      review_send->timeout_id = g_timeout_add (SUBMITTING_ACK_TIMEOUT_MS, review_send_timed_out, review_send);
      jsw_queue_client_progress_confirmed_async (self->client, self->lease, 85, JSW_STEP_SUBMITTING,
                                                 _("Sending the application"), 0, NULL,
                                                 reviewed_on_record, review_send);
      return TRUE;
    }

  current = g_steal_pointer (&self->current);
  lease = g_steal_pointer (&self->lease);
  g_clear_object (&self->run);
  jsw_cache_run_finished (JSW_CACHE (jsw_queue_client_get_store (self->client)), current, NULL);
  jsw_queue_client_result (self->client, lease, JSW_OUTCOME_NEEDS_USER, NULL,
                           _("Looked over and not sent"), NULL);
  _jsw_runner_emit_run_finished (self, current, (int) JSW_OUTCOME_NEEDS_USER, _("Looked over and not sent"));
  _jsw_runner_finished_running (self);
  _jsw_runner_look_soon (self);
  return TRUE;
}
