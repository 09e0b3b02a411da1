import {
  BinanceTarget,
  BrokerOrderRecord,
  BrokerOrderRepository,
  BrokerOrderStatus,
  ExchangeOrder,
  OrderOutcome,
} from '../../src/contexts/execution/domain/execution.ports';
import type { ExchangeCredentials } from '../../src/contexts/vault';
import { Decimal } from '@kernel';
import { ScriptedBinanceGateway } from './execution-in-memory';

/** The broker orders table in memory, with the same conditional settle as the Postgres repository. */
export class InMemoryBrokerOrders extends BrokerOrderRepository {
  readonly rows = new Map<string, BrokerOrderRecord>();

  async insert(o: BrokerOrderRecord): Promise<void> {
    this.rows.set(o.id, { ...o });
  }
  async insertIntent(o: BrokerOrderRecord): Promise<boolean> {
    if ([...this.rows.values()].some((r) => r.userId === o.userId && r.target === o.target && r.clientOrderId === o.clientOrderId))
      return false;
    await this.insert(o);
    return true;
  }
  async findById(id: string) {
    const r = this.rows.get(id);
    return r ? { ...r } : null;
  }
  async findByClientOrderId(userId: string, clientOrderId: string) {
    return [...this.rows.values()].find((r) => r.userId === userId && r.clientOrderId === clientOrderId) ?? null;
  }
  async findByExchangeOrderId(userId: string, symbol: string, exchangeOrderId: string) {
    return [...this.rows.values()].find((r) => r.userId === userId && r.symbol === symbol && r.exchangeOrderId === exchangeOrderId) ?? null;
  }
  async settle(id: string, from: BrokerOrderStatus, o: OrderOutcome, at: Date): Promise<boolean> {
    const r = this.rows.get(id);
    if (!r || r.status !== from) return false;
    Object.assign(r, {
      status: o.status,
      exchangeOrderId: o.exchangeOrderId,
      filledQty: o.filledQty,
      filledQuote: o.filledQuote,
      statusReason: o.reason,
      updatedAt: at,
    });
    return true;
  }
  /** Measured send round trips by order id. */
  readonly latencies = new Map<string, number>();
  async recordLatency(ids: string[], latencyMs: number): Promise<void> {
    for (const id of ids) this.latencies.set(id, latencyMs);
  }
  async unsettled(pendingBefore: Date, limit: number) {
    return [...this.rows.values()]
      .filter(
        (r) =>
          (r.status === 'PENDING' && r.createdAt < pendingBefore) || (['NEW', 'PARTIALLY_FILLED'].includes(r.status) && r.exchangeOrderId),
      )
      .slice(0, limit);
  }
  async exposureUsd(): Promise<Decimal> {
    return new Decimal(0);
  }
}

/** Binance's order book as the reconciliation sees it: look-ups by client order id and by order id. */
export class OrderBookGateway extends ScriptedBinanceGateway {
  readonly book = new Map<string, ExchangeOrder>();
  readonly lookups: string[] = [];

  override async findOrderByClientId(...args: unknown[]) {
    const [, , symbol, clientOrderId] = args as [BinanceTarget, ExchangeCredentials, string, string];
    this.lookups.push(`client:${clientOrderId}`);
    return [...this.book.values()].find((o) => o.symbol === symbol && o.clientOrderId === clientOrderId) ?? null;
  }
  override async getOrder(...args: unknown[]) {
    const orderId = args[3] as string;
    this.lookups.push(`order:${orderId}`);
    const o = this.book.get(orderId);
    if (!o) throw new Error(`no order ${orderId}`);
    return o;
  }
}
