import { Decimal } from '@kernel';

export type SignalAction = 'BUY' | 'SELL' | 'HOLD';

export const SIGNAL_CANDLES = 200;
export const SIGNAL_TIMEFRAME = '1h';
export const RSI_PERIOD = 14;
export const EMA_FAST = 20;
export const EMA_SLOW = 50;
export const RSI_OVERSOLD = 30;
export const RSI_OVERBOUGHT = 70;

export interface Candle {
  openTime: Date;
  close: string;
}

export interface Indicators {
  rsi14: string;
  ema20: string;
  ema50: string;
  /** The EMAs one candle earlier, to see a cross. */
  prevEma20: string;
  prevEma50: string;
}

export interface ComputedSignal extends Indicators {
  symbol: string;
  action: SignalAction;
  reason: string;
  close: string;
  candleAt: Date;
  candles: number;
}

/** BUY on EMA20 crossing above EMA50 or RSI < 30; SELL on crossing below or RSI > 70; HOLD otherwise. A cross wins over RSI. */
export function decide(ind: Indicators): { action: SignalAction; reason: string } {
  const [f, s, pf, ps, rsi] = [ind.ema20, ind.ema50, ind.prevEma20, ind.prevEma50, ind.rsi14].map((v) => new Decimal(v));
  if (pf.lte(ps) && f.gt(s)) return { action: 'BUY', reason: `EMA${EMA_FAST} crossed above EMA${EMA_SLOW}` };
  if (pf.gte(ps) && f.lt(s)) return { action: 'SELL', reason: `EMA${EMA_FAST} crossed below EMA${EMA_SLOW}` };
  if (rsi.lt(RSI_OVERSOLD)) return { action: 'BUY', reason: `RSI${RSI_PERIOD} ${ind.rsi14} < ${RSI_OVERSOLD} (oversold)` };
  if (rsi.gt(RSI_OVERBOUGHT)) return { action: 'SELL', reason: `RSI${RSI_PERIOD} ${ind.rsi14} > ${RSI_OVERBOUGHT} (overbought)` };
  return {
    action: 'HOLD',
    reason: `no EMA${EMA_FAST}/EMA${EMA_SLOW} cross and RSI${RSI_PERIOD} ${ind.rsi14} within ${RSI_OVERSOLD}-${RSI_OVERBOUGHT}`,
  };
}
