/**
 * Background work on a durable job engine (pg-boss today; a broker adapter could
 * take its place). How a context uses it:
 *
 *   // in the module's onModuleInit: one definition + handler per job name
 *   jobs.define({ name: 'execution.reconcile-order', retryLimit: 5, timeoutSeconds: 60, concurrency: 4 },
 *     async (data: { orderId: string }) => { ...; return { status: 'FILLED' } });
 *   // in a use case, inside uow.run(...): the job exists if and only if the transaction commits
 *   await jobs.enqueue('execution.reconcile-order', { orderId }, { key: `order:${orderId}` });
 *   // a clock tick (@nestjs/schedule underneath) that enqueues once per tick across N instances
 *   jobs.every('execution.reconcile-sweep', 300);   jobs.cron('loans.overdue', '0 1 * * *', 'UTC');
 *   // both at once: a scheduled job's definition, its handler and its clock
 *   jobs.schedule({ name: 'loans.overdue', retryLimit: 5 }, { cron: '0 1 * * *', timeZone: 'UTC' }, () => run());
 *   // many jobs of one name per handler call (one read and one write for all of them), one outcome per job
 *   jobs.defineBatch({ name: 'funds.notify-subscription', batchSize: 50 }, async (batch) => batch.map(() => ({ ok: true })));
 *
 * Handlers must be idempotent (delivery is at least once: a killed instance's job is
 * retried after its timeout). A handler that throws is retried with exponential
 * backoff; after `retryLimit` retries the job is failed for good, with the error's
 * message (never its stack), and listed by GET /ops/jobs/failed. Job data holds ids,
 * never secrets. One job's failure or slowness never blocks another's.
 */
export interface JobDefinition {
  /** Dotted, `<context>.<job>`: also the queue name. */
  name: string;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** First retry delay; doubled on each further retry (default 2 s). */
  retryDelaySeconds?: number;
  /** An attempt running longer fails (and is retried); a dead instance's job waits this long (default 60 s). */
  timeoutSeconds?: number;
  /** Jobs of this name worked at once by one instance (default 1). */
  concurrency?: number;
}

/** A job worked in batches: `concurrency` counts the handler calls (batches) in flight on one instance. */
export interface BatchJobDefinition extends JobDefinition {
  /** Most jobs per handler call (default 50). */
  batchSize?: number;
  /** A worker woken by new work waits this long for more before it fetches, so it fetches fuller batches (default 0). */
  gatherMs?: number;
}

/** When a scheduled job's clock enqueues it: every `every` seconds, or on `cron` in `timeZone`; `data` goes with each tick. */
export type JobSchedule<T extends object> = ({ every: number } | { cron: string; timeZone: string }) & { data?: T };

export interface EnqueueOptions {
  /** At most one job per key and name (a second enqueue with the key is a no-op that returns null). */
  key?: string;
  /** Higher first (default 0). */
  priority?: number;
  /** Not before this many seconds from now. */
  delaySeconds?: number;
}

export interface JobContext {
  id: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** true on the last attempt the definition allows. */
  final: boolean;
}

export type JobHandler<T> = (data: T, job: JobContext) => Promise<object | void>;

/** One job of a batch: its data and its own attempt (`final` per job). */
export interface BatchJob<T> extends JobContext {
  data: T;
}

/**
 * A batch handler's answer for one job: done (completed with the batch's other done jobs, no output), or failed
 * with its error, which retries that job alone with the definition's backoff, or fails it for good on its last
 * attempt, exactly as a throwing `JobHandler` would.
 */
export type JobOutcome = { ok: true } | { ok: false; error: unknown };

/** One outcome per job, in the jobs' order. A throw (or the timeout) fails every job of the batch, each on its own. */
export type BatchJobHandler<T> = (jobs: BatchJob<T>[]) => Promise<JobOutcome[]>;

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** The handler's result when completed, `{ message }` when failed. */
  output: Record<string, unknown> | null;
}

export interface FailedJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  error: string;
  attempts: number;
  createdAt: Date;
  failedAt: Date | null;
}

export abstract class JobQueue {
  /** Registers a job name and its handler (before the application has started). */
  abstract define<T extends object>(definition: JobDefinition, handler: JobHandler<T>): void;
  /** Like `define`, but the handler is given up to `batchSize` jobs at once (fetched in one statement). */
  abstract defineBatch<T extends object>(definition: BatchJobDefinition, handler: BatchJobHandler<T>): void;
  /** Inside a unit of work: joins its transaction. Returns the job id, or null when `key` was taken. */
  abstract enqueue<T extends object>(name: string, data: T, options?: EnqueueOptions): Promise<string | null>;
  /**
   * Many at once (one statement), same transaction rule; items whose key was taken are skipped.
   * Inside `UnitOfWork.batch` the statement goes out with the batch.
   */
  abstract enqueueMany<T extends object>(name: string, items: { data: T; key?: string; priority?: number }[]): Promise<void>;
  /** Every `seconds`, aligned to the wall clock: one job per tick across every instance. */
  abstract every(name: string, seconds: number, data?: object): void;
  /** On a cron expression in `timeZone`: one job per tick across every instance. */
  abstract cron(name: string, expression: string, timeZone: string, data?: object): void;
  /** `define` plus its clock (`every` or `cron`): what every scheduled job of a context does in onModuleInit. */
  schedule<T extends object>(definition: JobDefinition, when: JobSchedule<T>, handler: JobHandler<T>): void {
    this.define(definition, handler);
    if ('cron' in when) this.cron(definition.name, when.cron, when.timeZone, when.data);
    else this.every(definition.name, when.every, when.data);
  }
  /** Enqueues the job a schedule would, now (key: the current tick unless given). */
  abstract tick(name: string, key?: string): Promise<string | null>;
  abstract status(name: string, id: string): Promise<JobStatus | null>;
  /** Jobs failed for good, newest first. */
  abstract failed(limit: number): Promise<FailedJob[]>;
}
