/* jsw-server-config.c: the server's default settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-server-config.h"

/**
 * jsw_server_config_init_defaults:
 *
 * Fills @config with PROTOCOL.md's timings (lease 60 s, heartbeat 20 s,
 * ping 25 s) and the operator defaults that `jobswipe-server serve --help`
 * lists.
 */
void
jsw_server_config_init_defaults (JswServerConfig *config)
{
  config->lease_ttl_s = 60;
  config->heartbeat_s = 20;
  config->ping_interval_s = 25;
  config->sweep_interval_ms = 1000;
  config->events_kept = 10000;
  config->events_bytes_kept = 4 * 1024 * 1024;
  config->send_budget = 4 * 1024 * 1024;
  config->connections.max_connections = 10000;
  config->connections.max_per_address = 128;
  config->connections.header_timeout_s = 10;
  config->connections.body_timeout_s = 30;
  config->connections.accept_failure_s = 10;
}
