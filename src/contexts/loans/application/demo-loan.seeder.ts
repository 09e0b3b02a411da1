import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, UnitOfWork } from '@kernel';
import { Loan } from '../domain/loan';
import { LoanRepository, LoanUserDirectory } from '../domain/loans.ports';
import { disburse } from './loans.service';

/** Fixed id: running the seed again finds it and does nothing. */
export const DEMO_LOAN_ID = 'a0c1e5e0-0001-4000-8000-000000000001';
export const DEMO_LOAN = { username: 'client1', principal: '5000.00', annualRate: '12', termMonths: 12, purpose: 'Demo loan (seed)' };

/**
 * Seed 001's "un préstamo aprobado con cuota pendiente": one disbursed loan for
 * client1 whose first instalment is pending. Dev only, after the dev users.
 */
@Injectable()
export class DemoLoanSeeder {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly loans: LoanRepository,
    private readonly users: LoanUserDirectory,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<void> {
    const userId = await this.users.idByUsername(DEMO_LOAN.username);
    if (!userId) {
      this.logger.warn({ message: 'demo loan skipped: user not found', username: DEMO_LOAN.username });
      return;
    }
    await this.uow.run(async () => {
      if (await this.loans.lockById(DEMO_LOAN_ID)) return;
      const now = this.clock.now();
      const loan = Loan.apply({
        id: DEMO_LOAN_ID,
        userId,
        principal: new Decimal(DEMO_LOAN.principal),
        annualRate: new Decimal(DEMO_LOAN.annualRate),
        termMonths: DEMO_LOAN.termMonths,
        purpose: DEMO_LOAN.purpose,
        now,
      });
      loan.approve((await this.users.idByUsername('admin')) ?? userId, now);
      const schedule = disburse(loan, now);
      await this.loans.insert(loan);
      await this.loans.insertInstallments(schedule);
      await this.audit.record({
        eventType: 'loans.disburse',
        outcome: 'success',
        userId,
        payload: { loan_id: loan.id, owner_id: userId, seed: true, principal: DEMO_LOAN.principal },
      });
    });
  }
}
