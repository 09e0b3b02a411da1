/**
 * pg-boss 10.4 vs graphile-worker 0.18 on the same PostgreSQL, as we would use them:
 * 1,000 enqueues inside ONE caller transaction (then a rollback must leave none),
 * the latency from commit to the handler starting (idle worker, median of 20), and
 * the time to work 1,000 no-op jobs with concurrency 8.
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fintech_bench_jobs \
 *     npx ts-node --transpile-only -r tsconfig-paths/register bench/job-engines.ts
 */
import { Client, Pool } from 'pg';
import PgBoss from 'pg-boss';
import { run, runMigrations } from 'graphile-worker';
import { median, table } from './lib';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fintech_bench_jobs';
const N = 1000;

async function freshDatabase(): Promise<void> {
  const u = new URL(URL_);
  const name = u.pathname.slice(1);
  if (!/bench/.test(name)) throw new Error('BENCH_DATABASE_URL must name a bench database');
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
}

const until = async (ok: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 2));
  }
};

async function pgBoss(pool: Pool) {
  const t0 = Date.now();
  const boss = new PgBoss({ connectionString: URL_, max: 4 });
  await boss.start();
  await boss.createQueue('noop');
  const startMs = Date.now() - t0;
  const client = await pool.connect();
  const db = { executeSql: async (text: string, values: unknown[]) => client.query(text, values as unknown[]) };
  await client.query('BEGIN');
  await boss.send('noop', { i: -1 }, { db });
  await client.query('ROLLBACK');
  const afterRollback = await boss.getQueueSize('noop');
  let t = Date.now();
  await client.query('BEGIN');
  for (let i = 0; i < N; i++) await boss.send('noop', { i }, { db });
  await client.query('COMMIT');
  const enqueueOneByOne = Date.now() - t;
  client.release();

  let done = 0;
  t = Date.now();
  // Our adapter's loop: fetch up to the free slots, refetch as soon as one frees.
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const jobs = await boss.fetch('noop', { batchSize: 8 });
      if (!jobs.length) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      await boss.complete(
        'noop',
        jobs.map((j) => j.id),
      );
      done += jobs.length;
    }
  };
  const l = loop();
  await until(() => done >= N);
  const work1000 = Date.now() - t;
  stop = true;
  await l;

  // Pickup latency with pg-boss's own work() (polling 0.5 s, the minimum) and with a notify after commit.
  const lat: number[] = [];
  const latNotified: number[] = [];
  let started = 0;
  const id = await boss.work('noop', { pollingIntervalSeconds: 0.5, batchSize: 1 }, async () => {
    started = Date.now();
  });
  for (let i = 0; i < 20; i++) {
    started = 0;
    const s = Date.now();
    await boss.send('noop', {});
    await until(() => started > 0);
    lat.push(started - s);
    started = 0;
    const s2 = Date.now();
    await boss.send('noop', {});
    boss.notifyWorker(id);
    await until(() => started > 0);
    latNotified.push(started - s2);
    await new Promise((r) => setTimeout(r, 30));
  }
  await boss.stop({ graceful: false, wait: true });
  return {
    engine: 'pg-boss 10.4.2',
    'start+queue ms': startMs,
    'rollback leaves': afterRollback,
    [`${N} enqueues in 1 tx ms`]: enqueueOneByOne,
    [`work ${N} no-op ms`]: work1000,
    'pickup ms (poll)': median(lat),
    'pickup ms (notified)': median(latNotified),
  };
}

async function graphile(pool: Pool) {
  const t0 = Date.now();
  await runMigrations({ connectionString: URL_ });
  const startMs = Date.now() - t0;
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query(`SELECT graphile_worker.add_job('noop', '{"i":-1}'::json)`);
  await client.query('ROLLBACK');
  const [{ n: afterRollback }] = (await client.query('SELECT count(*)::int AS n FROM graphile_worker.jobs')).rows;
  let t = Date.now();
  await client.query('BEGIN');
  for (let i = 0; i < N; i++) await client.query(`SELECT graphile_worker.add_job('noop', json_build_object('i', $1::int))`, [i]);
  await client.query('COMMIT');
  const enqueue = Date.now() - t;
  client.release();
  let done = 0;
  let started = 0;
  t = Date.now();
  const runner = await run({
    connectionString: URL_,
    concurrency: 8,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: new (require('graphile-worker').Logger)(() => () => undefined),
    taskList: {
      noop: async () => {
        done++;
        started = Date.now();
      },
    },
  });
  await until(() => done >= N);
  const work = Date.now() - t;
  const lat: number[] = [];
  for (let i = 0; i < 20; i++) {
    started = 0;
    const s = Date.now();
    await pool.query(`SELECT graphile_worker.add_job('noop', '{}'::json)`);
    await until(() => started > 0);
    lat.push(started - s);
    await new Promise((r) => setTimeout(r, 30));
  }
  await runner.stop();
  return {
    engine: 'graphile-worker 0.18.0',
    'start+queue ms': startMs,
    'rollback leaves': afterRollback,
    [`${N} enqueues in 1 tx ms`]: enqueue,
    [`work ${N} no-op ms`]: work,
    'pickup ms (poll)': median(lat),
    'pickup ms (notified)': median(lat),
  };
}

async function main() {
  await freshDatabase();
  const pool = new Pool({ connectionString: URL_, max: 4 });
  const rows = [await pgBoss(pool), await graphile(pool)];
  await pool.end();
  table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
