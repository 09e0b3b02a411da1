import { startTestApp, TestApp } from '@testing/test-app';
import { startWorkerProcess } from '@testing/worker-process';
import { SyncCycleService } from '../../src/contexts/exchange-sync';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { auth, saveSecret } from './support/exchange-sync';

let keySeq = 0;

async function userWithAccount(t: TestApp, fake: CryptoComFake) {
  const u = await t.register();
  const apiKey = `ik-${process.pid}-${++keySeq}`;
  const secret = `is-${keySeq}-0123456789abcdef`;
  fake.addAccount(apiKey, secret, { BTC: '1', USDT: '10' });
  await saveSecret(t, u.token, apiKey, secret).expect(201);
  return { ...u, apiKey };
}

/** Polls the status until the newest cycle has completed (deadline, no fixed sleep). */
async function untilCycleDone(t: TestApp, token: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await t.http.get('/ops/exchange-sync/status').set(auth(token));
    if (s.body.last_cycle?.status === 'COMPLETED') return s.body.last_cycle;
    if (Date.now() > deadline) throw new Error(`cycle not done: ${JSON.stringify(s.body.last_cycle)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('exchange-sync across instances: one cycle per tick, each user once, a killed worker loses and duplicates nothing', () => {
  let fake: CryptoComFake;
  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
  });
  afterAll(() => fake.stop());

  it('two instances and a worker on one database share one cycle: one job per tick, each user synced once', async () => {
    const env = { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_SYNC_CONCURRENCY: '1', JOBS_POLLING_INTERVAL_SECONDS: '0.5' };
    const first = await startTestApp({ env: { ...env, INSTANCE_ID: 'api-1' } });
    const started = await Promise.allSettled([
      startTestApp({ env: { ...env, INSTANCE_ID: 'api-2' }, db: first.db }),
      startWorkerProcess(first.db.url, { ...env, INSTANCE_ID: 'worker-1' }),
    ] as const);
    const second = started[0].status === 'fulfilled' ? started[0].value : undefined;
    const worker = started[1].status === 'fulfilled' ? started[1].value : undefined;
    try {
      if (!second || !worker)
        throw new Error(`an instance did not start: ${started.map((s) => (s.status === 'rejected' ? s.reason : 'ok'))}`);
      const users = [];
      for (let i = 0; i < 9; i++) users.push(await userWithAccount(first, fake));
      const admin = await first.adminToken();
      fake.latencyMs = 150;
      // Both instances' clocks tick at the same instant: one cycle job between them.
      const [a, b] = await Promise.all([first.app.get(SyncCycleService).tick(), second.app.get(SyncCycleService).tick()]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await second.app.get(SyncCycleService).tick()).toBeNull(); // a late timer of the same tick
      const cycle = await untilCycleDone(first, admin);
      fake.latencyMs = 0;
      expect(cycle).toMatchObject({ trigger: 'schedule', scope: 'all', status: 'COMPLETED', users_total: 9, users_ok: 9, users_failed: 0 });
      expect(cycle.workers.length).toBeGreaterThanOrEqual(2);
      expect(cycle.workers.reduce((n: number, w: { users: number }) => n + w.users, 0)).toBe(9);
      for (const w of cycle.workers) expect(['api-1', 'api-2', 'worker-1']).toContain(w.instance_id);
      for (const u of users) expect(fake.callsFor(u.apiKey, 'private/user-balance')).toBe(1);
      const runs = await first.dataSource.query(`SELECT id FROM exchange_sync_runs`);
      expect(runs).toEqual([{ id: cycle.id }]);
      const [{ n, distinct }] = await first.dataSource.query(
        `SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS distinct FROM exchange_sync_run_users WHERE run_id = $1`,
        [cycle.id],
      );
      expect({ n, distinct }).toEqual({ n: 9, distinct: 9 });
    } finally {
      fake.latencyMs = 0;
      await worker?.stop();
      await second?.close(true);
      await first.close();
    }
  }, 240_000);

  it('a worker killed (kill -9) mid-cycle: its jobs expire and are retried, every user is synced exactly once', async () => {
    const env = {
      CRYPTO_COM_BASE_URL: fake.url,
      JOBS_POLLING_INTERVAL_SECONDS: '0.5',
      JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
      EXCHANGE_SYNC_JOB_TIMEOUT_SECONDS: '3',
    };
    const first = await startTestApp({ env: { ...env, INSTANCE_ID: 'api-1', EXCHANGE_SYNC_CONCURRENCY: '1' } });
    const worker = await startWorkerProcess(first.db.url, { ...env, INSTANCE_ID: 'worker-k', EXCHANGE_SYNC_CONCURRENCY: '4' }).catch(
      async (e: unknown) => {
        await first.close();
        throw e;
      },
    );
    try {
      const users = [];
      for (let i = 0; i < 12; i++) users.push(await userWithAccount(first, fake));
      const orders = users.map((u) =>
        fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.1', limit_price: '30000' }),
      );
      const admin = await first.adminToken();
      fake.latencyMs = 300;
      expect(await first.app.get(SyncCycleService).tick()).toEqual(expect.any(String));
      // Kill the worker once it has synced a user and still holds jobs (more active than api-1's one slot).
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [{ done }] = await first.dataSource.query(
          `SELECT count(*)::int AS done FROM exchange_sync_run_users WHERE instance_id = 'worker-k'`,
        );
        const [{ active }] = await first.dataSource.query(
          `SELECT count(*)::int AS active FROM pgboss.job WHERE name = 'exchange-sync.user' AND state = 'active'`,
        );
        if (done >= 1 && active >= 2) break;
        if (Date.now() > deadline) throw new Error('the worker never held jobs');
        await new Promise((r) => setTimeout(r, 20));
      }
      await worker.kill();
      const cycle = await untilCycleDone(first, admin);
      fake.latencyMs = 0;
      expect(cycle).toMatchObject({ status: 'COMPLETED', users_total: 12, users_ok: 12, users_failed: 0 });
      const perUser = await first.dataSource.query(
        `SELECT user_id, count(*)::int AS n FROM exchange_sync_run_users WHERE run_id = $1 GROUP BY 1`,
        [cycle.id],
      );
      expect(perUser).toHaveLength(12);
      expect(perUser.every((r: { n: number }) => r.n === 1)).toBe(true);
      const entries = await first.dataSource.query(`SELECT exchange_order_id, count(*)::int AS n FROM exchange_orders GROUP BY 1`);
      expect(entries.filter((e: { exchange_order_id: string }) => orders.includes(e.exchange_order_id))).toHaveLength(12);
      expect(entries.every((e: { n: number }) => e.n === 1)).toBe(true);
      const [{ ok }] = await first.dataSource.query(`SELECT count(*)::int AS ok FROM exchange_sync_users WHERE last_status = 'ok'`);
      expect(ok).toBe(12);
      // The killed worker's jobs were redelivered: an attempt beyond the first exists.
      const [{ retried }] = await first.dataSource.query(
        `SELECT count(*)::int AS retried FROM pgboss.job WHERE name = 'exchange-sync.user' AND retry_count > 0`,
      );
      expect(retried).toBeGreaterThanOrEqual(1);
    } finally {
      fake.latencyMs = 0;
      await worker.kill();
      await first.close();
    }
  }, 240_000);

  it('answers 202 with a status link when the run outlasts the wait, and the link gives the result', async () => {
    const t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_SYNC_RUN_WAIT_SECONDS: '0' } });
    try {
      const u = await userWithAccount(t, fake);
      fake.latencyMs = 200;
      const res = await t.http.post('/ops/exchange-sync/run').set(auth(u.token));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ run_id: expect.any(String), status: 'RUNNING', status_url: `/ops/exchange-sync/runs/${res.body.run_id}` });
      expect(res.headers.location).toBe(res.body.status_url);
      const deadline = Date.now() + 30_000;
      let run = await t.http.get(res.body.status_url).set(auth(u.token));
      while (run.body.status === 'RUNNING' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        run = await t.http.get(res.body.status_url).set(auth(u.token));
      }
      expect(run.body).toMatchObject({ status: 'COMPLETED', scope: 'user', users_ok: 1 });
    } finally {
      fake.latencyMs = 0;
      await t.close();
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
