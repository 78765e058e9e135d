/* jsw-stripe-webhook.c: Stripe's webhook deliveries: the signature, and
 * the events JobSwipe acts on
 *
 * The signature follows Stripe's "Verify webhook signatures manually"
 * (docs.stripe.com/webhooks#verify-manually): the `Stripe-Signature`
 * header holds `t=<unix seconds>` and one or more `v1=<hex>` (and perhaps
 * other schemes, ignored); each v1 is the HMAC-SHA256, keyed with the
 * endpoint's secret, of "<t>.<the body as sent>". One v1 must match,
 * compared in constant time, and t must be within 300 s of now.
 *
 * An event is read into a JswBillingEvent: Stripe's objects change shape
 * between API versions (the period moved from the subscription to its
 * items in 2025-03-31, an invoice's subscription into `parent`), so both
 * places are read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "jsw-stripe-webhook.h"

#define SHA256_LENGTH 32
#define MAX_HEADER_LENGTH 4096

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
parse_timestamp (const char *text,
                 gint64     *seconds)
{
  guint64 value;

  if (*text == '\0' || strlen (text) > 12)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *seconds = (gint64) value;
  return TRUE;
}

static gboolean
decode_hex_digest (const char *hex,
                   guint8      digest[SHA256_LENGTH])
{
  size_t length = 0;

  return strlen (hex) == SHA256_LENGTH * 2 &&
         sodium_hex2bin (digest, SHA256_LENGTH, hex, strlen (hex), NULL, &length, NULL) == 0 &&
         length == SHA256_LENGTH;
}

static void
expected_digest (const char *secret,
                 const char *timestamp,
                 const char *payload,
                 gsize       length,
                 guint8      digest[SHA256_LENGTH])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  gsize digest_length = SHA256_LENGTH;

  g_hmac_update (hmac, (const guchar *) timestamp, strlen (timestamp));
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, (const guchar *) payload, length);
  g_hmac_get_digest (hmac, digest, &digest_length);
}

/**
 * jsw_stripe_verify_signature:
 * @secret: the endpoint's signing secret (`whsec_…`), used as it is
 * @header: (nullable): the `Stripe-Signature` header
 * @payload: the request body, exactly as received
 * @now_s: now, in Unix seconds
 * @signature: (out) (optional): the v1 that matched, in lower-case hex
 *
 * Returns: %TRUE when one v1 of @header is the HMAC-SHA256 of
 *   "t.payload" under @secret and t is within
 *   %JSW_STRIPE_SIGNATURE_TOLERANCE_S of @now_s; else %FALSE with
 *   %JSW_ERROR_INVALID saying why (no header, malformed, stale, no match)
 */
gboolean
jsw_stripe_verify_signature (const char  *secret,
                             const char  *header,
                             const char  *payload,
                             gsize        length,
                             gint64       now_s,
                             char       **signature,
                             GError     **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  guint8 expected[SHA256_LENGTH];
  const char *timestamp = NULL;
  gint64 seconds;

  if (header == NULL || *header == '\0')
    return refuse (error, _("The Stripe-Signature header is missing"));
  if (strlen (header) > MAX_HEADER_LENGTH)
    return refuse (error, _("The Stripe-Signature header is too long"));

  items = g_strsplit (header, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *equals = strchr (item, '=');

      if (equals == NULL || equals == item)
        return refuse (error, _("The Stripe-Signature header is malformed: each part is key=value"));
      *equals = '\0';
      if (g_str_equal (item, "t"))
        {
          if (timestamp != NULL)
            return refuse (error, _("The Stripe-Signature header has more than one timestamp"));
          timestamp = equals + 1;
        }
      else if (g_str_equal (item, "v1"))
        g_ptr_array_add (candidates, equals + 1);
    }

  if (timestamp == NULL || !parse_timestamp (timestamp, &seconds))
    return refuse (error, _("The Stripe-Signature header has no valid timestamp (t=)"));
  if (candidates->len == 0)
    return refuse (error, _("The Stripe-Signature header has no v1 signature"));
  if (now_s - seconds > JSW_STRIPE_SIGNATURE_TOLERANCE_S || seconds - now_s > JSW_STRIPE_SIGNATURE_TOLERANCE_S)
    return refuse (error, _("The Stripe-Signature timestamp is more than 300 seconds from now"));

  expected_digest (secret, timestamp, payload, length, expected);
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *hex = g_ptr_array_index (candidates, i);
      guint8 given[SHA256_LENGTH];

      if (decode_hex_digest (hex, given) && sodium_memcmp (given, expected, SHA256_LENGTH) == 0)
        {
          if (signature != NULL)
            *signature = g_ascii_strdown (hex, -1);
          return TRUE;
        }
    }
  return refuse (error, _("No Stripe-Signature v1 signature matches the body"));
}

