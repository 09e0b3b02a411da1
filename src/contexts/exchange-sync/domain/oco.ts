import { createHash } from 'node:crypto';
import { Decimal } from '@kernel';
import { isTerminal, OrderSide } from './exchange-account-gateway.ports';
import { ExchangeOrder, OrderRole } from './exchange-order';

export interface OcoSettings {
  stopLossPct: string;
  takeProfitPct: string;
}

/**
 * Deterministic client order id of a leg: the same entry always yields the same
 * id, so a retried placement is recognised by the exchange (and by our sync)
 * instead of placing a second order. 36 characters at most (crypto.com limit).
 */
export function legClientOrderId(exchange: string, entryExchangeOrderId: string, role: OrderRole): string {
  const digest = createHash('sha256').update(`${exchange}:${entryExchangeOrderId}`).digest('hex').slice(0, 30);
  return `${role === 'STOP_LOSS' ? 'sl' : 'tp'}-${digest}`;
}

export function validatePct(value: string): string | null {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(value)) return 'must be a decimal string such as "2" or "2.5"';
  const d = new Decimal(value);
  if (d.lte(0) || d.gte(100)) return 'must be greater than 0 and less than 100';
  return null;
}

const roundToTick = (value: Decimal, tick: string | null): Decimal => {
  if (tick && new Decimal(tick).gt(0)) return value.toNearest(new Decimal(tick), Decimal.ROUND_HALF_UP);
  return value.toDecimalPlaces(8, Decimal.ROUND_HALF_UP);
};

export interface OcoPlan {
  stopLoss: ExchangeOrder;
  takeProfit: ExchangeOrder;
}

/**
 * A FILLED entry gets a protective pair on the opposite side, sized to the filled
 * quantity. Long (BUY) entry: stop below and target above the entry price; a SELL
 * entry is protected symmetrically (stop above, target below).
 */
export function planOcoLegs(args: {
  entry: ExchangeOrder;
  settings: OcoSettings;
  simulated: boolean;
  priceTick: string | null;
  ocoGroupId: string;
  newId: () => string;
  now: Date;
}): OcoPlan | null {
  const { entry, settings } = args;
  if (entry.status !== 'FILLED' || entry.role !== null || !entry.exchangeOrderId) return null;
  const entryPrice = entry.avgPrice ?? entry.price;
  if (!entryPrice || new Decimal(entryPrice).lte(0)) return null;
  const qty = new Decimal(entry.cumulativeQuantity).gt(0) ? entry.cumulativeQuantity : entry.quantity;
  if (new Decimal(qty).lte(0)) return null;
  const p = new Decimal(entryPrice);
  const sl = new Decimal(settings.stopLossPct).div(100);
  const tp = new Decimal(settings.takeProfitPct).div(100);
  const long = entry.side === 'BUY';
  const stop = roundToTick(long ? p.times(new Decimal(1).minus(sl)) : p.times(new Decimal(1).plus(sl)), args.priceTick);
  const target = roundToTick(long ? p.times(new Decimal(1).plus(tp)) : p.times(new Decimal(1).minus(tp)), args.priceTick);
  const side: OrderSide = long ? 'SELL' : 'BUY';
  const leg = (role: OrderRole, trigger: Decimal): ExchangeOrder => ({
    id: args.newId(),
    userId: entry.userId,
    exchange: entry.exchange,
    exchangeOrderId: null,
    clientOrderId: legClientOrderId(entry.exchange, entry.exchangeOrderId!, role),
    symbol: entry.symbol,
    side,
    type: role,
    status: args.simulated ? 'ACTIVE' : 'PENDING',
    quantity: new Decimal(qty).toFixed(),
    price: null,
    triggerPrice: trigger.toFixed(),
    cumulativeQuantity: '0',
    avgPrice: null,
    role,
    ocoGroupId: args.ocoGroupId,
    parentOrderId: entry.id,
    simulated: args.simulated,
    exchangeCreatedAt: null,
    exchangeUpdatedAt: null,
    createdAt: args.now,
    updatedAt: args.now,
  });
  return { stopLoss: leg('STOP_LOSS', stop), takeProfit: leg('TAKE_PROFIT', target) };
}

/** Does a simulated leg trigger at `last`? Sell legs: stop at or below, target at or above. */
export function legTriggers(leg: ExchangeOrder, last: string): boolean {
  if (!leg.role || !leg.triggerPrice || isTerminal(leg.status)) return false;
  const price = new Decimal(last);
  const trigger = new Decimal(leg.triggerPrice);
  const sellLeg = leg.side === 'SELL';
  if (leg.role === 'STOP_LOSS') return sellLeg ? price.lte(trigger) : price.gte(trigger);
  return sellLeg ? price.gte(trigger) : price.lte(trigger);
}

/**
 * OCO rule over one group's legs: when a leg is FILLED, every other non-terminal
 * leg must be cancelled. Returns the legs to cancel.
 */
export function siblingsToCancel(group: ExchangeOrder[]): ExchangeOrder[] {
  if (!group.some((l) => l.status === 'FILLED')) return [];
  return group.filter((l) => !isTerminal(l.status));
}
