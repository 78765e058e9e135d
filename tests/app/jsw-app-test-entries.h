/* jsw-app-test-entries.h: queue entries as the server sends them, for the
 * app's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-common.h"

/* An ENTRY of PROTOCOL.md, parsed by the same codec the stream uses.
 * @created_s: seconds since the epoch. */
static inline JswEntry *
test_entry_new (const char *id,
                const char *state,
                const char *target,
                gint64      created_s,
                int         percent)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (created_s);
  g_autofree char *stamp = g_date_time_format_iso8601 (created);
  g_autofree char *json = g_strdup_printf (
    "{\"id\":\"%s\",\"job_id\":\"job-%s\",\"target\":\"%s\",\"state\":\"%s\",\"attempt\":1,"
    "\"progress\":{\"percent\":%d,\"step\":null,\"message\":null},\"claimed_by\":null,\"result\":null,"
    "\"created_at\":\"%s\",\"updated_at\":\"%s\","
    "\"snapshot\":{\"job_id\":\"job-%s\",\"title\":\"Engineer %s\",\"company\":\"Lumen Labs\","
    "\"apply_url\":\"https://jobs.example.org/%s\"}}",
    id, id, target, state, percent, stamp, stamp, id, id, id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  JswEntry *entry;

  g_assert_nonnull (node);
  entry = jsw_entry_new_from_object (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return entry;
}
