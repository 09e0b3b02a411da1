import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, newId, UnitOfWork } from '@kernel';
import { type ExchangeCredentials, ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeError, ExchangeGateway, Instrument, RemoteOrder } from '../domain/exchange-gateway.ports';
import { ExchangeOrder, reconcileOrders } from '../domain/exchange-order';
import { ExchangeOrderRepository, PortfolioRepository, SyncStateRepository } from '../domain/exchange-sync.ports';
import { legTriggers, OcoSettings, planOcoLegs, siblingsToCancel } from '../domain/oco';
import { valuePortfolio } from '../domain/valuation';

export const EXCHANGE = 'CRYPTO_COM' as const;
/** Open rows missing from both lists are looked up one by one, up to this many per sync. */
const MAX_DETAIL_LOOKUPS = 20;

export interface MarketSnapshot {
  prices: Map<string, string>;
  instruments: Map<string, Instrument>;
}

export interface UserSyncOutcome {
  balances: number;
  openOrders: number;
  ordersUpserted: number;
  ocoPairsCreated: number;
  skipped: number;
}

/** This run already holds the user's result (the job was delivered twice); nothing was written. */
export class AlreadySynced extends Error {
  constructor() {
    super('already synced in this run');
    this.name = 'AlreadySynced';
  }
}

/** Why a user's sync failed, safe to store, audit and show (never a key). */
export function failureMessage(e: unknown): string {
  if (e instanceof ExchangeError) return `${e.kind}: ${e.message}`;
  if (e instanceof DomainError) return `${e.code}: ${e.message}`;
  return 'internal: unexpected error while syncing';
}

/**
 * One user's sync: balances -> portfolio, open orders, order history, then OCO
 * protection. Exchange calls happen outside the transaction; everything the
 * sync writes for the user commits in one transaction (so a crash mid-cycle
 * leaves each user either fully synced or untouched), then live OCO legs are
 * placed / cancelled, each confirmed in its own small transaction.
 */
@Injectable()
export class UserSyncService {
  private readonly logger = new Logger('ExchangeSync');

  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly orders: ExchangeOrderRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly state: SyncStateRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async settingsFor(userId: string): Promise<OcoSettings> {
    return (await this.state.settings(userId)) ?? { stopLossPct: this.config.ocoStopLossPct, takeProfitPct: this.config.ocoTakeProfitPct };
  }

  /**
   * `record` runs last inside the user's write transaction; when it answers false
   * (this run already has the user's result: a job delivered twice) everything
   * rolls back and AlreadySynced is thrown.
   */
  async syncUser(userId: string, market: MarketSnapshot, record?: (o: UserSyncOutcome) => Promise<boolean>): Promise<UserSyncOutcome> {
    const creds = await this.credentials.reveal(userId, EXCHANGE);
    if (!creds) throw DomainError.invalid('missing_credentials', 'Missing credentials for CRYPTO_COM');
    const [balances, open, history] = await Promise.all([
      this.gateway.fetchBalances(creds),
      this.gateway.fetchOpenOrders(creds),
      this.gateway.fetchOrderHistory(creds),
    ]);
    const skipped = [...balances.skipped, ...open.skipped, ...history.skipped];
    for (const s of skipped)
      this.logger.warn({ message: 'Skipped malformed exchange record', user_id: userId, reason: s.reason, ref: s.ref });

    // Rows we hold as open that the exchange lists nowhere: ask for each one, never guess.
    const listed = new Set([...open.items, ...history.items].map((o) => o.exchangeOrderId));
    const known = await this.orders.findForReconcile(userId, EXCHANGE, [], []);
    const missing = known.filter((o) => o.exchangeOrderId && !o.simulated && !listed.has(o.exchangeOrderId) && o.status !== 'PENDING');
    const details: RemoteOrder[] = [];
    for (const o of missing.slice(0, MAX_DETAIL_LOOKUPS)) {
      const detail = await this.gateway.fetchOrder(creds, o.exchangeOrderId!);
      if (detail) details.push(detail);
    }

    const prior = await this.state.userState(userId, EXCHANGE);
    const settings = await this.settingsFor(userId);
    const now = this.clock.now();
    const portfolio = valuePortfolio(balances.items, market.prices);
    const liveCancels: ExchangeOrder[] = [];

    const outcome = await this.uow.run(async () => {
      await this.state.lockUser(userId); // a user's own sync and a cycle's may overlap: their writes take turns
      await this.state.recordUserResult(userId, EXCHANGE, now, null);
      await this.portfolios.replace(userId, EXCHANGE, portfolio, now);

      const incoming = [...open.items, ...history.items, ...details];
      const existing = await this.orders.findForReconcile(
        userId,
        EXCHANGE,
        incoming.map((o) => o.exchangeOrderId),
        incoming.map((o) => o.clientOrderId).filter((c): c is string => !!c),
      );
      const rec = reconcileOrders({
        userId,
        exchange: EXCHANGE,
        existing,
        open: open.items,
        history: history.items,
        details,
        protectNewFills: prior?.firstSyncedAt != null,
        now,
        newId,
      });
      for (const row of rec.inserts) await this.orders.insert(row);
      for (const row of rec.updates) await this.orders.update(row);
      for (const row of rec.unresolved) {
        this.logger.warn({
          message: 'Open order vanished and could not be resolved; left unchanged',
          user_id: userId,
          exchange_order_id: row.exchangeOrderId,
        });
      }

      let ocoPairsCreated = 0;
      for (const entry of rec.newlyFilledEntries) {
        await this.audit.record({
          eventType: 'exchange_sync.order.filled',
          outcome: 'success',
          userId,
          payload: {
            order_id: entry.id,
            exchange_order_id: entry.exchangeOrderId,
            symbol: entry.symbol,
            side: entry.side,
            quantity: entry.cumulativeQuantity,
            avg_price: entry.avgPrice,
          },
        });
        if (await this.protect(entry, settings, market, now)) ocoPairsCreated++;
      }
      await this.evaluateSimulatedLegs(userId, market, now);
      liveCancels.push(...(await this.cancelSiblings(userId, now)));
      const result: UserSyncOutcome = {
        balances: portfolio.balances.length,
        openOrders: open.items.length,
        ordersUpserted: rec.inserts.length + rec.updates.length,
        ocoPairsCreated,
        skipped: skipped.length,
      };
      if (record && !(await record(result))) throw new AlreadySynced();
      return result;
    });

    if (this.config.liveTrading) await this.placePendingLegs(userId, creds);
    for (const leg of liveCancels) await this.cancelOnExchange(leg, creds);
    return outcome;
  }

