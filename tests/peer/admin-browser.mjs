// admin-browser.mjs: the operator's /admin page in a real browser (issue 14).
//
// Debian's Chromium, driven by npm `playwright-core` with JavaScript turned
// off (the page must work without it), signs in with the operator token,
// reads the figures a real server computed from real activity (a paid
// invoice delivered as a signed Stripe webhook, applications finished over
// the stream), and saves a screenshot. A desktop token, a worker token and
// no token are refused; wrong tokens lock out only their own address. An
// error text made of HTML shows as text.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import Stripe from 'stripe';
import WebSocket from 'ws';
import * as peer from './jsw-peer.mjs';

const browserPath = process.env.JSW_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(browserPath)) {
  console.log(`admin-browser: skipped, no browser at ${browserPath} (tools/install-deps installs chromium)`);
  process.exit(77);
}

const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
const WEBHOOK_SECRET = 'whsec_' + randomBytes(24).toString('base64');
const PRICE_PRO = 'price_pro_admin';
const HOSTILE_ERROR = '<script>document.title="pwned"</script> & "the form" <b>said no</b>';

const dir = mkdtempSync(join(tmpdir(), 'jsw-admin-'));
const db = join(dir, 'admin.db');
const screenshot = join(process.env.G_TEST_BUILDDIR ?? dir, 'admin-page.png');




