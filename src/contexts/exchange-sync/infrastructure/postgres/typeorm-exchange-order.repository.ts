import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { ExchangeOrder } from '../../domain/exchange-order';
import { ExchangeOrderRepository } from '../../domain/exchange-sync.ports';
import { date, dateOrNull, dec, decOrNull } from './sql-helpers';

type Row = Record<string, unknown>;

const toOrder = (r: Row): ExchangeOrder => ({
  id: r.id as string,
  userId: r.user_id as string,
  exchange: r.exchange as string,
  exchangeOrderId: (r.exchange_order_id as string | null) ?? null,
  clientOrderId: (r.client_order_id as string | null) ?? null,
  symbol: r.symbol as string,
  side: r.side as ExchangeOrder['side'],
  type: r.order_type as string,
  status: r.status as ExchangeOrder['status'],
  quantity: dec(r.quantity),
  price: decOrNull(r.price),
  triggerPrice: decOrNull(r.trigger_price),
  cumulativeQuantity: dec(r.cumulative_quantity),
  avgPrice: decOrNull(r.avg_price),
  role: (r.order_role as ExchangeOrder['role']) ?? null,
  ocoGroupId: (r.oco_group_id as string | null) ?? null,
  parentOrderId: (r.parent_order_id as string | null) ?? null,
  simulated: r.simulated === true,
  exchangeCreatedAt: dateOrNull(r.exchange_created_at),
  exchangeUpdatedAt: dateOrNull(r.exchange_updated_at),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

const COLUMNS =
  'id, user_id, exchange, exchange_order_id, client_order_id, symbol, side, order_type, status, quantity, price, trigger_price, cumulative_quantity, avg_price, order_role, oco_group_id, parent_order_id, simulated, exchange_created_at, exchange_updated_at, created_at, updated_at';

const values = (o: ExchangeOrder): unknown[] => [
  o.id,
  o.userId,
  o.exchange,
  o.exchangeOrderId,
  o.clientOrderId,
  o.symbol,
  o.side,
  o.type,
  o.status,
  o.quantity,
  o.price,
  o.triggerPrice,
  o.cumulativeQuantity,
  o.avgPrice,
  o.role,
  o.ocoGroupId,
  o.parentOrderId,
  o.simulated,
  o.exchangeCreatedAt,
  o.exchangeUpdatedAt,
  o.createdAt,
  o.updatedAt,
];
const PLACEHOLDERS = Array.from({ length: 22 }, (_, i) => `$${i + 1}`).join(', ');

@Injectable()
export class TypeormExchangeOrderRepository extends ExchangeOrderRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async findForReconcile(userId: string, exchange: string, exchangeOrderIds: string[], clientOrderIds: string[]): Promise<ExchangeOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM exchange_orders
        WHERE user_id = $1 AND exchange = $2
          AND (status NOT IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')
               OR exchange_order_id = ANY($3::varchar[])
               OR (client_order_id = ANY($4::varchar[]) AND order_role IS NOT NULL))
        FOR UPDATE`,
      [userId, exchange, exchangeOrderIds, clientOrderIds],
    );
    return rows.map(toOrder);
  }

  async insert(order: ExchangeOrder): Promise<boolean> {
    // ON CONFLICT: a concurrent sync of this user already has this exchange order; the next sync updates it.
    // Keyed per user: two users who share an exchange account each hold its orders (issue 12 item 5).
    const inserted = await this.q(
      `INSERT INTO exchange_orders (${COLUMNS}) VALUES (${PLACEHOLDERS})
       ON CONFLICT (user_id, exchange, exchange_order_id) WHERE exchange_order_id IS NOT NULL DO NOTHING RETURNING id`,
      values(order),
    );
    return inserted.length > 0;
  }

  async update(o: ExchangeOrder): Promise<void> {
    await this.q(
      `UPDATE exchange_orders SET exchange_order_id = $2, status = $3, quantity = $4, price = $5, trigger_price = $6,
         cumulative_quantity = $7, avg_price = $8, exchange_created_at = $9, exchange_updated_at = $10, updated_at = $11
       WHERE id = $1`,
      [
        o.id,
        o.exchangeOrderId,
        o.status,
        o.quantity,
        o.price,
        o.triggerPrice,
        o.cumulativeQuantity,
        o.avgPrice,
        o.exchangeCreatedAt,
        o.exchangeUpdatedAt,
        o.updatedAt,
      ],
    );
  }

  async insertOcoPair(stopLoss: ExchangeOrder, takeProfit: ExchangeOrder): Promise<boolean> {
    const inserted = await this.q(
      `INSERT INTO exchange_orders (${COLUMNS}) VALUES (${PLACEHOLDERS})
       ON CONFLICT (parent_order_id, order_role) WHERE parent_order_id IS NOT NULL DO NOTHING RETURNING id`,
      values(stopLoss),
    );
    if (inserted.length === 0) return false;
    await this.q(`INSERT INTO exchange_orders (${COLUMNS}) VALUES (${PLACEHOLDERS})`, values(takeProfit));
    return true;
  }

  async activeLegs(userId: string, exchange: string): Promise<ExchangeOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM exchange_orders WHERE user_id = $1 AND exchange = $2 AND order_role IS NOT NULL
         AND status NOT IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED') ORDER BY created_at, order_role FOR UPDATE`,
      [userId, exchange],
    );
    return rows.map(toOrder);
  }

  async legsOfGroups(groupIds: string[]): Promise<ExchangeOrder[]> {
    if (!groupIds.length) return [];
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM exchange_orders WHERE oco_group_id = ANY($1::uuid[]) ORDER BY order_role FOR UPDATE`,
      [groupIds],
    );
    return rows.map(toOrder);
  }

  async recordedSymbols(userId: string, exchange: string): Promise<{ symbol: string; open: boolean }[]> {
    const rows = await this.q(
      `SELECT symbol, bool_or(status NOT IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')) AS open, max(updated_at) AS last
         FROM exchange_orders WHERE user_id = $1 AND exchange = $2 GROUP BY symbol ORDER BY open DESC, last DESC LIMIT 500`,
      [userId, exchange],
    );
    return rows.map((r) => ({ symbol: r.symbol as string, open: r.open === true }));
  }

  async listOpen(userId: string): Promise<ExchangeOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM exchange_orders WHERE user_id = $1 AND status IN ('PENDING', 'NEW', 'ACTIVE') ORDER BY created_at DESC, id LIMIT 500`,
      [userId],
    );
    return rows.map(toOrder);
  }

  async listExecuted(userId: string, limit: number): Promise<ExchangeOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM exchange_orders WHERE user_id = $1 AND status = 'FILLED'
        ORDER BY COALESCE(exchange_updated_at, updated_at) DESC, id LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toOrder);
  }
}
