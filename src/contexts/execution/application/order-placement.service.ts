import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, DomainError, newId, RequestMeta } from '@kernel';
import type { ExchangeCredentials } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { clientOrderId } from '../domain/client-order-id';
import { BrokerOrderRecord, ExchangeGateway, ExchangeOrder } from '../domain/execution.ports';
import { OrderSpec, parseOrderSpec, Side } from '../domain/order-spec';
import { isRefusal } from '../domain/order-outcome';
import { assertProtectionOnTick, parseProtection, Protection } from '../domain/protection';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { PlacedOrder, ProtectionResult } from './broker.results';
import { BrokerSession } from './broker-session';
import { PaperBrokerService } from './paper-broker.service';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';
import { OcoProtectionService } from './oco-protection.service';
import { OrderJournal } from './order-journal';
import { RiskManager } from './risk-manager.service';
import { stopwatch } from './stopwatch';

export interface CreateOrderCommand {
  symbol: unknown;
  side: unknown;
  quantity: unknown;
  price: unknown;
  /** LIMIT (default) or, in paper mode, MARKET without a price. */
  type?: unknown;
  stop_loss?: unknown;
  take_profit?: unknown;
}

type Summary = Record<string, unknown>;

/**
 * POST /api/broker/order/create: a LIMIT GTC entry; with stop_loss AND take_profit an OCO protection on the
 * opposite side. Each is recorded PENDING before it is sent (OrderJournal) and settled from the exchange's answer.
 */
