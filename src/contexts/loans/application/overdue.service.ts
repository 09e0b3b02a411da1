import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditTrail, Clock, JobQueue, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { daysInArrears } from '../domain/loan';
import { LoanRepository } from '../domain/loans.ports';
import { dayOf } from '../domain/schedule';

export const OVERDUE_JOB = 'loans.overdue';

export interface OverdueRunResult {
  ran: boolean;
  today: string;
  installmentsMarked: number;
  loansInArrears: number;
}

/**
 * Daily: instalments past their due date become OVERDUE and each ACTIVE loan's
 * days in arrears is recomputed. A scheduled job (one per LOANS_OVERDUE_CRON
 * tick across instances, retried on failure); one transaction per run, so the
 * audit events commit with the changes, and a second run the same day marks nothing.
 */
@Injectable()
export class OverdueJob implements OnModuleInit {
  private readonly logger = new Logger('LoansOverdueJob');

  constructor(
    private readonly loans: LoanRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: OVERDUE_JOB, retryLimit: 5, retryDelaySeconds: 30, timeoutSeconds: 600 },
      { cron: this.config.loansOverdueCron, timeZone: 'UTC' },
      async () => {
        const r = await this.run();
        return { today: r.today, installments_marked: r.installmentsMarked, loans_in_arrears: r.loansInArrears };
      },
    );
  }

  async run(): Promise<OverdueRunResult> {
    const today = dayOf(this.clock.now());
    const result = await this.markOverdue(today);
    this.logger.log({
      message: 'loans overdue job done',
      today,
      installments_marked: result.installmentsMarked,
      loans_in_arrears: result.loansInArrears,
    });
    return result;
  }

  private markOverdue(today: string): Promise<OverdueRunResult> {
    return this.uow.run(async () => {
      const marked = await this.loans.markOverdue(today);
      const newlyOverdue = new Map<string, number[]>();
      for (const m of marked) newlyOverdue.set(m.loanId, [...(newlyOverdue.get(m.loanId) ?? []), m.number]);
      const loanIds = await this.loans.loansInArrears(today);
      const now = this.clock.now();
      for (const id of loanIds) {
        const loan = await this.loans.lockById(id);
        if (!loan || loan.status !== 'ACTIVE') continue;
        const days = daysInArrears(await this.loans.installments(id), today);
        loan.setDaysInArrears(days, now);
        await this.loans.update(loan);
        const numbers = newlyOverdue.get(id);
        if (numbers) {
          await this.audit.record({
            eventType: 'loans.overdue',
            outcome: 'success',
            userId: loan.userId,
            payload: { loan_id: id, installments: numbers, days_in_arrears: days, as_of: today },
          });
        }
      }
      return { ran: true, today, installmentsMarked: marked.length, loansInArrears: loanIds.length };
    });
  }
}
