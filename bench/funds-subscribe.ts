/**
 * Subscription throughput at 32 concurrent clients, invariants checked after.
 * The real server (src/main.ts) runs in its own process; 32 users each loop
 * "subscribe to DEUDAPRIVADA (50000) -> cancel it" on their own connection.
 * Three runs; the median is reported. Afterwards every user must satisfy
 * balance = 500000 - sum(active subscriptions) and history length = tx count.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/funds-subscribe.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fintech_bench_funds npx ts-node ... (PostgreSQL server)
 * Without BENCH_DATABASE_URL the server uses the embedded PGlite in a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, median, startProcess, table, api, BENCH_SERVER_ENV, freshBenchDatabase, runBench, stopProcess } from './lib';

// autocannon ships no types; only this call is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const RUNS = 3;

async function main(): Promise<void> {
  const dbUrl = process.env.BENCH_DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-funds-'));
  if (dbUrl) await freshBenchDatabase(dbUrl);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(
    'src/main.ts',
    {
      ...BENCH_SERVER_ENV,
      DATA_DIR: dataDir,
      SEED_ON_BOOT: 'false',
      ...(dbUrl ? { DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: '20' } : {}),
    },
    port,
  );
  try {
    const tokens: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const email = `bench.${Date.now()}.${i}@example.com`;
      const reg = await api(base, '/api/v1/auth/register', { method: 'POST', body: { email, password: 'Secret123!' } });
      if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
      const login = await api(base, '/api/v1/auth/login', { method: 'POST', body: { email, password: 'Secret123!' } });
      tokens.push(login.body.access_token);
    }

    const rows: Record<string, string | number>[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // A run can stop between a subscribe and its cancel: start every run with no active subscription.
      for (const token of tokens) {
        const account = await api(base, '/api/v1/account', { token });
        for (const s of account.body.subscriptions) {
          await api(base, `/api/v1/subscriptions/${s.subscription_id}/cancel`, { method: 'POST', token });
        }
      }
      let subscribed = 0;
      let cancelled = 0;
      let other = 0;
      let nextClient = 0;
      const result = await autocannon({
        url: base,
        connections: CONNECTIONS,
        duration: DURATION_S,
        // One user per connection, so a connection's requests never race each other.
        setupClient: (client: any) => {
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[nextClient++ % CONNECTIONS]}` };
          client.setRequests([
            {
              method: 'POST',
              path: '/api/v1/subscriptions/3',
              headers,
              body: JSON.stringify({ amount: 50000 }),
              onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
                if (status === 201) {
                  subscribed++;
                  ctx.sub = JSON.parse(body).transaction_id;
                } else other++;
              },
            },
            {
              method: 'POST',
              headers: { authorization: headers.authorization },
              setupRequest: (req: any, ctx: Record<string, unknown>) => ({
                ...req,
                path: `/api/v1/subscriptions/${ctx.sub ?? '00000000-0000-4000-8000-000000000000'}/cancel`,
              }),
              onResponse: (status: number) => (status === 200 ? cancelled++ : other++),
            },
          ]);
        },
      });
      rows.push({
        run,
        'req/s': Math.round(result.requests.average),
        'subscriptions/s': Math.round(subscribed / DURATION_S),
        'cancellations/s': Math.round(cancelled / DURATION_S),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'non-2xx': result.non2xx,
        errors: result.errors,
        other,
      });
    }

    // autocannon stops without waiting for the requests it has in flight: let them commit first,
    // or the account and the history are read on either side of a commit.
    await new Promise((r) => setTimeout(r, 2000));
    // Invariants: balance = 500000 - sum(active), no negative balance, no lost transaction.
    let broken = 0;
    for (const token of tokens) {
      const account = await api(base, '/api/v1/account', { token });
      const active = account.body.subscriptions.reduce((s: number, x: { amount: number }) => s + x.amount, 0);
      if (account.body.balance !== 500000 - active || account.body.balance < 0) broken++;
      const latest = await api(base, '/api/v1/transactions?limit=1', { token });
      if ((latest.body[0]?.balance_after ?? 500000) !== account.body.balance) broken++;
    }
    table(rows);
    const med = (k: string) => median(rows.map((r) => r[k] as number));
    console.log(
      `database: ${dbUrl ? 'PostgreSQL server' : 'embedded PGlite'}; ${CONNECTIONS} connections, ${DURATION_S}s x ${RUNS}; ` +
        `median: ${med('req/s')} req/s, ${med('subscriptions/s')} subscriptions/s, p99 ${med('p99 ms')} ms; ` +
        `invariants: ${broken === 0 ? 'intact for all ' + CONNECTIONS + ' users' : `${broken} BROKEN`}`,
    );
    if (broken) process.exitCode = 1;
  } finally {
    await stopProcess(proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
