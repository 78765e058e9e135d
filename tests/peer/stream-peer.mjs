// stream-peer.mjs: an independent client of PROTOCOL.md, written with the
// npm `ws` package and Node's fetch, that drives a real jobswipe-server
// through the whole stream flow: hello, entry, claim, progress, result, ack.
//
// It shares no code with the server; if the two disagree about the wire
// contract, this test says so.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const serverBin = process.env.JSW_SERVER_BIN;
assert.ok(serverBin, 'JSW_SERVER_BIN must name the jobswipe-server binary');

const dir = mkdtempSync(join(tmpdir(), 'jsw-peer-'));
const db = join(dir, 'peer.db');

function cli(...args) {
  return JSON.parse(execFileSync(serverBin, [...args, '--db', db], { encoding: 'utf8' }));
}

function startServer() {
  const child = spawn(serverBin, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--log-level', 'warning'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, url: JSON.parse(line).listening }));
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

// A queue of frames, so the test reads them in order with a timeout.
function frames(ws) {
  const queue = [];
  const waiting = [];
  ws.on('message', (data, isBinary) => {
    assert.equal(isBinary, false, 'the server sends text frames only');
    const frame = JSON.parse(data.toString('utf8'));
    const waiter = waiting.shift();
    if (waiter) waiter(frame); else queue.push(frame);
  });
  return (type, timeoutMs = 10000) => new Promise((resolve, reject) => {
    const check = (frame) => {
      if (frame.type !== type) reject(new Error(`expected ${type}, got ${JSON.stringify(frame)}`));
      else resolve(frame);
    };
    if (queue.length > 0) return check(queue.shift());
    const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms`)), timeoutMs);
    waiting.push((frame) => { clearTimeout(timer); check(frame); });
  });
}

let server;
let ws;
let failed = false;
try {
  const { token } = cli('user', 'add', 'peer@example.com', '--plan', 'pro');
  server = await startServer();
  const base = server.url;
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

  const pref = await fetch(`${base}/v1/me/preference`, {
    method: 'PUT', headers: auth, body: JSON.stringify({ execution_mode: 'desktop' }),
  });
  assert.equal(pref.status, 200);

  ws = new WebSocket(`${base.replace('http', 'ws')}/v1/stream`, { headers: { Authorization: `Bearer ${token}` } });
  const next = frames(ws);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });

  ws.send(JSON.stringify({ type: 'hello', device: 'node-peer', since: 0 }));
  const welcome = await next('welcome');
  assert.equal(welcome.seq, 0);
  assert.equal(welcome.lease_ttl_s, 60);
  assert.equal(welcome.heartbeat_s, 20);

  // A swipe made over REST arrives on the stream.
  const job = {
    job_id: 'peer-1', title: 'Site reliability engineer', company: 'Peer & Co',
    apply_url: 'https://jobs.example.org/peer-1', location: 'Remote',
  };
  const swipe = await fetch(`${base}/v1/swipes`, {
    method: 'POST', headers: auth, body: JSON.stringify({ direction: 'right', job }),
  });
  assert.equal(swipe.status, 201);
  const { entry } = await swipe.json();
  const created = await next('entry');
  assert.equal(created.seq, 1);
  assert.equal(created.entry.id, entry.id);
  assert.equal(created.entry.state, 'queued');
  assert.equal(created.entry.target, 'desktop');
  assert.deepEqual(created.entry.snapshot, job);

  ws.send(JSON.stringify({ type: 'claim', id: 'req-1', entry: entry.id }));
  const claimed = await next('claimed');
  assert.equal(claimed.re, 'req-1');
  assert.equal(claimed.entry, entry.id);
  assert.match(claimed.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal((await next('entry')).entry.state, 'claimed');

  let percent = 0;
  for (const step of ['opening', 'detecting', 'filling', 'submitting', 'confirming']) {
    percent += 15;
    ws.send(JSON.stringify({ type: 'progress', lease: claimed.lease, percent, step, message: `now ${step}` }));
    const progressed = await next('entry');
    assert.equal(progressed.entry.state, 'running');
    assert.equal(progressed.entry.progress.percent, percent);
    assert.equal(progressed.entry.progress.step, step);
  }

  ws.send(JSON.stringify({ type: 'heartbeat', lease: claimed.lease }));
  ws.send(JSON.stringify({
    type: 'result', id: 'req-2', lease: claimed.lease, outcome: 'submitted',
    confirmation: 'Thanks for applying to Peer & Co',
  }));
  const ack = await next('ack');
  assert.equal(ack.re, 'req-2');
  const finished = await next('entry');
  assert.equal(finished.entry.state, 'submitted');
  assert.equal(finished.entry.result.confirmation, 'Thanks for applying to Peer & Co');

  // A malformed frame gets an error, and the connection stays open.
  ws.send('{"type": "progress", "lease": 5}');
  const error = await next('error');
  assert.equal(error.code, 'invalid');
  assert.equal(ws.readyState, WebSocket.OPEN);

  const check = await fetch(`${base}/v1/queue/${entry.id}`, { headers: auth });
  assert.equal((await check.json()).state, 'submitted');
  console.log('stream peer: hello, entry, claim, progress, result and ack all as PROTOCOL.md says');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  ws?.close();
  server?.child.kill('SIGTERM');
  if (server) await new Promise((resolve) => server.child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
