import { Injectable } from '@nestjs/common';
import { ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeAccountGateways } from '../domain/exchange-account-gateway.ports';
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
import { combinePortfolios, Portfolio } from '../domain/valuation';
import { SignalsService, SymbolSignal } from './signals.service';

export interface ExchangeSnapshot extends StoredPortfolio {
  exchange: string;
  lastSyncAt: Date | null;
}

export interface DashboardState {
  openOrders: ExchangeOrder[];
  executedOrders: ExchangeOrder[];
  /** Every connected exchange's balances as one. */
  portfolio: Portfolio;
  /** Each exchange the user has credentials for or a synced portfolio on. */
  byExchange: ExchangeSnapshot[];
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
    private readonly gateways: ExchangeAccountGateways,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly config: AppConfig,
  ) {}

  private get mode(): 'DRY_RUN' | 'LIVE' {
    return this.config.liveTrading ? 'LIVE' : 'DRY_RUN';
  }

  async dashboard(userId: string): Promise<DashboardState> {
    // Sequential on purpose: cheap indexed reads.
    const openOrders = await this.orders.listOpen(userId);
    const executedOrders = await this.orders.listExecuted(userId, 100);
    const byExchange: ExchangeSnapshot[] = [];
    for (const { exchange } of this.gateways.all) {
      const portfolio = await this.portfolios.get(userId, exchange);
      const sync = await this.state.userState(userId, exchange);
      if (!sync && !portfolio.syncedAt && !(await this.credentials.hasCredentials(userId, exchange))) continue;
      byExchange.push({ exchange, ...portfolio, lastSyncAt: sync?.lastSyncAt ?? null });
    }
    const watchlist = await this.watchlist.list(userId);
    const signals = await this.signals.latestFor(userId);
    const synced = byExchange.map((e) => e.lastSyncAt).filter((d): d is Date => d !== null);
    return {
      openOrders,
      executedOrders,
      portfolio: combinePortfolios(byExchange),
      byExchange,
      watchlist: watchlist.map((w) => w.symbol),
      signals,
      lastSyncAt: synced.length ? new Date(Math.max(...synced.map((d) => d.getTime()))) : null,
      mode: this.mode,
    };
  }

  async status(userId: string): Promise<SyncStatus> {
    const lastRun = await this.state.lastRun();
    const lastCycle = lastRun?.scope === 'all' ? lastRun : await this.state.lastCycle();
    // One line for the user across exchanges: a failing exchange first (it needs action), else the latest sync.
    const states: UserSyncState[] = [];
    for (const { exchange } of this.gateways.all) {
      const st = await this.state.userState(userId, exchange);
      if (st) states.push(st);
    }
    const me =
      states.find((st) => st.lastStatus === 'failed') ??
      states.sort((a, b) => (b.lastSyncAt?.getTime() ?? 0) - (a.lastSyncAt?.getTime() ?? 0))[0] ??
      null;
    const running = [lastRun, lastCycle].some((r) => r?.status === 'RUNNING');
    return { lastRun, lastCycle, running, intervalSeconds: this.config.exchangeSyncIntervalSeconds, mode: this.mode, me };
  }
}
