import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { ExecutedFill, ExecutedOrderFills } from '../../domain/executed-fills.ports';
import { date, dec, decOrNull } from './sql-helpers';

@Injectable()
export class TypeormExecutedOrderFills extends ExecutedOrderFills {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async list(userId: string, to: Date, exchange?: string): Promise<ExecutedFill[]> {
    const rows: Record<string, unknown>[] = await this.txHost.tx.query(
      `SELECT id, exchange, symbol, side, cumulative_quantity, avg_price, price,
              COALESCE(exchange_updated_at, updated_at) AS at
         FROM exchange_orders
        WHERE user_id = $1 AND NOT simulated AND cumulative_quantity > 0 AND avg_price IS NOT NULL
          AND status IN ('FILLED', 'CANCELED', 'EXPIRED')
          AND COALESCE(exchange_updated_at, updated_at) <= $2
          AND ($3::varchar IS NULL OR exchange = $3)
        ORDER BY at, id`,
      [userId, to, exchange ?? null],
    );
    return rows.map((r) => ({
      id: r.id as string,
      at: date(r.at),
      exchange: r.exchange as string,
      symbol: r.symbol as string,
      side: r.side as 'BUY' | 'SELL',
      quantity: dec(r.cumulative_quantity),
      price: dec(r.avg_price),
      limitPrice: decOrNull(r.price),
    }));
  }
}
