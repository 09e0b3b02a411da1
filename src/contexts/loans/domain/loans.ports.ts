import { Decimal } from '@kernel';
import { Allocation, Installment, Loan, LoanStatus } from './loan';

export interface Payment {
  id: string;
  loanId: string;
  userId: string; // who registered it
  amount: Decimal;
  reference: string;
  allocations: Allocation[];
  createdAt: Date;
}

export interface PaymentView {
  /**
   * The oldest unpaid instalments, oldest first: at least those a payment of the amount reaches and the next
   * unpaid one after them (all of them when it reaches the end). The outstanding balance is the loan's own.
   */
  open: Installment[];
  duplicateReference: boolean;
}

/** A payment's unlocked read: the loan, the version it was read at, and what the payment needs of its schedule. */
export interface PaymentRead {
  loan: Loan;
  version: number;
  view: PaymentView;
}

export interface LoanFilter {
  userId?: string;
  status?: LoanStatus;
  offset: number;
  limit: number;
}

/** The loan aggregate: the loan, its schedule and its (append-only) payments. */
export abstract class LoanRepository {
  /** Throws conflict `open_application_exists` when the user already has one. */
  abstract insert(loan: Loan): Promise<void>;
  abstract findById(id: string): Promise<Loan | null>;
  /** Row-locks the loan for the rest of the transaction. */
  abstract lockById(id: string): Promise<Loan | null>;
  /** Saves the loan; every write of a loan or its instalments bumps the loan's version. */
  abstract update(loan: Loan): Promise<void>;
  /** `update` guarded by the version read (`UnitOfWork.once`): when the loan changed since, nothing is written. */
  abstract updateIfUnchanged(loan: Loan, version: number): Promise<void>;
  abstract list(filter: LoanFilter): Promise<{ items: Loan[]; total: number }>;

  abstract insertInstallments(list: Installment[]): Promise<void>;
  /** Ordered by number. */
  abstract installments(loanId: string): Promise<Installment[]>;
  /** Inside `UnitOfWork.batch` it goes out with the batch. */
  abstract updateInstallments(list: Installment[]): Promise<void>;
  /**
   * What a payment of `amount` needs, read under the loan's row lock (every writer of a loan's
   * instalments holds it, so they need no lock of their own): the unpaid instalments it reaches,
   * oldest first, and the next unpaid one (due dates grow with the number, so that one is the oldest
   * left unpaid), not the whole schedule; whether `reference` was used on this loan.
   */
  abstract paymentView(loanId: string, amount: Decimal, reference: string): Promise<PaymentView>;
  /** The loan with its version and `paymentView`'s answer, unlocked, in ONE statement (one snapshot); null when no such loan. */
  abstract readForPayment(loanId: string, amount: Decimal, reference: string): Promise<PaymentRead | null>;

  /** Throws conflict `duplicate_payment_reference` on a reused reference (inside a batch: when it is sent). */
  abstract insertPayment(payment: Payment): Promise<void>;
  abstract payments(loanId: string): Promise<Payment[]>;

  /** PENDING instalments due before `today` become OVERDUE (their loans row-locked first, in id order); returns them. */
  abstract markOverdue(today: string): Promise<{ loanId: string; number: number }[]>;
  /** ACTIVE loans that have an unpaid instalment due before `today`. */
  abstract loansInArrears(today: string): Promise<string[]>;
}

/** Read-only lookups of identity's users (by SQL, not by importing identity). */
export abstract class LoanUserDirectory {
  abstract idByUsername(username: string): Promise<string | null>;
  /** Username, else email, for log lines. */
  abstract displayName(userId: string): Promise<string | null>;
}
