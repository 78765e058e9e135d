/* jsw-usage-report.c: the operator's usage figures, per plan, for one
 * month: what `jobswipe-server usage report` prints and /admin shows
 *
 * The store counts (jsw_store_usage_report()); this file turns the counts
 * into rates and writes them as JSON or as a table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-usage-report.h"

static gboolean
parse_month (const char *month,
             guint64    *year,
             guint64    *number)
{
  g_autofree char *year_text = NULL;

  if (strlen (month) != 7 || month[4] != '-')
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (i != 4 && !g_ascii_isdigit (month[i]))
      return FALSE;
  year_text = g_strndup (month, 4);
  return g_ascii_string_to_unsigned (year_text, 10, 1970, 9998, year, NULL) &&
         g_ascii_string_to_unsigned (month + 5, 10, 1, 12, number, NULL);
}

/**
 * jsw_usage_report_month:
 * @month: (nullable): `YYYY-MM`; %NULL for the current month (UTC)
 * @start: (out): its first instant, µs since the epoch
 * @end: (out): the next month's first instant
 * @name: (out) (optional): `YYYY-MM`
 *
 * Returns: %FALSE with %JSW_ERROR_INVALID when @month is not a month
 */
gboolean
jsw_usage_report_month (const char  *month,
                        gint64       now,
                        gint64      *start,
                        gint64      *end,
                        char       **name,
                        GError     **error)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) next = NULL;
  guint64 year, number;

  if (month == NULL)
    {
      g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

      year = g_date_time_get_year (today);
      number = g_date_time_get_month (today);
    }
  else if (!parse_month (month, &year, &number))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” is not a month: give YYYY-MM"), month);
      return FALSE;
    }

  first = g_date_time_new_utc ((int) year, (int) number, 1, 0, 0, 0);
  next = g_date_time_add_months (first, 1);
  *start = g_date_time_to_unix (first) * G_USEC_PER_SEC;
  *end = g_date_time_to_unix (next) * G_USEC_PER_SEC;
  if (name != NULL)
    *name = g_date_time_format (first, "%Y-%m");
  return TRUE;
}

/* A share of @total, or -1 when there is nothing to share. */
double
jsw_usage_report_rate (gint64 part,
                       gint64 total)
{
  return total > 0 ? (double) part / (double) total : -1;
}

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          double       rate)
{
  json_builder_set_member_name (builder, name);
  if (rate < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, rate);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Currencies in a stable order. */
GPtrArray *
jsw_usage_report_currencies (JswPlanUsage *line)
{
  GList *keys = g_list_sort (g_hash_table_get_keys (line->revenue), (GCompareFunc) g_strcmp0);
  GPtrArray *currencies = g_ptr_array_new ();

  for (GList *l = keys; l != NULL; l = l->next)
    g_ptr_array_add (currencies, l->data);
  g_list_free (keys);
  return currencies;
}

/**
 * jsw_usage_report_to_json:
 * @lines: (element-type JswPlanUsage)
 *
 * Returns: (transfer full): `{"month", "plans": [{"plan", "users",
 *   "paying_users", "server_applications", "desktop_applications",
 *   "finished", "success_rate", "needs_you_rate", "revenue": {currency:
 *   amount in the smallest unit}}]}`; a rate is null with nothing finished
 */
JsonNode *
jsw_usage_report_to_json (GPtrArray  *lines,
                          const char *month)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, month);
  json_builder_set_member_name (builder, "plans");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      JswPlanUsage *line = g_ptr_array_index (lines, i);
      g_autoptr(GPtrArray) currencies = jsw_usage_report_currencies (line);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "plan");
      json_builder_add_string_value (builder, line->plan);
      add_int (builder, "users", line->users);
      add_int (builder, "paying_users", line->paying_users);
      add_int (builder, "server_applications", line->server_entries);
      add_int (builder, "desktop_applications", line->desktop_entries);
      add_int (builder, "finished", line->finished);
      add_rate (builder, "success_rate", jsw_usage_report_rate (line->submitted, line->finished));
      add_rate (builder, "needs_you_rate", jsw_usage_report_rate (line->needs_you, line->finished));
      json_builder_set_member_name (builder, "revenue");
      json_builder_begin_object (builder);
      for (guint c = 0; c < currencies->len; c++)
        add_int (builder, g_ptr_array_index (currencies, c),
                 *(gint64 *) g_hash_table_lookup (line->revenue, g_ptr_array_index (currencies, c)));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * jsw_usage_report_format_rate:
 *
 * Returns: (transfer full): "87.5 %", or "-" when there is no rate
 */
char *
jsw_usage_report_format_rate (double rate)
{
  return rate < 0 ? g_strdup ("-") : g_strdup_printf ("%.1f %%", rate * 100);
}

/**
 * jsw_usage_report_format_revenue:
 *
 * Returns: (transfer full): "29.00 EUR, 5.00 USD", or "-"; amounts are in
 *   the currency's smallest unit, shown with two decimals (Stripe's
 *   zero-decimal currencies, such as JPY, would read a hundred times too
 *   small)
 */
char *
jsw_usage_report_format_revenue (JswPlanUsage *line)
{
  g_autoptr(GPtrArray) currencies = jsw_usage_report_currencies (line);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint c = 0; c < currencies->len; c++)
    {
      const char *currency = g_ptr_array_index (currencies, c);
      gint64 amount = *(gint64 *) g_hash_table_lookup (line->revenue, currency);
      g_autofree char *upper = g_ascii_strup (currency, -1);

      g_string_append_printf (text, "%s%" G_GINT64_FORMAT ".%02d %s", c > 0 ? ", " : "",
                              amount / 100, (int) (ABS (amount) % 100), upper);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : g_strdup ("-");
}

/**
 * jsw_usage_report_to_table:
 *
 * Returns: (transfer full): the report as a plain-text table for a terminal
 */
char *
jsw_usage_report_to_table (GPtrArray  *lines,
                           const char *month)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Usage in %s\n\n"), month);
  g_string_append_printf (text, "%-12s %7s %7s %8s %8s %9s %9s  %s\n",
                          _("plan"), _("users"), _("paying"), _("server"), _("desktop"),
                          _("success"), _("needs you"), _("revenue"));
  for (guint i = 0; i < lines->len; i++)
    {
      JswPlanUsage *line = g_ptr_array_index (lines, i);
      g_autofree char *success = jsw_usage_report_format_rate (jsw_usage_report_rate (line->submitted, line->finished));
      g_autofree char *needs_you = jsw_usage_report_format_rate (jsw_usage_report_rate (line->needs_you, line->finished));
      g_autofree char *revenue = jsw_usage_report_format_revenue (line);

      g_string_append_printf (text, "%-12s %7" G_GINT64_FORMAT " %7" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
                              " %8" G_GINT64_FORMAT " %9s %9s  %s\n",
                              line->plan, line->users, line->paying_users, line->server_entries,
                              line->desktop_entries, success, needs_you, revenue);
    }
  return g_string_free (text, FALSE);
}