@Injectable()
export class OrderPlacementService {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly paper: PaperBrokerService,
    private readonly session: BrokerSession,
    private readonly market: MarketDataService,
    private readonly risk: RiskManager,
    private readonly protection: OcoProtectionService,
    private readonly journal: OrderJournal,
    private readonly killSwitch: KillSwitchService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async createOrder(userId: string, cmd: CreateOrderCommand, idempotencyKey: string | undefined, meta: RequestMeta): Promise<PlacedOrder> {
    if (await this.paper.active(userId)) return this.paper.createOrder(userId, cmd, idempotencyKey, meta);
    if (cmd.type !== undefined && cmd.type !== 'LIMIT') {
      throw DomainError.invalidField('type', 'only LIMIT orders are sent to the exchange (MARKET: paper mode)');
    }
    const { target, mode } = this.session;
    const spec = parseOrderSpec(
      { exchange: 'BINANCE', symbol: cmd.symbol, side: cmd.side, qty: cmd.quantity, price: cmd.price, type: 'LIMIT' },
      { maxQty: new Decimal(this.config.riskMaxQty) },
    );
    const protection = parseProtection(spec.side, spec.price!, cmd);
    const id = clientOrderId(userId, idempotencyKey);
    const summary: Summary = {
      symbol: spec.symbol,
      side: spec.side,
      quantity: spec.qty.toFixed(),
      price: spec.price!.toFixed(),
      stop_loss: protection?.stopLoss.toFixed() ?? null,
      take_profit: protection?.takeProfit.toFixed() ?? null,
      client_order_id: id,
      mode,
    };
    let notionalUsd: Decimal;
    let creds: ExchangeCredentials;
    try {
      await this.killSwitch.assertDisengaged();
      creds = await this.session.creds(userId);
      if (protection) assertProtectionOnTick(protection, await this.market.rules(target, spec.symbol));
      ({ notionalUsd } = await this.risk.enforce(userId, spec, target));
    } catch (e) {
      // Refused before anything was recorded or sent.
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

    const row = this.intent(
      userId,
      spec,
      { role: 'ENTRY', clientOrderId: id, type: 'LIMIT', side: spec.side, price: spec.price! },
      notionalUsd,
      protection ? `${id}-oco` : null,
    );
    await this.journal.intend([row], userId, summary, meta);
    let entry: ExchangeOrder;
    const elapsed = stopwatch();
    try {
      entry = await this.gateway.placeOrder(target, creds, {
        symbol: spec.symbol,
        side: spec.side,
        type: 'LIMIT',
        qty: spec.qty.toFixed(),
        price: spec.price!.toFixed(),
        clientOrderId: id,
      });
    } catch (e) {
      throw await this.sendFailed([row], e, 'broker.order.create', summary, meta);
    }
    const latencyMs = elapsed();
    await this.journal.confirmed(
      [[row, entry]],
      () =>
        this.audit.record(
          {
            eventType: 'broker.order.create',
            outcome: 'success',
            userId,
            payload: { ...summary, order_id: entry.orderId, status: entry.status },
          },
          meta,
        ),
      latencyMs,
    );
    const placed = protection ? await this.protect(userId, spec, protection, id, creds, meta) : null;
    return { mode, entry, protection: placed };
  }

  /** The OCO's two legs: recorded PENDING, sent, settled; a refusal is reported in the answer, not thrown. */
  private async protect(
    userId: string,
    spec: OrderSpec,
    p: Protection,
    entryId: string,
    creds: ExchangeCredentials,
    meta: RequestMeta,
  ): Promise<ProtectionResult> {
    const side: Side = spec.side === 'BUY' ? 'SELL' : 'BUY';
    const group = `${entryId}-oco`;
    const tp = this.intent(
      userId,
      spec,
      { role: 'TAKE_PROFIT', clientOrderId: `${entryId}-tp`, type: 'LIMIT_MAKER', side, price: p.takeProfit },
      new Decimal(0),
      group,
    );
    const sl = this.intent(
      userId,
      spec,
      { role: 'STOP_LOSS', clientOrderId: `${entryId}-sl`, type: 'STOP_LOSS_LIMIT', side, price: p.stopLoss },
      new Decimal(0),
      group,
    );
    const payload: Summary = {
      symbol: spec.symbol,
      side,
      quantity: spec.qty.toFixed(),
      stop_loss: p.stopLoss.toFixed(),
      take_profit: p.takeProfit.toFixed(),
      oco_group_id: group,
      entry_client_order_id: entryId,
    };
    const result = (
      status: ProtectionResult['status'],
      orders: ExchangeOrder[],
      orderListId: string | null,
      error: ProtectionResult['error'],
    ) => ({
      status,
      orderListId,
      stopLoss: p.stopLoss.toFixed(),
      takeProfit: p.takeProfit.toFixed(),
      orders,
      error,
    });
    try {
      await this.journal.intend([tp, sl], userId, payload, meta);
    } catch (e) {
      // Not recorded, so not sent: the entry stands unprotected and the answer says why.
      return result('FAILED', [], null, { code: 'protection_not_recorded', upstreamStatus: null, message: (e as Error).message });
    }
    const elapsedOco = stopwatch();
    const placed = await this.protection.place(
      this.session.target,
      creds,
      { symbol: spec.symbol, side: spec.side, qty: spec.qty.toFixed() },
      p,
      {
        listClientOrderId: group,
        takeProfitClientOrderId: tp.clientOrderId,
        stopLossClientOrderId: sl.clientOrderId,
      },
    );
    if (placed.oco) {
      const ocoLatencyMs = elapsedOco();
      const legs = placed.oco.orders;
      const pairs = [tp, sl].flatMap((r) => {
        const o = legs.find((l) => l.clientOrderId === r.clientOrderId);
        return o ? [[r, o] as [BrokerOrderRecord, ExchangeOrder]] : [];
      });
      await this.journal
        .confirmed(
          pairs,
          () =>
            this.audit.record(
              {
                eventType: 'broker.order.protect',
                outcome: 'success',
                userId,
                payload: { ...payload, order_list_id: placed.oco!.orderListId },
              },
              meta,
            ),
          ocoLatencyMs,
        )
        .catch(() => undefined); // the legs are live: reconciliation records them
      return result('PLACED', legs, placed.oco.orderListId, null);
    }
    const e = placed.failure!;
    const error = placed.error!;
    if (isRefusal(e)) {
      await this.journal
        .refused([tp, sl], e, 'broker.order.protect', { ...payload, protection_error: { code: error.code, message: error.message } }, meta)
        .catch(() => undefined);
      return result('FAILED', [], null, error);
    }
    await this.journal.unknown([tp, sl], 'broker.order.protect', payload, meta);
    return result('PENDING', [], null, error);
  }

  /** After the intent: a refusal settles it REJECTED; anything else leaves it PENDING for the reconciliation job. */
  private async sendFailed(rows: BrokerOrderRecord[], e: unknown, event: string, summary: Summary, meta: RequestMeta): Promise<unknown> {
    if (!(e instanceof ExchangeUpstreamError)) {
      await this.journal.unknown(rows, event, { ...summary, reason: 'error' }, meta);
      return e;
    }
    const extra = { reason: e.kind, upstream_status: e.upstreamStatus, upstream_code: e.upstreamCode, upstream_message: e.upstreamMessage };
    if (isRefusal(e)) {
      await this.journal.refused(rows, e, event, { ...summary, ...extra }, meta);
      return toDomainError(e);
    }
    await this.journal.unknown(rows, event, { ...summary, ...extra }, meta);
    const d = toDomainError(e);
    return new DomainError(
      d.kind,
      'order_status_unknown',
      `${d.message}; the order may have reached Binance: it is recorded PENDING under client order id ${rows[0].clientOrderId} and reconciled in the background`,
      { ...d.details, code: 'order_status_unknown', client_order_id: rows[0].clientOrderId, order_status: 'PENDING' },
    );
  }

  private intent(
    userId: string,
    spec: OrderSpec,
    o: { role: BrokerOrderRecord['role']; clientOrderId: string; type: string; side: Side; price: Decimal },
    notional: Decimal,
    ocoGroupId: string | null = null,
  ): BrokerOrderRecord {
    const now = this.clock.now();
    return {
      id: newId(),
      userId,
      exchange: 'BINANCE',
      target: this.session.target,
      symbol: spec.symbol,
      side: o.side,
      type: o.type,
      qty: spec.qty.toFixed(),
      price: o.price.toFixed(),
      notionalUsd: notional.toFixed(),
      clientOrderId: o.clientOrderId,
      exchangeOrderId: null,
      status: 'PENDING',
      filledQty: '0',
      filledQuote: '0',
      statusReason: null,
      role: o.role,
      ocoGroupId,
      createdAt: now,
      updatedAt: now,
    };
  }
}
