/**
 * Exchange-sync capacity with 1, 2 and 4 instances: 5,000 users against the
 * crypto.com fake answering every call after 20 ms. Each instance is its own
 * process (the app's modules, its job workers, EXCHANGE_SYNC_CONCURRENCY per
 * instance); one tick plans the cycle and every instance works its user jobs.
 * Reports the cycle time (run start to last user) and checks each user once.
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     npx ts-node --transpile-only -r tsconfig-paths/register bench/exchange-sync-scale.ts
 * Env: BENCH_USERS (5000), BENCH_LATENCY_MS (20), BENCH_INSTANCES (1,2,4), EXCHANGE_SYNC_CONCURRENCY (16),
 * BENCH_CPU_PROF (a directory: each instance writes a `--cpu-prof` profile there).
 * Credentials come from a stub of the vault port inside each instance (registering
 * 5,000 users through bcrypt would dominate the setup; one AES-GCM decrypt is microseconds).
 */
import { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { ExchangeCredentialsProvider } from '../src/contexts/vault';
import { createTestDatabase } from '@testing/test-database';
import { startTestApp } from '@testing/test-app';
import { SyncCycleService } from '../src/contexts/exchange-sync';
import { CryptoComFake } from '../test/fakes/cryptocom-fake';
import { spawnBenchChild, table, withMigratedTemplate } from './lib';

const USERS = Number(process.env.BENCH_USERS ?? 5000);
const userId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const indexOf = (id: string) => Number(id.slice(-12));

/** One instance: the app on the bench database with the credentials stub; "tick" on stdin plans a cycle. */
async function child(): Promise<void> {
  const stub: ExchangeCredentialsProvider = {
    // crypto.com only: the cycle also syncs Binance for whoever holds Binance credentials, and there is no Binance here
    reveal: async (id, exchange) =>
      exchange === 'CRYPTO_COM' ? { apiKey: `bench-key-${indexOf(id)}`, apiSecret: `bench-secret-${indexOf(id)}` } : null,
    hasCredentials: async (_id, exchange) => exchange === 'CRYPTO_COM',
    usersWith: async (exchange) => (exchange === 'CRYPTO_COM' ? Array.from({ length: USERS }, (_, i) => userId(i)) : []),
  };
  const t = await startTestApp({
    db: { url: process.env.BENCH_DB_URL!, drop: async () => undefined },
    env: {
      CRYPTO_COM_BASE_URL: process.env.BENCH_FAKE_URL,
      INSTANCE_ID: process.env.INSTANCE_ID,
      EXCHANGE_SYNC_CONCURRENCY: process.env.EXCHANGE_SYNC_CONCURRENCY ?? '16',
      EXCHANGE_HTTP_TIMEOUT_MS: '30000',
      EXCHANGE_SYNC_JOB_TIMEOUT_SECONDS: '600',
      JOBS_POLLING_INTERVAL_SECONDS: '0.5',
      DATABASE_POOL_SIZE: '10',
      MIGRATIONS_RUN: 'false',
    },
    override: (b) => b.overrideProvider(ExchangeCredentialsProvider).useValue(stub),
  });
  console.log('READY');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'tick') console.log(`TICKED ${await t.app.get(SyncCycleService).tick()}`);
    if (line === 'stop') break;
  }
  await t.close(true);
  process.exit(0);
}

const spawnInstance = (env: Record<string, string>): Promise<ChildProcess> => spawnBenchChild('bench/exchange-sync-scale.ts', env);

async function measure(instances: number, fake: CryptoComFake) {
  const db = await createTestDatabase();
  const c = new Client({ connectionString: db.url });
  await c.connect();
  for (let i = 0; i < USERS; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, USERS - i) }, (_, j) => userId(i + j));
    await c.query(
      `INSERT INTO users (id, email, password_hash, role) SELECT id, 'bench-' || id || '@example.com', 'x', 'user'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
      [ids],
    );
  }
  const procs = await Promise.all(
    Array.from({ length: instances }, (_, k) =>
      spawnInstance({ BENCH_DB_URL: db.url, BENCH_FAKE_URL: fake.url, INSTANCE_ID: `bench-${k + 1}` }),
    ),
  );
  const callsBefore = Array.from({ length: USERS }, (_, i) => fake.callsFor(`bench-key-${i}`, 'private/user-balance'));
  procs[0].stdin!.write('tick\n');
  let run: Record<string, unknown> | undefined;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    [run] = (await c.query(`SELECT * FROM exchange_sync_runs WHERE status = 'COMPLETED' AND scope = 'all'`)).rows;
    if (run) break;
  }
  if (!run) throw new Error('the cycle did not complete');
  const workers = (
    await c.query(`SELECT instance_id, count(*)::int AS n FROM exchange_sync_run_users WHERE run_id = $1 GROUP BY 1 ORDER BY 1`, [run.id])
  ).rows;
  const [{ n, distinct }] = (
    await c.query(`SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS distinct FROM exchange_sync_run_users WHERE run_id = $1`, [
      run.id,
    ])
  ).rows;
  const calledOnce = callsBefore.every((before, i) => fake.callsFor(`bench-key-${i}`, 'private/user-balance') - before === 1);
  for (const p of procs) p.stdin!.write('stop\n');
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(null)))));
  await c.end();
  await db.drop();
  return {
    instances,
    'cycle ms': Number(run.duration_ms),
    'users/s': Math.round((USERS / Number(run.duration_ms)) * 1000),
    'users ok': Number(run.users_ok),
    failed: Number(run.users_failed),
    'each user once': n === USERS && distinct === USERS && calledOnce ? 'yes' : 'NO',
    workers: workers.map((w) => `${w.instance_id}:${w.n}`).join(' '),
  };
}

async function main() {
  if (process.argv.includes('--child')) return child();
  const fake = new CryptoComFake();
  await fake.start();
  for (let i = 0; i < USERS; i++) {
    fake.addAccount(`bench-key-${i}`, `bench-secret-${i}`, { BTC: '0.5', ETH: '2', USDT: '1000' });
    fake.addOrder(`bench-key-${i}`, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.01', limit_price: '29000' });
    const filled = fake.addOrder(`bench-key-${i}`, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.02', limit_price: '30000' });
    fake.fillOrder(filled);
  }
  fake.latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  await withMigratedTemplate(async () => {
    for (const k of (process.env.BENCH_INSTANCES ?? '1,2,4').split(',').map(Number)) rows.push(await measure(k, fake));
  });
  console.log(
    `exchange-sync scale: ${USERS} users, fake latency ${fake.latencyMs} ms, EXCHANGE_SYNC_CONCURRENCY ${process.env.EXCHANGE_SYNC_CONCURRENCY ?? 16} per instance`,
  );
  table(rows);
  const [one, most] = [rows[0], rows[rows.length - 1]];
  // The line bench/run.ts reads: how much faster the cycle runs with the most instances than with the fewest.
  console.log(
    `cycle time ${one.instances} -> ${most.instances} instances: ${one['cycle ms']} -> ${most['cycle ms']} ms, ratio ${(one['cycle ms'] / most['cycle ms']).toFixed(2)}x`,
  );
  await fake.stop();
  // A cycle where users failed, or one not synced exactly once each, measured something else: a failed run.
  const bad = rows.filter((r) => r.failed > 0 || r['each user once'] !== 'yes');
  if (bad.length)
    throw new Error(`exchange-sync scale: users failed or not synced once with ${bad.map((r) => r.instances).join(', ')} instance(s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
