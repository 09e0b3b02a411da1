import { TestApp } from '@testing/test-app';
import { SyncCycleService } from '../../src/contexts/exchange-sync';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { auth, startSyncApp, userWithAccount } from './support/exchange-sync';

describe('exchange-sync: runs and cycles, one user failing among others, the daily alert (seed 003)', () => {
  let fake: CryptoComFake;
  let t: TestApp;
  let admin: string;
  let sent: unknown[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ fake, t, admin, sent, close } = await startSyncApp());
  });
  afterAll(() => close());

  it("refuses a run without credentials (400); a user's own run is never refused while a cycle runs and answers with its result", async () => {
    const nobody = await t.register();
    const res = await t.http.post('/ops/exchange-sync/run').set(auth(nobody.token));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Missing credentials for CRYPTO_COM');

    const u = await userWithAccount(t, fake);
    fake.latencyMs = 300;
    try {
      const cycle = t.http
        .post('/ops/exchange-sync/run')
        .set(auth(admin))
        .then((r) => r);
      // Poll until the cycle is visibly running (deadline, no fixed sleep).
      const deadline = Date.now() + 20_000;
      let status = await t.http.get('/ops/exchange-sync/status').set(auth(u.token));
      while (!(status.body.running && status.body.last_cycle?.status === 'RUNNING') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        status = await t.http.get('/ops/exchange-sync/status').set(auth(u.token));
      }
      expect(status.body.running).toBe(true);
      const own = await t.http.post('/ops/exchange-sync/run').set(auth(u.token));
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ scope: 'user', status: 'COMPLETED', users_total: 1, users_ok: 1 });
      expect(own.body.workers).toEqual([{ instance_id: t.config.instanceId, users: 1 }]);
      const all = await cycle;
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ scope: 'all', status: 'COMPLETED', users_failed: 0 });
      expect(all.body.users_ok).toBe(all.body.users_total);
      // The user was synced once by the cycle and once by their own run: two results, each recorded once.
      const rows = await t.dataSource.query(`SELECT run_id FROM exchange_sync_run_users WHERE user_id = $1`, [u.id]);
      expect(new Set(rows.map((r: { run_id: string }) => r.run_id))).toEqual(new Set([own.body.id, all.body.id]));
      const byId = await t.http.get(`/ops/exchange-sync/runs/${own.body.id}`).set(auth(u.token));
      expect(byId.body).toMatchObject({ id: own.body.id, status: 'COMPLETED' });
      expect((await t.http.get(`/ops/exchange-sync/runs/${own.body.id}`).set(auth(nobody.token))).status).toBe(404);
      expect((await t.http.get(`/ops/exchange-sync/runs/not-a-uuid`).set(auth(u.token))).status).toBe(400);
    } finally {
      fake.latencyMs = 0;
    }
  });

  it("records one user's failure (bad key, 5xx, timeout), audits it and syncs the others; admin runs everyone", async () => {
    const good = await userWithAccount(t, fake);
    const badKey = await userWithAccount(t, fake);
    const flaky = await userWithAccount(t, fake);
    const slow = await userWithAccount(t, fake);
    fake.addAccount(badKey.apiKey, 'a-different-secret'); // the exchange no longer accepts the stored secret
    fake.injectError({ apiKey: flaky.apiKey, status: 503, code: 50001, count: 10 });
    fake.injectError({ apiKey: slow.apiKey, method: 'private/user-balance', hang: true, count: 10 });

    const run = await t.http.post('/ops/exchange-sync/run').set(auth(admin));
    expect(run.status).toBe(200);
    expect(run.body.scope).toBe('all');
    const failed = new Map(run.body.failures.map((f: { user_id: string; error: string }) => [f.user_id, f.error]));
    expect(failed.get(badKey.id)).toMatch(/^auth: crypto.com rejected the API key/);
    expect(failed.get(flaky.id)).toMatch(/^unavailable:/);
    expect(failed.get(slow.id)).toMatch(/^timeout:/);
    expect(failed.has(good.id)).toBe(false);
    expect(run.body.failures.filter((f: { user_id: string }) => ![badKey.id, flaky.id, slow.id].includes(f.user_id))).toEqual([]);
    expect(run.body.users_ok).toBe(run.body.users_total - 3);
    fake.clearErrors();

    const mine = await t.http.get('/ops/exchange-sync/status').set(auth(badKey.token));
    expect(mine.body.me).toMatchObject({ last_status: 'failed', last_error: expect.stringContaining('auth') });
    expect(mine.body.last_run.failures).toEqual([{ user_id: badKey.id, error: expect.any(String) }]);
    const goodState = await t.http.get('/api/dashboard/state').set(auth(good.token));
    expect(goodState.body.portfolio.total_usd).toBe('16000.00');

    const audit = await t.http.get(`/ops/audit/all?event_type=exchange_sync.user.failed&user_id=${badKey.id}`).set(auth(admin));
    expect(audit.body).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(badKey.secret);
  });

  it('alerts daily about positions without SL/TP through the notifier, and audits it', async () => {
    const u = await userWithAccount(t, fake, { SOL: '10', USDT: '5' });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    sent.length = 0;
    expect((await t.http.post('/ops/exchange-sync/alerts/run').set(auth(u.token))).status).toBe(403);
    const res = await t.http.post('/ops/exchange-sync/alerts/run').set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body.users_alerted).toBeGreaterThanOrEqual(1);
    const mine = sent.filter((n) => (n as { destination: string }).destination === u.email) as { body: string; channel: string }[];
    expect(mine).toHaveLength(1);
    expect(mine[0].channel).toBe('email');
    expect(mine[0].body).toContain('SOL: 10');
    expect(mine[0].body).not.toContain('USDT');
    const audit = await t.http.get('/ops/audit/me').set(auth(u.token));
    expect(audit.body.find((e: { event_type: string }) => e.event_type === 'exchange_sync.alert.unprotected_positions')).toMatchObject({
      outcome: 'success',
      payload: { positions: [{ currency: 'SOL', quantity: '10', usd_value: null }] },
    });
    // The scheduled path runs once per day across instances.
    const alerts = t.app.get(SyncCycleService) && (await import('../../src/contexts/exchange-sync')).DailyAlertService;
    const svc = t.app.get(alerts);
    expect((await svc.runDaily()).skipped).toBe(false);
    expect((await svc.runDaily()).skipped).toBe(true);
  });
});
