import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import { HeldPosition, PortfolioRepository, StoredPortfolio } from '../../domain/exchange-sync.ports';
import { Portfolio } from '../../domain/valuation';
import { dateOrNull, dec, decOrNull } from './sql-helpers';

type Row = Record<string, unknown>;

@Injectable()
export class TypeormPortfolioRepository extends PortfolioRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async replace(userId: string, exchange: string, p: Portfolio, at: Date): Promise<void> {
    await this.q(`DELETE FROM exchange_balances WHERE user_id = $1 AND exchange = $2 AND NOT (currency = ANY($3::varchar[]))`, [
      userId,
      exchange,
      p.balances.map((b) => b.currency),
    ]);
    if (p.balances.length) {
      const params: unknown[] = [userId, exchange, at];
      const tuples = p.balances.map((b) => {
        params.push(b.currency, b.quantity, b.usdPrice, b.usdValue);
        const n = params.length;
        return `($1, $2, $${n - 3}, $${n - 2}, $${n - 1}, $${n}, $3)`;
      });
      await this.q(
        `INSERT INTO exchange_balances (user_id, exchange, currency, quantity, usd_price, usd_value, updated_at) VALUES ${tuples.join(', ')}
         ON CONFLICT (user_id, exchange, currency) DO UPDATE SET quantity = EXCLUDED.quantity, usd_price = EXCLUDED.usd_price,
           usd_value = EXCLUDED.usd_value, updated_at = EXCLUDED.updated_at`,
        params,
      );
    }
    await this.q(`UPDATE exchange_sync_users SET total_usd = $3 WHERE user_id = $1 AND exchange = $2`, [userId, exchange, p.totalUsd]);
  }

  async get(userId: string, exchange: string): Promise<StoredPortfolio> {
    const rows = await this.q(
      `SELECT currency, quantity, usd_price, usd_value, updated_at FROM exchange_balances WHERE user_id = $1 AND exchange = $2 ORDER BY currency`,
      [userId, exchange],
    );
    let total = new Decimal(0);
    const balances = rows.map((r) => {
      const usdValue = decOrNull(r.usd_value);
      if (usdValue) total = total.plus(usdValue);
      return { currency: r.currency as string, quantity: dec(r.quantity), usdPrice: decOrNull(r.usd_price), usdValue };
    });
    const syncedAt = rows.length ? dateOrNull(rows[0].updated_at) : null;
    return { balances, totalUsd: total.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2), syncedAt };
  }

  async positions(exchange: string, usdLike: string[]): Promise<HeldPosition[]> {
    const rows = await this.q(
      `SELECT user_id, currency, quantity, usd_value FROM exchange_balances
        WHERE exchange = $1 AND quantity > 0 AND NOT (currency = ANY($2::varchar[])) ORDER BY user_id, currency`,
      [exchange, usdLike],
    );
    return rows.map((r) => ({
      userId: r.user_id as string,
      currency: r.currency as string,
      quantity: dec(r.quantity),
      usdValue: decOrNull(r.usd_value),
    }));
  }
}
