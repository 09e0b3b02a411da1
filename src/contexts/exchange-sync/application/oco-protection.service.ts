import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail, Clock, newId, UnitOfWork } from '@kernel';
import type { ExchangeCredentials } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeAccountGateway, Instrument, RemoteOrder } from '../domain/exchange-account-gateway.ports';
import { ExchangeOrder } from '../domain/exchange-order';
import { ExchangeOrderRepository } from '../domain/exchange-sync.ports';
import { legTriggers, OcoSettings, planOcoLegs, siblingsToCancel } from '../domain/oco';
import { failureMessage } from './sync-failure';

/** How an audit event names an OCO leg. */
const legRef = (leg: ExchangeOrder) => ({ order_id: leg.id, oco_group_id: leg.ocoGroupId, order_role: leg.role });

export interface MarketSnapshot {
  prices: Map<string, string>;
  instruments: Map<string, Instrument>;
}

/**
 * OCO protection of filled entries (seed 003): the pair is created inside the user's
 * sync transaction (simulated legs fill when the price crosses, a filled leg cancels its
 * sibling); with LIVE_TRADING the legs are then placed on the exchange (one order list
 * where it has one, two trigger orders otherwise) and live siblings cancelled there,
 * each confirmed in its own small transaction.
 */
@Injectable()
export class OcoProtectionService {
  private readonly logger = new Logger('ExchangeSync');

