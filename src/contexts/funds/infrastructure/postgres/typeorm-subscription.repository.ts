import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal, DomainError } from '@kernel';
import { Subscription, SubscriptionStatus } from '../../domain/fund';
import { SubscriptionRepository } from '../../domain/funds.ports';
import { isUniqueViolation } from '@platform/persistence/postgres-errors';
import { KnownFundAccounts } from './known-fund-accounts';

interface SubscriptionRow {
  id: string;
  user_id: string;
  fund_id: number;
  amount: string;
  status: SubscriptionStatus;
  created_at: Date;
}

const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id,
  userId: r.user_id,
  fundId: Number(r.fund_id),
  amount: new Decimal(r.amount),
  status: r.status,
  createdAt: new Date(r.created_at),
});

const COLUMNS = 'id, user_id, fund_id, amount, status, created_at';

/** Subscriptions read or inserted through this instance are remembered (once committed) for `AccountRepository.recallWithSubscription`. */
@Injectable()
export class TypeormSubscriptionRepository extends SubscriptionRepository {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly known: KnownFundAccounts,
  ) {
    super();
  }

  private remember(subs: Subscription[]): Subscription[] {
    this.txHost.afterCommit(() => subs.forEach((s) => this.known.rememberSubscription(s)));
    return subs;
  }

  async insert(sub: Subscription): Promise<void> {
    await this.txHost.write(
      'INSERT INTO fund_subscriptions (id, user_id, fund_id, amount, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [sub.id, sub.userId, sub.fundId, sub.amount.toFixed(2), sub.status, sub.createdAt],
      (e) =>
        isUniqueViolation(e, 'fund_subscriptions_one_active')
          ? DomainError.conflict('already_subscribed', 'You already have an active subscription to this fund')
          : undefined,
    );
    this.remember([{ ...sub }]);
  }

  async hasActive(userId: string, fundId: number): Promise<boolean> {
    const rows = await this.txHost.tx.query(
      `SELECT 1 FROM fund_subscriptions WHERE user_id = $1 AND fund_id = $2 AND status = 'ACTIVE' LIMIT 1`,
      [userId, fundId],
    );
    return rows.length > 0;
  }

  async active(userId: string): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await this.txHost.tx.query(
      `SELECT ${COLUMNS} FROM fund_subscriptions WHERE user_id = $1 AND status = 'ACTIVE' ORDER BY created_at, fund_id`,
      [userId],
    );
    return this.remember(rows.map(toSubscription));
  }

  async find(id: string): Promise<Subscription | null> {
    const [row] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM fund_subscriptions WHERE id = $1`, [id]);
    return row ? this.remember([toSubscription(row)])[0] : null;
  }
}
