import { Injectable } from '@nestjs/common';
import {
  AuditTrail,
  Clock,
  Decimal,
  DomainError,
  ExchangeCredentials,
  ExchangeCredentialsProvider,
  newId,
  RequestMeta,
  UnitOfWork,
} from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { clientOrderId } from '../domain/client-order-id';
import {
  AccountBalance,
  BinanceTarget,
  BrokerOrderRecord,
  BrokerOrderRepository,
  ExchangeGateway,
  ExchangeOco,
  ExchangeOrder,
} from '../domain/execution.ports';
import { parseAmount, MAX_PRICE, parseOrderSpec, Side } from '../domain/order-spec';
import { onStep, USD_QUOTES } from '../domain/symbol-rules';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { RiskManager } from './risk-manager.service';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';

export interface CreateOrderCommand {
  symbol: unknown;
  side: unknown;
  quantity: unknown;
  price: unknown;
  stop_loss?: unknown;
  take_profit?: unknown;
}

export interface OrderView {
  order_id: string;
  client_order_id: string | null;
  symbol: string;
  side: string;
  type: string;
  status: string;
  price: string | null;
  quantity: string;
  filled: string;
  remaining: string;
}

export interface CreateOrderResult {
  status: 'success';
  mode: string;
  order_id: string;
  order: OrderView;
  protection: {
    status: 'PLACED' | 'FAILED';
    order_list_id: string | null;
    stop_loss: string;
    take_profit: string;
    orders: OrderView[];
    error: Record<string, unknown> | null;
  } | null;
}

export const orderView = (o: ExchangeOrder): OrderView => ({
  order_id: o.orderId,
  client_order_id: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  status: o.status,
  price: o.price === null ? null : new Decimal(o.price).toFixed(),
  quantity: new Decimal(o.origQty).toFixed(),
  filled: new Decimal(o.executedQty).toFixed(),
  remaining: new Decimal(o.origQty).minus(o.executedQty).toFixed(),
});

const nonZero = (b: AccountBalance) => !new Decimal(b.free).plus(b.locked).isZero();

/** Seed 002's broker endpoints: Binance testnet unless LIVE_TRADING=true. */
@Injectable()
export class BrokerService {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly market: MarketDataService,
    private readonly risk: RiskManager,
    private readonly orders: BrokerOrderRepository,
    private readonly killSwitch: KillSwitchService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  get target(): BinanceTarget {
    return this.config.liveTrading ? 'live' : 'testnet';
  }

  get mode(): string {
    return this.target === 'live' ? 'REAL TRADING' : 'TESTNET';
  }

  private async creds(userId: string): Promise<ExchangeCredentials> {
    const c = await this.credentials.reveal(userId, 'BINANCE');
    if (!c) throw DomainError.invalid('missing_credentials', 'Missing credentials for BINANCE');
    return c;
  }

