/* jsw-rest-billing.c: buying a plan (issue 14): Stripe Checkout, the
 * billing portal, Stripe's webhook, and the pages Checkout returns to
 *
 *   POST /v1/subscription/checkout {"plan"}  -> {"checkout_url"}
 *   POST /v1/subscription/portal             -> {"portal_url"}
 *   POST /v1/webhooks/stripe                 (no bearer: Stripe-Signature)
 *   GET  /billing/done, /billing/cancelled   (where the browser lands)
 *
 * The calls to Stripe pause the request and finish on the main loop
 * (jsw-stripe.c). A webhook is verified before anything is read from it,
 * then applied by the store in one transaction with the record of its id;
 * a change of plan is pushed at once to the person's open streams as an
 * `account` frame, and counts from their next swipe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-rest-billing"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-log.h"
#include "jsw-rest-account.h"
#include "jsw-rest-billing.h"
#include "jsw-rest-body.h"
#include "jsw-stripe-webhook.h"

static const char *
request_cid (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);
}

/* Billing off, or Stripe unreachable: the server is fine, this service
 * is not (503 `unavailable`, the code of docs/server.md's additions). */
static void
reply_unavailable (SoupServerMessage *msg,
                   const char        *message)
{
  g_autoptr(JsonNode) node = jsw_rest_error_node ("unavailable", message);

  jsw_rest_reply_json (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

static gboolean
billing_is_configured (JswRestContext    *rest,
                       SoupServerMessage *msg)
{
  if (rest->config->billing.stripe_secret_key != NULL)
    return TRUE;
  reply_unavailable (msg, _("Plans cannot be bought on this server: billing is not set up (no Stripe key)"));
  return FALSE;
}

static void
reply_url (SoupServerMessage *msg,
           const char        *member,
           const char        *url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  jsw_rest_reply_json (msg, SOUP_STATUS_OK, node);
}

/* Where this server is reached, for the pages Checkout and the portal
 * return to: JOBSWIPE_PUBLIC_URL, else the address the request came to. */
static char *
public_url (JswRestContext    *rest,
            SoupServerMessage *msg,
            const char        *path)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *base = NULL;

  if (rest->config->billing.public_url != NULL)
    base = g_strdup (rest->config->billing.public_url);
  else
    base = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                       g_uri_get_port (uri), "", NULL, NULL);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_strconcat (base, path, NULL);
}

/* A pending call to Stripe: the paused request it answers. */
typedef struct {
  SoupServerMessage *msg;
  char              *member;
  char              *cid;
} StripeCall;

static void
stripe_call_free (StripeCall *call)
{
  g_object_unref (call->msg);
  g_free (call->member);
  g_free (call->cid);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StripeCall, stripe_call_free)

static StripeCall *
stripe_call_new (SoupServerMessage *msg,
                 const char        *member)
{
  StripeCall *call = g_new0 (StripeCall, 1);

  call->msg = g_object_ref (msg);
  call->member = g_strdup (member);
  call->cid = g_strdup (request_cid (msg));
  soup_server_message_pause (msg);
  return call;
}

static void
stripe_session_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(StripeCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = jsw_stripe_session_finish (JSW_STRIPE (source), result, &error);

  soup_server_message_unpause (call->msg);
  if (url == NULL)
    {
      jsw_log (JSW_LOG_WARNING, call->cid, "stripe.failed", "message", 's', error->message, NULL);
      reply_unavailable (call->msg, error->message);
      return;
    }
  reply_url (call->msg, call->member, url);
}

static gboolean
plan_can_be_bought (JswRestContext  *rest,
                    const char      *plan,
                    const char     **price,
                    GError         **error)
{
  gboolean known = FALSE;

  for (guint i = 0; i < JSW_BILLING_N_PLANS; i++)
    known |= g_str_equal (jsw_billing_plans[i], plan);

  if (g_str_equal (plan, "free"))
    g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                         _("The free plan is not bought: cancel the subscription in Manage billing instead"));
  else if (!known)
    g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                 _("There is no plan “%s” to buy; the plans are basic, pro and premium"), plan);
  else if ((*price = jsw_stripe_price_for_plan (&rest->config->billing, plan)) == NULL)
    g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                 _("The plan “%s” cannot be bought on this server: it has no Stripe price configured"), plan);
  else
    return TRUE;
  return FALSE;
}