  constructor(
    private readonly orders: ExchangeOrderRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Creates the OCO pair of a newly FILLED entry (once: unique per parent and role). Live legs
   * already on the account (`onAccount`: another user of the same exchange account placed them,
   * with the same deterministic client ids) are adopted, not placed twice.
   */
  async protect(
    entry: ExchangeOrder,
    settings: OcoSettings,
    market: MarketSnapshot,
    now: Date,
    onAccount: Map<string, RemoteOrder> = new Map(),
  ): Promise<boolean> {
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
    const adopt = (leg: ExchangeOrder): ExchangeOrder => {
      const remote = leg.simulated ? undefined : onAccount.get(leg.clientOrderId!);
      return remote
        ? {
            ...leg,
            exchangeOrderId: remote.exchangeOrderId,
            status: remote.status,
            cumulativeQuantity: remote.cumulativeQuantity,
            avgPrice: remote.avgPrice,
          }
        : leg;
    };
    if (!(await this.orders.insertOcoPair(adopt(plan.stopLoss), adopt(plan.takeProfit)))) return false;
    await this.audit.record({
      eventType: 'exchange_sync.oco.created',
      outcome: 'success',
      userId: entry.userId,
      payload: {
        parent_order_id: entry.id,
        oco_group_id: plan.stopLoss.ocoGroupId,
        exchange: entry.exchange,
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
  async evaluateSimulatedLegs(userId: string, exchange: string, market: MarketSnapshot, now: Date): Promise<void> {
    for (const leg of await this.orders.activeLegs(userId, exchange)) {
      if (!leg.simulated) continue;
      const last = market.prices.get(leg.symbol);
      if (last === undefined || !legTriggers(leg, last)) continue;
      await this.orders.update({
        ...leg,
        status: 'FILLED',
        cumulativeQuantity: leg.quantity,
        avgPrice: last,
        exchangeUpdatedAt: now,
        updatedAt: now,
      });
      await this.audit.record({
        eventType: 'exchange_sync.oco.leg_filled',
        outcome: 'success',
        userId,
        payload: {
          ...legRef(leg),
          exchange,
          symbol: leg.symbol,
          trigger_price: leg.triggerPrice,
          last_price: last,
          mode: 'SIMULATED',
        },
      });
    }
  }

  /** OCO: a group with a FILLED leg cancels its other legs. Returns the live ones to cancel on the exchange. */
  async cancelSiblings(userId: string, exchange: string, now: Date): Promise<ExchangeOrder[]> {
    const active = await this.orders.activeLegs(userId, exchange);
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

  /** LIVE_TRADING: legs not yet on the exchange are placed with their fixed client order ids. */
  async placePendingLegs(userId: string, gateway: ExchangeAccountGateway, creds: ExchangeCredentials): Promise<void> {
    const pending = (await this.orders.activeLegs(userId, gateway.exchange)).filter((l) => l.status === 'PENDING' && !l.simulated);
    const byGroup = new Map<string, ExchangeOrder[]>();
    for (const leg of pending) byGroup.set(leg.ocoGroupId ?? leg.id, [...(byGroup.get(leg.ocoGroupId ?? leg.id) ?? []), leg]);
    for (const [groupId, legs] of byGroup) {
      const sl = legs.find((l) => l.role === 'STOP_LOSS');
      const tp = legs.find((l) => l.role === 'TAKE_PROFIT');
      if (gateway.nativeOco && sl && tp) await this.placeOcoList(userId, gateway, creds, groupId, sl, tp);
      else for (const leg of legs) await this.placeLeg(userId, gateway, creds, leg);
    }
  }

  private async placeLeg(userId: string, gateway: ExchangeAccountGateway, creds: ExchangeCredentials, leg: ExchangeOrder): Promise<void> {
    try {
      const placed = await gateway.placeOrder(creds, {
        symbol: leg.symbol,
        side: leg.side,
        type: leg.role!,
        quantity: leg.quantity,
        triggerPrice: leg.triggerPrice!,
        clientOrderId: leg.clientOrderId!,
      });
      await this.confirmPlaced(userId, [{ leg, exchangeOrderId: placed.exchangeOrderId }]);
    } catch (e) {
      await this.placeFailed(userId, [leg], e);
    }
  }

  private async placeOcoList(
    userId: string,
    gateway: ExchangeAccountGateway,
    creds: ExchangeCredentials,
    groupId: string,
    sl: ExchangeOrder,
    tp: ExchangeOrder,
  ): Promise<void> {
    try {
      const placed = await gateway.placeOco(creds, {
        symbol: sl.symbol,
        side: sl.side,
        quantity: sl.quantity,
        stopLoss: { triggerPrice: sl.triggerPrice!, clientOrderId: sl.clientOrderId! },
        takeProfit: { triggerPrice: tp.triggerPrice!, clientOrderId: tp.clientOrderId! },
        listClientOrderId: `oco-${groupId.replace(/-/g, '').slice(0, 30)}`,
      });
      await this.confirmPlaced(userId, [
        { leg: sl, exchangeOrderId: placed.stopLossOrderId },
        { leg: tp, exchangeOrderId: placed.takeProfitOrderId },
      ]);
    } catch (e) {
      await this.placeFailed(userId, [sl, tp], e);
    }
  }

  private async confirmPlaced(userId: string, placed: { leg: ExchangeOrder; exchangeOrderId: string }[]): Promise<void> {
    await this.uow.run(async () => {
      for (const { leg, exchangeOrderId } of placed) {
        await this.orders.update({ ...leg, exchangeOrderId, status: 'NEW', updatedAt: this.clock.now() });
        await this.audit.record({
          eventType: 'exchange_sync.oco.leg_placed',
          outcome: 'success',
          userId,
          payload: {
            ...legRef(leg),
            exchange: leg.exchange,
            exchange_order_id: exchangeOrderId,
            client_order_id: leg.clientOrderId,
          },
        });
      }
    });
  }

  /** Stays PENDING: the next sync finds it by client order id if it did reach the exchange, or places it then. */
  private async placeFailed(userId: string, legs: ExchangeOrder[], e: unknown): Promise<void> {
    await this.uow.run(async () => {
      for (const leg of legs)
        await this.audit.record({
          eventType: 'exchange_sync.oco.leg_placed',
          outcome: 'failure',
          userId,
          payload: {
            ...legRef(leg),
            exchange: leg.exchange,
            client_order_id: leg.clientOrderId,
            error: failureMessage(e),
          },
        });
    });
  }

  async cancelOnExchange(leg: ExchangeOrder, gateway: ExchangeAccountGateway, creds: ExchangeCredentials): Promise<void> {
    try {
      await gateway.cancelOrder(creds, leg.symbol, leg.exchangeOrderId!);
    } catch (e) {
      await this.uow.run(() =>
        this.audit.record({
          eventType: 'exchange_sync.oco.sibling_cancelled',
          outcome: 'failure',
          userId: leg.userId,
          payload: { ...legRef(leg), error: failureMessage(e) },
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
          ...legRef(leg),
          exchange_order_id: leg.exchangeOrderId,
          mode: 'LIVE',
        },
      });
    });
  }
}
