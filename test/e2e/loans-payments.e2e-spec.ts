import { Client } from 'pg';
import { startTestApp, TestApp } from '@testing/test-app';
import { OverdueJob } from '../../src/contexts/loans/application/overdue.service';
import { DEMO_LOAN_ID } from '../../src/contexts/loans/application/demo-loan.seeder';
import { LoanOutstanding1700000200000 } from '../../migrations/1700000200000-loan-outstanding';
import { bearer, startLoansApp, token } from './support/loans';

describe('loans: payments under concurrency, their row locks, bad payment bodies', () => {
  let t: TestApp;
  let admin: string;
  let client: string;

  beforeAll(async () => {
    ({ t, admin, client } = await startLoansApp());
  });
  afterAll(() => t.close());

  it('keeps money exact under concurrency: parallel applications and parallel payments on one loan', async () => {
    const { token: user } = await t.register();
    const apps = await Promise.all(
      [1, 2, 3, 4].map(() => t.http.post('/api/loans').set(bearer(user)).send({ principal: '400.00', annual_rate: '0', term_months: 2 })),
    );
    expect(apps.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const id = apps.find((r) => r.status === 201)!.body.id;
    await t.http.post(`/api/loans/${id}/approve`).set(bearer(admin));
    await t.http.post(`/api/loans/${id}/disburse`).set(bearer(admin));
    // Six payments of 150.00 against 400.00 outstanding: exactly two fit, the rest overpay.
    const pays = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        t.http
          .post(`/api/loans/${id}/payments`)
          .set(bearer(user))
          .send({ amount: '150.00', reference: `PAR-${n}` }),
      ),
    );
    expect(pays.map((r) => r.status).sort()).toEqual([201, 201, 400, 400, 400, 400]);
    const loan = (await t.http.get(`/api/loans/${id}`).set(bearer(user))).body;
    expect(loan).toMatchObject({ status: 'ACTIVE', outstanding_balance: '100.00' });
    const [{ sum }] = await t.dataSource.query('SELECT sum(amount)::text AS sum FROM loan_payments WHERE loan_id = $1', [id]);
    expect(sum).toBe('300.00');
    const last = await t.http.post(`/api/loans/${id}/payments`).set(bearer(user)).send({ amount: '100.00', reference: 'PAR-7' });
    expect(last.body.loan_status).toBe('CLOSED');
    const after = await t.http.post(`/api/loans/${id}/payments`).set(bearer(user)).send({ amount: '1.00', reference: 'PAR-8' });
    expect(after.status).toBe(409);
    expect(after.body.message).toBe('Cannot register a payment on a loan in status CLOSED');
  });

  it('a payment locks the loan and only the instalments it pays, not the rest of the schedule', async () => {
    const { token: user } = await t.register();
    const applied = await t.http.post('/api/loans').set(bearer(user)).send({ principal: '12000.00', annual_rate: '12', term_months: 24 });
    const id = applied.body.id;
    await t.http.post(`/api/loans/${id}/approve`).set(bearer(admin));
    await t.http.post(`/api/loans/${id}/disburse`).set(bearer(admin));
    // Another transaction holds the last instalment: a payment of the first one must not wait for it.
    const locker = new Client({ connectionString: t.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM loan_installments WHERE loan_id = $1 AND number = 24 FOR UPDATE', [id]);
      let answered = false;
      const pay = t.http
        .post(`/api/loans/${id}/payments`)
        .set(bearer(user))
        .send({ amount: '10.00', reference: 'LOCK-1' })
        .then((r) => ((answered = true), r));
      let waited = false;
      while (!answered && !waited) {
        const { rows } = await locker.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        waited = rows.length > 0;
        await new Promise((r) => setTimeout(r, 20));
      }
      await locker.query('ROLLBACK'); // lets a blocked payment finish either way
      expect(waited).toBe(false);
      const res = await pay;
      expect(res.status).toBe(201);
      expect(res.body.allocations).toEqual([{ installment_number: 1, interest: '10.00', principal: '0.00' }]);
    } finally {
      await locker.end();
    }
  });

  /** An ACTIVE loan of 1200.00 at 0 % over 12 months: twelve instalments of 100.00. */
  async function flatLoan(user: string): Promise<string> {
    const applied = await t.http.post('/api/loans').set(bearer(user)).send({ principal: '1200.00', annual_rate: '0', term_months: 12 });
    await t.http.post(`/api/loans/${applied.body.id}/approve`).set(bearer(admin));
    await t.http.post(`/api/loans/${applied.body.id}/disburse`).set(bearer(admin));
    return applied.body.id;
  }

  it('keeps the outstanding balance on the loan row in step with the schedule, in the detail and the list', async () => {
    const { token: user } = await t.register();
    const id = await flatLoan(user);
    const stored = async () => (await t.dataSource.query('SELECT outstanding::text FROM loans WHERE id = $1', [id]))[0].outstanding;
    expect(await stored()).toBe('1200.00');
    for (const [n, amount] of (['30.00', '170.00', '0.01'] as const).entries()) {
      const res = await t.http
        .post(`/api/loans/${id}/payments`)
        .set(bearer(user))
        .send({ amount, reference: `OUT-${n}` });
      expect(res.status).toBe(201);
    }
    const [{ due }] = await t.dataSource.query(
      `SELECT sum((principal_due - principal_paid) + (interest_due - interest_paid))::text AS due FROM loan_installments WHERE loan_id = $1`,
      [id],
    );
    expect({ stored: await stored(), due }).toEqual({ stored: '999.99', due: '999.99' });
    const detail = await t.http.get(`/api/loans/${id}`).set(bearer(user));
    expect(detail.body).toMatchObject({ outstanding_balance: '999.99', next_due_date: expect.any(String) });
    const list = await t.http.get('/api/loans').set(bearer(user));
    expect(list.body.items).toEqual([expect.objectContaining({ id, outstanding_balance: '999.99' })]);
  });

  it('reads the whole open schedule when the short read does not cover the payment', async () => {
    // The short read asks for amount / installment_amount + 2 instalments. A loan row whose installment_amount
    // says more than its instalments hold makes that too few (3 of 100.00 for 550.00): the check on what came
    // back sends the repository to the whole open schedule, and the payment is allocated as ever.
    const { token: user } = await t.register();
    const id = await flatLoan(user);
    await t.dataSource.query(`UPDATE loans SET installment_amount = 10000.00 WHERE id = $1`, [id]);
    const res = await t.http.post(`/api/loans/${id}/payments`).set(bearer(user)).send({ amount: '550.00', reference: 'WIDE-1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outstanding_balance: '650.00', loan_status: 'ACTIVE' });
    expect(res.body.allocations.map((a: { installment_number: number; principal: string }) => [a.installment_number, a.principal])).toEqual(
      [
        [1, '100.00'],
        [2, '100.00'],
        [3, '100.00'],
        [4, '100.00'],
        [5, '100.00'],
        [6, '50.00'],
      ],
    );
    const rows = await t.dataSource.query(
      `SELECT number, status, principal_paid::text AS paid FROM loan_installments WHERE loan_id = $1 AND number BETWEEN 5 AND 7 ORDER BY number`,
      [id],
    );
    expect(rows).toEqual([
      { number: 5, status: 'PAID', paid: '100.00' },
      { number: 6, status: 'PENDING', paid: '50.00' },
      { number: 7, status: 'PENDING', paid: '0.00' },
    ]);
    // Paying off the rest in one payment reaches past the short read again, and closes the loan at 0.00.
    const rest = await t.http.post(`/api/loans/${id}/payments`).set(bearer(user)).send({ amount: '650.00', reference: 'WIDE-2' });
    expect(rest.body).toMatchObject({ outstanding_balance: '0.00', loan_status: 'CLOSED' });
    const [loan] = await t.dataSource.query('SELECT status, outstanding::text FROM loans WHERE id = $1', [id]);
    expect(loan).toEqual({ status: 'CLOSED', outstanding: '0.00' });
  });

  it('fills the outstanding balance of existing loans from their schedules when the migration runs', async () => {
    const { token: user } = await t.register();
    const id = await flatLoan(user);
    await t.http.post(`/api/loans/${id}/payments`).set(bearer(user)).send({ amount: '123.45', reference: 'MIG-1' });
    const migration = new LoanOutstanding1700000200000();
    const runner = t.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows: { id: string; status: string; outstanding: string | null }[] = await t.dataSource.query(
      `SELECT id, status, outstanding::text FROM loans WHERE id = $1 OR status IN ('SUBMITTED', 'CLOSED')`,
      [id],
    );
    expect(rows.find((r) => r.id === id)!.outstanding).toBe('1076.55');
    for (const r of rows.filter((x) => x.id !== id))
      expect([r.status, r.outstanding]).toEqual([r.status, r.status === 'CLOSED' ? '0.00' : null]);
  });

  it('refuses bad payment bodies with a 400 naming the field', async () => {
    for (const [amount, reference, field] of [
      [0, 'R-1', 'amount'],
      ['0.00', 'R-1', 'amount'],
      ['10.001', 'R-1', 'amount'],
      ['-1', 'R-1', 'amount'],
      ['10.00', '', 'reference'],
      ['10.00', 'has space', 'reference'],
    ] as const) {
      const res = await t.http.post(`/api/loans/${DEMO_LOAN_ID}/payments`).set(bearer(client)).send({ amount, reference });
      expect({ amount, reference, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        amount,
        reference,
        status: 400,
        fields: [field],
      });
    }
    const extra = await t.http
      .post(`/api/loans/${DEMO_LOAN_ID}/payments`)
      .set(bearer(client))
      .send({ amount: '1.00', reference: 'R-2', currency: 'EUR' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].field).toBe('currency');
  });
});

describe('loans: daily overdue job (fake clock)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ fakeClock: '2026-01-05T12:00:00.000Z' });
  });
  afterAll(() => t.close());

  it('marks past-due instalments OVERDUE, counts days in arrears, audits once, and clears on payment', async () => {
    const admin = await t.adminToken(); // the demo loan is disbursed "now": first due 2026-02-05
    const client = await token(t, 'client1', 'client1234');
    const job = t.app.get(OverdueJob);

    t.clock!.set('2026-02-05T23:00:00.000Z'); // due today: not overdue yet
    expect(await job.run()).toMatchObject({ ran: true, today: '2026-02-05', installmentsMarked: 0 });

    t.clock!.set('2026-02-15T01:00:00.000Z');
    expect(await job.run()).toMatchObject({ ran: true, installmentsMarked: 1, loansInArrears: 1 });
    let loan = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}`).set(bearer(client))).body;
    expect(loan.days_in_arrears).toBe(10);
    let inst = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}/installments`).set(bearer(client))).body;
    expect(inst.map((i: { status: string }) => i.status).slice(0, 3)).toEqual(['OVERDUE', 'PENDING', 'PENDING']);

    t.clock!.set('2026-03-07T01:00:00.000Z'); // #2 falls due on 03-05: arrears still from 02-05
    expect(await job.run()).toMatchObject({ installmentsMarked: 1 });
    loan = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}`).set(bearer(client))).body;
    expect(loan.days_in_arrears).toBe(30);
    expect(await job.run()).toMatchObject({ installmentsMarked: 0 }); // idempotent within a day

    const audit = await t.http.get('/ops/audit/all?event_type=loans.overdue').set(bearer(admin));
    expect(audit.body.map((e: { payload: Record<string, unknown> }) => e.payload)).toEqual([
      { loan_id: DEMO_LOAN_ID, installments: [2], days_in_arrears: 30, as_of: '2026-03-07' },
      { loan_id: DEMO_LOAN_ID, installments: [1], days_in_arrears: 10, as_of: '2026-02-15' },
    ]);

    // A partial payment leaves #1 OVERDUE; paying it off moves the arrears to #2's due date.
    const partial = await t.http
      .post(`/api/loans/${DEMO_LOAN_ID}/payments`)
      .set(bearer(client))
      .send({ amount: '100.00', reference: 'LATE-1' });
    expect(partial.status).toBe(201);
    inst = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}/installments`).set(bearer(client))).body;
    expect(inst[0]).toMatchObject({ status: 'OVERDUE', interest_paid: '50.00', principal_paid: '50.00', remaining: '344.24' });
    await t.http.post(`/api/loans/${DEMO_LOAN_ID}/payments`).set(bearer(client)).send({ amount: '344.24', reference: 'LATE-2' });
    loan = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}`).set(bearer(client))).body;
    expect(loan.days_in_arrears).toBe(2); // #2 due 2026-03-05
    await t.http.post(`/api/loans/${DEMO_LOAN_ID}/payments`).set(bearer(client)).send({ amount: '444.24', reference: 'LATE-3' });
    loan = (await t.http.get(`/api/loans/${DEMO_LOAN_ID}`).set(bearer(client))).body;
    expect(loan).toMatchObject({ days_in_arrears: 0, next_due_date: '2026-04-05', status: 'ACTIVE' });
  });
});
