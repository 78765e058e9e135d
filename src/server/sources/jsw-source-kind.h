/* jsw-source-kind.h: what one kind of job board (Greenhouse, Lever, ...)
 * needs to be synced
 *
 * One kind is one small module (jsw-source-<kind>.c) filling this table:
 * the URL of a board's list of postings, how to read its answer into
 * normalised postings (JswPosting), and, for boards that publish more per
 * posting (Greenhouse's questions), the URL of a posting's details and how
 * to read them. The modules only build URLs and read bodies: fetching,
 * schedules, storage and errors of the network are the syncer's
 * (jsw-source-syncer.c), the same for every kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jsw-posting.h"

G_BEGIN_DECLS

/* A source as an operator added it (`jobswipe-server source add`). */
typedef struct {
  const char *kind;
  const char *board;     /* the board's token at the vendor: "acme" */
  const char *company;   /* NULL: the name the board publishes, else the board */
  const char *base_url;  /* where the vendor's API is, without a trailing '/' */
} JswSourceConfig;

typedef struct {
  const char *name;
  /* The vendor's API; "{board}" stands for the board (Personio has one host
   * per company). A source may name another (tests, a proxy). */
  const char *default_base_url;

  /* The board's list of open postings. */
  char      *(*list_url)     (const JswSourceConfig  *config);
  /* Returns: (element-type JswPosting) the postings of a list, each with
   * what the list gives; NULL and JSW_ERROR_INVALID when the body is not
   * the vendor's shape at all. A posting that is unreadable alone is left
   * out (and counted in @skipped) rather than failing the board. */
  GPtrArray *(*parse_list)   (const JswSourceConfig  *config,
                              const char             *body,
                              gsize                   length,
                              guint                  *skipped,
                              GError                **error);
  /* Optional: the URL of one posting's details, read by parse_detail into
   * the same posting. NULL when the kind has none. */
  char      *(*detail_url)   (const JswSourceConfig  *config,
                              const JswPosting       *posting);
  gboolean   (*parse_detail) (const JswSourceConfig  *config,
                              JswPosting             *posting,
                              const char             *body,
                              gsize                   length,
                              GError                **error);
} JswSourceKind;

const JswSourceKind *jsw_source_kind_lookup  (const char            *name);
const char * const  *jsw_source_kind_names   (void);
char                *jsw_source_config_base  (const JswSourceConfig *config);
gboolean             jsw_source_valid_board  (const char            *board);

/* Shared by the JSON kinds. */
JsonNode            *jsw_source_parse_json   (const char            *body,
                                              gsize                  length,
                                              GError               **error);
const char          *jsw_source_member_string (JsonObject           *object,
                                               const char           *name);
gboolean             jsw_source_member_number (JsonObject           *object,
                                               const char           *name,
                                               double               *value);
gboolean             jsw_source_member_true   (JsonObject           *object,
                                               const char           *name);
char                *jsw_source_member_id     (JsonObject           *object,
                                               const char           *name);

/* Reads one posting of a list; NULL when it cannot be read, or (with
 * *unlisted set) when the board says it is not for listing. */
typedef JswPosting *(*JswReadPostingFunc) (const JswSourceConfig *config,
                                           JsonObject            *object,
                                           gboolean              *unlisted);

GPtrArray           *jsw_source_read_postings (const JswSourceConfig *config,
                                               JsonArray            *items,
                                               JswReadPostingFunc    read,
                                               guint                *skipped);
JsonArray           *jsw_source_list_member   (JsonNode             *root,
                                               const char           *member);

extern const JswSourceKind jsw_source_greenhouse;
extern const JswSourceKind jsw_source_lever;
extern const JswSourceKind jsw_source_ashby;
extern const JswSourceKind jsw_source_personio;

G_END_DECLS
