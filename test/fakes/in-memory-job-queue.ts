import { BatchJobDefinition, BatchJobHandler, EnqueueOptions, FailedJob, JobDefinition, JobHandler, JobQueue, JobStatus } from '@kernel';

interface Queued {
  id: string;
  name: string;
  data: object;
  attempts: number;
  state: JobStatus['state'];
  output: Record<string, unknown> | null;
}

/**
 * Unit tests' JobQueue: jobs wait in memory; `drain()` works them, retrying at once (no backoff), like the engine would.
 * A batch queue's waiting jobs go to its handler up to `batchSize` at a time (each call's size is kept in `batches`).
 */
export class InMemoryJobQueue extends JobQueue {
  private readonly handlers = new Map<string, { d: JobDefinition; h: JobHandler<object> }>();
  private readonly batchHandlers = new Map<string, { d: BatchJobDefinition; h: BatchJobHandler<object> }>();
  /** Per batch queue, the number of jobs of each handler call, in order. */
  readonly batches = new Map<string, number[]>();
  readonly jobs: Queued[] = [];
  private readonly keys = new Set<string>();
  private seq = 0;

  define<T extends object>(d: JobDefinition, h: JobHandler<T>): void {
    this.handlers.set(d.name, { d, h: h as JobHandler<object> });
  }

  defineBatch<T extends object>(d: BatchJobDefinition, h: BatchJobHandler<T>): void {
    this.batchHandlers.set(d.name, { d, h: h as BatchJobHandler<object> });
  }

  async enqueue<T extends object>(name: string, data: T, o: EnqueueOptions = {}): Promise<string | null> {
    if (o.key && this.keys.has(`${name}\0${o.key}`)) return null;
    if (o.key) this.keys.add(`${name}\0${o.key}`);
    const id = `job-${++this.seq}`;
    this.jobs.push({ id, name, data, attempts: 0, state: 'created', output: null });
    return id;
  }

  async enqueueMany<T extends object>(name: string, items: { data: T; key?: string }[]): Promise<void> {
    for (const i of items) await this.enqueue(name, i.data, { key: i.key });
  }

  /** What `every` / `cron` (and so `schedule`) set up; nothing ticks by itself: `tick()` stands for the clock. */
  readonly schedules = new Map<string, { every: number; data: object } | { cron: string; timeZone: string; data: object }>();

  every(name: string, seconds: number, data: object = {}): void {
    this.schedules.set(name, { every: seconds, data });
  }
  cron(name: string, expression: string, timeZone: string, data: object = {}): void {
    this.schedules.set(name, { cron: expression, timeZone, data });
  }
  async tick(name: string, key = 'now'): Promise<string | null> {
    return this.enqueue(name, this.schedules.get(name)?.data ?? {}, { key });
  }

  async status(_name: string, id: string): Promise<JobStatus | null> {
    const j = this.jobs.find((x) => x.id === id);
    return j
      ? { id, name: j.name, state: j.state, attempts: j.attempts, createdAt: new Date(0), finishedAt: null, output: j.output }
      : null;
  }

  async failed(): Promise<FailedJob[]> {
    return this.jobs
      .filter((j) => j.state === 'failed')
      .map((j) => ({
        id: j.id,
        name: j.name,
        data: j.data as Record<string, unknown>,
        error: String(j.output?.message),
        attempts: j.attempts,
        createdAt: new Date(0),
        failedAt: null,
      }));
  }

  /** Works every waiting job to completion or final failure. */
  async drain(): Promise<void> {
    for (let j = this.jobs.find((x) => x.state === 'created'); j; j = this.jobs.find((x) => x.state === 'created')) {
      if (this.batchHandlers.has(j.name)) {
        await this.workBatch(j.name);
        continue;
      }
      const { d, h } = this.handlers.get(j.name)!;
      const limit = d.retryLimit ?? 3;
      while (j.state === 'created') {
        j.attempts++;
        try {
          j.output = ((await h(j.data, { id: j.id, attempt: j.attempts, final: j.attempts > limit })) ?? {}) as Record<string, unknown>;
          j.state = 'completed';
        } catch (e) {
          if (j.attempts > limit) {
            j.state = 'failed';
            j.output = { message: (e as Error).message };
          }
        }
      }
    }
  }

  /** One handler call over the queue's waiting jobs (up to `batchSize`); a failed one waits for the next call. */
  private async workBatch(name: string): Promise<void> {
    const { d, h } = this.batchHandlers.get(name)!;
    const limit = d.retryLimit ?? 3;
    const batch = this.jobs.filter((x) => x.name === name && x.state === 'created').slice(0, d.batchSize ?? 50);
    for (const j of batch) j.attempts++;
    this.batches.set(name, [...(this.batches.get(name) ?? []), batch.length]);
    const outcomes = await h(batch.map((j) => ({ id: j.id, data: j.data, attempt: j.attempts, final: j.attempts > limit }))).catch(
      (error: unknown) => batch.map(() => ({ ok: false as const, error })),
    );
    batch.forEach((j, i) => {
      const o = outcomes[i] ?? { ok: false, error: new Error('the batch handler gave this job no outcome') };
      if (o.ok) {
        j.state = 'completed';
        j.output = null; // as pg-boss keeps a batch's done jobs: no output
      } else if (j.attempts > limit) {
        j.state = 'failed';
        j.output = { message: (o.error as Error).message };
      }
    });
  }
}
