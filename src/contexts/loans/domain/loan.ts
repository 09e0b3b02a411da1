import { Decimal, DomainError } from '@kernel';
import { formatMoney } from './amounts';
import { daysBetween } from './schedule';

export const LOAN_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'ACTIVE', 'CLOSED'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** Open applications: a user may have one at a time (ACTIVE loans do not count). */
export const OPEN_APPLICATION: readonly LoanStatus[] = ['SUBMITTED', 'APPROVED'];

/** The lifecycle. Anything not listed is illegal (409 naming the current state). */
const TRANSITIONS: Record<LoanStatus, readonly LoanStatus[]> = {
  SUBMITTED: ['APPROVED', 'REJECTED', 'WITHDRAWN'],
  APPROVED: ['ACTIVE'],
  ACTIVE: ['CLOSED'],
  REJECTED: [],
  WITHDRAWN: [],
  CLOSED: [],
};

export const canTransition = (from: LoanStatus, to: LoanStatus): boolean => TRANSITIONS[from].includes(to);

export function illegalTransition(current: LoanStatus, action: string): DomainError {
  return DomainError.conflict('illegal_loan_transition', `Cannot ${action} a loan in status ${current}`, { current_status: current });
}

export interface LoanProps {
  id: string;
  userId: string;
  principal: Decimal;
  annualRate: Decimal; // percent a year
  termMonths: number;
  purpose: string | null;
  status: LoanStatus;
  installmentAmount: Decimal | null;
  /** Principal + interest still due on the schedule: null until disbursed, 0 once CLOSED. */
  outstanding: Decimal | null;
  rejectionReason: string | null;
  decidedBy: string | null;
  daysInArrears: number;
  createdAt: Date;
  approvedAt: Date | null;
  rejectedAt: Date | null;
  withdrawnAt: Date | null;
  disbursedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}

/** The loan aggregate's root: its state changes go through these methods only. */
export class Loan {
  private constructor(private props: LoanProps) {}

  static apply(input: {
    id: string;
    userId: string;
    principal: Decimal;
    annualRate: Decimal;
    termMonths: number;
    purpose?: string | null;
    now: Date;
  }): Loan {
    return new Loan({
      id: input.id,
      userId: input.userId,
      principal: input.principal,
      annualRate: input.annualRate,
      termMonths: input.termMonths,
      purpose: input.purpose ?? null,
      status: 'SUBMITTED',
      installmentAmount: null,
      outstanding: null,
      rejectionReason: null,
      decidedBy: null,
      daysInArrears: 0,
      createdAt: input.now,
      approvedAt: null,
      rejectedAt: null,
      withdrawnAt: null,
      disbursedAt: null,
      closedAt: null,
      updatedAt: input.now,
    });
  }

  static restore(props: LoanProps): Loan {
    return new Loan({ ...props });
  }

  get id() {
    return this.props.id;
  }
  get userId() {
    return this.props.userId;
  }
  get status() {
    return this.props.status;
  }
  get principal() {
    return this.props.principal;
  }
  get annualRate() {
    return this.props.annualRate;
  }
  get termMonths() {
    return this.props.termMonths;
  }
  get outstanding() {
    return this.props.outstanding;
  }
  snapshot(): Readonly<LoanProps> {
    return { ...this.props };
  }

  approve(adminId: string, now: Date): void {
    this.move('APPROVED', 'approve', now);
    this.props.decidedBy = adminId;
    this.props.approvedAt = now;
  }

  reject(adminId: string, reason: string, now: Date): void {
    this.move('REJECTED', 'reject', now);
    this.props.decidedBy = adminId;
    this.props.rejectionReason = reason;
    this.props.rejectedAt = now;
  }

  withdraw(now: Date): void {
    this.move('WITHDRAWN', 'withdraw', now);
    this.props.withdrawnAt = now;
  }

  /** `scheduleTotal`: principal + interest of the whole schedule, the outstanding balance from now on. */
  disburse(installmentAmount: Decimal, scheduleTotal: Decimal, now: Date): void {
    this.move('ACTIVE', 'disburse', now);
    this.props.installmentAmount = installmentAmount;
    this.props.outstanding = scheduleTotal;
    this.props.disbursedAt = now;
  }

