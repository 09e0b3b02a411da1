import { Decimal, DomainError, Notification, NotificationResult, Notifier } from '@kernel';
import { Account, Fund, FundTransaction, SEED_FUNDS, Subscription } from '../../src/contexts/funds/domain/fund';
import {
  AccountRepository,
  FundCatalog,
  FundLedger,
  HistoryPage,
  NotificationLog,
  NotificationRecord,
  NotifyPreference,
  NotifyPreferences,
  SubscriptionRepository,
} from '../../src/contexts/funds/domain/funds.ports';
import { StaleGuard } from './kernel-in-memory';

/** In-memory fakes of the funds ports, for unit tests. */
export class InMemoryCatalog extends FundCatalog {
  funds = [...SEED_FUNDS];
  async list(): Promise<Fund[]> {
    return this.funds;
  }
  async findById(id: number): Promise<Fund | null> {
    return this.funds.find((f) => f.id === id) ?? null;
  }
  async ensure(): Promise<void> {}
}

export class InMemoryAccounts extends AccountRepository {
  rows = new Map<string, Account>();
  /** What `recall` answers (and takes): empty unless a spec sets a last known state, maybe a stale one. */
  known = new Map<string, Account>();
  knownSubscriptions = new Map<string, Subscription>();
  recall(userId: string): Account | null {
    const account = this.known.get(userId) ?? null;
    this.known.delete(userId);
    return account;
  }
  recallWithSubscription(userId: string, subscriptionId: string): { account: Account; subscription: Subscription } | null {
    const subscription = this.knownSubscriptions.get(subscriptionId);
    if (!subscription || !this.known.has(userId)) return null;
    this.knownSubscriptions.delete(subscriptionId);
    return { account: this.recall(userId)!, subscription };
  }
  async open(userId: string, balance: Decimal, currency: string): Promise<void> {
    if (!this.rows.has(userId)) this.rows.set(userId, { userId, balance, currency, txSeq: 0 });
  }
  async find(userId: string): Promise<Account | null> {
    return this.rows.get(userId) ?? null;
  }
  lock = this.find;
  constructor(private readonly subscriptions?: InMemorySubscriptions) {
    super();
  }
  async debitForSubscription(userId: string, fundId: number, amount: Decimal): Promise<Account | null> {
    const account = this.rows.get(userId);
    if (!account || account.balance.lt(amount) || (await this.subscriptions?.hasActive(userId, fundId))) return null;
    return this.move(account, account.balance.minus(amount));
  }
  async creditForCancellation(userId: string, subscriptionId: string): Promise<{ account: Account; subscription: Subscription } | null> {
    const sub = await this.subscriptions?.find(subscriptionId);
    const account = this.rows.get(userId);
    if (!sub || !account || sub.userId !== userId || sub.status !== 'ACTIVE') return null;
    sub.status = 'CANCELLED';
    return { account: this.move(account, account.balance.plus(sub.amount)), subscription: { ...sub } };
  }
  async findWithSubscription(userId: string, subscriptionId: string): Promise<{ account: Account; subscription: Subscription } | null> {
    const sub = await this.subscriptions?.find(subscriptionId);
    const account = this.rows.get(userId);
    return sub && account && sub.userId === userId ? { account, subscription: { ...sub } } : null;
  }
  /** Guards first, as `UnitOfWork.once` needs: a stale read throws StaleGuard before anything is written. */
  async debitIfUnchanged(read: Account, fundId: number, amount: Decimal): Promise<Account> {
    const account = this.rows.get(read.userId);
    if (
      !account ||
      !this.unchanged(account, read) ||
      account.balance.lt(amount) ||
      (await this.subscriptions?.hasActive(read.userId, fundId))
    )
      throw new StaleGuard();
    return this.move(account, account.balance.minus(amount));
  }
  async creditIfUnchanged(read: { account: Account; subscription: Subscription }): Promise<Account> {
    const sub = await this.subscriptions?.find(read.subscription.id);
    const account = this.rows.get(read.account.userId);
    const asRead =
      sub?.userId === read.account.userId && sub.fundId === read.subscription.fundId && sub.amount.equals(read.subscription.amount);
    if (!sub || sub.status !== 'ACTIVE' || !asRead || !account || !this.unchanged(account, read.account)) throw new StaleGuard();
    sub.status = 'CANCELLED';
    return this.move(account, account.balance.plus(sub.amount));
  }
  private unchanged(now: Account, read: Account): boolean {
    return now.txSeq === read.txSeq && now.balance.equals(read.balance) && now.currency === read.currency;
  }
  private move(account: Account, balance: Decimal): Account {
    if (balance.isNegative()) throw new Error('CHECK balance >= 0 violated');
    const next = { ...account, balance, txSeq: account.txSeq + 1 };
    this.rows.set(account.userId, next);
    return next;
  }
}

export class InMemorySubscriptions extends SubscriptionRepository {
  rows = new Map<string, Subscription>();
  async insert(sub: Subscription): Promise<void> {
    if (await this.hasActive(sub.userId, sub.fundId)) throw DomainError.conflict('already_subscribed', 'dup');
    this.rows.set(sub.id, { ...sub });
  }
  async hasActive(userId: string, fundId: number): Promise<boolean> {
    return [...this.rows.values()].some((s) => s.userId === userId && s.fundId === fundId && s.status === 'ACTIVE');
  }
  async active(userId: string): Promise<Subscription[]> {
    return [...this.rows.values()].filter((s) => s.userId === userId && s.status === 'ACTIVE');
  }
  async find(id: string): Promise<Subscription | null> {
    return this.rows.get(id) ?? null;
  }
}

export class InMemoryLedger extends FundLedger {
  entries: FundTransaction[] = [];
  async append(tx: FundTransaction): Promise<void> {
    this.entries.push(tx);
  }
  async history(userId: string, limit: number, beforeSeq?: number): Promise<HistoryPage> {
    const all = this.entries
      .filter((e) => e.userId === userId && (beforeSeq === undefined || e.seq < beforeSeq))
      .sort((a, b) => b.seq - a.seq);
    const items = all.slice(0, limit);
    return { items, nextBeforeSeq: all.length > limit ? items[items.length - 1].seq : null };
  }
}

export class FixedPreferences extends NotifyPreferences {
  constructor(public pref: NotifyPreference | null = { channel: 'email', destination: 'u@test.com' }) {
    super();
  }
  async forUsers(userIds: string[]): Promise<Map<string, NotifyPreference>> {
    return new Map(this.pref ? userIds.map((id) => [id, this.pref!]) : []);
  }
}

export class InMemoryNotificationLog extends NotificationLog {
  rows = new Map<string, NotificationRecord>();
  async create(rec: NotificationRecord): Promise<void> {
    this.rows.set(rec.id, { ...rec });
  }
  async updateMany(changes: (Partial<NotificationRecord> & { id: string })[]): Promise<void> {
    for (const { id, ...change } of changes) Object.assign(this.rows.get(id)!, change);
  }
  async forTransaction(transactionId: string): Promise<NotificationRecord | null> {
    return [...this.rows.values()].find((r) => r.transactionId === transactionId) ?? null;
  }
}

/** Fails the first `failures` sends. */
export class ScriptedNotifier extends Notifier {
  sent: Notification[] = [];
  constructor(public failures = 0) {
    super();
  }
  async send(n: Notification): Promise<NotificationResult> {
    if (this.failures > 0) {
      this.failures -= 1;
      return { status: 'failed', adapter: 'scripted', error: 'gateway down' };
    }
    this.sent.push(n);
    return { status: 'sent', adapter: 'scripted' };
  }
}
