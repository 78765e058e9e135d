/* test-billing.c: billing's parts on their own (issue 14): the
 * Stripe-Signature verifier at its edges, the reading of both shapes of
 * Stripe's objects, the store's rules for Stripe events, with an
 * injected clock and under real concurrency (threads with their own
 * connections to one database), and the figures the usage report and
 * /admin read. The store's parts run on SQLite, and again on PostgreSQL
 * as pg-billing (tests/meson.build `both_stores`). The whole flow against
 * a real server, with signatures made by the npm `stripe` package, is
 * tests/peer/billing-peer.mjs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jsw-stripe-webhook.h"
#include "jsw-test-util.h"
#include "jsw-usage-report.h"

#define SECRET "whsec_test_secret"
#define T0     G_GINT64_CONSTANT (1795867200)  /* 2026-11-28T12:00:00Z, in seconds */
#define SEC    G_USEC_PER_SEC
#define DAY    (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

static const JswBillingConfig config = {
  .stripe_secret_key = "sk_test",
  .stripe_webhook_secret = SECRET,
  .stripe_api_base = "http://127.0.0.1:9",
  .stripe_prices = { "price_basic", "price_pro", "price_premium" },
};

/* The signature */

static char *
sign (const char *secret,
      gint64      t,
      const char *payload)
{
  g_autofree char *signed_payload = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", t, payload);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                    signed_payload, -1);
}

static gboolean
verify (const char *header,
        const char *payload,
        gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  gboolean ok = jsw_stripe_verify_signature (SECRET, header, payload, strlen (payload), now, &signature, &error);

  if (ok)
    g_assert_no_error (error);
  else
    g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  return ok;
}

