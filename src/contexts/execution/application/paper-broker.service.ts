import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, DomainError, newId, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { clientOrderId } from '../domain/client-order-id';
import { AccountBalance, BinanceTarget } from '../domain/execution.ports';
import { parseOrderSpec } from '../domain/order-spec';
import { buyReserve, crosses, marketFillPrice, unfilled } from '../domain/paper';
import { PaperBook, PaperOrder } from '../domain/paper.ports';
import { assertProtectionOnTick, parseProtection } from '../domain/protection';
import { MODE_LABEL } from '../domain/trading-mode';
import { AccountInfoResult, BalanceResult, OrderResult, PlacedOrder, PositionsResult } from './broker.results';
import { nonZero, positionsOf } from './balances';
import { BrokerSession } from './broker-session';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';
import { PaperLedger, paperView } from './paper-ledger';
import { RiskManager } from './risk-manager.service';
import { TradingModeService } from './trading-mode.service';
import { stopwatch } from './stopwatch';

/** Paper fills use the real exchange's public prices and filters (no key needed), whatever LIVE_TRADING says. */
export const PAPER_PRICES: BinanceTarget = 'live';
const MODE = MODE_LABEL.paper;

export interface PaperCreateCommand {
  symbol: unknown;
  side: unknown;
  quantity: unknown;
  price?: unknown;
  type?: unknown;
  stop_loss?: unknown;
  take_profit?: unknown;
}

/**
 * The broker in paper mode: seed 002's endpoints answered from a paper account, never a
 * private exchange endpoint. MARKET fills at the public last price moved by
 * PAPER_SLIPPAGE_BPS; a LIMIT fills at once when marketable, else when the paper-fills
 * job sees the price cross; PAPER_FEE_BPS on every fill; stop_loss + take_profit become
 * a simulated OCO pair once the entry fills. The kill switch and the risk manager apply.
 */
@Injectable()
export class PaperBrokerService {
  constructor(
    private readonly book: PaperBook,
    private readonly ledger: PaperLedger,
    private readonly market: MarketDataService,
    private readonly risk: RiskManager,
    private readonly killSwitch: KillSwitchService,
    private readonly session: BrokerSession,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly modes: TradingModeService,
  ) {}

  /** The broker's one question: does this user trade on paper now? */
  active(userId: string): Promise<boolean> {
    return this.modes.isPaper(userId);
  }

  private get start(): string {
    return this.config.paperStartUsdt;
  }

  /** The public last price and how long the call took (the latency the performance metrics average). */
  async lastPrice(symbol: string): Promise<{ price: Decimal; latencyMs: number }> {
    const elapsed = stopwatch();
    const price = await this.session.upstream(() => this.market.price(PAPER_PRICES, symbol));
    return { price, latencyMs: elapsed() };
  }

  async createOrder(userId: string, cmd: PaperCreateCommand, idempotencyKey: string | undefined, meta: RequestMeta): Promise<PlacedOrder> {
    const spec = parseOrderSpec(
      { exchange: 'BINANCE', symbol: cmd.symbol, side: cmd.side, qty: cmd.quantity, price: cmd.price, type: cmd.type },
      { maxQty: new Decimal(this.config.riskMaxQty) },
    );
    const id = clientOrderId(userId, idempotencyKey);
    const summary = {
      symbol: spec.symbol,
      side: spec.side,
      type: spec.type,
      quantity: spec.qty.toFixed(),
      client_order_id: id,
      mode: MODE,
    };
    try {
      await this.killSwitch.assertDisengaged();
      const rules = await this.session.upstream(() => this.market.rules(PAPER_PRICES, spec.symbol));
      if (!rules) throw DomainError.invalid('unknown_symbol', `Unknown or delisted symbol: ${spec.symbol}`, { field: 'symbol' });
      const { price: last, latencyMs } = await this.lastPrice(spec.symbol);
      const reference = spec.price ?? last;
      const protection = parseProtection(spec.side, reference, cmd);
      if (protection) assertProtectionOnTick(protection, rules);
      const epoch = await this.uow.run(() => this.book.lockAccount(userId, this.start, this.clock.now()));
      await this.risk.enforce(userId, spec, PAPER_PRICES, await this.book.exposureUsd(userId, spec.symbol, epoch));
      const placed = await this.uow.run(async () => {
        const now = this.clock.now();
        const entry: PaperOrder = {
          id: newId(),
          userId,
          epoch: await this.book.lockAccount(userId, this.start, now),
          orderId: await this.book.nextOrderId(),
          clientOrderId: id,
          symbol: spec.symbol,
          baseAsset: rules.baseAsset,
          quoteAsset: rules.quoteAsset,
          side: spec.side,
          type: spec.type,
          price: spec.price?.toFixed() ?? null,
          stopPrice: null,
          qty: spec.qty.toFixed(),
          role: 'ENTRY',
          ocoGroupId: null,
          stopLoss: protection?.stopLoss.toFixed() ?? null,
          takeProfit: protection?.takeProfit.toFixed() ?? null,
          reserved: '0',
          reservedAsset: null,
          referencePrice: reference.toFixed(),
          ...unfilled(now),
        };
        const marketable = spec.type === 'MARKET' || crosses({ ...entry, type: 'LIMIT', price: spec.price!, stopPrice: null }, last);
        let result = entry;
        let legs: PaperOrder[] = [];
        if (marketable) {
          await this.book.insert(entry);
          const price = spec.type === 'MARKET' ? marketFillPrice(last, spec.side, new Decimal(this.config.paperSlippageBps)) : last;
          result = await this.ledger.fill(entry, price, latencyMs, false);
          legs = await this.ledger.protect(result);
        } else {
          const [asset, amount] =
            spec.side === 'BUY' ? [entry.quoteAsset, buyReserve(spec.qty, spec.price!, this.ledger.feeBps)] : [entry.baseAsset, spec.qty];
          await this.ledger.hold(userId, asset, amount);
          result = { ...entry, reserved: amount.toFixed(), reservedAsset: asset };
          await this.book.insert(result);
        }
        await this.audit.record(
          {
            eventType: 'broker.order.create',
            outcome: 'success',
            userId,
            payload: {
              ...summary,
              order_id: entry.orderId,
              status: result.status,
              protection: protection ? (legs.length ? 'PLACED' : 'PENDING') : null,
            },
          },
          meta,
        );
        return { result, legs };
      });
      return {
        mode: MODE,
        entry: paperView(placed.result),
        protection: protection
          ? {
              status: placed.legs.length ? 'PLACED' : 'PENDING',
              orderListId: placed.legs[0]?.ocoGroupId ?? null,
              stopLoss: protection.stopLoss.toFixed(),
              takeProfit: protection.takeProfit.toFixed(),
              orders: placed.legs.map(paperView),
              error: null,
            }
          : null,
      };
    } catch (e) {
      const reason = e instanceof DomainError ? e.code : 'error';
      await this.audit.record({ eventType: 'broker.order.create', outcome: 'failure', userId, payload: { ...summary, reason } }, meta);
      throw e;
    }
  }

