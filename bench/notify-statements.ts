/**
 * Background SQL statements per fund subscription, counted (issue 16): every `pg` Client.query the app issues
 * while N subscriptions (each followed by its cancel, as in the bench's (b)) are answered and their notices
 * sent, split into the requests' own statements (issued from inside an HTTP request's async context) and the
 * background's, and by what they are. Counting stops once every notice is 'sent'. The job worker is on; the
 * pollers and sweeps that do not depend on subscriptions are slowed down so they hardly show.
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx ts-node --transpile-only -r tsconfig-paths/register bench/notify-statements.ts
 * `BENCH_SUBSCRIPTIONS` (default 200) subscriptions over `BENCH_CLIENTS` (default 10) users subscribing at once;
 * `BENCH_CLIENTS=1` is the sequential worst case (each subscription alone in the queue).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Server } from 'node:http';
import { Client } from 'pg';
import { NOTIFY_JOB } from '../src/contexts/funds/application/subscription-notifier';
import { startTestApp, TestApp } from '../libs/testing/test-app';
import { runBench, withMigratedTemplate } from './lib';

const N = Number(process.env.BENCH_SUBSCRIPTIONS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);

/** Where a statement comes from: an HTTP request, this script's own probes, or neither (the background). */
const origin = new AsyncLocalStorage<'request' | 'probe'>();
const counts = new Map<string, number>();
let counting = false;

const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
  const call = () => (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  return event === 'request' ? origin.run('request', call) : call();
} as typeof Server.prototype.emit;

/** What a statement is: the notification job's own (by its queue name, table or read), else its first words. */
function kind(text: string, values: unknown[]): string {
  const sql = text.replace(/\s+/g, ' ').trim();
  if (values[0] === NOTIFY_JOB) {
    const verb = /SKIP LOCKED/.test(sql) ? 'fetch' : /SET completed_on = now\(\), state = 'completed'/.test(sql) ? 'complete' : 'fail';
    return `notify job: pg-boss ${verb}`;
  }
  if (/FROM users WHERE id/.test(sql)) return 'notify job: preference read';
  if (/^UPDATE fund_notifications/.test(sql)) return 'notify job: notice update';
  return `other: ${sql.slice(0, 70)}`;
}

const query = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const where = origin.getStore();
  if (counting && where !== 'probe') {
    const q = args[0] as string | { text: string; values?: unknown[] };
    const text = typeof q === 'string' ? q : q.text;
    const values = (typeof q === 'string' ? args[1] : (q.values ?? args[1])) as unknown[] | undefined;
    const key = `${where ?? 'background'}\t${kind(text, values ?? [])}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return query.apply(this, args);
} as typeof Client.prototype.query;

async function main(): Promise<void> {
  await withMigratedTemplate(async () => {
    let t: TestApp | undefined;
    try {
      t = await startTestApp({
        env: { OUTBOX_SWEEP_MS: '3600000', JOBS_MAINTENANCE_INTERVAL_SECONDS: '3600', JOBS_POLLING_INTERVAL_SECONDS: '60' },
      });
      const app = t;
      const users = await Promise.all(Array.from({ length: CLIENTS }, () => app.register()));
      for (const u of users) await app.http.get('/api/v1/account').set({ Authorization: `Bearer ${u.token}` }); // warm caches
      await new Promise((r) => setTimeout(r, 1000)); // the registrations' own background work settles first
      counting = true;
      const started = Date.now();
      let next = 0;
      await Promise.all(
        users.map(async (u) => {
          const auth = { Authorization: `Bearer ${u.token}` };
          while (next < N) {
            next++;
            const sub = await app.http.post('/api/v1/subscriptions/3').set(auth).send({ amount: 50000 });
            if (sub.status !== 201) throw new Error(`subscribe: ${sub.status} ${JSON.stringify(sub.body)}`);
            const c = await app.http.post(`/api/v1/subscriptions/${sub.body.transaction_id}/cancel`).set(auth);
            if (c.status !== 200) throw new Error(`cancel: ${c.status} ${JSON.stringify(c.body)}`);
          }
        }),
      );
      for (;;) {
        const [r] = await origin.run('probe', () =>
          app.dataSource.query(
            `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM fund_notifications`,
          ),
        );
        if (r.total === N && r.sent === N) break;
        if (Date.now() - started > 120_000) throw new Error(`notices: ${JSON.stringify(r)}`);
        await new Promise((res) => setTimeout(res, 20));
      }
      counting = false;
      const ms = Date.now() - started;
      const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
      const sum = (f: (k: string) => boolean) => rows.filter(([k]) => f(k)).reduce((s, [, n]) => s + n, 0);
      console.log(`${N} subscriptions (+ cancels), ${CLIENTS} clients at once, all notices sent in ${ms} ms`);
      for (const [k, n] of rows) console.log(`${String(n).padStart(6)}  ${(n / N).toFixed(2).padStart(6)}/sub  ${k}`);
      const bg = sum((k) => k.startsWith('background'));
      const job = sum((k) => k.includes('\tnotify job'));
      console.log(
        `background statements per subscription: ${(bg / N).toFixed(2)} (${bg}); notification job's: ${(job / N).toFixed(2)} (${job})`,
      );
    } finally {
      await t?.close();
    }
  });
}

runBench(main);