  /** Payments need an ACTIVE loan. */
  assertPayable(): void {
    if (this.props.status !== 'ACTIVE') throw illegalTransition(this.props.status, 'register a payment on');
  }

  /**
   * A payment already allocated to the schedule (`allocatePayment` refused anything above the outstanding
   * balance): lowers the balance; paid in full closes the loan.
   */
  recordPayment(amount: Decimal, now: Date): void {
    this.assertPayable();
    const left = (this.props.outstanding ?? new Decimal(0)).minus(amount);
    if (left.isNegative()) throw new Error(`payment ${amount.toFixed(2)} above the outstanding balance of loan ${this.props.id}`);
    this.props.outstanding = left;
    this.props.updatedAt = now;
    if (left.isZero()) this.close(now);
  }

  private close(now: Date): void {
    this.move('CLOSED', 'close', now);
    this.props.closedAt = now;
    this.props.daysInArrears = 0;
  }

  setDaysInArrears(days: number, now: Date): void {
    this.props.daysInArrears = days;
    this.props.updatedAt = now;
  }

  private move(to: LoanStatus, action: string, now: Date): void {
    if (!canTransition(this.props.status, to)) throw illegalTransition(this.props.status, action);
    this.props.status = to;
    this.props.updatedAt = now;
  }
}

export type InstallmentStatus = 'PENDING' | 'OVERDUE' | 'PAID';

export interface Installment {
  loanId: string;
  number: number;
  dueDate: string; // YYYY-MM-DD
  principalDue: Decimal;
  interestDue: Decimal;
  principalPaid: Decimal;
  interestPaid: Decimal;
  status: InstallmentStatus;
  paidAt: Date | null;
}

export const installmentAmount = (i: Installment): Decimal => i.principalDue.plus(i.interestDue);
export const installmentRemaining = (i: Installment): Decimal =>
  i.principalDue.minus(i.principalPaid).plus(i.interestDue.minus(i.interestPaid));
export const outstandingOf = (list: Installment[]): Decimal => list.reduce((sum, i) => sum.plus(installmentRemaining(i)), new Decimal(0));

export interface Allocation {
  installmentNumber: number;
  interest: Decimal;
  principal: Decimal;
}

/**
 * Spreads a payment over the oldest open instalments first, interest before
 * principal within each. Paying more than the outstanding balance (of the whole
 * loan when `installments` are only the open ones the payment reaches) is a 400.
 * Returns the allocations and the instalments that changed.
 */
export function allocatePayment(
  installments: Installment[],
  amount: Decimal,
  now: Date,
  outstanding: Decimal = outstandingOf(installments),
): { allocations: Allocation[]; changed: Installment[] } {
  if (amount.gt(outstanding)) {
    const message = `amount ${formatMoney(amount)} exceeds the outstanding balance of ${formatMoney(outstanding)}`;
    throw DomainError.invalidField('amount', message, { details: { outstanding_balance: formatMoney(outstanding) } });
  }
  let left = amount;
  const allocations: Allocation[] = [];
  const changed: Installment[] = [];
  for (const inst of [...installments].sort((a, b) => a.number - b.number)) {
    if (left.isZero()) break;
    if (inst.status === 'PAID') continue;
    const interest = Decimal.min(left, inst.interestDue.minus(inst.interestPaid));
    left = left.minus(interest);
    const principal = Decimal.min(left, inst.principalDue.minus(inst.principalPaid));
    left = left.minus(principal);
    if (interest.isZero() && principal.isZero()) continue;
    const next: Installment = {
      ...inst,
      interestPaid: inst.interestPaid.plus(interest),
      principalPaid: inst.principalPaid.plus(principal),
    };
    if (installmentRemaining(next).isZero()) {
      next.status = 'PAID';
      next.paidAt = now;
    }
    allocations.push({ installmentNumber: inst.number, interest, principal });
    changed.push(next);
  }
  return { allocations, changed };
}

/** Days since the oldest unpaid instalment fell due (0 when none is overdue). */
export function daysInArrears(installments: Installment[], today: string): number {
  const overdue = installments
    .filter((i) => i.status !== 'PAID' && i.dueDate < today)
    .map((i) => i.dueDate)
    .sort();
  return overdue.length ? daysBetween(overdue[0], today) : 0;
}