static void
test_signature_edges (void)
{
  const char *payload = "{\"id\":\"evt_1\"}";
  g_autofree char *good = sign (SECRET, T0, payload);
  g_autofree char *other = sign ("whsec_other", T0, payload);
  g_autofree char *upper = g_ascii_strup (good, -1);
  g_autofree char *header = NULL;

  /* Several v1 (a secret being rolled), other schemes, spaces: one match is enough. */
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ", v1=%s, v0=%s, v1=%s", T0, other, other, good);
  g_assert_true (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", T0, upper);
  g_assert_true (verify (header, payload, T0));

  /* 300 s either way is the edge. */
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", T0, good);
  g_assert_true (verify (header, payload, T0 + 300));
  g_assert_false (verify (header, payload, T0 + 301));
  g_assert_true (verify (header, payload, T0 - 300));
  g_assert_false (verify (header, payload, T0 - 301));

  /* Only v0, a signed timestamp that is not the header's, signs and sizes that are not. */
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v0=%s", T0, good);
  g_assert_false (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", T0 + 1, good);
  g_assert_false (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=+%" G_GINT64_FORMAT ",v1=%s", T0, good);
  g_assert_false (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s00", T0, good);
  g_assert_false (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%.63s", T0, good);
  g_assert_false (verify (header, payload, T0));
  g_free (header);
  header = g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%sz", T0, good + 1);
  g_assert_false (verify (header, payload, T0));
  g_assert_false (verify ("t=,v1=", payload, T0));
  g_assert_false (verify (",,,", payload, T0));
  g_assert_false (verify ("=", payload, T0));
  g_assert_false (verify (NULL, payload, T0));
}

/* Reading events */

static JsonObject *
parse (const char *text,
       JsonNode  **root)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = jsw_json_parse_object (text, -1, root, &error);

  g_assert_no_error (error);
  return object;
}

/* Stripe's API of 2025-03-31 and later: the period on the subscription's
 * items, an invoice's subscription under `parent`, a price under
 * `pricing`; and an expanded customer. */
static void
test_event_shapes (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) invoice_root = NULL;
  g_autoptr(GError) error = NULL;
  JswBillingEvent event;
  gboolean handled;

  g_assert_true (jsw_stripe_read_event (parse ("{\"id\":\"evt_1\",\"type\":\"customer.subscription.updated\",\"created\":1795867200,"
                                              "\"data\":{\"object\":{\"id\":\"sub_1\",\"customer\":{\"id\":\"cus_1\",\"object\":\"customer\"},"
                                              "\"status\":\"past_due\",\"cancel_at_period_end\":true,\"metadata\":{\"user_id\":\"u_1\"},"
                                              "\"items\":{\"data\":[{\"price\":{\"id\":\"price_premium\"},"
                                              "\"current_period_start\":1795000000,\"current_period_end\":1797592000}]}}}}", &root),
                                        &config, &event, &handled, &error));
  g_assert_no_error (error);
  g_assert_true (handled);
  g_assert_cmpstr (event.customer, ==, "cus_1");
  g_assert_cmpstr (event.user_id, ==, "u_1");
  g_assert_cmpstr (event.plan, ==, "premium");
  g_assert_cmpstr (event.status, ==, "past_due");
  g_assert_cmpint (event.period_end, ==, G_GINT64_CONSTANT (1797592000) * SEC);
  g_assert_cmpint (event.created, ==, T0 * SEC);
  g_assert_true (event.cancel_at_period_end);

  g_assert_true (jsw_stripe_read_event (parse ("{\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"created\":1795867200,"
                                              "\"data\":{\"object\":{\"id\":\"in_1\",\"customer\":\"cus_1\",\"status\":\"paid\","
                                              "\"amount_paid\":4900,\"currency\":\"eur\",\"status_transitions\":{\"paid_at\":1795867100},"
                                              "\"parent\":{\"subscription_details\":{\"subscription\":\"sub_1\",\"metadata\":{\"user_id\":\"u_1\"}}},"
                                              "\"lines\":{\"data\":[{\"pricing\":{\"price_details\":{\"price\":\"price_pro\"}}}]}}}}", &invoice_root),
                                        &config, &event, &handled, &error));
  g_assert_cmpstr (event.invoice, ==, "in_1");
  g_assert_cmpstr (event.user_id, ==, "u_1");
  g_assert_cmpstr (event.plan, ==, "pro");
  g_assert_cmpint (event.amount_paid, ==, 4900);
  g_assert_null (event.status);  /* an invoice does not move the subscription */

  /* Not an event at all: refused; a type we do not act on: not handled. */
  g_clear_pointer (&root, json_node_unref);
  g_assert_false (jsw_stripe_read_event (parse ("{\"id\":\"evt_3\",\"type\":\"invoice.paid\"}", &root),
                                         &config, &event, &handled, &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);
  g_assert_true (jsw_stripe_read_event (parse ("{\"id\":\"evt_4\",\"type\":\"charge.refunded\",\"created\":1,\"data\":{\"object\":{}}}", &root),
                                        &config, &event, &handled, &error));
  g_assert_false (handled);
}

/* A signed subscription event whose fields JobSwipe reads have another
 * type than Stripe's is refused, not read as if they were absent. */
static void
test_event_wrong_types (void)
{
  static const char *const objects[] = {
    "{\"id\":\"sub_1\",\"status\":123}",
    "{\"id\":\"sub_1\",\"status\":\"active\",\"current_period_end\":\"x\"}",
    "{\"id\":\"sub_1\",\"status\":\"active\",\"cancel_at_period_end\":\"yes\"}",
    "{\"id\":7,\"status\":\"active\"}",
    "{\"id\":\"sub_1\",\"status\":\"active\",\"metadata\":{\"user_id\":5}}",
    "{\"id\":\"sub_1\",\"status\":\"active\",\"items\":{\"data\":[{\"current_period_end\":\"x\"}]}}",
    "{\"id\":\"sub_1\",\"status\":\"active\",\"items\":{\"data\":[{\"price\":{\"id\":1}}]}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"id\":\"evt_1\",\"type\":\"customer.subscription.updated\","
                                               "\"created\":1795867200,\"data\":{\"object\":%s}}", objects[i]);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JswBillingEvent event;
      gboolean handled;

      g_assert_false (jsw_stripe_read_event (parse (text, &root), &config, &event, &handled, &error));
      g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
    }
}

/* The store's rules */

typedef struct {
  char     *dir;
  char     *path;
  JswStore *store;
  char     *user_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jsw-billing-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = jsw_test_database_new (f->dir);
  f->store = jsw_test_store_open (f->path, &error);
  g_assert_no_error (error);
  f->user_id = jsw_store_create_user (f->store, "buyer@example.com", "free", NULL, T0 * SEC, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  jsw_test_database_drop (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->user_id);
}

/* A subscription event made @created_s seconds after T0. */
static JswBillingOutcome
apply (JswStore   *store,
       const char *user_id,
       const char *event_id,
       gint64      created_s,
       const char *subscription,
       const char *status,
       const char *plan,
       gint64      period_end)
{
  g_autoptr(GError) error = NULL;
  JswBillingOutcome outcome;
  JswBillingEvent event = {
    .event_id = event_id, .event_type = "customer.subscription.updated",
    .created = (T0 + created_s) * SEC, .user_id = user_id, .customer = "cus_1",
    .subscription = subscription, .status = status, .plan = plan, .period_end = period_end,
  };

  g_assert_true (jsw_store_apply_billing_event (store, &event, (T0 + created_s) * SEC, &outcome, NULL, &error));
  g_assert_no_error (error);
  return outcome;
}

static JswAccount *
account_at (Fixture *f,
            gint64   now)
{
  g_autoptr(GError) error = NULL;
  JswAccount *account = jsw_store_get_account (f->store, f->user_id, now, &error);

  g_assert_no_error (error);
  return account;
}

static void
assert_plan (Fixture    *f,
             gint64      now,
             const char *plan,
             const char *status)
{
  g_autoptr(JswAccount) account = account_at (f, now);

  g_assert_cmpstr (account->plan, ==, plan);
  g_assert_cmpstr (account->subscription_status, ==, status);
}

static void
test_store_order (Fixture       *f,
                  gconstpointer  data)
{
  gint64 period = (T0 * SEC) + 30 * DAY;

  /* updated before created */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_b", 20, "sub_1", "active", "basic", period), ==, JSW_BILLING_APPLIED);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_a", 10, "sub_1", "incomplete", "pro", period), ==, JSW_BILLING_STALE);
  assert_plan (f, T0 * SEC, "basic", "active");

  /* the same event again */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_b", 20, "sub_1", "active", "basic", period), ==, JSW_BILLING_DUPLICATE);

  /* same second: the one further along stays */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_c", 20, "sub_1", "trialing", "pro", period), ==, JSW_BILLING_STALE);
  assert_plan (f, T0 * SEC, "basic", "active");

  /* deleted before updated: a canceled subscription is never revived */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_e", 40, "sub_1", "canceled", NULL, period), ==, JSW_BILLING_APPLIED);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_d", 30, "sub_1", "active", "pro", period), ==, JSW_BILLING_STALE);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_f", 50, "sub_1", "active", "pro", period + DAY), ==, JSW_BILLING_STALE);

  /* the plan holds until the period's end, then it is free */
  assert_plan (f, period - SEC, "basic", "canceled");
  assert_plan (f, period, "free", "canceled");

  /* a new subscription takes over; the old one's events cannot end it */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_g", 60, "sub_2", "active", "premium", period + 30 * DAY), ==, JSW_BILLING_APPLIED);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_h", 70, "sub_1", "canceled", NULL, period), ==, JSW_BILLING_STALE);
  assert_plan (f, period + DAY, "premium", "active");

  /* past_due keeps the plan; unpaid keeps it to the period's end */
  g_assert_cmpint (apply (f->store, f->user_id, "evt_i", 80, "sub_2", "past_due", "premium", period + 30 * DAY), ==, JSW_BILLING_APPLIED);
  assert_plan (f, period + 40 * DAY, "premium", "past_due");
  g_assert_cmpint (apply (f->store, f->user_id, "evt_j", 90, "sub_2", "unpaid", "premium", period + 30 * DAY), ==, JSW_BILLING_APPLIED);
  assert_plan (f, period + 29 * DAY, "premium", "unpaid");
  assert_plan (f, period + 30 * DAY, "free", "unpaid");

  /* an event that names nobody, by user or customer, changes nothing and is recorded */
  {
    g_autoptr(GError) error = NULL;
    JswBillingOutcome outcome;
    JswBillingEvent event = {
      .event_id = "evt_k", .event_type = "customer.subscription.created", .created = (T0 + 100) * SEC,
      .user_id = "u_nobody", .customer = "cus_unknown", .subscription = "sub_9", .status = "active", .plan = "pro",
    };

    g_assert_true (jsw_store_apply_billing_event (f->store, &event, (T0 + 100) * SEC, &outcome, NULL, &error));
    g_assert_cmpint (outcome, ==, JSW_BILLING_NO_USER);
    assert_plan (f, period + DAY, "premium", "unpaid");
  }
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT count(*) FROM stripe_events WHERE outcome = 'no_user'", NULL), ==, 1);
}

