import { EntitySchema } from 'typeorm';

export interface LoanRecord {
  id: string;
  user_id: string;
  principal: string;
  annual_rate: string;
  term_months: number;
  purpose: string | null;
  status: string;
  installment_amount: string | null;
  outstanding: string | null;
  rejection_reason: string | null;
  decided_by: string | null;
  days_in_arrears: number;
  created_at: Date;
  approved_at: Date | null;
  rejected_at: Date | null;
  withdrawn_at: Date | null;
  disbursed_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  /** Bumped by every write to the loan or its instalments (what a payment's guarded write checks). */
  version?: number;
}

const ts = { type: 'timestamptz' as const, nullable: true };

export const LoanEntity = new EntitySchema<LoanRecord>({
  name: 'loans',
  columns: {
    id: { type: 'uuid', primary: true },
    user_id: { type: 'uuid' },
    principal: { type: 'numeric', precision: 14, scale: 2 },
    annual_rate: { type: 'numeric', precision: 7, scale: 4 },
    term_months: { type: 'int' },
    purpose: { type: 'varchar', length: 200, nullable: true },
    status: { type: 'varchar', length: 16 },
    installment_amount: { type: 'numeric', precision: 14, scale: 2, nullable: true },
    outstanding: { type: 'numeric', precision: 14, scale: 2, nullable: true },
    rejection_reason: { type: 'varchar', length: 500, nullable: true },
    decided_by: { type: 'uuid', nullable: true },
    days_in_arrears: { type: 'int' },
    created_at: { type: 'timestamptz' },
    approved_at: ts,
    rejected_at: ts,
    withdrawn_at: ts,
    disbursed_at: ts,
    closed_at: ts,
    updated_at: { type: 'timestamptz' },
    version: { type: 'int', default: 0 },
  },
});

export interface InstallmentRecord {
  loan_id: string;
  number: number;
  due_date: string;
  principal_due: string;
  interest_due: string;
  principal_paid: string;
  interest_paid: string;
  status: string;
  paid_at: Date | null;
}

export const InstallmentEntity = new EntitySchema<InstallmentRecord>({
  name: 'loan_installments',
  columns: {
    loan_id: { type: 'uuid', primary: true },
    number: { type: 'int', primary: true },
    due_date: { type: 'date' },
    principal_due: { type: 'numeric', precision: 14, scale: 2 },
    interest_due: { type: 'numeric', precision: 14, scale: 2 },
    principal_paid: { type: 'numeric', precision: 14, scale: 2 },
    interest_paid: { type: 'numeric', precision: 14, scale: 2 },
    status: { type: 'varchar', length: 16 },
    paid_at: ts,
  },
});

export interface PaymentRecord {
  id: string;
  seq?: string;
  loan_id: string;
  user_id: string;
  amount: string;
  reference: string;
  allocations: { installment_number: number; interest: string; principal: string }[];
  created_at: Date;
}

export const PaymentEntity = new EntitySchema<PaymentRecord>({
  name: 'loan_payments',
  columns: {
    id: { type: 'uuid', primary: true },
    seq: { type: 'bigint', generated: 'increment', insert: false, update: false },
    loan_id: { type: 'uuid' },
    user_id: { type: 'uuid' },
    amount: { type: 'numeric', precision: 14, scale: 2 },
    reference: { type: 'varchar', length: 64 },
    allocations: { type: 'jsonb' },
    created_at: { type: 'timestamptz' },
  },
});
