import { Decimal, DomainError, FieldError } from '@kernel';

export const VENUES = ['BINANCE', 'IBKR'] as const;
export type Venue = (typeof VENUES)[number];
export const SIDES = ['BUY', 'SELL'] as const;
export type Side = (typeof SIDES)[number];
export const ORDER_TYPES = ['MARKET', 'LIMIT'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** A validated order intent: every value checked, quantities exact. */
export interface OrderSpec {
  exchange: Venue;
  symbol: string;
  side: Side;
  type: OrderType;
  qty: Decimal;
  price?: Decimal;
}

export interface RawOrderInput {
  exchange?: unknown;
  symbol?: unknown;
  side?: unknown;
  qty?: unknown;
  type?: unknown;
  price?: unknown;
}

/** Nobody trades a billion units in one order: larger is a typo or an attack. */
export const MAX_QTY = new Decimal('1000000000');
export const MAX_PRICE = new Decimal('1000000000');
const MAX_DECIMALS = 8;
const DECIMAL_TEXT = /^\d{1,12}(\.\d{1,18})?$/;

/** A positive, finite, bounded decimal from a JSON number or a decimal string. */
export function parseAmount(value: unknown, field: string, max: Decimal, errors: FieldError[]): Decimal | undefined {
  const fail = (m: string) => {
    errors.push({ field, messages: [m] });
    return undefined;
  };
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(`${field} must be a finite number`);
    text = String(value);
    if (/e/i.test(text)) {
      if (value > 1) return fail(`${field} must be at most ${max.toFixed()}`);
      text = value.toFixed(MAX_DECIMALS + 2);
    }
  } else if (typeof value === 'string' && value.trim() !== '') {
    text = value.trim();
  } else if (value === undefined || value === null) {
    return fail(`${field} is required`);
  } else {
    return fail(`${field} must be a number`);
  }
  if (!DECIMAL_TEXT.test(text)) {
    if (/^-/.test(text)) return fail(`${field} must be greater than 0`);
    if (/^\d+(\.\d+)?$/.test(text)) return fail(`${field} must be at most ${max.toFixed()}`);
    return fail(`${field} must be a number`);
  }
  const d = new Decimal(text);
  if (d.lte(0)) return fail(`${field} must be greater than 0`);
  if (d.gt(max)) return fail(`${field} must be at most ${max.toFixed()}`);
  if (d.decimalPlaces() > MAX_DECIMALS) return fail(`${field} must have at most ${MAX_DECIMALS} decimal places`);
  return d;
}

/** Binance spot symbols are base+quote with no separator, upper case (BTCUSDT). */
export function binanceSymbolProblem(symbol: string): string | null {
  if (symbol.length > 20) return 'symbol must be at most 20 characters';
  if (/[/\-_: ]/.test(symbol)) return `symbol must have no separator for Binance: use ${symbol.replace(/[/\-_: ]/g, '').toUpperCase()}`;
  if (symbol !== symbol.toUpperCase()) return `symbol must be upper case for Binance, e.g. ${symbol.toUpperCase()}`;
  if (!/^[A-Z0-9]{5,20}$/.test(symbol)) return 'symbol must be 5-20 upper-case letters or digits, e.g. BTCUSDT';
  return null;
}

/** IBKR stock tickers: AAPL, BRK.B, upper case. */
export function ibkrSymbolProblem(symbol: string): string | null {
  if (symbol.length > 12) return 'symbol must be at most 12 characters';
  if (symbol !== symbol.toUpperCase()) return `symbol must be upper case for IBKR, e.g. ${symbol.toUpperCase()}`;
  if (!/^[A-Z][A-Z0-9]{0,9}(\.[A-Z]{1,2})?$/.test(symbol)) return 'symbol must be a ticker such as AAPL or BRK.B';
  return null;
}

/**
 * Validates an order intent and lists EVERY bad field in one 400, before any
 * credential lookup or upstream call.
 */
export function parseOrderSpec(input: RawOrderInput, defaults: { exchange?: Venue; maxQty?: Decimal } = {}): OrderSpec {
  const errors: FieldError[] = [];
  const push = (field: string, m: string) => errors.push({ field, messages: [m] });

  const exchange = input.exchange ?? defaults.exchange;
  if (typeof exchange !== 'string' || !(VENUES as readonly string[]).includes(exchange)) {
    push('exchange', `exchange must be one of ${VENUES.join(', ')}`);
  }
  const venue = exchange as Venue;

  let symbol = '';
  if (typeof input.symbol !== 'string' || input.symbol.length === 0) push('symbol', 'symbol is required');
  else {
    symbol = input.symbol;
    const problem = venue === 'IBKR' ? ibkrSymbolProblem(symbol) : binanceSymbolProblem(symbol);
    if (problem) push('symbol', problem);
  }

  if (typeof input.side !== 'string' || !(SIDES as readonly string[]).includes(input.side)) {
    push('side', `side must be one of ${SIDES.join(', ')}`);
  }

  // The configured bound (RISK_MAX_QTY) is a validation error naming qty, not a failed check.
  const qty = parseAmount(input.qty, 'qty', Decimal.min(defaults.maxQty ?? MAX_QTY, MAX_QTY), errors);

  let type: OrderType = input.price === undefined || input.price === null ? 'MARKET' : 'LIMIT';
  if (input.type !== undefined && input.type !== null) {
    if (typeof input.type !== 'string' || !(ORDER_TYPES as readonly string[]).includes(input.type)) {
      push('type', `type must be one of ${ORDER_TYPES.join(', ')}`);
    } else type = input.type as OrderType;
  }

  let price: Decimal | undefined;
  if (input.price !== undefined && input.price !== null) {
    if (type === 'MARKET') push('price', 'price is not allowed on a MARKET order (use type LIMIT)');
    else price = parseAmount(input.price, 'price', MAX_PRICE, errors);
  } else if (type === 'LIMIT') push('price', 'price is required for a LIMIT order');

  if (errors.length) throw DomainError.validation(errors);
  return { exchange: venue, symbol, side: input.side as Side, type, qty: qty!, price };
}
