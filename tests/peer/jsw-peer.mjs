// jsw-peer.mjs: what the billing and /admin scripts share: a real
// jobswipe-server on a loopback port with a database of its own, its CLI,
// and the frames of a stream read in order.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';

export const serverBin = process.env.JSW_SERVER_BIN;
assert.ok(serverBin, 'JSW_SERVER_BIN must name the jobswipe-server binary');

// One subcommand on @db; its JSON answer.
export function cli(db, ...args) {
  return JSON.parse(execFileSync(serverBin, [...args, '--db', db], { encoding: 'utf8' }));
}

// `serve` on a free port with @env added to ours; resolves once it listens.
export function startServer(db, env, extraArgs = []) {
  const child = spawn(serverBin, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--log-level', 'warning', ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, url: JSON.parse(line).listening }));
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

// Stops @server with SIGTERM; resolves to whether it exited with status 0
// (a sanitizer's report exits otherwise).
export async function stopServer(server) {
  const exited = new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));
  server.child.kill('SIGTERM');
  const { code, signal } = await exited;
  if (code !== 0) console.error(`the server exited with ${code ?? signal}`);
  return code === 0;
}

// Frames of a stream, read in order with a timeout; frames of other types
// than the one awaited are skipped (entries replayed after hello).
export function frames(ws) {
  const queue = [];
  const waiting = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString('utf8'));
    const waiter = waiting.shift();
    if (waiter) waiter(frame); else queue.push(frame);
  });
  const next = (timeoutMs) => new Promise((resolve, reject) => {
    if (queue.length > 0) return resolve(queue.shift());
    const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
    waiting.push((frame) => { clearTimeout(timer); resolve(frame); });
  });
  return async (type, timeoutMs = 10000) => {
    for (;;) {
      const frame = await next(timeoutMs);
      if (frame.type === type) return frame;
    }
  };
}
