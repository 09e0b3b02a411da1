import { JobQueue } from '@kernel';
import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const PUBLIC = new Set(['/api/v3/exchangeInfo', '/api/v3/ticker/price']);

describe('paper trading (issue 13 item 4, seed 002): fills against public prices, never a private endpoint', () => {
  let t: TestApp;
  let binance: BinanceFake;
  let admin: string;

  beforeAll(async () => {
    binance = new BinanceFake();
    const url = await binance.start();
    t = await startTestApp({
      env: {
        BINANCE_BASE_URL: url,
        BINANCE_TESTNET_BASE_URL: url,
        PAPER_SLIPPAGE_BPS: '5',
        PAPER_FEE_BPS: '10',
        RISK_MAX_NOTIONAL_USD: '100000',
        RISK_MAX_EXPOSURE_PER_SYMBOL_USD: '200000',
        EXCHANGE_MAX_RETRIES: '0',
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      },
    });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
    await binance.close();
  });

  const tickFills = async () => {
    const id = await t.app.get(JobQueue).tick('execution.paper-fills', `paper-e2e-${Date.now()}-${Math.random()}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = await t.app.get(JobQueue).status('execution.paper-fills', id!);
      if (s?.state === 'completed') return s.output;
      if (Date.now() > deadline) throw new Error(`paper-fills job not completed: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('a round trip: MARKET buy with OCO protection, the price moves, the take profit fills, P&L and metrics right', async () => {
    const u = await t.register(); // no Binance credentials at all: paper needs none
    const mode = await t.http.get('/api/broker/mode').set(auth(u.token));
    expect(mode.body).toEqual({ mode: 'testnet', live_trading_enabled: false, available: ['paper', 'testnet'] });
    const live = await t.http.put('/api/broker/mode').set(auth(u.token)).send({ mode: 'live' });
    expect(live.status).toBe(409);
    expect(live.body.message).toContain('LIVE_TRADING=false');
    const bad = await t.http.put('/api/broker/mode').set(auth(u.token)).send({ mode: 'demo' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('mode');
    expect((await t.http.put('/api/broker/mode').set(auth(u.token)).send({ mode: 'paper' })).body.mode).toBe('paper');

    const before = binance.requests.length;
    const buy = await t.http
      .post('/api/broker/order/create')
      .set(auth(u.token))
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01', stop_loss: '59000', take_profit: '61000' });
    expect(buy.status).toBe(201);
    // Last price 60000 + 5 bps = 60030; fee 10 bps of 600.30 = 0.6003.
    expect(buy.body).toMatchObject({ mode: 'PAPER', order: { type: 'MARKET', status: 'FILLED', price: '60030', filled: '0.01' } });
    expect(buy.body.protection).toMatchObject({ status: 'PLACED', stop_loss: '59000', take_profit: '61000' });
    const [sl, tp] = buy.body.protection.orders;
    expect([sl.type, sl.status, tp.type, tp.status]).toEqual(['STOP_LOSS_LIMIT', 'NEW', 'LIMIT_MAKER', 'NEW']);

    const balance = await t.http.get('/api/broker/balance').set(auth(u.token));
    expect(balance.body.mode).toBe('PAPER');
    const usdt = (b: { balances: { asset: string; free: string; locked: string }[] }) => b.balances.find((x) => x.asset === 'USDT')!;
    expect(usdt(balance.body)).toEqual({ asset: 'USDT', free: '9399.0997', locked: '0' }); // 10000 - 600.30 - 0.6003
    expect(balance.body.balances.find((x: { asset: string }) => x.asset === 'BTC')).toEqual({ asset: 'BTC', free: '0', locked: '0.01' });
    const positions = await t.http.get('/api/broker/positions').set(auth(u.token));
    expect(positions.body.positions).toEqual([{ asset: 'BTC', free: '0', locked: '0.01', total: '0.01' }]);

    // Above the paper balance: 400, nothing changes.
    const big = await t.http.post('/api/broker/order/create').set(auth(u.token)).send({ symbol: 'BTCUSDT', side: 'BUY', quantity: '1' });
    expect(big.status).toBe(400);
    expect(big.body.message).toContain('insufficient paper balance');
    // The kill switch halts paper orders too.
    await t.http.post('/ops/execution/kill-switch').set(auth(admin)).send({ engaged: true, reason: 'paper e2e' }).expect(200);
    const halted = await t.http
      .post('/api/broker/order/create')
      .set(auth(u.token))
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: '0.001' });
    expect(halted.status).toBe(423);
    await t.http
      .post('/ops/execution/kill-switch')
      .set(auth(admin))
      .send({ engaged: false, reason: 'paper e2e is done with it' })
      .expect(200);

    // The price moves through the take profit: the job fills it at 61000 and cancels the stop.
    binance.prices.set('BTCUSDT', '61500.00');
    expect(await tickFills()).toMatchObject({ filled: 1 });
    const tpNow = await t.http.get(`/api/broker/order/${tp.order_id}?symbol=BTCUSDT`).set(auth(u.token));
    expect(tpNow.body).toMatchObject({ mode: 'PAPER', status: 'FILLED', filled: '0.01', order: { price: '61000' } });
    const slNow = await t.http.get(`/api/broker/order/${sl.order_id}?symbol=BTCUSDT`).set(auth(u.token));
    expect(slNow.body.status).toBe('CANCELED');
    // 9399.0997 + 610 - 0.61 fee
    expect(usdt((await t.http.get('/api/broker/balance').set(auth(u.token))).body)).toEqual({
      asset: 'USDT',
      free: '10008.4897',
      locked: '0',
    });

    // None of it reached a private (signed) endpoint.
    const sent = binance.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => !PUBLIC.has(r.path) || r.headers['x-mbx-apikey'])).toEqual([]);

    const perf = await t.http.get('/api/broker/performance?mode=paper').set(auth(u.token));
    expect(perf.status).toBe(200);
    // (61000 - 60030) x 0.01 - 0.6003 - 0.61 = 8.4897; slippage: +5 bps on the entry, 0 on the take profit.
    expect(perf.body).toMatchObject({
      modes: ['paper'],
      fills: 2,
      trades: 1,
      wins: 1,
      losses: 0,
      realized_pnl: '8.4897',
      fees: '1.2103',
      win_rate_pct: '100',
      avg_slippage_bps: '2.5',
    });
    expect(Number(perf.body.avg_latency_ms)).toBeGreaterThan(0);
    expect((await t.http.get('/api/broker/performance').set(auth(u.token))).body.fills).toBe(0); // paper kept apart

    const audit = await t.http.get('/ops/audit/me?limit=100').set(auth(u.token));
    const fills = audit.body.filter((e: { event_type: string }) => e.event_type === 'broker.paper.fill');
    expect(fills.map((e: { payload: { role: string; price: string } }) => [e.payload.role, e.payload.price]).sort()).toEqual([
      ['ENTRY', '60030'],
      ['TAKE_PROFIT', '61000'],
    ]);
  });

  it('a LIMIT rests with its hold, cancels back, fills when the job sees the price cross; reset starts over', async () => {
    binance.prices.set('BTCUSDT', '60000.00');
    const u = await t.register();
    await t.http.put('/api/broker/mode').set(auth(u.token)).send({ mode: 'paper' }).expect(200);
    const place = () =>
      t.http.post('/api/broker/order/create').set(auth(u.token)).send({ symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01', price: '59000' });
    const first = await place();
    expect(first.body.order).toMatchObject({ type: 'LIMIT', status: 'NEW', price: '59000' });
    const bal = async () => (await t.http.get('/api/broker/balance').set(auth(u.token))).body.balances;
    expect(await bal()).toEqual([{ asset: 'USDT', free: '9409.41', locked: '590.59' }]); // 590 + 0.59 fee held
    const cancel = await t.http
      .post('/api/broker/order/cancel')
      .set(auth(u.token))
      .send({ symbol: 'BTCUSDT', order_id: first.body.order_id });
    expect(cancel.body.cancelled_order ?? cancel.body.order).toMatchObject({ status: 'CANCELED' });
    expect(await bal()).toEqual([{ asset: 'USDT', free: '10000', locked: '0' }]);

    const second = await place();
    expect(await tickFills()).toMatchObject({ filled: 0 }); // 60000 has not crossed 59000
    binance.prices.set('BTCUSDT', '58900.00');
    expect(await tickFills()).toMatchObject({ filled: 1 });
    const got = await t.http.get(`/api/broker/order/${second.body.order_id}?symbol=BTCUSDT`).set(auth(u.token));
    expect(got.body).toMatchObject({ status: 'FILLED', order: { price: '59000' } });
    expect(await bal()).toEqual([
      { asset: 'BTC', free: '0.01', locked: '0' },
      { asset: 'USDT', free: '9409.41', locked: '0' },
    ]);

    const reset = await t.http.post('/api/broker/paper/reset').set(auth(u.token));
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ mode: 'PAPER', epoch: 2, balances: [{ asset: 'USDT', free: '10000', locked: '0' }] });
    expect((await t.http.get('/api/broker/performance?mode=paper').set(auth(u.token))).body.fills).toBe(0);
    binance.prices.set('BTCUSDT', '60000.00');
  });
});
