/* jsw-source-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-log.h"
#include "jsw-source-fetch.h"

void
jsw_source_fetch_clear (JswSourceFetch *fetch)
{
  g_clear_pointer (&fetch->postings, g_ptr_array_unref);
  g_clear_pointer (&fetch->etag, g_free);
  g_clear_pointer (&fetch->last_modified, g_free);
}

/* One posting's details (Greenhouse's questions). A failure costs the
 * posting its details this time, never its place: it is kept without
 * them, and without a version, so the next sync asks again. */
static void
fetch_detail (JswBoardClient        *client,
              const JswSourceKind   *kind,
              const JswSourceConfig *config,
              JswPosting            *posting,
              GCancellable          *cancellable,
              JswSourceFetch        *fetch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswBoardAnswer) answer = NULL;
  g_autofree char *url = kind->detail_url (config, posting);
  gsize length;
  const char *body;

  fetch->requests++;
  answer = jsw_board_client_get (client, url, NULL, NULL, cancellable, &error);
  if (answer != NULL && answer->body != NULL)
    {
      body = g_bytes_get_data (answer->body, &length);
      if (kind->parse_detail (config, posting, body, length, &error))
        return;
    }
  else if (error == NULL)
    g_set_error_literal (&error, JSW_ERROR, JSW_ERROR_INVALID, _("The board sent no body"));

  fetch->detail_errors++;
  g_clear_pointer (&posting->version, g_free);
  jsw_log (JSW_LOG_WARNING, NULL, "source.detail_failed", "kind", 's', config->kind,
           "board", 's', config->board, "url", 's', url, "message", 's', error->message, NULL);
}

/* Leaves out, and counts in fetch->skipped, each posting that cannot be
 * kept: one that makes no JOB (a title over JOB's limits, say: the store
 * would refuse it) and a second posting with the job_id of one already
 * read (an id sent once as 3 and once as "3"). Every posting the board
 * lists is so either kept or counted, never lost without a word. */
static void
leave_out_unkeepable (const JswSourceConfig *config,
                      JswSourceFetch        *fetch)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < fetch->postings->len;)
    {
      JswPosting *posting = fetch->postings->pdata[i];
      g_autofree char *job_id = jsw_posting_dup_job_id (posting);
      g_autoptr(GError) error = NULL;
      g_autofree char *job = NULL;

      if (g_hash_table_contains (seen, job_id))
        g_set_error (&error, JSW_ERROR, JSW_ERROR_INVALID, _("The board lists this posting twice"));
      else
        job = jsw_posting_to_job_json (posting, &error);
      if (job == NULL)
        {
          fetch->skipped++;
          jsw_log (JSW_LOG_WARNING, NULL, "source.posting_skipped", "kind", 's', config->kind,
                   "board", 's', config->board, "job_id", 's', job_id, "message", 's', error->message, NULL);
          g_ptr_array_remove_index (fetch->postings, i);
          continue;
        }
      g_hash_table_add (seen, g_steal_pointer (&job_id));
      i++;
    }
}

/**
 * jsw_source_fetch:
 * @etag: (nullable): the list's ETag at the last sync (If-None-Match)
 * @last_modified: (nullable): its Last-Modified (If-Modified-Since)
 * @known: (nullable): tells which postings need no details fetched
 * @fetch: (out caller-allocates): the postings, or none if unchanged;
 *   clear with jsw_source_fetch_clear()
 * @error: the list could not be had or read (jsw_board_client_get(), or
 *   JSW_ERROR_INVALID with what is wrong in the body): the caller keeps
 *   the source's postings as they are
 *
 * Fetches the board's list, reads it with the source's kind, and fetches
 * the details of every posting new or changed since the store saw it.
 */
gboolean
jsw_source_fetch (JswBoardClient         *client,
                  const JswSourceConfig  *config,
                  const char             *etag,
                  const char             *last_modified,
                  JswKnownVersionFunc     known,
                  gpointer                known_data,
                  GCancellable           *cancellable,
                  JswSourceFetch         *fetch,
                  GError                **error)
{
  const JswSourceKind *kind = jsw_source_kind_lookup (config->kind);
  g_autoptr(JswBoardAnswer) answer = NULL;
  g_autofree char *url = NULL;
  const char *body;
  gsize length;

  memset (fetch, 0, sizeof *fetch);
  if (kind == NULL)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("Unknown kind of source “%s”"), config->kind);
      return FALSE;
    }

  url = kind->list_url (config);
  fetch->requests++;
  answer = jsw_board_client_get (client, url, etag, last_modified, cancellable, error);
  if (answer == NULL)
    return FALSE;
  fetch->etag = g_strdup (answer->etag);
  fetch->last_modified = g_strdup (answer->last_modified);
  if (answer->body == NULL)
    return TRUE;

  body = g_bytes_get_data (answer->body, &length);
  fetch->postings = kind->parse_list (config, body, length, &fetch->skipped, error);
  if (fetch->postings == NULL)
    {
      jsw_source_fetch_clear (fetch);
      return FALSE;
    }
  g_clear_pointer (&answer, jsw_board_answer_free);
  leave_out_unkeepable (config, fetch);

  if (kind->detail_url == NULL)
    return TRUE;
  for (guint i = 0; i < fetch->postings->len; i++)
    {
      JswPosting *posting = fetch->postings->pdata[i];
      g_autofree char *job_id = jsw_posting_dup_job_id (posting);

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (posting->version != NULL && known != NULL && known (job_id, posting->version, known_data))
        continue;
      fetch_detail (client, kind, config, posting, cancellable, fetch);
    }
  return TRUE;
}
