/* jsw-command-plans.c: the subcommands for plans and what they were used
 * for: plan list, plan set, usage report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-command.h"
#include "jsw-usage-report.h"

static gboolean
parse_limit (const char *text,
             gint64     *limit)
{
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "null") || g_str_equal (text, "unlimited"))
    {
      *limit = -1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return FALSE;
  *limit = (gint64) value;
  return TRUE;
}

static void
add_plan_json (JsonBuilder *builder,
               JswAccount  *plan)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, plan->plan);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      json_builder_set_member_name (builder, jsw_counter_to_string ((JswCounter) i));
      if (plan->limits.limit[i] < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, plan->limits.limit[i]);
    }
  json_builder_end_object (builder);
}

static JswAccount *
find_plan (GPtrArray  *plans,
           const char *name)
{
  for (guint i = 0; i < plans->len; i++)
    {
      JswAccount *plan = g_ptr_array_index (plans, i);

      if (g_str_equal (plan->plan, name))
        return plan;
    }
  return NULL;
}

/* plan set NAME [--server-month N] [--total-month N] [--daily N] ; plan list */

static char *opt_server_month;
static char *opt_total_month;
static char *opt_daily;

static const GOptionEntry plan_options[] = {
  { "server-month", 0, 0, G_OPTION_ARG_STRING, &opt_server_month, N_("Applications on the server per month (a number or null)"), N_("N") },
  { "total-month", 0, 0, G_OPTION_ARG_STRING, &opt_total_month, N_("Applications per month (a number or null)"), N_("N") },
  { "daily", 0, 0, G_OPTION_ARG_STRING, &opt_daily, N_("Applications per day (a number or null)"), N_("N") },
  { NULL }
};

static JswPlanLimits plan_changes;

static gboolean
check_plan (int          argc,
            char       **argv,
            const char **problem)
{
  gboolean list = argc == 2 && g_str_equal (argv[1], "list");
  gboolean set = argc == 3 && g_str_equal (argv[1], "set");

  /* The plain help: which of the two was meant is not known. */
  *problem = NULL;
  if (!list && !set)
    return FALSE;
  if (list)
    return TRUE;

  /* A limit not given keeps its value (-2 until the plan is read). */
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    plan_changes.limit[i] = -2;
  *problem = _("A limit is a whole number or null");
  return parse_limit (opt_server_month, &plan_changes.limit[JSW_COUNTER_SERVER_MONTH]) &&
         parse_limit (opt_total_month, &plan_changes.limit[JSW_COUNTER_TOTAL_MONTH]) &&
         parse_limit (opt_daily, &plan_changes.limit[JSW_COUNTER_DAILY]);
}

static int
set_plan (JswStore   *store,
          GPtrArray  *plans,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JswAccount *existing = find_plan (plans, name);
  JswPlanLimits limits = { { 0, 0, 0 } };

  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      if (plan_changes.limit[i] != -2)
        limits.limit[i] = plan_changes.limit[i];
      else if (existing != NULL)
        limits.limit[i] = existing->limits.limit[i];
    }
  if (!jsw_store_set_plan (store, name, &limits, &error))
    return jsw_command_fail (error);
  changed = jsw_store_list_plans (store, &error);
  if (changed == NULL)
    return jsw_command_fail (error);
  add_plan_json (builder, find_plan (changed, name));
  jsw_command_print_json (builder);
  return 0;
}

static int
run_plan (JswStore  *store,
          int        argc,
          char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  plans = jsw_store_list_plans (store, &error);
  if (plans == NULL)
    return jsw_command_fail (error);
  if (g_str_equal (argv[1], "set"))
    return set_plan (store, plans, argv[2]);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plans");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plans->len; i++)
    add_plan_json (builder, g_ptr_array_index (plans, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  return 0;
}

/* usage report [--month YYYY-MM] [--format json|table] */

static char *opt_month;
static char *opt_format;
static gint64 report_start, report_end;
static char *report_month;

static const GOptionEntry usage_report_options[] = {
  { "month", 0, 0, G_OPTION_ARG_STRING, &opt_month, N_("The month (default: this month, UTC)"), N_("YYYY-MM") },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_("json (default) or table"), N_("FORMAT") },
  { NULL }
};

static gboolean
check_usage_report (int          argc,
                    char       **argv,
                    const char **problem)
{
  *problem = _("usage report takes no arguments");
  if (argc != 1)
    return FALSE;
  *problem = _("--format is json or table");
  if (opt_format != NULL && !g_str_equal (opt_format, "json") && !g_str_equal (opt_format, "table"))
    return FALSE;
  *problem = _("--month takes YYYY-MM");
  return jsw_usage_report_month (opt_month, g_get_real_time (), &report_start, &report_end, &report_month, NULL);
}

static int
run_usage_report (JswStore  *store,
                  int        argc,
                  char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = jsw_store_usage_report (store, report_start, report_end, g_get_real_time (), &error);

  if (lines == NULL)
    return jsw_command_fail (error);
  if (g_strcmp0 (opt_format, "table") == 0)
    {
      g_autofree char *table = jsw_usage_report_to_table (lines, report_month);

      g_print ("%s", table);
    }
  else
    {
      g_autoptr(JsonNode) root = jsw_usage_report_to_json (lines, report_month);
      g_autofree char *text = jsw_json_node_to_string (root);

      g_print ("%s\n", text);
    }
  return 0;
}

const JswCommand jsw_command_plan = {
  { "plan", NULL }, N_("plan list | plan set NAME [--server-month N] [--total-month N] [--daily N]"),
  plan_options, check_plan, run_plan, FALSE,
};

const JswCommand jsw_command_usage_report = {
  { "usage", "report" }, N_("usage report [--month YYYY-MM] [--format json|table] — figures per plan"),
  usage_report_options, check_usage_report, run_usage_report, FALSE,
};
