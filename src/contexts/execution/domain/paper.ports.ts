import type { Decimal } from '@kernel';
import type { AccountBalance } from './execution.ports';
import type { Side } from './order-spec';
import type { PaperOrderType } from './paper';
import type { TradingMode } from './trading-mode';

export type PaperOrderStatus = 'NEW' | 'FILLED' | 'CANCELED';

/** One paper order; decimals as strings. Whole fills only: executedQty is 0 or qty. */
export interface PaperOrder {
  id: string;
  userId: string;
  /** The account's epoch when placed: a reset starts a new one, and metrics count only the current. */
  epoch: number;
  /** Numeric like Binance's orderId (a sequence). */
  orderId: string;
  clientOrderId: string;
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  side: Side;
  type: PaperOrderType;
  status: PaperOrderStatus;
  price: string | null;
  stopPrice: string | null;
  qty: string;
  executedQty: string;
  role: 'ENTRY' | 'STOP_LOSS' | 'TAKE_PROFIT';
  ocoGroupId: string | null;
  /** An entry's protection, placed as an OCO pair when it fills. */
  stopLoss: string | null;
  takeProfit: string | null;
  /** Held back from `reservedAsset` while open (an OCO pair shares its legs' one reserve). */
  reserved: string;
  reservedAsset: string | null;
  /** The price seen at send (MARKET) or the limit: slippage is measured against it. */
  referencePrice: string | null;
  fillPrice: string | null;
  fee: string | null;
  /** The public price call that produced the fill. */
  latencyMs: string | null;
  createdAt: Date;
  updatedAt: Date;
  filledAt: Date | null;
}

/** The paper accounts: balances per asset and the simulated order book, per user. */
export abstract class PaperBook {
  /** Locks the user's account for this transaction (created with `startUsdt` on first use); returns its epoch. */
  abstract lockAccount(userId: string, startUsdt: string, at: Date): Promise<number>;
  abstract balances(userId: string): Promise<AccountBalance[]>;
  /** Adds the deltas to the asset's free and locked amounts (a missing asset starts at 0). */
  abstract adjust(userId: string, asset: string, freeDelta: Decimal, lockedDelta: Decimal): Promise<void>;
  abstract nextOrderId(): Promise<string>;
  abstract insert(o: PaperOrder): Promise<void>;
  abstract update(o: PaperOrder): Promise<void>;
  abstract find(userId: string, symbol: string, orderId: string): Promise<PaperOrder | null>;
  abstract group(userId: string, ocoGroupId: string): Promise<PaperOrder[]>;
  /** Symbols with open orders in any current epoch (the fill job's work list). */
  abstract openSymbols(): Promise<string[]>;
  abstract openOrders(symbol: string): Promise<PaperOrder[]>;
  /** Net USD notional of the user's open or filled entries in this epoch (the risk manager's exposure). */
  abstract exposureUsd(userId: string, symbol: string, epoch: number): Promise<Decimal>;
  /** FILLED orders of the user's current epoch up to `to`, oldest first. */
  abstract fills(userId: string, to: Date): Promise<PaperOrder[]>;
  /** A new epoch: open orders cancelled, balances back to `startUsdt` USDT. */
  abstract reset(userId: string, startUsdt: string, at: Date): Promise<number>;
}

export abstract class TradingModeRepository {
  abstract get(userId: string): Promise<TradingMode | null>;
  abstract set(userId: string, mode: TradingMode, at: Date): Promise<void>;
}