/* Two deliveries at once, many times over: each on its own connection,
 * as two server processes (or the CLI beside one) would be. */
#define N_RACERS 6
#define EVENTS_PER_RACER 10

typedef struct {
  const char *path;
  const char *user_id;
  int         racer;
  guint       applied;
} Racer;

static gpointer
race_events (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JswStore) store = jsw_test_store_open (racer->path, &error);

  g_assert_no_error (error);
  for (int i = 0; i < EVENTS_PER_RACER; i++)
    {
      /* Every racer delivers every event, in its own order. */
      int n = (i * 7 + racer->racer * 3) % EVENTS_PER_RACER;
      g_autofree char *id = g_strdup_printf ("evt_race_%d", n);
      const char *plan = n % 2 == 0 ? "basic" : "pro";

      racer->applied += apply (store, racer->user_id, id, n, "sub_1", "active", plan, 0) == JSW_BILLING_APPLIED;
    }
  return NULL;
}

/* Only active, trialing and past_due entitle to the paid plan (canceled
 * and unpaid to their period's end); paused, incomplete and any status
 * Stripe may add give free, the status kept as given. */
static void
test_store_status_entitles (Fixture       *f,
                            gconstpointer  data)
{
  gint64 period = (T0 * SEC) + 30 * DAY;

  g_assert_cmpint (apply (f->store, f->user_id, "evt_a", 10, "sub_1", "active", "premium", period), ==, JSW_BILLING_APPLIED);
  assert_plan (f, T0 * SEC, "premium", "active");
  g_assert_cmpint (apply (f->store, f->user_id, "evt_b", 20, "sub_1", "paused", "premium", period), ==, JSW_BILLING_APPLIED);
  assert_plan (f, T0 * SEC, "free", "paused");
  g_assert_cmpint (apply (f->store, f->user_id, "evt_c", 30, "sub_1", "trialing", "premium", period), ==, JSW_BILLING_APPLIED);
  assert_plan (f, T0 * SEC, "premium", "trialing");
  g_assert_cmpint (apply (f->store, f->user_id, "evt_d", 40, "sub_1", "bogus_status", "premium", period), ==, JSW_BILLING_APPLIED);
  assert_plan (f, T0 * SEC, "free", "bogus_status");
  g_assert_cmpint (apply (f->store, f->user_id, "evt_e", 50, "sub_1", "incomplete", "premium", period), ==, JSW_BILLING_APPLIED);
  assert_plan (f, T0 * SEC, "free", "incomplete");
}

