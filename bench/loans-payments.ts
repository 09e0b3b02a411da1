/**
 * Loans: payment throughput with the money invariants checked after, plus the
 * cost of building schedules. The real server (src/main.ts) runs in its own
 * process; each of 16 connections is one user paying 1.00 (unique reference)
 * on its own 600-month loan. Afterwards, per loan: sum(payments) = paid on the
 * schedule, outstanding = total due - paid, and one payment row per 201.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/loans-payments.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fintech_bench_loans npx ts-node ... (PostgreSQL server)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '@kernel';
import { buildSchedule } from '../src/contexts/loans/domain/schedule';
import { freePort, median, startProcess, table, api, BENCH_SERVER_ENV, freshBenchDatabase, runBench, stopProcess } from './lib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

const CONNECTIONS = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const RUNS = 3;

function scheduleCost(): Record<string, string | number> {
  const started = process.hrtime.bigint();
  const n = 200;
  for (let i = 0; i < n; i++) buildSchedule(new Decimal('250000.00'), new Decimal('7.35'), 360, new Date());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { what: 'buildSchedule 360 months (in process)', 'ms each': (ms / n).toFixed(2) };
}

async function main(): Promise<void> {
  const dbUrl = process.env.BENCH_DATABASE_URL;
  if (dbUrl) await freshBenchDatabase(dbUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-loans-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(
    'src/main.ts',
    {
      ...BENCH_SERVER_ENV,
      DATA_DIR: dataDir,
      SEED_ON_BOOT: 'true', // dev users (admin/admin1234)
      ...(dbUrl ? { DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: '20' } : {}),
    },
    port,
  );
  try {
    const admin = (await api(base, '/api/auth/token/', { method: 'POST', body: { username: 'admin', password: 'admin1234' } })).body.access;
    const users: { token: string; loanId: string }[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const email = `bench.loans.${Date.now()}.${i}@example.com`;
      await api(base, '/auth/register', { method: 'POST', body: { email, password: 'Secret123!' } });
      const token = (await api(base, '/auth/login', { method: 'POST', body: { email, password: 'Secret123!' } })).body.access_token;
      const loan = await api(base, '/api/loans', {
        method: 'POST',
        token,
        body: { principal: '1000000.00', annual_rate: '9.5', term_months: 600 },
      });
      if (loan.status !== 201) throw new Error(`apply: ${loan.status} ${JSON.stringify(loan.body)}`);
      await api(base, `/api/loans/${loan.body.id}/approve`, { method: 'POST', token: admin });
      const d = await api(base, `/api/loans/${loan.body.id}/disburse`, { method: 'POST', token: admin });
      if (d.status !== 200) throw new Error(`disburse: ${d.status}`);
      users.push({ token, loanId: loan.body.id });
    }

    const rows: Record<string, string | number>[] = [];
    let created = 0;
    let refs = 0;
    for (let run = 1; run <= RUNS; run++) {
      let ok = 0;
      let other = 0;
      let next = 0;
      const result = await autocannon({
        url: base,
        connections: CONNECTIONS,
        duration: DURATION_S,
        setupClient: (client: any) => {
          const u = users[next++ % CONNECTIONS];
          client.setRequests([
            {
              method: 'POST',
              path: `/api/loans/${u.loanId}/payments`,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` },
              setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ amount: '1.00', reference: `B-${run}-${++refs}` }) }),
              onResponse: (status: number) => (status === 201 ? ok++ : other++),
            },
          ]);
        },
      });
      created += ok;
      rows.push({
        run,
        'payments/s': Math.round(ok / DURATION_S),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'non-2xx': result.non2xx,
        errors: result.errors,
        other,
      });
    }

    await new Promise((r) => setTimeout(r, 2000)); // let the requests cut off at the end of the last run commit
    let broken = 0;
    let rowsSeen = 0;
    for (const u of users) {
      const payments = (await api(base, `/api/loans/${u.loanId}/payments`, { token: u.token })).body as { amount: string }[];
      const inst = (await api(base, `/api/loans/${u.loanId}/installments`, { token: u.token })).body as {
        amount: string;
        remaining: string;
        interest_paid: string;
        principal_paid: string;
      }[];
      const loan = (await api(base, `/api/loans/${u.loanId}`, { token: u.token })).body;
      rowsSeen += payments.length;
      const paidByPayments = payments.reduce((s, p) => s.plus(p.amount), new Decimal(0));
      const paidOnSchedule = inst.reduce((s, i) => s.plus(i.interest_paid).plus(i.principal_paid), new Decimal(0));
      const totalDue = inst.reduce((s, i) => s.plus(i.amount), new Decimal(0));
      if (!paidByPayments.equals(paidOnSchedule))
        (broken++, console.error(`${u.loanId}: payments ${paidByPayments} != schedule ${paidOnSchedule}`));
      if (!totalDue.minus(paidOnSchedule).equals(loan.outstanding_balance))
        (broken++, console.error(`${u.loanId}: outstanding ${loan.outstanding_balance}`));
    }
    // Requests still in flight when a run's timer ends commit without being counted: at most one per connection per run.
    if (rowsSeen < created || rowsSeen - created > CONNECTIONS * RUNS) (broken++, console.error(`rows ${rowsSeen} vs 201s ${created}`));
    table(rows);
    table([scheduleCost()]);
    const med = (k: string) => median(rows.map((r) => r[k] as number));
    console.log(
      `database: ${dbUrl ? 'PostgreSQL server' : 'embedded PGlite'}; ${CONNECTIONS} connections, ${DURATION_S}s x ${RUNS}; ` +
        `median ${med('payments/s')} payments/s, p99 ${med('p99 ms')} ms; ${created} payments answered 201, ${rowsSeen} rows; ` +
        `invariants: ${broken === 0 ? `intact for all ${CONNECTIONS} loans` : `${broken} BROKEN`}`,
    );
    if (broken) process.exitCode = 1;
  } finally {
    await stopProcess(proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
