import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  BatchJobDefinition,
  BatchJobHandler,
  EnqueueOptions,
  FailedJob,
  JobDefinition,
  JobHandler,
  JobQueue,
  JobState,
  JobStatus,
} from '@kernel';
import { AppConfig } from '../config/app-config';
import { AppMetrics } from '../metrics/app-metrics';
import { TransactionHost } from '../persistence/transaction-host';
import { JobClock } from './job-clock';
import { QueueHandler, QueueWorker } from './queue-worker';

export const JOBS_SCHEMA = 'pgboss';

/** A job key becomes the job's id (a UUID from its hash): pg-boss inserts with ON CONFLICT DO NOTHING. */
export function keyedId(name: string, key: string): string {
  const h = createHash('sha256').update(`${name}\0${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Db = PgBoss.Db;

/**
 * The JobQueue port on pg-boss 10 (PostgreSQL, SKIP LOCKED). pg-boss shares the
 * TypeORM pool; inside a unit of work, enqueues go through the transaction's own
 * connection (pg-boss's `db` option), so a job exists exactly when the business
 * change that caused it commits. Our QueueWorker drives fetch/complete/fail;
 * pg-boss keeps the states, the retries with backoff, the expiry of jobs whose
 * instance died (its maintenance) and the archive.
 */
@Injectable()
export class PgBossJobQueue extends JobQueue implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private boss!: PgBoss;
  private pool!: Pool;
  private readonly definitions = new Map<string, { definition: Required<BatchJobDefinition>; handler: QueueHandler }>();
  private readonly workers = new Map<string, QueueWorker>();
  private readonly queues = new Map<string, Promise<void>>();
  private ready?: Promise<void>;
  private bootstrapped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost,
    private readonly config: AppConfig,
    private readonly clock: JobClock,
    private readonly metrics: AppMetrics,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    this.pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const db: Db = { executeSql: (text, values) => this.pool.query(text, values) };
    this.boss = new PgBoss({
      db,
      schema: JOBS_SCHEMA,
      migrate: true,
      schedule: false, // the clock is @nestjs/schedule (JobClock); see every()/cron()
      supervise: true,
      maintenanceIntervalSeconds: this.config.jobsMaintenanceIntervalSeconds,
    });
    this.boss.on('error', (e: Error) => this.logger.warn({ message: 'job engine error', error: e.message }));
    this.ready = this.boss.start().then(() => undefined);
    await this.ready;
  }

  /** Normally from a module's onModuleInit; a later call (tests) starts its worker at once. */
  define<T extends object>(definition: JobDefinition, handler: JobHandler<T>): void {
    this.register(definition, { one: handler as JobHandler<object> });
  }

  defineBatch<T extends object>(definition: BatchJobDefinition, handler: BatchJobHandler<T>): void {
    this.register(definition, { batch: handler as BatchJobHandler<object> });
  }

  private register(definition: BatchJobDefinition, handler: QueueHandler): void {
    const d: Required<BatchJobDefinition> = {
      retryLimit: 3,
      retryDelaySeconds: 2,
      timeoutSeconds: 60,
      concurrency: 1,
      batchSize: 50,
      gatherMs: 0,
      ...definition,
    };
    this.definitions.set(d.name, { definition: d, handler });
    if (this.bootstrapped) void this.open(d.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.bootstrapped = true;
    for (const name of this.definitions.keys()) await this.open(name);
    if (this.config.schedulerEnabled) this.clock.start((name) => this.tick(name));
  }

  /** Creates (or updates) the queue with the definition's retry policy, then starts this instance's worker. */
  private open(name: string): Promise<void> {
    let p = this.queues.get(name);
    if (!p) {
      p = (async () => {
        await this.ready;
        const def = this.definitions.get(name);
        if (!def) throw new Error(`unknown job ${name}: define() it first`);
        const { definition: d, handler } = def;
        const options = {
          name,
          retryLimit: d.retryLimit,
          retryDelay: d.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: d.timeoutSeconds,
        };
        // Instances booting together on a fresh database may create the same queue at once: its DDL
        // (a partition per queue) can deadlock there, and the loser simply tries again.
        for (let attempt = 1; !(await this.boss.getQueue(name)); attempt++) {
          try {
            await this.boss.createQueue(name, options);
          } catch (e) {
            if ((e as { code?: string }).code !== '40P01' || attempt >= 5) throw e;
            await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
          }
        }
        await this.boss.updateQueue(name, options);
        if (!this.config.jobsWorkerEnabled) return;
        const worker = new QueueWorker(this.boss, d, handler, this.config.jobsPollingIntervalSeconds * 1000, (q, outcome, secs) =>
          this.metrics.recordJob(q, outcome, secs),
        );
        this.workers.set(name, worker);
        worker.start();
      })();
      this.queues.set(name, p);
    }
    return p;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.clock.stop();
    await Promise.all([...this.workers.values()].map((w) => w.stop(15_000)));
    await this.boss?.stop({ close: false, graceful: false, wait: true }).catch(() => undefined);
  }

  /** Inside a transaction: its connection. Outside: the pool. */
  private db(): Db {
    if (!this.txHost.isTransactionActive()) return { executeSql: (text, values) => this.pool.query(text, values) };
    const runner = this.txHost.tx.queryRunner!;
    return { executeSql: async (text, values) => ({ rows: (await runner.query(text, values, true)).records }) };
  }

  /** Wakes this instance's worker for `name` once the job is visible (after commit). */
  private wakeAfterCommit(name: string): void {
    this.txHost.afterCommit(() => this.workers.get(name)?.wake());
  }

  async enqueue<T extends object>(name: string, data: T, options: EnqueueOptions = {}): Promise<string | null> {
    await this.open(name);
    // pg-boss checks the keys present, so absent options stay absent.
    const id = await this.boss.send(name, data, {
      db: this.db(),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
      ...(options.key ? { id: keyedId(name, options.key), singletonKey: options.key } : {}),
    });
    if (id && !options.delaySeconds) this.wakeAfterCommit(name);
    return id;
  }

  async enqueueMany<T extends object>(name: string, items: { data: T; key?: string; priority?: number }[]): Promise<void> {
    if (!items.length) return;
    await this.open(name);
    const jobs: PgBoss.JobInsert[] = items.map((i) => ({
      name,
      data: i.data,
      priority: i.priority,
      ...(i.key ? { id: keyedId(name, i.key), singletonKey: i.key } : {}),
    }));
    // Its answer (the ids) is not used, so the insert is a plain write: held for the batch when one is open.
    const db: Db = { executeSql: async (text, values) => (await this.txHost.write(text, values ?? []), { rows: [] }) };
    await this.boss.insert(jobs, { db });
    this.wakeAfterCommit(name);
  }

  every(name: string, seconds: number, data: object = {}): void {
    this.clock.every(name, seconds, data);
  }

  cron(name: string, expression: string, timeZone: string, data: object = {}): void {
    this.clock.cron(name, expression, timeZone, data);
  }

  tick(name: string, key?: string): Promise<string | null> {
    return this.enqueue(name, this.clock.dataOf(name), { key: key ?? this.clock.currentTick(name) });
  }

  async status(name: string, id: string): Promise<JobStatus | null> {
    await this.ready;
    const j = await this.boss.getJobById<object>(name, id, { includeArchive: true }).catch(() => null);
    if (!j) return null;
    return {
      id: j.id,
      name: j.name,
      state: j.state as JobState,
      attempts: j.retryCount + (j.state === 'created' ? 0 : 1),
      createdAt: new Date(j.createdOn),
      finishedAt: j.completedOn ? new Date(j.completedOn) : null,
      output: (j.output as Record<string, unknown> | null) ?? null,
    };
  }

  /** Read-only over pg-boss's documented tables (it has no "list failed" call). */
  async failed(limit: number): Promise<FailedJob[]> {
    const rows: Record<string, unknown>[] = (
      await this.pool.query(
        `SELECT id, name, data, output, retry_count, created_on, completed_on FROM (
           SELECT id, name, data, output, retry_count, created_on, completed_on FROM ${JOBS_SCHEMA}.job WHERE state = 'failed'
           UNION ALL
           SELECT id, name, data, output, retry_count, created_on, completed_on FROM ${JOBS_SCHEMA}.archive WHERE state = 'failed'
         ) f ORDER BY completed_on DESC NULLS LAST LIMIT $1`,
        [limit],
      )
    ).rows;
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      data: (r.data as Record<string, unknown>) ?? {},
      error: String((r.output as { message?: unknown } | null)?.message ?? 'unknown error'),
      attempts: Number(r.retry_count) + 1,
      createdAt: new Date(r.created_on as string),
      failedAt: r.completed_on ? new Date(r.completed_on as string) : null,
    }));
  }

  /** Jobs this instance finished per queue (benches, tests). */
  finishedHere(name: string): number {
    return this.workers.get(name)?.done ?? 0;
  }
}
