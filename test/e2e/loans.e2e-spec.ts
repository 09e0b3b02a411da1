import { Logger } from '@nestjs/common';
import { TestApp } from '@testing/test-app';
import { DEMO_LOAN_ID } from '../../src/contexts/loans/application/demo-loan.seeder';
import { bearer, startLoansApp } from './support/loans';

describe('loans: seed 001 flow (apply, approve, disburse, pay, close)', () => {
  let t: TestApp;
  let admin: string;
  let client: string;

  beforeAll(async () => {
    ({ t, admin, client } = await startLoansApp());
  });
  afterAll(() => t.close());

  it('seeds one disbursed loan for client1 with a pending instalment, idempotently', async () => {
    await t.adminToken(); // seeders again
    const mine = await t.http.get('/api/loans').set(bearer(client));
    expect(mine.status).toBe(200);
    const seeded = mine.body.items.filter((l: { id: string }) => l.id === DEMO_LOAN_ID);
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({
      status: 'ACTIVE',
      principal: '5000.00',
      annual_rate: '12',
      term_months: 12,
      installment_amount: '444.24',
    });
    const inst = await t.http.get(`/api/loans/${DEMO_LOAN_ID}/installments`).set(bearer(client));
    expect(inst.status).toBe(200);
    expect(inst.body).toHaveLength(12);
    expect(inst.body[0]).toMatchObject({ number: 1, status: 'PENDING', amount: '444.24', interest: '50.00', principal: '394.24' });
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM loans');
    expect(count).toBe(1);
  });

  it('walks apply -> approve -> disburse -> pay every instalment -> CLOSED, with the runbook log line and audit', async () => {
    const logSpy = jest.spyOn(Logger.prototype, 'log');
    const applied = await t.http
      .post('/api/loans')
      .set(bearer(client))
      .send({ principal: '1200.00', annual_rate: '12', term_months: 3, purpose: 'Laptop' });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({
      status: 'SUBMITTED',
      principal: '1200.00',
      annual_rate: '12',
      term_months: 3,
      purpose: 'Laptop',
      installment_amount: null,
    });
    const id = applied.body.id;

    const second = await t.http.post('/api/loans').set(bearer(client)).send({ principal: '10', annual_rate: 1, term_months: 1 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('open_application_exists');

    const paySubmitted = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '10.00', reference: 'EARLY-1' });
    expect(paySubmitted.status).toBe(409);
    expect(paySubmitted.body.message).toContain('SUBMITTED');

    expect((await t.http.post(`/api/loans/${id}/approve`).set(bearer(client))).status).toBe(403);
    const approved = await t.http.post(`/api/loans/${id}/approve`).set(bearer(admin));
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');
    const twice = await t.http.post(`/api/loans/${id}/approve`).set(bearer(admin));
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      code: 'illegal_loan_transition',
      current_status: 'APPROVED',
      message: 'Cannot approve a loan in status APPROVED',
    });
    expect((await t.http.post(`/api/loans/${id}/withdraw`).set(bearer(client))).status).toBe(409);

    const disbursed = await t.http.post(`/api/loans/${id}/disburse`).set(bearer(admin));
    expect(disbursed.status).toBe(200);
    // r = 12 % / 12 = 0.01; A = 1200 * 0.01 / (1 - 1.01^-3) = 408.0264... -> 408.03
    expect(disbursed.body).toMatchObject({ status: 'ACTIVE', installment_amount: '408.03', outstanding_balance: '1224.08' });

    const schedule = (await t.http.get(`/api/loans/${id}/installments`).set(bearer(client))).body;
    expect(schedule.map((i: Record<string, string>) => [i.amount, i.interest, i.principal])).toEqual([
      ['408.03', '12.00', '396.03'], // 1200.00 * 0.01
      ['408.03', '8.04', '399.99'], // 803.97 * 0.01 = 8.0397
      ['408.02', '4.04', '403.98'], // 403.98 * 0.01 = 4.0398; last takes the balance
    ]);

    // Partial: interest (12.00) first, then 88.00 of principal.
    const partial = await t.http
      .post(`/api/loans/${id}/payments`)
      .set(bearer(client))
      .set('X-Request-Id', 'req-pay-1')
      .send({ amount: '100.00', reference: 'TRX-1' });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      amount: '100.00',
      reference: 'TRX-1',
      loan_status: 'ACTIVE',
      outstanding_balance: '1124.08',
      allocations: [{ installment_number: 1, interest: '12.00', principal: '88.00' }],
    });
    expect(logSpy).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Payment registered successfully',
        request_id: 'req-pay-1',
        user: 'client1',
        loan_id: id,
        amount: '100.00',
      }),
    );

    const dup = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '5.00', reference: 'TRX-1' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate_payment_reference');

    const over = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '1124.09', reference: 'TRX-OVER' });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].field).toBe('amount');
    expect(over.body.outstanding_balance).toBe('1124.08');

    // Spans two instalments: 308.03 closes #1, 100.00 goes to #2 (interest 8.04 first).
    const spanning = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '408.03', reference: 'TRX-2' });
    expect(spanning.body.allocations).toEqual([
      { installment_number: 1, interest: '0.00', principal: '308.03' },
      { installment_number: 2, interest: '8.04', principal: '91.96' },
    ]);

    // Idempotency-Key: the same request twice is one payment, the same answer.
    const body = { amount: '308.03', reference: 'TRX-3' };
    const first = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).set('Idempotency-Key', 'pay-3').send(body);
    const replay = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).set('Idempotency-Key', 'pay-3').send(body);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const other = await t.http
      .post(`/api/loans/${id}/payments`)
      .set(bearer(client))
      .set('Idempotency-Key', 'pay-3')
      .send({ ...body, amount: '1.00' });
    expect(other.status).toBe(409);

    const last = await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '408.02', reference: 'TRX-4' });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ loan_status: 'CLOSED', outstanding_balance: '0.00' });

    const closed = await t.http.get(`/api/loans/${id}`).set(bearer(client));
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      outstanding_balance: '0.00',
      next_due_date: null,
      closed_at: expect.any(String),
    });
    const paid = (await t.http.get(`/api/loans/${id}/installments`).set(bearer(client))).body;
    expect(paid.every((i: { status: string; remaining: string }) => i.status === 'PAID' && i.remaining === '0.00')).toBe(true);
    const payments = await t.http.get(`/api/loans/${id}/payments`).set(bearer(client));
    expect(payments.body.map((p: { reference: string }) => p.reference)).toEqual(['TRX-1', 'TRX-2', 'TRX-3', 'TRX-4']);
    expect((await t.http.post(`/api/loans/${id}/payments`).set(bearer(client)).send({ amount: '1.00', reference: 'TRX-5' })).status).toBe(
      409,
    );

    const audit = await t.http.get(`/ops/audit/all?limit=1000`).set(bearer(admin));
    const mine = audit.body
      .filter((e: { payload: { loan_id?: string } }) => e.payload.loan_id === id)
      .map((e: { event_type: string }) => e.event_type);
    expect(mine.reverse()).toEqual([
      'loans.apply',
      'loans.approve',
      'loans.disburse',
      'loans.payment',
      'loans.payment',
      'loans.payment',
      'loans.payment',
      'loans.close',
    ]);
    logSpy.mockRestore();
  });

  it('rejects and withdraws only from SUBMITTED', async () => {
    const { token: user } = await t.register();
    const a = await t.http.post('/api/loans').set(bearer(user)).send({ principal: 300, annual_rate: 0, term_months: 3 });
    expect(a.status).toBe(201);
    const noReason = await t.http.post(`/api/loans/${a.body.id}/reject`).set(bearer(admin)).send({});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    const rejected = await t.http.post(`/api/loans/${a.body.id}/reject`).set(bearer(admin)).send({ reason: 'Income not verified' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejection_reason: 'Income not verified' });
    expect((await t.http.post(`/api/loans/${a.body.id}/disburse`).set(bearer(admin))).body.message).toBe(
      'Cannot disburse a loan in status REJECTED',
    );

    const b = await t.http.post('/api/loans').set(bearer(user)).send({ principal: '300', annual_rate: '0', term_months: 3 });
    expect(b.status).toBe(201); // a rejected application is not open
    expect((await t.http.post(`/api/loans/${b.body.id}/withdraw`).set(bearer(admin))).status).toBe(403);
    const withdrawn = await t.http.post(`/api/loans/${b.body.id}/withdraw`).set(bearer(user));
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect((await t.http.post(`/api/loans/${b.body.id}/approve`).set(bearer(admin))).body.message).toBe(
      'Cannot approve a loan in status WITHDRAWN',
    );
  });

  it('annual_rate 0 splits the principal evenly, the last instalment absorbing the cents', async () => {
    const { token: user } = await t.register();
    const a = await t.http.post('/api/loans').set(bearer(user)).send({ principal: '100.00', annual_rate: '0', term_months: 3 });
    await t.http.post(`/api/loans/${a.body.id}/approve`).set(bearer(admin));
    const d = await t.http.post(`/api/loans/${a.body.id}/disburse`).set(bearer(admin));
    expect(d.body.installment_amount).toBe('33.33');
    const s = (await t.http.get(`/api/loans/${a.body.id}/installments`).set(bearer(user))).body;
    expect(s.map((i: { amount: string }) => i.amount)).toEqual(['33.33', '33.33', '33.34']);
    expect(s.every((i: { interest: string }) => i.interest === '0.00')).toBe(true);
  });

  it('shows users only their own loans (others 404), admins all, with status filter and paging', async () => {
    const { token: stranger } = await t.register();
    for (const path of [`/api/loans/${DEMO_LOAN_ID}`, `/api/loans/${DEMO_LOAN_ID}/installments`, `/api/loans/${DEMO_LOAN_ID}/payments`]) {
      const res = await t.http.get(path).set(bearer(stranger));
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const pay = await t.http
      .post(`/api/loans/${DEMO_LOAN_ID}/payments`)
      .set(bearer(stranger))
      .send({ amount: '1.00', reference: 'NOT-MINE' });
    expect(pay.status).toBe(404);
    expect((await t.http.post(`/api/loans/${DEMO_LOAN_ID}/withdraw`).set(bearer(stranger))).status).toBe(404);
    expect((await t.http.get('/api/loans/not-a-uuid').set(bearer(stranger))).status).toBe(404);
    expect((await t.http.get('/api/loans/00000000-0000-4000-8000-000000000000').set(bearer(admin))).status).toBe(404);
    expect((await t.http.get('/api/loans').set(bearer(stranger))).body).toEqual({ items: [], total: 0, page: 1, page_size: 20 });

    const all = await t.http.get('/api/loans?page_size=100').set(bearer(admin));
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    const active = await t.http.get('/api/loans?status=ACTIVE').set(bearer(admin));
    expect(active.body.items.every((l: { status: string }) => l.status === 'ACTIVE')).toBe(true);
    const paged = await t.http.get('/api/loans?page=2&page_size=1').set(bearer(admin));
    expect(paged.body).toMatchObject({ page: 2, page_size: 1, total: all.body.total });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.items[0].id).toBe(all.body.items[1].id);
    const bad = await t.http.get('/api/loans?status=LOST&page_size=1000').set(bearer(admin));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['page_size', 'status']);
    expect((await t.http.get('/api/loans')).status).toBe(401);
  });

  it.each([
    ['principal', 0],
    ['principal', -5],
    ['principal', 1e15],
    ['principal', '1,000'],
    ['principal', '10.001'],
    ['principal', '1e3'],
    ['annual_rate', -1],
    ['annual_rate', 500],
    ['annual_rate', 'twelve'],
    ['term_months', 0],
    ['term_months', 1.5],
    ['term_months', 601],
    ['term_months', '12'],
  ])('refuses %s = %p with a 400 naming the field', async (field, value) => {
    const res = await t.http
      .post('/api/loans')
      .set(bearer(client))
      .send({ principal: '1000.00', annual_rate: '10', term_months: 12, [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(res.body.detail).toContain(field);
  });
});
