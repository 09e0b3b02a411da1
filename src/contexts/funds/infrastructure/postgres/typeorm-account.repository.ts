import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { AppMetrics } from '@platform/metrics/app-metrics';
import { Decimal } from '@kernel';
import { Account, Subscription } from '../../domain/fund';
import { AccountRepository } from '../../domain/funds.ports';
import { KnownFundAccounts } from './known-fund-accounts';

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

/** An account row joined with one of its subscriptions (`s.id AS sub_id, s.fund_id, s.amount, s.created_at`). */
type AccountWithSubscriptionRow = AccountRow & { sub_id: string; fund_id: number; amount: string; created_at: Date };

const withSubscription = (row: AccountWithSubscriptionRow, status: Subscription['status']) => ({
  account: toAccount(row),
  subscription: {
    id: row.sub_id,
    userId: row.user_id,
    fundId: Number(row.fund_id),
    amount: new Decimal(row.amount),
    status,
    createdAt: new Date(row.created_at),
  },
});

/**
 * Every read and committed move of an account through this instance is remembered in `known` (an entry read
 * inside a transaction only once it commits), for `recall`: see KnownFundAccounts for why a stale one is safe.
 */
@Injectable()
export class TypeormAccountRepository extends AccountRepository {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly known: KnownFundAccounts,
    private readonly metrics: AppMetrics,
  ) {
    super();
  }

  /** Remembered once what it was read or computed from has committed: at once for a plain read. */
  private remember(account: Account, subscription?: Subscription): Account {
    this.txHost.afterCommit(() => {
      this.known.remember(account);
      if (subscription) this.known.rememberSubscription(subscription);
    });
    return account;
  }

  recall(userId: string): Account | null {
    return this.known.recall(userId);
  }

  recallWithSubscription(userId: string, subscriptionId: string): { account: Account; subscription: Subscription } | null {
    return this.known.recallWithSubscription(userId, subscriptionId);
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
    return row ? this.remember(toAccount(row)) : null;
  }

  async lock(userId: string): Promise<Account | null> {
    const [row] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM fund_accounts WHERE user_id = $1 FOR UPDATE`, [userId]);
    return row ? this.remember(toAccount(row)) : null;
  }

  async debitForSubscription(userId: string, fundId: number, amount: Decimal, at: Date): Promise<Account | null> {
    // UPDATE answers [rows, count] through TypeORM.
    const [[row]]: [AccountRow[], number] = await this.txHost.tx.query(
      `UPDATE fund_accounts SET balance = balance - $3::numeric, tx_seq = tx_seq + 1, updated_at = $4
        WHERE user_id = $1 AND balance >= $3::numeric
          AND NOT EXISTS (SELECT 1 FROM fund_subscriptions WHERE user_id = $1 AND fund_id = $2 AND status = 'ACTIVE')
       RETURNING ${COLUMNS}`,
      [userId, fundId, amount.toFixed(2), at],
    );
    if (!row) return null;
    this.txHost.afterCommit(() => this.metrics.recordMoneyMove('subscribe', 'locked'));
    return this.remember(toAccount(row));
  }

  async findWithSubscription(userId: string, subscriptionId: string): Promise<{ account: Account; subscription: Subscription } | null> {
    const [row]: (AccountWithSubscriptionRow & { status: Subscription['status'] })[] = await this.txHost.tx.query(
      `SELECT a.user_id, a.balance, a.currency, a.tx_seq, s.id AS sub_id, s.fund_id, s.amount, s.status, s.created_at
           FROM fund_accounts a JOIN fund_subscriptions s ON s.user_id = a.user_id
          WHERE a.user_id = $1 AND s.id = $2`,
      [userId, subscriptionId],
    );
    if (!row) return null;
    const read = withSubscription(row, row.status);
    this.remember(read.account, read.subscription);
    return read;
  }

  // The guards pin every column `read` holds, so the row after the move is exactly the one computed here
  // (what a RETURNING would answer), whether `read` was read just now or recalled.
  async debitIfUnchanged(read: Account, fundId: number, amount: Decimal, at: Date): Promise<Account> {
    await this.txHost.guard(
      `UPDATE fund_accounts SET balance = balance - $3::numeric, tx_seq = tx_seq + 1, updated_at = $4
        WHERE user_id = $1 AND tx_seq = $5 AND balance = $6::numeric AND currency = $7 AND balance >= $3::numeric
          AND NOT EXISTS (SELECT 1 FROM fund_subscriptions WHERE user_id = $1 AND fund_id = $2 AND status = 'ACTIVE')`,
      [read.userId, fundId, amount.toFixed(2), at, read.txSeq, read.balance.toFixed(2), read.currency],
    );
    const path = this.known.wasRecalled(read) ? 'cached' : 'read';
    this.txHost.afterCommit(() => this.metrics.recordMoneyMove('subscribe', path));
    return this.remember({ ...read, balance: read.balance.minus(amount), txSeq: read.txSeq + 1 });
  }

  async creditIfUnchanged(read: { account: Account; subscription: Subscription }, cancelTransactionId: string, at: Date): Promise<Account> {
    const { account, subscription } = read;
    // The subscription's row before the account's, as creditForCancellation locks them.
    await this.txHost.guard(
      `UPDATE fund_subscriptions SET status = 'CANCELLED', cancelled_at = $4, cancel_transaction_id = $3
        WHERE id = $2 AND user_id = $1 AND status = 'ACTIVE' AND fund_id = $5 AND amount = $6::numeric`,
      [account.userId, subscription.id, cancelTransactionId, at, subscription.fundId, subscription.amount.toFixed(2)],
    );
    await this.txHost.guard(
      `UPDATE fund_accounts SET balance = balance + $2::numeric, tx_seq = tx_seq + 1, updated_at = $3
        WHERE user_id = $1 AND tx_seq = $4 AND balance = $5::numeric AND currency = $6`,
      [account.userId, subscription.amount.toFixed(2), at, account.txSeq, account.balance.toFixed(2), account.currency],
    );
    const path = this.known.wasRecalled(account) ? 'cached' : 'read';
    this.txHost.afterCommit(() => {
      this.known.forgetSubscription(subscription.id);
      this.metrics.recordMoneyMove('cancel', path);
    });
    return this.remember({ ...account, balance: account.balance.plus(subscription.amount), txSeq: account.txSeq + 1 });
  }

  async creditForCancellation(
    userId: string,
    subscriptionId: string,
    cancelTransactionId: string,
    at: Date,
  ): Promise<{ account: Account; subscription: Subscription } | null> {
    // A concurrent cancel of the same subscription waits on its row lock, then finds it CANCELLED.
    const [[row]]: [AccountWithSubscriptionRow[], number] = await this.txHost.tx.query(
      `WITH s AS (
           UPDATE fund_subscriptions SET status = 'CANCELLED', cancelled_at = $4, cancel_transaction_id = $3
            WHERE id = $2 AND user_id = $1 AND status = 'ACTIVE'
           RETURNING id, user_id, fund_id, amount, created_at)
         UPDATE fund_accounts a SET balance = a.balance + s.amount, tx_seq = a.tx_seq + 1, updated_at = $4
           FROM s WHERE a.user_id = s.user_id
         RETURNING a.user_id, a.balance, a.currency, a.tx_seq, s.id AS sub_id, s.fund_id, s.amount, s.created_at`,
      [userId, subscriptionId, cancelTransactionId, at],
    );
    if (!row) return null;
    const moved = withSubscription(row, 'CANCELLED');
    this.txHost.afterCommit(() => this.metrics.recordMoneyMove('cancel', 'locked'));
    this.remember(moved.account, moved.subscription); // CANCELLED: forgotten
    return moved;
  }
}
