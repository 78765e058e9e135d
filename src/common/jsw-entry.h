/* jsw-entry.h: one queue entry, the unit of work of the whole system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jsw-job.h"
#include "jsw-types.h"

G_BEGIN_DECLS

#define JSW_TYPE_ENTRY (jsw_entry_get_type ())

/* An ENTRY of PROTOCOL.md. Plain fields, like Epiphany's EphyHistoryURL:
 * it is a value passed between the store, the wire and the views. */
typedef struct {
  char      *id;
  char      *user_id;      /* server side only; never on the wire */
  char      *job_id;
  JswTarget  target;
  JswState   state;
  gint64     attempt;

  gint64     percent;
  JswStep    step;
  char      *message;

  gboolean   claimed;
  char      *claimed_device;
  JswKind    claimed_kind;

  gboolean   has_result;
  JswOutcome outcome;
  char      *confirmation;
  char      *error;
  char      *screenshot_sha256;

  gint64     created_at;   /* µs since the epoch */
  gint64     updated_at;

  /* The snapshot, parsed; or only its JSON text, which the server passes
   * through without parsing (see jsw_entry_to_json()). */
  JswJob    *snapshot;
  char      *snapshot_json;
} JswEntry;

GType     jsw_entry_get_type          (void) G_GNUC_CONST;
JswEntry *jsw_entry_new               (void);
JswEntry *jsw_entry_ref               (JswEntry    *entry);
void      jsw_entry_unref             (JswEntry    *entry);
JsonNode *jsw_entry_to_json_node      (JswEntry    *entry);
char     *jsw_entry_to_json           (JswEntry    *entry);
char     *jsw_entry_to_json_without_snapshot (JswEntry   *entry);
char     *jsw_entry_json_add_snapshot (const char  *entry_json,
                                       const char  *snapshot_json);
JswEntry *jsw_entry_new_from_object   (JsonObject  *object,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswEntry, jsw_entry_unref)

G_END_DECLS
