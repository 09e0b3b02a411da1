import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, DomainError, newId, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { Account, checkAmount, checkCancellable, checkSubscription, Fund, FundTransaction, Subscription } from '../domain/fund';
import { AccountRepository, FundCatalog, FundLedger, HistoryPage, SubscriptionRepository } from '../domain/funds.ports';
import { SubscriptionNotifier } from './subscription-notifier';

export interface AccountView {
  account: Account;
  subscriptions: { id: string; fund: Fund; amount: Decimal; createdAt: Date }[];
}

/**
 * Subscribe / cancel: each is one transaction that row-locks the user's account
 * (so a user's money moves are serialized and the balance can neither go
 * negative nor drift), changes the balance, and appends the fund transaction to
 * the outbox and the audit trail in the same commit. On the happy path ONE round trip
 * (bench/round-trips.ts): ONE autocommit statement (`UnitOfWork.once`) that moves the
 * money only if the account is still as this instance last knew it (`recall`) and
 * writes the rows, the documents and the notice's job with it. Without a last known
 * state, or when it was stale, two: read, then that statement. When the account
 * changed meanwhile, or a rule refuses, the locking path runs (four round trips:
 * BEGIN; one statement that locks, checks and moves the money; one batch; COMMIT).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly catalog: FundCatalog,
    private readonly accounts: AccountRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly ledger: FundLedger,
    private readonly notices: SubscriptionNotifier,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  listFunds(): Promise<Fund[]> {
    return this.catalog.list();
  }

  /** Called inside identity's registration transaction (UserRegistered). */
  openAccount(userId: string): Promise<void> {
    return this.accounts.open(userId, new Decimal(this.config.fundsInitialBalance), this.config.fundsCurrency, this.clock.now());
  }

  async account(userId: string): Promise<AccountView> {
    const account = (await this.accounts.find(userId)) ?? (await this.openLazily(userId));
    const funds = new Map((await this.catalog.list()).map((f) => [f.id, f]));
    const subs = await this.subscriptions.active(userId);
    return {
      account,
      subscriptions: subs.map((s) => ({ id: s.id, fund: funds.get(s.fundId)!, amount: s.amount, createdAt: s.createdAt })),
    };
  }

  async subscribe(userId: string, fundId: number, amount: Decimal, meta: RequestMeta): Promise<FundTransaction> {
    try {
      const fund = await this.catalog.findById(fundId);
      if (!fund) throw DomainError.notFound('fund_not_found', `Fund ${fundId} not found`);
      checkAmount(fund, amount);
      // The happy path: one statement that debits the account only if it is still as recalled (or, without
      // that or when it was stale, as read just now) and writes everything else (UnitOfWork.once). A recalled
      // state never refuses: only a fresh read or the locking path, which says why, may.
      const known = this.accounts.recall(userId);
      const fast =
        (known && (await this.subscribeOnce(fund, amount, meta, async () => known))) ??
        (await this.subscribeOnce(fund, amount, meta, () => this.accounts.find(userId)));
      if (fast) return fast;
      return await this.uow.run(async () => {
        const now = this.clock.now();
        return this.recordSubscription(fund, amount, await this.debit(userId, fund, amount, now), now, meta);
      });
    } catch (e) {
      await this.auditRefusal('funds.subscribe', userId, e, { fund_id: fundId, amount: amount.toFixed() }, meta);
      throw e;
    }
  }

  async cancel(userId: string, subscriptionId: string, meta: RequestMeta): Promise<FundTransaction> {
    try {
      const known = this.accounts.recallWithSubscription(userId, subscriptionId);
      const fast =
        (known && (await this.cancelOnce(meta, async () => known))) ??
        (await this.cancelOnce(meta, () => this.accounts.findWithSubscription(userId, subscriptionId)));
      if (fast) return fast;
      return await this.uow.run(async () => {
        const now = this.clock.now();
        const id = newId();
        const { account, subscription } = await this.credit(userId, subscriptionId, id, now);
        return this.recordCancellation(id, account, subscription, now, meta);
      });
    } catch (e) {
      await this.auditRefusal('funds.cancel', userId, e, { subscription_id: subscriptionId }, meta);
      throw e;
    }
  }

  /** The debit from the account as `read` answers it, and everything else, in ONE statement; undefined when it did not apply. */
  private subscribeOnce(fund: Fund, amount: Decimal, meta: RequestMeta, read: () => Promise<Account | null>) {
    return this.uow.once(async () => {
      const account = await read();
      if (!account || account.balance.lt(amount)) return undefined; // the locking path opens it or says why
      const now = this.clock.now();
      return this.recordSubscription(fund, amount, await this.accounts.debitIfUnchanged(account, fund.id, amount, now), now, meta);
    });
  }

  /** The credit to the account and subscription as `read` answers them, and everything else, in ONE statement. */
  private cancelOnce(meta: RequestMeta, read: () => Promise<{ account: Account; subscription: Subscription } | null>) {
    return this.uow.once(async () => {
      const found = await read();
      if (found?.subscription.status !== 'ACTIVE') return undefined; // the locking path says why
      const now = this.clock.now();
      const id = newId();
      const account = await this.accounts.creditIfUnchanged(found, id, now);
      return this.recordCancellation(id, account, found.subscription, now, meta);
    });
  }

  /** After the debit: the subscription, its ledger entry, its audit event, its notice and the notice's job, one batch. */
  private async recordSubscription(fund: Fund, amount: Decimal, account: Account, now: Date, meta: RequestMeta): Promise<FundTransaction> {
    const userId = account.userId;
    const tx: FundTransaction = {
      id: newId(),
      userId,
      seq: account.txSeq,
      fundId: fund.id,
      fundName: fund.name,
      type: 'SUBSCRIPTION',
      amount,
      balanceAfter: account.balance,
      currency: account.currency,
      createdAt: now,
      correlationId: null,
    };
    await this.uow.batch(async () => {
      await this.subscriptions.insert({ id: tx.id, userId, fundId: fund.id, amount, status: 'ACTIVE', createdAt: now });
      await this.ledger.append(tx);
      await this.audit.record({ eventType: 'funds.subscribe', outcome: 'success', userId, payload: auditPayload(tx) }, meta);
      await this.notices.prepare(tx); // its job commits with the subscription
    });
    return tx;
  }

  /** After the credit: the cancellation's ledger entry and audit event, one batch. */
  private async recordCancellation(
    id: string,
    account: Account,
    sub: Subscription,
    now: Date,
    meta: RequestMeta,
  ): Promise<FundTransaction> {
    const fund = await this.catalog.findById(sub.fundId);
    const tx: FundTransaction = {
      id,
      userId: account.userId,
      seq: account.txSeq,
      fundId: sub.fundId,
      fundName: fund?.name ?? String(sub.fundId),
      type: 'CANCELLATION',
      amount: sub.amount,
      balanceAfter: account.balance,
      currency: account.currency,
      createdAt: now,
      correlationId: sub.id,
    };
    await this.uow.batch(async () => {
      await this.ledger.append(tx);
      await this.audit.record({ eventType: 'funds.cancel', outcome: 'success', userId: account.userId, payload: auditPayload(tx) }, meta);
    });
    return tx;
  }

  history(userId: string, limit: number, beforeSeq?: number): Promise<HistoryPage> {
    return this.ledger.history(userId, limit, beforeSeq);
  }

  /**
   * The debit in one statement; when it refuses, lock the account and say why, in the rules' order
   * (a refusal the fresh read does not confirm, e.g. a subscription cancelled meanwhile, is tried again
   * under the lock, where it cannot change).
   */
  private async debit(userId: string, fund: Fund, amount: Decimal, now: Date): Promise<Account> {
    for (let attempt = 1; ; attempt++) {
      const debited = await this.accounts.debitForSubscription(userId, fund.id, amount, now);
      if (debited) return debited;
      if (attempt > 2) throw new Error(`subscription debit for ${userId} refused without a reason`);
      checkSubscription(fund, amount, await this.lockAccount(userId), await this.subscriptions.hasActive(userId, fund.id));
    }
  }

  /** The credit in one statement; when it finds no active subscription of this user, say why. */
  private async credit(userId: string, subscriptionId: string, cancelTransactionId: string, now: Date) {
    for (let attempt = 1; ; attempt++) {
      const credited = await this.accounts.creditForCancellation(userId, subscriptionId, cancelTransactionId, now);
      if (credited) return credited;
      if (attempt > 2) throw new Error(`cancellation credit for ${userId} refused without a reason`);
      // Not locked: cancel locks the subscription before the account, so waiting here under the account lock could deadlock.
      checkCancellable(await this.subscriptions.find(subscriptionId), userId);
    }
  }

  private async lockAccount(userId: string): Promise<Account> {
    const locked = await this.accounts.lock(userId);
    if (locked) return locked;
    await this.openAccount(userId);
    return (await this.accounts.lock(userId))!;
  }

  /** Users that existed before the funds context get their account on first use. */
  private async openLazily(userId: string): Promise<Account> {
    await this.uow.run(() => this.openAccount(userId));
    return (await this.accounts.find(userId))!;
  }

  /** Business refusals are audited too (the transaction itself rolled back). */
  private async auditRefusal(eventType: string, userId: string, e: unknown, payload: Record<string, unknown>, meta: RequestMeta) {
    if (!(e instanceof DomainError) || !['invalid', 'conflict', 'not_found'].includes(e.kind)) return;
    await this.audit.record({ eventType, outcome: 'failure', userId, payload: { ...payload, reason: e.code } }, meta);
  }
}

function auditPayload(tx: FundTransaction): Record<string, unknown> {
  return {
    transaction_id: tx.id,
    fund_id: tx.fundId,
    fund_name: tx.fundName,
    amount: tx.amount.toFixed(),
    balance_after: tx.balanceAfter.toFixed(),
    currency: tx.currency,
    correlation_id: tx.correlationId,
  };
}
