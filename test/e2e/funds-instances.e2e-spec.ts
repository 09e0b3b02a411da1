import { startTestApp, TestApp } from '@testing/test-app';
import { sample } from './support/metrics';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Path = 'cached' | 'read' | 'locked';

/**
 * Issue 16: each instance keeps its last known state of an account (and of its active subscriptions) and sends a
 * subscribe or cancel as ONE guarded statement from it. Another instance, or plain SQL, can make that state stale:
 * then the guard fails, nothing is written from it, and the request re-reads (and, if need be, locks) and is
 * answered as if there had been no cache. Two API instances share one database here.
 */
describe('funds: the per-instance account cache across instances and direct SQL', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ db: a.db });
  });
  afterAll(async () => {
    await b.close(true);
    await a.close();
  });

  /** funds_money_moves_total by path (one registry for both apps in this process). */
  const moves = async (move: 'subscribe' | 'cancel'): Promise<Record<Path, number>> => {
    const text = (await a.http.get('/metrics')).text;
    const count = (path: Path) => sample(text, 'funds_money_moves_total', `{move="${move}",path="${path}"}`) ?? 0;
    return { cached: count('cached'), read: count('read'), locked: count('locked') };
  };
  const delta = (after: Record<Path, number>, before: Record<Path, number>) => ({
    cached: after.cached - before.cached,
    read: after.read - before.read,
    locked: after.locked - before.locked,
  });
  const row = async (userId: string) =>
    (
      await a.dataSource.query(
        `SELECT balance::text AS balance, tx_seq::int AS seq,
                (SELECT count(*)::int FROM fund_subscriptions s WHERE s.user_id = $1 AND s.status = 'ACTIVE') AS active
           FROM fund_accounts WHERE user_id = $1`,
        [userId],
      )
    )[0];
  const subscribe = (t: TestApp, token: string, fund: number, amount: number) =>
    t.http.post(`/api/v1/subscriptions/${fund}`).set(auth(token)).send({ amount });
  const cancel = (t: TestApp, token: string, id: string) => t.http.post(`/api/v1/subscriptions/${id}/cancel`).set(auth(token));

  it('answers from the last known state in one statement, and falls back when another instance moved the account', async () => {
    const user = await a.register();
    expect((await a.http.get('/api/v1/account').set(auth(user.token))).status).toBe(200); // A reads: it knows the account
    let before = await moves('subscribe');
    const first = await subscribe(a, user.token, 3, 50000);
    expect(first.status).toBe(201);
    expect(delta(await moves('subscribe'), before)).toEqual({ cached: 1, read: 0, locked: 0 });

    // B moves the account: A's last known state (tx_seq 1, 450000) is stale now.
    expect((await subscribe(b, user.token, 1, 75000)).status).toBe(201);
    before = await moves('subscribe');
    const second = await subscribe(a, user.token, 2, 125000);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ balance_after: 250000 });
    expect(delta(await moves('subscribe'), before)).toEqual({ cached: 0, read: 1, locked: 0 }); // guard failed, re-read

    // A knows the subscription it made; B cancels it: A's cancel from its stale entry is refused as the lock would.
    expect((await cancel(b, user.token, first.body.transaction_id)).status).toBe(200);
    const again = await cancel(a, user.token, first.body.transaction_id);
    expect([again.status, again.body.code]).toEqual([409, 'already_cancelled']);
    expect(await row(user.id)).toEqual({ balance: '300000.00', seq: 4, active: 2 });
  });

  it('never writes from an entry made stale in SQL: a balance changed without tx_seq, a deleted subscription', async () => {
    const user = await a.register();
    const sub = await subscribe(a, user.token, 3, 50000); // A knows: 450000, tx_seq 1, this subscription
    expect(sub.status).toBe(201);
    // An operator's correction that does not bump tx_seq: the guard pins the balance too.
    await a.dataSource.query(`UPDATE fund_accounts SET balance = 100000 WHERE user_id = $1`, [user.id]);
    const refused = await subscribe(a, user.token, 4, 250000); // the stale 450000 would cover it; 100000 does not
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('No tiene saldo disponible para vincularse al fondo FDO-ACCIONES');
    expect(await row(user.id)).toEqual({ balance: '100000.00', seq: 1, active: 1 });

    // tx_seq moved, balance as known.
    const ok = await subscribe(a, user.token, 5, 100000); // A re-read: 100000, tx_seq 1
    expect([ok.status, ok.body.balance_after]).toEqual([201, 0]);
    await a.dataSource.query(`UPDATE fund_accounts SET tx_seq = tx_seq + 5 WHERE user_id = $1`, [user.id]);
    await a.dataSource.query(`DELETE FROM fund_subscriptions WHERE id = $1`, [sub.body.transaction_id]);
    const gone = await cancel(a, user.token, sub.body.transaction_id);
    expect(gone.status).toBe(404);
    const before = await moves('cancel');
    const back = await cancel(a, user.token, ok.body.transaction_id);
    expect([back.status, back.body.balance_after]).toEqual([200, 100000]);
    expect(delta(await moves('cancel'), before)).toEqual({ cached: 0, read: 1, locked: 0 });
    expect(await row(user.id)).toEqual({ balance: '100000.00', seq: 8, active: 0 });
  });

  it('stays exact when two instances move the same accounts at once', async () => {
    const users = await Promise.all([a.register(), a.register(), a.register()]);
    const before = { subscribe: await moves('subscribe'), cancel: await moves('cancel') };
    const accepted = new Map<string, number>(users.map((u) => [u.id, 0]));
    await Promise.all(
      users.flatMap((user) =>
        [a, b].map(async (mine, side) => {
          for (let i = 0; i < 8; i++) {
            const fund = side === 0 ? 3 : 5; // each instance its own fund, so both can be active at once
            const s = await subscribe(i % 2 ? mine : side ? a : b, user.token, fund, fund === 3 ? 50000 : 100000);
            expect([201, 400, 409]).toContain(s.status);
            if (s.status !== 201) continue;
            accepted.set(user.id, accepted.get(user.id)! + 1);
            const c = await cancel(i % 3 ? mine : side ? a : b, user.token, s.body.transaction_id);
            expect(c.status).toBe(200);
            accepted.set(user.id, accepted.get(user.id)! + 1);
          }
        }),
      ),
    );
    for (const user of users) {
      const history = await b.http.get('/api/v1/transactions?limit=100').set(auth(user.token));
      expect(history.body).toHaveLength(accepted.get(user.id)!);
      const replayed = history.body.reduce(
        (bal: number, x: { type: string; amount: number }) => (x.type === 'SUBSCRIPTION' ? bal - x.amount : bal + x.amount),
        500000,
      );
      expect(replayed).toBe(500000);
      expect(history.body[0].balance_after).toBe(500000);
      expect(await row(user.id)).toEqual({ balance: '500000.00', seq: accepted.get(user.id), active: 0 });
    }
    const sub = delta(await moves('subscribe'), before.subscribe);
    const can = delta(await moves('cancel'), before.cancel);
    const total = [...accepted.values()].reduce((s, n) => s + n, 0);
    expect(sub.cached + sub.read + sub.locked + can.cached + can.read + can.locked).toBe(total); // each move counted once
    expect(sub.read + can.read).toBeGreaterThan(0); // B never read these accounts before its first move: it had to
  });
});