/* Once a newer event of a subscription was seen, an older one never
 * applies, even when the newer one was itself ruled stale. */
static void
test_store_newest_seen (Fixture       *f,
                        gconstpointer  data)
{
  gint64 period = (T0 * SEC) + 30 * DAY;

  g_assert_cmpint (apply (f->store, f->user_id, "evt_a", 60, "sub_1", "active", "premium", period), ==, JSW_BILLING_APPLIED);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_c", 90, "sub_1", "canceled", NULL, period - DAY), ==, JSW_BILLING_STALE);
  g_assert_cmpint (apply (f->store, f->user_id, "evt_b", 70, "sub_1", "active", "basic", period), ==, JSW_BILLING_STALE);
  assert_plan (f, T0 * SEC, "premium", "active");
}

static void
test_store_concurrent (Fixture       *f,
                       gconstpointer  data)
{
  Racer racers[N_RACERS];
  GThread *threads[N_RACERS];
  guint applied = 0;

  for (int t = 0; t < N_RACERS; t++)
    {
      racers[t] = (Racer) { f->path, f->user_id, t, 0 };
      threads[t] = g_thread_new ("racer", race_events, &racers[t]);
    }
  for (int t = 0; t < N_RACERS; t++)
    {
      g_thread_join (threads[t]);
      applied += racers[t].applied;
    }

  /* Each event recorded once; the newest (created T0 + 9 s, pro) is what stays. */
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT count(*) FROM stripe_events", NULL), ==, EVENTS_PER_RACER);
  g_assert_cmpint (applied, <=, EVENTS_PER_RACER);
  g_assert_cmpint (applied, >=, 1);
  assert_plan (f, T0 * SEC, "pro", "active");
  g_assert_cmpint (jsw_test_db_int (f->path, "SELECT stripe_event_created FROM subscriptions WHERE user_id = ?1", f->user_id),
                   ==, (T0 + EVENTS_PER_RACER - 1) * SEC);
}

