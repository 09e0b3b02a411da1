import { Decimal } from '@kernel';
import { Side } from './order-spec';

/**
 * Paper trading's arithmetic, exact (decimal.js): fills against public prices, fees in
 * the quote currency, and what an open order holds back from the balance. A paper order
 * fills whole or not at all.
 */
export const BPS = new Decimal(10_000);
/** Binance's precision for quantities and quote amounts. */
const DP = 8;

/** A MARKET fill: the last price moved against the taker by `slippageBps`. */
export function marketFillPrice(last: Decimal, side: Side, slippageBps: Decimal): Decimal {
  const k = slippageBps.div(BPS);
  return (side === 'BUY' ? last.times(k.plus(1)) : last.times(new Decimal(1).minus(k))).toDecimalPlaces(
    DP,
    side === 'BUY' ? Decimal.ROUND_UP : Decimal.ROUND_DOWN,
  );
}

/** The fee on a fill's notional, rounded up to 8 decimals (never undercharged). */
export function feeOf(qty: Decimal, price: Decimal, feeBps: Decimal): Decimal {
  return qty.times(price).times(feeBps).div(BPS).toDecimalPlaces(DP, Decimal.ROUND_UP);
}

/** What a BUY at `price` holds back from the quote balance: the notional and its fee. */
export function buyReserve(qty: Decimal, price: Decimal, feeBps: Decimal): Decimal {
  return qty.times(price).plus(feeOf(qty, price, feeBps));
}

export type PaperOrderType = 'MARKET' | 'LIMIT' | 'LIMIT_MAKER' | 'STOP_LOSS_LIMIT';

/**
 * Whether a resting paper order trades at `last`: a LIMIT (or a take-profit LIMIT_MAKER)
 * when the price reaches it, a stop when the price goes through its stop.
 */
export function crosses(o: { type: PaperOrderType; side: Side; price: Decimal; stopPrice: Decimal | null }, last: Decimal): boolean {
  if (o.type === 'STOP_LOSS_LIMIT') {
    const stop = o.stopPrice ?? o.price;
    return o.side === 'SELL' ? last.lte(stop) : last.gte(stop);
  }
  return o.side === 'BUY' ? last.lte(o.price) : last.gte(o.price);
}

/** What a paper order has when placed, entry or OCO leg: open, nothing executed, no fill yet. */
export const unfilled = (now: Date) =>
  ({
    status: 'NEW',
    executedQty: '0',
    fillPrice: null,
    fee: null,
    latencyMs: null,
    createdAt: now,
    updatedAt: now,
    filledAt: null,
  }) as const;
