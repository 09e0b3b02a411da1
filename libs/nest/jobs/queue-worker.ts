import { Logger } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { JobDefinition, JobHandler } from '@kernel';

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

/**
 * One queue's fetch loop on this instance: keeps up to `concurrency` jobs in
 * flight, fetching exactly the free slots (pg-boss's own work() fetches a batch
 * and waits the polling interval even when the queue is full, and fails or
 * completes a whole batch together). Idle, it polls every `pollMs` or sooner
 * when woken (a job enqueued by this instance, a slot freed).
 */
export class QueueWorker {
  private readonly logger = new Logger('Jobs');
  private active = 0;
  private stopped = false;
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs finished with no output, completed together in one statement per turn of the event loop. */
  private toComplete: string[] = [];
  private readonly flushes = new Set<Promise<void>>();
  /** Jobs this worker finished (completed or failed), for tests and benches. */
  done = 0;

  constructor(
    private readonly boss: PgBoss,
    private readonly definition: Required<JobDefinition>,
    private readonly handler: JobHandler<object>,
    private readonly pollMs: number,
    /** Called once per attempt (metrics). */
    private readonly onAttempt: (queue: string, outcome: 'completed' | 'failed', seconds: number) => void = () => undefined,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
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
      .catch((e: unknown) => {
        // Left active: they expire and run again (handlers are idempotent).
        this.logger.warn({
          message: 'could not record completed jobs',
          queue: this.definition.name,
          jobs: ids.length,
          error: (e as Error).message,
        });
      })
      .finally(() => this.flushes.delete(p));
    this.flushes.add(p);
  }

  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    const { name, concurrency } = this.definition;
    while (!this.stopped) {
      const free = concurrency - this.active;
      if (free <= 0) {
        await this.sleep(null); // a finishing job wakes us
        continue;
      }
      let jobs: PgBoss.JobWithMetadata<object>[] = [];
      try {
        jobs = await this.boss.fetch<object>(name, { batchSize: free, includeMetadata: true, priority: true });
      } catch (e) {
        if (!this.stopped) this.logger.warn({ message: 'job fetch failed', queue: name, error: (e as Error).message });
      }
      if (this.stopped) {
        // Fetched while stopping: hand them back at once rather than let them wait for their timeout.
        for (const j of jobs) await this.boss.fail(name, j.id, { message: 'instance stopping' }).catch(() => undefined);
        break;
      }
      if (!jobs.length) {
        await this.sleep(this.pollMs);
        continue;
      }
      for (const job of jobs) this.launch(job);
    }
  }

  private launch(job: PgBoss.JobWithMetadata<object>): void {
    this.active++;
    const p = this.attempt(job).finally(() => {
      this.active--;
      this.done++;
      this.inFlight.delete(p);
      this.wake();
    });
    this.inFlight.add(p);
  }

  private async attempt(job: PgBoss.JobWithMetadata<object>): Promise<void> {
    const { name, timeoutSeconds } = this.definition;
    const ctx = { id: job.id, attempt: job.retryCount + 1, final: job.retryCount >= job.retryLimit };
    let timer: NodeJS.Timeout | undefined;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const output = await Promise.race([
        this.handler(job.data, ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
        }),
      ]);
      this.onAttempt(name, 'completed', seconds());
      if (!output || Object.keys(output).length === 0) this.completeSoon(job.id);
      else await this.boss.complete(name, job.id, output);
    } catch (e) {
      this.onAttempt(name, 'failed', seconds());
      const message = jobErrorMessage(e);
      const entry = {
        message: ctx.final ? 'job failed for good' : 'job failed, will retry',
        queue: name,
        job_id: job.id,
        attempt: ctx.attempt,
        error: message,
      };
      if (ctx.final) this.logger.error(entry);
      else this.logger.warn(entry);
      // If this write fails too (database down), the job expires and is retried.
      await this.boss.fail(name, job.id, { message }).catch((err: unknown) => {
        this.logger.warn({ message: 'could not record a job failure', queue: name, job_id: job.id, error: (err as Error).message });
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