  private async upstream<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw e instanceof ExchangeUpstreamError ? toDomainError(e) : e;
    }
  }

  async ping() {
    const started = process.hrtime.bigint();
    const { serverTime } = await this.upstream(() => this.gateway.ping(this.target));
    const latency = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    return {
      status: 'connected',
      exchange: 'BINANCE',
      mode: this.mode,
      server_time: serverTime,
      clock_skew_ms: serverTime - Date.now(),
      latency_ms: latency,
    };
  }

  async balance(userId: string) {
    const creds = await this.creds(userId);
    const a = await this.upstream(() => this.gateway.account(this.target, creds));
    return {
      status: 'connected',
      mode: this.mode,
      balances: a.balances.filter(nonZero),
      maker_commission: a.makerCommission,
      taker_commission: a.takerCommission,
    };
  }

  async positions(userId: string) {
    const creds = await this.creds(userId);
    const a = await this.upstream(() => this.gateway.account(this.target, creds));
    const positions = a.balances
      .filter((b) => nonZero(b) && !USD_QUOTES.has(b.asset))
      .map((b) => ({ asset: b.asset, free: b.free, locked: b.locked, total: new Decimal(b.free).plus(b.locked).toFixed() }));
    return { mode: this.mode, positions };
  }

  async accountInfo(userId: string) {
    const creds = await this.creds(userId);
    const a = await this.upstream(() => this.gateway.account(this.target, creds));
    return {
      mode: this.mode,
      account_type: a.accountType,
      can_trade: a.canTrade,
      permissions: a.permissions,
      maker_commission: a.makerCommission,
      taker_commission: a.takerCommission,
      assets_with_balance: a.balances.filter(nonZero).length,
    };
  }

  /** A LIMIT GTC entry; with stop_loss AND take_profit an OCO protection on the opposite side. */
  async createOrder(
    userId: string,
    cmd: CreateOrderCommand,
    idempotencyKey: string | undefined,
    meta: RequestMeta,
  ): Promise<CreateOrderResult> {
    const spec = parseOrderSpec(
      { exchange: 'BINANCE', symbol: cmd.symbol, side: cmd.side, qty: cmd.quantity, price: cmd.price, type: 'LIMIT' },
      { maxQty: new Decimal(this.config.riskMaxQty) },
    );
    const protection = this.parseProtection(spec.side, spec.price!, cmd);
    const id = clientOrderId(userId, idempotencyKey);
    const summary = {
      symbol: spec.symbol,
      side: spec.side,
      quantity: spec.qty.toFixed(),
      price: spec.price!.toFixed(),
      stop_loss: protection?.stopLoss.toFixed() ?? null,
      take_profit: protection?.takeProfit.toFixed() ?? null,
      client_order_id: id,
      mode: this.mode,
    };
    let entry: ExchangeOrder;
    let notionalUsd: Decimal;
    let creds: ExchangeCredentials;
    try {
      await this.killSwitch.assertDisengaged();
      creds = await this.creds(userId);
      const rules = await this.market.rules(this.target, spec.symbol);
      if (protection && rules?.priceFilter) {
        const { minPrice, tickSize } = rules.priceFilter;
        for (const [field, v] of [
          ['stop_loss', protection.stopLoss],
          ['take_profit', protection.takeProfit],
        ] as const) {
          if (!onStep(v, minPrice, tickSize)) {
            throw DomainError.invalid(
              'validation_failed',
              `Validation failed: ${field}: must be a multiple of the tick ${tickSize.toFixed()}`,
              { errors: [{ field, messages: [`must be a multiple of the tick ${tickSize.toFixed()}`] }] },
            );
          }
        }
      }
      ({ notionalUsd } = await this.risk.enforce(userId, spec, this.target));
      entry = await this.gateway.placeOrder(this.target, creds, {
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

    let oco: ExchangeOco | null = null;
    let ocoError: Record<string, unknown> | null = null;
    const ocoGroup = protection ? clientOrderId(userId, idempotencyKey, '-oco') : null;
    if (protection) {
      try {
        oco = await this.gateway.placeOco(this.target, creds, {
          symbol: spec.symbol,
          side: spec.side === 'BUY' ? 'SELL' : 'BUY',
          qty: spec.qty.toFixed(),
          takeProfit: protection.takeProfit.toFixed(),
          stopLoss: protection.stopLoss.toFixed(),
          listClientOrderId: ocoGroup!,
        });
      } catch (e) {
        if (!(e instanceof ExchangeUpstreamError)) throw e;
        const d = toDomainError(e).details ?? {};
        ocoError = { code: d.code, upstream_status: d.upstream_status, message: d.upstream_message };
      }
    }

    const now = this.clock.now();
    const record = (o: ExchangeOrder, role: BrokerOrderRecord['role'], notional: Decimal): BrokerOrderRecord => ({
      id: newId(),
      userId,
      exchange: 'BINANCE',
      target: this.target,
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
            protection_error: ocoError,
          },
        },
        meta,
      );
    });
    return {
      status: 'success',
      mode: this.mode,
      order_id: entry.orderId,
      order: orderView(entry),
      protection: protection
        ? {
            status: oco ? 'PLACED' : 'FAILED',
            order_list_id: oco?.orderListId ?? null,
            stop_loss: protection.stopLoss.toFixed(),
            take_profit: protection.takeProfit.toFixed(),
            orders: (oco?.orders ?? []).map(orderView),
            error: ocoError,
          }
        : null,
    };
  }

  private parseProtection(side: Side, price: Decimal, cmd: CreateOrderCommand): { stopLoss: Decimal; takeProfit: Decimal } | null {
    const has = (v: unknown) => v !== undefined && v !== null;
    if (!has(cmd.stop_loss) && !has(cmd.take_profit)) return null;
    const errors: { field: string; messages: string[] }[] = [];
    if (!has(cmd.stop_loss))
      errors.push({ field: 'stop_loss', messages: ['stop_loss is required with take_profit (OCO protection needs both)'] });
    if (!has(cmd.take_profit))
      errors.push({ field: 'take_profit', messages: ['take_profit is required with stop_loss (OCO protection needs both)'] });
    const stopLoss = has(cmd.stop_loss) ? parseAmount(cmd.stop_loss, 'stop_loss', MAX_PRICE, errors) : undefined;
    const takeProfit = has(cmd.take_profit) ? parseAmount(cmd.take_profit, 'take_profit', MAX_PRICE, errors) : undefined;
    if (stopLoss && takeProfit) {
      const long = side === 'BUY';
      if (long ? !stopLoss.lt(price) : !stopLoss.gt(price))
        errors.push({ field: 'stop_loss', messages: [`stop_loss must be ${long ? 'below' : 'above'} the price for a ${side}`] });
      if (long ? !takeProfit.gt(price) : !takeProfit.lt(price))
        errors.push({ field: 'take_profit', messages: [`take_profit must be ${long ? 'above' : 'below'} the price for a ${side}`] });
    }
    if (errors.length) {
      throw DomainError.invalid(
        'validation_failed',
        `Validation failed: ${errors.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ')}`,
        { errors },
      );
    }
    return { stopLoss: stopLoss!, takeProfit: takeProfit! };
  }

  async cancelOrder(userId: string, symbol: unknown, orderId: unknown, meta: RequestMeta) {
    const { sym, id } = this.orderRef(symbol, orderId);
    const creds = await this.creds(userId);
    try {
      const o = await this.gateway.cancelOrder(this.target, creds, sym, id);
      await this.uow.run(async () => {
        const mine = await this.orders.findByExchangeOrderId(userId, sym, id);
        if (mine) await this.orders.updateStatus(mine.id, o.status, this.clock.now());
        await this.audit.record(
          {
            eventType: 'broker.order.cancel',
            outcome: 'success',
            userId,
            payload: { symbol: sym, order_id: id, status: o.status, mode: this.mode },
          },
          meta,
        );
      });
      return { status: 'success', mode: this.mode, cancelled_order: orderView(o) };
    } catch (e) {
      if (!(e instanceof ExchangeUpstreamError)) throw e;
      await this.audit.record(
        {
          eventType: 'broker.order.cancel',
          outcome: 'failure',
          userId,
          payload: { symbol: sym, order_id: id, reason: e.kind, upstream_code: e.upstreamCode },
        },
        meta,
      );
      throw toDomainError(e);
    }
  }

  async getOrder(userId: string, symbol: unknown, orderId: unknown) {
    const { sym, id } = this.orderRef(symbol, orderId);
    const creds = await this.creds(userId);
    const o = await this.upstream(() => this.gateway.getOrder(this.target, creds, sym, id));
    const mine = await this.orders.findByExchangeOrderId(userId, sym, id);
    if (mine && mine.status !== o.status) await this.orders.updateStatus(mine.id, o.status, this.clock.now());
    const v = orderView(o);
    return { mode: this.mode, status: o.status, filled: v.filled, remaining: v.remaining, order: v };
  }

  private orderRef(symbol: unknown, orderId: unknown): { sym: string; id: string } {
    const errors: { field: string; messages: string[] }[] = [];
    let sym = '';
    try {
      sym = parseOrderSpec({ exchange: 'BINANCE', symbol, side: 'BUY', qty: 1 }).symbol;
    } catch (e) {
      const list = ((e as DomainError).details?.errors as typeof errors | undefined) ?? [];
      errors.push(...list.filter((x) => x.field === 'symbol'));
    }
    const id = typeof orderId === 'number' ? String(orderId) : orderId;
    if (typeof id !== 'string' || !/^\d{1,20}$/.test(id))
      errors.push({ field: 'order_id', messages: ['order_id must be the numeric Binance order id'] });
    if (errors.length) {
      throw DomainError.invalid(
        'validation_failed',
        `Validation failed: ${errors.map((x) => `${x.field}: ${x.messages.join(', ')}`).join('; ')}`,
        { errors },
      );
    }
    return { sym, id: id as string };
  }
}
