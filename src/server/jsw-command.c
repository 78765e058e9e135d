/* jsw-command.c: what jobswipe-server's subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jsw-command.h"
#include "jsw-pg-store.h"
#include "jsw-sqlite-store.h"

/* The options every subcommand takes */
static char *opt_db;
static char *opt_database_url;
char *jsw_command_log_level;

const GOptionEntry jsw_command_common_options[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, N_("The SQLite database file"), N_("PATH") },
  { "database-url", 0, 0, G_OPTION_ARG_STRING, &opt_database_url, N_("A PostgreSQL database instead (postgresql://…)"), N_("URL") },
  { "log-level", 0, 0, G_OPTION_ARG_STRING, &jsw_command_log_level, N_("debug, info, warning or error (default info)"), N_("LEVEL") },
  { NULL }
};

/**
 * jsw_command_db_path:
 *
 * Returns: (transfer full): the database file: --db, else $JOBSWIPE_DB,
 *   else ~/.local/share/jobswipe-server/jobswipe.db
 */
char *
jsw_command_db_path (void)
{
  const char *env = g_getenv ("JOBSWIPE_DB");

  if (opt_db != NULL)
    return g_strdup (opt_db);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "jobswipe-server", "jobswipe.db", NULL);
}

/**
 * jsw_command_database_url:
 *
 * Returns: (nullable): the PostgreSQL database the store is on:
 *   --database-url, else $JOBSWIPE_DATABASE_URL unless --db names a file;
 *   %NULL for SQLite. Several server processes may share it.
 */
const char *
jsw_command_database_url (void)
{
  const char *env = g_getenv ("JOBSWIPE_DATABASE_URL");

  if (opt_database_url != NULL)
    return opt_database_url;
  if (opt_db == NULL && env != NULL && *env != '\0')
    return env;
  return NULL;
}

/**
 * jsw_command_check_database:
 *
 * Returns: %FALSE with the usage problem when both --db and
 *   --database-url were given
 */
gboolean
jsw_command_check_database (const char **problem)
{
  *problem = _("Give --db or --database-url, not both");
  return opt_db == NULL || opt_database_url == NULL;
}

/**
 * jsw_command_open_store:
 *
 * Opens the PostgreSQL database (jsw_command_database_url()), else
 * jsw_command_db_path(), making its folder if need be (0700).
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
JswStore *
jsw_command_open_store (GError **error)
{
  g_autofree char *path = jsw_command_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  gboolean own_folder = !g_file_test (dir, G_FILE_TEST_EXISTS);
  const char *env_db = g_getenv ("JOBSWIPE_DB");

  if (jsw_command_database_url () != NULL)
    return jsw_pg_store_open (jsw_command_database_url (), error);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create the folder “%s”"), dir);
      return NULL;
    }

  /* The default folder is ours alone: an older version may have left it
   * open to others. A folder named with --db may be shared (/tmp, say) and
   * is left as it is; the file itself is private either way. */
  if (opt_db == NULL && (env_db == NULL || *env_db == '\0'))
    own_folder = TRUE;
  if (own_folder && g_chmod (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot make the folder “%s” private"), dir);
      return NULL;
    }
  return jsw_sqlite_store_open (path, error);
}

/* Says why on stderr; returns the exit status of a failure. */
int
jsw_command_fail (const GError *error)
{
  g_printerr ("jobswipe-server: %s\n", error->message);
  return 1;
}

/* One JSON object on stdout: what every subcommand answers with
 * (PROTOCOL.md). */
void
jsw_command_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = jsw_json_node_to_string (root);

  g_print ("%s\n", text);
}
