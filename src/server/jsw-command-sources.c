/* jsw-command-sources.c: the subcommands for the job feed's sources
 * (issue 12): source add, source list, source remove, source sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-command.h"
#include "jsw-feed-syncer.h"
#include "jsw-log.h"
#include "jsw-source-kind.h"

/* source add KIND BOARD [--company NAME] [--base-url URL] ; source list ;
 * source remove ID ; source sync [ID] [--timeout S] [--interval S] [--backoff S]
 * (issue 12) */

static char *opt_company;
static char *opt_base_url;
static int opt_source_timeout = 30;
static int opt_source_interval = 30 * 60;
static int opt_source_backoff = 60;

static const GOptionEntry source_options[] = {
  { "company", 0, 0, G_OPTION_ARG_STRING, &opt_company, N_("source add: the company the postings are of (default: the name the board publishes)"), N_("NAME") },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, &opt_base_url, N_("source add: where the board’s API is (default: the vendor’s)"), N_("URL") },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_source_timeout, N_("source sync: seconds a board may take to connect or send (default 30)"), N_("S") },
  { "interval", 0, 0, G_OPTION_ARG_INT, &opt_source_interval, N_("source sync: the next scheduled sync is this many seconds later, give or take a tenth, as serve’s --sync-interval plans it (default 1800)"), N_("S") },
  { "backoff", 0, 0, G_OPTION_ARG_INT, &opt_source_backoff, N_("source sync: after a failure, as serve’s --sync-backoff (default 60)"), N_("S") },
  { NULL }
};

static gboolean
valid_base_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https")) &&
         g_uri_get_query (uri) == NULL;
}

static gboolean
parse_source_id (const char *text,
                 gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

static gboolean
check_source (int          argc,
              char       **argv,
              const char **problem)
{
  gint64 id;

  *problem = NULL;
  if (argc < 2)
    return FALSE;
  if (g_str_equal (argv[1], "add"))
    {
      g_autofree char *kinds = g_strjoinv (", ", (char **) jsw_source_kind_names ());

      *problem = _("Give the kind of board and the board: source add greenhouse acme");
      if (argc != 4)
        return FALSE;
      if (jsw_source_kind_lookup (argv[2]) == NULL)
        {
          static char message[256];

          g_snprintf (message, sizeof message, _("Unknown kind of board “%s”: use one of %s"), argv[2], kinds);
          *problem = message;
          return FALSE;
        }
      *problem = _("A board is 1 to 100 letters, digits, “-”, “_” or “.”");
      if (!jsw_source_valid_board (argv[3]))
        return FALSE;
      *problem = _("--base-url takes an http or https URL without a query");
      return opt_base_url == NULL || valid_base_url (opt_base_url);
    }
  if (g_str_equal (argv[1], "list"))
    return argc == 2;
  *problem = _("A source is named by the number “source list” shows");
  if (g_str_equal (argv[1], "remove"))
    return argc == 3 && parse_source_id (argv[2], &id);
  if (g_str_equal (argv[1], "sync"))
    {
      if (!(argc == 2 || (argc == 3 && parse_source_id (argv[2], &id))))
        return FALSE;
      *problem = _("--timeout, --interval and --backoff take a number of seconds above 0");
      return opt_source_timeout > 0 && opt_source_interval > 0 && opt_source_backoff > 0;
    }
  return FALSE;
}

static void
add_optional_member (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       usec)
{
  g_autofree char *when = usec > 0 ? jsw_time_format (usec) : NULL;

  add_optional_member (builder, name, when);
}

static void
add_source_json (JsonBuilder     *builder,
                 const JswSource *source)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source_id");
  json_builder_add_int_value (builder, source->id);
  add_optional_member (builder, "kind", source->kind);
  add_optional_member (builder, "board", source->board);
  add_optional_member (builder, "company", source->company);
  add_optional_member (builder, "base_url", source->base_url);
  json_builder_set_member_name (builder, "open_postings");
  json_builder_add_int_value (builder, source->open_postings);
  add_time_member (builder, "last_sync_at", source->last_sync_at);
  add_time_member (builder, "last_success_at", source->last_success_at);
  add_optional_member (builder, "last_error", source->last_error);
  json_builder_set_member_name (builder, "failures");
  json_builder_add_int_value (builder, source->failures);
  add_time_member (builder, "next_sync_at", source->next_sync_at);
  json_builder_end_object (builder);
}