  /** Creates the OCO pair of a newly FILLED entry (once: unique per parent and role). */
  private async protect(entry: ExchangeOrder, settings: OcoSettings, market: MarketSnapshot, now: Date): Promise<boolean> {
    const plan = planOcoLegs({
      entry,
      settings,
      simulated: !this.config.liveTrading,
      priceTick: market.instruments.get(entry.symbol)?.priceTick ?? null,
      ocoGroupId: newId(),
      newId,
      now,
    });
    if (!plan) {
      this.logger.warn({ message: 'Filled order cannot be protected (no price or quantity)', user_id: entry.userId, order_id: entry.id });
      return false;
    }
    const created = await this.orders.insertOcoPair(plan.stopLoss, plan.takeProfit);
    if (!created) return false;
    await this.audit.record({
      eventType: 'exchange_sync.oco.created',
      outcome: 'success',
      userId: entry.userId,
      payload: {
        parent_order_id: entry.id,
        oco_group_id: plan.stopLoss.ocoGroupId,
        symbol: entry.symbol,
        mode: plan.stopLoss.simulated ? 'SIMULATED' : 'LIVE',
        quantity: plan.stopLoss.quantity,
        stop_loss: { id: plan.stopLoss.id, trigger_price: plan.stopLoss.triggerPrice, client_order_id: plan.stopLoss.clientOrderId },
        take_profit: {
          id: plan.takeProfit.id,
          trigger_price: plan.takeProfit.triggerPrice,
          client_order_id: plan.takeProfit.clientOrderId,
        },
        stop_loss_pct: settings.stopLossPct,
        take_profit_pct: settings.takeProfitPct,
      },
    });
    return true;
  }

  /** Simulated legs fill when the last price crosses their trigger. */
  private async evaluateSimulatedLegs(userId: string, market: MarketSnapshot, now: Date): Promise<void> {
    for (const leg of await this.orders.activeLegs(userId, EXCHANGE)) {
      if (!leg.simulated) continue;
      const last = market.prices.get(leg.symbol);
      if (last === undefined || !legTriggers(leg, last)) continue;
      const filled: ExchangeOrder = {
        ...leg,
        status: 'FILLED',
        cumulativeQuantity: leg.quantity,
        avgPrice: last,
        exchangeUpdatedAt: now,
        updatedAt: now,
      };
      await this.orders.update(filled);
      await this.audit.record({
        eventType: 'exchange_sync.oco.leg_filled',
        outcome: 'success',
        userId,
        payload: {
          order_id: leg.id,
          oco_group_id: leg.ocoGroupId,
          order_role: leg.role,
          symbol: leg.symbol,
          trigger_price: leg.triggerPrice,
          last_price: last,
          mode: 'SIMULATED',
        },
      });
    }
  }

