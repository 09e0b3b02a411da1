import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock, JobContext, JobQueue, newId, Notifier } from '@kernel';
import { FundTransaction, maskDestination } from '../domain/fund';
import { NotificationLog, NotifyPreferences } from '../domain/funds.ports';

export const NOTIFY_JOB = 'funds.notify-subscription';
const NO_DESTINATION = { channel: null, destinationMasked: null };

/** What the job carries: ids and the message's figures (no destination, no secret). */
export interface NotifyJobData {
  notificationId: string;
  userId: string;
  transactionId: string;
  fundName: string;
  amount: string;
  balanceAfter: string;
  currency: string;
}

/**
 * Tells the user about a subscription. Inside the subscription's transaction a
 * pending row is written and a job enqueued (the job reads the user's preference
 * and records the channel and masked destination it used), so a committed subscription always
 * has its notification on the way, even across a crash; the job sends through the
 * Notifier port (3 attempts, exponential backoff between them) and records each
 * outcome; after the last failed attempt the row says `failed` with the error and
 * the job is listed by GET /ops/jobs/failed. A failure never undoes the subscription.
 */
@Injectable()
export class SubscriptionNotifier implements OnModuleInit {
  private readonly logger = new Logger('FundsNotifications');

  constructor(
    private readonly prefs: NotifyPreferences,
    private readonly log: NotificationLog,
    private readonly notifier: Notifier,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.define<NotifyJobData>(
      { name: NOTIFY_JOB, retryLimit: 2, retryDelaySeconds: 1, timeoutSeconds: 60, concurrency: 4 },
      (d, job) => this.deliver(d, job),
    );
  }

  /**
   * Inside the transaction: record a pending notice and enqueue its job (no read: the job resolves the
   * user's preference when it sends, so the write joins the subscription's batch).
   */
  async prepare(tx: FundTransaction): Promise<void> {
    const id = newId();
    await this.log.create(
      {
        id,
        userId: tx.userId,
        transactionId: tx.id,
        channel: null,
        destinationMasked: null,
        status: 'pending',
        attempts: 0,
        adapter: null,
        lastError: null,
      },
      this.clock.now(),
    );
    await this.jobs.enqueueMany<NotifyJobData>(NOTIFY_JOB, [
      {
        data: {
          notificationId: id,
          userId: tx.userId,
          transactionId: tx.id,
          fundName: tx.fundName,
          amount: tx.amount.toFixed(),
          balanceAfter: tx.balanceAfter.toFixed(),
          currency: tx.currency,
        },
        key: id,
      },
    ]);
  }

  private async deliver(d: NotifyJobData, job: JobContext): Promise<object> {
    const pref = await this.prefs.forUser(d.userId);
    if (!pref) {
      await this.log.update(
        d.notificationId,
        {
          ...NO_DESTINATION,
          status: 'skipped',
          attempts: job.attempt - 1,
          adapter: null,
          lastError: 'no notification destination on file',
        },
        this.clock.now(),
      );
      return { status: 'skipped' };
    }
    const to = { channel: pref.channel, destinationMasked: maskDestination(pref.destination) };
    const result = await this.notifier
      .send({
        channel: pref.channel,
        destination: pref.destination,
        subject: `Suscripción al fondo ${d.fundName}`,
        body:
          `Se registró su suscripción al fondo ${d.fundName} por ${d.currency} ${d.amount}. ` +
          `Transacción ${d.transactionId}. Saldo disponible: ${d.currency} ${d.balanceAfter}.`,
      })
      .catch((e: unknown) => ({ status: 'failed' as const, adapter: 'unknown', error: (e as Error).message }));
    if (result.status === 'sent') {
      await this.log.update(
        d.notificationId,
        { ...to, status: 'sent', attempts: job.attempt, adapter: result.adapter, lastError: null },
        this.clock.now(),
      );
      return { status: 'sent', adapter: result.adapter };
    }
    const lastError = (result.error ?? 'unknown error').slice(0, 500);
    const status = job.final ? 'failed' : 'pending';
    await this.log.update(d.notificationId, { ...to, status, attempts: job.attempt, adapter: result.adapter, lastError }, this.clock.now());
    if (job.final)
      this.logger.warn(`notification for transaction ${d.transactionId} failed after ${job.attempt} attempts (${result.adapter})`);
    throw new Error(lastError); // the engine retries it (backoff), or records it as failed for good
  }
}
