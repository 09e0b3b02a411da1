import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, newId, UnitOfWork } from '@kernel';
import { type ExchangeCredentials, ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import {
  ExchangeAccountGateway,
  ExchangeAccountGateways,
  ExchangeError,
  Parsed,
  RemoteBalance,
  RemoteOrder,
} from '../domain/exchange-account-gateway.ports';
import { ExchangeOrder, reconcileOrders } from '../domain/exchange-order';
import { ExchangeOrderRepository, PortfolioRepository, SyncStateRepository, WatchlistRepository } from '../domain/exchange-sync.ports';
import { historySymbols } from '../domain/history-symbols';
import { OcoSettings } from '../domain/oco';
import { valuePortfolio } from '../domain/valuation';
import { MarketSnapshot, OcoProtectionService } from './oco-protection.service';
import { failureMessage, isUserFailure, UserSyncFailed } from './sync-failure';

export type { MarketSnapshot } from './oco-protection.service';

/** Open rows missing from both lists are looked up one by one, up to this many per sync. */
const MAX_DETAIL_LOOKUPS = 20;

export interface UserSyncOutcome {
  balances: number;
  openOrders: number;
  ordersUpserted: number;
  ocoPairsCreated: number;
  skipped: number;
  /** Set when an exchange of the user failed while another synced (the failed one named in it). */
  error: string | null;
}

/** This run already holds the user's result (the job was delivered twice); nothing was written. */
export class AlreadySynced extends Error {
  constructor() {
    super('already synced in this run');
    this.name = 'AlreadySynced';
  }
}

/** What one exchange said about the user's account (fetched outside the transaction). */
interface Fetched {
  gateway: ExchangeAccountGateway;
  creds: ExchangeCredentials;
  market: MarketSnapshot;
  balances: Parsed<RemoteBalance>;
  open: Parsed<RemoteOrder>;
  history: Parsed<RemoteOrder>;
  details: RemoteOrder[];
}

/**
 * One user's sync, for every exchange the user has credentials for: balances ->
 * portfolio, open orders, order history, then OCO protection. Exchange calls happen
 * outside the transaction; everything the sync writes for the user commits in one
 * transaction (so a crash mid-cycle leaves each user either fully synced or untouched),
 * then live OCO legs are placed / cancelled. One exchange failing does not stop another.
 */
@Injectable()
export class UserSyncService {
  private readonly logger = new Logger('ExchangeSync');

  constructor(
    private readonly gateways: ExchangeAccountGateways,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly orders: ExchangeOrderRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly watchlist: WatchlistRepository,
    private readonly state: SyncStateRepository,
    private readonly oco: OcoProtectionService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async settingsFor(userId: string): Promise<OcoSettings> {
    return (await this.state.settings(userId)) ?? { stopLossPct: this.config.ocoStopLossPct, takeProfitPct: this.config.ocoTakeProfitPct };
  }

  /** "Missing credentials for CRYPTO_COM" (the first synced exchange) when the user has none of them. */
  missingCredentials(): DomainError {
    return DomainError.invalid('missing_credentials', `Missing credentials for ${this.gateways.all[0]?.exchange ?? 'CRYPTO_COM'}`);
  }

  /**
   * `record` runs last inside the user's write transaction; when it answers false
   * (this run already has the user's result: a job delivered twice) everything
   * rolls back and AlreadySynced is thrown.
   */
  async syncUser(
    userId: string,
    marketFor: (exchange: string) => Promise<MarketSnapshot>,
    record?: (o: UserSyncOutcome) => Promise<boolean>,
  ): Promise<UserSyncOutcome> {
    const fetched: Fetched[] = [];
    const failed: { exchange: string; error: ExchangeError | DomainError }[] = [];
    for (const gateway of this.gateways.all) {
      const creds = await this.credentials.reveal(userId, gateway.exchange);
      if (!creds) continue;
      try {
        fetched.push(await this.fetch(userId, gateway, creds, await marketFor(gateway.exchange)));
      } catch (e) {
        if (!isUserFailure(e)) throw e;
        failed.push({ exchange: gateway.exchange, error: e as ExchangeError | DomainError });
      }
    }
    if (!fetched.length && !failed.length) throw this.missingCredentials();
    // Nothing synced: the run records this user's failure (for each of these exchanges).
    if (!fetched.length)
      throw new UserSyncFailed(
        failed[0].error,
        failed.map((f) => f.exchange),
      );

    const prior = new Map<string, boolean>();
    for (const f of fetched) prior.set(f.gateway.exchange, (await this.state.userState(userId, f.gateway.exchange))?.firstSyncedAt != null);
    const settings = await this.settingsFor(userId);
    const now = this.clock.now();
    const liveCancels: { leg: ExchangeOrder; f: Fetched }[] = [];

    const outcome = await this.uow.run(async () => {
      await this.state.lockUser(userId); // a user's own sync and a cycle's may overlap: their writes take turns
      const result: UserSyncOutcome = { balances: 0, openOrders: 0, ordersUpserted: 0, ocoPairsCreated: 0, skipped: 0, error: null };
      for (const f of fetched) {
        const r = await this.write(userId, f, settings, prior.get(f.gateway.exchange) === true, now);
        result.balances += r.balances;
        result.openOrders += r.openOrders;
        result.ordersUpserted += r.ordersUpserted;
        result.ocoPairsCreated += r.ocoPairsCreated;
        result.skipped += r.skipped;
        for (const leg of r.liveCancels) liveCancels.push({ leg, f });
      }
      for (const { exchange, error } of failed) {
        const message = failureMessage(error);
        result.error ??= message;
        this.logger.warn({ message: 'Exchange sync failed for a user', user_id: userId, exchange, error: message });
        await this.state.recordUserResult(userId, exchange, now, message);
        await this.audit.record({
          eventType: 'exchange_sync.user.failed',
          outcome: 'failure',
          userId,
          payload: { exchange, error: message },
        });
      }
      if (record && !(await record(result))) throw new AlreadySynced();
      return result;
    });

    for (const f of fetched) if (this.config.liveTrading) await this.oco.placePendingLegs(userId, f.gateway, f.creds);
    for (const { leg, f } of liveCancels) await this.oco.cancelOnExchange(leg, f.gateway, f.creds);
    return outcome;
  }

  private async fetch(
    userId: string,
    gateway: ExchangeAccountGateway,
    creds: ExchangeCredentials,
    market: MarketSnapshot,
  ): Promise<Fetched> {
    const exchange = gateway.exchange;
    // History per symbol needs the balances first; the open orders are asked meanwhile. The balances go first
    // and the history last: a client's rate limiter makes the call AFTER an expensive one wait (crypto.com's
    // order history costs 100 of ccxt's 10 ms units), so history before balances cost every user's sync 1 s.
    const balancesP = gateway.fetchBalances(creds);
    const openP = gateway.fetchOpenOrders(creds);
    const historyP = gateway.historyPerSymbol ? null : gateway.fetchOrderHistory(creds, []);
    // Awaited below; a rejection is not left unhandled while the balances are awaited.
    for (const p of [openP, historyP]) p?.catch(() => undefined);
    const balances = await balancesP;
    let symbols: string[] = [];
    if (gateway.historyPerSymbol) {
      const recorded = await this.orders.recordedSymbols(userId, exchange);
      const watchlist = await this.watchlist.list(userId);
      symbols = historySymbols({
        recorded,
        balances: balances.items,
        watchlist: watchlist.map((w) => w.symbol),
        instruments: market.instruments,
        max: this.config.binanceSyncMaxSymbols,
      });
    }
    const [open, history] = await Promise.all([openP, historyP ?? gateway.fetchOrderHistory(creds, symbols)]);
    for (const s of [...balances.skipped, ...open.skipped, ...history.skipped])
      this.logger.warn({ message: 'Skipped malformed exchange record', user_id: userId, exchange, reason: s.reason, ref: s.ref });

    // Rows we hold as open that the exchange lists nowhere: ask for each one, never guess.
    const listed = new Set([...open.items, ...history.items].map((o) => o.exchangeOrderId));
    const known = await this.orders.findForReconcile(userId, exchange, [], []);
    const missing = known.filter((o) => o.exchangeOrderId && !o.simulated && !listed.has(o.exchangeOrderId) && o.status !== 'PENDING');
    const details: RemoteOrder[] = [];
    for (const o of missing.slice(0, MAX_DETAIL_LOOKUPS)) {
      const detail = await gateway.fetchOrder(creds, o.exchangeOrderId!, o.symbol);
      if (detail) details.push(detail);
    }
    return { gateway, creds, market, balances, open, history, details };
  }

  /** Writes one exchange's part of the user's sync (inside the user's transaction). */
  private async write(userId: string, f: Fetched, settings: OcoSettings, protectNewFills: boolean, now: Date) {
    const exchange = f.gateway.exchange;
    const portfolio = valuePortfolio(f.balances.items, f.market.prices);
    await this.state.recordUserResult(userId, exchange, now, null);
    await this.portfolios.replace(userId, exchange, portfolio, now);

    const incoming = [...f.open.items, ...f.history.items, ...f.details];
    const existing = await this.orders.findForReconcile(
      userId,
      exchange,
      incoming.map((o) => o.exchangeOrderId),
      incoming.map((o) => o.clientOrderId).filter((c): c is string => !!c),
    );
    const rec = reconcileOrders({
      userId,
      exchange,
      existing,
      open: f.open.items,
      history: f.history.items,
      details: f.details,
      protectNewFills,
      now,
      newId,
    });
    for (const row of rec.inserts) await this.orders.insert(row);
    for (const row of rec.updates) await this.orders.update(row);
    for (const row of rec.unresolved) {
      this.logger.warn({
        message: 'Open order vanished and could not be resolved; left unchanged',
        user_id: userId,
        exchange,
        exchange_order_id: row.exchangeOrderId,
      });
    }

    const onAccount = new Map(rec.foreignLegs.map((o) => [o.clientOrderId!, o]));
    let ocoPairsCreated = 0;
    for (const entry of rec.newlyFilledEntries) {
      await this.audit.record({
        eventType: 'exchange_sync.order.filled',
        outcome: 'success',
        userId,
        payload: {
          order_id: entry.id,
          exchange,
          exchange_order_id: entry.exchangeOrderId,
          symbol: entry.symbol,
          side: entry.side,
          quantity: entry.cumulativeQuantity,
          avg_price: entry.avgPrice,
        },
      });
      if (await this.oco.protect(entry, settings, f.market, now, onAccount)) ocoPairsCreated++;
    }
    await this.oco.evaluateSimulatedLegs(userId, exchange, f.market, now);
    const liveCancels = await this.oco.cancelSiblings(userId, exchange, now);
    const skipped = f.balances.skipped.length + f.open.skipped.length + f.history.skipped.length;
    return {
      balances: portfolio.balances.length,
      openOrders: f.open.items.length,
      ordersUpserted: rec.inserts.length + rec.updates.length,
      ocoPairsCreated,
      skipped,
      liveCancels,
    };
  }
}
