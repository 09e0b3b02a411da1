import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import { Fund, FundCategory } from '../../domain/fund';
import { FundCatalog } from '../../domain/funds.ports';

interface FundRow {
  id: number;
  name: string;
  min_amount: string;
  category: FundCategory;
  currency: string;
}

const toFund = (r: FundRow): Fund => ({
  id: Number(r.id),
  name: r.name,
  minAmount: new Decimal(r.min_amount),
  category: r.category,
  currency: r.currency.trim(),
});

/** The catalogue is reference data (changed by migrations and the seed): read at most every 30 s. */
const CACHE_MS = 30_000;

@Injectable()
export class TypeormFundCatalog extends FundCatalog {
  private cache?: { funds: Fund[]; until: number };

  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async list(): Promise<Fund[]> {
    if (this.cache && Date.now() < this.cache.until) return this.cache.funds;
    const rows: FundRow[] = await this.txHost.tx.query('SELECT id, name, min_amount, category, currency FROM funds ORDER BY id');
    const funds = rows.map(toFund);
    this.cache = { funds, until: Date.now() + CACHE_MS };
    return funds;
  }

  async findById(id: number): Promise<Fund | null> {
    return (await this.list()).find((f) => f.id === id) ?? null;
  }

  async ensure(funds: Fund[]): Promise<void> {
    for (const f of funds) {
      await this.txHost.tx.query(
        'INSERT INTO funds (id, name, min_amount, category, currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
        [f.id, f.name, f.minAmount.toFixed(2), f.category, f.currency],
      );
    }
    this.cache = undefined;
  }
}
