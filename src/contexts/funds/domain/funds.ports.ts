import { Decimal } from '@kernel';
import { Account, Fund, FundTransaction, Subscription } from './fund';

export abstract class FundCatalog {
  abstract list(): Promise<Fund[]>;
  abstract findById(id: number): Promise<Fund | null>;
  /** Idempotent: inserts the seed funds that are missing. */
  abstract ensure(funds: Fund[]): Promise<void>;
}

export abstract class AccountRepository {
  /** Idempotent (a second open keeps the first balance). */
  abstract open(userId: string, balance: Decimal, currency: string, at: Date): Promise<void>;
  abstract find(userId: string): Promise<Account | null>;
  /** Row-locks the account until the transaction ends: serializes a user's money moves. */
  abstract lock(userId: string): Promise<Account | null>;
  /**
   * A subscription's money move in ONE statement: row-locks the account and, when its balance covers
   * `amount` and the user holds no active subscription to `fundId`, debits it and advances `txSeq`.
   * Returns the account after the move; null when a rule refuses or there is no account (the caller
   * locks and reads to say which). The account and its subscriptions are one consistency boundary:
   * every change to either holds the account's row lock.
   */
  abstract debitForSubscription(userId: string, fundId: number, amount: Decimal, at: Date): Promise<Account | null>;
  /**
   * A cancellation's money move in ONE statement: the user's ACTIVE subscription `subscriptionId`
   * becomes CANCELLED (by `cancelTransactionId`) and its amount is credited to the account, advancing
   * `txSeq`; both rows are locked. Null when the user holds no such active subscription.
   */
  abstract creditForCancellation(
    userId: string,
    subscriptionId: string,
    cancelTransactionId: string,
    at: Date,
  ): Promise<{ account: Account; subscription: Subscription } | null>;
  /**
   * For `UnitOfWork.once` without a read: this instance's last known state of the account (as its own last read
   * or committed move left it), or null when it has none. Possibly stale (another instance, a script, SQL), so
   * only for `debitIfUnchanged`, whose guard pins every field of it: a stale one only makes the guard fail.
   * Taken: the next recall answers null until a read or a committed move remembers the account again.
   */
  abstract recall(userId: string): Account | null;
  /** `recall` with the user's ACTIVE subscription `subscriptionId` as last known, for `creditIfUnchanged`; null unless both are known. */
  abstract recallWithSubscription(userId: string, subscriptionId: string): { account: Account; subscription: Subscription } | null;
  /** Unlocked, for `UnitOfWork.once`: the account with its subscription `subscriptionId`; null unless both exist and are the user's. */
  abstract findWithSubscription(userId: string, subscriptionId: string): Promise<{ account: Account; subscription: Subscription } | null>;
  /**
   * Inside `UnitOfWork.once`: `debitForSubscription` as a guarded write, held with the use case's other
   * writes: it debits only while the account is still as `read` (same txSeq, balance, currency), covers `amount`
   * and the user holds no active subscription to `fundId`, else the unit of work writes nothing. Answers
   * the account after the move, computed from `read`.
   */
  abstract debitIfUnchanged(read: Account, fundId: number, amount: Decimal, at: Date): Promise<Account>;
  /**
   * Inside `UnitOfWork.once`: `creditForCancellation` as guarded writes, taking effect only while the
   * subscription is still as `read` (ACTIVE, the user's, same fund and amount) and the account still as `read`.
   * Answers the account after the move.
   */
  abstract creditIfUnchanged(
    read: { account: Account; subscription: Subscription },
    cancelTransactionId: string,
    at: Date,
  ): Promise<Account>;
}

export abstract class SubscriptionRepository {
  /**
   * Throws DomainError conflict when an active one exists for the fund (unique index backstop); inside
   * `UnitOfWork.batch` it throws when the batch is sent.
   */
  abstract insert(sub: Subscription): Promise<void>;
  abstract hasActive(userId: string, fundId: number): Promise<boolean>;
  abstract active(userId: string): Promise<Subscription[]>;
  /** Null when unknown. */
  abstract find(id: string): Promise<Subscription | null>;
}

export interface HistoryPage {
  items: FundTransaction[];
  /** seq of the last item when more may follow. */
  nextBeforeSeq: number | null;
}

/** Append-only ledger of fund transactions (document store via the outbox). */
export abstract class FundLedger {
  /** Joins the caller's transaction. */
  abstract append(tx: FundTransaction): Promise<void>;
  abstract history(userId: string, limit: number, beforeSeq?: number): Promise<HistoryPage>;
}

export interface NotifyPreference {
  channel: 'email' | 'sms';
  destination: string;
}

/** Read-only view of the user's notification preference (owned by identity). */
export abstract class NotifyPreferences {
  /** Many users' preferences in one read, by user id; a user with none (or unknown) is absent. */
  abstract forUsers(userIds: string[]): Promise<Map<string, NotifyPreference>>;
}

export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface NotificationRecord {
  id: string;
  userId: string;
  transactionId: string;
  channel: 'email' | 'sms' | null;
  destinationMasked: string | null;
  status: NotificationStatus;
  attempts: number;
  adapter: string | null;
  lastError: string | null;
}

export type NotificationChange = Pick<
  NotificationRecord,
  'channel' | 'destinationMasked' | 'status' | 'attempts' | 'adapter' | 'lastError'
>;

export abstract class NotificationLog {
  abstract create(rec: NotificationRecord, at: Date): Promise<void>;
  /** Many notices at once (one statement), each to its own change. */
  abstract updateMany(changes: (NotificationChange & { id: string })[], at: Date): Promise<void>;
  abstract forTransaction(transactionId: string): Promise<NotificationRecord | null>;
}

export type ReportMode = 'exclusive' | 'coverage';

export interface ReportClient {
  id: number;
  nombre: string;
  apellidos: string;
}

/** Seed 004 SQL part 2: clients holding a product offered only where they go. */
export abstract class ExclusiveProductReport {
  abstract clients(mode: ReportMode): Promise<ReportClient[]>;
}
