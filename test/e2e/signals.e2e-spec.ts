import { JobQueue } from '@kernel';
import { startTestApp, TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const near = (actual: string, expected: number) => expect(Math.abs(Number(actual) - expected)).toBeLessThan(1e-6);

describe('signals: RSI(14), EMA(20), EMA(50) on public 1h candles for watchlist symbols (seed 003)', () => {
  let fake: CryptoComFake;
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
    t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_HTTP_TIMEOUT_MS: '2000' } });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('computes from the fake candles, keeps the last signal when the candle endpoint fails, and keeps a history', async () => {
    const u = await t.register();
    expect((await t.http.get('/api/signals').set(auth(u.token))).body).toEqual([]); // empty watchlist

    // BTC: closes 1..200. With ema_1 = p_1 the lag of an EMA behind a unit ramp is (1-k)/k * (1 - (1-k)^(n-1)):
    // EMA20 = 200 - 9.5 * (1 - (19/21)^199), EMA50 = 200 - 24.5 * (1 - (49/51)^199); no losses, so RSI = 100 -> SELL.
    fake.setCloses(
      'BTC_USDT',
      Array.from({ length: 200 }, (_, i) => String(i + 1)),
    );
    // ETH: flat at 100, then 200: both EMAs were 100, the jump adds 200/21 and 200/51: EMA20 crosses above EMA50 -> BUY.
    fake.setCloses('ETH_USDT', [...Array.from({ length: 199 }, () => '100'), '200']);
    // SOL_USDT is listed but has no candles; XRP_USDT is not listed at all.
    await t.http
      .put('/api/watchlist')
      .set(auth(u.token))
      .send({ symbols: ['BTC_USDT', 'ETH/USDT', 'SOL_USDT', 'XRP_USDT'] })
      .expect(200);

    const forbidden = await t.http.post('/ops/signals/run').set(auth(u.token));
    expect(forbidden.status).toBe(403);
    const run = await t.http.post('/ops/signals/run').set(auth(admin));
    expect(run.status).toBe(200);
    expect(run.body.symbols).toBe(4);
    expect(run.body.computed.map((s: { symbol: string }) => s.symbol).sort()).toEqual(['BTC_USDT', 'ETH_USDT']);
    expect(run.body.failed).toEqual([
      { symbol: 'SOL_USDT', error: 'bad_response: not enough candles: 0 (need at least 51)' },
      { symbol: 'XRP_USDT', error: 'not_found: Unknown symbol XRP_USDT on CRYPTO_COM' },
    ]);
    expect(fake.calls['public/get-candlestick']).toBe(3); // BTC, ETH, SOL: XRP is refused from the loaded markets

    const list = await t.http.get('/api/signals').set(auth(u.token));
    expect(list.status).toBe(200);
    expect(list.body.map((s: { symbol: string }) => s.symbol)).toEqual(['BTC_USDT', 'ETH_USDT', 'SOL_USDT', 'XRP_USDT']);
    const [btc, eth, sol] = list.body;
    expect(btc).toMatchObject({ signal: 'SELL', reason: 'RSI14 100 > 70 (overbought)', rsi14: '100', close: '200', last_error: null });
    near(btc.ema20, 200 - 9.5 * (1 - (19 / 21) ** 199));
    near(btc.ema50, 200 - 24.5 * (1 - (49 / 51) ** 199));
    expect(eth).toMatchObject({ signal: 'BUY', reason: 'EMA20 crossed above EMA50', close: '200' });
    near(eth.ema20, 100 + 200 / 21);
    near(eth.ema50, 100 + 200 / 51);
    expect(new Date(btc.candle_at).getTime() % 3_600_000).toBe(0);
    expect(sol).toMatchObject({ signal: null, last_error: 'bad_response: not enough candles: 0 (need at least 51)' });

    const dash = await t.http.get('/api/dashboard/state').set(auth(u.token));
    expect(dash.status).toBe(200);
    expect(dash.body.signals).toEqual(list.body);

    // The candle endpoint down: 502 on a direct call, the failure recorded, the last signal kept.
    fake.injectError({ method: 'public/get-candlestick', status: 503, code: 50001, message: 'SYS_BUSY', count: 3 });
    const down = await t.http.post('/ops/signals/run?symbol=BTC_USDT').set(auth(admin));
    expect(down.status).toBe(502);
    expect(down.body.message).toContain('BTC_USDT');
    fake.clearErrors();
    const kept = (await t.http.get('/api/signals').set(auth(u.token))).body[0];
    expect(kept).toMatchObject({ symbol: 'BTC_USDT', signal: 'SELL', computed_at: btc.computed_at });
    expect(kept.last_failure_at).toEqual(expect.any(String));
    expect(kept.last_error).toMatch(/^(unavailable|rejected): /);

    const unknown = await t.http.post('/ops/signals/run?symbol=XRP_USDT').set(auth(admin));
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Unknown or delisted symbol: XRP_USDT');

    // Falling now: 200 closes from 400 down to 201 -> RSI 0, oversold BUY. History is newest first.
    fake.setCloses(
      'BTC_USDT',
      Array.from({ length: 200 }, (_, i) => String(400 - i)),
    );
    const again = await t.http.post('/ops/signals/run?symbol=BTC/USDT').set(auth(admin));
    expect(again.status).toBe(200);
    expect(again.body.computed[0]).toMatchObject({ symbol: 'BTC_USDT', signal: 'BUY', rsi14: '0', close: '201', candles: 200 });
    const latest = (await t.http.get('/api/signals').set(auth(u.token))).body[0];
    expect(latest).toMatchObject({ signal: 'BUY', last_error: null, last_failure_at: null });

    const hist = await t.http.get('/api/signals/BTC_USDT?limit=10').set(auth(u.token));
    expect(hist.status).toBe(200);
    expect(hist.body.items.map((s: { signal: string }) => s.signal)).toEqual(['BUY', 'SELL']);
    expect((await t.http.get('/api/signals/BTC_USDT?limit=1').set(auth(u.token))).body.items).toHaveLength(1);
    const badLimit = await t.http.get('/api/signals/BTC_USDT?limit=0').set(auth(u.token));
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.message).toContain('limit');
    const never = await t.http.get('/api/signals/DOGE_USDT').set(auth(u.token));
    expect(never.status).toBe(400);
    expect(never.body.message).toContain('DOGE_USDT');
    const malformed = await t.http.get('/api/signals/BTC-USDT;DROP').set(auth(u.token));
    expect(malformed.status).toBe(400);
  });
  it('the scheduled signals job (one per SIGNALS_INTERVAL_MINUTES tick) computes every watched symbol', async () => {
    const u = await t.register();
    fake.setCloses(
      'BTC_USD',
      Array.from({ length: 200 }, (_, i) => String(i + 1)),
    );
    await t.http
      .put('/api/watchlist')
      .set(auth(u.token))
      .send({ symbols: ['BTC_USD'] })
      .expect(200);
    const id = await t.app.get(JobQueue).tick('exchange-sync.signals', `signals-e2e-${Date.now()}`);
    expect(id).toEqual(expect.any(String));
    const deadline = Date.now() + 20_000;
    let btcUsd: { symbol: string; signal: string | null } | undefined;
    while (Date.now() < deadline) {
      btcUsd = (await t.http.get('/api/signals').set(auth(u.token))).body.find((s: { symbol: string }) => s.symbol === 'BTC_USD');
      if (btcUsd?.signal) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(btcUsd).toMatchObject({ symbol: 'BTC_USD', signal: 'SELL', rsi14: '100', close: '200' });
    let state: string | undefined;
    while (Date.now() < deadline && state !== 'completed') {
      state = (await t.app.get(JobQueue).status('exchange-sync.signals', id!))?.state;
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('completed');
  });
});