static gboolean
subscription_is_live (JswSubscription *subscription)
{
  return subscription->stripe_subscription != NULL &&
         (g_strcmp0 (subscription->status, "active") == 0 ||
          g_strcmp0 (subscription->status, "trialing") == 0 ||
          g_strcmp0 (subscription->status, "past_due") == 0);
}

/* Stripe's Idempotency-Key for this checkout: a client retrying with its
 * own Idempotency-Key gets the same session back; without one, each
 * request is new. */
static char *
checkout_idempotency_key (SoupServerMessage *msg,
                          const char        *user_id,
                          const char        *plan)
{
  const char *given = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Idempotency-Key");
  g_autofree char *material = NULL;
  g_autofree char *digest = NULL;

  if (given == NULL || *given == '\0')
    return g_uuid_string_random ();
  material = g_strjoin ("\n", user_id, plan, given, NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, material, -1);
  return g_strconcat ("jobswipe-checkout-", digest, NULL);
}

/* POST /v1/subscription/checkout {"plan"} */
void
jsw_rest_billing_checkout (JswRestContext *rest,
                           JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const char *user_id = request->auth->user_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswSubscription) subscription = NULL;
  g_autoptr(JswAccount) account = NULL;
  g_autofree char *key = NULL;
  g_autofree char *success_url = NULL;
  g_autofree char *cancel_url = NULL;
  JsonObject *body;
  const char *plan = NULL;
  const char *price = NULL;

  if (!billing_is_configured (rest, msg))
    return;
  body = jsw_rest_parse_body (msg, &root, &error);
  if (body == NULL ||
      !jsw_json_get_string (body, "plan", JSW_FIELD_REQUIRED, 64, &plan, &error) ||
      !plan_can_be_bought (rest, plan, &price, &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

  subscription = jsw_store_get_subscription (rest->store, user_id, &error);
  account = subscription ? jsw_store_get_account (rest->store, user_id, jsw_rest_now (), &error) : NULL;
  if (account == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  if (subscription_is_live (subscription))
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_CONFLICT,
                                 _("You have a subscription already; change its plan in Manage billing"));
      return;
    }

  key = checkout_idempotency_key (msg, user_id, plan);
  success_url = public_url (rest, msg, "/billing/done");
  cancel_url = public_url (rest, msg, "/billing/cancelled");
  jsw_stripe_checkout_async (rest->stripe,
                             &(JswStripeCheckout) {
                               .user_id = user_id,
                               .email = account->email,
                               .customer = subscription->stripe_customer,
                               .plan = plan,
                               .price = price,
                               .idempotency_key = key,
                               .success_url = success_url,
                               .cancel_url = cancel_url,
                             },
                             NULL, stripe_session_done, stripe_call_new (msg, "checkout_url"));
}

/* POST /v1/subscription/portal */
void
jsw_rest_billing_portal (JswRestContext *rest,
                         JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswSubscription) subscription = NULL;
  g_autofree char *return_url = NULL;

  if (!billing_is_configured (rest, msg))
    return;
  subscription = jsw_store_get_subscription (rest->store, request->auth->user_id, &error);
  if (subscription == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  if (subscription->stripe_customer == NULL)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_CONFLICT,
                                 _("There is no billing account yet: buy a plan first"));
      return;
    }
  return_url = public_url (rest, msg, "/billing/done");
  jsw_stripe_portal_async (rest->stripe, subscription->stripe_customer, return_url, NULL,
                           stripe_session_done, stripe_call_new (msg, "portal_url"));
}

/**
 * jsw_rest_billing_publish_account:
 *
 * Pushes `{"type": "account", "account": ME}` (ME as `GET /v1/me`) to
 * @user_id's open streams held by this process, if any, so that a new plan
 * shows at once: when a Stripe event changed it (through this process, or
 * through another sharing the store: jsw-hub-relay.c), and when a
 * cancelled plan's period ends (jsw-sweeper.c: each process's sweeper
 * tells its own streams).
 */
void
jsw_rest_billing_publish_account (JswStore               *store,
                                  JswHub                 *hub,
                                  const JswBillingConfig *billing,
                                  const char             *user_id,
                                  const char             *cid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) frame = NULL;
  g_autofree char *channel = jsw_store_user_channel (user_id);
  g_autofree char *text = NULL;

  if (jsw_hub_get_n_subscribers (hub, channel) == 0)
    return;
  account = jsw_store_get_account (store, user_id, jsw_rest_now (), &error);
  if (account == NULL)
    {
      jsw_log (JSW_LOG_ERROR, cid, "stripe.account_unreadable", "message", 's', error->message, NULL);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "account");
  json_builder_set_member_name (builder, "account");
  json_builder_add_value (builder, jsw_rest_account_to_json (account, billing));
  json_builder_end_object (builder);
  frame = json_builder_get_root (builder);
  text = jsw_json_node_to_string (frame);
  jsw_hub_publish_frame (hub, channel, text);
}

