import { Injectable } from '@nestjs/common';
import { Actor, AuditTrail, Clock, Decimal, DomainError, FieldError, isUuid, newId, RequestMeta, UnitOfWork } from '@kernel';
import { LOAN_LIMITS, MONEY_SCALE, parseDecimal, formatMoney } from '../domain/amounts';
import { Installment, Loan, LoanStatus, outstandingOf } from '../domain/loan';
import { LoanRepository } from '../domain/loans.ports';
import { buildSchedule, frenchInstallment, Quote, quoteLoan } from '../domain/schedule';

export interface ApplyCommand {
  principal: unknown; // decimal string or JSON number
  annualRate: unknown;
  termMonths: unknown;
  purpose?: string;
}

export interface LoanView {
  loan: Loan;
  installments: Installment[];
}

/** Checks the terms once more in the domain's own words (the DTO checks them first). */
export function parseTerms(cmd: ApplyCommand): { principal: Decimal; annualRate: Decimal; termMonths: number } {
  const errors: FieldError[] = [];
  const principal = parseDecimal(cmd.principal, MONEY_SCALE);
  if (!principal || principal.lt(LOAN_LIMITS.minPrincipal) || principal.gt(LOAN_LIMITS.maxPrincipal)) {
    errors.push({
      field: 'principal',
      messages: [
        `principal must be a decimal amount between ${LOAN_LIMITS.minPrincipal} and ${LOAN_LIMITS.maxPrincipal} with at most 2 decimals`,
      ],
    });
  }
  const annualRate = parseDecimal(cmd.annualRate, LOAN_LIMITS.rateScale);
  if (!annualRate || annualRate.gt(LOAN_LIMITS.maxAnnualRatePercent)) {
    errors.push({
      field: 'annual_rate',
      messages: [`annual_rate must be a percentage between 0 and ${LOAN_LIMITS.maxAnnualRatePercent} with at most 4 decimals`],
    });
  }
  const term = cmd.termMonths;
  if (typeof term !== 'number' || !Number.isInteger(term) || term < LOAN_LIMITS.minTermMonths || term > LOAN_LIMITS.maxTermMonths) {
    errors.push({
      field: 'term_months',
      messages: [`term_months must be a whole number between ${LOAN_LIMITS.minTermMonths} and ${LOAN_LIMITS.maxTermMonths}`],
    });
  }
  if (errors.length) throw DomainError.validation(errors);
  return { principal: principal!, annualRate: annualRate!, termMonths: term as number };
}

const notFound = () => DomainError.notFound('loan_not_found', 'Loan not found');

/** Someone else's loan is a 404 for a user; admins see every loan. */
export function assertVisible(loan: Loan | null, user: Actor): Loan {
  if (!loan || (user.role !== 'admin' && loan.userId !== user.id)) throw notFound();
  return loan;
}

@Injectable()
export class LoansService {
  constructor(
    private readonly loans: LoanRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async apply(user: Actor, cmd: ApplyCommand, meta: RequestMeta): Promise<Loan> {
    const terms = parseTerms(cmd);
    return this.uow.run(async () => {
      const loan = Loan.apply({ id: newId(), userId: user.id, ...terms, purpose: cmd.purpose, now: this.clock.now() });
      await this.loans.insert(loan);
      await this.audit.record(
        {
          eventType: 'loans.apply',
          outcome: 'success',
          userId: user.id,
          payload: {
            loan_id: loan.id,
            principal: formatMoney(terms.principal),
            annual_rate: terms.annualRate.toString(),
            term_months: terms.termMonths,
          },
        },
        meta,
      );
      return loan;
    });
  }

  /** The schedule a loan on these terms would get if disbursed today; nothing is stored or audited. */
  quote(cmd: Omit<ApplyCommand, 'purpose'>): Quote {
    const terms = parseTerms(cmd);
    return quoteLoan(terms.principal, terms.annualRate, terms.termMonths, this.clock.now());
  }

  async list(user: Actor, q: { status?: LoanStatus; page: number; pageSize: number }): Promise<{ items: Loan[]; total: number }> {
    return this.loans.list({
      userId: user.role === 'admin' ? undefined : user.id,
      status: q.status,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
  }

  async get(user: Actor, id: string): Promise<LoanView> {
    const loan = assertVisible(isUuid(id) ? await this.loans.findById(id) : null, user);
    return { loan, installments: loan.status === 'ACTIVE' || loan.status === 'CLOSED' ? await this.loans.installments(id) : [] };
  }

  async installments(user: Actor, id: string): Promise<Installment[]> {
    return (await this.get(user, id)).installments;
  }

  async approve(admin: Actor, id: string, meta: RequestMeta): Promise<LoanView> {
    return this.change(admin, id, 'loans.approve', meta, async (loan, now) => {
      loan.approve(admin.id, now);
      return {};
    });
  }

  async reject(admin: Actor, id: string, reason: string, meta: RequestMeta): Promise<LoanView> {
    return this.change(admin, id, 'loans.reject', meta, async (loan, now) => {
      loan.reject(admin.id, reason, now);
      return { reason };
    });
  }

  async withdraw(user: Actor, id: string, meta: RequestMeta): Promise<LoanView> {
    return this.change(user, id, 'loans.withdraw', meta, async (loan, now) => {
      // Admins can see the application, but only the applicant can take it back.
      if (loan.userId !== user.id) throw DomainError.forbidden('not_applicant', 'Only the applicant can withdraw a loan application');
      loan.withdraw(now);
      return {};
    });
  }

  async disburse(admin: Actor, id: string, meta: RequestMeta): Promise<LoanView> {
    return this.change(admin, id, 'loans.disburse', meta, async (loan, now) => {
      const schedule = disburse(loan, now);
      await this.loans.insertInstallments(schedule);
      return {
        principal: formatMoney(loan.principal),
        installment_amount: formatMoney(frenchInstallment(loan.principal, loan.annualRate, loan.termMonths)),
        term_months: loan.termMonths,
        first_due_date: schedule[0].dueDate,
      };
    });
  }

  /** Lock, check visibility, apply the transition, save, audit: one transaction. */
  private async change(
    actor: Actor,
    id: string,
    eventType: string,
    meta: RequestMeta,
    work: (loan: Loan, now: Date) => Promise<Record<string, unknown>>,
  ): Promise<LoanView> {
    return this.uow.run(async () => {
      const loan = assertVisible(isUuid(id) ? await this.loans.lockById(id) : null, actor);
      const from = loan.status;
      const now = this.clock.now();
      const extra = await work(loan, now);
      await this.loans.update(loan);
      await this.audit.record(
        {
          eventType,
          outcome: 'success',
          userId: actor.id,
          payload: { loan_id: loan.id, owner_id: loan.userId, from_status: from, to_status: loan.status, ...extra },
        },
        meta,
      );
      const installments = loan.status === 'ACTIVE' ? await this.loans.installments(loan.id) : [];
      return { loan, installments };
    });
  }
}

/** APPROVED -> ACTIVE with its schedule (shared with the seeder). */
export function disburse(loan: Loan, now: Date): Installment[] {
  const installments = buildSchedule(loan.principal, loan.annualRate, loan.termMonths, now).map((s) => ({
    loanId: loan.id,
    number: s.number,
    dueDate: s.dueDate,
    principalDue: s.principal,
    interestDue: s.interest,
    principalPaid: new Decimal(0),
    interestPaid: new Decimal(0),
    status: 'PENDING' as const,
    paidAt: null,
  }));
  loan.disburse(frenchInstallment(loan.principal, loan.annualRate, loan.termMonths), outstandingOf(installments), now);
  return installments;
}
