// swipe-to-run.mjs: for bench/app-swipe-to-run. Swipes right over REST,
// one posting at a time, and takes the time until the entry is claimed by
// the desktop app, as seen on another device's stream; then waits for the
// application to finish before the next swipe.
//
//   node swipe-to-run.mjs SERVER_URL TOKEN SITE_URL [N]
//
// SPDX-License-Identifier: GPL-3.0-or-later
import WebSocket from 'ws';

const [server, token, site, count = '30'] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const ws = new WebSocket(`${server.replace('http', 'ws')}/v1/stream`, { headers });
// A frame may come before the swipe's own answer has been read (the app
// can claim the entry that fast): its time is kept until it is asked for.
const waiters = new Map();
const early = new Map();
ws.on('message', (data) => {
  const frame = JSON.parse(data);
  if (frame.type !== 'entry') return;
  const key = `${frame.entry.id}:${frame.entry.state}`;
  const waiter = waiters.get(key);
  if (waiter) waiter(performance.now());
  else if (!early.has(key)) early.set(key, performance.now());
});
await new Promise((resolve) => ws.once('open', resolve));
ws.send(JSON.stringify({ type: 'hello', device: 'bench-phone', since: 0 }));

const seen = (id, state) => new Promise((resolve) => {
  const key = `${id}:${state}`;
  if (early.has(key)) resolve(early.get(key));
  else waiters.set(key, resolve);
});
const latencies = [];
for (let i = 0; i < Number(count); i++) {
  const started = performance.now();
  const answer = await fetch(`${server}/v1/swipes`, {
    method: 'POST', headers,
    body: JSON.stringify({ direction: 'right', job: {
      job_id: `bench-${i}`, title: 'Site reliability engineer', company: 'Tessel', apply_url: `${site}/generic/happy` } }),
  });
  const { entry } = await answer.json();
  const claimed = seen(entry.id, 'claimed');
  const submitted = seen(entry.id, 'submitted');
  latencies.push((await claimed) - started);
  await submitted;
}
ws.close();
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(`swipe on the server -> run started on the desktop (claimed), ${latencies.length} swipes: ` +
            `p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
