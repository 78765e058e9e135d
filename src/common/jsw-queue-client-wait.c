/* jsw-queue-client-wait.c
 *
 * Progress that must be on record at the server before the caller goes
 * on, waited for in place: a runner reports `submitting` this way right
 * before an application's send button is pressed (docs/server.md,
 * Additions: `progress` with an `id` is acknowledged), because the engine
 * presses it as soon as the step's "progress" signal handler returns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jsw-queue-client.h"

/* Shared by the wait and the server's answer: whichever comes last frees
 * it (an answer may come after the wait gave up). */
typedef struct {
  gboolean  answered;
  gboolean  abandoned;
  gboolean  timed_out;
  GError   *error;
} Wait;

static void
wait_free (Wait *wait)
{
  g_clear_error (&wait->error);
  g_free (wait);
}

static void
answered (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), result, &wait->error);
  wait->answered = TRUE;
  if (wait->abandoned)
    wait_free (wait);
}

static gboolean
timed_out (gpointer user_data)
{
  ((Wait *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * jsw_queue_client_progress_confirmed_wait:
 * @timeout_ms: how long to wait for the server's acknowledgement
 * @error: the server's refusal (a %JSW_ERROR such as lease_expired),
 *   %G_IO_ERROR_NOT_CONNECTED, or %G_IO_ERROR_TIMED_OUT
 *
 * jsw_queue_client_progress_confirmed_async(), waited for while serving
 * the thread-default main context (so the stream goes on being read), at
 * most @timeout_ms milliseconds.
 *
 * Returns: TRUE once the server has stored the progress
 */
gboolean
jsw_queue_client_progress_confirmed_wait (JswQueueClient  *self,
                                          const char      *lease,
                                          int              percent,
                                          JswStep          step,
                                          const char      *message,
                                          guint            timeout_ms,
                                          GError         **error)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  GSource *timeout = g_timeout_source_new (timeout_ms);
  Wait *wait = g_new0 (Wait, 1);
  gboolean on_record;

  g_source_set_callback (timeout, timed_out, wait, NULL);
  g_source_attach (timeout, context);
  jsw_queue_client_progress_confirmed_async (self, lease, percent, step, message, 0, NULL, answered, wait);
  while (!wait->answered && !wait->timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_unref (context);

  if (!wait->answered)
    {
      wait->abandoned = TRUE;  /* freed by its answer, if one comes */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("The server did not acknowledge the progress in time"));
      return FALSE;
    }
  on_record = wait->error == NULL;
  if (!on_record)
    g_propagate_error (error, g_steal_pointer (&wait->error));
  wait_free (wait);
  return on_record;
}
