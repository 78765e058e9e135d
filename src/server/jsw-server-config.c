/* jsw-server-config.c: the server's default settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-server-config.h"

const char *const jsw_billing_plans[JSW_BILLING_N_PLANS] = { "basic", "pro", "premium" };

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
  config->billing = (JswBillingConfig) { .stripe_api_base = "https://api.stripe.com" };
}

/* The value of @name: the environment's, else the config file's; an empty
 * value counts as none. Kept for the life of the process. */
static const char *
setting (GKeyFile   *file,
         const char *name)
{
  const char *env = g_getenv (name);
  char *value;

  if (env != NULL)
    return *env != '\0' ? env : NULL;
  if (file == NULL)
    return NULL;
  value = g_key_file_get_string (file, "jobswipe-server", name, NULL);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;  /* deliberately never freed: the config lives as long as the process */
}

/**
 * jsw_server_config_load_billing:
 * @config_file: (nullable): a key file whose group `[jobswipe-server]`
 *   holds the same names as the environment (`JOBSWIPE_STRIPE_SECRET_KEY=…`);
 *   the environment wins over it
 *
 * Reads billing's settings (JswBillingConfig names them).
 *
 * Returns: %FALSE with @error set when @config_file cannot be read, or
 *   JOBSWIPE_STRIPE_API_BASE is not an http(s) URL
 */
gboolean
jsw_server_config_load_billing (JswBillingConfig  *billing,
                                const char        *config_file,
                                GError           **error)
{
  g_autoptr(GKeyFile) file = NULL;
  static const char *const price_names[JSW_BILLING_N_PLANS] = {
    "JOBSWIPE_STRIPE_PRICE_BASIC", "JOBSWIPE_STRIPE_PRICE_PRO", "JOBSWIPE_STRIPE_PRICE_PREMIUM",
  };
  const char *api_base;

  if (config_file != NULL)
    {
      file = g_key_file_new ();
      if (!g_key_file_load_from_file (file, config_file, G_KEY_FILE_NONE, error))
        return FALSE;
    }

  billing->stripe_secret_key = setting (file, "JOBSWIPE_STRIPE_SECRET_KEY");
  billing->stripe_webhook_secret = setting (file, "JOBSWIPE_STRIPE_WEBHOOK_SECRET");
  for (guint i = 0; i < JSW_BILLING_N_PLANS; i++)
    billing->stripe_prices[i] = setting (file, price_names[i]);
  billing->public_url = setting (file, "JOBSWIPE_PUBLIC_URL");
  billing->operator_token = setting (file, "JOBSWIPE_OPERATOR_TOKEN");

  api_base = setting (file, "JOBSWIPE_STRIPE_API_BASE");
  if (api_base != NULL)
    {
      if (!g_str_has_prefix (api_base, "https://") && !g_str_has_prefix (api_base, "http://"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("JOBSWIPE_STRIPE_API_BASE must be an http or https URL, not “%s”"), api_base);
          return FALSE;
        }
      billing->stripe_api_base = api_base;
    }
  return TRUE;
}
