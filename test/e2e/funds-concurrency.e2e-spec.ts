import { startTestApp, TestApp } from '@testing/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const MIN: Record<number, number> = { 1: 75000, 2: 125000, 3: 50000, 4: 250000, 5: 100000 };

/**
 * 50 parallel subscriptions and cancellations by ONE user: the balance never goes
 * negative, never drifts (= 500000 - sum of active subscriptions), at most one
 * active subscription per fund, each subscription cancelled at most once, and
 * every accepted request left exactly one transaction in the history.
 */
describe('funds: concurrency invariants', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('keeps balance = 500000 - sum(active) under 50 parallel subscribe/cancel requests', async () => {
    const { token, id } = await t.register();
    const pre1 = await t.http.post('/api/v1/subscriptions/1').set(auth(token)).send({ amount: 75000 });
    const pre3 = await t.http.post('/api/v1/subscriptions/3').set(auth(token)).send({ amount: 50000 });
    expect([pre1.status, pre3.status]).toEqual([201, 201]);

    const requests: (() => Promise<{ status: number; kind: string; body: { type?: string } }>)[] = [];
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0) {
        const txId = i % 10 === 0 ? pre1.body.transaction_id : pre3.body.transaction_id;
        requests.push(async () => {
          const r = await t.http.post(`/api/v1/subscriptions/${txId}/cancel`).set(auth(token));
          return { status: r.status, kind: 'cancel', body: r.body };
        });
      } else {
        const fund = (i % 5) + 1 === 1 ? 2 : (i % 5) + 1; // funds 2..5, plus 1 and 3 again after their cancel
        const f = i % 7 === 0 ? 1 : i % 11 === 0 ? 3 : fund;
        requests.push(async () => {
          const r = await t.http
            .post(`/api/v1/subscriptions/${f}`)
            .set(auth(token))
            .send({ amount: MIN[f] + (i % 3) * 1000 });
          return { status: r.status, kind: 'subscribe', body: r.body };
        });
      }
    }
    const results = await Promise.all(requests.map((r) => r()));
    for (const r of results) expect([200, 201, 400, 409]).toContain(r.status);
    const cancels = results.filter((r) => r.kind === 'cancel' && r.status === 200);
    expect(cancels).toHaveLength(2); // each pre-existing subscription cancelled exactly once
    const accepted = results.filter((r) => r.status === 200 || r.status === 201).length;

    const account = await t.http.get('/api/v1/account').set(auth(token));
    const active: { fund_id: number; amount: number }[] = account.body.subscriptions;
    const sumActive = active.reduce((s, x) => s + x.amount, 0);
    expect(account.body.balance).toBeGreaterThanOrEqual(0);
    expect(account.body.balance).toBe(500000 - sumActive);
    expect(new Set(active.map((s) => s.fund_id)).size).toBe(active.length);

    // No transaction lost: history = 2 setup + every accepted request; it replays to the same balance.
    const history = await t.http.get('/api/v1/transactions?limit=100').set(auth(token));
    expect(history.body).toHaveLength(2 + accepted);
    const replayed = history.body.reduce(
      (b: number, x: { type: string; amount: number }) => (x.type === 'SUBSCRIPTION' ? b - x.amount : b + x.amount),
      500000,
    );
    expect(replayed).toBe(account.body.balance);
    expect(history.body[0].balance_after).toBe(account.body.balance);
    const [db] = await t.dataSource.query(
      `SELECT a.balance::text AS balance, a.tx_seq::int AS seq,
              (SELECT count(*)::int FROM fund_subscriptions s WHERE s.user_id = a.user_id AND s.status = 'ACTIVE') AS active
       FROM fund_accounts a WHERE a.user_id = $1`,
      [id],
    );
    expect(db).toEqual({ balance: `${account.body.balance}.00`, seq: 2 + accepted, active: active.length });
  });
});
