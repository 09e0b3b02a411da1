import { EnqueueOptions, FailedJob, JobDefinition, JobHandler, JobQueue, JobStatus } from '@kernel';

interface Queued {
  id: string;
  name: string;
  data: object;
  attempts: number;
  state: JobStatus['state'];
  output: Record<string, unknown> | null;
}

/** Unit tests' JobQueue: jobs wait in memory; `drain()` works them, retrying at once (no backoff), like the engine would. */
export class InMemoryJobQueue extends JobQueue {
  private readonly handlers = new Map<string, { d: JobDefinition; h: JobHandler<object> }>();
  readonly jobs: Queued[] = [];
  private readonly keys = new Set<string>();
  private seq = 0;

  define<T extends object>(d: JobDefinition, h: JobHandler<T>): void {
    this.handlers.set(d.name, { d, h: h as JobHandler<object> });
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
}
