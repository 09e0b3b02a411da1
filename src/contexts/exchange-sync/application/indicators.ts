import { EMA, RSI } from 'trading-signals';
import { Decimal } from '@kernel';
import { Candle, ComputedSignal, decide, EMA_FAST, EMA_SLOW, Indicators, RSI_PERIOD } from '../domain/signals';

/** Indicator values are statistics, not money: 8 decimal places is plenty and keeps the stored strings exact. */
const fixed = (n: number): string => new Decimal(n).toDecimalPlaces(8).toFixed();

/**
 * RSI(14) with Wilder's smoothing and EMA(20)/EMA(50) seeded with the first close, as
 * trading-signals computes them (the unit test pins both against the textbook formulas).
 * null when there are too few candles for EMA(50) and a previous value (51).
 */
export function computeIndicators(closes: string[]): Indicators | null {
  if (closes.length < EMA_SLOW + 1) return null;
  const rsi = new RSI(RSI_PERIOD);
  const fast = new EMA(EMA_FAST);
  const slow = new EMA(EMA_SLOW);
  let prevFast = 0;
  let prevSlow = 0;
  closes.forEach((c, i) => {
    const price = Number(c);
    if (i === closes.length - 1) {
      prevFast = fast.getResultOrThrow();
      prevSlow = slow.getResultOrThrow();
    }
    rsi.update(price, false);
    fast.update(price, false);
    slow.update(price, false);
  });
  return {
    rsi14: fixed(rsi.getResultOrThrow()),
    ema20: fixed(fast.getResultOrThrow()),
    ema50: fixed(slow.getResultOrThrow()),
    prevEma20: fixed(prevFast),
    prevEma50: fixed(prevSlow),
  };
}

/** The signal for one symbol from its candles (oldest first); a reason string when there are too few. */
export function computeSignal(symbol: string, candles: Candle[]): ComputedSignal | string {
  const ind = computeIndicators(candles.map((c) => c.close));
  if (!ind) return `not enough candles: ${candles.length} (need at least ${EMA_SLOW + 1})`;
  const last = candles[candles.length - 1];
  return { symbol, ...ind, ...decide(ind), close: last.close, candleAt: last.openTime, candles: candles.length };
}
