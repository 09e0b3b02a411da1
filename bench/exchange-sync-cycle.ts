/**
 * A full exchange-sync cycle for N users (default 1,000) against the crypto.com
 * fake answering every call after 20 ms. Median of 3 cycles.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/exchange-sync-cycle.ts
 * Env: BENCH_USERS (1000), BENCH_LATENCY_MS (20), EXCHANGE_SYNC_CONCURRENCY (32 here),
 *      TEST_DATABASE_URL (a PostgreSQL server; unset = embedded PGlite).
 * Credentials come from a stub of the vault port (one AES-GCM decrypt per user is
 * microseconds; registering 1,000 users through bcrypt would dominate the setup).
 */
import { randomUUID } from 'node:crypto';
import { ExchangeCredentialsProvider } from '@kernel';
import { Client } from 'pg';
import { migrateTemplate, templateDb } from '@testing/test-database';
import { startTestApp } from '@testing/test-app';
import { SyncCycleService } from '../src/contexts/exchange-sync';
import { CryptoComFake } from '../test/fakes/cryptocom-fake';

async function main() {
  const users = Number(process.env.BENCH_USERS ?? 1000);
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const concurrency = process.env.EXCHANGE_SYNC_CONCURRENCY ?? '32';
  const fake = new CryptoComFake();
  await fake.start();
  const ids: string[] = Array.from({ length: users }, () => randomUUID());
  const keyOf = new Map(ids.map((id, i) => [id, `bench-key-${i}`]));
  ids.forEach((id, i) => {
    fake.addAccount(`bench-key-${i}`, `bench-secret-${i}`, { BTC: '0.5', ETH: '2', USDT: '1000' });
    fake.addOrder(`bench-key-${i}`, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.01', limit_price: '29000' });
    fake.addOrder(`bench-key-${i}`, { instrument_name: 'ETH_USDT', side: 'SELL', quantity: '0.5', limit_price: '2500' });
    const filled = fake.addOrder(`bench-key-${i}`, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.02', limit_price: '30000' });
    fake.fillOrder(filled);
  });
  const stub: ExchangeCredentialsProvider = {
    reveal: async (userId) => ({ apiKey: keyOf.get(userId)!, apiSecret: keyOf.get(userId)!.replace('key', 'secret') }),
    hasCredentials: async (userId) => keyOf.has(userId),
    usersWith: async () => ids,
  };
  if (process.env.TEST_DATABASE_URL) {
    // Build the migrated template only when missing: rebuilding it would disturb e2e runs in progress.
    const c = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateDb()]);
    await c.end();
    if (!rowCount) await migrateTemplate();
  }
  const t = await startTestApp({
    env: {
      CRYPTO_COM_BASE_URL: fake.url,
      EXCHANGE_SYNC_CONCURRENCY: concurrency,
      EXCHANGE_HTTP_TIMEOUT_MS: '10000',
      EXCHANGE_SYNC_RUN_WAIT_SECONDS: '300',
    },
    override: (b) => b.overrideProvider(ExchangeCredentialsProvider).useValue(stub),
  });
  try {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const values = chunk.map((_, j) => `($${j * 2 + 1}, $${j * 2 + 2}, 'x', 'user')`).join(', ');
      await t.dataSource.query(
        `INSERT INTO users (id, email, password_hash, role) VALUES ${values}`,
        chunk.flatMap((id, j) => [id, `bench${i + j}@example.com`]),
      );
    }
    fake.latencyMs = latency;
    const cycle = t.app.get(SyncCycleService);
    const rows: { cycle: number; ms: number; ok: number; failed: number; upserted: number; oco: number }[] = [];
    for (let c = 1; c <= 3; c++) {
      const started = Date.now();
      const { run } = await cycle.runManual({ id: ids[0], role: 'admin' }, {});
      rows.push({
        cycle: c,
        ms: Date.now() - started,
        ok: run.usersOk,
        failed: run.usersFailed,
        upserted: run.ordersUpserted,
        oco: run.ocoPairsCreated,
      });
      if (c === 1) ids.forEach((_, i) => fake.fillOrder(fake.orders(`bench-key-${i}`)[0].order_id)); // news for cycle 2: one fill per user
    }
    const sorted = [...rows].map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `exchange-sync cycle: ${users} users, fake latency ${latency} ms, concurrency ${concurrency}, db ${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded PGlite'}`,
    );
    console.log('| cycle | ms | users ok | failed | orders upserted | OCO pairs |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.cycle} | ${r.ms} | ${r.ok} | ${r.failed} | ${r.upserted} | ${r.oco} |`);
    console.log(`median: ${sorted[1]} ms (interval budget 60000 ms)`);
  } finally {
    await t.close();
    await fake.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
