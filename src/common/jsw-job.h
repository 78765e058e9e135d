/* jsw-job.h: the frozen snapshot of a job posting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JSW_TYPE_JOB (jsw_job_get_type ())

/* The largest snapshot (the JOB's JSON text as stored) in bytes that the
 * server takes in a swipe: a posting with a long description is a few KiB;
 * this keeps what one swipe can make the server store proportional to a
 * real posting (issue 8). Readers of stored entries do not check it. */
#define JSW_MAX_SNAPSHOT_SIZE (64 * 1024)

/* A JOB as PROTOCOL.md defines it. The snapshot is stored exactly as the
 * client sent it (unknown members included); the struct only exposes the
 * validated members the code needs. Immutable once made. */
typedef struct {
  const char *job_id;
  const char *title;
  const char *company;
  const char *apply_url;
  /*< private >*/
  JsonNode   *root;
  char       *json;
} JswJob;

GType   jsw_job_get_type       (void) G_GNUC_CONST;
JswJob *jsw_job_new_from_object (JsonObject   *object,
                                 GError      **error);
JswJob *jsw_job_new_from_json   (const char   *json,
                                 GError      **error);
JswJob *jsw_job_ref             (JswJob       *job);
void    jsw_job_unref           (JswJob       *job);
const char *jsw_job_get_json    (JswJob       *job);
JsonNode   *jsw_job_get_node    (JswJob       *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswJob, jsw_job_unref)

G_END_DECLS
