import { Injectable, Logger } from '@nestjs/common';
import { Actor, AuditTrail, Clock, Decimal, DomainError, isUuid, newId, RequestMeta, UnitOfWork } from '@kernel';
import { formatMoney, requireAmount } from '../domain/amounts';
import { allocatePayment, daysInArrears, Installment, Loan } from '../domain/loan';
import { LoanRepository, LoanUserDirectory, Payment, PaymentView } from '../domain/loans.ports';
import { dayOf } from '../domain/schedule';
import { assertVisible } from './loans.service';

export interface PaymentResult {
  payment: Payment;
  loan: Loan;
  outstanding: string;
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Loans');

  constructor(
    private readonly loans: LoanRepository,
    private readonly users: LoanUserDirectory,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * Two round trips on the happy path (bench/round-trips.ts): the loan (with its outstanding balance) and the
   * open instalments the amount reaches, read unlocked in one statement, then ONE autocommit statement (`UnitOfWork.once`) that writes
   * the loan only while its version is as read, with the touched instalments, the payment and the audit
   * events. When the loan changed meanwhile, or anything must be refused, the locking path runs: one
   * transaction that row-locks the loan (payments on one loan serialize, and every other writer of its
   * instalments takes the same lock), reads again and names any refusal. Either way the payment is
   * allocated oldest first, interest before principal; paid in full closes the loan.
   */
  async pay(user: Actor, loanId: string, input: { amount: unknown; reference: string }, meta: RequestMeta): Promise<PaymentResult> {
    const amount = requireAmount('amount', input.amount);
    if (!REFERENCE.test(input.reference ?? '')) {
      throw DomainError.invalidField('reference', 'reference must be 1-64 letters, digits or ._:/- starting with a letter or digit', {
        summary: '1-64 letters, digits or ._:/-',
      });
    }
    const payment = { user, amount, reference: input.reference, meta };
    // Inside a transaction (an Idempotency-Key's) `once` answers undefined at once and the locking path joins it.
    const fast = await this.uow.once(async () => {
      const read = isUuid(loanId) ? await this.loans.readForPayment(loanId, amount, input.reference) : null;
      if (!read) return undefined; // the locking path says not found
      try {
        return await this.settle(payment, read.loan, read.view, (loan) => this.loans.updateIfUnchanged(loan, read.version));
      } catch (e) {
        if (e instanceof DomainError) return undefined; // refused on an unlocked read: the locking path decides and names it
        throw e;
      }
    });
    const result =
      fast ??
      (await this.uow.run(async () => {
        const loan = assertVisible(isUuid(loanId) ? await this.loans.lockById(loanId) : null, user);
        loan.assertPayable();
        const view = await this.loans.paymentView(loan.id, amount, input.reference);
        return this.settle(payment, loan, view, (l) => this.loans.update(l));
      }));
    const who = (await this.users.displayName(user.id)) ?? user.id;
    // The runbook's line (seed 001): operators grep for it.
    this.logger.log({
      message: 'Payment registered successfully',
      request_id: meta.requestId,
      user: who,
      user_id: user.id,
      loan_id: loanId,
      payment_id: result.payment.id,
      amount: formatMoney(amount),
    });
    return result;
  }

  /**
   * Allocates the payment against what was read and writes it in one batch, the loan first (`save`: under the
   * loan's lock, or guarded by its version, so the loan row is taken before any instalment's, as every writer does).
   */
  private async settle(
    p: { user: Actor; amount: Decimal; reference: string; meta: RequestMeta },
    loan: Loan,
    view: PaymentView,
    save: (loan: Loan) => Promise<void>,
  ): Promise<PaymentResult> {
    const { user, amount, meta } = p;
    assertVisible(loan, user);
    loan.assertPayable();
    if (view.duplicateReference) {
      throw DomainError.conflict(
        'duplicate_payment_reference',
        `A payment with reference ${p.reference} was already registered for this loan`,
      );
    }
    const now = this.clock.now();
    const { allocations, changed } = allocatePayment(view.open, amount, now, loan.outstanding ?? new Decimal(0));
    const payment: Payment = { id: newId(), loanId: loan.id, userId: user.id, amount, reference: p.reference, allocations, createdAt: now };
    loan.recordPayment(amount, now);
    const outstanding = loan.outstanding!;
    if (loan.status !== 'CLOSED') loan.setDaysInArrears(daysInArrears(merge(view.open, changed), dayOf(now)), now);

    // The loan, the touched instalments, the payment and the audit events: one round trip.
    await this.uow.batch(async () => {
      await save(loan);
      await this.loans.updateInstallments(changed);
      await this.loans.insertPayment(payment);
      await this.audit.record(
        {
          eventType: 'loans.payment',
          outcome: 'success',
          userId: user.id,
          payload: {
            loan_id: loan.id,
            owner_id: loan.userId,
            payment_id: payment.id,
            amount: formatMoney(amount),
            reference: payment.reference,
            allocations: allocations.map((a) => ({
              installment_number: a.installmentNumber,
              interest: formatMoney(a.interest),
              principal: formatMoney(a.principal),
            })),
            outstanding_balance: formatMoney(outstanding),
          },
        },
        meta,
      );
      if (loan.status === 'CLOSED') {
        await this.audit.record(
          {
            eventType: 'loans.close',
            outcome: 'success',
            userId: user.id,
            payload: { loan_id: loan.id, owner_id: loan.userId, last_payment_id: payment.id },
          },
          meta,
        );
      }
    });
    return { payment, loan, outstanding: formatMoney(outstanding) };
  }

  async list(user: Actor, loanId: string): Promise<Payment[]> {
    const loan = assertVisible(isUuid(loanId) ? await this.loans.findById(loanId) : null, user);
    return this.loans.payments(loan.id);
  }
}

function merge(all: Installment[], changed: Installment[]): Installment[] {
  const byNumber = new Map(changed.map((c) => [c.number, c]));
  return all.map((i) => byNumber.get(i.number) ?? i);
}
