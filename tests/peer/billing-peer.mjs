// billing-peer.mjs: buying a plan, end to end, against a real
// jobswipe-server (issue 14).
//
// Webhook deliveries are signed by the npm `stripe` package
// (stripe.webhooks.generateTestHeaderString), an implementation we did not
// write; Checkout and the portal go to a fake Stripe API on a loopback
// port that records every request, so the test checks the form fields,
// the Idempotency-Key and the Authorization header the server sends.
// The stream is read with the npm `ws` package.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import WebSocket from 'ws';
import * as peer from './jsw-peer.mjs';


const SECRET_KEY = 'sk_test_' + randomBytes(12).toString('hex');
const WEBHOOK_SECRET = 'whsec_' + randomBytes(24).toString('base64');
const PRICES = { basic: 'price_basic_test', pro: 'price_pro_test' };   // premium: not configured
const stripe = new Stripe(SECRET_KEY);

const dir = mkdtempSync(join(tmpdir(), 'jsw-billing-'));
const db = join(dir, 'billing.db');


// The fake Stripe API: records each request, answers as Stripe does.
function startFakeStripe() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, form: new URLSearchParams(body) });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/v1/checkout/sessions') {
        const id = 'cs_test_' + requests.length;
        res.end(JSON.stringify({ id, object: 'checkout.session', url: `https://checkout.stripe.test/c/pay/${id}` }));
      } else if (req.url === '/v1/billing_portal/sessions') {
        res.end(JSON.stringify({ id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.test/p/session/bps_1' }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (POST: ${req.url})` } }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, requests, url: `http://127.0.0.1:${server.address().port}` });
  }));
}



let server;
let fake;
let ws;
let failed = false;
const now = () => Math.floor(Date.now() / 1000);

