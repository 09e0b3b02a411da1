import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, DomainError, newId, RequestMeta, UnitOfWork } from '@kernel';
import type { ExchangeCredentials } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { clientOrderId } from '../domain/client-order-id';
import { BrokerOrderRecord, BrokerOrderRepository, ExchangeGateway, ExchangeOrder } from '../domain/execution.ports';
import { parseOrderSpec, Side } from '../domain/order-spec';
import { assertProtectionOnTick, parseProtection } from '../domain/protection';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { PlacedOrder } from './broker.results';
import { BrokerSession } from './broker-session';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';
import { OcoProtectionService, ProtectionOutcome } from './oco-protection.service';
import { RiskManager } from './risk-manager.service';

export interface CreateOrderCommand {
  symbol: unknown;
  side: unknown;
  quantity: unknown;
  price: unknown;
  stop_loss?: unknown;
  take_profit?: unknown;
}

/** POST /api/broker/order/create: a LIMIT GTC entry; with stop_loss AND take_profit an OCO protection on the opposite side. */
@Injectable()
export class OrderPlacementService {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly session: BrokerSession,
    private readonly market: MarketDataService,
    private readonly risk: RiskManager,
    private readonly protection: OcoProtectionService,
    private readonly orders: BrokerOrderRepository,
    private readonly killSwitch: KillSwitchService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async createOrder(userId: string, cmd: CreateOrderCommand, idempotencyKey: string | undefined, meta: RequestMeta): Promise<PlacedOrder> {
    const { target, mode } = this.session;
    const spec = parseOrderSpec(
      { exchange: 'BINANCE', symbol: cmd.symbol, side: cmd.side, qty: cmd.quantity, price: cmd.price, type: 'LIMIT' },
      { maxQty: new Decimal(this.config.riskMaxQty) },
    );
    const protection = parseProtection(spec.side, spec.price!, cmd);
    const id = clientOrderId(userId, idempotencyKey);
    const summary = {
      symbol: spec.symbol,
      side: spec.side,
      quantity: spec.qty.toFixed(),
      price: spec.price!.toFixed(),
      stop_loss: protection?.stopLoss.toFixed() ?? null,
      take_profit: protection?.takeProfit.toFixed() ?? null,
      client_order_id: id,
      mode,
    };
    let entry: ExchangeOrder;
    let notionalUsd: Decimal;
    let creds: ExchangeCredentials;
    try {
      await this.killSwitch.assertDisengaged();
      creds = await this.session.creds(userId);
      if (protection) assertProtectionOnTick(protection, await this.market.rules(target, spec.symbol));
      ({ notionalUsd } = await this.risk.enforce(userId, spec, target));
      entry = await this.gateway.placeOrder(target, creds, {
        symbol: spec.symbol,
        side: spec.side,
        type: 'LIMIT',
        qty: spec.qty.toFixed(),
        price: spec.price!.toFixed(),
        clientOrderId: id,
      });
    } catch (e) {
      const reason = e instanceof ExchangeUpstreamError ? e.kind : e instanceof DomainError ? e.code : 'error';
      const extra =
        e instanceof ExchangeUpstreamError
          ? { upstream_status: e.upstreamStatus, upstream_code: e.upstreamCode, upstream_message: e.upstreamMessage }
          : {};
      await this.audit.record(
        { eventType: 'broker.order.create', outcome: 'failure', userId, payload: { ...summary, reason, ...extra } },
        meta,
      );
      throw e instanceof ExchangeUpstreamError ? toDomainError(e) : e;
    }

    const ocoGroup = protection ? clientOrderId(userId, idempotencyKey, '-oco') : null;
    const placed: ProtectionOutcome | null = protection
      ? await this.protection.place(target, creds, { symbol: spec.symbol, side: spec.side, qty: spec.qty.toFixed() }, protection, ocoGroup!)
      : null;
    const oco = placed?.oco ?? null;

    const now = this.clock.now();
    const record = (o: ExchangeOrder, role: BrokerOrderRecord['role'], notional: Decimal): BrokerOrderRecord => ({
      id: newId(),
      userId,
      exchange: 'BINANCE',
      target,
      symbol: spec.symbol,
      side: o.side as Side,
      type: o.type,
      qty: new Decimal(o.origQty).toFixed(),
      price: o.price === null ? null : new Decimal(o.price).toFixed(),
      notionalUsd: notional.toFixed(),
      clientOrderId: o.clientOrderId ?? id,
      exchangeOrderId: o.orderId,
      status: o.status,
      role,
      ocoGroupId: oco ? ocoGroup : null,
      createdAt: now,
      updatedAt: now,
    });
    await this.uow.run(async () => {
      await this.orders.insert(record(entry, 'ENTRY', notionalUsd));
      for (const leg of oco?.orders ?? []) {
        await this.orders.insert(record(leg, leg.type === 'LIMIT_MAKER' ? 'TAKE_PROFIT' : 'STOP_LOSS', new Decimal(0)));
      }
      await this.audit.record(
        {
          eventType: 'broker.order.create',
          outcome: 'success',
          userId,
          payload: {
            ...summary,
            order_id: entry.orderId,
            status: entry.status,
            protection: protection ? (oco ? 'PLACED' : 'FAILED') : null,
            protection_error: placed?.error
              ? { code: placed.error.code, upstream_status: placed.error.upstreamStatus, message: placed.error.message }
              : null,
          },
        },
        meta,
      );
    });
    return {
      mode,
      entry,
      protection: protection
        ? {
            status: oco ? 'PLACED' : 'FAILED',
            orderListId: oco?.orderListId ?? null,
            stopLoss: protection.stopLoss.toFixed(),
            takeProfit: protection.takeProfit.toFixed(),
            orders: oco?.orders ?? [],
            error: placed?.error ?? null,
          }
        : null,
    };
  }
}
