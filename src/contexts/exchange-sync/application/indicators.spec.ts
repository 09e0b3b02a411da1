import { computeIndicators, computeSignal } from './indicators';
import { decide } from '../domain/signals';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => String(f(i)));
const candles = (closes: string[]) => closes.map((close, i) => ({ openTime: new Date(Date.UTC(2026, 0, 1, i)), close }));

describe('indicators (trading-signals pinned against values worked out by hand)', () => {
  it('EMA(20)/EMA(50) of closes 1..60: seeded with the first close, the lag is (1-k)/k * (1 - (1-k)^59)', () => {
    // p_t = t, ema_1 = p_1; the error e_t = p_t - ema_t obeys e_t = (1-k)(e_{t-1} + 1), so
    // e_60 = (1-k)/k * (1 - (1-k)^59): k = 2/21 gives 9.5 * (1 - (19/21)^59), k = 2/51 gives 24.5 * (1 - (49/51)^59).
    const ind = computeIndicators(range(60, (i) => i + 1))!;
    expect(Number(ind.ema20)).toBeCloseTo(60 - 9.5 * (1 - (19 / 21) ** 59), 7);
    expect(Number(ind.ema50)).toBeCloseTo(60 - 24.5 * (1 - (49 / 51) ** 59), 7);
    expect(Number(ind.prevEma20)).toBeCloseTo(59 - 9.5 * (1 - (19 / 21) ** 58), 7);
    expect(ind.rsi14).toBe('100'); // no losses at all
  });

  it("RSI(14) with Wilder's smoothing matches the textbook recurrence on an alternating series", () => {
    // Wilder: the first averages are the means of the first 14 gains and losses, then avg = (13 * avg + x) / 14,
    // RSI = 100 - 100 / (1 + avgGain / avgLoss). Worked out here step by step, independently of the library.
    const wilder = (closes: number[]) => {
      const changes = closes.slice(1).map((c, i) => c - closes[i]);
      let gain = changes.slice(0, 14).reduce((a, d) => a + Math.max(d, 0), 0) / 14;
      let loss = changes.slice(0, 14).reduce((a, d) => a + Math.max(-d, 0), 0) / 14;
      for (const d of changes.slice(14)) {
        gain = (13 * gain + Math.max(d, 0)) / 14;
        loss = (13 * loss + Math.max(-d, 0)) / 14;
      }
      return 100 - 100 / (1 + gain / loss);
    };
    // 100,101,100,... : 7 gains and 7 losses of 1 in the first 14 changes, so both averages start at 0.5 and their
    // sum stays 1 (each step adds (1 - sum)/14): RSI = 100 * avgGain at every step.
    const closes = Array.from({ length: 51 }, (_, i) => 100 + (i % 2)); // ends on 100, after a loss
    const expected = wilder(closes);
    expect(Number(computeIndicators(closes.map(String))!.rsi14)).toBeCloseTo(expected, 6);
    // Period-2 alternation tends to avgGain = 13/27 after a loss (a = 13/14 b, b = 13/14 a + 1/14): 48.1481...
    expect(expected).toBeGreaterThan(48.148);
    expect(expected).toBeLessThan(50);
    // Two more gains: avgGain g -> (13g + 1)/14 twice.
    const g = expected / 100;
    const g2 = (13 * ((13 * g + 1) / 14) + 1) / 14;
    expect(Number(computeIndicators([...closes, 101, 102].map(String))!.rsi14)).toBeCloseTo(100 * g2, 6);
  });

  it('strictly falling closes: RSI 0, oversold -> BUY', () => {
    const s = computeSignal('BTC_USDT', candles(range(60, (i) => 1000 - i)));
    expect(typeof s).not.toBe('string');
    if (typeof s === 'string') return;
    expect(s.rsi14).toBe('0');
    expect(s.action).toBe('BUY');
    expect(s.reason).toBe('RSI14 0 < 30 (oversold)');
    expect(s.close).toBe('941');
    expect(s.candles).toBe(60);
  });

  it('flat at 100 then a jump to 200: EMA20 109.5238.. crosses above EMA50 103.9215.. (the cross wins over RSI 100)', () => {
    // Flat: both EMAs are 100. The jump adds k * 100: 200/21 to EMA20 and 200/51 to EMA50.
    const s = computeSignal('ETH_USDT', candles([...range(59, () => 100), '200']));
    if (typeof s === 'string') throw new Error(s);
    expect(s.ema20).toBe((100 + 200 / 21).toFixed(8));
    expect(s.ema50).toBe((100 + 200 / 51).toFixed(8));
    expect(s.prevEma20).toBe('100');
    expect(s.prevEma50).toBe('100');
    expect(s.rsi14).toBe('100');
    expect(s).toMatchObject({ action: 'BUY', reason: 'EMA20 crossed above EMA50' });
  });

  it('too few candles is a reason, not a signal', () => {
    expect(computeSignal('BTC_USDT', candles(range(50, (i) => i + 1)))).toBe('not enough candles: 50 (need at least 51)');
  });
});

describe('decide', () => {
  const base = { rsi14: '50', ema20: '10', ema50: '10', prevEma20: '10', prevEma50: '10' };
  it.each([
    [{ ...base, prevEma20: '9', ema20: '11' }, 'BUY', 'EMA20 crossed above EMA50'],
    [{ ...base, prevEma20: '11', ema20: '9' }, 'SELL', 'EMA20 crossed below EMA50'],
    [{ ...base, rsi14: '29.9' }, 'BUY', 'RSI14 29.9 < 30 (oversold)'],
    [{ ...base, rsi14: '70.01' }, 'SELL', 'RSI14 70.01 > 70 (overbought)'],
    [{ ...base, rsi14: '30' }, 'HOLD', 'no EMA20/EMA50 cross and RSI14 30 within 30-70'],
    [{ ...base, ema20: '12', prevEma20: '11', prevEma50: '10' }, 'HOLD', 'no EMA20/EMA50 cross and RSI14 50 within 30-70'],
  ])('%o -> %s', (ind, action, reason) => {
    expect(decide(ind)).toEqual({ action, reason });
  });
});