/* An operator's sync of @source, now whatever the plan: claimed first, so
 * that a server's syncer sharing the store does not start it meanwhile,
 * and planned afterwards as the server's schedule would have, so that
 * the server does not sync it again right after. */
static gboolean
sync_one_source (JswStore        *store,
                 JswBoardClient  *client,
                 const JswSource *source,
                 JswSyncCounts   *counts,
                 GError         **error)
{
  JswFeedSyncerConfig config;
  g_autoptr(GError) plan_error = NULL;
  gboolean claimed;
  gboolean ok;

  jsw_feed_syncer_config_init_defaults (&config);
  config.interval_s = (guint) opt_source_interval;
  config.timeout_s = (guint) opt_source_timeout;
  config.backoff_s = (guint) opt_source_backoff;
  if (!jsw_feed_claim_source (store, &config, source->id, TRUE, &claimed, error))
    {
      *counts = (JswSyncCounts) { 0 };
      return FALSE;
    }
  ok = jsw_feed_sync_source (store, client, source, NULL, counts, error);
  if (!jsw_store_schedule_source (store, source->id,
                                  g_get_real_time () + jsw_feed_syncer_next_sync_in (&config, ok ? 0 : (guint) source->failures + 1),
                                  &plan_error))
    jsw_log (JSW_LOG_ERROR, NULL, "source.not_scheduled", "source", 'l', source->id,
             "message", 's', plan_error->message, NULL);
  return ok;
}

static int
sync_sources (JswStore  *store,
              GPtrArray *sources,
              gint64     only)
{
  g_autoptr(JswBoardClient) client = jsw_board_client_new (opt_source_timeout, JSW_BOARD_MAX_BODY);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean found = only == 0;
  int status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "synced");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sources->len; i++)
    {
      JswSource *source = sources->pdata[i];
      g_autoptr(GError) error = NULL;
      JswSyncCounts counts;
      gboolean ok;

      if (only != 0 && source->id != only)
        continue;
      found = TRUE;
      ok = sync_one_source (store, client, source, &counts, &error);
      status = ok ? status : 1;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source_id");
      json_builder_add_int_value (builder, source->id);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, ok);
      json_builder_set_member_name (builder, "added");
      json_builder_add_int_value (builder, counts.added);
      json_builder_set_member_name (builder, "updated");
      json_builder_add_int_value (builder, counts.updated);
      json_builder_set_member_name (builder, "unchanged");
      json_builder_add_int_value (builder, counts.unchanged);
      json_builder_set_member_name (builder, "closed");
      json_builder_add_int_value (builder, counts.closed);
      add_optional_member (builder, "error", error ? error->message : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (!found)
    {
      g_autoptr(GError) error = g_error_new (JSW_ERROR, JSW_ERROR_NOT_FOUND,
                                             _("There is no source %" G_GINT64_FORMAT), only);

      return jsw_command_fail (error);
    }
  jsw_command_print_json (builder);
  return status;
}

static int
run_source (JswStore  *store,
            int        argc,
            char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 id = 0;

  if (g_str_equal (argv[1], "add"))
    {
      id = jsw_store_add_source (store, argv[2], argv[3], opt_company, opt_base_url, g_get_real_time (), &error);
      if (id == 0)
        return jsw_command_fail (error);
    }
  else if (g_str_equal (argv[1], "remove"))
    {
      parse_source_id (argv[2], &id);
      if (!jsw_store_remove_source (store, id, &error))
        return jsw_command_fail (error);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_int_value (builder, id);
      json_builder_end_object (builder);
      jsw_command_print_json (builder);
      return 0;
    }

  sources = jsw_store_list_sources (store, &error);
  if (sources == NULL)
    return jsw_command_fail (error);
  if (g_str_equal (argv[1], "sync"))
    {
      if (argc == 3)
        parse_source_id (argv[2], &id);
      return sync_sources (store, sources, id);
    }
  if (g_str_equal (argv[1], "add"))
    {
      for (guint i = 0; i < sources->len; i++)
        if (((JswSource *) sources->pdata[i])->id == id)
          add_source_json (builder, sources->pdata[i]);
      jsw_command_print_json (builder);
      return 0;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sources->len; i++)
    add_source_json (builder, sources->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  jsw_command_print_json (builder);
  return 0;
}

const JswCommand jsw_command_source = {
  { "source", NULL }, N_("source add KIND BOARD [--company NAME] [--base-url URL] | source list | source remove ID | source sync [ID] [--timeout S] [--interval S] [--backoff S]"),
  source_options, check_source, run_source, FALSE,
};
