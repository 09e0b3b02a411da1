/**
 * SQL round trips per money write, counted (issue 16): every `pg` Client.query the app issues while one
 * request is answered, with the outbox relay's nudge, the job workers and the sweeps switched off so
 * only the request's own statements are counted. Sequential requests on one fresh database:
 * subscribe, cancel (1 each: the instance knows the account and the subscription from its own last read
 * or move), the same when the account was changed behind the instance's back (3: the guarded statement
 * fails, read, statement again), subscribe with an Idempotency-Key, and a payment on a 600-month loan without
 * and with one (2: read the loan + the open instalments it reaches, one guarded statement; 7: the key's claim,
 * then the locking transaction with the key's result: BEGIN, lock, read, one batch, the result, COMMIT).
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx ts-node --transpile-only -r tsconfig-paths/register bench/round-trips.ts [--sql]
 * `--sql` prints each statement (first 100 characters).
 */
import { Client } from 'pg';
import { OutboxRelay } from '../libs/nest/documents/outbox-relay.service';
import { startTestApp, TestApp } from '../libs/testing/test-app';
import { runBench, withMigratedTemplate } from './lib';

const statements: string[] = [];
let counting = false;
const original = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  if (counting) {
    const q = args[0] as string | { text: string };
    statements.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').trim());
  }
  return original.apply(this, args);
} as typeof Client.prototype.query;

async function counted(name: string, call: () => Promise<{ status: number; body: any }>, expect: number): Promise<any> {
  statements.length = 0;
  counting = true;
  const res = await call();
  counting = false;
  if (res.status !== expect) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
  console.log(`${name.padEnd(44)} ${statements.length} round trips`);
  if (process.argv.includes('--sql')) for (const s of statements) console.log(`    ${s.slice(0, 100)}`);
  return res.body;
}

async function main(): Promise<void> {
  await withMigratedTemplate(async () => {
    let t: TestApp | undefined;
    try {
      t = await startTestApp({
        env: { JOBS_WORKER_ENABLED: 'false', OUTBOX_SWEEP_MS: '3600000', JOBS_MAINTENANCE_INTERVAL_SECONDS: '3600' },
      });
      const relay = t.app.get(OutboxRelay);
      relay.afterCommit = () => undefined; // its statements run after the commit, not in the request
      const admin = await t.adminToken();
      const user = await t.register();
      const auth = { Authorization: `Bearer ${user.token}` };
      await t.http.get('/api/v1/account').set(auth); // warms the token-check cache and the catalogue
      const sub = await counted('subscribe', () => t!.http.post('/api/v1/subscriptions/3').set(auth).send({ amount: 50000 }), 201);
      await counted('cancel', () => t!.http.post(`/api/v1/subscriptions/${sub.transaction_id}/cancel`).set(auth), 200);
      // As another instance or a script would: the instance's last known state of the account is stale now.
      await t.dataSource.query(`UPDATE fund_accounts SET tx_seq = tx_seq + 1 WHERE user_id = $1`, [user.id]);
      const moved = await counted(
        'subscribe, account moved elsewhere',
        () => t!.http.post('/api/v1/subscriptions/3').set(auth).send({ amount: 50000 }),
        201,
      );
      await t.http.post(`/api/v1/subscriptions/${moved.transaction_id}/cancel`).set(auth);
      await counted(
        'subscribe with Idempotency-Key',
        () =>
          t!.http
            .post('/api/v1/subscriptions/3')
            .set({ ...auth, 'Idempotency-Key': 'rt-1' })
            .send({ amount: 50000 }),
        201,
      );
      const loan = await t.http.post('/api/loans').set(auth).send({ principal: '1000000.00', annual_rate: '9.5', term_months: 600 });
      await t.http.post(`/api/loans/${loan.body.id}/approve`).set({ Authorization: `Bearer ${admin}` });
      await t.http.post(`/api/loans/${loan.body.id}/disburse`).set({ Authorization: `Bearer ${admin}` });
      // The first payment warms the per-process display-name cache (the runbook log line's name never changes).
      await t.http.post(`/api/loans/${loan.body.id}/payments`).set(auth).send({ amount: '1.00', reference: 'RT-0' });
      await counted(
        'loan payment (600 instalments)',
        () => t!.http.post(`/api/loans/${loan.body.id}/payments`).set(auth).send({ amount: '1.00', reference: 'RT-1' }),
        201,
      );
      await counted(
        'loan payment with Idempotency-Key',
        () =>
          t!.http
            .post(`/api/loans/${loan.body.id}/payments`)
            .set({ ...auth, 'Idempotency-Key': 'rt-2' })
            .send({ amount: '1.00', reference: 'RT-2' }),
        201,
      );
    } finally {
      await t?.close();
    }
  });
}

runBench(main);
