/* jsw-command.c: what jobswipe-server's subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jobswipe-server"

#include "config.h"

#include "jsw-command.h"

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
