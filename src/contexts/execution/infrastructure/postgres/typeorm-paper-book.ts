import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import { AccountBalance } from '../../domain/execution.ports';
import { PaperBook, PaperOrder, TradingModeRepository } from '../../domain/paper.ports';
import { TradingMode } from '../../domain/trading-mode';

type Row = Record<string, unknown>;
const dec = (v: unknown): string | null => (v === null || v === undefined ? null : new Decimal(String(v)).toFixed());
const at = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

const COLUMNS =
  'id, user_id, epoch, order_id, client_order_id, symbol, base_asset, quote_asset, side, type, status, price, stop_price, qty, ' +
  'executed_qty, role, oco_group_id, stop_loss, take_profit, reserved, reserved_asset, reference_price, fill_price, fee, ' +
  'latency_ms, created_at, updated_at, filled_at';

const toOrder = (r: Row): PaperOrder => ({
  id: r.id as string,
  userId: r.user_id as string,
  epoch: Number(r.epoch),
  orderId: String(r.order_id),
  clientOrderId: r.client_order_id as string,
  symbol: r.symbol as string,
  baseAsset: r.base_asset as string,
  quoteAsset: r.quote_asset as string,
  side: r.side as PaperOrder['side'],
  type: r.type as PaperOrder['type'],
  status: r.status as PaperOrder['status'],
  price: dec(r.price),
  stopPrice: dec(r.stop_price),
  qty: dec(r.qty)!,
  executedQty: dec(r.executed_qty)!,
  role: r.role as PaperOrder['role'],
  ocoGroupId: (r.oco_group_id as string | null) ?? null,
  stopLoss: dec(r.stop_loss),
  takeProfit: dec(r.take_profit),
  reserved: dec(r.reserved)!,
  reservedAsset: (r.reserved_asset as string | null) ?? null,
  referencePrice: dec(r.reference_price),
  fillPrice: dec(r.fill_price),
  fee: dec(r.fee),
  latencyMs: dec(r.latency_ms),
  createdAt: at(r.created_at),
  updatedAt: at(r.updated_at),
  filledAt: r.filled_at ? at(r.filled_at) : null,
});

const values = (o: PaperOrder): unknown[] => [
  o.id,
  o.userId,
  o.epoch,
  o.orderId,
  o.clientOrderId,
  o.symbol,
  o.baseAsset,
  o.quoteAsset,
  o.side,
  o.type,
  o.status,
  o.price,
  o.stopPrice,
  o.qty,
  o.executedQty,
  o.role,
  o.ocoGroupId,
  o.stopLoss,
  o.takeProfit,
  o.reserved,
  o.reservedAsset,
  o.referencePrice,
  o.fillPrice,
  o.fee,
  o.latencyMs,
  o.createdAt,
  o.updatedAt,
  o.filledAt,
];

@Injectable()
export class TypeormPaperBook extends PaperBook {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async lockAccount(userId: string, startUsdt: string, now: Date): Promise<number> {
    const created = await this.q(
      `INSERT INTO execution_paper_accounts (user_id, epoch, started_at) VALUES ($1, 1, $2) ON CONFLICT (user_id) DO NOTHING RETURNING epoch`,
      [userId, now],
    );
    if (created.length) {
      await this.q(`INSERT INTO execution_paper_balances (user_id, asset, free, locked) VALUES ($1, 'USDT', $2, 0)`, [userId, startUsdt]);
    }
    const [row] = await this.q(`SELECT epoch FROM execution_paper_accounts WHERE user_id = $1 FOR UPDATE`, [userId]);
    return Number(row.epoch);
  }

  async balances(userId: string): Promise<AccountBalance[]> {
    const rows = await this.q(`SELECT asset, free, locked FROM execution_paper_balances WHERE user_id = $1 ORDER BY asset`, [userId]);
    return rows.map((r) => ({ asset: r.asset as string, free: dec(r.free)!, locked: dec(r.locked)! }));
  }

  async adjust(userId: string, asset: string, freeDelta: Decimal, lockedDelta: Decimal): Promise<void> {
    // The CHECK constraints refuse a negative balance: a bug here fails the transaction instead of minting money.
    // (The row is made at 0 first: an INSERT ... ON CONFLICT would check its own negative VALUES before the conflict.)
    await this.q(
      `INSERT INTO execution_paper_balances (user_id, asset, free, locked) VALUES ($1, $2, 0, 0) ON CONFLICT (user_id, asset) DO NOTHING`,
      [userId, asset],
    );
    await this.q(`UPDATE execution_paper_balances SET free = free + $3, locked = locked + $4 WHERE user_id = $1 AND asset = $2`, [
      userId,
      asset,
      freeDelta.toFixed(),
      lockedDelta.toFixed(),
    ]);
  }

