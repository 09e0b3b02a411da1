import { Injectable } from '@nestjs/common';
import { Account, Subscription } from '../../domain/fund';

/** Per instance, ~200 bytes an entry: 10,000 accounts and 10,000 subscriptions are a few MB at most. */
const MAX_ENTRIES = 10_000;

/** A Map kept to its `max` most recently set keys (a Map iterates in insertion order: the first is the oldest). */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

/**
 * This instance's last known state of fund accounts and of their ACTIVE subscriptions, as its own reads and
 * committed moves left them, so that `UnitOfWork.once` can send a subscribe's or a cancel's guarded statement
 * without reading first (issue 16). An entry is a guess, never a fact: another instance, a script or plain SQL
 * may have moved the row since. It is only ever used for a guarded write whose guard pins every field the entry
 * holds (tx_seq, balance, currency; the subscription's owner, fund, amount and ACTIVE status), so a stale entry
 * makes the guard fail and the caller re-read; nothing is written from it. Recalling takes the entry: the next
 * recall answers null until a read or a committed move remembers the row again, so a failed guard evicts it.
 */
@Injectable()
export class KnownFundAccounts {
  private readonly accounts = new Lru<string, Account>(MAX_ENTRIES);
  private readonly subscriptions = new Lru<string, Subscription>(MAX_ENTRIES);
  /** What `recall` handed out: a guarded write made from one of these is the one-round-trip path. */
  private readonly recalled = new WeakSet<Account>();

  remember(account: Account): void {
    this.accounts.set(account.userId, { ...account }); // a copy: only what `recall` hands out counts as recalled
  }

  /** A subscription as read or written: kept while ACTIVE, dropped otherwise. */
  rememberSubscription(sub: Subscription): void {
    if (sub.status === 'ACTIVE') this.subscriptions.set(sub.id, sub);
    else this.subscriptions.delete(sub.id);
  }

  forgetSubscription(id: string): void {
    this.subscriptions.delete(id);
  }

  recall(userId: string): Account | null {
    const account = this.accounts.get(userId);
    if (!account) return null;
    this.accounts.delete(userId);
    this.recalled.add(account);
    return account;
  }

  /** Both, or null (and neither taken). */
  recallWithSubscription(userId: string, subscriptionId: string): { account: Account; subscription: Subscription } | null {
    const subscription = this.subscriptions.get(subscriptionId);
    if (subscription?.userId !== userId || !this.accounts.get(userId)) return null;
    this.subscriptions.delete(subscriptionId);
    return { account: this.recall(userId)!, subscription };
  }

  wasRecalled(account: Account): boolean {
    return this.recalled.has(account);
  }
}
