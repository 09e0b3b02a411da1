import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AuditTrail, Clock, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { AdvisoryLocks } from '@platform/persistence/advisory-lock';
import { daysInArrears } from '../domain/loan';
import { LoanRepository } from '../domain/loans.ports';
import { dayOf } from '../domain/schedule';

export const OVERDUE_JOB = 'loans.overdue';

export interface OverdueRunResult {
  ran: boolean; // false when another instance held the lock
  today: string;
  installmentsMarked: number;
  loansInArrears: number;
}

/**
 * Daily: instalments past their due date become OVERDUE and each ACTIVE loan's
 * days in arrears is recomputed. One run per tick across instances (advisory
 * lock); one transaction per run, so the audit events commit with the changes.
 */
@Injectable()
export class OverdueJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LoansOverdueJob');

  constructor(
    private readonly loans: LoanRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly locks: AdvisoryLocks,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const job = CronJob.from({
      cronTime: this.config.loansOverdueCron,
      timeZone: 'UTC',
      onTick: () => {
        this.run().catch((e: unknown) => this.logger.error({ message: 'loans overdue job failed', error: (e as Error).message }));
      },
    });
    this.scheduler.addCronJob(OVERDUE_JOB, job);
    job.start();
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('cron', OVERDUE_JOB)) this.scheduler.deleteCronJob(OVERDUE_JOB);
  }

  async run(): Promise<OverdueRunResult> {
    const today = dayOf(this.clock.now());
    let result: OverdueRunResult = { ran: false, today, installmentsMarked: 0, loansInArrears: 0 };
    await this.locks.runExclusive(OVERDUE_JOB, async () => {
      result = await this.markOverdue(today);
    });
    if (result.ran)
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
