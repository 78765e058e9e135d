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

/* Keeps @root (an object, or JSON null for none) as @entry_id's record,
 * in memory and on disk. */
static void
store_record (JswRunner  *self,
              const char *entry_id,
              JsonNode   *root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = record_path (entry_id);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  g_hash_table_replace (self->records, g_strdup (entry_id), root);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_unlink (path);
      return;
    }
  text = jsw_json_node_to_string (root);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (path, text, -1, &error))
    g_warning ("Cannot keep what the run of %s left: %s", entry_id, error ? error->message : g_strerror (errno));
}

/* The answers given for the next run only, if any: the record's
 * "answers", {question: answer}. */
static JsonObject *
answers_of (JsonNode *record)
{
  JsonObject *answers = NULL;

  if (record != NULL)
    jsw_json_get_object (json_node_get_object (record), "answers", 0, &answers, NULL);
  return answers;
}

void
_jsw_runner_keep_record (JswRunner      *self,
                         const char     *entry_id,
                         JswApplyResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

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
  /* The answers for this run were used by it: they are not kept on. */
  store_record (self, entry_id, json_builder_get_root (builder));
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
 * that one run, not into the saved answers. They are kept in the entry's
 * record (its "answers") until a run of it ends, so that the app stopped
 * before or during that run still has them.
 */
void
jsw_runner_answer_once (JswRunner  *self,
                        const char *entry_id,
                        GHashTable *answers)
{
  JsonNode *record = jsw_runner_dup_record (self, entry_id);
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer question, answer;

  if (record == NULL)
    record = json_node_init_object (json_node_alloc (), json_object_new ());
  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &question, &answer))
    json_object_set_string_member (object, question, answer);
  json_object_set_object_member (json_node_get_object (record), "answers", object);
  store_record (self, entry_id, record);
}

/**
 * _jsw_runner_dup_answers_once:
 *
 * Returns: (transfer full) (nullable): question -> answer, what the person
 *   gave for the next run of @entry_id only (jsw_runner_answer_once())
 */
GHashTable *
_jsw_runner_dup_answers_once (JswRunner  *self,
                              const char *entry_id)
{
  g_autoptr(JsonNode) record = jsw_runner_dup_record (self, entry_id);
  JsonObject *answers = answers_of (record);
  GHashTable *table;
  JsonObjectIter iter;
  const char *question;
  JsonNode *answer;

  if (answers == NULL || json_object_get_size (answers) == 0)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, answers);
  while (json_object_iter_next (&iter, &question, &answer))
    if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_STRING)
      g_hash_table_insert (table, g_strdup (question), g_strdup (json_node_get_string (answer)));
  return table;
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

/* A new run of @entry_id starts: what the run before left is of the past,
 * but for the answers given for this run (kept until it ends). */
void
_jsw_runner_clear_record (JswRunner  *self,
                          const char *entry_id)
{
  g_autoptr(JsonNode) record = jsw_runner_dup_record (self, entry_id);
  JsonObject *answers = answers_of (record);
  JsonNode *kept;

  if (answers == NULL)
    {
      store_record (self, entry_id, json_node_new (JSON_NODE_NULL));
      return;
    }
  kept = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_object_member (json_node_get_object (kept), "answers", json_object_ref (answers));
  store_record (self, entry_id, kept);
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
