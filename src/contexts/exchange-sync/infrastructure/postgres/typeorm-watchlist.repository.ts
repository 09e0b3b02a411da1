import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { WatchlistRepository } from '../../domain/exchange-sync.ports';
import { WatchlistItem } from '../../domain/watchlist';
import { date, returned } from './sql-helpers';

type Row = Record<string, unknown>;
const toItem = (r: Row): WatchlistItem => ({
  id: r.id as string,
  userId: r.user_id as string,
  symbol: r.symbol as string,
  createdAt: date(r.created_at),
});

@Injectable()
export class TypeormWatchlistRepository extends WatchlistRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async list(userId: string): Promise<WatchlistItem[]> {
    return (await this.q(`SELECT * FROM watchlist_items WHERE user_id = $1 ORDER BY created_at, symbol`, [userId])).map(toItem);
  }

  async count(userId: string): Promise<number> {
    const [r] = await this.q(`SELECT count(*)::int AS n FROM watchlist_items WHERE user_id = $1`, [userId]);
    return Number(r.n);
  }

  async add(item: WatchlistItem): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO watchlist_items (id, user_id, symbol, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, symbol) DO NOTHING RETURNING id`,
      [item.id, item.userId, item.symbol, item.createdAt],
    );
    return rows.length === 1;
  }

  async remove(userId: string, symbol: string): Promise<boolean> {
    const rows = await this.q(`DELETE FROM watchlist_items WHERE user_id = $1 AND symbol = $2 RETURNING id`, [userId, symbol]);
    return returned(rows).length === 1;
  }

  async replace(userId: string, items: WatchlistItem[]): Promise<void> {
    await this.q(`DELETE FROM watchlist_items WHERE user_id = $1`, [userId]);
    for (const i of items) await this.add(i);
  }
}
