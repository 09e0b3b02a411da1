import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BatchJob, Clock, JobOutcome, JobQueue, newId, Notifier } from '@kernel';
import { FundTransaction, maskDestination } from '../domain/fund';
import { NotificationChange, NotificationLog, NotifyPreference, NotifyPreferences } from '../domain/funds.ports';

export const NOTIFY_JOB = 'funds.notify-subscription';
const NO_DESTINATION = { channel: null, destinationMasked: null };
/** Sends of one batch in flight at once (a batch may hold 50; an SMTP relay need not see 50 connections). */
const SENDS_AT_ONCE = 4;

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
 * The jobs are worked in batches: one preference read and one notice update for the
 * whole batch, each send on its own (a failed one is retried alone, with its backoff).
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
    this.jobs.defineBatch<NotifyJobData>(
      { name: NOTIFY_JOB, retryLimit: 2, retryDelaySeconds: 1, timeoutSeconds: 60, concurrency: 2, batchSize: 50, gatherMs: 100 },
      (batch) => this.deliver(batch),
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

  /** Sends each notice, then records every outcome in one statement before the jobs complete (at least once). */
  private async deliver(batch: BatchJob<NotifyJobData>[]): Promise<JobOutcome[]> {
    const prefs = await this.prefs.forUsers([...new Set(batch.map((j) => j.data.userId))]);
    const results = await inTurns(batch, SENDS_AT_ONCE, (job) => this.send(job, prefs.get(job.data.userId)));
    await this.log.updateMany(
      results.map((r, i) => ({ id: batch[i].data.notificationId, ...r.change })),
      this.clock.now(),
    );
    return results.map((r) => r.outcome);
  }

  private async send(
    job: BatchJob<NotifyJobData>,
    pref: NotifyPreference | undefined,
  ): Promise<{ change: NotificationChange; outcome: JobOutcome }> {
    const d = job.data;
    if (!pref) {
      const lastError = 'no notification destination on file';
      return {
        change: { ...NO_DESTINATION, status: 'skipped', attempts: job.attempt - 1, adapter: null, lastError },
        outcome: { ok: true },
      };
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
    if (result.status === 'sent')
      return { change: { ...to, status: 'sent', attempts: job.attempt, adapter: result.adapter, lastError: null }, outcome: { ok: true } };
    const lastError = (result.error ?? 'unknown error').slice(0, 500);
    if (job.final)
      this.logger.warn(`notification for transaction ${d.transactionId} failed after ${job.attempt} attempts (${result.adapter})`);
    return {
      change: { ...to, status: job.final ? 'failed' : 'pending', attempts: job.attempt, adapter: result.adapter, lastError },
      // the engine retries it (backoff), or records it as failed for good
      outcome: { ok: false, error: new Error(lastError) },
    };
  }
}

/** `fn` over `items`, at most `limit` at once; the results in the items' order. */
async function inTurns<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
