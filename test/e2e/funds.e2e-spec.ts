import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';
import { waitForNotification } from '../fakes/funds-notifications';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Seed 004's curl flows, as written, against /api/v1. */
describe('funds: seed 004 flow (register, login, list, subscribe, history, cancel)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs the seed flow end to end', async () => {
    const email = uniqueEmail('u');
    const reg = await t.http
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send({ email, full_name: 'User Test', password: 'Secret123!', notify_channel: 'email', notify_destination: email });
    expect(reg.status).toBe(201);

    const login = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send({ email, password: 'Secret123!' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'bearer', user: { email, full_name: 'User Test', role: 'user' } });
    const token = login.body.access_token as string;

    const funds = await t.http.get('/api/v1/funds').set(auth(token));
    expect(funds.status).toBe(200);
    expect(funds.body).toEqual([
      { id: 1, name: 'FPV_BTG_PACTUAL_RECAUDADORA', min_amount: 75000, category: 'FPV', currency: 'COP' },
      { id: 2, name: 'FPV_BTG_PACTUAL_ECOPETROL', min_amount: 125000, category: 'FPV', currency: 'COP' },
      { id: 3, name: 'DEUDAPRIVADA', min_amount: 50000, category: 'FIC', currency: 'COP' },
      { id: 4, name: 'FDO-ACCIONES', min_amount: 250000, category: 'FIC', currency: 'COP' },
      { id: 5, name: 'FPV_BTG_PACTUAL_DINAMICA', min_amount: 100000, category: 'FPV', currency: 'COP' },
    ]);

    const before = await t.http.get('/api/v1/account').set(auth(token));
    expect(before.body).toEqual({ user_id: reg.body.id, balance: 500000, currency: 'COP', invested: 0, subscriptions: [] });

    const sub = await t.http
      .post('/api/v1/subscriptions/2')
      .set(auth(token))
      .set('Content-Type', 'application/json')
      .send({ amount: 125000 });
    expect(sub.status).toBe(201);
    expect(sub.body).toEqual({
      id: sub.body.transaction_id,
      transaction_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      fund_id: 2,
      fund_name: 'FPV_BTG_PACTUAL_ECOPETROL',
      type: 'SUBSCRIPTION',
      amount: 125000,
      balance_after: 375000,
      currency: 'COP',
      created_at: expect.any(String),
      correlation_id: null,
    });

    const history = await t.http.get('/api/v1/transactions').set(auth(token));
    expect(history.status).toBe(200);
    expect(history.body).toHaveLength(1);
    expect(history.body[0]).toMatchObject({ id: sub.body.transaction_id, type: 'SUBSCRIPTION', amount: 125000, fund_id: 2 });

    const txId = history.body[0].id;
    const cancel = await t.http.post(`/api/v1/subscriptions/${txId}/cancel`).set(auth(token));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      type: 'CANCELLATION',
      fund_id: 2,
      fund_name: 'FPV_BTG_PACTUAL_ECOPETROL',
      amount: 125000,
      balance_after: 500000,
      correlation_id: txId,
    });
    expect(cancel.body.transaction_id).not.toBe(txId);

    const after = await t.http.get('/api/v1/transactions').set(auth(token));
    expect(after.body.map((x: { type: string }) => x.type)).toEqual(['CANCELLATION', 'SUBSCRIPTION']);
    const account = await t.http.get('/api/v1/account').set(auth(token));
    expect(account.body).toMatchObject({ balance: 500000, invested: 0, subscriptions: [] });

    // Audit: funds.subscribe and funds.cancel with amount, fund and transaction id.
    const audit = await t.http.get('/ops/audit/me?limit=10').set(auth(token));
    const events = audit.body.filter((e: { event_type: string }) => e.event_type.startsWith('funds.'));
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['funds.cancel', 'funds.subscribe']);
    expect(events[1].payload).toMatchObject({ transaction_id: txId, fund_id: 2, fund_name: 'FPV_BTG_PACTUAL_ECOPETROL', amount: '125000' });
    expect(events[0].payload).toMatchObject({ transaction_id: cancel.body.transaction_id, correlation_id: txId, amount: '125000' });

    // The notification was attempted after commit and its status recorded (log adapter by default).
    await waitForNotification(t, txId, 'sent');
    const [n] = await t.dataSource.query(
      'SELECT channel, destination_masked, status, attempts, adapter FROM fund_notifications WHERE transaction_id = $1',
      [txId],
    );
    expect(n).toMatchObject({ channel: 'email', status: 'sent', attempts: 1, adapter: 'log' });
    expect(n.destination_masked).not.toContain(email);
  });

  it('gives every registered user COP 500.000 and its own account (dev seed users too)', async () => {
    const admin = await t.adminToken();
    const res = await t.http.get('/api/v1/account').set(auth(admin));
    expect(res.body).toMatchObject({ balance: 500000, currency: 'COP' });
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM users u LEFT JOIN fund_accounts a ON a.user_id = u.id WHERE a.user_id IS NULL`,
    );
    expect(row.n).toBe(0);
  });
});