static void
reply_received (SoupServerMessage *msg,
                const char        *outcome)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "received");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, outcome);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  jsw_rest_reply_json (msg, SOUP_STATUS_OK, node);
}

/* The body as sent, which is what is signed. */
static GBytes *
request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

/* The person's streams held here, and, through the store, those held by
 * the other processes sharing it. A failed announcement changes nothing
 * applied: their apps see the plan at their next `GET /v1/me`. */
static void
tell_account_everywhere (JswRestContext *rest,
                         const char     *user_id,
                         const char     *cid)
{
  g_autoptr(GError) error = NULL;

  jsw_rest_billing_publish_account (rest->store, rest->hub, &rest->config->billing, user_id, cid);
  if (!jsw_store_announce_account (rest->store, user_id, &error))
    jsw_log (JSW_LOG_WARNING, cid, "stripe.account_not_announced", "message", 's', error->message, NULL);
}

/* POST /v1/webhooks/stripe: verified, recorded once, applied */
void
jsw_rest_billing_webhook (JswRestContext *rest,
                          JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const JswBillingConfig *billing = &rest->config->billing;
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Stripe-Signature");
  const char *cid = request_cid (msg);
  g_autoptr(GBytes) bytes = request_body (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *user_id = NULL;
  JswBillingEvent event;
  JswBillingOutcome outcome;
  JsonObject *object;
  gboolean handled;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (billing->stripe_webhook_secret == NULL)
    {
      reply_unavailable (msg, _("Stripe webhooks are not set up on this server (no webhook secret)"));
      return;
    }
  if (!jsw_stripe_verify_signature (billing->stripe_webhook_secret, header, data, length,
                                    jsw_rest_now () / G_USEC_PER_SEC, &signature, &error) ||
      (object = jsw_json_parse_object (data, length, &root, &error)) == NULL ||
      !jsw_stripe_read_event (object, billing, &event, &handled, &error))
    {
      jsw_log (JSW_LOG_WARNING, cid, "stripe.webhook_refused", "message", 's', error->message, NULL);
      jsw_rest_reply_error (msg, error);
      return;
    }
  if (!handled)
    {
      reply_received (msg, "ignored");
      return;
    }

  event.signature = signature;
  if (!jsw_store_apply_billing_event (rest->store, &event, jsw_rest_now (), &outcome, &user_id, &error))
    {
      jsw_rest_reply_error (msg, error);
      return;
    }
  jsw_log (outcome == JSW_BILLING_NO_USER ? JSW_LOG_WARNING : JSW_LOG_INFO, cid, "stripe.event",
           "id", 's', event.event_id, "type", 's', event.event_type, "user", 's', user_id,
           "outcome", 's', jsw_billing_outcome_to_string (outcome), NULL);

  if (outcome == JSW_BILLING_REPLAYED)
    {
      jsw_rest_reply_error_code (msg, JSW_ERROR_INVALID,
                                 _("This delivery was received before: a replayed signature is refused"));
      return;
    }
  if (outcome == JSW_BILLING_APPLIED && user_id != NULL)
    tell_account_everywhere (rest, user_id, cid);
  reply_received (msg, jsw_billing_outcome_to_string (outcome));
}

/* GET /billing/done, /billing/cancelled: the browser's landing page after
 * Checkout or the portal; the app learns of the change from its stream. */
void
jsw_rest_billing_return_page (JswRestContext *rest,
                              JswRestRequest *request)
{
  gboolean done = g_str_equal (request->segments[1], "done");
  g_autofree char *title = g_markup_escape_text (done ? _("Thank you") : _("Nothing was bought"), -1);
  g_autofree char *text = g_markup_escape_text (done ? _("You can go back to JobSwipe: your plan shows there as soon as Stripe confirms it.")
                                                     : _("The checkout was cancelled; you can close this page."), -1);

  jsw_rest_reply_text (request->msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                       g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                        "<title>JobSwipe — %s</title></head>"
                                        "<body><h1>%s</h1><p>%s</p></body></html>\n",
                                        title, title, text));
}
