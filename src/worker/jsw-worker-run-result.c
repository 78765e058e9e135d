/* jsw-worker-run-result.c: a server-side run's result
 *
 * What the engine concluded, sent with the SHA-256 of the last page's
 * picture (kept in the screenshot folder when there is one); a run the
 * guard refused, stopped or whose proxy failed under it is failed or
 * released instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-log.h"
#include "jsw-worker-run-private.h"

static char *
missing_text (JswApplyResult *result)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < result->missing->len; i++)
    g_string_append_printf (text, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (result->missing, i));
  return g_string_free (text, FALSE);
}

static void
report_engine_result (JswWorkerRun *self,
                      const char   *screenshot_sha256)
{
  JswApplyResult *result = self->result;
  g_autofree char *missing = missing_text (result);

  jsw_worker_run_report (self, result->outcome, result->confirmation,
          result->outcome == JSW_OUTCOME_NEEDS_USER && *missing ? missing : result->error,
          screenshot_sha256);
}

/* The picture's PNG, its SHA-256 and the kept file, made in a thread of
 * GLib's pool: encoding a desktop-sized page takes some 40 ms of CPU, which
 * on the main thread would hold up every other run's page as long. */
typedef struct {
  GdkTexture *texture;    /* a memory texture: readable from any thread */
  char       *path;       /* where to keep it, or NULL */
  char       *sha256;     /* out */
  char       *not_kept;   /* out: why the file could not be written */
} Picture;

static void
picture_free (Picture *picture)
{
  g_clear_object (&picture->texture);
  g_free (picture->path);
  g_free (picture->sha256);
  g_free (picture->not_kept);
  g_free (picture);
}

static void
encode_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Picture *picture = task_data;
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (picture->texture);
  g_autoptr(GError) error = NULL;

  picture->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  if (picture->path != NULL &&
      !g_file_set_contents_full (picture->path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0640, &error))
    picture->not_kept = g_strdup (error->message);
  g_task_return_boolean (task, TRUE);
}

static void
picture_encoded (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  JswWorkerRun *self = JSW_WORKER_RUN (source);
  Picture *picture = g_task_get_task_data (G_TASK (res));

  if (picture->not_kept != NULL)
    jsw_log (JSW_LOG_WARNING, self->entry->id, "run.screenshot_not_kept", "why", 's', picture->not_kept, NULL);
  report_engine_result (self, picture->sha256);
}

/* A texture the thread may read: the snapshot itself when WebKit made it
 * in memory (a page drawn without OpenGL, as in SERVER mode), or else
 * copied into memory here, on the main thread. Not copying a memory
 * texture spares a desktop-sized picture (1280 x 900 x 4 bytes, 4.4 MiB,
 * more for a long page) per run at its end. */
static GdkTexture *
readable_anywhere (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  guchar *data;
  g_autoptr(GBytes) bytes = NULL;

  if (GDK_IS_MEMORY_TEXTURE (texture))
    return g_object_ref (texture);
  data = g_malloc (stride * height);
  gdk_texture_download (texture, data, stride);
  bytes = g_bytes_new_take (data, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
snapshot_taken (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), res, &error);
  g_autoptr(GTask) task = NULL;
  Picture *picture;

  if (texture == NULL)
    {
      jsw_log (JSW_LOG_WARNING, self->entry->id, "run.no_screenshot", "why", 's', error->message, NULL);
      report_engine_result (self, NULL);
      return;
    }
  picture = g_new0 (Picture, 1);
  picture->texture = readable_anywhere (texture);
  if (self->screenshot_dir != NULL)
    {
      g_autofree char *name = g_strconcat (self->entry->id, ".png", NULL);

      picture->path = g_build_filename (self->screenshot_dir, name, NULL);
    }
  /* The task holds the run (its source object) until the picture is done. */
  task = g_task_new (self, NULL, picture_encoded, NULL);
  g_task_set_task_data (task, picture, (GDestroyNotify) picture_free);
  g_task_run_in_thread (task, encode_in_thread);
}

void
jsw_worker_run_applied (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(JswWorkerRun) self = user_data;
  g_autoptr(GError) error = NULL;

  self->result = jsw_apply_run_finish (JSW_APPLY_RUN (source), res, &error);
  if (g_error_matches (error, JSW_APPLY_RUN_ERROR, JSW_APPLY_RUN_ERROR_NOT_SENT))
    {
      /* `submitting` was not on record, so the engine did not send: given
       * back, for the server to decide from its own record. */
      jsw_worker_run_release (self, error->message);
      return;
    }
  if (self->refusal != NULL && (self->result == NULL || self->result->outcome != JSW_OUTCOME_SUBMITTED))
    {
      jsw_worker_run_report (self, JSW_OUTCOME_FAILED, NULL, self->refusal, NULL);
      return;
    }
  if (self->result == NULL)
    {
      /* Stopped (draining, or its proxy failed), or the engine itself
       * failed: given back. Past submitting the server makes it
       * needs_review. */
      jsw_worker_run_release (self, self->stop_reason ? self->stop_reason : error->message);
      return;
    }
  if (self->stop_reason != NULL && self->step < JSW_STEP_SUBMITTING)
    {
      /* Its proxy failed under it: whatever the engine concluded came from
       * a broken way out, not from the site. */
      jsw_worker_run_release (self, self->stop_reason);
      return;
    }
  webkit_web_view_get_snapshot (self->view, WEBKIT_SNAPSHOT_REGION_FULL_DOCUMENT, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                NULL, snapshot_taken, g_object_ref (self));
}
