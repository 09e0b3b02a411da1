import { startTestApp, TestApp } from '@testing/test-app';
import { SyncCycleService } from '../../src/contexts/exchange-sync';
import { CryptoComFake } from '../fakes/cryptocom-fake';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
let keySeq = 0;

async function userWithAccount(t: TestApp, fake: CryptoComFake) {
  const u = await t.register();
  const apiKey = `ik-${process.pid}-${++keySeq}`;
  const secret = `is-${keySeq}-0123456789abcdef`;
  fake.addAccount(apiKey, secret, { BTC: '1', USDT: '10' });
  await t.http
    .post('/users/exchange-secrets')
    .set(auth(u.token))
    .send({ exchange: 'CRYPTO_COM', api_key: apiKey, api_secret: secret })
    .expect(201);
  return { ...u, apiKey };
}

describe('exchange-sync across instances: one cycle per tick, restarts lose and duplicate nothing', () => {
  let fake: CryptoComFake;
  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
  });
  afterAll(() => fake.stop());

  it('two instances on the same database run one cycle between them', async () => {
    const env = { CRYPTO_COM_BASE_URL: fake.url };
    const first = await startTestApp({ env });
    const second = await startTestApp({ env, db: first.db });
    try {
      const users = [];
      for (let i = 0; i < 3; i++) users.push(await userWithAccount(first, fake));
      fake.latencyMs = 50;
      // Both instances' timers fire at the same instant.
      const [a, b] = await Promise.all([first.app.get(SyncCycleService).tick(), second.app.get(SyncCycleService).tick()]);
      fake.latencyMs = 0;
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const ran = (a ?? b)!;
      expect(ran).toMatchObject({ status: 'COMPLETED', usersTotal: 3, usersOk: 3 });
      for (const u of users) expect(fake.callsFor(u.apiKey, 'private/user-balance')).toBe(1);
      // The other instance's timer fires a little later: same tick, already done.
      expect(await second.app.get(SyncCycleService).tick()).toBeNull();
      expect(await first.app.get(SyncCycleService).tick()).toBeNull();
      const runs = await first.dataSource.query(`SELECT status FROM exchange_sync_runs`);
      expect(runs).toEqual([{ status: 'COMPLETED' }]);
      for (const u of users) expect(fake.callsFor(u.apiKey, 'private/user-balance')).toBe(1);
    } finally {
      await second.close(true);
      await first.close();
    }
  });

  it('a restart mid-cycle loses nothing and duplicates nothing; a crashed cycle is taken over after its lease', async () => {
    const env = { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_SYNC_CONCURRENCY: '1' };
    const first = await startTestApp({ env });
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await userWithAccount(first, fake));
    const orders = users.map((u) =>
      fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.1', limit_price: '30000' }),
    );
    const admin = await first.adminToken();
    await first.http.post('/ops/exchange-sync/run').set(auth(admin)).expect(200); // baseline
    orders.forEach((id) => fake.fillOrder(id));

    fake.latencyMs = 250;
    const inFlight = first.http
      .post('/ops/exchange-sync/run')
      .set(auth(admin))
      .then(
        (r) => r,
        (e) => e,
      );
    await new Promise((r) => setTimeout(r, 400));
    await first.close(true); // SIGTERM-like: the users in flight commit, the rest wait for the next cycle
    await inFlight;
    fake.latencyMs = 0;

    const second = await startTestApp({ env, db: first.db });
    try {
      const [{ status: firstStatus, users_ok }] = await second.dataSource.query(
        `SELECT status, users_ok FROM exchange_sync_runs WHERE trigger = 'manual' ORDER BY started_at DESC LIMIT 1`,
      );
      expect(firstStatus).toBe('INTERRUPTED');
      expect(users_ok).toBeLessThan(4);

      const admin2 = await second.adminToken();
      const run = await second.http.post('/ops/exchange-sync/run').set(auth(admin2));
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ status: 'COMPLETED', users_ok: 4, users_failed: 0 });

      const dupes = await second.dataSource.query(
        `SELECT exchange_order_id, count(*)::int AS n FROM exchange_orders WHERE exchange_order_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
      );
      expect(dupes).toEqual([]);
      const entries = await second.dataSource.query(`SELECT id, status FROM exchange_orders WHERE exchange_order_id = ANY($1::varchar[])`, [
        orders,
      ]);
      expect(entries).toHaveLength(4);
      expect(entries.every((e: { status: string }) => e.status === 'FILLED')).toBe(true);
      const legs = await second.dataSource.query(
        `SELECT parent_order_id, count(*)::int AS n FROM exchange_orders WHERE parent_order_id = ANY($1::uuid[]) GROUP BY 1`,
        [entries.map((e: { id: string }) => e.id)],
      );
      expect(legs).toHaveLength(4);
      expect(legs.every((l: { n: number }) => l.n === 2)).toBe(true);
      const synced = await second.dataSource.query(`SELECT count(*)::int AS n FROM exchange_sync_users WHERE last_status = 'ok'`);
      expect(synced[0].n).toBe(4);

      // kill -9: a RUNNING row nobody heartbeats any more is taken over once its lease is over.
      await second.dataSource.query(
        `INSERT INTO exchange_sync_runs (id, trigger, scope, instance_id, status, started_at, heartbeat_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'schedule', 'all', 'dead-instance', 'RUNNING', now() - interval '1 day', now() - interval '1 day')`,
      );
      expect((await second.http.post('/ops/exchange-sync/run').set(auth(admin2))).status).toBe(200);
      const [dead] = await second.dataSource.query(`SELECT status FROM exchange_sync_runs WHERE instance_id = 'dead-instance'`);
      expect(dead.status).toBe('INTERRUPTED');
    } finally {
      await second.close();
    }
  });

  it('LIVE_TRADING places the OCO legs once on the exchange and cancels the sibling when a leg fills', async () => {
    const t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url, LIVE_TRADING: 'true' } });
    try {
      const u = await userWithAccount(t, fake);
      const buy = fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.5', limit_price: '30000' });
      await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
      fake.fillOrder(buy);
      const placedBefore = fake.placed.length;
      for (let i = 0; i < 3; i++) await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
      const mine = fake.placed.slice(placedBefore);
      expect(mine).toHaveLength(2);
      expect(mine.map((p) => p.type).sort()).toEqual(['STOP_LOSS', 'TAKE_PROFIT']);
      expect(mine.find((p) => p.type === 'STOP_LOSS')).toMatchObject({
        side: 'SELL',
        quantity: '0.5',
        ref_price: '29400',
        client_oid: expect.stringMatching(/^sl-/),
      });

      const state = await t.http.get('/api/dashboard/state').set(auth(u.token));
      expect(state.body.mode).toBe('LIVE');
      const legs = state.body.open_orders.filter((o: { order_role: string | null }) => o.order_role);
      expect(legs).toHaveLength(2);
      expect(legs.every((l: { simulated: boolean; exchange_order_id: string }) => !l.simulated && l.exchange_order_id)).toBe(true);

      const sl = legs.find((l: { order_role: string }) => l.order_role === 'STOP_LOSS');
      const tp = legs.find((l: { order_role: string }) => l.order_role === 'TAKE_PROFIT');
      fake.fillOrder(sl.exchange_order_id, { price: '29400' });
      await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
      expect(fake.cancelled).toContain(tp.exchange_order_id);
      expect(fake.findOrder(tp.exchange_order_id).status).toBe('CANCELED');
      const rows = await t.dataSource.query(`SELECT order_role, status FROM exchange_orders WHERE oco_group_id = $1 ORDER BY order_role`, [
        sl.oco_group_id,
      ]);
      expect(rows).toEqual([
        { order_role: 'STOP_LOSS', status: 'FILLED' },
        { order_role: 'TAKE_PROFIT', status: 'CANCELED' },
      ]);
      expect(fake.placed.length - placedBefore).toBe(2);
    } finally {
      await t.close();
    }
  });
});
