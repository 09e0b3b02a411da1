import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { isUniqueViolation } from '@platform/persistence/postgres-errors';
import { FindOptionsWhere } from 'typeorm';
import { Decimal, DomainError } from '@kernel';
import { Installment, Loan, OPEN_APPLICATION } from '../../domain/loan';
import { LoanFilter, LoanRepository, Payment, PaymentRead, PaymentView } from '../../domain/loans.ports';
import { InstallmentEntity, InstallmentRecord, LoanEntity, LoanRecord, PaymentEntity } from './loan.records';
import { toInstallment, toInstallmentRecord, toLoan, toPayment, toRecord } from './loan.mappers';

/** Every write of a loan's row bumps its version (a payment's unlocked read is guarded by it). */
const UPDATE_LOAN = `UPDATE loans SET status = $2, installment_amount = $3, rejection_reason = $4, decided_by = $5, days_in_arrears = $6,
  approved_at = $7, rejected_at = $8, withdrawn_at = $9, disbursed_at = $10, closed_at = $11, updated_at = $12, version = version + 1
  WHERE id = $1`;

const loanParams = (loan: Loan): unknown[] => {
  const r = toRecord(loan);
  return [
    r.id,
    r.status,
    r.installment_amount,
    r.rejection_reason,
    r.decided_by,
    r.days_in_arrears,
    r.approved_at,
    r.rejected_at,
    r.withdrawn_at,
    r.disbursed_at,
    r.closed_at,
    r.updated_at,
  ];
};

/**
 * The open instalments of loan $1 that a payment of $2 reaches: the running sum of what is left before each
 * one says which (`x`: those, plus the first one the sum has passed); `open` holds every unpaid one.
 */
const REACHED = `open AS (
    SELECT loan_id, number, due_date, principal_due, interest_due, principal_paid, interest_paid, status, paid_at,
           (principal_due - principal_paid) + (interest_due - interest_paid) AS remaining
      FROM loan_installments WHERE loan_id = $1 AND status <> 'PAID'),
  w AS (SELECT open.*, coalesce(sum(remaining) OVER (ORDER BY number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
          FROM open),
  x AS (SELECT * FROM w WHERE before < $2::numeric OR number = (SELECT min(number) FROM w WHERE before >= $2::numeric)),
  t AS (SELECT (SELECT coalesce(sum(remaining), 0) FROM open) AS outstanding,
               EXISTS (SELECT 1 FROM loan_payments WHERE loan_id = $1 AND reference = $3) AS duplicate)`;

type ViewRow = InstallmentRecord & { outstanding: string; duplicate: boolean };

const toView = (rows: ViewRow[]): PaymentView => ({
  open: rows.filter((r) => r.number !== null).map(toInstallment),
  outstanding: new Decimal(rows[0].outstanding),
  duplicateReference: rows[0].duplicate,
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
    await this.txHost.write(UPDATE_LOAN, loanParams(loan));
  }

  async updateIfUnchanged(loan: Loan, version: number): Promise<void> {
    await this.txHost.guard(`${UPDATE_LOAN} AND version = $13`, [...loanParams(loan), version]);
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

  async installments(loanId: string): Promise<Installment[]> {
    return (await this.installmentsRepo.find({ where: { loan_id: loanId }, order: { number: 'ASC' } })).map(toInstallment);
  }

  async updateInstallments(list: Installment[]): Promise<void> {
    if (!list.length) return;
    const params: unknown[] = [];
    const rows = list.map((i) => {
      const r = toInstallmentRecord(i);
      params.push(r.loan_id, r.number, r.principal_paid, r.interest_paid, r.status, r.paid_at);
      const n = params.length;
      return `($${n - 5}::uuid, $${n - 4}::int, $${n - 3}::numeric, $${n - 2}::numeric, $${n - 1}::varchar, $${n}::timestamptz)`;
    });
    await this.txHost.write(
      `UPDATE loan_installments i SET principal_paid = v.principal_paid, interest_paid = v.interest_paid, status = v.status, paid_at = v.paid_at
         FROM (VALUES ${rows.join(', ')}) AS v (loan_id, number, principal_paid, interest_paid, status, paid_at)
        WHERE i.loan_id = v.loan_id AND i.number = v.number`,
      params,
    );
  }

  async paymentView(loanId: string, amount: Decimal, reference: string): Promise<PaymentView> {
    const rows: ViewRow[] = await this.txHost.tx.query(
      `WITH ${REACHED} SELECT t.outstanding, t.duplicate, x.* FROM t LEFT JOIN x ON true ORDER BY x.number`,
      [loanId, amount.toFixed(2), reference],
    );
    return toView(rows);
  }

  async readForPayment(loanId: string, amount: Decimal, reference: string): Promise<PaymentRead | null> {
    // One statement, so one snapshot: the loan's version says what the instalments read here were.
    const rows: (ViewRow & LoanRecord & { loan_status: string; version: number })[] = await this.txHost.tx.query(
      `WITH ${REACHED}
       SELECT l.id, l.user_id, l.principal, l.annual_rate, l.term_months, l.purpose, l.status AS loan_status, l.installment_amount,
              l.rejection_reason, l.decided_by, l.days_in_arrears, l.created_at, l.approved_at, l.rejected_at, l.withdrawn_at,
              l.disbursed_at, l.closed_at, l.updated_at, l.version, t.outstanding, t.duplicate, x.*
         FROM loans l CROSS JOIN t LEFT JOIN x ON true
        WHERE l.id = $1
        ORDER BY x.number`,
      [loanId, amount.toFixed(2), reference],
    );
    if (!rows.length) return null;
    return { loan: toLoan({ ...rows[0], status: rows[0].loan_status }), version: rows[0].version, view: toView(rows) };
  }

  async insertPayment(p: Payment): Promise<void> {
    const allocations = p.allocations.map((a) => ({
      installment_number: a.installmentNumber,
      interest: a.interest.toFixed(2),
      principal: a.principal.toFixed(2),
    }));
    await this.txHost.write(
      'INSERT INTO loan_payments (id, loan_id, user_id, amount, reference, allocations, created_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)',
      [p.id, p.loanId, p.userId, p.amount.toFixed(2), p.reference, JSON.stringify(allocations), p.createdAt],
      (e) =>
        isUniqueViolation(e, 'loan_payments_reference_uq')
          ? DomainError.conflict(
              'duplicate_payment_reference',
              `A payment with reference ${p.reference} was already registered for this loan`,
            )
          : undefined,
    );
  }

  async payments(loanId: string): Promise<Payment[]> {
    return (await this.paymentsRepo.find({ where: { loan_id: loanId }, order: { seq: 'ASC' } })).map(toPayment);
  }

  async markOverdue(today: string): Promise<{ loanId: string; number: number }[]> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, affectedCount].
    // The loans first (payments hold the loan's lock, not the instalments'), in id order against deadlocks; their
    // versions bumped, so a payment's unlocked read of these instalments no longer passes its guard.
    const [rows]: [{ loan_id: string; number: number }[], number] = await this.txHost.tx.query(
      `WITH l AS (
         SELECT id FROM loans
          WHERE status = 'ACTIVE'
            AND EXISTS (SELECT 1 FROM loan_installments p WHERE p.loan_id = loans.id AND p.status = 'PENDING' AND p.due_date < $1::date)
          ORDER BY id FOR UPDATE),
       bumped AS (UPDATE loans SET version = loans.version + 1 FROM l WHERE loans.id = l.id)
       UPDATE loan_installments i SET status = 'OVERDUE'
         FROM l
        WHERE l.id = i.loan_id AND i.status = 'PENDING' AND i.due_date < $1::date
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
