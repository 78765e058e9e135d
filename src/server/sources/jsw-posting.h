/* jsw-posting.h: one posting of a job board, normalised
 *
 * What every source kind makes of its vendor's shape, and what the store
 * keeps and the feed serves: the JOB of PROTOCOL.md (docs/server.md "The
 * job feed" gives each member's rule), plus the form's questions where the
 * board publishes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char      *kind;             /* "greenhouse" */
  char      *board;            /* "acme" */
  char      *external_id;      /* the posting's id at the source */
  char      *title;
  char      *company;
  char      *apply_url;
  char      *source_url;       /* the posting's page on the board */
  GPtrArray *locations;        /* of char*, in the board's order, no repeats */
  gboolean   remote;
  char      *department;
  char      *description;      /* clean text (jsw_html_to_text) */
  char      *employment_type;  /* full_time, part_time, ... or NULL */
  gint64     posted_at;        /* µs since the epoch; 0 when unknown */
  gboolean   has_salary_min;
  gboolean   has_salary_max;
  double     salary_min;
  double     salary_max;
  char      *salary_currency;  /* ISO 4217, or NULL */
  char      *salary_interval;  /* year, month, week, day, hour, or NULL */
  char      *salary_text;      /* as the board words it, when it gives no numbers */
  char      *version;          /* changes when the board changes the posting */
  JsonNode  *questions;        /* array of QUESTION; NULL when unknown */
} JswPosting;

JswPosting *jsw_posting_new                  (const char  *kind,
                                              const char  *board,
                                              const char  *external_id);
void        jsw_posting_free                 (JswPosting  *posting);
char       *jsw_posting_dup_job_id           (const JswPosting *posting);
void        jsw_posting_add_location         (JswPosting  *posting,
                                              const char  *location);
void        jsw_posting_set_description_html (JswPosting  *posting,
                                              const char  *html);
void        jsw_posting_set_employment_type  (JswPosting  *posting,
                                              const char  *words);
gboolean    jsw_posting_set_posted_at        (JswPosting  *posting,
                                              const char  *rfc3339);
void        jsw_posting_set_salary_interval  (JswPosting  *posting,
                                              const char  *words);
char       *jsw_posting_dup_salary_text      (const JswPosting *posting);
JsonNode   *jsw_posting_to_job_node          (const JswPosting *posting);
char       *jsw_posting_to_job_json          (const JswPosting *posting,
                                              GError     **error);
gboolean    jsw_posting_mentions_remote      (const char  *text);
char       *jsw_posting_normalise_key        (const char  *text);
char       *jsw_posting_dup_key              (const JswPosting *posting);

/* What a store keeps of a posting beside its title and description. */
typedef struct {
  char *job_id;
  char *job_json;
  char *questions_json;  /* NULL when unknown */
  char *content_sha;
  char *dup_key;
  char *company_key;
  char *locations_key;
} JswPostingRow;

gboolean    jsw_posting_row_init             (JswPostingRow     *row,
                                              const JswPosting  *posting,
                                              GError           **error);
void        jsw_posting_row_clear            (JswPostingRow     *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswPosting, jsw_posting_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JswPostingRow, jsw_posting_row_clear)

G_END_DECLS
