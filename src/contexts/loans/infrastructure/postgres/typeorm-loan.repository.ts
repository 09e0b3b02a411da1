import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { isUniqueViolation } from '@platform/persistence/postgres-errors';
import { FindOptionsWhere } from 'typeorm';
import { Decimal, DomainError } from '@kernel';
import { Installment, InstallmentStatus, Loan, LoanStatus, OPEN_APPLICATION } from '../../domain/loan';
import { LoanFilter, LoanRepository, Payment } from '../../domain/loans.ports';
import { InstallmentEntity, InstallmentRecord, LoanEntity, LoanRecord, PaymentEntity, PaymentRecord } from './loan.records';

const dec = (v: string | null): Decimal | null => (v === null ? null : new Decimal(v));

const toLoan = (r: LoanRecord): Loan =>
  Loan.restore({
    id: r.id,
    userId: r.user_id,
    principal: new Decimal(r.principal),
    annualRate: new Decimal(r.annual_rate),
    termMonths: r.term_months,
    purpose: r.purpose,
    status: r.status as LoanStatus,
    installmentAmount: dec(r.installment_amount),
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

const toRecord = (loan: Loan): LoanRecord => {
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

const toInstallment = (r: InstallmentRecord): Installment => ({
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

const toInstallmentRecord = (i: Installment): InstallmentRecord => ({
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

const toPayment = (r: PaymentRecord): Payment => ({
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

@Injectable()
export class TypeormLoanRepository extends LoanRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private get loansRepo() {
    return this.txHost.tx.getRepository(LoanEntity);
  }
  private get installmentsRepo() {
    return this.txHost.tx.getRepository(InstallmentEntity);
  }
  private get paymentsRepo() {
    return this.txHost.tx.getRepository(PaymentEntity);
  }

  async insert(loan: Loan): Promise<void> {
    try {
      await this.loansRepo.insert(toRecord(loan));
    } catch (e) {
      if (isUniqueViolation(e, 'loans_one_open_application')) {
        throw DomainError.conflict(
          'open_application_exists',
          `You already have an open loan application (${OPEN_APPLICATION.join(' or ')})`,
        );
      }
      throw e;
    }
  }

  async findById(id: string): Promise<Loan | null> {
    const r = await this.loansRepo.findOneBy({ id });
    return r ? toLoan(r) : null;
  }

  async lockById(id: string): Promise<Loan | null> {
    const r = await this.loansRepo.createQueryBuilder('l').where('l.id = :id', { id }).setLock('pessimistic_write').getOne();
    return r ? toLoan(r) : null;
  }

  async update(loan: Loan): Promise<void> {
    const { id, ...rest } = toRecord(loan);
    await this.loansRepo.update({ id }, rest);
  }

  async list(filter: LoanFilter): Promise<{ items: Loan[]; total: number }> {
    const where: FindOptionsWhere<LoanRecord> = {};
    if (filter.userId) where.user_id = filter.userId;
    if (filter.status) where.status = filter.status;
    const [rows, total] = await this.loansRepo.findAndCount({
      where,
      order: { created_at: 'DESC', id: 'ASC' },
      skip: filter.offset,
      take: filter.limit,
    });
    return { items: rows.map(toLoan), total };
  }

  async insertInstallments(list: Installment[]): Promise<void> {
    if (list.length) await this.installmentsRepo.insert(list.map(toInstallmentRecord));
  }

  async installments(loanId: string, forUpdate = false): Promise<Installment[]> {
    const qb = this.installmentsRepo.createQueryBuilder('i').where('i.loan_id = :loanId', { loanId }).orderBy('i.number', 'ASC');
    if (forUpdate) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(toInstallment);
  }

  async updateInstallments(list: Installment[]): Promise<void> {
    for (const i of list) {
      const { loan_id, number, ...rest } = toInstallmentRecord(i);
      await this.installmentsRepo.update({ loan_id, number }, rest);
    }
  }

  async findPaymentByReference(loanId: string, reference: string): Promise<Payment | null> {
    const r = await this.paymentsRepo.findOneBy({ loan_id: loanId, reference });
    return r ? toPayment(r) : null;
  }

  async insertPayment(p: Payment): Promise<void> {
    try {
      await this.paymentsRepo.insert({
        id: p.id,
        loan_id: p.loanId,
        user_id: p.userId,
        amount: p.amount.toFixed(2),
        reference: p.reference,
        allocations: p.allocations.map((a) => ({
          installment_number: a.installmentNumber,
          interest: a.interest.toFixed(2),
          principal: a.principal.toFixed(2),
        })),
        created_at: p.createdAt,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'loan_payments_reference_uq')) {
        throw DomainError.conflict(
          'duplicate_payment_reference',
          `A payment with reference ${p.reference} was already registered for this loan`,
        );
      }
      throw e;
    }
  }

  async payments(loanId: string): Promise<Payment[]> {
    return (await this.paymentsRepo.find({ where: { loan_id: loanId }, order: { seq: 'ASC' } })).map(toPayment);
  }

  async markOverdue(today: string): Promise<{ loanId: string; number: number }[]> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, affectedCount].
    const [rows]: [{ loan_id: string; number: number }[], number] = await this.txHost.tx.query(
      `UPDATE loan_installments i SET status = 'OVERDUE'
         FROM loans l
        WHERE l.id = i.loan_id AND l.status = 'ACTIVE' AND i.status = 'PENDING' AND i.due_date < $1::date
      RETURNING i.loan_id, i.number`,
      [today],
    );
    return rows.map((r) => ({ loanId: r.loan_id, number: Number(r.number) }));
  }

  async loansInArrears(today: string): Promise<string[]> {
    const rows: { id: string }[] = await this.txHost.tx.query(
      `SELECT l.id FROM loans l
        WHERE l.status = 'ACTIVE'
          AND (l.days_in_arrears > 0 OR EXISTS (
            SELECT 1 FROM loan_installments i WHERE i.loan_id = l.id AND i.status <> 'PAID' AND i.due_date < $1::date))
        ORDER BY l.id`,
      [today],
    );
    return rows.map((r) => r.id);
  }
}
