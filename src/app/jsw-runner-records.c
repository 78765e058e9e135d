/* jsw-runner-records.c
 *
 * What a run leaves on this computer for the person and the history: the
 * record of its blockers and what it filled in, the picture of its last
 * page, and the answers the person gave for its next run only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "jsw-json.h"
#include "jsw-runner-private.h"

/* What a run of @entry_id left for the person and for the history, kept
 * beside the picture of its last page so that a window opened later, or
 * the app started again, shows it:
 * {"blockers": [JswBlocker as jsw_blocker_add_json() writes it],
 *  "filled": [{"label", "value"}: what the form held where it was filled]} */
static char *
record_path (const char *entry_id)
{
  g_autofree char *name = g_strconcat (entry_id, ".json", NULL);

  return g_build_filename (g_get_user_data_dir (), "jobswipe", "runs", name, NULL);
}

void
_jsw_runner_keep_record (JswRunner      *self,
                         const char     *entry_id,
                         JswApplyResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = record_path (entry_id);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  JsonNode *root;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "blockers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->blockers->len; i++)
    jsw_blocker_add_json (g_ptr_array_index (result->blockers, i), builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "filled");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (result->values); i++)
    json_builder_add_value (builder, json_node_copy (json_array_get_element (result->values, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = jsw_json_node_to_string (root);
  g_hash_table_replace (self->records, g_strdup (entry_id), root);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (path, text, -1, &error))
    g_warning ("Cannot keep what the run of %s left: %s", entry_id, error ? error->message : g_strerror (errno));
}

/**
 * jsw_runner_dup_record:
 *
 * What the last run of @entry_id on this computer left: the blockers it
 * handed to the person and what it filled in, from memory or, after a
 * restart, from disk. Returns: (transfer full) (nullable): a JSON object
 * {"blockers": [...], "filled": [...]}, or NULL when none ran here
 */
JsonNode *
jsw_runner_dup_record (JswRunner  *self,
                       const char *entry_id)
{
  JsonNode *node = g_hash_table_lookup (self->records, entry_id);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  /* Read from disk once; a JSON null stands for "none". */
  if (node != NULL)
    return JSON_NODE_HOLDS_OBJECT (node) ? json_node_copy (node) : NULL;
  path = record_path (entry_id);
  if (g_file_get_contents (path, &text, NULL, NULL))
    node = jsw_json_parse (text, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      g_hash_table_replace (self->records, g_strdup (entry_id), json_node_new (JSON_NODE_NULL));
      return NULL;
    }
  g_hash_table_replace (self->records, g_strdup (entry_id), json_node_copy (node));
  return node;
}

/**
 * jsw_runner_answer_once:
 * @answers: question -> answer (strings), for @entry_id's next run only
 *
 * The person answered and chose not to remember the answers: they go to
 * that one run, not into the saved answers.
 */
void
jsw_runner_answer_once (JswRunner  *self,
                        const char *entry_id,
                        GHashTable *answers)
{
  g_hash_table_replace (self->once, g_strdup (entry_id), g_hash_table_ref (answers));
}

/* The person is done with @entry_id (cancelled, or sent): its parked page
 * and what its run left for them go. */
void
jsw_runner_forget (JswRunner  *self,
                   const char *entry_id)
{
  g_autofree char *path = record_path (entry_id);

  _jsw_runner_forget_parked (self, entry_id);
  g_hash_table_remove (self->records, entry_id);
  g_unlink (path);
}

/* A new run of @entry_id starts: what the run before left is of the past. */
void
_jsw_runner_clear_record (JswRunner  *self,
                          const char *entry_id)
{
  g_autofree char *path = record_path (entry_id);

  g_unlink (path);
  g_hash_table_replace (self->records, g_strdup (entry_id), json_node_new (JSON_NODE_NULL));
}

/* Where the picture of an application's last page is kept: the history
 * shows it, and the result carries its SHA-256
 * (jsw_browser_save_last_page_async()). */
char *
jsw_runner_screenshot_path (const char *entry_id)
{
  g_autofree char *name = g_strconcat (entry_id, ".png", NULL);

  return g_build_filename (g_get_user_data_dir (), "jobswipe", "screenshots", name, NULL);
}

/* The last run of @entry_id here ended with the site saying what it
 * refused or what blocks it (its blockers): nothing was accepted, so a
 * new attempt, which the person asked for, cannot apply twice, even when
 * that run had pressed the send button. */
gboolean
_jsw_runner_refused_last_time (JswRunner  *self,
                               const char *entry_id)
{
  g_autoptr(JsonNode) record = jsw_runner_dup_record (self, entry_id);
  JsonArray *blockers = NULL;

  if (record != NULL)
    jsw_json_get_array (json_node_get_object (record), "blockers", 0, &blockers, NULL);
  return blockers != NULL && json_array_get_length (blockers) > 0;
}
