import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
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

@Injectable()
export class SqlFundCatalog extends FundCatalog {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async list(): Promise<Fund[]> {
    const rows: FundRow[] = await this.txHost.tx.query('SELECT id, name, min_amount, category, currency FROM funds ORDER BY id');
    return rows.map(toFund);
  }

  async findById(id: number): Promise<Fund | null> {
    const [row] = await this.txHost.tx.query('SELECT id, name, min_amount, category, currency FROM funds WHERE id = $1', [id]);
    return row ? toFund(row) : null;
  }

  async ensure(funds: Fund[]): Promise<void> {
    for (const f of funds) {
      await this.txHost.tx.query(
        'INSERT INTO funds (id, name, min_amount, category, currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
        [f.id, f.name, f.minAmount.toFixed(2), f.category, f.currency],
      );
    }
  }
}
