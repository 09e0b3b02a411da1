import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import {
  BrokerOrderRecord,
  BrokerOrderRepository,
  BrokerOrderStatus,
  KillSwitchRepository,
  OrderOutcome,
} from '../../domain/execution.ports';
import { KillSwitchState } from '../../domain/risk';
import { ExecutionOrderEntity, ExecutionOrderRecord, KillSwitchEntity } from './execution.records';

@Injectable()
export class TypeormKillSwitchRepository extends KillSwitchRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async get(): Promise<KillSwitchState> {
    const r = await this.txHost.tx.getRepository(KillSwitchEntity).findOneBy({ id: 1 });
    return { engaged: r?.engaged ?? false, reason: r?.reason ?? null, changedBy: r?.changed_by ?? null, changedAt: r?.changed_at ?? null };
  }

  async set(s: KillSwitchState): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO execution_kill_switch (id, engaged, reason, changed_by, changed_at) VALUES (1, $1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET engaged = $1, reason = $2, changed_by = $3, changed_at = $4`,
      [s.engaged, s.reason, s.changedBy, s.changedAt],
    );
  }
}

const toOrder = (r: ExecutionOrderRecord): BrokerOrderRecord => ({
  id: r.id,
  userId: r.user_id,
  exchange: 'BINANCE',
  target: r.target as BrokerOrderRecord['target'],
  symbol: r.symbol,
  side: r.side as BrokerOrderRecord['side'],
  type: r.type,
  qty: new Decimal(r.qty).toFixed(),
  price: r.price === null ? null : new Decimal(r.price).toFixed(),
  notionalUsd: new Decimal(r.notional_usd).toFixed(),
  clientOrderId: r.client_order_id,
  exchangeOrderId: r.exchange_order_id,
  status: r.status,
  filledQty: new Decimal(r.filled_qty).toFixed(),
  filledQuote: new Decimal(r.filled_quote).toFixed(),
  statusReason: r.status_reason,
  role: r.role as BrokerOrderRecord['role'],
  ocoGroupId: r.oco_group_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

@Injectable()
export class TypeormBrokerOrderRepository extends BrokerOrderRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private get repo() {
    return this.txHost.tx.getRepository(ExecutionOrderEntity);
  }

  private row(o: BrokerOrderRecord): ExecutionOrderRecord {
    return {
      id: o.id,
      user_id: o.userId,
      exchange: o.exchange,
      target: o.target,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      qty: o.qty,
      price: o.price,
      notional_usd: o.notionalUsd,
      client_order_id: o.clientOrderId,
      exchange_order_id: o.exchangeOrderId,
      status: o.status,
      filled_qty: o.filledQty,
      filled_quote: o.filledQuote,
      status_reason: o.statusReason,
      role: o.role,
      oco_group_id: o.ocoGroupId,
      created_at: o.createdAt,
      updated_at: o.updatedAt,
    };
  }

  async insert(o: BrokerOrderRecord): Promise<void> {
    await this.repo.insert(this.row(o));
  }

  async insertIntent(o: BrokerOrderRecord): Promise<boolean> {
    const r = await this.repo.createQueryBuilder().insert().values(this.row(o)).orIgnore().returning('id').execute();
    return r.raw.length === 1;
  }

  async findById(id: string): Promise<BrokerOrderRecord | null> {
    const r = await this.repo.findOneBy({ id });
    return r ? toOrder(r) : null;
  }

  async findByClientOrderId(userId: string, clientOrderId: string): Promise<BrokerOrderRecord | null> {
    const r = await this.repo.findOne({ where: { user_id: userId, client_order_id: clientOrderId }, order: { created_at: 'DESC' } });
    return r ? toOrder(r) : null;
  }

  async settle(id: string, from: BrokerOrderStatus, o: OrderOutcome, at: Date): Promise<boolean> {
    const r = await this.repo.update(
      { id, status: from },
      {
        status: o.status,
        exchange_order_id: o.exchangeOrderId,
        filled_qty: o.filledQty,
        filled_quote: o.filledQuote,
        status_reason: o.reason,
        updated_at: at,
      },
    );
    return r.affected === 1;
  }

  async recordLatency(ids: string[], latencyMs: number): Promise<void> {
    await this.txHost.tx.query(`UPDATE execution_orders SET send_latency_ms = $2 WHERE id = ANY($1)`, [ids, latencyMs.toFixed(3)]);
  }

  async unsettled(pendingBefore: Date, limit: number): Promise<BrokerOrderRecord[]> {
    const rows: ExecutionOrderRecord[] = await this.txHost.tx.query(
      `SELECT * FROM execution_orders
        WHERE (status = 'PENDING' AND created_at < $1) OR (status IN ('NEW', 'PARTIALLY_FILLED') AND exchange_order_id IS NOT NULL)
        ORDER BY updated_at, id LIMIT $2`,
      [pendingBefore, limit],
    );
    return rows.map(toOrder);
  }

  async findByExchangeOrderId(userId: string, symbol: string, exchangeOrderId: string): Promise<BrokerOrderRecord | null> {
    const r = await this.repo.findOneBy({ user_id: userId, symbol, exchange_order_id: exchangeOrderId });
    return r ? toOrder(r) : null;
  }

  async exposureUsd(userId: string, symbol: string): Promise<Decimal> {
    const [row] = await this.txHost.tx.query(
      `SELECT COALESCE(SUM(CASE WHEN side = 'BUY' THEN notional_usd ELSE -notional_usd END), 0)::text AS net
       FROM execution_orders
       WHERE user_id = $1 AND symbol = $2 AND role = 'ENTRY' AND status IN ('PENDING', 'NEW', 'PARTIALLY_FILLED', 'FILLED')`,
      [userId, symbol],
    );
    return new Decimal(row?.net ?? '0');
  }
}
