import { Injectable } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeOrder } from '../domain/exchange-order';
import {
  ExchangeOrderRepository,
  PortfolioRepository,
  StoredPortfolio,
  SyncRun,
  SyncStateRepository,
  UserSyncState,
} from '../domain/exchange-sync.ports';
import { WatchlistRepository } from '../domain/exchange-sync.ports';
import { SignalsService, SymbolSignal } from './signals.service';
import { EXCHANGE } from './user-sync.service';

export interface DashboardState {
  openOrders: ExchangeOrder[];
  executedOrders: ExchangeOrder[];
  portfolio: StoredPortfolio;
  watchlist: string[];
  signals: SymbolSignal[];
  lastSyncAt: Date | null;
  mode: 'DRY_RUN' | 'LIVE';
}

export interface SyncStatus {
  lastRun: SyncRun | null;
  lastCycle: SyncRun | null;
  running: boolean;
  intervalSeconds: number;
  mode: 'DRY_RUN' | 'LIVE';
  me: UserSyncState | null;
}

/** Read side: what the dashboard and the ops status show (all from the database, no exchange call). */
@Injectable()
export class DashboardService {
  constructor(
    private readonly orders: ExchangeOrderRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly watchlist: WatchlistRepository,
    private readonly state: SyncStateRepository,
    private readonly signals: SignalsService,
    private readonly config: AppConfig,
  ) {}

  private get mode(): 'DRY_RUN' | 'LIVE' {
    return this.config.liveTrading ? 'LIVE' : 'DRY_RUN';
  }

  async dashboard(userId: string): Promise<DashboardState> {
    // Sequential on purpose: cheap indexed reads.
    const openOrders = await this.orders.listOpen(userId);
    const executedOrders = await this.orders.listExecuted(userId, 100);
    const portfolio = await this.portfolios.get(userId, EXCHANGE);
    const watchlist = await this.watchlist.list(userId);
    const sync = await this.state.userState(userId, EXCHANGE);
    const signals = await this.signals.latestFor(userId);
    return {
      openOrders,
      executedOrders,
      portfolio,
      watchlist: watchlist.map((w) => w.symbol),
      signals,
      lastSyncAt: sync?.lastSyncAt ?? null,
      mode: this.mode,
    };
  }

  async status(userId: string): Promise<SyncStatus> {
    const lastRun = await this.state.lastRun();
    const lastCycle = lastRun?.scope === 'all' ? lastRun : await this.state.lastCycle();
    const me = await this.state.userState(userId, EXCHANGE);
    const running = [lastRun, lastCycle].some((r) => r?.status === 'RUNNING');
    return { lastRun, lastCycle, running, intervalSeconds: this.config.exchangeSyncIntervalSeconds, mode: this.mode, me };
  }
}
