/* jsw-stripe.c: the calls JobSwipe makes to Stripe's REST API
 *
 * Two calls, both made as Stripe's API reference describes them
 * (docs.stripe.com/api): a POST with a form-encoded body (nested
 * parameters as `line_items[0][price]`), `Authorization: Bearer <secret
 * key>`, and an `Idempotency-Key`, so that a retried request never opens
 * a second session. Both are asynchronous on the server's main loop
 * (libsoup): a slow Stripe never stalls the streams.
 *
 *   POST /v1/checkout/sessions          a Checkout Session in subscription mode
 *   POST /v1/billing_portal/sessions    a customer portal session
 *
 * Each answers an object whose `url` is where the person goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-stripe"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "jsw-common.h"
#include "jsw-stripe.h"

/* Stripe answers within seconds; past this the person is told to retry. */
#define STRIPE_TIMEOUT_S 20

struct _JswStripe
{
  GObject                 parent_instance;

  const JswBillingConfig *config;
  SoupSession            *session;
};

G_DEFINE_FINAL_TYPE (JswStripe, jsw_stripe, G_TYPE_OBJECT)

/* A form body in the order given; keys and values percent-encoded. */
static void
add_field (GString    *form,
           const char *key,
           const char *value)
{
  g_autofree char *escaped_key = NULL;
  g_autofree char *escaped_value = NULL;

  if (value == NULL)
    return;
  escaped_key = g_uri_escape_string (key, NULL, FALSE);
  escaped_value = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", escaped_key, escaped_value);
}

/* The session's `url`, or why there is none (Stripe's own message). */
static char *
read_session_url (SoupMessage  *msg,
                  GBytes       *body,
                  GError      **error)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *object = jsw_json_parse_object (data, length, &root, &parse_error);
  guint status = soup_message_get_status (msg);
  const char *url = NULL;

  if (object != NULL && status >= 200 && status < 300)
    jsw_json_get_string (object, "url", JSW_FIELD_REQUIRED, 4096, &url, NULL);
  if (url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")))
    return g_strdup (url);

  if (object != NULL && json_object_has_member (object, "error"))
    {
      JsonObject *stripe_error = NULL;
      const char *message = NULL;

      if (jsw_json_get_object (object, "error", JSW_FIELD_REQUIRED, &stripe_error, NULL) &&
          jsw_json_get_string (stripe_error, "message", JSW_FIELD_REQUIRED, 1000, &message, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Stripe refused the request (HTTP %u): %s"),
                       status, message);
          return NULL;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Stripe answered HTTP %u without a session URL"), status);
  return NULL;
}

static void
on_response (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  char *url;

  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Stripe could not be reached: %s"), error->message);
      return;
    }
  url = read_session_url (msg, body, &error);
  if (url == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, url, g_free);
}

static void
post_form (JswStripe           *self,
           const char          *path,
           GString             *form,
           const char          *idempotency_key,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->config->stripe_api_base, path, NULL);
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = g_string_free_to_bytes (form);
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, source_tag);
  if (!jsw_stripe_is_configured (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Billing is not set up on this server"));
      return;
    }
  msg = soup_message_new ("POST", url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("JOBSWIPE_STRIPE_API_BASE does not make a valid URL"));
      return;
    }
  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->config->stripe_secret_key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);

  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_response, g_steal_pointer (&task));
}

/**
 * jsw_stripe_checkout_async:
 *
 * Opens a Checkout Session in subscription mode for @checkout's price,
 * with the user's id as client_reference_id and in metadata (`user_id`,
 * `plan`), and the same metadata on the subscription it creates, so that
 * every later event of that subscription names its user. Finish with
 * jsw_stripe_session_finish(): the session's URL.
 */
void
jsw_stripe_checkout_async (JswStripe                *self,
                           const JswStripeCheckout  *checkout,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  GString *form = g_string_new (NULL);

  g_return_if_fail (JSW_IS_STRIPE (self));

  add_field (form, "mode", "subscription");
  add_field (form, "line_items[0][price]", checkout->price);
  add_field (form, "line_items[0][quantity]", "1");
  add_field (form, "success_url", checkout->success_url);
  add_field (form, "cancel_url", checkout->cancel_url);
  add_field (form, "client_reference_id", checkout->user_id);
  add_field (form, "metadata[user_id]", checkout->user_id);
  add_field (form, "metadata[plan]", checkout->plan);
  add_field (form, "subscription_data[metadata][user_id]", checkout->user_id);
  add_field (form, "subscription_data[metadata][plan]", checkout->plan);
  /* customer and customer_email exclude each other. */
  if (checkout->customer != NULL)
    add_field (form, "customer", checkout->customer);
  else
    add_field (form, "customer_email", checkout->email);

  post_form (self, "/v1/checkout/sessions", form, checkout->idempotency_key, cancellable, callback,
             user_data, jsw_stripe_checkout_async);
}

/**
 * jsw_stripe_portal_async:
 * @customer: the Stripe customer (cus_…)
 * @return_url: where the portal's "back" link goes
 *
 * Opens a customer portal session. Finish with jsw_stripe_session_finish().
 */
void
jsw_stripe_portal_async (JswStripe           *self,
                         const char          *customer,
                         const char          *return_url,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GString *form = g_string_new (NULL);
  g_autofree char *key = g_uuid_string_random ();

  g_return_if_fail (JSW_IS_STRIPE (self));

  add_field (form, "customer", customer);
  add_field (form, "return_url", return_url);
  post_form (self, "/v1/billing_portal/sessions", form, key, cancellable, callback, user_data,
             jsw_stripe_portal_async);
}

/**
 * jsw_stripe_session_finish:
 *
 * Returns: (transfer full): the session's URL, or %NULL with @error set
 *   (%G_IO_ERROR: Stripe unreachable, or its refusal in its own words)
 */
char *
jsw_stripe_session_finish (JswStripe     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
jsw_stripe_is_configured (JswStripe *self)
{
  return self->config->stripe_secret_key != NULL;
}

static void
jsw_stripe_dispose (GObject *object)
{
  JswStripe *self = (JswStripe *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (jsw_stripe_parent_class)->dispose (object);
}

static void
jsw_stripe_class_init (JswStripeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jsw_stripe_dispose;
}

static void
jsw_stripe_init (JswStripe *self)
{
  self->session = soup_session_new_with_options ("timeout", STRIPE_TIMEOUT_S,
                                                 "user-agent", "jobswipe-server/" PACKAGE_VERSION,
                                                 NULL);
}

/**
 * jsw_stripe_new:
 * @config: (transfer none): must outlive the object
 */
JswStripe *
jsw_stripe_new (const JswBillingConfig *config)
{
  JswStripe *self = g_object_new (JSW_TYPE_STRIPE, NULL);

  self->config = config;
  return self;
}
