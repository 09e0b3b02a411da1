import type * as Ccxt from 'ccxt';
import { Decimal } from '@kernel';
import { OrderStatus, RemoteBalance, RemoteOrder, Ticker } from '../../domain/exchange-account-gateway.ports';

/** ccxt's unified statuses -> ours; a raw status ccxt leaves as is (crypto.com's NEW) is kept when we know it. */
const STATUS: Record<string, OrderStatus> = {
  open: 'ACTIVE',
  closed: 'FILLED',
  canceled: 'CANCELED',
  cancelled: 'CANCELED',
  rejected: 'REJECTED',
  expired: 'EXPIRED',
  NEW: 'NEW',
  ACTIVE: 'ACTIVE',
};

/** 'BTC/USDT' (ccxt) -> 'BTC_USDT' (ours, on every exchange); null for anything but a spot pair. */
export function toOurSymbol(unified: string | undefined): string | null {
  if (!unified || unified.includes(':')) return null;
  const [base, quote, rest] = unified.split('/');
  return base && quote && rest === undefined ? `${base}_${quote}` : null;
}

export const toUnifiedSymbol = (ours: string): string => ours.replace('_', '/');

/** A decimal string in canonical form ('0.10000000' -> '0.1'), or null when it is not a finite number. */
export function decimalOrNull(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  try {
    const d = new Decimal(v);
    return d.isFinite() ? d.toFixed() : null;
  } catch {
    return null;
  }
}

const positiveOrNull = (v: unknown): string | null => {
  const d = decimalOrNull(v);
  return d !== null && new Decimal(d).greaterThan(0) ? d : null;
};

const dateOrNull = (ms: unknown): Date | null => (typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? new Date(ms) : null);

/**
 * One ccxt order (built with `number: String`, so its numbers are decimal strings) as
 * ours, or why it cannot be used. The reasons name the field as the exchange's
 * records do; a bad record is skipped and logged, never fatal for the cycle.
 */
export function toRemoteOrder(o: Ccxt.Order): RemoteOrder | string {
  if (typeof o?.info !== 'object' || o.info === null || Array.isArray(o.info)) return 'not an object';
  if (!o.id) return 'missing order_id';
  const symbol = toOurSymbol(o.symbol);
  if (!symbol) return 'missing or invalid instrument_name';
  const quantity = decimalOrNull(o.amount);
  if (quantity === null) return 'non-numeric quantity';
  const side = o.side === 'buy' ? 'BUY' : o.side === 'sell' ? 'SELL' : null;
  if (!side) return 'missing or invalid side';
  const status = STATUS[String(o.status)];
  if (!status) return 'unknown status';
  const filled = o.filled === undefined || o.filled === null ? '0' : decimalOrNull(o.filled);
  if (filled === null) return 'non-numeric cumulative_quantity';
  return {
    exchangeOrderId: String(o.id),
    clientOrderId: o.clientOrderId ? String(o.clientOrderId) : null,
    symbol,
    side,
    type: String(o.type ?? 'LIMIT').toUpperCase(),
    status,
    quantity,
    price: positiveOrNull(o.price),
    triggerPrice: positiveOrNull(o.triggerPrice ?? o.stopPrice),
    cumulativeQuantity: filled,
    avgPrice: positiveOrNull(o.average),
    createdAt: dateOrNull(o.timestamp),
    updatedAt: dateOrNull(o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? o.timestamp),
  };
}

/** Every currency with a numeric total (free + used), as decimal strings. */
export function toRemoteBalances(b: Ccxt.Balances): { items: RemoteBalance[]; skipped: { reason: string; ref: string }[] } {
  const items: RemoteBalance[] = [];
  const skipped: { reason: string; ref: string }[] = [];
  const totals = (b.total ?? {}) as unknown as Record<string, unknown>;
  for (const [currency, total] of Object.entries(totals)) {
    const quantity = decimalOrNull(total);
    if (quantity === null) skipped.push({ reason: 'non-numeric balance', ref: currency });
    else items.push({ currency, quantity });
  }
  return { items, skipped };
}

/** Last prices keyed by our symbol, from fetchTickers (`last`) or fetchLastPrices (`price`). */
export function toTickers(rows: Record<string, { symbol?: string; last?: unknown; price?: unknown }>): Ticker[] {
  const out: Ticker[] = [];
  for (const [key, t] of Object.entries(rows)) {
    const symbol = toOurSymbol(t?.symbol ?? key);
    const last = positiveOrNull(t?.last ?? t?.price);
    if (symbol && last) out.push({ symbol, last });
  }
  return out;
}
