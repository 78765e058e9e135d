// The peer of bench/pg-claim-throughput: pg-boss, an established
// PostgreSQL job queue, doing the same work on the same cluster: add a job
// (send, SWIPES_IN_FLIGHT at a time), then WORKERS workers each taking one
// job (fetch) and completing it (complete), the next once that is done.
//
// usage: node pg-boss-throughput.mjs DATABASE_URL ENTRIES WORKERS
//
// DATABASE_URL may carry ?options=-c%20synchronous_commit%3Doff, the
// durability jobswipe-server runs with by default (JSW_PG_SYNC), so that
// both wait for the disk alike.
import PgBoss from 'pg-boss';

const [url, entriesArg, workersArg] = process.argv.slice(2);
const entries = Number(entriesArg ?? 5000);
const workers = Number(workersArg ?? 4);
const inFlight = 32;
const queue = 'applications';

// One connection per worker, as each JobSwipe worker has its stream.
const boss = new PgBoss({ connectionString: url, max: Math.max(workers, inFlight), schedule: false, supervise: false });
boss.on('error', (error) => { console.error(error); process.exit(1); });
await boss.start();
await boss.createQueue(queue);

const job = (i) => ({ job_id: `b-${i}`, title: 'Backend developer', company: 'Example GmbH',
                      apply_url: `https://jobs.example.com/${i}`, location: 'Berlin',
                      description: 'A typical posting of a few lines.' });

let start = process.hrtime.bigint();
let next = 0;
await Promise.all(Array.from({ length: inFlight }, async () => {
  while (next < entries) {
    const i = next++;
    await boss.send(queue, job(i));
  }
}));
const addSeconds = Number(process.hrtime.bigint() - start) / 1e9;

let done = 0;
start = process.hrtime.bigint();
await Promise.all(Array.from({ length: workers }, async () => {
  for (;;) {
    const [taken] = await boss.fetch(queue);
    if (!taken)
      return;
    await boss.complete(queue, taken.id, { confirmation: 'Thank you' });
    done++;
  }
}));
const takeSeconds = Number(process.hrtime.bigint() - start) / 1e9;

if (done !== entries)
  throw new Error(`completed ${done} of ${entries}`);
console.log(`pg-boss ${PgBoss.version ?? ''}`.trim() +
            `, ${String(workers).padStart(2)} workers: add ${(entries / addSeconds).toFixed(0).padStart(6)} jobs/s, ` +
            `take + complete ${(entries / takeSeconds).toFixed(0).padStart(6)} jobs/s (${entries} jobs)`);
await boss.stop({ graceful: false, wait: true });
