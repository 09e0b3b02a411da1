import { Decimal } from '@kernel';
import { Installment, InstallmentStatus, Loan, LoanStatus } from '../../domain/loan';
import { Payment } from '../../domain/loans.ports';
import { InstallmentRecord, LoanRecord, PaymentRecord } from './loan.records';

/** Rows <-> the loans context's domain values (numeric columns arrive and leave as decimal strings). */
const dec = (v: string | null): Decimal | null => (v === null ? null : new Decimal(v));

export const toLoan = (r: LoanRecord): Loan =>
  Loan.restore({
    id: r.id,
    userId: r.user_id,
    principal: new Decimal(r.principal),
    annualRate: new Decimal(r.annual_rate),
    termMonths: r.term_months,
    purpose: r.purpose,
    status: r.status as LoanStatus,
    installmentAmount: dec(r.installment_amount),
    outstanding: dec(r.outstanding),
    rejectionReason: r.rejection_reason,
    decidedBy: r.decided_by,
    daysInArrears: r.days_in_arrears,
    createdAt: r.created_at,
    approvedAt: r.approved_at,
    rejectedAt: r.rejected_at,
    withdrawnAt: r.withdrawn_at,
    disbursedAt: r.disbursed_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
  });

export const toRecord = (loan: Loan): LoanRecord => {
  const p = loan.snapshot();
  return {
    id: p.id,
    user_id: p.userId,
    principal: p.principal.toFixed(2),
    annual_rate: p.annualRate.toFixed(4),
    term_months: p.termMonths,
    purpose: p.purpose,
    status: p.status,
    installment_amount: p.installmentAmount ? p.installmentAmount.toFixed(2) : null,
    outstanding: p.outstanding ? p.outstanding.toFixed(2) : null,
    rejection_reason: p.rejectionReason,
    decided_by: p.decidedBy,
    days_in_arrears: p.daysInArrears,
    created_at: p.createdAt,
    approved_at: p.approvedAt,
    rejected_at: p.rejectedAt,
    withdrawn_at: p.withdrawnAt,
    disbursed_at: p.disbursedAt,
    closed_at: p.closedAt,
    updated_at: p.updatedAt,
  };
};

export const toInstallment = (r: InstallmentRecord): Installment => ({
  loanId: r.loan_id,
  number: r.number,
  dueDate: typeof r.due_date === 'string' ? r.due_date : new Date(r.due_date).toISOString().slice(0, 10),
  principalDue: new Decimal(r.principal_due),
  interestDue: new Decimal(r.interest_due),
  principalPaid: new Decimal(r.principal_paid),
  interestPaid: new Decimal(r.interest_paid),
  status: r.status as InstallmentStatus,
  paidAt: r.paid_at,
});

export const toInstallmentRecord = (i: Installment): InstallmentRecord => ({
  loan_id: i.loanId,
  number: i.number,
  due_date: i.dueDate,
  principal_due: i.principalDue.toFixed(2),
  interest_due: i.interestDue.toFixed(2),
  principal_paid: i.principalPaid.toFixed(2),
  interest_paid: i.interestPaid.toFixed(2),
  status: i.status,
  paid_at: i.paidAt,
});

export const toPayment = (r: PaymentRecord): Payment => ({
  id: r.id,
  loanId: r.loan_id,
  userId: r.user_id,
  amount: new Decimal(r.amount),
  reference: r.reference,
  allocations: r.allocations.map((a) => ({
    installmentNumber: a.installment_number,
    interest: new Decimal(a.interest),
    principal: new Decimal(a.principal),
  })),
  createdAt: r.created_at,
});
