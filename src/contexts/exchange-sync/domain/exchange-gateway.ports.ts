import type { ExchangeCredentials } from '../../vault';

export type OrderSide = 'BUY' | 'SELL';
export type OrderStatus = 'PENDING' | 'NEW' | 'ACTIVE' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
export const isTerminal = (s: OrderStatus): boolean => TERMINAL_STATUSES.includes(s);

/** An order as the exchange reports it, already validated (decimals as strings). */
export interface RemoteOrder {
  exchangeOrderId: string;
  clientOrderId: string | null;
  symbol: string; // BTC_USDT
  side: OrderSide;
  type: string; // LIMIT, MARKET, STOP_LOSS, TAKE_PROFIT...
  status: OrderStatus;
  quantity: string;
  price: string | null;
  triggerPrice: string | null;
  cumulativeQuantity: string;
  avgPrice: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface RemoteBalance {
  currency: string;
  quantity: string;
}

export interface Ticker {
  symbol: string;
  last: string;
}

export interface Instrument {
  symbol: string;
  base: string;
  quote: string;
  priceTick: string | null;
  qtyTick: string | null;
}

/** What the adapter could not parse: skipped and logged, never fatal for the cycle. */
export interface SkippedRecord {
  reason: string;
  ref: string | null;
}

export interface Parsed<T> {
  items: T[];
  skipped: SkippedRecord[];
}

export interface PlaceOrderRequest {
  symbol: string;
  side: OrderSide;
  type: 'STOP_LOSS' | 'TAKE_PROFIT';
  quantity: string;
  triggerPrice: string;
  clientOrderId: string;
}

export type ExchangeErrorKind = 'auth' | 'rate_limited' | 'unavailable' | 'timeout' | 'bad_response' | 'rejected' | 'not_found';

/** A controlled failure from the exchange: never carries a key or a signature. */
export class ExchangeError extends Error {
  constructor(
    readonly kind: ExchangeErrorKind,
    message: string,
    readonly exchangeCode?: string | number,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/** Port to one exchange. Credentials are passed per call and never kept. */
export abstract class ExchangeGateway {
  abstract readonly exchange: 'CRYPTO_COM';
  abstract fetchInstruments(): Promise<Instrument[]>;
  abstract fetchTickers(): Promise<Ticker[]>;
  abstract fetchBalances(creds: ExchangeCredentials): Promise<Parsed<RemoteBalance>>;
  abstract fetchOpenOrders(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>>;
  abstract fetchOrderHistory(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>>;
  /** null when the exchange does not know the order. */
  abstract fetchOrder(creds: ExchangeCredentials, exchangeOrderId: string): Promise<RemoteOrder | null>;
  abstract placeOrder(creds: ExchangeCredentials, req: PlaceOrderRequest): Promise<{ exchangeOrderId: string }>;
  abstract cancelOrder(creds: ExchangeCredentials, symbol: string, exchangeOrderId: string): Promise<void>;
}
