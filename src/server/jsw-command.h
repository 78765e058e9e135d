/* jsw-command.h: a jobswipe-server subcommand, and what subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-store.h"

G_BEGIN_DECLS

/* One subcommand: a line of `commands` in main.c, which gives every one
 * the same setup (run_command()). */
typedef struct {
  const char         *words[2];   /* one or two words; the second may be NULL */
  const char         *synopsis;   /* N_(): --help's summary line */
  const GOptionEntry *options;    /* (nullable): its own, beside --db, --database-url and --log-level */
  /* Checks what it was given (argv[0] is its last word), before anything
   * is opened; FALSE with the usage problem, or NULL for the plain help. */
  gboolean          (*check) (int argc, char **argv, const char **problem);
  /* Runs it on the opened store; returns the exit status. */
  int               (*run)   (JswStore *store, int argc, char **argv);
  gboolean            raise_fd_limit;
} JswCommand;

/* Exit statuses: 0 done, 1 failed, 2 usage error. */
#define JSW_COMMAND_EXIT_USAGE 2

/* --db (or --database-url) and --log-level, which every subcommand takes */
extern const GOptionEntry jsw_command_common_options[];
extern char              *jsw_command_log_level;

char       *jsw_command_db_path        (void);
const char *jsw_command_database_url   (void);
gboolean    jsw_command_check_database (const char **problem);
JswStore *jsw_command_open_store (GError      **error);
int       jsw_command_fail       (const GError *error);
void      jsw_command_print_json (JsonBuilder  *builder);

/* jsw-command-accounts.c */
extern const JswCommand jsw_command_user_add;
extern const JswCommand jsw_command_user_set_plan;
extern const JswCommand jsw_command_token_add;
extern const JswCommand jsw_command_worker_token_add;
/* jsw-command-plans.c */
extern const JswCommand jsw_command_plan;
extern const JswCommand jsw_command_usage_report;
/* jsw-command-sources.c */
extern const JswCommand jsw_command_source;
/* jsw-command-serve.c */
extern const JswCommand jsw_command_serve;

G_END_DECLS
