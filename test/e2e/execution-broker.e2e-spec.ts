import { TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';
import { startExecutionApp } from './support/execution';

describe('execution: idempotency, risk manager, kill switch, broker endpoints', () => {
  let t: TestApp;
  let binance: BinanceFake;
  let token: string;
  let userId: string;
  let close: () => Promise<void>;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ({ t, binance, token, userId, close } = await startExecutionApp());
  });
  afterAll(() => close());

  const testOrder = (body: object = { symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 }, tok = token) =>
    t.http.post('/ops/execution/binance/test-order').set('Authorization', `Bearer ${tok}`).send(body);

  it('replays an Idempotency-Key and refuses it with another body', async () => {
    const before = binance.count('POST', '/api/v3/order/test');
    const first = await t.http
      .post('/ops/execution/binance/test-order')
      .set(auth())
      .set('Idempotency-Key', 'k-1')
      .send({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    const again = await t.http
      .post('/ops/execution/binance/test-order')
      .set(auth())
      .set('X-Idempotency-Key', 'k-1')
      .send({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(binance.count('POST', '/api/v3/order/test') - before).toBe(1);
    const other = await t.http
      .post('/ops/execution/binance/test-order')
      .set(auth())
      .set('Idempotency-Key', 'k-1')
      .send({ symbol: 'BTCUSDT', side: 'SELL', qty: 0.01 });
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('Idempotency key reused with a different payload');
  });

  it('enforces the risk manager: max notional per order and filters before sending', async () => {
    const before = binance.count('POST', '/api/v3/order/test');
    const big = await testOrder({ symbol: 'BTCUSDT', side: 'BUY', qty: 1 }); // 60000 USD > 1000
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('risk_check_failed');
    expect(big.body.message).toMatch(/per-order limit of 1000 USD/);
    const step = await testOrder({ symbol: 'BTCUSDT', side: 'BUY', qty: '0.0100001' });
    expect(step.status).toBe(400);
    const tick = await testOrder({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, price: '60000.001' });
    expect(tick.status).toBe(400);
    expect(tick.body.message).toMatch(/PRICE_FILTER/);
    const notional = await testOrder({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.00001 }); // 0.6 USD < 5
    expect(notional.status).toBe(400);
    expect(notional.body.message).toMatch(/NOTIONAL/);
    expect(binance.count('POST', '/api/v3/order/test')).toBe(before);
  });

  it('kill switch: admin only, reason required, audited, blocks every placement with 423', async () => {
    const admin = await t.adminToken();
    const forbidden = await t.http.post('/ops/execution/kill-switch').set(auth()).send({ engaged: true, reason: 'test' });
    expect(forbidden.status).toBe(403);
    const noReason = await t.http.post('/ops/execution/kill-switch').set('Authorization', `Bearer ${admin}`).send({ engaged: true });
    expect(noReason.status).toBe(400);
    const on = await t.http
      .post('/ops/execution/kill-switch')
      .set('Authorization', `Bearer ${admin}`)
      .send({ engaged: true, reason: 'Market halt drill' });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ engaged: true, reason: 'Market halt drill' });
    try {
      const blocked = await testOrder();
      expect(blocked.status).toBe(423);
      expect(blocked.body.message).toMatch(/kill switch: Market halt drill/);
      const create = await t.http
        .post('/api/broker/order/create')
        .set(auth())
        .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000 });
      expect(create.status).toBe(423);
      const paper = await t.http.post('/ops/execution/ibkr/paper-check').set(auth()).send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
      expect(paper.status).toBe(423);
      const prep = await t.http
        .post('/ops/execution/prepare')
        .set(auth())
        .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
      expect(prep.status).toBe(200);
      expect(prep.body.passed).toBe(false);
      expect(prep.body.checks.find((c: { name: string }) => c.name === 'kill_switch').passed).toBe(false);
      const state = await t.http.get('/ops/execution/kill-switch').set(auth());
      expect(state.body.engaged).toBe(true);
    } finally {
      const off = await t.http
        .post('/ops/execution/kill-switch')
        .set('Authorization', `Bearer ${admin}`)
        .send({ engaged: false, reason: 'Drill over' });
      expect(off.status).toBe(200);
    }
    expect((await testOrder()).status).toBe(200);
    const all = await t.http.get('/ops/audit/all?limit=1000').set('Authorization', `Bearer ${admin}`);
    const ks = all.body.filter((e: { event_type: string }) => e.event_type === 'execution.kill_switch');
    expect(ks).toHaveLength(2);
  });

  it('broker endpoints: ping, balance, positions, account info, order with OCO, status, cancel', async () => {
    const ping = await t.http.get('/api/broker/ping').set(auth());
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ status: 'connected', mode: 'TESTNET' });
    const bal = await t.http.get('/api/broker/balance').set(auth());
    expect(bal.status).toBe(200);
    expect(bal.body.balances).toEqual(expect.arrayContaining([{ asset: 'BTC', free: '1.00000000', locked: '0.00000000' }]));
    const pos = await t.http.get('/api/broker/positions').set(auth());
    expect(pos.body.positions.map((p: { asset: string }) => p.asset)).toEqual(['BTC']);
    const info = await t.http.get('/api/broker/account/info').set(auth());
    expect(info.body).toMatchObject({ can_trade: true, account_type: 'SPOT' });

    const created = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .set('Idempotency-Key', 'order-1')
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000, stop_loss: 57000, take_profit: 62000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'success',
      mode: 'TESTNET',
      order: { status: 'NEW', quantity: '0.001', price: '59000' },
      protection: { status: 'PLACED' },
    });
    expect(created.body.protection.orders).toHaveLength(2);
    const placed = binance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
    expect(new URLSearchParams(placed[placed.length - 1].body).get('newClientOrderId')).toBe(created.body.order.client_order_id);
    const replay = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .set('Idempotency-Key', 'order-1')
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000, stop_loss: 57000, take_profit: 62000 });
    expect(replay.body).toEqual(created.body);
    expect(binance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')).toHaveLength(placed.length);

    const id = created.body.order_id;
    const status = await t.http.get(`/api/broker/order/${id}?symbol=BTCUSDT`).set(auth());
    expect(status.body).toMatchObject({ status: 'NEW', filled: '0', remaining: '0.001' });
    const noSymbol = await t.http.get(`/api/broker/order/${id}`).set(auth());
    expect(noSymbol.status).toBe(400);
    const cancel = await t.http.post('/api/broker/order/cancel').set(auth()).send({ symbol: 'BTCUSDT', order_id: id });
    expect(cancel.status).toBe(200);
    expect(cancel.body.cancelled_order.status).toBe('CANCELED');
    const unknown = await t.http.get('/api/broker/order/999999?symbol=BTCUSDT').set(auth());
    expect(unknown.status).toBe(404);

    const badOco = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000, stop_loss: 60000 });
    expect(badOco.status).toBe(400);
    expect(badOco.body.errors.map((e: { field: string }) => e.field)).toEqual(['take_profit']);
    const inverted = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000, stop_loss: 60000, take_profit: 58000 });
    expect(inverted.status).toBe(400);
    expect(inverted.body.errors.map((e: { field: string }) => e.field)).toEqual(['stop_loss', 'take_profit']);

    const rows = await t.dataSource.query(`SELECT role, status FROM execution_orders WHERE user_id = $1 ORDER BY role`, [userId]);
    expect(rows.map((r: { role: string }) => r.role)).toEqual(['ENTRY', 'STOP_LOSS', 'TAKE_PROFIT']);
    expect(rows[0].status).toBe('CANCELED');
    const audit = await t.http.get('/ops/audit/me?limit=200').set(auth());
    const types = audit.body.map((e: { event_type: string }) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['broker.order.create', 'broker.order.cancel']));
  });

  it('refuses every route without a token', async () => {
    for (const [m, p] of [
      ['post', '/ops/execution/prepare'],
      ['post', '/ops/execution/binance/test-order'],
      ['get', '/api/broker/balance'],
    ] as const) {
      expect((await t.http[m](p).send({})).status).toBe(401);
    }
  });
});