  /** OCO: a group with a FILLED leg cancels its other legs. Returns the live ones to cancel on the exchange. */
  private async cancelSiblings(userId: string, now: Date): Promise<ExchangeOrder[]> {
    const active = await this.orders.activeLegs(userId, EXCHANGE);
    const groups = [...new Set(active.map((l) => l.ocoGroupId).filter((g): g is string => !!g))];
    const legs = await this.orders.legsOfGroups(groups);
    const live: ExchangeOrder[] = [];
    for (const groupId of groups) {
      const group = legs.filter((l) => l.ocoGroupId === groupId);
      const filled = group.find((l) => l.status === 'FILLED');
      for (const sibling of siblingsToCancel(group)) {
        if (!sibling.simulated && sibling.exchangeOrderId) {
          live.push(sibling);
          continue;
        }
        await this.orders.update({ ...sibling, status: 'CANCELED', updatedAt: now });
        await this.audit.record({
          eventType: 'exchange_sync.oco.sibling_cancelled',
          outcome: 'success',
          userId,
          payload: {
            order_id: sibling.id,
            oco_group_id: groupId,
            order_role: sibling.role,
            filled_leg_id: filled?.id,
            mode: sibling.simulated ? 'SIMULATED' : 'LIVE',
          },
        });
      }
    }
    return live;
  }

  /** LIVE_TRADING: legs not yet on the exchange are placed with their fixed client order id. */
  private async placePendingLegs(userId: string, creds: ExchangeCredentials): Promise<void> {
    const pending = (await this.orders.activeLegs(userId, EXCHANGE)).filter((l) => l.status === 'PENDING' && !l.simulated);
    for (const leg of pending) {
      try {
        const placed = await this.gateway.placeOrder(creds, {
          symbol: leg.symbol,
          side: leg.side,
          type: leg.role!,
          quantity: leg.quantity,
          triggerPrice: leg.triggerPrice!,
          clientOrderId: leg.clientOrderId!,
        });
        await this.uow.run(async () => {
          await this.orders.update({ ...leg, exchangeOrderId: placed.exchangeOrderId, status: 'NEW', updatedAt: this.clock.now() });
          await this.audit.record({
            eventType: 'exchange_sync.oco.leg_placed',
            outcome: 'success',
            userId,
            payload: {
              order_id: leg.id,
              oco_group_id: leg.ocoGroupId,
              order_role: leg.role,
              exchange_order_id: placed.exchangeOrderId,
              client_order_id: leg.clientOrderId,
            },
          });
        });
      } catch (e) {
        // Stays PENDING: the next sync finds it by client order id if it did reach the exchange, or places it then.
        await this.uow.run(() =>
          this.audit.record({
            eventType: 'exchange_sync.oco.leg_placed',
            outcome: 'failure',
            userId,
            payload: {
              order_id: leg.id,
              oco_group_id: leg.ocoGroupId,
              order_role: leg.role,
              client_order_id: leg.clientOrderId,
              error: failureMessage(e),
            },
          }),
        );
      }
    }
  }

  private async cancelOnExchange(leg: ExchangeOrder, creds: ExchangeCredentials): Promise<void> {
    try {
      await this.gateway.cancelOrder(creds, leg.symbol, leg.exchangeOrderId!);
    } catch (e) {
      await this.uow.run(() =>
        this.audit.record({
          eventType: 'exchange_sync.oco.sibling_cancelled',
          outcome: 'failure',
          userId: leg.userId,
          payload: { order_id: leg.id, oco_group_id: leg.ocoGroupId, order_role: leg.role, error: failureMessage(e) },
        }),
      );
      return; // retried next cycle: the group still has a FILLED leg and an open sibling
    }
    await this.uow.run(async () => {
      await this.orders.update({ ...leg, status: 'CANCELED', updatedAt: this.clock.now() });
      await this.audit.record({
        eventType: 'exchange_sync.oco.sibling_cancelled',
        outcome: 'success',
        userId: leg.userId,
        payload: {
          order_id: leg.id,
          oco_group_id: leg.ocoGroupId,
          order_role: leg.role,
          exchange_order_id: leg.exchangeOrderId,
          mode: 'LIVE',
        },
      });
    });
  }
}
