/* jsw-runner-review.c
 *
 * A form the person reviewed: sent (the engine asks first, and the runner
 * sends only once the server has `submitting` on record, as for any run:
 * docs/server.md Additions), or not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-runner-private.h"

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
      /* The engine asks before it presses send, as for any run
       * (on_ready_to_send() in jsw-runner.c). */
      jsw_apply_run_send_reviewed (self->run, self->cancellable, _jsw_runner_run_done, g_object_ref (self));
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
