import { Logger } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { BatchJob, BatchJobDefinition, BatchJobHandler, JobHandler, JobOutcome } from '@kernel';

/** What a failed attempt records: the error's message only (no stack, no data), bounded. */
export function jobErrorMessage(e: unknown): string {
  const raw = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return raw
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [REDACTED]')
    .replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED_JWT]')
    .replace(/(pass(word)?|secret|token|api_?key)=\S+/gi, '$1=[REDACTED]')
    .slice(0, 500);
}

class TimeoutError extends Error {
  constructor(seconds: number) {
    super(`job exceeded its ${seconds} s timeout`);
    this.name = 'TimeoutError';
  }
}

/** What a queue's handler is: one job per call, or a batch of up to `batchSize` jobs per call. */
export type QueueHandler = { one: JobHandler<object> } | { batch: BatchJobHandler<object> };

/** An attempt's outcome inside the worker: a single job's handler may also return an output to keep. */
type Outcome = { ok: true; output?: object | void } | { ok: false; error: unknown };

/**
 * One queue's fetch loop on this instance: keeps up to `concurrency` jobs in
 * flight, fetching exactly the free slots (pg-boss's own work() fetches a batch
 * and waits the polling interval even when the queue is full, and fails or
 * completes a whole batch together). Idle, it polls every `pollMs` or sooner
 * when woken (a job enqueued by this instance, a slot freed).
 *
 * A batch queue keeps up to `concurrency` batches in flight instead: each fetch
 * takes up to `batchSize` jobs in one statement and hands them to one handler
 * call; its done jobs are completed in one statement, each failed one is failed
 * on its own (its own retry, backoff and final failure). Woken, it first waits
 * `gatherMs` so that jobs committed close together share a batch.
 */
export class QueueWorker {
  private readonly logger = new Logger('Jobs');
  private active = 0;
  private stopped = false;
  private wakeUp?: () => void;
  /** A wake-up that came while the loop was not asleep: the next sleep returns at once. */
  private wakePending = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs finished with no output, completed together in one statement per turn of the event loop. */
  private toComplete: string[] = [];
  private readonly flushes = new Set<Promise<void>>();
  /** Job attempts this worker finished (completed or failed), for tests and benches. */
  done = 0;