try {
  const { token, user_id: userId } = peer.cli(db, 'user', 'add', 'buyer@example.com', '--plan', 'free');
  const other = peer.cli(db, 'user', 'add', 'other@example.com', '--plan', 'free');
  fake = await startFakeStripe();

  // Without a key, billing answers a clear error and the rest works.
  server = await peer.startServer(db, { JOBSWIPE_STRIPE_SECRET_KEY: '' });
  {
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const r = await fetch(`${server.url}/v1/subscription/checkout`, { method: 'POST', headers: auth, body: '{"plan":"pro"}' });
    assert.equal(r.status, 503);
    const body = await r.json();
    assert.equal(body.error.code, 'unavailable');
    assert.match(body.error.message, /billing is not set up/);
    assert.equal((await fetch(`${server.url}/v1/me`, { headers: auth })).status, 200);
    assert.ok(await peer.stopServer(server));
  }

  // The pro price comes from the config file, the rest from the environment.
  const config = join(dir, 'server.conf');
  writeFileSync(config, `[jobswipe-server]\nJOBSWIPE_STRIPE_PRICE_PRO=${PRICES.pro}\nJOBSWIPE_STRIPE_PRICE_BASIC=price_overridden_by_env\n`);
  server = await peer.startServer(db, {
    JOBSWIPE_STRIPE_SECRET_KEY: SECRET_KEY,
    JOBSWIPE_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOBSWIPE_STRIPE_API_BASE: fake.url,
    JOBSWIPE_STRIPE_PRICE_BASIC: PRICES.basic,
    JOBSWIPE_STRIPE_PRICE_PREMIUM: '',
  }, ['--config', config]);
  const base = server.url;
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const me = async () => (await fetch(`${base}/v1/me`, { headers: auth })).json();
  const post = (path, body, headers = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { ...auth, ...headers }, body: JSON.stringify(body) });

  // --- Checkout: what Stripe is sent
  {
    const r = await post('/v1/subscription/checkout', { plan: 'pro' }, { 'Idempotency-Key': 'click-1' });
    assert.equal(r.status, 200);
    const { checkout_url: url } = await r.json();
    assert.match(url, /^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    assert.equal(fake.requests.length, 1);
    const sent = fake.requests[0];
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/v1/checkout/sessions');
    assert.equal(sent.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.ok(sent.headers['idempotency-key'] && sent.headers['idempotency-key'].length <= 255);
    assert.equal(sent.form.get('mode'), 'subscription');
    assert.equal(sent.form.get('line_items[0][price]'), PRICES.pro);
    assert.equal(sent.form.get('line_items[0][quantity]'), '1');
    assert.equal(sent.form.get('client_reference_id'), userId);
    assert.equal(sent.form.get('metadata[user_id]'), userId);
    assert.equal(sent.form.get('metadata[plan]'), 'pro');
    assert.equal(sent.form.get('subscription_data[metadata][user_id]'), userId);
    assert.equal(sent.form.get('customer_email'), 'buyer@example.com');
    assert.equal(sent.form.get('customer'), null);
    assert.equal(sent.form.get('success_url'), `${base}/billing/done`);
    assert.equal(sent.form.get('cancel_url'), `${base}/billing/cancelled`);

    // The same click retried keeps Stripe's Idempotency-Key; another click gets another.
    await post('/v1/subscription/checkout', { plan: 'pro' }, { 'Idempotency-Key': 'click-1' });
    await post('/v1/subscription/checkout', { plan: 'pro' }, { 'Idempotency-Key': 'click-2' });
    assert.equal(fake.requests[1].headers['idempotency-key'], sent.headers['idempotency-key']);
    assert.notEqual(fake.requests[2].headers['idempotency-key'], sent.headers['idempotency-key']);

    // The page Checkout returns to exists.
    const done = await fetch(`${base}/billing/done`);
    assert.equal(done.status, 200);
    assert.match(await done.text(), /go back to JobSwipe/);
  }

  // Plans that cannot be bought: 400, and Stripe is not called.
  for (const [body, pattern] of [[{ plan: 'free' }, /free plan/], [{ plan: 'gold' }, /no plan “gold”/],
                                 [{ plan: 'premium' }, /no Stripe price/], [{}, /plan/], [{ plan: 7 }, /plan/]]) {
    const before = fake.requests.length;
    const r = await post('/v1/subscription/checkout', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    const answer = await r.json();
    assert.equal(answer.error.code, 'invalid');
    assert.match(answer.error.message, pattern);
    assert.equal(fake.requests.length, before);
  }

  // No customer yet: no portal.
  assert.equal((await post('/v1/subscription/portal', {})).status, 409);

  // --- Webhooks
  let deliveries = 0;
  const deliver = async (event, { header, body, secret = WEBHOOK_SECRET } = {}) => {
    const payload = body ?? JSON.stringify(event);
    // Each delivery signed at its own second, as Stripe's retries are.
    const signature = header ?? stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now() - (++deliveries % 250) });
    const r = await fetch(`${base}/v1/webhooks/stripe`, {
      method: 'POST', headers: { 'Stripe-Signature': signature, 'Content-Type': 'application/json' }, body: payload,
    });
    return { status: r.status, body: await r.json(), payload, signature };
  };
  let eventNumber = 0;
  const eventId = () => `evt_test_${++eventNumber}_${randomBytes(4).toString('hex')}`;
  const subscriptionEvent = (type, created, { sub = 'sub_1', status = 'active', price = PRICES.pro, user = userId,
                                               periodEnd = now() + 30 * 86400, cancelAtPeriodEnd = false } = {}) => ({
    id: eventId(), object: 'event', type, created, api_version: '2024-06-20',
    data: { object: {
      id: sub, object: 'subscription', customer: 'cus_1', status, cancel_at_period_end: cancelAtPeriodEnd,
      current_period_start: periodEnd - 30 * 86400, current_period_end: periodEnd,
      items: { object: 'list', data: [{ id: 'si_1', price: { id: price } }] },
      metadata: user ? { user_id: user } : {},
    } },
  });

  // A free user at the daily limit (3): the fourth swipe is refused.
  const swipe = (jobId) => post('/v1/swipes', {
    direction: 'right',
    job: { job_id: jobId, title: 'Engineer', company: 'Acme', apply_url: 'https://jobs.example.com/1' },
  });
  for (let i = 1; i <= 3; i++) assert.equal((await swipe(`job-${i}`)).status, 201);
  const refused = await swipe('job-4');
  assert.equal(refused.status, 402);
  assert.equal((await refused.json()).error.code, 'quota_exceeded');

  // The person's app is connected.
  ws = new WebSocket(`${base.replace('http', 'ws')}/v1/stream`, { headers: { Authorization: `Bearer ${token}` } });
  const nextFrame = peer.frames(ws);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'hello', device: 'billing-peer', since: 0 }));
  await nextFrame('welcome');

  // Verification: every bad delivery is 400 and changes nothing. Each
  // carries an event that would upgrade the user; afterwards the same
  // event id, properly signed, is still new (so nothing was recorded).
  const upgrade = subscriptionEvent('customer.subscription.created', now() - 100);
  const payload = JSON.stringify(upgrade);
  const good = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const goodV1 = good.split(',').find((part) => part.startsWith('v1=')).slice(3);
  const goodT = good.split(',').find((part) => part.startsWith('t=')).slice(2);
  const stale = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now() - 301 });
  const otherSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_' + randomBytes(24).toString('base64') });
  const changed = payload.replace('"status":"active"', '"status":"activf"');
  assert.notEqual(changed, payload);
  const bad = {
    forged: { header: `t=${now()},v1=${randomBytes(32).toString('hex')}` },
    stale: { header: stale },
    truncated: { header: `t=${goodT},v1=${goodV1.slice(0, 40)}` },
    'cut header': { header: good.slice(0, good.indexOf('v1=') + 2) },
    malformed: { header: 'this is not a signature' },
    'no timestamp': { header: `v1=${goodV1}` },
    'two timestamps': { header: `t=${goodT},t=${goodT},v1=${goodV1}` },
    'no header': { header: '' },
    'other secret': { header: otherSecret },
    'one byte changed': { header: good, body: changed },
  };
  for (const [name, how] of Object.entries(bad)) {
    const r = await deliver(upgrade, { body: payload, ...how });
    assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'invalid', name);
    assert.equal((await me()).plan, 'free', name);
  }

  // The good delivery is taken; the very same delivery again is a replay.
  const first = await deliver(upgrade, { header: good, body: payload });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.outcome, 'applied');
  const replay = await deliver(upgrade, { header: good, body: payload });
  assert.equal(replay.status, 400);
  assert.match(replay.body.error.message, /replayed/);
  // Stripe's own retry of the same event, later, is signed anew: 200, applied once.
  const retry = await deliver(upgrade, {
    body: payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now() + 1 }),
  });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.outcome, 'duplicate');

  // The upgrade reaches the open stream at once, and the next swipe.
  const account = await nextFrame('account');
  assert.equal(account.account.plan, 'pro');
  assert.equal(account.account.limits.daily, 25);
  assert.equal(account.account.user_id, userId);
  const after = await me();
  assert.equal(after.plan, 'pro');
  assert.equal(after.subscription.status, 'active');
  assert.equal(after.subscription.current_period_end !== null, true);
  assert.equal((await swipe('job-4')).status, 201, 'the swipe refused before succeeds after the upgrade');

  // The other user's stream is not told; their plan is unchanged.
  const otherMe = await (await fetch(`${base}/v1/me`, { headers: { Authorization: `Bearer ${other.token}` } })).json();
  assert.equal(otherMe.plan, 'free');

  // An event type we do not handle: 200, nothing done.
  const unhandled = await deliver({ id: eventId(), object: 'event', type: 'customer.created', created: now(), data: { object: { id: 'cus_9' } } });
  assert.equal(unhandled.status, 200);
  assert.equal(unhandled.body.outcome, 'ignored');

  // checkout.session.completed records the customer: the portal opens for it.
  const completed = await deliver({
    id: eventId(), object: 'event', type: 'checkout.session.completed', created: now() - 90,
    data: { object: { id: 'cs_test_1', object: 'checkout.session', mode: 'subscription', customer: 'cus_1',
                      subscription: 'sub_1', client_reference_id: userId, payment_status: 'paid',
                      metadata: { user_id: userId, plan: 'pro' } } },
  });
  assert.equal(completed.status, 200);
  const portal = await post('/v1/subscription/portal', {});
  assert.equal(portal.status, 200);
  assert.equal((await portal.json()).portal_url, 'https://billing.stripe.test/p/session/bps_1');
  const portalRequest = fake.requests.at(-1);
  assert.equal(portalRequest.path, '/v1/billing_portal/sessions');
  assert.equal(portalRequest.form.get('customer'), 'cus_1');
  assert.equal(portalRequest.headers.authorization, `Bearer ${SECRET_KEY}`);
  assert.ok(portalRequest.headers['idempotency-key']);
  // A subscriber does not open a second subscription.
  assert.equal((await post('/v1/subscription/checkout', { plan: 'basic' })).status, 409);

  // --- Event order: the newest wins, whatever the order of arrival.
  const t = now() - 60;
  // updated (to basic) before created (pro): stays basic.
  let r = await deliver(subscriptionEvent('customer.subscription.updated', t + 2, { price: PRICES.basic }));
  assert.equal(r.body.outcome, 'applied');
  r = await deliver(subscriptionEvent('customer.subscription.created', t + 1, { price: PRICES.pro }));
  assert.equal(r.body.outcome, 'stale');
  assert.equal((await me()).plan, 'basic');

  // Same event twice: applied once.
  const twice = subscriptionEvent('customer.subscription.updated', t + 3, { price: PRICES.pro });
  assert.equal((await deliver(twice)).body.outcome, 'applied');
  assert.equal((await deliver(twice)).body.outcome, 'duplicate');
  assert.equal((await me()).plan, 'pro');

  // Two webhooks for one user at once: the newer one is what stays.
  const older = subscriptionEvent('customer.subscription.updated', t + 4, { price: PRICES.basic });
  const newer = subscriptionEvent('customer.subscription.updated', t + 5, { price: PRICES.pro, cancelAtPeriodEnd: true });
  const both = await Promise.all([deliver(newer), deliver(older)]);
  assert.deepEqual(both.map((x) => x.status), [200, 200]);
  let state = await me();
  assert.equal(state.plan, 'pro');
  assert.equal(state.subscription.cancel_at_period_end, true);

  // A period never goes back: an event made later about an earlier period changes nothing.
  r = await deliver(subscriptionEvent('customer.subscription.updated', t + 6,
                                      { price: PRICES.basic, periodEnd: now() + 10 * 86400 }));
  assert.equal(r.body.outcome, 'stale');

  // Cancellation, and an older `updated` after the `deleted`: it stays
  // cancelled, and the plan holds until the period ends, not before.
  r = await deliver(subscriptionEvent('customer.subscription.deleted', t + 8, { status: 'canceled', periodEnd: now() + 30 * 86400 + 4 }));
  assert.equal(r.body.outcome, 'applied');
  r = await deliver(subscriptionEvent('customer.subscription.updated', t + 7, { status: 'active', price: PRICES.pro }));
  assert.equal(r.body.outcome, 'stale');
  state = await me();
  assert.equal(state.subscription.status, 'canceled');
  assert.equal(state.plan, 'pro', 'a cancelled plan holds until its period ends');
  // The stream was told of each change; the last says cancelled.
  let frame;
  do frame = await nextFrame('account', 2000); while (frame.account.subscription.status !== 'canceled');
  assert.equal(frame.account.plan, 'pro');

  // The invoice that paid for it counts as revenue.
  r = await deliver({
    id: eventId(), object: 'event', type: 'invoice.paid', created: now(),
    data: { object: { id: 'in_1', object: 'invoice', customer: 'cus_1', subscription: 'sub_1', status: 'paid',
                      amount_paid: 2900, currency: 'eur', status_transitions: { paid_at: now() },
                      subscription_details: { metadata: { user_id: userId } },
                      lines: { object: 'list', data: [{ price: { id: PRICES.pro } }] } } },
  });
  assert.equal(r.body.outcome, 'applied');
  const report = peer.cli(db, 'usage', 'report', '--format', 'json');
  const proLine = report.plans.find((line) => line.plan === 'pro');
  assert.equal(proLine.revenue.eur, 2900);
  assert.equal(proLine.paying_users, 0, 'a cancelled subscription is not paying');

  // A second user: cancelled at period end, lowered when it ends.
  const second = peer.cli(db, 'user', 'add', 'second@example.com', '--plan', 'free');
  const secondAuth = { Authorization: `Bearer ${second.token}` };
  const secondMe = async () => (await fetch(`${base}/v1/me`, { headers: secondAuth })).json();
  const end = now() + 3;
  r = await deliver(subscriptionEvent('customer.subscription.deleted', now(),
                                      { sub: 'sub_2', user: second.user_id, status: 'canceled', periodEnd: end }));
  assert.equal(r.body.outcome, 'applied');
  assert.equal((await secondMe()).plan, 'pro', 'before the period ends');
  // Their app is open: it is told when the period ends, with no event from Stripe.
  const secondWs = new WebSocket(`${base.replace('http', 'ws')}/v1/stream`, { headers: secondAuth });
  const secondFrame = peer.frames(secondWs);
  await new Promise((resolve, reject) => { secondWs.once('open', resolve); secondWs.once('error', reject); });
  secondWs.send(JSON.stringify({ type: 'hello', device: 'second', since: 0 }));
  await secondFrame('welcome');
  const told = await secondFrame('account', 10000);
  secondWs.close();
  assert.equal(told.account.plan, 'free');
  assert.ok(now() >= end, 'not before the period ends');
  const lowered = await secondMe();
  assert.equal(lowered.plan, 'free', 'after the period ends');
  assert.equal(lowered.limits.daily, 3);

  // A third user: only active, trialing and past_due give the paid plan;
  // a signed event with a field of the wrong type is refused and changes nothing.
  const third = peer.cli(db, 'user', 'add', 'third@example.com', '--plan', 'free');
  const thirdMe = async () => (await fetch(`${base}/v1/me`, { headers: { Authorization: `Bearer ${third.token}` } })).json();
  const thirdEvent = (created, options = {}) =>
    subscriptionEvent('customer.subscription.updated', created, { sub: 'sub_3', user: third.user_id, price: PRICES.basic, ...options });
  const t3 = now() - 200;
  r = await deliver(thirdEvent(t3, { status: 'active' }));
  assert.equal(r.body.outcome, 'applied');
  assert.equal((await thirdMe()).plan, 'basic');
  for (const [i, status] of ['paused', 'bogus_status', 'incomplete'].entries()) {
    r = await deliver(thirdEvent(t3 + 1 + i, { status }));
    assert.equal(r.body.outcome, 'applied', status);
    const state3 = await thirdMe();
    assert.equal(state3.plan, 'free', `${status} gives the free plan`);
    assert.equal(state3.subscription.status, status);
  }
  r = await deliver(thirdEvent(t3 + 10, { status: 'trialing' }));
  assert.equal((await thirdMe()).plan, 'basic', 'trialing gives the plan');
  for (const [name, change] of [['status 123', { status: 123 }], ['period "x"', { current_period_end: 'x' }],
                                ['cancel "yes"', { cancel_at_period_end: 'yes' }]]) {
    const event = thirdEvent(t3 + 20, { status: 'paused' });
    Object.assign(event.data.object, change);
    r = await deliver(event);
    assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'invalid', name);
    const state3 = await thirdMe();
    assert.equal(state3.plan, 'basic', name);
    assert.equal(state3.subscription.status, 'trialing', name);
  }

  // Once a newer event was seen, an older one never applies, even when the
  // newer one was itself stale (a deletion about an earlier period).
  r = await deliver(thirdEvent(t3 + 30, { status: 'active', price: PRICES.pro, periodEnd: now() + 30 * 86400 }));
  assert.equal(r.body.outcome, 'applied');
  r = await deliver(thirdEvent(t3 + 60, { status: 'canceled', periodEnd: now() + 20 * 86400 }));
  assert.equal(r.body.outcome, 'stale');
  r = await deliver(thirdEvent(t3 + 40, { status: 'active', price: PRICES.basic, periodEnd: now() + 30 * 86400 }));
  assert.equal(r.body.outcome, 'stale', 'older than an event already seen');
  assert.equal((await thirdMe()).plan, 'pro');

  console.log('billing-peer: ok');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  ws?.close();
  // The server stops cleanly: status 0, and no sanitizer report.
  if (server && !(await peer.stopServer(server))) failed = true;
  fake?.server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
