/* main.c: the jobswipe-server command line
 *
 * Each subcommand prints one JSON object on stdout (PROTOCOL.md); errors go
 * to stderr with exit status 1, usage errors with 2. Every subcommand
 * opens the database itself, so they all work beside a running server.
 *
 * The subcommands share one setup (run_command()): their options beside
 * the common --db (or --database-url) and --log-level, what they were given checked before
 * anything is opened, then the store opened. A subcommand is a JswCommand
 * (its words, options, a check and a run function) in the
 * jsw-command-*.c file of its kind, and a line in `commands`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/resource.h>

#include "jsw-command.h"
#include "jsw-log.h"

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (message != NULL)
    g_printerr ("jobswipe-server: %s\n\n", message);
  g_printerr ("%s", help);
  return JSW_COMMAND_EXIT_USAGE;
}

/* Every stream is a file descriptor; the soft limit of 1,024 would cap a
 * server far below what it can hold. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* The subcommands */


/* Every subcommand, in the order --help lists them; a new one is a line
 * here and a JswCommand in a jsw-command-*.c file. */
static const JswCommand *commands[] = {
  &jsw_command_user_add,
  &jsw_command_user_set_plan,
  &jsw_command_token_add,
  &jsw_command_worker_token_add,
  &jsw_command_plan,
  &jsw_command_source,
  &jsw_command_usage_report,
  &jsw_command_serve,
};

/* The setup every subcommand shares: options parsed (its own, --db or
 * --database-url, and --log-level), the log level set, what it was given checked, the store
 * opened; then the command runs. */
static int
run_command (const JswCommand  *command,
             int             argc,
             char          **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_(command->synopsis));
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = NULL;
  const char *problem = NULL;

  if (command->options != NULL)
    g_option_context_add_main_entries (context, command->options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, jsw_command_common_options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);

  if (jsw_command_log_level != NULL)
    {
      JswLogLevel level;

      if (!jsw_log_level_from_string (jsw_command_log_level, &level))
        return usage (context, _("Unknown log level"));
      jsw_log_set_level (level);
    }

  if (!command->check (argc, argv, &problem) || !jsw_command_check_database (&problem))
    return usage (context, problem);

  if (command->raise_fd_limit)
    raise_fd_limit ();
  store = jsw_command_open_store (&error);
  if (store == NULL)
    return jsw_command_fail (error);
  return command->run (store, argc, argv);
}

static gboolean
command_named (const JswCommand  *command,
               int             argc,
               char          **argv)
{
  if (command->words[1] == NULL)
    return argc >= 2 && g_str_equal (argv[1], command->words[0]);
  return argc >= 3 && g_str_equal (argv[1], command->words[0]) && g_str_equal (argv[2], command->words[1]);
}

static int
print_main_usage (void)
{
  g_printerr ("%s",
              _("Usage: jobswipe-server COMMAND [OPTIONS] [--db PATH | --database-url URL]\n"
                "\n"
                "Commands:\n"
                "  serve [--listen HOST:PORT]               run the queue server\n"
                "  user add EMAIL [--plan P] [--password-stdin]\n"
                "                                           create a user and a first device token\n"
                "  user set-plan EMAIL PLAN [--status S]    change a user’s plan\n"
                "  token add EMAIL --device NAME            a token for another device\n"
                "  worker-token add NAME                    a token for a server-side worker\n"
                "  plan list | plan set NAME [--daily N] …  show or change the plans\n"
                "  source add KIND BOARD [--company NAME] [--base-url URL]\n"
                "                                           sync a job board’s postings into the feed\n"
                "  source list | source remove ID | source sync [ID]\n"
                "                                           show, remove or sync the job sources now\n"
                "  usage report [--month YYYY-MM] [--format json|table]\n"
                "                                           users, applications and revenue per plan\n"
                "\n"
                "The database defaults to $JOBSWIPE_DB, else ~/.local/share/jobswipe-server/jobswipe.db;\n"
                "--database-url (or $JOBSWIPE_DATABASE_URL) names a PostgreSQL database instead,\n"
                "which several server processes may share.\n"));
  return JSW_COMMAND_EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Each command's parser sees its last word in argv[0]. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (command_named (commands[i], argc, argv))
      {
        guint shift = commands[i]->words[1] != NULL ? 2 : 1;

        return run_command (commands[i], argc - shift, argv + shift);
      }

  return print_main_usage ();
}
