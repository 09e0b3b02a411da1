import Decimal from 'decimal.js';
import { startTestApp, TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;

describe('performance: GET /api/broker/performance over a scripted set of fills (seed 002)', () => {
  let fake: CryptoComFake;
  let t: TestApp;

  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
    t = await startTestApp({ env: { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_HTTP_TIMEOUT_MS: '2000', EXCHANGE_MAX_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('computes trades, P&L, win rate, profit factor, drawdown, Sharpe and slippage from synced fills', async () => {
    const u = await t.register();
    fake.addAccount('perf-key', 'perf-secret-0123456789', { USDT: '1000' });
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(u.token))
      .send({ exchange: 'CRYPTO_COM', api_key: 'perf-key', api_secret: 'perf-secret-0123456789' })
      .expect((r) => expect(r.status).toBeLessThan(300));

    const empty = await t.http.get('/api/broker/performance').set(auth(u.token));
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      fills: 0,
      trades: 0,
      realized_pnl: '0',
      win_rate_pct: null,
      profit_factor: null,
      sharpe_ratio: null,
    });
    expect(JSON.stringify(empty.body)).not.toMatch(/NaN|Infinity/);

    // The script (BTC_USDT, limit -> fill price), at noon UTC of days before today:
    //  D-4 BUY 1 100->100; SELL 1 110->110                       trade +10
    //  D-3 BUY 1 100->100; BUY 1 104->104; SELL 1.5 95.5->95     FIFO: 1 x (95-100) + 0.5 x (95-104) = -9.5
    //  D-2 nothing
    //  D-1 SELL 0.5 119->120                                    0.5 x (120-104) = +8
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const at = (daysAgo: number, hour: number) => midnight - daysAgo * DAY + hour * 3_600_000;
    const script: [number, number, 'BUY' | 'SELL', string, string, string][] = [
      [4, 10, 'BUY', '1', '100', '100'],
      [4, 12, 'SELL', '1', '110', '110'],
      [3, 9, 'BUY', '1', '100', '100'],
      [3, 10, 'BUY', '1', '104', '104'],
      [3, 15, 'SELL', '1.5', '95.5', '95'],
      [1, 11, 'SELL', '0.5', '119', '120'],
    ];
    const ids = script.map(([, , side, quantity, limit]) =>
      fake.addOrder('perf-key', { instrument_name: 'BTC_USDT', side, quantity, limit_price: limit }),
    );
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    script.forEach(([daysAgo, hour, , , , price], i) => {
      const o = fake.fillOrder(ids[i], { price });
      o.update_time = at(daysAgo, hour);
    });
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200);
    await t.http.post('/ops/exchange-sync/run').set(auth(u.token)).expect(200); // a second cycle adds nothing

    const res = await t.http.get('/api/broker/performance').set(auth(u.token));
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.equity_curve.map((e: { pnl: string; equity: string }) => [e.pnl, e.equity])).toEqual([
      ['10', '10'],
      ['-9.5', '0.5'],
      ['8', '8.5'],
    ]);
    // Daily P&L D-4..D-1: 10, -9.5, 0, 8; mean 2.125; squared deviations 7.875^2 + 11.625^2 + 2.125^2 + 5.875^2 = 236.1875.
    const sharpe = new Decimal(2.125).div(new Decimal(236.1875).div(3).sqrt()).times(new Decimal(365).sqrt()).toDecimalPlaces(8).toFixed();
    // Slippage against the limit: four fills at it (0), SELL 95 vs 95.5 = +52.356.. bps, SELL 120 vs 119 = -84.033.. bps.
    const slip = new Decimal(0.5).div(95.5).minus(new Decimal(1).div(119)).times(10_000).div(6).toDecimalPlaces(8).toFixed();
    expect(p).toMatchObject({
      exchange: null,
      modes: ['testnet', 'live'],
      fills: 6,
      trades: 3,
      wins: 2,
      losses: 1,
      realized_pnl: '8.5',
      fees: '0',
      gross_profit: '18',
      gross_loss: '9.5',
      win_rate_pct: '66.66666667',
      profit_factor: new Decimal(18).div(9.5).toDecimalPlaces(8).toFixed(), // 1.89473684
      max_drawdown: '9.5',
      max_drawdown_pct: '95', // 9.5 below the peak of 10
      sharpe_ratio: sharpe,
      sharpe_days: 4,
      avg_slippage_bps: slip,
      avg_latency_ms: null, // the exchange's history carries no call latency
      open_positions: [],
      unmatched_sells: [],
    });

    // The range: from after D-4 leaves the first round trip out (its lots still count for the later sells).
    const later = await t.http
      .get(`/api/broker/performance?from=${new Date(at(3, 0)).toISOString()}&exchange=crypto_com`)
      .set(auth(u.token));
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ exchange: 'CRYPTO_COM', fills: 4, trades: 2, realized_pnl: '-1.5', max_drawdown_pct: null });
    const binance = await t.http.get('/api/broker/performance?exchange=BINANCE').set(auth(u.token));
    expect(binance.body).toMatchObject({ fills: 0, trades: 0 });
    const paper = await t.http.get('/api/broker/performance?mode=paper').set(auth(u.token));
    expect(paper.body).toMatchObject({ modes: ['paper'], trades: 0, sharpe_ratio: null });

    // Someone else sees none of it.
    const other = await t.register();
    expect((await t.http.get('/api/broker/performance').set(auth(other.token))).body.trades).toBe(0);
  });

  it('names bad input: bad dates, from after to, unknown exchange or mode', async () => {
    const u = await t.register();
    const cases: [string, string][] = [
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['from=2026-02-01&to=2026-01-01', 'from must not be after to'],
      ['exchange=KRAKEN', 'exchange'],
      ['mode=demo', 'mode'],
    ];
    for (const [query, named] of cases) {
      const r = await t.http.get(`/api/broker/performance?${query}`).set(auth(u.token));
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(named);
    }
  });
});
