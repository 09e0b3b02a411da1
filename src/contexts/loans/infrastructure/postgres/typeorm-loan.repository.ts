import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { isUniqueViolation } from '@platform/persistence/postgres-errors';
import { FindOptionsWhere } from 'typeorm';
import { Decimal, DomainError } from '@kernel';
import { Installment, Loan, OPEN_APPLICATION, outstandingOf } from '../../domain/loan';
import { LoanFilter, LoanRepository, Payment, PaymentRead, PaymentView } from '../../domain/loans.ports';
import { InstallmentEntity, InstallmentRecord, LoanEntity, LoanRecord, PaymentEntity } from './loan.records';
import { toInstallment, toInstallmentRecord, toLoan, toPayment, toRecord } from './loan.mappers';

/** Every write of a loan's row bumps its version (a payment's unlocked read is guarded by it). */
const UPDATE_LOAN = `UPDATE loans SET status = $2, installment_amount = $3, outstanding = $4, rejection_reason = $5, decided_by = $6,
  days_in_arrears = $7, approved_at = $8, rejected_at = $9, withdrawn_at = $10, disbursed_at = $11, closed_at = $12, updated_at = $13,
  version = version + 1
  WHERE id = $1`;

const loanParams = (loan: Loan): unknown[] => {
  const r = toRecord(loan);
  return [
    r.id,
    r.status,
    r.installment_amount,
    r.outstanding,
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

const INSTALLMENT_COLUMNS = 'loan_id, number, due_date, principal_due, interest_due, principal_paid, interest_paid, status, paid_at';

/**
 * What a payment of $2 on loan $1 needs, in ONE statement (one snapshot): the loan with its version, whether
 * reference $3 was used on it, and its oldest unpaid instalments, only as many as the amount can reach
 * (`reach`: after the oldest, which may be part paid, every unpaid instalment is a whole one of about
 * `installment_amount`, so amount / installment_amount + 2 covers the amount and the next one after it).
 * `coversPayment` checks that on what was read; a schedule it does not cover is read whole (`ALL_OPEN`).
 */
const PAYMENT_READ = `SELECT l.id, l.user_id, l.principal, l.annual_rate, l.term_months, l.purpose, l.status AS loan_status,
       l.installment_amount, l.outstanding, l.rejection_reason, l.decided_by, l.days_in_arrears, l.created_at, l.approved_at,
       l.rejected_at, l.withdrawn_at, l.disbursed_at, l.closed_at, l.updated_at, l.version, d.duplicate, r.reach, i.*
  FROM loans l
 CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM loan_payments p WHERE p.loan_id = l.id AND p.reference = $3) AS duplicate) d
 CROSS JOIN LATERAL (SELECT ceil($2::numeric / nullif(l.installment_amount, 0))::int + 2 AS reach) r
  LEFT JOIN LATERAL (
       SELECT ${INSTALLMENT_COLUMNS} FROM loan_installments
        WHERE loan_id = l.id AND status <> 'PAID' ORDER BY number LIMIT r.reach) i ON true
 WHERE l.id = $1
 ORDER BY i.number`;

const ALL_OPEN = `SELECT ${INSTALLMENT_COLUMNS} FROM loan_installments WHERE loan_id = $1 AND status <> 'PAID' ORDER BY number`;

type PaymentRow = LoanRecord & InstallmentRecord & { loan_status: string; version: number; duplicate: boolean; reach: number | null };

/**
 * Whether the first `open.length` unpaid instalments are all a payment of `amount` needs: every unpaid one
 * was read (fewer came back than asked for), or they hold more than the amount, so the last of them is
 * left unpaid and is the next one.
 */
function coversPayment(open: Installment[], reach: number | null, amount: Decimal): boolean {
  return reach === null || open.length < reach || outstandingOf(open).gt(amount);
}

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
    await this.txHost.guard(`${UPDATE_LOAN} AND version = $14`, [...loanParams(loan), version]);
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
    return (await this.readForPayment(loanId, amount, reference))!.view;
  }

  async readForPayment(loanId: string, amount: Decimal, reference: string): Promise<PaymentRead | null> {
    // Outside a transaction (`UnitOfWork.once`) a named prepared statement: parsed and planned once per connection.
    const rows = await this.txHost.queryPrepared<PaymentRow>('loan_payment_read', PAYMENT_READ, [loanId, amount.toFixed(2), reference]);
    if (!rows.length) return null;
    const first = rows[0];
    let open = rows.filter((r) => r.number !== null).map(toInstallment);
    if (!coversPayment(open, first.reach, amount)) {
      // A later snapshot: the version read above still guards the write (anything changed since bumped it).
      open = ((await this.txHost.tx.query(ALL_OPEN, [loanId])) as InstallmentRecord[]).map(toInstallment);
    }
    return {
      loan: toLoan({ ...first, status: first.loan_status }),
      version: first.version,
      view: { open, duplicateReference: first.duplicate },
    };
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
