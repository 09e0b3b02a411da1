import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';
import { IbkrFake } from '../fakes/ibkr-fake';

const API_KEY = 'peerBinanceKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM';
const API_SECRET = 'peerBinanceSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI';

/** Issue 12 item 9: what crypto-saas' own tests expect of the execution API. */
describe('execution: what the peers tests expect', () => {
  let t: TestApp;
  let user: string;
  let admin: string;
  const binance = new BinanceFake();
  const ibkr = new IbkrFake();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const [bUrl, iUrl] = await Promise.all([binance.start(), ibkr.start()]);
    binance.addAccount(API_KEY, API_SECRET);
    t = await startTestApp({ env: { BINANCE_TESTNET_BASE_URL: bUrl, IBKR_BASE_URL: iUrl, EXCHANGE_MAX_RETRIES: '0' } });
    admin = await t.adminToken();
    user = (await t.register()).token;
    for (const exchange of ['BINANCE', 'IBKR']) {
      await t.http.post('/users/exchange-secrets').set(as(user)).send({ exchange, api_key: API_KEY, api_secret: API_SECRET }).expect(201);
    }
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([binance.close(), ibkr.close()]);
  });

  it('answers the IBKR test order with sent, as the Binance one', async () => {
    const binanceOrder = await t.http
      .post('/ops/execution/binance/test-order')
      .set(as(user))
      .send({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(binanceOrder.body.sent).toBe(true);
    for (const path of ['/ops/execution/ibkr/test-order', '/ops/execution/ibkr/paper-check']) {
      const res = await t.http.post(path).set(as(user)).send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ exchange: 'IBKR', mode: 'PAPER_WHATIF', sent: true });
    }
  });

  it('refuses a quantity beyond the configured bound with a 400 naming qty, on every order route', async () => {
    const before = binance.requests.length;
    for (const [path, body] of [
      ['/ops/execution/prepare', { exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1000001 }],
      ['/ops/execution/prepare', { exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: '1000001' }],
      ['/ops/execution/binance/test-order', { symbol: 'BTCUSDT', side: 'BUY', qty: 1000001 }],
      ['/ops/execution/ibkr/paper-check', { symbol: 'AAPL', side: 'BUY', qty: 1000001 }],
      ['/api/broker/order/create', { symbol: 'BTCUSDT', side: 'BUY', quantity: 1000001, price: 100 }],
    ] as const) {
      const res = await t.http.post(path).set(as(user)).send(body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'validation_failed' });
      expect(res.body.errors).toEqual([{ field: 'qty', messages: ['qty must be at most 1000000'] }]);
    }
    expect(binance.requests.length).toBe(before); // refused before any call out
    const ok = await t.http
      .post('/ops/execution/prepare')
      .set(as(user))
      .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1000000 });
    expect(ok.status).toBe(200);
  });

  it('releases the kill switch only with a reason of at least 10 characters', async () => {
    const engage = await t.http.post('/ops/execution/kill-switch').set(as(admin)).send({ engaged: true, reason: 'drill' });
    expect(engage.status).toBe(200);
    const short = await t.http.post('/ops/execution/kill-switch').set(as(admin)).send({ engaged: false, reason: 'ok now' });
    expect({ status: short.status, field: short.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'reason' });
    expect(short.body.message).toContain('at least 10 characters');
    expect((await t.http.get('/ops/execution/kill-switch').set(as(admin))).body.engaged).toBe(true);
    const spaces = await t.http.post('/ops/execution/kill-switch').set(as(admin)).send({ engaged: false, reason: '   abc      ' });
    expect(spaces.status).toBe(400);
    const release = await t.http
      .post('/ops/execution/kill-switch')
      .set(as(admin))
      .send({ engaged: false, reason: 'drill finished, checked' });
    expect(release.status).toBe(200);
    expect(release.body.engaged).toBe(false);
  });
});
