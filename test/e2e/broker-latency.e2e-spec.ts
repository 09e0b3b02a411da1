import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';

const API_KEY = 'latencyKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';
const API_SECRET = 'latencySecret0123456789abcdefghijklmnopqrstuvwxyzABCDE';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("performance's average latency: the measured round trip of each exchange call that placed an order (issue 13)", () => {
  let t: TestApp;
  let binance: BinanceFake;

  beforeAll(async () => {
    binance = new BinanceFake();
    const url = await binance.start();
    binance.addAccount(API_KEY, API_SECRET);
    t = await startTestApp({ env: { BINANCE_TESTNET_BASE_URL: url, EXCHANGE_MAX_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await binance.close();
  });

  it('records the placement call of a filled broker order and averages it', async () => {
    const u = await t.register();
    await t.http.post('/users/exchange-secrets').set(auth(u.token)).send({ exchange: 'BINANCE', api_key: API_KEY, api_secret: API_SECRET });
    // Warm the market data so the slow answers below are the order calls only.
    await t.http.get('/api/broker/ping').set(auth(u.token)).expect(200);
    binance.latencyMs = 120; // every answer of the fake now takes at least 120 ms
    // Marketable LIMIT orders (at or through the last price 60000): the fake fills them at once.
    for (const [side, price] of [
      ['BUY', '60000'],
      ['SELL', '59000'],
    ]) {
      const r = await t.http
        .post('/api/broker/order/create')
        .set(auth(u.token))
        .send({ symbol: 'BTCUSDT', side, quantity: '0.001', price });
      expect(r.status).toBe(201);
      expect(r.body.order.status).toBe('FILLED');
    }
    binance.latencyMs = 0;
    const p = await t.http.get('/api/broker/performance?mode=testnet').set(auth(u.token));
    expect(p.status).toBe(200);
    expect(p.body.fills).toBe(2);
    expect(Number(p.body.avg_latency_ms)).toBeGreaterThanOrEqual(120);
    const rows: { send_latency_ms: string }[] = await t.dataSource.query(
      `SELECT send_latency_ms FROM execution_orders WHERE user_id = $1 ORDER BY created_at`,
      [u.id],
    );
    expect(rows.map((r) => Number(r.send_latency_ms) >= 120)).toEqual([true, true]);
  });
});
