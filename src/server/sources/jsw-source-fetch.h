/* jsw-source-fetch.h: one source's postings, fetched and read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-board-client.h"
#include "jsw-source-kind.h"

G_BEGIN_DECLS

/* Whether the store holds @job_id at @version with its details already:
 * then they are not fetched again. */
typedef gboolean (*JswKnownVersionFunc) (const char *job_id,
                                         const char *version,
                                         gpointer    user_data);

typedef struct {
  GPtrArray *postings;       /* of JswPosting; NULL when the board said 304 */
  guint      skipped;        /* postings left out as unreadable */
  guint      detail_errors;  /* postings whose details could not be had */
  guint      requests;
  char      *etag;           /* the list's validators, for the next sync */
  char      *last_modified;
} JswSourceFetch;

void     jsw_source_fetch_clear (JswSourceFetch         *fetch);
gboolean jsw_source_fetch       (JswBoardClient         *client,
                                 const JswSourceConfig  *config,
                                 const char             *etag,
                                 const char             *last_modified,
                                 JswKnownVersionFunc     known,
                                 gpointer                known_data,
                                 GCancellable           *cancellable,
                                 JswSourceFetch         *fetch,
                                 GError                **error);

G_END_DECLS
