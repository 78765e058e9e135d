/* jsw-command-accounts.c: the subcommands for users and tokens: user add,
 * user set-plan, token add, worker-token add
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "jsw-command.h"
#include "jsw-credentials.h"

static gboolean
valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0' && strlen (email) <= 320 &&
         g_utf8_validate (email, -1, NULL) && strpbrk (email, " \t\r\n") == NULL;
}

static char *
read_password_from_stdin (void)
{
  char buffer[1024];
  char *line = fgets (buffer, sizeof buffer, stdin);

  if (line == NULL)
    return NULL;
  g_strchomp (line);
  return g_strdup (line);
}

static char *
issue_token (JswStore    *store,
             const char  *user_id,
             JswKind      kind,
             const char  *device,
             GError     **error)
{
  g_autofree char *token = jsw_token_generate ();
  g_autofree char *hash = jsw_token_hash (token);

  if (!jsw_store_add_token (store, hash, user_id, kind, device, g_get_real_time (), error))
    return NULL;
  return g_steal_pointer (&token);
}

static int
print_token (const char *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  return 0;
}

/* user add EMAIL [--plan P] [--password-stdin] */

static char *opt_plan;
static gboolean opt_password_stdin;
static char *password;

static const GOptionEntry user_add_options[] = {
  { "plan", 0, 0, G_OPTION_ARG_STRING, &opt_plan, N_("free, basic, pro, premium or enterprise"), N_("PLAN") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin, N_("Read a password from standard input"), NULL },
  { NULL }
};

static gboolean
check_user_add (int          argc,
                char       **argv,
                const char **problem)
{
  if (argc != 2 || !valid_email (argv[1]))
    {
      *problem = _("Give one valid e-mail address");
      return FALSE;
    }
  if (!opt_password_stdin)
    return TRUE;

  password = read_password_from_stdin ();
  *problem = _("The password must have at least 8 characters");
  return password != NULL && strlen (password) >= 8;
}

static int
run_user_add (JswStore  *store,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *password_hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;

  if (password != NULL)
    {
      password_hash = jsw_password_hash (password, &error);
      if (password_hash == NULL)
        return jsw_command_fail (error);
    }
  user_id = jsw_store_create_user (store, argv[1], opt_plan ? opt_plan : "free", password_hash,
                                   g_get_real_time (), &error);
  if (user_id == NULL)
    return jsw_command_fail (error);
  token = issue_token (store, user_id, JSW_KIND_DESKTOP, "first device", &error);
  if (token == NULL)
    return jsw_command_fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  return 0;
}

/* user set-plan EMAIL PLAN [--status STATUS] */

static char *opt_status;

static const GOptionEntry user_set_plan_options[] = {
  { "status", 0, 0, G_OPTION_ARG_STRING, &opt_status, N_("The subscription status (default: active)"), N_("STATUS") },
  { NULL }
};

static gboolean
check_user_set_plan (int          argc,
                     char       **argv,
                     const char **problem)
{
  *problem = _("Give an e-mail address and a plan");
  return argc == 3;
}

static int
run_user_set_plan (JswStore  *store,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *user_id = NULL;
  const char *status = opt_status ? opt_status : "active";

  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL ||
      !jsw_store_set_subscription (store, user_id, argv[2], status, g_get_real_time (), &error))
    return jsw_command_fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, argv[2]);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  return 0;
}

/* token add EMAIL --device NAME */

static char *opt_device;

static const GOptionEntry token_add_options[] = {
  { "device", 0, 0, G_OPTION_ARG_STRING, &opt_device, N_("The device’s name"), N_("NAME") },
  { NULL }
};

static gboolean
check_token_add (int          argc,
                 char       **argv,
                 const char **problem)
{
  *problem = _("Give an e-mail address and --device NAME");
  return argc == 2 && opt_device != NULL && *opt_device != '\0';
}

static int
run_token_add (JswStore  *store,
               int        argc,
               char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;

  user_id = jsw_store_find_user (store, argv[1], NULL, &error);
  if (user_id == NULL)
    return jsw_command_fail (error);
  token = issue_token (store, user_id, JSW_KIND_DESKTOP, opt_device, &error);
  if (token == NULL)
    return jsw_command_fail (error);
  return print_token (token);
}

/* worker-token add NAME */

static gboolean
check_worker_token_add (int          argc,
                        char       **argv,
                        const char **problem)
{
  *problem = _("Give the worker’s name");
  return argc == 2 && *argv[1] != '\0';
}

static int
run_worker_token_add (JswStore  *store,
                      int        argc,
                      char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = issue_token (store, NULL, JSW_KIND_SERVER, argv[1], &error);

  if (token == NULL)
    return jsw_command_fail (error);
  return print_token (token);
}

const JswCommand jsw_command_user_add = {
  { "user", "add" }, N_("user add EMAIL — create a user and a first device token"),
  user_add_options, check_user_add, run_user_add, FALSE,
};

const JswCommand jsw_command_user_set_plan = {
  { "user", "set-plan" }, N_("user set-plan EMAIL PLAN — change a user’s plan"),
  user_set_plan_options, check_user_set_plan, run_user_set_plan, FALSE,
};

const JswCommand jsw_command_token_add = {
  { "token", "add" }, N_("token add EMAIL --device NAME — a token for another device"),
  token_add_options, check_token_add, run_token_add, FALSE,
};

const JswCommand jsw_command_worker_token_add = {
  { "worker-token", "add" }, N_("worker-token add NAME — a token for a server-side worker"),
  NULL, check_worker_token_add, run_worker_token_add, FALSE,
};