/* Reading events: members that are absent or of another type read as
 * absent; Stripe adds fields freely. */

static JsonObject *
object_at (JsonObject *object,
           const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);

  for (guint i = 0; object != NULL && names[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return object;
}

static const char *
string_of (JsonObject *object,
           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_of (JsonObject *object,
        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gboolean
boolean_of (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Whether @object's member @name is absent, null, or of @type: a member
 * JobSwipe reads that is present with another type is not Stripe's shape
 * (Stripe's API reference gives each field's type), and an event holding
 * one is refused rather than read as if the member were absent. */
static gboolean
member_is (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (type == JSON_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
members_are (JsonObject        *object,
             const char *const *names,
             GType              type)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!member_is (object, names[i], type))
      return FALSE;
  return TRUE;
}

/* A reference to another object: its id, or the expanded object's id. */
static const char *
id_of (JsonObject *object,
       const char *name)
{
  JsonObject *expanded = object_at (object, name);

  return expanded != NULL ? string_of (expanded, "id") : string_of (object, name);
}

/* The first element of a list object's `data` (items, lines). */
static JsonObject *
first_of_list (JsonObject *object,
               const char *name)
{
  JsonObject *list = object_at (object, name);
  JsonNode *data = list ? json_object_get_member (list, "data") : NULL;
  JsonArray *array;

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return NULL;
  array = json_node_get_array (data);
  if (json_array_get_length (array) == 0 || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return NULL;
  return json_array_get_object_element (array, 0);
}

static gint64
seconds_to_us (gint64 seconds)
{
  return seconds > 0 && seconds < G_MAXINT64 / G_USEC_PER_SEC ? seconds * G_USEC_PER_SEC : 0;
}

const char *
jsw_stripe_plan_for_price (const JswBillingConfig *config,
                           const char             *price)
{
  for (guint i = 0; price != NULL && i < JSW_BILLING_N_PLANS; i++)
    if (g_strcmp0 (config->stripe_prices[i], price) == 0)
      return jsw_billing_plans[i];
  return NULL;
}

/* Returns: (nullable): the configured price of @plan, NULL if @plan cannot
 * be bought or has no price */
const char *
jsw_stripe_price_for_plan (const JswBillingConfig *config,
                           const char             *plan)
{
  for (guint i = 0; i < JSW_BILLING_N_PLANS; i++)
    if (g_strcmp0 (jsw_billing_plans[i], plan) == 0)
      return config->stripe_prices[i];
  return NULL;
}

static void
read_checkout_session (JsonObject             *session,
                       const JswBillingConfig *config,
                       JswBillingEvent        *event)
{
  const char *paid = string_of (session, "payment_status");

  event->user_id = string_of (object_at (session, "metadata"), "user_id");
  if (event->user_id == NULL)
    event->user_id = string_of (session, "client_reference_id");
  event->customer = id_of (session, "customer");
  event->customer_from_checkout = TRUE;
  event->subscription = id_of (session, "subscription");
  /* A paid session of ours: the plan it was opened for (metadata[plan],
   * ours, signed by Stripe) is bought; the subscription's own events then
   * bring its price and period. */
  if (event->subscription != NULL && (g_strcmp0 (paid, "paid") == 0 || g_strcmp0 (paid, "no_payment_required") == 0))
    {
      const char *plan = string_of (object_at (session, "metadata"), "plan");

      if (jsw_stripe_price_for_plan (config, plan) != NULL)
        {
          event->plan = plan;
          event->price = jsw_stripe_price_for_plan (config, plan);
          event->status = "active";
        }
    }
}

static gboolean
subscription_has_stripe_shape (JsonObject *subscription,
                               JsonObject *item)
{
  static const char *const strings[] = { "id", "status", NULL };
  static const char *const periods[] = { "current_period_start", "current_period_end", NULL };
  static const char *const objects[] = { "metadata", "items", NULL };

  return members_are (subscription, strings, G_TYPE_STRING) &&
         members_are (subscription, periods, G_TYPE_INT64) &&
         members_are (item, periods, G_TYPE_INT64) &&
         members_are (subscription, objects, JSON_TYPE_OBJECT) &&
         member_is (subscription, "cancel_at_period_end", G_TYPE_BOOLEAN) &&
         member_is (object_at (subscription, "metadata"), "user_id", G_TYPE_STRING) &&
         (member_is (subscription, "customer", G_TYPE_STRING) ||
          member_is (subscription, "customer", JSON_TYPE_OBJECT)) &&
         member_is (item, "price", JSON_TYPE_OBJECT) &&
         member_is (object_at (item, "price"), "id", G_TYPE_STRING);
}

static gboolean
read_subscription (JsonObject             *subscription,
                   const JswBillingConfig *config,
                   JswBillingEvent        *event,
                   GError                **error)
{
  JsonObject *item = first_of_list (subscription, "items");

  if (!subscription_has_stripe_shape (subscription, item))
    return refuse (error, _("The subscription in the event has a field of the wrong type"));

  event->user_id = string_of (object_at (subscription, "metadata"), "user_id");
  event->customer = id_of (subscription, "customer");
  event->subscription = string_of (subscription, "id");
  event->status = string_of (subscription, "status");
  event->price = string_of (object_at (item, "price"), "id");
  event->plan = jsw_stripe_plan_for_price (config, event->price);
  event->period_start = seconds_to_us (int_of (subscription, "current_period_start"));
  event->period_end = seconds_to_us (int_of (subscription, "current_period_end"));
  if (event->period_end == 0)
    {
      event->period_start = seconds_to_us (int_of (item, "current_period_start"));
      event->period_end = seconds_to_us (int_of (item, "current_period_end"));
    }
  event->cancel_at_period_end = boolean_of (subscription, "cancel_at_period_end");
  return TRUE;
}

static void
read_invoice (JsonObject             *invoice,
              const JswBillingConfig *config,
              JswBillingEvent        *event)
{
  JsonObject *details = object_at (invoice, "subscription_details");
  JsonObject *line = first_of_list (invoice, "lines");
  const char *price = string_of (object_at (line, "price"), "id");

  if (details == NULL)
    details = object_at (invoice, "parent.subscription_details");
  if (price == NULL)
    price = string_of (object_at (line, "pricing.price_details"), "price");

  event->user_id = string_of (object_at (details, "metadata"), "user_id");
  event->customer = id_of (invoice, "customer");
  event->invoice = string_of (invoice, "id");
  event->invoice_status = string_of (invoice, "status");
  event->amount_paid = int_of (invoice, "amount_paid");
  event->currency = string_of (invoice, "currency");
  event->paid_at = seconds_to_us (int_of (object_at (invoice, "status_transitions"), "paid_at"));
  /* Only the invoice's own plan: an invoice does not change the
   * subscription; Stripe sends customer.subscription.updated for that. */
  event->plan = jsw_stripe_plan_for_price (config, price);
}

/**
 * jsw_stripe_read_event:
 * @root: a verified delivery's body
 * @event: (out caller-allocates): points into @root, which must outlive it
 * @handled: (out): %FALSE for an event type JobSwipe does not act on
 *
 * Returns: %FALSE with %JSW_ERROR_INVALID when @root is not an event
 *   (no `id`, `type`, `created` or `data.object`), or a subscription in it
 *   has a field JobSwipe reads with another type than Stripe's (`status`
 *   not a string, `current_period_end` not an integer, …)
 */
gboolean
jsw_stripe_read_event (JsonObject              *root,
                       const JswBillingConfig  *config,
                       JswBillingEvent         *event,
                       gboolean                *handled,
                       GError                 **error)
{
  JsonObject *object = object_at (root, "data.object");
  const char *type = string_of (root, "type");

  *event = (JswBillingEvent) { NULL };
  event->event_id = string_of (root, "id");
  event->event_type = type;
  event->created = seconds_to_us (int_of (root, "created"));
  if (event->event_id == NULL || type == NULL || event->created == 0 || object == NULL)
    return refuse (error, _("The body is not a Stripe event: id, type, created and data.object are required"));

  *handled = TRUE;
  if (g_str_equal (type, "checkout.session.completed"))
    read_checkout_session (object, config, event);
  else if (g_str_equal (type, "customer.subscription.created") ||
           g_str_equal (type, "customer.subscription.updated") ||
           g_str_equal (type, "customer.subscription.deleted"))
    return read_subscription (object, config, event, error);
  else if (g_str_equal (type, "invoice.paid") || g_str_equal (type, "invoice.payment_failed"))
    read_invoice (object, config, event);
  else
    *handled = FALSE;
  return TRUE;
}
