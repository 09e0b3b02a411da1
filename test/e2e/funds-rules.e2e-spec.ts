import { startTestApp, TestApp } from '@testing/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('funds: rules, bad input, idempotency, paging, BOLA', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const balanceOf = async (token: string): Promise<number> => (await t.http.get('/api/v1/account').set(auth(token))).body.balance;
  const subscribe = (token: string, fund: number | string, body: unknown, key?: string) => {
    const req = t.http.post(`/api/v1/subscriptions/${fund}`).set(auth(token));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body as object);
  };

  it('refuses bad amounts and fund ids with a 4xx naming the field, balance unchanged', async () => {
    const { token } = await t.register();
    const cases: [unknown, number, string][] = [
      [{ amount: -1 }, 400, 'amount'],
      [{ amount: 0 }, 400, 'amount'],
      [{ amount: 'abc' }, 400, 'amount'],
      [{ amount: 1e20 }, 400, 'amount'],
      [{ amount: 75000.5 }, 400, 'amount'],
      [{}, 400, 'amount'],
      [{ amount: 75000, extra: 1 }, 400, 'extra'],
    ];
    for (const [body, status, field] of cases) {
      const res = await subscribe(token, 1, body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const fraction = await subscribe(token, 1, { amount: 75000.5 });
    expect(fraction.body.message).toContain('whole number');

    for (const fund of ['0', 'x', '-1', '1.5']) {
      const res = await subscribe(token, fund, { amount: 75000 });
      expect({ fund, status: res.status }).toEqual({ fund, status: 400 });
      expect(res.body.errors[0].field).toBe('fund_id');
    }
    const unknown = await subscribe(token, 99, { amount: 75000 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('fund_not_found');

    const notUuid = await t.http.post('/api/v1/subscriptions/not-a-uuid/cancel').set(auth(token));
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.errors[0].field).toBe('tx_id');

    expect(await balanceOf(token)).toBe(500000);
    const history = await t.http.get('/api/v1/transactions').set(auth(token));
    expect(history.body).toEqual([]);
  });

  it('enforces the minimum (naming it), one active subscription per fund, and the exact insufficient-balance message', async () => {
    const { token } = await t.register();
    const low = await subscribe(token, 2, { amount: 124999 });
    expect(low.status).toBe(400);
    expect(low.body.code).toBe('below_fund_minimum');
    expect(low.body.message).toContain('125000');
    expect(low.body.errors).toEqual([{ field: 'amount', messages: [expect.stringContaining('125000')] }]);

    expect((await subscribe(token, 4, { amount: 300000 })).status).toBe(201);
    const twice = await subscribe(token, 4, { amount: 250000 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_subscribed');

    expect((await subscribe(token, 5, { amount: 150000 })).status).toBe(201); // balance 50000 left
    const broke = await subscribe(token, 1, { amount: 75000 });
    expect(broke.status).toBe(400);
    expect(broke.body.message).toBe('No tiene saldo disponible para vincularse al fondo FPV_BTG_PACTUAL_RECAUDADORA');
    expect(broke.body.detail).toBe(broke.body.message);
    expect(await balanceOf(token)).toBe(50000);
    // Exactly the remaining balance is fine.
    const exact = await subscribe(token, 3, { amount: 50000 });
    expect(exact.status).toBe(201);
    expect(exact.body.balance_after).toBe(0);
    const account = await t.http.get('/api/v1/account').set(auth(token));
    expect(account.body).toMatchObject({ balance: 0, invested: 500000 });
    expect(account.body.subscriptions.map((s: { fund_id: number }) => s.fund_id).sort()).toEqual([3, 4, 5]);
  });

  it('cancels once (409 the second time), refunds exactly, and lets the user subscribe again', async () => {
    const { token } = await t.register();
    const sub = await subscribe(token, 3, { amount: 50001 });
    const id = sub.body.transaction_id;
    const first = await t.http.post(`/api/v1/subscriptions/${id}/cancel`).set(auth(token));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ amount: 50001, balance_after: 500000, correlation_id: id });
    const second = await t.http.post(`/api/v1/subscriptions/${id}/cancel`).set(auth(token));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('already_cancelled');
    const cancelTx = await t.http.post(`/api/v1/subscriptions/${first.body.transaction_id}/cancel`).set(auth(token));
    expect(cancelTx.status).toBe(404); // a cancellation is not a subscription
    expect((await subscribe(token, 3, { amount: 50000 })).status).toBe(201);
    expect(await balanceOf(token)).toBe(450000);
  });

  it("answers 404 for someone else's subscription and an unknown id; never leaks others' history", async () => {
    const alice = await t.register();
    const bob = await t.register();
    const sub = await subscribe(alice.token, 1, { amount: 75000 });
    const steal = await t.http.post(`/api/v1/subscriptions/${sub.body.transaction_id}/cancel`).set(auth(bob.token));
    expect(steal.status).toBe(404);
    const unknown = await t.http.post('/api/v1/subscriptions/3f0c5a1e-8a0b-4c2d-9e3f-1a2b3c4d5e6f/cancel').set(auth(bob.token));
    expect(unknown.status).toBe(404);
    expect(steal.body.message).toBe(unknown.body.message);
    expect((await t.http.get('/api/v1/transactions').set(auth(bob.token))).body).toEqual([]);
    expect(await balanceOf(alice.token)).toBe(425000);
    expect(await balanceOf(bob.token)).toBe(500000);
    expect((await t.http.get('/api/v1/funds')).status).toBe(401);
  });

  it('replays the first answer for the same Idempotency-Key, charges once, 409 on a different body', async () => {
    const { token } = await t.register();
    const a = await subscribe(token, 2, { amount: 125000 }, 'sub-key-1');
    const b = await subscribe(token, 2, { amount: 125000 }, 'sub-key-1');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const other = await subscribe(token, 2, { amount: 130000 }, 'sub-key-1');
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('Idempotency key reused with a different payload');
    expect(await balanceOf(token)).toBe(375000);

    // Same key sent twice at once: one charge, both get the same answer.
    const [x, y] = await Promise.all([
      subscribe(token, 5, { amount: 100000 }, 'sub-key-2'),
      t.http.post('/api/v1/subscriptions/5').set(auth(token)).set('X-Idempotency-Key', 'sub-key-2').send({ amount: 100000 }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.transaction_id).toBe(y.body.transaction_id);
    expect(await balanceOf(token)).toBe(275000);

    const c1 = await t.http
      .post(`/api/v1/subscriptions/${a.body.transaction_id}/cancel`)
      .set(auth(token))
      .set('Idempotency-Key', 'cancel-1');
    const c2 = await t.http
      .post(`/api/v1/subscriptions/${a.body.transaction_id}/cancel`)
      .set(auth(token))
      .set('Idempotency-Key', 'cancel-1');
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c2.body).toEqual(c1.body);
    expect(await balanceOf(token)).toBe(400000);
    const history = await t.http.get('/api/v1/transactions?limit=100').set(auth(token));
    expect(history.body).toHaveLength(3);
  });

  it('pages the history newest first with limit and cursor', async () => {
    const { token } = await t.register();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await subscribe(token, 3, { amount: 50000 + i });
      const c = await t.http.post(`/api/v1/subscriptions/${s.body.transaction_id}/cancel`).set(auth(token));
      ids.push(s.body.transaction_id, c.body.transaction_id);
    }
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await t.http.get(`/api/v1/transactions?limit=4${cursor ? `&cursor=${cursor}` : ''}`).set(auth(token));
      expect(res.status).toBe(200);
      seen.push(...res.body.map((x: { id: string }) => x.id));
      cursor = res.headers['x-next-cursor'];
      if (!cursor) break;
    }
    expect(seen).toEqual(newestFirst);
    for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'cursor=%21%21', 'cursor=Zm9v']) {
      const res = await t.http.get(`/api/v1/transactions?${bad}`).set(auth(token));
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
  });

  it('keeps money exact in the account and the ledger', async () => {
    const { token, id } = await t.register();
    await subscribe(token, 1, { amount: 99999 });
    await subscribe(token, 3, { amount: 123457 });
    const [row] = await t.dataSource.query('SELECT balance::text AS balance FROM fund_accounts WHERE user_id = $1', [id]);
    expect(row.balance).toBe('276544.00');
    expect(await balanceOf(token)).toBe(276544);
  });
});
