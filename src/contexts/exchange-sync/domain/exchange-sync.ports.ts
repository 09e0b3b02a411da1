import { ExchangeOrder } from './exchange-order';
import { OcoSettings } from './oco';
import { Portfolio } from './valuation';
import { WatchlistItem } from './watchlist';

export abstract class ExchangeOrderRepository {
  /** Rows the incoming data may touch: every non-terminal row of the user plus rows with these ids. */
  abstract findForReconcile(
    userId: string,
    exchange: string,
    exchangeOrderIds: string[],
    clientOrderIds: string[],
  ): Promise<ExchangeOrder[]>;
  abstract insert(order: ExchangeOrder): Promise<void>;
  abstract update(order: ExchangeOrder): Promise<void>;
  /** Inserts both legs unless the entry already has them (unique per parent + role); false when it had. */
  abstract insertOcoPair(stopLoss: ExchangeOrder, takeProfit: ExchangeOrder): Promise<boolean>;
  /** Non-terminal OCO legs of the user. */
  abstract activeLegs(userId: string, exchange: string): Promise<ExchangeOrder[]>;
  abstract legsOfGroups(groupIds: string[]): Promise<ExchangeOrder[]>;
  abstract listOpen(userId: string): Promise<ExchangeOrder[]>;
  abstract listExecuted(userId: string, limit: number): Promise<ExchangeOrder[]>;
}

export interface StoredPortfolio extends Portfolio {
  syncedAt: Date | null;
}

export interface HeldPosition {
  userId: string;
  currency: string;
  quantity: string;
  usdValue: string | null;
}

export abstract class PortfolioRepository {
  abstract replace(userId: string, exchange: string, portfolio: Portfolio, at: Date): Promise<void>;
  abstract get(userId: string, exchange: string): Promise<StoredPortfolio>;
  /** Non-USD balances with a positive quantity, every user. */
  abstract positions(exchange: string, usdLike: string[]): Promise<HeldPosition[]>;
}

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'INTERRUPTED';

export interface SyncRun {
  id: string;
  trigger: 'schedule' | 'manual';
  scope: 'all' | 'user';
  requestedBy: string | null;
  instanceId: string;
  status: RunStatus;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  usersTotal: number;
  usersOk: number;
  usersFailed: number;
  balances: number;
  openOrders: number;
  ordersUpserted: number;
  ocoPairsCreated: number;
  failures: { user_id: string; error: string }[];
}

export interface UserSyncState {
  userId: string;
  firstSyncedAt: Date | null;
  lastSyncAt: Date | null;
  lastStatus: 'ok' | 'failed' | null;
  lastError: string | null;
}

export abstract class SyncStateRepository {
  /** Inserts the RUNNING row; false when another cycle is RUNNING (one at a time, across instances). */
  abstract claimRun(run: SyncRun): Promise<boolean>;
  abstract heartbeat(runId: string, at: Date): Promise<void>;
  abstract finishRun(run: SyncRun): Promise<void>;
  /** Marks RUNNING rows INTERRUPTED when their heartbeat is older than `staleBefore` or they belong to `instanceId`. */
  abstract interruptStale(staleBefore: Date, instanceId?: string): Promise<number>;
  abstract lastRun(): Promise<SyncRun | null>;
  abstract runningRun(): Promise<SyncRun | null>;
  abstract lastCompletedScheduledStart(): Promise<Date | null>;
  abstract userState(userId: string, exchange: string): Promise<UserSyncState | null>;
  abstract recordUserResult(userId: string, exchange: string, at: Date, error: string | null): Promise<void>;
  abstract settings(userId: string): Promise<OcoSettings | null>;
  abstract saveSettings(userId: string, settings: OcoSettings, at: Date): Promise<void>;
  /** One daily alert per day across instances: false when `day` was already claimed. */
  abstract claimAlertDay(day: string, at: Date): Promise<boolean>;
}

export abstract class WatchlistRepository {
  abstract list(userId: string): Promise<WatchlistItem[]>;
  abstract count(userId: string): Promise<number>;
  /** false when the symbol was already there. */
  abstract add(item: WatchlistItem): Promise<boolean>;
  abstract remove(userId: string, symbol: string): Promise<boolean>;
  abstract replace(userId: string, items: WatchlistItem[]): Promise<void>;
}
