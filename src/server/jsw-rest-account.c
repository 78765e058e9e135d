/* jsw-rest-account.c: the account's endpoints: /v1/me, its preference,
 * and signing in (POST /v1/sessions)
 *
 * Signing in checks the password with Argon2id, the one slow thing the
 * server does: it runs in a worker thread while the request is paused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-credentials.h"
#include "jsw-rest-account.h"
#include "jsw-rest-body.h"
#include "jsw-stripe-webhook.h"

static void
add_limit (JsonBuilder *builder,
           const char  *name,
           gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

/* The plans this server sells now: billing is set up (a Stripe secret
 * key) and the plan has a Stripe price, so that checkout can open
 * (jsw-rest-billing.c refuses the others). None without billing. */
static void
add_plans_for_sale (JsonBuilder            *builder,
                    const JswBillingConfig *billing)
{
  json_builder_set_member_name (builder, "plans_for_sale");
  json_builder_begin_array (builder);
  for (guint i = 0; billing != NULL && billing->stripe_secret_key != NULL && i < JSW_BILLING_N_PLANS; i++)
    if (jsw_stripe_price_for_plan (billing, jsw_billing_plans[i]) != NULL)
      json_builder_add_string_value (builder, jsw_billing_plans[i]);
  json_builder_end_array (builder);
}

/* The subscription's part of /v1/me (an addition, issue 14): what the
 * app's Plan page shows, and what the app may offer to upgrade to. */
static void
add_subscription (JsonBuilder            *builder,
                  JswAccount             *account,
                  const JswBillingConfig *billing)
{
  json_builder_set_member_name (builder, "subscription");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, account->subscription_status);
  json_builder_set_member_name (builder, "current_period_end");
  if (account->current_period_end > 0)
    {
      g_autofree char *end = jsw_time_format (account->current_period_end);

      json_builder_add_string_value (builder, end);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "cancel_at_period_end");
  json_builder_add_boolean_value (builder, account->cancel_at_period_end);
  json_builder_set_member_name (builder, "manage_billing");
  json_builder_add_boolean_value (builder, account->has_billing_customer);
  add_plans_for_sale (builder, billing);
  json_builder_end_object (builder);
}

/**
 * jsw_rest_account_to_json:
 * @billing: the server's billing settings: which plans are for sale
 *
 * Returns: (transfer full): the `GET /v1/me` document of @account
 */
