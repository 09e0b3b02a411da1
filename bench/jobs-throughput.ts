/**
 * What the PostgreSQL-backed job engine (pg-boss behind our JobQueue port)
 * sustains here: no-op jobs enqueued through the port (one per statement, and in
 * batches), then worked by 1 and 2 instances (separate processes, our fetch loop,
 * concurrency BENCH_CONCURRENCY each). When this becomes the limit, a broker
 * adapter (RabbitMQ, NATS JetStream) can take the port's place.
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     npx ts-node --transpile-only -r tsconfig-paths/register bench/jobs-throughput.ts
 * Env: BENCH_JOBS (20000), BENCH_CONCURRENCY (32), BENCH_INSTANCES (1,2).
 */
import { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { JobQueue } from '@kernel';
import { createTestDatabase } from '@testing/test-database';
import { startTestApp } from '@testing/test-app';
import { spawnBenchChild, table, withMigratedTemplate } from './lib';

const JOBS = Number(process.env.BENCH_JOBS ?? 20000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const NAME = 'bench.noop';

/** One instance: defines (and so starts working) the no-op queue on "go". */
async function child(): Promise<void> {
  const t = await startTestApp({
    db: { url: process.env.BENCH_DB_URL!, drop: async () => undefined },
    env: { INSTANCE_ID: process.env.INSTANCE_ID, JOBS_POLLING_INTERVAL_SECONDS: '0.5', MIGRATIONS_RUN: 'false' },
  });
  console.log('READY');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'go') t.app.get(JobQueue).define({ name: NAME, concurrency: CONCURRENCY, retryLimit: 0 }, async () => undefined);
    if (line === 'stop') break;
  }
  await t.close(true);
  process.exit(0);
}

const spawnInstance = (env: Record<string, string>): Promise<ChildProcess> => spawnBenchChild('bench/jobs-throughput.ts', env);

async function measure(instances: number) {
  const db = await createTestDatabase();
  // The producer: the app with its workers off, enqueueing through the port.
  const producer = await startTestApp({ db, env: { JOBS_WORKER_ENABLED: 'false' } });
  const jobs = producer.app.get(JobQueue);
  jobs.define({ name: NAME, concurrency: CONCURRENCY, retryLimit: 0 }, async () => undefined);
  let t0 = Date.now();
  const single = Math.min(1000, JOBS);
  for (let i = 0; i < single; i++) await jobs.enqueue(NAME, { i });
  const singleRate = Math.round((single / (Date.now() - t0)) * 1000);
  t0 = Date.now();
  for (let i = single; i < JOBS; i += 1000) {
    await jobs.enqueueMany(
      NAME,
      Array.from({ length: Math.min(1000, JOBS - i) }, (_, j) => ({ data: { i: i + j } })),
    );
  }
  const batchRate = JOBS > single ? Math.round(((JOBS - single) / Math.max(1, Date.now() - t0)) * 1000) : 'n/a (BENCH_JOBS <= 1000)';

  const procs = await Promise.all(
    Array.from({ length: instances }, (_, k) => spawnInstance({ BENCH_DB_URL: db.url, INSTANCE_ID: `bench-${k + 1}` })),
  );
  const c = new Client({ connectionString: db.url });
  await c.connect();
  const done = async () =>
    Number((await c.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [NAME])).rows[0].n);
  t0 = Date.now();
  for (const p of procs) p.stdin!.write('go\n');
  while ((await done()) < JOBS) {
    if (Date.now() - t0 > 600_000) throw new Error('jobs not done in 10 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
  const workMs = Date.now() - t0;
  for (const p of procs) p.stdin!.write('stop\n');
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(null)))));
  await c.end();
  await producer.close();
  return {
    instances,
    jobs: JOBS,
    'enqueue 1/statement jobs/s': singleRate,
    'enqueue batches of 1,000 jobs/s': batchRate,
    'work jobs/s': Math.round((JOBS / workMs) * 1000),
    'work ms': workMs,
  };
}

async function main() {
  if (process.argv.includes('--child')) return child();
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  await withMigratedTemplate(async () => {
    for (const k of (process.env.BENCH_INSTANCES ?? '1,2').split(',').map(Number)) rows.push(await measure(k));
  });
  console.log(`jobs throughput: no-op jobs through the JobQueue port (pg-boss 10.4), concurrency ${CONCURRENCY} per instance`);
  table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
