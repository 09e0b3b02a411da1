import { Decimal, DomainError } from '@kernel';

export type FundCategory = 'FPV' | 'FIC';

export interface Fund {
  id: number;
  name: string;
  minAmount: Decimal;
  category: FundCategory;
  currency: string;
}

export interface Account {
  userId: string;
  balance: Decimal;
  currency: string;
  /** Last transaction sequence number of this user (orders the history). */
  txSeq: number;
}

export type SubscriptionStatus = 'ACTIVE' | 'CANCELLED';

export interface Subscription {
  id: string; // = the SUBSCRIPTION transaction's id
  userId: string;
  fundId: number;
  amount: Decimal;
  status: SubscriptionStatus;
  createdAt: Date;
}

export type FundTransactionType = 'SUBSCRIPTION' | 'CANCELLATION';

/** One entry of the user's fund history (a document in `fund_transactions`). */
export interface FundTransaction {
  id: string;
  userId: string;
  seq: number;
  fundId: number;
  fundName: string;
  type: FundTransactionType;
  amount: Decimal;
  balanceAfter: Decimal;
  currency: string;
  createdAt: Date;
  /** For a cancellation: the subscription transaction it undoes. */
  correlationId: string | null;
}

/** The exact message seed 004's clients show to the user. */
export const insufficientBalanceMessage = (fundName: string): string => `No tiene saldo disponible para vincularse al fondo ${fundName}`;

/**
 * The subscription rules, in the order a client should hear about them:
 * minimum amount (400), one active subscription per fund (409), balance (400).
 */
export function checkSubscription(fund: Fund, amount: Decimal, account: Account, hasActive: boolean): void {
  checkAmount(fund, amount);
  if (hasActive) {
    throw DomainError.conflict('already_subscribed', `You already have an active subscription to fund ${fund.name}`);
  }
  if (account.balance.lt(amount)) {
    throw DomainError.invalid('insufficient_balance', insufficientBalanceMessage(fund.name));
  }
}

/** The rules that need no account: a positive whole amount, at least the fund's minimum. */
export function checkAmount(fund: Fund, amount: Decimal): void {
  if (!amount.isInteger() || amount.lte(0)) {
    throw DomainError.invalidField('amount', 'amount must be a positive whole number');
  }
  if (amount.lt(fund.minAmount)) {
    const msg = `amount must be at least ${fund.minAmount.toFixed()} (minimum of fund ${fund.name})`;
    throw DomainError.invalidField('amount', msg, { code: 'below_fund_minimum', details: { min_amount: fund.minAmount.toNumber() } });
  }
}

export function checkCancellable(sub: Subscription | null, userId: string): Subscription {
  // Someone else's subscription is "not found", never "forbidden".
  if (!sub || sub.userId !== userId) throw DomainError.notFound('subscription_not_found', 'Subscription not found');
  if (sub.status !== 'ACTIVE') throw DomainError.conflict('already_cancelled', 'This subscription is already cancelled');
  return sub;
}

/** "ab***yz": enough to recognise a destination, never the whole of it. */
export function maskDestination(destination: string): string {
  if (destination.length <= 4) return '***';
  return `${destination.slice(0, 2)}***${destination.slice(-2)}`;
}

/** Seed 004's catalogue (also created by the migration). */
export const SEED_FUNDS: Fund[] = [
  { id: 1, name: 'FPV_BTG_PACTUAL_RECAUDADORA', minAmount: new Decimal(75000), category: 'FPV', currency: 'COP' },
  { id: 2, name: 'FPV_BTG_PACTUAL_ECOPETROL', minAmount: new Decimal(125000), category: 'FPV', currency: 'COP' },
  { id: 3, name: 'DEUDAPRIVADA', minAmount: new Decimal(50000), category: 'FIC', currency: 'COP' },
  { id: 4, name: 'FDO-ACCIONES', minAmount: new Decimal(250000), category: 'FIC', currency: 'COP' },
  { id: 5, name: 'FPV_BTG_PACTUAL_DINAMICA', minAmount: new Decimal(100000), category: 'FPV', currency: 'COP' },
];
