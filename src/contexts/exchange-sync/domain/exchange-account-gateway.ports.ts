import type { Exchange, ExchangeCredentials } from '../../vault';

export type OrderSide = 'BUY' | 'SELL';
export type OrderStatus = 'PENDING' | 'NEW' | 'ACTIVE' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
export const isTerminal = (s: OrderStatus): boolean => TERMINAL_STATUSES.includes(s);

/** An order as the exchange reports it, already validated (decimals as strings). */
export interface RemoteOrder {
  exchangeOrderId: string;
  clientOrderId: string | null;
  symbol: string; // BTC_USDT on every exchange (BASE_QUOTE)
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

/** Both legs of an OCO protection, placed as one order list where the exchange has one (Binance). */
export interface PlaceOcoRequest {
  symbol: string;
  side: OrderSide;
  quantity: string;
  stopLoss: { triggerPrice: string; clientOrderId: string };
  takeProfit: { triggerPrice: string; clientOrderId: string };
  listClientOrderId: string;
}

/** The account side of one exchange (balances, orders). Credentials are passed per call and never kept. */
export abstract class ExchangeAccountGateway {
  abstract readonly exchange: Exchange;
  /** true: order history is asked per symbol (Binance allOrders), for the symbols the caller names. */
  abstract readonly historyPerSymbol: boolean;
  /** true: both OCO legs go to the exchange as one order list (`placeOco`); false: two trigger orders. */
  abstract readonly nativeOco: boolean;
  abstract fetchInstruments(): Promise<Instrument[]>;
  abstract fetchTickers(): Promise<Ticker[]>;
  abstract fetchBalances(creds: ExchangeCredentials): Promise<Parsed<RemoteBalance>>;
  abstract fetchOpenOrders(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>>;
  /** Recent history; `symbols` (BTC_USDT) only where `historyPerSymbol`. */
  abstract fetchOrderHistory(creds: ExchangeCredentials, symbols: string[]): Promise<Parsed<RemoteOrder>>;
  /** null when the exchange does not know the order. */
  abstract fetchOrder(creds: ExchangeCredentials, exchangeOrderId: string, symbol: string): Promise<RemoteOrder | null>;
  abstract placeOrder(creds: ExchangeCredentials, req: PlaceOrderRequest): Promise<{ exchangeOrderId: string }>;
  abstract placeOco(creds: ExchangeCredentials, req: PlaceOcoRequest): Promise<{ stopLossOrderId: string; takeProfitOrderId: string }>;
  abstract cancelOrder(creds: ExchangeCredentials, symbol: string, exchangeOrderId: string): Promise<void>;
}

/** The gateways of every exchange the sync covers (EXCHANGE_SYNC_EXCHANGES), in that order. */
export abstract class ExchangeAccountGateways {
  abstract readonly all: readonly ExchangeAccountGateway[];
  abstract get(exchange: string): ExchangeAccountGateway | undefined;
}
