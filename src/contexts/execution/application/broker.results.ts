import { AccountBalance, ExchangeOrder } from '../domain/execution.ports';

/** What the broker use cases return; http/broker.mappers.ts turns them into the seed's snake_case answers. */
export interface PingResult {
  mode: string;
  serverTime: number;
  clockSkewMs: number;
  latencyMs: number;
}

export interface BalanceResult {
  mode: string;
  balances: AccountBalance[];
  makerCommission: string | null;
  takerCommission: string | null;
}

export interface Position extends AccountBalance {
  total: string;
}

export interface PositionsResult {
  mode: string;
  positions: Position[];
}

export interface AccountInfoResult {
  mode: string;
  accountType: string;
  canTrade: boolean;
  permissions: string[];
  makerCommission: string | null;
  takerCommission: string | null;
  assetsWithBalance: number;
}

export interface ProtectionError {
  /** The exchange's error code, else binance_upstream_error / binance_upstream_unreachable. */
  code: number | string;
  upstreamStatus: number | null;
  message: string;
}

export interface ProtectionResult {
  /** PENDING: the OCO's answer did not come back (timeout, 5xx; the reconciliation job records its legs), or, in paper
   * mode, the entry has not filled yet (the pair is placed when it does). */
  status: 'PLACED' | 'FAILED' | 'PENDING';
  orderListId: string | null;
  stopLoss: string;
  takeProfit: string;
  orders: ExchangeOrder[];
  error: ProtectionError | null;
}

export interface PlacedOrder {
  mode: string;
  entry: ExchangeOrder;
  protection: ProtectionResult | null;
}

export interface OrderResult {
  mode: string;
  order: ExchangeOrder;
}
