import { startTestApp, TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { auth, saveSecret } from './support/exchange-sync';

interface Order {
  id: string;
  exchange_order_id: string | null;
  order_role: string | null;
  parent_order_id: string | null;
  status: string;
  simulated: boolean;
}

/** Issue 12 item 5: two users who store the same exchange key see the same account. */
describe('exchange-sync: two users on one exchange account', () => {
  const fake = new CryptoComFake();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('both see the account orders, each gets its OCO legs for a fill, no sync fails, no row is shared', async () => {
    const apiKey = `shared-${process.pid}`;
    const secret = 'shared-secret-0123456789abcdef';
    fake.addAccount(apiKey, secret, { BTC: '0.5', USDT: '1000' });
    const alice = await t.register();
    const bob = await t.register();
    for (const u of [alice, bob]) {
      await saveSecret(t, u.token, apiKey, secret).expect(201);
    }
    const buy = fake.addOrder(apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.2', limit_price: '30000' });
    const sell = fake.addOrder(apiKey, { instrument_name: 'ETH_USDT', side: 'SELL', quantity: '1', limit_price: '2500' });

    const admin = await t.adminToken();
    const first = await t.http.post('/ops/exchange-sync/run').set(auth(admin)).expect(200);
    expect(first.body.failures).toEqual([]);
    fake.fillOrder(buy, { price: '30000' });
    for (let i = 0; i < 2; i++) {
      const run = await t.http.post('/ops/exchange-sync/run').set(auth(admin)).expect(200);
      expect(run.body).toMatchObject({ users_failed: 0 });
      expect(run.body.failures).toEqual([]);
    }
    for (const u of [alice, bob]) {
      const own = await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
      expect(own.body).toMatchObject({ users_ok: 1, users_failed: 0 });
    }

    const seen = [];
    for (const u of [alice, bob]) {
      const s = (await t.http.get('/api/dashboard/state').set(auth(u.token)).expect(200)).body;
      const entry = s.executed_orders.find((o: Order) => o.exchange_order_id === buy);
      expect(entry).toMatchObject({ status: 'FILLED', order_role: null });
      expect(s.open_orders.find((o: Order) => o.exchange_order_id === sell)).toMatchObject({ status: 'ACTIVE' });
      const legs = s.open_orders.filter((o: Order) => o.parent_order_id === entry.id);
      expect(legs.map((l: Order) => `${l.order_role}:${l.simulated}`).sort()).toEqual(['STOP_LOSS:true', 'TAKE_PROFIT:true']);
      expect(s.portfolio.total_usd).toBe('16000.00');
      seen.push(entry.id);
    }
    expect(seen[0]).not.toBe(seen[1]); // each user's own row for the account's order

    const perUser = await t.dataSource.query(
      `SELECT user_id, count(*)::int AS n FROM exchange_orders WHERE exchange_order_id = ANY($1::varchar[]) GROUP BY user_id`,
      [[buy, sell]],
    );
    expect(perUser.map((r: { n: number }) => r.n)).toEqual([2, 2]);
    const [{ bad }] = await t.dataSource.query(
      `SELECT count(*)::int AS bad FROM exchange_orders l JOIN exchange_orders p ON p.id = l.parent_order_id WHERE p.user_id <> l.user_id`,
    );
    expect(bad).toBe(0);
    const failed = await t.http.get('/ops/audit/all?event_type=exchange_sync.user.failed').set(auth(admin));
    expect(failed.body.filter((e: { user_id: string }) => [alice.id, bob.id].includes(e.user_id))).toEqual([]);
  });

  it('a leg one user placed on the shared account is not an entry for the other (no OCO on an OCO leg)', async () => {
    const apiKey = `shared2-${process.pid}`;
    const secret = 'shared2-secret-0123456789abcdef';
    fake.addAccount(apiKey, secret, { BTC: '1' });
    const carol = await t.register();
    await saveSecret(t, carol.token, apiKey, secret).expect(201);
    await t.http.post('/ops/exchange-sync/run').set(auth(carol.token)).expect(200);
    // Another user of the account placed a live stop-loss leg (our client id scheme) and it filled.
    const leg = fake.addOrder(apiKey, {
      instrument_name: 'BTC_USDT',
      side: 'SELL',
      quantity: '0.1',
      order_type: 'STOP_LOSS',
      ref_price: '29000',
      client_oid: `sl-${'a'.repeat(30)}`,
    });
    await t.http.post('/ops/exchange-sync/run').set(auth(carol.token)).expect(200);
    fake.fillOrder(leg, { price: '29000' });
    await t.http.post('/ops/exchange-sync/run').set(auth(carol.token)).expect(200);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM exchange_orders WHERE user_id = $1 AND order_role IS NOT NULL`,
      [carol.id],
    );
    expect(n).toBe(0);
  });
});

describe('exchange-sync: two users on one exchange account with LIVE_TRADING', () => {
  const fake = new CryptoComFake();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url, LIVE_TRADING: 'true' } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('the account is protected once: the second user adopts the legs the first placed, both see them as OCO legs', async () => {
    const apiKey = `live-shared-${process.pid}`;
    const secret = 'live-shared-secret-0123456789abcdef';
    fake.addAccount(apiKey, secret, { BTC: '1', USDT: '10' });
    const users = [await t.register(), await t.register()];
    for (const u of users) {
      await saveSecret(t, u.token, apiKey, secret).expect(201);
      await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    }
    const buy = fake.addOrder(apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.5', limit_price: '30000' });
    for (const u of users) await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    fake.fillOrder(buy);
    const placedBefore = fake.placed.length;
    for (let i = 0; i < 2; i++) for (const u of users) await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    expect(fake.placed.length - placedBefore).toBe(2); // one stop-loss and one take-profit for the account

    const legIds = [];
    for (const u of users) {
      const s = (await t.http.get('/api/dashboard/state').set(auth(u.token)).expect(200)).body;
      const legs = s.open_orders.filter((o: Order) => o.order_role);
      expect(legs.map((l: Order) => `${l.order_role}:${l.simulated}`).sort()).toEqual(['STOP_LOSS:false', 'TAKE_PROFIT:false']);
      legIds.push(legs.map((l: Order) => l.exchange_order_id).sort());
    }
    expect(legIds[0]).toEqual(legIds[1]);
    expect(legIds[0].every(Boolean)).toBe(true);
    // Adopted, not placed a second time and refused as a duplicate client order id.
    const admin = await t.adminToken();
    const placements = await t.http.get('/ops/audit/all?event_type=exchange_sync.oco.leg_placed').set(auth(admin));
    const ours = placements.body.filter((e: { user_id: string }) => users.some((u) => u.id === e.user_id));
    expect(ours.map((e: { outcome: string }) => e.outcome)).toEqual(['success', 'success']);
  });
});