  private async mine(userId: string, symbol: string, orderId: string): Promise<PaperOrder> {
    const o = await this.book.find(userId, symbol, orderId);
    if (!o) throw DomainError.notFound('order_not_found', 'Order not found');
    return o;
  }

  /** An open order cancelled and its hold released; cancelling either leg of an OCO pair cancels both (as Binance does). */
  async cancelOrder(userId: string, symbol: string, orderId: string, meta: RequestMeta): Promise<OrderResult> {
    const cancelled = await this.uow.run(async () => {
      await this.book.lockAccount(userId, this.start, this.clock.now());
      const o = await this.mine(userId, symbol, orderId);
      if (o.status !== 'NEW') {
        throw DomainError.invalid('order_not_open', `Order ${orderId} is ${o.status}: only an open (NEW) order can be cancelled`);
      }
      await this.ledger.release(o);
      const done: PaperOrder = { ...o, status: 'CANCELED', updatedAt: this.clock.now() };
      await this.book.update(done);
      if (o.role !== 'ENTRY' && o.ocoGroupId) await this.ledger.cancelSiblings(done);
      await this.audit.record(
        {
          eventType: 'broker.order.cancel',
          outcome: 'success',
          userId,
          payload: { symbol, order_id: orderId, status: 'CANCELED', mode: MODE },
        },
        meta,
      );
      return done;
    });
    return { mode: MODE, order: paperView(cancelled) };
  }

  async getOrder(userId: string, symbol: string, orderId: string): Promise<OrderResult> {
    return { mode: MODE, order: paperView(await this.mine(userId, symbol, orderId)) };
  }

  private async balances(userId: string): Promise<AccountBalance[]> {
    return this.uow.run(async () => {
      await this.book.lockAccount(userId, this.start, this.clock.now());
      return this.book.balances(userId);
    });
  }

  async balance(userId: string): Promise<BalanceResult> {
    const fee = this.config.paperFeeBps;
    return { mode: MODE, balances: (await this.balances(userId)).filter(nonZero), makerCommission: fee, takerCommission: fee };
  }

  async positions(userId: string): Promise<PositionsResult> {
    return { mode: MODE, positions: positionsOf(await this.balances(userId)) };
  }

  async accountInfo(userId: string): Promise<AccountInfoResult> {
    const fee = this.config.paperFeeBps;
    const balances = await this.balances(userId);
    return {
      mode: MODE,
      accountType: 'PAPER',
      canTrade: true,
      permissions: ['SPOT'],
      makerCommission: fee,
      takerCommission: fee,
      assetsWithBalance: balances.filter(nonZero).length,
    };
  }

  /** POST /api/broker/paper/reset: open orders cancelled, PAPER_START_USDT again, a new epoch for the metrics. */
  async reset(userId: string, meta: RequestMeta): Promise<{ epoch: number; balances: AccountBalance[] }> {
    return this.uow.run(async () => {
      const now = this.clock.now();
      await this.book.lockAccount(userId, this.start, now);
      const epoch = await this.book.reset(userId, this.start, now);
      await this.audit.record(
        { eventType: 'broker.paper.reset', outcome: 'success', userId, payload: { epoch, start_usdt: this.start } },
        meta,
      );
      return { epoch, balances: await this.book.balances(userId) };
    });
  }
}