/* A server entry for @job_id swiped at T0, claimed by a worker and, with
 * @outcome >= 0, finished a second later with it. */
static void
run_entry (Fixture    *f,
           const char *user_id,
           const char *job_id,
           int         outcome,
           const char *error_text)
{
  g_autofree char *json = g_strdup_printf ("{\"job_id\":\"%s\",\"title\":\"T\",\"company\":\"C\","
                                           "\"apply_url\":\"https://c.example/%s\"}", job_id, job_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JswJob) job = jsw_job_new_from_json (json, &error);
  JswAuth worker = { NULL, JSW_KIND_SERVER, (char *) "w1" };
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(JswEntry) claimed = NULL;
  g_autoptr(JswEntry) finished = NULL;
  g_autofree char *lease = NULL;
  gboolean created;
  gint64 expires;

  g_assert_no_error (error);
  entry = jsw_store_swipe_right (f->store, user_id, job, T0 * SEC, &created, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->target, ==, JSW_TARGET_SERVER);
  if (outcome < 0)
    return;
  claimed = jsw_store_claim (f->store, &worker, entry->id, 60 * SEC, T0 * SEC, &lease, &expires, NULL, &error);
  g_assert_no_error (error);
  finished = jsw_store_finish (f->store, &worker, lease, outcome, NULL, error_text, NULL, (T0 + 1) * SEC, NULL, &error);
  g_assert_no_error (error);
}

static JswPlanUsage *
find_line (GPtrArray  *lines,
           const char *plan)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (((JswPlanUsage *) g_ptr_array_index (lines, i))->plan, plan))
      return g_ptr_array_index (lines, i);
  g_assert_not_reached ();
}

/* What the operator reads (jobswipe-server usage-report, /admin) after a
 * purchase: the buyer counted as paying on the plan bought, the month's
 * entries by outcome, the invoice's revenue; and the failed entry listed
 * with its owner and error. */