  constructor(
    private readonly boss: PgBoss,
    private readonly definition: Required<BatchJobDefinition>,
    private readonly handler: QueueHandler,
    private readonly pollMs: number,
    /** Called once per attempt (metrics). */
    private readonly onAttempt: (queue: string, outcome: 'completed' | 'failed', seconds: number) => void = () => undefined,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /**
   * Ends the current sleep, or, when the loop is not sleeping (fetching, say: a job committed meanwhile may not
   * be in what that fetch sees), the next one before it begins: a wake-up is never lost to the poll interval.
   */
  wake(): void {
    const wakeUp = this.wakeUp;
    if (!wakeUp) {
      this.wakePending = true;
      return;
    }
    this.wakeUp = undefined;
    wakeUp();
  }

  /** Stops fetching; waits up to `graceMs` for the jobs in flight (the rest expire and are retried elsewhere). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => {
        timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
    this.flushCompletions();
    await Promise.allSettled([...this.flushes]);
  }

  private completeSoon(id: string): void {
    this.toComplete.push(id);
    if (this.toComplete.length === 1) setImmediate(() => this.flushCompletions());
  }

  private flushCompletions(): void {
    const ids = this.toComplete.splice(0);
    if (!ids.length) return;
    const p = this.boss
      .complete(this.definition.name, ids)
      .catch((e: unknown) => this.unrecorded(ids, e))
      .finally(() => this.flushes.delete(p));
    this.flushes.add(p);
  }

  /** Left active: they expire and run again (handlers are idempotent). */
  private unrecorded(ids: string[], e: unknown): void {
    this.logger.warn({
      message: 'could not record completed jobs',
      queue: this.definition.name,
      jobs: ids.length,
      error: (e as Error).message,
    });
  }

  /** Resolves true when woken (or a wake-up came since the last sleep), false when `ms` ran out. */
  private sleep(ms: number | null): Promise<boolean> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer =
        ms === null
          ? undefined
          : setTimeout(() => {
              this.wakeUp = undefined;
              resolve(false);
            }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** A batch queue, woken: lets the jobs committed in the next `gatherMs` join the batch it is about to fetch. */
  private async idle(): Promise<void> {
    const woken = await this.sleep(this.pollMs);
    if (woken && 'batch' in this.handler && this.definition.gatherMs > 0 && !this.stopped)
      await new Promise((r) => setTimeout(r, this.definition.gatherMs));
  }

  private async run(): Promise<void> {
    const { name, concurrency, batchSize } = this.definition;
    const batched = 'batch' in this.handler;
    while (!this.stopped) {
      const free = concurrency - this.active;
      if (free <= 0) {
        await this.sleep(null); // a finishing job wakes us
        continue;
      }
      const size = batched ? batchSize : free;
      let jobs: PgBoss.JobWithMetadata<object>[] = [];
      try {
        jobs = await this.boss.fetch<object>(name, { batchSize: size, includeMetadata: true, priority: true });
      } catch (e) {
        if (!this.stopped) this.logger.warn({ message: 'job fetch failed', queue: name, error: (e as Error).message });
      }
      if (this.stopped) {
        // Fetched while stopping: hand them back at once rather than let them wait for their timeout.
        for (const j of jobs) await this.boss.fail(name, j.id, { message: 'instance stopping' }).catch(() => undefined);
        break;
      }
      if (!jobs.length) {
        await this.idle();
        continue;
      }
      if (!batched) for (const job of jobs) this.launch([job]);
      else {
        this.launch(jobs);
        if (jobs.length < size) await this.idle(); // the queue is empty: refetching now would find nothing
      }
    }
  }

  private launch(jobs: PgBoss.JobWithMetadata<object>[]): void {
    this.active++;
    const p = this.attempt(jobs).finally(() => {
      this.active--;
      this.done += jobs.length;
      this.inFlight.delete(p);
      this.wake();
    });
    this.inFlight.add(p);
  }

  /** Runs the handler over one job (or one batch) under the timeout; a throw fails every job it was given. */
  private async outcomes(jobs: BatchJob<object>[]): Promise<Outcome[]> {
    const { timeoutSeconds } = this.definition;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
    });
    const run = async (): Promise<Outcome[]> => {
      if ('batch' in this.handler) return this.handler.batch(jobs);
      const { data, ...ctx } = jobs[0];
      return [{ ok: true, output: await this.handler.one(data, ctx) }];
    };
    try {
      const answered: (Outcome | JobOutcome | undefined)[] = await Promise.race([run(), timeout]);
      return jobs.map((_, i) => answered[i] ?? { ok: false, error: new Error('the batch handler gave this job no outcome') });
    } catch (e) {
      return jobs.map(() => ({ ok: false, error: e }));
    } finally {
      clearTimeout(timer);
    }
  }

  private async attempt(fetched: PgBoss.JobWithMetadata<object>[]): Promise<void> {
    const { name } = this.definition;
    const jobs = fetched.map((j) => ({ id: j.id, data: j.data, attempt: j.retryCount + 1, final: j.retryCount >= j.retryLimit }));
    const started = process.hrtime.bigint();
    const outcomes = await this.outcomes(jobs);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await Promise.all(
      jobs.map(async (job, i) => {
        const o = outcomes[i];
        this.onAttempt(name, o.ok ? 'completed' : 'failed', seconds);
        if (!o.ok) await this.failed(job, o.error);
        else if (!o.output || Object.keys(o.output).length === 0) this.completeSoon(job.id);
        else await this.boss.complete(name, job.id, o.output).catch((e: unknown) => this.unrecorded([job.id], e));
      }),
    );
  }

  private async failed(job: BatchJob<object>, e: unknown): Promise<void> {
    const { name } = this.definition;
    const message = jobErrorMessage(e);
    const entry = {
      message: job.final ? 'job failed for good' : 'job failed, will retry',
      queue: name,
      job_id: job.id,
      attempt: job.attempt,
      error: message,
    };
    if (job.final) this.logger.error(entry);
    else this.logger.warn(entry);
    // If this write fails too (database down), the job expires and is retried.
    await this.boss.fail(name, job.id, { message }).catch((err: unknown) => {
      this.logger.warn({ message: 'could not record a job failure', queue: name, job_id: job.id, error: (err as Error).message });
    });
  }
}
