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
  /** false when this user already has that exchange order (a concurrent sync wrote it first). */
  abstract insert(order: ExchangeOrder): Promise<boolean>;
  abstract update(order: ExchangeOrder): Promise<void>;
  /** Inserts both legs unless the entry already has them (unique per parent + role); false when it had. */
  abstract insertOcoPair(stopLoss: ExchangeOrder, takeProfit: ExchangeOrder): Promise<boolean>;
  /** Non-terminal OCO legs of the user. */
  abstract activeLegs(userId: string, exchange: string): Promise<ExchangeOrder[]>;
  abstract legsOfGroups(groupIds: string[]): Promise<ExchangeOrder[]>;
  /** Distinct symbols of the user's rows on that exchange: those with a non-terminal row first, then the most recent. */
  abstract recordedSymbols(userId: string, exchange: string): Promise<{ symbol: string; open: boolean }[]>;
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
  /** The instance that planned the run (created its jobs). */
  instanceId: string;
  status: RunStatus;
  startedAt: Date;
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
  /** Each instance that worked users of this run, with how many. */
  workers: { instanceId: string; users: number }[];
}

/** One user's result within a run (recorded once: the run + user pair is unique). */
export interface RunUserResult {
  runId: string;
  userId: string;
  status: 'ok' | 'failed';
  error: string | null;
  instanceId: string;
  balances: number;
  openOrders: number;
  ordersUpserted: number;
  ocoPairsCreated: number;
  finishedAt: Date;
}

export interface UserSyncState {
  userId: string;
  firstSyncedAt: Date | null;
  lastSyncAt: Date | null;
  lastStatus: 'ok' | 'failed' | null;
  lastError: string | null;
}

export abstract class SyncStateRepository {
  /** Inserts the RUNNING row; false when a run with this id exists (a retried planning job). */
  abstract createRun(run: SyncRun): Promise<boolean>;
  abstract getRun(runId: string): Promise<SyncRun | null>;
  /** The newest run of any kind, and the newest cycle (scope all). */
  abstract lastRun(): Promise<SyncRun | null>;
  abstract lastCycle(): Promise<SyncRun | null>;
  abstract userDone(runId: string, userId: string): Promise<boolean>;
  /** false when this user's result in this run was already recorded. */
  abstract recordRunUser(result: RunUserResult): Promise<boolean>;
  /** Marks the run COMPLETED with its totals once every user has a result; the run when this call completed it. */
  abstract completeIfDone(runId: string, at: Date): Promise<SyncRun | null>;
  /** Serializes the writes of concurrent syncs of one user (transaction-scoped). */
  abstract lockUser(userId: string): Promise<void>;
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
