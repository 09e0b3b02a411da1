import type { Decimal } from '@kernel';
import type { ExchangeCredentials } from '../../vault';
import { KillSwitchState } from './risk';
import { Side } from './order-spec';
import { SymbolRules } from './symbol-rules';

/** Which Binance deployment: the testnet, or the real exchange when LIVE_TRADING=true. */
export type BinanceTarget = 'testnet' | 'live';

export interface BinanceOrderRequest {
  symbol: string;
  side: Side;
  type: 'MARKET' | 'LIMIT';
  qty: string;
  price?: string;
  /** newClientOrderId: the same id on a retry, so the exchange refuses a double. */
  clientOrderId: string;
}

export interface BinanceOcoRequest {
  symbol: string;
  /** The protection's side: opposite to the entry. */
  side: Side;
  qty: string;
  takeProfit: string;
  stopLoss: string;
  listClientOrderId: string;
  /** Our ids for the legs (aboveClientOrderId / belowClientOrderId), so each leg can be looked up if the answer is lost. */
  takeProfitClientOrderId: string;
  stopLossClientOrderId: string;
}

export interface ExchangeOrder {
  orderId: string;
  clientOrderId: string | null;
  symbol: string;
  side: string;
  type: string;
  status: string;
  price: string | null;
  origQty: string;
  executedQty: string;
  /** Quote filled so far (cummulativeQuoteQty), when the exchange says. */
  cumulativeQuoteQty: string | null;
  transactTime: string | null;
}

export interface ExchangeOco {
  orderListId: string;
  listClientOrderId: string | null;
  status: string;
  orders: ExchangeOrder[];
}

export interface AccountBalance {
  asset: string;
  free: string;
  locked: string;
}

export interface AccountSnapshot {
  canTrade: boolean;
  accountType: string;
  makerCommission: string | null;
  takerCommission: string | null;
  permissions: string[];
  balances: AccountBalance[];
}

/** GET /sapi/v1/account/apiRestrictions: what the key may do. */
export interface KeyRestrictions {
  ipRestrict: boolean;
  enableWithdrawals: boolean;
  enableMargin: boolean;
  enableFutures: boolean;
  enableSpotAndMarginTrading: boolean;
  enableReading: boolean;
}

/** What the request to the exchange would look like; never the key or the signature. */
export interface RequestPreview {
  method: string;
  url: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  signed: boolean;
}

/**
 * The port to a crypto exchange (Binance spot here, through ccxt). Every method
 * throws ExchangeUpstreamError for anything the exchange refuses or when it is down.
 */
export abstract class ExchangeGateway {
  /** All symbols' rules from /api/v3/exchangeInfo (one call). */
  abstract exchangeInfo(target: BinanceTarget): Promise<Map<string, SymbolRules>>;
  abstract lastPrice(target: BinanceTarget, symbol: string): Promise<Decimal>;
  abstract ping(target: BinanceTarget): Promise<{ serverTime: number }>;
  abstract testOrder(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest): Promise<void>;
  abstract placeOrder(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest): Promise<ExchangeOrder>;
  abstract placeOco(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOcoRequest): Promise<ExchangeOco>;
  abstract cancelOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder>;
  abstract getOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder>;
  /** GET /api/v3/order by origClientOrderId: null when the exchange does not know that client id (-2013). */
  abstract findOrderByClientId(
    target: BinanceTarget,
    creds: ExchangeCredentials,
    symbol: string,
    clientOrderId: string,
  ): Promise<ExchangeOrder | null>;
  abstract account(target: BinanceTarget, creds: ExchangeCredentials): Promise<AccountSnapshot>;
  abstract keyRestrictions(target: BinanceTarget, creds: ExchangeCredentials): Promise<KeyRestrictions>;
  /** The request `testOrder` / `placeOrder` would send, for the dry run. */
  abstract previewOrder(target: BinanceTarget, req: BinanceOrderRequest, test: boolean): RequestPreview;
}

export interface WhatIfPreview {
  conid: string;
  commission: string | null;
  marginChange: string | null;
  equityChange: string | null;
  amount: string | null;
  warnings: string[];
}

/** IBKR Client Portal: auth status, contract search, what-if preview. */
export abstract class IbkrGateway {
  abstract readonly configured: boolean;
  abstract whatIf(req: { symbol: string; side: Side; qty: string }): Promise<WhatIfPreview & { accountId: string }>;
}

export abstract class KillSwitchRepository {
  abstract get(): Promise<KillSwitchState>;
  abstract set(state: KillSwitchState): Promise<void>;
}

export interface BrokerOrderRecord {
  id: string;
  userId: string;
  exchange: 'BINANCE';
  target: BinanceTarget;
  symbol: string;
  side: Side;
  type: string;
  qty: string;
  price: string | null;
  notionalUsd: string;
  clientOrderId: string;
  /** null while PENDING (recorded, not yet confirmed by the exchange) and when it never got there. */
  exchangeOrderId: string | null;
  status: BrokerOrderStatus;
  filledQty: string;
  filledQuote: string;
  /** Why an order is REJECTED or NOT_SENT. */
  statusReason: string | null;
  role: 'ENTRY' | 'STOP_LOSS' | 'TAKE_PROFIT';
  ocoGroupId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * PENDING: recorded before it was sent, outcome not known yet. NOT_SENT: the exchange never got it (not found by
 * client id after the grace period, or not sent at all). REJECTED: the exchange refused it. The rest are Binance's.
 */
export type BrokerOrderStatus = 'PENDING' | 'NOT_SENT' | 'REJECTED' | string;

/** What the exchange (or our giving up) says about an order. */
export interface OrderOutcome {
  status: BrokerOrderStatus;
  exchangeOrderId: string | null;
  filledQty: string;
  filledQuote: string;
  reason: string | null;
}

export abstract class BrokerOrderRepository {
  abstract insert(order: BrokerOrderRecord): Promise<void>;
  /** The intent; false (nothing written) when the user already has an order with this client order id. */
  abstract insertIntent(order: BrokerOrderRecord): Promise<boolean>;
  abstract findById(id: string): Promise<BrokerOrderRecord | null>;
  abstract findByClientOrderId(userId: string, clientOrderId: string): Promise<BrokerOrderRecord | null>;
  abstract findByExchangeOrderId(userId: string, symbol: string, exchangeOrderId: string): Promise<BrokerOrderRecord | null>;
  /** Applies the outcome only while the order is still in `from` (settled once): true when it did. */
  abstract settle(id: string, from: BrokerOrderStatus, outcome: OrderOutcome, at: Date): Promise<boolean>;
  /** The measured round trip of the call that sent these orders (performance's average latency). */
  abstract recordLatency(ids: string[], latencyMs: number): Promise<void>;
  /** PENDING orders created before `pendingBefore` and open ones (NEW, PARTIALLY_FILLED), least recently updated first. */
  abstract unsettled(pendingBefore: Date, limit: number): Promise<BrokerOrderRecord[]>;
  /** Net USD notional (BUY minus SELL) of the user's ENTRY orders that are live, filled or possibly live (PENDING). */
  abstract exposureUsd(userId: string, symbol: string): Promise<Decimal>;
}
