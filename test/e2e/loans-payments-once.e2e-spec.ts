import { Client, QueryResult } from 'pg';
import { AuditTrail, Decimal, UnitOfWork } from '@kernel';
import { OutboxRelay } from '@platform/documents/outbox-relay.service';
import { startTestApp, TestApp } from '@testing/test-app';
import { OverdueJob } from '../../src/contexts/loans/application/overdue.service';
import { LoanRepository } from '../../src/contexts/loans/domain/loans.ports';
import { bearer } from './support/loans';

/**
 * A loan payment in two statements (issue 16): the loan and its open instalments read unlocked in one, then
 * ONE autocommit statement guarded by the loan's version (`UnitOfWork.once`). A payment whose read went stale
 * (the overdue job or another payment wrote the loan meanwhile) writes nothing there and takes the locking path.
 */
describe('loans: a payment in two statements, the locking path when its read went stale', () => {
  let t: TestApp;
  let admin: string;
  let repo: LoanRepository;
  let relay: OutboxRelay;
  const statements: string[] = [];
  const original = Client.prototype.query as (...args: unknown[]) => unknown;
  let afterRead: (() => Promise<unknown>) | undefined;

  beforeAll(async () => {
    // No job workers or sweeps: only the request's own statements reach the count.
    t = await startTestApp({
      fakeClock: '2026-01-05T12:00:00.000Z',
      env: { JOBS_WORKER_ENABLED: 'false', OUTBOX_SWEEP_MS: '3600000', JOBS_MAINTENANCE_INTERVAL_SECONDS: '3600' },
    });
    admin = await t.adminToken();
    repo = t.app.get(LoanRepository);
    relay = t.app.get(OutboxRelay);
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      statements.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').trim());
      return original.apply(this, args);
    } as typeof Client.prototype.query;
    // The seam of the race: whatever `afterRead` does runs between a payment's unlocked read and its write.
    const read = repo.readForPayment.bind(repo);
    repo.readForPayment = async (...args) => {
      const r = await read(...args);
      const hook = afterRead;
      afterRead = undefined;
      await hook?.();
      return r;
    };
  });
  afterAll(async () => {
    Client.prototype.query = original as typeof Client.prototype.query;
    await t.close();
  });

  /** A user's ACTIVE loan of 1200.00 at 12 % over 12 months (instalment 1: 12.00 interest, 94.62 principal). */
  async function activeLoan(): Promise<{ id: string; user: Record<string, string> }> {
    const { token } = await t.register();
    const applied = await t.http.post('/api/loans').set(bearer(token)).send({ principal: '1200.00', annual_rate: '12', term_months: 12 });
    await t.http.post(`/api/loans/${applied.body.id}/approve`).set(bearer(admin));
    await t.http.post(`/api/loans/${applied.body.id}/disburse`).set(bearer(admin));
    return { id: applied.body.id, user: bearer(token) };
  }

  /** The request's statements, the relay's after-commit pass left out (it runs after the answer). */
  async function counted<T>(call: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    const nudge = relay.afterCommit.bind(relay);
    relay.afterCommit = () => undefined;
    await relay.settle(); // what earlier requests committed is relayed first, out of the count
    statements.length = 0;
    try {
      const result = await call();
      return { result, sql: [...statements] };
    } finally {
      relay.afterCommit = nudge;
      nudge(); // and now relayed, for the audit trail's readers
    }
  }

  /** A statement of this test's own clients, left out of the count. */
  const raw = (c: Client, sql: string, params: unknown[] = []) => original.call(c, sql, params) as Promise<QueryResult>;
  const isGuardedWrite = (s: string) => /^WITH w0 AS \(UPDATE loans SET .* AND version = \$14 RETURNING 1\)/.test(s);
  /** A guarded write was sent, then a transaction began: the locking path ran after the guard failed. */
  const fellBack = (sql: string[]) => {
    const last = sql.map(isGuardedWrite).lastIndexOf(true);
    return last >= 0 && sql.indexOf('START TRANSACTION', last) > last && sql.indexOf('COMMIT', last) > last;
  };

  const state = async (id: string) => {
    const [loan] = await t.dataSource.query('SELECT version, days_in_arrears FROM loans WHERE id = $1', [id]);
    const installments = await t.dataSource.query(
      `SELECT number, status, interest_paid::text, principal_paid::text FROM loan_installments WHERE loan_id = $1 AND number <= 2 ORDER BY number`,
      [id],
    );
    const payments = await t.dataSource.query('SELECT reference, amount::text FROM loan_payments WHERE loan_id = $1 ORDER BY seq', [id]);
    return { ...loan, installments, payments };
  };

  it('is two statements: one read, then one guarded autocommit write with the payment and its audit event', async () => {
    const { id, user } = await activeLoan();
    await t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '1.00', reference: 'ONCE-0' }); // warms the name cache
    const before = await state(id);
    const { result: res, sql } = await counted(() =>
      t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '20.00', reference: 'ONCE-1' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      allocations: [{ installment_number: 1, interest: '11.00', principal: '9.00' }],
      outstanding_balance: expect.any(String),
    });
    expect(sql).toHaveLength(2);
    // The read: the loan and only the unpaid instalments the amount can reach (LIMIT), no sum over the schedule.
    expect(sql[0]).toMatch(
      /^SELECT l\.id, .* FROM loans l .* FROM loan_installments WHERE loan_id = l\.id AND status <> 'PAID' ORDER BY number LIMIT r\.reach\) i ON true WHERE l\.id = \$1/,
    );
    expect(sql[0]).not.toMatch(/sum\(/);
    expect(sql[1]).toMatch(
      /^WITH w0 AS \(UPDATE loans SET .* outstanding = \$4, .* version = version \+ 1 WHERE id = \$1 AND version = \$14 RETURNING 1\)/,
    );
    expect(sql.some((s) => /^(START TRANSACTION|BEGIN)/.test(s))).toBe(false);
    expect(sql[1]).toMatch(/UPDATE loan_installments .*INSERT INTO loan_payments .*INSERT INTO outbox .* SELECT uow_guard\(/);
    expect(await state(id)).toMatchObject({
      version: before.version + 1,
      installments: [{ number: 1, status: 'PENDING', interest_paid: '12.00', principal_paid: '9.00' }, { number: 2 }],
    });
    await relay.settle();
    const audit = await t.http.get('/ops/audit/all?event_type=loans.payment').set(bearer(admin));
    expect(audit.body.map((e: { payload: { payment_id: string } }) => e.payload.payment_id)).toContain(res.body.id);
  });

  it('writes nothing from a stale read: the guarded statement changes no row, inserts no payment and no audit event', async () => {
    const { id, user } = await activeLoan();
    const read = (await repo.readForPayment(id, new Decimal('10.00'), 'STALE-1'))!;
    await t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '5.00', reference: 'FRESH-1' });
    const before = await state(id);
    const [first] = read.view.open;
    const sent = await t.app.get(UnitOfWork).once(async () => {
      await repo.updateIfUnchanged(read.loan, read.version);
      await repo.updateInstallments([{ ...first, interestPaid: first.interestPaid.plus('10.00') }]);
      await repo.insertPayment({
        id: '00000000-0000-4000-8000-000000000001',
        loanId: id,
        userId: read.loan.userId,
        amount: new Decimal('10.00'),
        reference: 'STALE-1',
        allocations: [],
        createdAt: new Date(),
      });
      await t.app.get(AuditTrail).record({ eventType: 'loans.payment', outcome: 'success', payload: { reference: 'STALE-1' } });
      return 'sent';
    });
    expect(sent).toBeUndefined();
    expect(await state(id)).toEqual(before);
    expect(before.installments[0]).toMatchObject({ interest_paid: '5.00', principal_paid: '0.00' });
    await relay.settle();
    const [{ n }] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM outbox WHERE payload::text LIKE '%STALE-1%') + (SELECT count(*) FROM doc_audit_logs WHERE doc::text LIKE '%STALE-1%') AS n`,
    );
    expect(Number(n)).toBe(0);
  });

  it('racing another payment: the one whose read went stale falls back to the locking path, and both stay exact', async () => {
    const { id, user } = await activeLoan();
    const before = await state(id);
    let inner: { status: number; body: { allocations: unknown } } | undefined;
    afterRead = async () => {
      inner = await t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '30.00', reference: 'RACE-IN' });
    };
    const { result: outer, sql } = await counted(() =>
      t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '30.00', reference: 'RACE-OUT' }),
    );
    expect(inner!.status).toBe(201);
    expect(inner!.body.allocations).toEqual([{ installment_number: 1, interest: '12.00', principal: '18.00' }]);
    expect(outer.status).toBe(201);
    expect(outer.body.allocations).toEqual([{ installment_number: 1, interest: '0.00', principal: '30.00' }]);
    // Two guarded writes: the inner's, which committed, then the outer's, which failed; its locking transaction read the inner's payment.
    expect(sql.filter(isGuardedWrite)).toHaveLength(2);
    expect(fellBack(sql)).toBe(true);
    expect(await state(id)).toMatchObject({
      version: before.version + 2,
      installments: [{ number: 1, status: 'PENDING', interest_paid: '12.00', principal_paid: '48.00' }, { number: 2 }],
      payments: [
        { reference: 'RACE-IN', amount: '30.00' },
        { reference: 'RACE-OUT', amount: '30.00' },
      ],
    });
  });

  it('racing the overdue job (it commits while the guarded write waits on the loan): falls back, the OVERDUE mark kept', async () => {
    const { id, user } = await activeLoan();
    t.clock!.set('2026-02-15T01:00:00.000Z'); // instalment 1 (due 2026-02-05) is past due; the job has not run yet
    const job = new Client({ connectionString: t.db.url });
    const watcher = new Client({ connectionString: t.db.url });
    await Promise.all([job.connect(), watcher.connect()]);
    try {
      // What the job's statement does, held open in a transaction: it locks the loan, bumps its version, marks #1.
      afterRead = async () => {
        await raw(job, 'BEGIN');
        await raw(job, 'SELECT id FROM loans WHERE id = $1 FOR UPDATE', [id]);
        await raw(job, 'UPDATE loans SET version = version + 1 WHERE id = $1', [id]);
        await raw(job, `UPDATE loan_installments SET status = 'OVERDUE' WHERE loan_id = $1 AND number = 1`, [id]);
      };
      const pay = counted(() => t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '50.00', reference: 'LATE-1' }));
      let waited = false;
      for (let i = 0; i < 1000 && !waited; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const { rows } = await raw(
          watcher,
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH w0 AS (UPDATE loans%'`,
        );
        waited = rows.length > 0;
      }
      expect(waited).toBe(true); // the guarded statement waits for the job's lock on the loan
      await raw(job, 'COMMIT');
      const { result: res, sql } = await pay;
      expect(res.status).toBe(201);
      expect(res.body.allocations).toEqual([{ installment_number: 1, interest: '12.00', principal: '38.00' }]);
      expect(fellBack(sql)).toBe(true);
      // A write from the stale read would have put #1 back to PENDING.
      expect(await state(id)).toMatchObject({
        days_in_arrears: 10,
        installments: [{ number: 1, status: 'OVERDUE', interest_paid: '12.00', principal_paid: '38.00' }, { number: 2 }],
        payments: [{ reference: 'LATE-1', amount: '50.00' }],
      });
    } finally {
      await Promise.all([job.end(), watcher.end()]);
      t.clock!.set('2026-01-05T12:00:00.000Z');
    }
  });

  it('racing the overdue job run between the read and the write: the job audits, the payment falls back and stays exact', async () => {
    const { id, user } = await activeLoan();
    t.clock!.set('2026-02-15T01:00:00.000Z');
    try {
      // The job runs from this test's own async context, as a worker's would (not inside the payment's `once`).
      let signal!: () => void;
      const jobDone = new Promise<void>((r) => (signal = r)).then(() => t.app.get(OverdueJob).run());
      afterRead = async () => {
        signal();
        await jobDone;
      };
      const { result: res, sql } = await counted(() =>
        t.http.post(`/api/loans/${id}/payments`).set(user).send({ amount: '20.00', reference: 'LATE-2' }),
      );
      expect(res.status).toBe(201);
      expect(res.body.allocations).toEqual([{ installment_number: 1, interest: '12.00', principal: '8.00' }]);
      expect(fellBack(sql)).toBe(true);
      expect(await state(id)).toMatchObject({
        days_in_arrears: 10,
        installments: [
          { number: 1, status: 'OVERDUE', interest_paid: '12.00', principal_paid: '8.00' },
          { number: 2, status: 'PENDING' },
        ],
        payments: [{ reference: 'LATE-2', amount: '20.00' }],
      });
      await relay.settle();
      const audit = await t.http.get('/ops/audit/all?event_type=loans.overdue').set(bearer(admin));
      expect(audit.body.map((e: { payload: Record<string, unknown> }) => e.payload)).toContainEqual({
        loan_id: id,
        installments: [1],
        days_in_arrears: 10,
        as_of: '2026-02-15',
      });
    } finally {
      t.clock!.set('2026-01-05T12:00:00.000Z');
    }
  });
});
