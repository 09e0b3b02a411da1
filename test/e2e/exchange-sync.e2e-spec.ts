import { Logger } from '@nestjs/common';
import { TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { auth, startSyncApp, userWithAccount } from './support/exchange-sync';

describe('exchange-sync: crypto.com sync, OCO, dashboard (seed 003)', () => {
  let fake: CryptoComFake;
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ fake, t, close } = await startSyncApp());
  });
  afterAll(() => close());

  it('runs the seed flow: credentials -> sync -> dashboard with real open orders, portfolio in USD, log lines', async () => {
    const logs = jest.spyOn(Logger.prototype, 'log');
    const u = await userWithAccount(t, fake);
    fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.1', limit_price: '29000' });
    fake.addOrder(u.apiKey, { instrument_name: 'ETH_USDT', side: 'SELL', quantity: '2', limit_price: '2500' });

    const before = await t.http.get('/api/dashboard/state').set(auth(u.token));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      open_orders: [],
      executed_orders: [],
      portfolio: { balances: [], total_usd: '0.00' },
      last_sync_at: null,
      mode: 'DRY_RUN',
    });

    const run = await t.http.post('/ops/exchange-sync/run').set(auth(u.token));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: 'COMPLETED',
      scope: 'user',
      users_total: 1,
      users_ok: 1,
      users_failed: 0,
      balances: 2,
      open_orders: 2,
    });

    // The order history last: ccxt's limiter makes the call after it wait 1 s (its cost, 100 x 10 ms).
    expect(fake.sequenceByKey.get(u.apiKey)).toEqual(['private/user-balance', 'private/get-open-orders', 'private/get-order-history']);

    const state = await t.http.get('/api/dashboard/state').set(auth(u.token));
    expect(state.body.open_orders).toHaveLength(2);
    expect(state.body.open_orders.map((o: { symbol: string }) => o.symbol).sort()).toEqual(['BTC_USDT', 'ETH_USDT']);
    expect(state.body.portfolio.balances).toEqual([
      { currency: 'BTC', quantity: '0.5', usd_price: '30000', usd_value: '15000' },
      { currency: 'USDT', quantity: '1000', usd_price: '1', usd_value: '1000' },
    ]);
    expect(state.body.portfolio.total_usd).toBe('16000.00');
    expect(state.body.summary.total_usd).toBe('16000.00');
    expect(state.body.last_sync_at).toEqual(expect.any(String));
    expect(state.body.mode).toBe('DRY_RUN');

    const lines = logs.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : (c[0] as { message?: string })?.message));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Starting exchange sync cycle...',
        'Synced 2 balances',
        'Synced 2 open orders',
        'Exchange sync cycle completed',
      ]),
    );
    logs.mockRestore();

    const status = await t.http.get('/ops/exchange-sync/status').set(auth(u.token));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      running: false,
      interval_seconds: 60,
      mode: 'DRY_RUN',
      last_run: { status: 'COMPLETED', users_ok: 1 },
      me: { last_status: 'ok' },
    });
    expect(status.body.last_run.duration_ms).toEqual(expect.any(Number));
  });

  it('a filled BUY gets exactly one simulated OCO pair; when the take-profit fills the stop-loss is cancelled', async () => {
    const u = await userWithAccount(t, fake);
    const buy = fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.2', limit_price: '30000' });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);

    fake.fillOrder(buy, { quantity: '0.1' }); // partial first
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    let state = await t.http.get('/api/dashboard/state').set(auth(u.token));
    const partial = state.body.open_orders.find((o: { exchange_order_id: string }) => o.exchange_order_id === buy);
    expect(partial).toMatchObject({ status: 'ACTIVE', cumulative_quantity: '0.1' });

    fake.fillOrder(buy, { price: '30000' });
    for (let i = 0; i < 3; i++) await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    state = await t.http.get('/api/dashboard/state').set(auth(u.token));
    const entry = state.body.executed_orders.find((o: { exchange_order_id: string }) => o.exchange_order_id === buy);
    expect(entry).toMatchObject({ status: 'FILLED', cumulative_quantity: '0.2', avg_price: '30000', order_role: null });
    const legs = state.body.open_orders.filter((o: { parent_order_id: string }) => o.parent_order_id === entry.id);
    expect(legs).toHaveLength(2);
    const sl = legs.find((l: { order_role: string }) => l.order_role === 'STOP_LOSS');
    const tp = legs.find((l: { order_role: string }) => l.order_role === 'TAKE_PROFIT');
    expect(sl).toMatchObject({ side: 'SELL', quantity: '0.2', trigger_price: '29400', simulated: true, status: 'ACTIVE' });
    expect(tp).toMatchObject({ side: 'SELL', quantity: '0.2', trigger_price: '31200', simulated: true });
    expect(sl.oco_group_id).toBe(tp.oco_group_id);
    expect(sl.client_order_id).toMatch(/^sl-[0-9a-f]{30}$/);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM exchange_orders WHERE parent_order_id = $1`, [entry.id]);
    expect(n).toBe(2);
    expect(fake.placed).toHaveLength(0); // DRY_RUN: nothing reaches the exchange

    fake.tickers.BTC_USDT = '31500';
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    const rows = await t.dataSource.query(
      `SELECT order_role, status, avg_price FROM exchange_orders WHERE parent_order_id = $1 ORDER BY order_role`,
      [entry.id],
    );
    expect(rows.map((r: { order_role: string; status: string }) => `${r.order_role}:${r.status}`)).toEqual([
      'STOP_LOSS:CANCELED',
      'TAKE_PROFIT:FILLED',
    ]);
    fake.tickers.BTC_USDT = '30000';

    const audit = await t.http.get('/ops/audit/me?limit=100').set(auth(u.token));
    const types = audit.body.map((e: { event_type: string }) => e.event_type);
    for (const ev of [
      'exchange_sync.order.filled',
      'exchange_sync.oco.created',
      'exchange_sync.oco.leg_filled',
      'exchange_sync.oco.sibling_cancelled',
    ])
      expect(types).toContain(ev);
    expect(types.filter((x: string) => x === 'exchange_sync.oco.created')).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(u.secret);
    expect(JSON.stringify(audit.body)).not.toContain(u.apiKey);
  });

  it('uses per-user OCO percentages', async () => {
    const u = await userWithAccount(t, fake);
    const bad = await t.http.put('/api/exchange-sync/oco-settings').set(auth(u.token)).send({ stop_loss_pct: '150', take_profit_pct: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('take_profit_pct');
    const put = await t.http.put('/api/exchange-sync/oco-settings').set(auth(u.token)).send({ stop_loss_pct: '5', take_profit_pct: '10' });
    expect(put.status).toBe(200);
    const id = fake.addOrder(u.apiKey, { instrument_name: 'ETH_USDT', side: 'BUY', quantity: '1', limit_price: '2000' });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    fake.fillOrder(id);
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    const legs = await t.dataSource.query(
      `SELECT order_role, trigger_price::text AS p FROM exchange_orders WHERE user_id = $1 AND order_role IS NOT NULL ORDER BY order_role`,
      [u.id],
    );
    expect(legs.map((l: { p: string }) => Number(l.p))).toEqual([1900, 2200]);
  });

  it('resolves an open order that vanished from the lists through its detail, never by guessing', async () => {
    const u = await userWithAccount(t, fake);
    const id = fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'SELL', quantity: '0.3', limit_price: '35000' });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    const o = fake.findOrder(id);
    o.status = 'CANCELED';
    o.update_time = Date.now() - 3 * 24 * 3600 * 1000; // outside the history window
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    const [row] = await t.dataSource.query(`SELECT status FROM exchange_orders WHERE exchange_order_id = $1`, [id]);
    expect(row.status).toBe('CANCELED');
    expect(fake.callsFor(u.apiKey, 'private/get-order-detail')).toBe(1);

    // Unknown to the exchange too: left as it is.
    const gone = fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'SELL', quantity: '0.3', limit_price: '36000' });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    fake.dropOrder(gone);
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    const [left] = await t.dataSource.query(`SELECT status FROM exchange_orders WHERE exchange_order_id = $1`, [gone]);
    expect(left.status).toBe('ACTIVE');
  });

  it('skips malformed orders (missing fields, non-numeric quantities) and goes on', async () => {
    const u = await userWithAccount(t, fake);
    fake.addRawOpenOrder(u.apiKey, { order_id: 'bad-1', instrument_name: 'BTC_USDT', side: 'BUY', status: 'ACTIVE', quantity: 'lots' });
    fake.addRawOpenOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', status: 'ACTIVE', quantity: '1' });
    fake.addRawOpenOrder(u.apiKey, { order_id: 'bad-3', side: 'BUY', status: 'ACTIVE', quantity: '1' });
    fake.addRawOpenOrder(u.apiKey, 'garbage');
    fake.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.01', limit_price: '20000' });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const run = await t.http.post('/ops/exchange-sync/run').set(auth(u.token));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ users_ok: 1, users_failed: 0, open_orders: 1 });
    const skipped = warn.mock.calls.filter((c) => (c[0] as { message?: string })?.message === 'Skipped malformed exchange record');
    expect(skipped.map((c) => (c[0] as { reason: string }).reason).sort()).toEqual([
      'missing or invalid instrument_name',
      'missing order_id',
      'non-numeric quantity',
      'not an object',
    ]);
    warn.mockRestore();
    const state = await t.http.get('/api/dashboard/state').set(auth(u.token));
    expect(state.body.open_orders).toHaveLength(1);
  });

  it('validates the watchlist: symbols, duplicates, 100 items at most, per user', async () => {
    const u = await t.register();
    const other = await t.register();
    for (const bad of ['BTC/USDT;DROP', "BTC_USDT' OR 1=1", '', 'BTCUSDT', 'BTC/USDT/ETH']) {
      const r = await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: bad });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.errors ?? r.body)).toContain('symbol');
    }
    const add = await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: 'btc/usdt' });
    expect(add.status).toBe(201);
    expect(add.body.symbol).toBe('BTC_USDT');
    expect((await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: 'BTC_USDT' })).status).toBe(409);
    expect((await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: 'ETH_USDT', extra: 1 })).status).toBe(400);

    const many = Array.from({ length: 500 }, (_, i) => `C${i}_USDT`);
    const tooMany = await t.http.put('/api/watchlist').set(auth(u.token)).send({ symbols: many });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('symbols');
    const full = await t.http
      .put('/api/watchlist')
      .set(auth(u.token))
      .send({ symbols: many.slice(0, 100) });
    expect(full.status).toBe(200);
    const over = await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: 'ETH_USDT' });
    expect(over.status).toBe(409);
    expect(over.body.message).toContain('at most 100');

    await t.http
      .put('/api/watchlist')
      .set(auth(u.token))
      .send({ symbols: ['BTC_USDT', 'ETH/USDT'] })
      .expect(200);
    expect((await t.http.get('/api/watchlist').set(auth(other.token))).body).toEqual([]);
    expect((await t.http.delete('/api/watchlist/ETH_USDT').set(auth(other.token))).status).toBe(404);
    expect((await t.http.delete('/api/watchlist/ETH_USDT').set(auth(u.token))).status).toBe(204);
    const state = await t.http.get('/api/dashboard/state').set(auth(u.token));
    expect(state.body.watchlist).toEqual(['BTC_USDT']);
    expect((await t.http.get('/api/dashboard/state')).status).toBe(401);
  });
});