JsonNode *
jsw_rest_account_to_json (JswAccount             *account,
                          const JswBillingConfig *billing)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, account->user_id);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, account->email);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_string_value (builder, account->plan);
  json_builder_set_member_name (builder, "subscription_status");
  json_builder_add_string_value (builder, account->subscription_status);
  json_builder_set_member_name (builder, "execution_mode");
  json_builder_add_string_value (builder, jsw_execution_mode_to_string (account->execution_mode));

  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    add_limit (builder, jsw_counter_to_string ((JswCounter) i), account->limits.limit[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  for (int i = 0; i < JSW_N_COUNTERS; i++)
    {
      json_builder_set_member_name (builder, jsw_counter_to_string ((JswCounter) i));
      json_builder_add_int_value (builder, account->usage[i]);
    }
  json_builder_end_object (builder);

  add_subscription (builder, account, billing);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_account (JswRestContext    *rest,
               SoupServerMessage *msg,
               const char        *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAccount) account = jsw_store_get_account (rest->store, user_id, jsw_rest_now (), &error);
  g_autoptr(JsonNode) node = NULL;

  if (account == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  node = jsw_rest_account_to_json (account, &rest->config->billing);
  jsw_rest_reply_json (msg, SOUP_STATUS_OK, node);
}

/* GET /v1/me */
void
jsw_rest_account_get (JswRestContext *rest,
                      JswRestRequest *request)
{
  reply_account (rest, request->msg, request->auth->user_id);
}

/* PUT /v1/me/preference */
void
jsw_rest_account_put_preference (JswRestContext *rest,
                                 JswRestRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = jsw_rest_parse_body (request->msg, &root, &error);
  JswExecutionMode mode;

  if (body == NULL || !jsw_rest_body_preference (body, &mode, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }
  if (!jsw_store_set_execution_mode (rest->store, request->auth->user_id, mode, &error))
    {
      jsw_rest_reply_error (request->msg, error);
      return;
    }

  reply_account (rest, request->msg, request->auth->user_id);
}

/* POST /v1/sessions: the password check runs in a thread */

typedef struct {
  JswStore          *store;
  JswLoginLimiter   *login_limiter;
  SoupServerMessage *msg;
  char              *email;
  char              *password;
  char              *device;
  char              *user_id;
  char              *password_hash;
  char              *address;
} LoginRequest;

static void
login_request_free (LoginRequest *request)
{
  g_object_unref (request->store);
  g_object_unref (request->login_limiter);
  g_object_unref (request->msg);
  g_free (request->email);
  if (request->password != NULL)
    memset (request->password, 0, strlen (request->password));
  g_free (request->password);
  g_free (request->device);
  g_free (request->user_id);
  g_free (request->password_hash);
  g_free (request->address);
  g_free (request);
}

static void
verify_password_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  LoginRequest *request = task_data;
  const char *hash = request->password_hash ? request->password_hash : jsw_password_dummy_hash ();
  gboolean ok = jsw_password_verify (hash, request->password);

  g_task_return_boolean (task, ok && request->user_id != NULL && request->password_hash != NULL);
}

static void
reply_new_token (SoupServerMessage *msg,
                 const char        *token,
                 const char        *user_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user_id);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  jsw_rest_reply_json (msg, SOUP_STATUS_CREATED, node);
}

static void
password_verified (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoginRequest *request = g_task_get_task_data (G_TASK (result));
  SoupServerMessage *msg = request->msg;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  soup_server_message_unpause (msg);

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      /* Counted as a failure already, by jsw_login_limiter_try_begin(). */
      jsw_rest_reply_error_code (msg, JSW_ERROR_UNAUTHORIZED, _("The e-mail address or the password is wrong"));
      return;
    }

  jsw_login_limiter_succeeded (request->login_limiter, request->email, request->address);
  token = jsw_token_generate ();
  hash = jsw_token_hash (token);
  if (!jsw_store_add_token (request->store, hash, request->user_id, JSW_KIND_DESKTOP, request->device,
                            jsw_rest_now (), &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  reply_new_token (msg, token, request->user_id);
}

/* POST /v1/sessions: signing in with an e-mail address and a password,
 * limited per address by the login limiter */
void
jsw_rest_account_sign_in (JswRestContext *rest,
                          JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body = jsw_rest_parse_body (msg, &root, &error);
  const char *email, *password, *device;
  LoginRequest *login;
  gint64 retry_after;

  if (body == NULL || !jsw_rest_body_sign_in (body, &email, &password, &device, &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

  login = g_new0 (LoginRequest, 1);
  login->store = g_object_ref (rest->store);
  login->login_limiter = g_object_ref (rest->login_limiter);
  login->msg = g_object_ref (msg);
  login->email = g_strdup (email);
  login->password = g_strdup (password);
  login->device = g_strdup (device);
  login->address = jsw_rest_client_address (msg);

  retry_after = jsw_login_limiter_try_begin (rest->login_limiter, email, login->address, jsw_rest_now ());
  if (retry_after > 0)
    {
      login_request_free (login);
      jsw_rest_set_retry_after (msg, retry_after);
      jsw_rest_reply_error_code (msg, JSW_ERROR_RATE_LIMITED, _("Too many failed sign-ins; wait a while and try again"));
      return;
    }

  login->user_id = jsw_store_find_user (rest->store, email, &login->password_hash, &error);
  if (login->user_id == NULL && jsw_error_code_of (error) != JSW_ERROR_NOT_FOUND)
    {
      jsw_login_limiter_abandoned (rest->login_limiter, email, login->address);
      login_request_free (login);
      jsw_rest_reply_error (msg, error);
      return;
    }

  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, password_verified, NULL);
  g_task_set_task_data (task, login, (GDestroyNotify) login_request_free);
  g_task_run_in_thread (task, verify_password_in_thread);
}