let server;
let ws;
let browser;
let failed = false;
try {
  const buyer = peer.cli(db, 'user', 'add', 'buyer@example.com', '--plan', 'free');
  peer.cli(db, 'user', 'add', 'free@example.com', '--plan', 'free');
  const { token: workerToken } = peer.cli(db, 'worker-token', 'add', 'admin-test-worker');
  server = await peer.startServer(db, {
    JOBSWIPE_OPERATOR_TOKEN: OPERATOR_TOKEN,
    JOBSWIPE_STRIPE_SECRET_KEY: 'sk_test_admin',
    JOBSWIPE_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOBSWIPE_STRIPE_PRICE_PRO: PRICE_PRO,
  });
  const base = server.url;
  const auth = { Authorization: `Bearer ${buyer.token}`, 'Content-Type': 'application/json' };

  // The buyer subscribes to pro and pays 29.00 EUR (signed by npm stripe).
  const stripe = new Stripe('sk_test_admin');
  const now = Math.floor(Date.now() / 1000);
  for (const event of [
    { id: 'evt_admin_1', object: 'event', type: 'customer.subscription.created', created: now - 10,
      data: { object: { id: 'sub_admin', object: 'subscription', customer: 'cus_admin', status: 'active',
                        current_period_start: now - 10, current_period_end: now + 30 * 86400,
                        items: { object: 'list', data: [{ price: { id: PRICE_PRO } }] },
                        metadata: { user_id: buyer.user_id } } } },
    { id: 'evt_admin_2', object: 'event', type: 'invoice.paid', created: now - 9,
      data: { object: { id: 'in_admin', object: 'invoice', customer: 'cus_admin', status: 'paid', amount_paid: 2900,
                        currency: 'eur', status_transitions: { paid_at: now - 9 },
                        subscription_details: { metadata: { user_id: buyer.user_id } },
                        lines: { object: 'list', data: [{ price: { id: PRICE_PRO } }] } } } },
  ]) {
    const payload = JSON.stringify(event);
    const r = await fetch(`${base}/v1/webhooks/stripe`, {
      method: 'POST', body: payload,
      headers: { 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
    });
    assert.equal(r.status, 200);
  }

  // Two applications from the desktop: one submitted, one failed.
  assert.equal((await fetch(`${base}/v1/me/preference`, { method: 'PUT', headers: auth, body: '{"execution_mode":"desktop"}' })).status, 200);
  const entries = [];
  for (const id of ['admin-job-1', 'admin-job-2']) {
    const r = await fetch(`${base}/v1/swipes`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ direction: 'right', job: { job_id: id, title: 'Engineer', company: 'Acme', apply_url: 'https://jobs.example.com/' + id } }),
    });
    assert.equal(r.status, 201);
    entries.push((await r.json()).entry);
  }
  ws = new WebSocket(`${base.replace('http', 'ws')}/v1/stream`, { headers: { Authorization: `Bearer ${buyer.token}` } });
  const next = peer.frames(ws);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'hello', device: 'admin-test', since: 0 }));
  await next('welcome');
  const outcomes = [{ outcome: 'submitted', confirmation: 'Thanks' }, { outcome: 'failed', error: HOSTILE_ERROR }];
  for (const [i, entry] of entries.entries()) {
    ws.send(JSON.stringify({ type: 'claim', id: `c${i}`, entry: entry.id }));
    const { lease } = await next('claimed');
    ws.send(JSON.stringify({ type: 'result', id: `r${i}`, lease, ...outcomes[i] }));
    await next('ack');
  }

  // Tokens are not sessions: a worker token in the header gets the sign-in page.
  const bearer = await fetch(`${base}/admin`, { headers: { Authorization: `Bearer ${workerToken}` } });
  assert.equal(bearer.status, 401);

  browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();

  // No token: the sign-in form, nothing else.
  let response = await page.goto(`${base}/admin`);
  assert.equal(response.status(), 401);
  assert.equal(await page.locator('#usage').count(), 0);
  assert.equal(await page.locator('input[name=token]').count(), 1);

  // A desktop token and a worker token are refused, and give no cookie.
  for (const wrong of [buyer.token, workerToken]) {
    await page.fill('input[name=token]', wrong);
    [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(response.status(), 401);
    assert.equal(await page.textContent('#problem'), 'That is not the operator token');
    assert.equal(await page.locator('#usage').count(), 0);
    assert.deepEqual(await context.cookies(), []);
  }
  // An empty form (the browser would not send one; a script may).
  const empty = await fetch(`${base}/admin/session`, { method: 'POST', body: 'token=', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(empty.status, 401);

  // The operator token signs in: an HttpOnly, SameSite=Strict cookie.
  await page.fill('input[name=token]', OPERATOR_TOKEN);
  [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/admin');
  const [cookie] = await context.cookies();
  assert.equal(cookie.name, 'jsw_admin');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');

  // The figures.
  const cell = (plan, name) => page.textContent(`#usage tr[data-plan="${plan}"] td.${name}`);
  assert.equal(await cell('pro', 'users'), '1');
  assert.equal(await cell('pro', 'paying'), '1');
  assert.equal(await cell('pro', 'desktop'), '2');
  assert.equal(await cell('pro', 'server'), '0');
  assert.equal(await cell('pro', 'success'), '50.0 %');
  assert.equal(await cell('pro', 'needs-you'), '0.0 %');
  assert.equal(await cell('pro', 'revenue'), '29.00 EUR');
  assert.equal(await cell('free', 'users'), '1');
  assert.equal(await cell('free', 'revenue'), '-');
  assert.equal(await page.textContent('#queue tr[data-state="failed"] td.desktop'), '1');
  assert.equal(await page.textContent('#queue tr[data-state="submitted"] td.desktop'), '1');
  assert.equal(await page.textContent('#desktops'), '1');
  assert.equal(await page.textContent('#workers'), '0');
  const failedRows = page.locator('#failed tbody tr');
  assert.equal(await failedRows.count(), 1);
  assert.equal(await failedRows.locator('td.error').textContent(), HOSTILE_ERROR, 'the error shows as text');
  assert.equal(await failedRows.locator('td').nth(1).textContent(), 'buyer@example.com');
  assert.notEqual(await page.title(), 'pwned');

  // Another month, chosen with the form: no activity then.
  await page.fill('input[name=month]', '2020-01');
  [response] = await Promise.all([page.waitForNavigation(), page.click('section form button[type=submit]')]);
  assert.equal(response.status(), 200);
  assert.equal(await page.textContent('#month'), '2020-01');
  assert.equal(await cell('pro', 'revenue'), '-');
  await page.goto(`${base}/admin`);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`admin-browser: screenshot in ${screenshot}`);

  // Signing out ends the session.
  [response] = await Promise.all([page.waitForNavigation(), page.click('header button[type=submit]')]);
  assert.equal(response.status(), 401);
  assert.equal(await page.locator('#usage').count(), 0);

  // Wrong tokens lock out the address they come from, not the operator:
  // another loopback address (127.0.0.2 reaches the server on 127.0.0.1)
  // guesses until it gets 429, which says when to come back; the operator's
  // own address still signs in.
  const signInFrom = (localAddress, token) => new Promise((resolve, reject) => {
    const body = `token=${encodeURIComponent(token)}`;
    const request = http.request(`${base}/admin/session`, {
      method: 'POST', localAddress,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
    }, (answer) => { answer.resume(); answer.on('end', () => resolve(answer)); });
    request.on('error', reject);
    request.end(body);
  });
  let guessed;
  for (let i = 0; i < 10 && guessed?.statusCode !== 429; i++) {
    guessed = await signInFrom('127.0.0.2', randomBytes(24).toString('base64url'));
    assert.ok([401, 429].includes(guessed.statusCode), `a wrong token: ${guessed.statusCode}`);
  }
  assert.equal(guessed.statusCode, 429, 'guessing is limited');
  const wait = Number(guessed.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 15 * 60, `Retry-After: ${guessed.headers['retry-after']}`);
  const operator = await signInFrom('127.0.0.1', OPERATOR_TOKEN);
  assert.equal(operator.statusCode, 303, 'the operator signs in from another address');
  assert.match(operator.headers['set-cookie']?.[0] ?? '', /^jsw_admin=/);

  console.log('admin-browser: ok');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser?.close();
  ws?.close();
  // The server stops cleanly: status 0, and no sanitizer report.
  if (server && !(await peer.stopServer(server))) failed = true;
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