static void
test_store_report (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = jsw_store_create_user (f->store, "other@example.com", "free", NULL, T0 * SEC, &error);
  g_autoptr(JswSubscription) subscription = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *user_id = NULL;
  JswFailedEntry *first;
  gint64 counts[JSW_N_STATES][3];
  JswBillingOutcome outcome;
  gint64 start, end;
  JswBillingEvent paid = {
    .event_id = "evt_paid", .event_type = "invoice.paid", .created = T0 * SEC,
    .user_id = f->user_id, .customer = "cus_1", .subscription = "sub_1", .status = "active", .plan = "pro",
    .period_start = T0 * SEC, .period_end = (T0 * SEC) + 30 * DAY,
    .invoice = "in_1", .invoice_status = "paid", .amount_paid = 4900, .currency = "eur", .paid_at = T0 * SEC,
  };

  g_assert_no_error (error);
  g_assert_true (jsw_store_apply_billing_event (f->store, &paid, T0 * SEC, &outcome, &user_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, JSW_BILLING_APPLIED);
  g_assert_cmpstr (user_id, ==, f->user_id);

  subscription = jsw_store_get_subscription (f->store, f->user_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (subscription->plan, ==, "pro");
  g_assert_cmpstr (subscription->status, ==, "active");
  g_assert_cmpstr (subscription->stripe_customer, ==, "cus_1");
  g_assert_cmpstr (subscription->stripe_subscription, ==, "sub_1");
  g_assert_cmpint (subscription->current_period_end, ==, (T0 * SEC) + 30 * DAY);
  g_assert_null (jsw_store_get_subscription (f->store, "u_nobody", &error));
  g_assert_error (error, JSW_ERROR, JSW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  run_entry (f, f->user_id, "job-1", JSW_OUTCOME_SUBMITTED, NULL);
  run_entry (f, f->user_id, "job-2", JSW_OUTCOME_FAILED, "The form is gone");
  run_entry (f, f->user_id, "job-3", -1, NULL);
  run_entry (f, other, "job-4", JSW_OUTCOME_NEEDS_USER, NULL);

  g_assert_true (jsw_usage_report_month ("2026-11", 0, &start, &end, NULL, &error));
  lines = jsw_store_usage_report (f->store, start, end, T0 * SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_line (lines, "pro")->users, ==, 1);
  g_assert_cmpint (find_line (lines, "pro")->paying_users, ==, 1);
  g_assert_cmpint (find_line (lines, "pro")->server_entries, ==, 3);
  g_assert_cmpint (find_line (lines, "pro")->desktop_entries, ==, 0);
  g_assert_cmpint (find_line (lines, "pro")->finished, ==, 2);
  g_assert_cmpint (find_line (lines, "pro")->submitted, ==, 1);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (find_line (lines, "pro")->revenue, "eur"), ==, 4900);
  g_assert_cmpint (find_line (lines, "free")->users, ==, 1);
  g_assert_cmpint (find_line (lines, "free")->paying_users, ==, 0);
  g_assert_cmpint (find_line (lines, "free")->needs_you, ==, 1);
  g_assert_cmpint (g_hash_table_size (find_line (lines, "free")->revenue), ==, 0);
  g_assert_cmpint (find_line (lines, "basic")->users, ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Another month: the users are there, the entries and revenue are not. */
  g_assert_true (jsw_usage_report_month ("2026-10", 0, &start, &end, NULL, &error));
  lines = jsw_store_usage_report (f->store, start, end, T0 * SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_line (lines, "pro")->users, ==, 1);
  g_assert_cmpint (find_line (lines, "pro")->server_entries, ==, 0);
  g_assert_cmpint (g_hash_table_size (find_line (lines, "pro")->revenue), ==, 0);

  g_assert_true (jsw_store_count_by_state_and_target (f->store, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[JSW_STATE_SUBMITTED][JSW_TARGET_SERVER], ==, 1);
  g_assert_cmpint (counts[JSW_STATE_FAILED][JSW_TARGET_SERVER], ==, 1);
  g_assert_cmpint (counts[JSW_STATE_QUEUED][JSW_TARGET_SERVER], ==, 1);
  g_assert_cmpint (counts[JSW_STATE_NEEDS_USER][JSW_TARGET_SERVER], ==, 1);
  g_assert_cmpint (counts[JSW_STATE_QUEUED][JSW_TARGET_DESKTOP], ==, 0);

  failed = jsw_store_list_failed_entries (f->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failed->len, ==, 1);
  first = g_ptr_array_index (failed, 0);
  g_assert_cmpstr (first->email, ==, "buyer@example.com");
  g_assert_cmpstr (first->job_id, ==, "job-2");
  g_assert_cmpstr (first->target, ==, "server");
  g_assert_cmpstr (first->error, ==, "The form is gone");
  g_assert_cmpint (first->updated_at, ==, (T0 + 1) * SEC);
}

static void
test_usage_month (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 start, end;

  g_assert_true (jsw_usage_report_month ("2026-02", 0, &start, &end, &name, &error));
  g_assert_cmpstr (name, ==, "2026-02");
  g_assert_cmpint (end - start, ==, 28 * DAY);
  g_clear_pointer (&name, g_free);
  g_assert_true (jsw_usage_report_month (NULL, T0 * SEC, &start, &end, &name, &error));
  g_assert_cmpstr (name, ==, "2026-11");
  for (guint i = 0; i < 6; i++)
    {
      static const char *const bad[] = { "2026-13", "2026-00", "26-11", "2026/11", "2026-1x", "+026-11" };

      g_assert_false (jsw_usage_report_month (bad[i], 0, &start, &end, NULL, &error));
      g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/billing/signature/edges", test_signature_edges);
  g_test_add_func ("/billing/event/shapes", test_event_shapes);
  g_test_add ("/billing/store/order", Fixture, NULL, fixture_set_up, test_store_order, fixture_tear_down);
  g_test_add_func ("/billing/event/wrong-types", test_event_wrong_types);
  g_test_add ("/billing/store/status-entitles", Fixture, NULL, fixture_set_up, test_store_status_entitles, fixture_tear_down);
  g_test_add ("/billing/store/newest-seen", Fixture, NULL, fixture_set_up, test_store_newest_seen, fixture_tear_down);
  g_test_add ("/billing/store/concurrent", Fixture, NULL, fixture_set_up, test_store_concurrent, fixture_tear_down);
  g_test_add_func ("/billing/usage-report/month", test_usage_month);
  g_test_add ("/billing/store/report", Fixture, NULL, fixture_set_up, test_store_report, fixture_tear_down);

  return g_test_run ();
}
