import { startTestApp, TestApp } from '@testing/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('loans: POST /api/loans/quote (seed 001 quotes before applying)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ fakeClock: '2026-01-05T12:00:00Z' });
    token = (await t.register()).token;
  });
  afterAll(() => t.close());

  // Every audit event or document goes through the outbox, whose sequence only moves forward.
  const counts = () =>
    t.dataSource.query(
      `SELECT (SELECT count(*) FROM loans)::int AS loans, (SELECT count(*) FROM loan_installments)::int AS installments,
              (SELECT last_value FROM outbox_seq_seq)::text AS outbox_seq`,
    );

  it('answers the French amortization in exact cents, the same schedule a disbursement creates, and stores nothing', async () => {
    const before = await counts();
    const res = await t.http.post('/api/loans/quote').set(bearer(token)).send({ principal: '5000.00', annual_rate: '12', term_months: 12 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      principal: '5000.00',
      annual_rate: '12',
      term_months: 12,
      monthly_payment: '444.24',
      total_interest: '330.93',
      total_payable: '5330.93',
    });
    expect(res.body.schedule).toHaveLength(12);
    expect(res.body.schedule[0]).toEqual({
      number: 1,
      due_date: '2026-02-05',
      amount: '444.24',
      principal: '394.24',
      interest: '50.00',
      balance_after: '4605.76',
    });
    expect(res.body.schedule[11]).toMatchObject({ amount: '444.29', interest: '4.40', principal: '439.89', balance_after: '0.00' });
    const after = await counts();
    expect(after).toEqual(before);
  });

  it('matches the schedule a real loan on the same terms gets at disbursement, cent for cent', async () => {
    const terms = { principal: '1234.56', annual_rate: '17.25', term_months: 7 };
    const quote = await t.http.post('/api/loans/quote').set(bearer(token)).send(terms);
    const admin = await t.adminToken();
    const loan = await t.http.post('/api/loans').set(bearer(token)).send(terms);
    await t.http.post(`/api/loans/${loan.body.id}/approve`).set(bearer(admin)).expect(200);
    const disbursed = await t.http.post(`/api/loans/${loan.body.id}/disburse`).set(bearer(admin));
    expect(disbursed.body.installment_amount).toBe(quote.body.monthly_payment);
    const inst = await t.http.get(`/api/loans/${loan.body.id}/installments`).set(bearer(token));
    const pick = (r: Record<string, unknown>) => [r.number, r.due_date, r.amount, r.principal, r.interest];
    expect(inst.body.map(pick)).toEqual(quote.body.schedule.map(pick));
  });

  it('quotes a zero rate as principal / n and accepts JSON numbers', async () => {
    const res = await t.http.post('/api/loans/quote').set(bearer(token)).send({ principal: 1000, annual_rate: 0, term_months: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ monthly_payment: '333.33', total_interest: '0.00', total_payable: '1000.00' });
    expect(res.body.schedule.map((r: { amount: string }) => r.amount)).toEqual(['333.33', '333.33', '333.34']);
  });

  it.each([
    ['term_months', { principal: '1000.00', annual_rate: '12', term_months: 0 }],
    ['annual_rate', { principal: '1000.00', annual_rate: '-1', term_months: 12 }],
    ['annual_rate', { principal: '1000.00', annual_rate: -5, term_months: 12 }],
    ['principal', { principal: 1e20, annual_rate: '12', term_months: 12 }],
    ['principal', { principal: '1000.001', annual_rate: '12', term_months: 12 }],
    ['principal', { principal: 10.555, annual_rate: '12', term_months: 12 }],
  ])('refuses bad %s with a 400 naming it', async (field, body) => {
    const res = await t.http.post('/api/loans/quote').set(bearer(token)).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, request_id: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(res.body.message).toContain(field);
  });

  it('needs a token', async () => {
    const res = await t.http.post('/api/loans/quote').send({ principal: '1000.00', annual_rate: '12', term_months: 12 });
    expect(res.status).toBe(401);
  });
});