  async nextOrderId(): Promise<string> {
    const [r] = await this.q(`SELECT nextval('execution_paper_order_ids')::text AS id`);
    return r.id as string;
  }

  async insert(o: PaperOrder): Promise<void> {
    const marks = values(o).map((_, i) => `$${i + 1}`);
    await this.q(`INSERT INTO execution_paper_orders (${COLUMNS}) VALUES (${marks.join(', ')})`, values(o));
  }

  async update(o: PaperOrder): Promise<void> {
    await this.q(
      `UPDATE execution_paper_orders SET status = $2, executed_qty = $3, fill_price = $4, fee = $5, latency_ms = $6,
         updated_at = $7, filled_at = $8, oco_group_id = $9 WHERE id = $1`,
      [o.id, o.status, o.executedQty, o.fillPrice, o.fee, o.latencyMs, o.updatedAt, o.filledAt, o.ocoGroupId],
    );
  }

  async find(userId: string, symbol: string, orderId: string): Promise<PaperOrder | null> {
    const [r] = await this.q(`SELECT ${COLUMNS} FROM execution_paper_orders WHERE user_id = $1 AND symbol = $2 AND order_id = $3`, [
      userId,
      symbol,
      orderId,
    ]);
    return r ? toOrder(r) : null;
  }

  async group(userId: string, ocoGroupId: string): Promise<PaperOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM execution_paper_orders WHERE user_id = $1 AND oco_group_id = $2 AND role <> 'ENTRY' ORDER BY order_id`,
      [userId, ocoGroupId],
    );
    return rows.map(toOrder);
  }

  async openSymbols(): Promise<string[]> {
    const rows = await this.q(`SELECT DISTINCT symbol FROM execution_paper_orders WHERE status = 'NEW' ORDER BY symbol`);
    return rows.map((r) => r.symbol as string);
  }

  async openOrders(symbol: string): Promise<PaperOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM execution_paper_orders WHERE status = 'NEW' AND symbol = $1 ORDER BY user_id, order_id`,
      [symbol],
    );
    return rows.map(toOrder);
  }

  async exposureUsd(userId: string, symbol: string, epoch: number): Promise<Decimal> {
    const [row] = await this.q(
      `SELECT COALESCE(SUM(CASE WHEN side = 'BUY' THEN 1 ELSE -1 END * qty * COALESCE(fill_price, price, reference_price)), 0)::text AS net
         FROM execution_paper_orders
        WHERE user_id = $1 AND symbol = $2 AND epoch = $3 AND role = 'ENTRY' AND status IN ('NEW', 'FILLED')`,
      [userId, symbol, epoch],
    );
    return new Decimal(String(row?.net ?? '0'));
  }

  async fills(userId: string, to: Date): Promise<PaperOrder[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `o.${c}`)
        .join(', ')} FROM execution_paper_orders o JOIN execution_paper_accounts a ON a.user_id = o.user_id AND a.epoch = o.epoch
        WHERE o.user_id = $1 AND o.status = 'FILLED' AND o.filled_at <= $2 ORDER BY o.filled_at, o.order_id`,
      [userId, to],
    );
    return rows.map(toOrder);
  }

  async reset(userId: string, startUsdt: string, now: Date): Promise<number> {
    await this.q(`UPDATE execution_paper_orders SET status = 'CANCELED', updated_at = $2 WHERE user_id = $1 AND status = 'NEW'`, [
      userId,
      now,
    ]);
    await this.q(`DELETE FROM execution_paper_balances WHERE user_id = $1`, [userId]);
    await this.q(`INSERT INTO execution_paper_balances (user_id, asset, free, locked) VALUES ($1, 'USDT', $2, 0)`, [userId, startUsdt]);
    // TypeORM answers an UPDATE with [rows, count].
    const [[r]] = (await this.q(
      `UPDATE execution_paper_accounts SET epoch = epoch + 1, started_at = $2 WHERE user_id = $1 RETURNING epoch`,
      [userId, now],
    )) as unknown as Row[][];
    return Number(r.epoch);
  }
}

@Injectable()
export class TypeormTradingModeRepository extends TradingModeRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async get(userId: string): Promise<TradingMode | null> {
    const [r] = await this.txHost.tx.query(`SELECT mode FROM execution_trading_modes WHERE user_id = $1`, [userId]);
    return (r?.mode as TradingMode | undefined) ?? null;
  }

  async set(userId: string, mode: TradingMode, now: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO execution_trading_modes (user_id, mode, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET mode = $2, updated_at = $3`,
      [userId, mode, now],
    );
  }
}
