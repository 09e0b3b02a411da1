import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import { Account } from '../../domain/fund';
import { AccountRepository } from '../../domain/funds.ports';

interface AccountRow {
  user_id: string;
  balance: string;
  currency: string;
  tx_seq: string;
}

const toAccount = (r: AccountRow): Account => ({
  userId: r.user_id,
  balance: new Decimal(r.balance),
  currency: r.currency.trim(),
  txSeq: Number(r.tx_seq),
});

const COLUMNS = 'user_id, balance, currency, tx_seq';

@Injectable()
export class TypeormAccountRepository extends AccountRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async open(userId: string, balance: Decimal, currency: string, at: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO fund_accounts (user_id, balance, currency, tx_seq, created_at, updated_at)
       VALUES ($1, $2, $3, 0, $4, $4) ON CONFLICT (user_id) DO NOTHING`,
      [userId, balance.toFixed(2), currency, at],
    );
  }

  async find(userId: string): Promise<Account | null> {
    const [row] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM fund_accounts WHERE user_id = $1`, [userId]);
    return row ? toAccount(row) : null;
  }

  async lock(userId: string): Promise<Account | null> {
    const [row] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM fund_accounts WHERE user_id = $1 FOR UPDATE`, [userId]);
    return row ? toAccount(row) : null;
  }

  async save(userId: string, balance: Decimal, txSeq: number, at: Date): Promise<void> {
    await this.txHost.tx.query('UPDATE fund_accounts SET balance = $2, tx_seq = $3, updated_at = $4 WHERE user_id = $1', [
      userId,
      balance.toFixed(2),
      txSeq,
      at,
    ]);
  }
}
