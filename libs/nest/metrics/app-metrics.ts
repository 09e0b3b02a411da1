import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** Seconds; from a fast route (1 ms) to a slow exchange call or a long job (60 s). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const METRIC = {
  httpDuration: 'http_request_duration_seconds',
  jobsProcessed: 'jobs_processed_total',
  jobDuration: 'job_duration_seconds',
  jobFailures: 'job_failures_total',
  syncCycleDuration: 'exchange_sync_cycle_duration_seconds',
  syncUsersFailed: 'exchange_sync_cycle_users_failed',
  syncUserFailures: 'exchange_sync_user_failures_total',
  outboxBacklog: 'outbox_backlog',
  outboxOldestAge: 'outbox_oldest_age_seconds',
  dbPool: 'db_pool_connections',
  moneyMoves: 'funds_money_moves_total',
} as const;

/** The metrics this app defines (on prom-client's default registry, shared by every app in the process). */
export const METRIC_PROVIDERS = [
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({
    name: METRIC.jobsProcessed,
    help: 'Background jobs processed, by queue and outcome',
    labelNames: ['queue', 'outcome'],
  }),
  makeHistogramProvider({
    name: METRIC.jobDuration,
    help: 'Background job duration by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({ name: METRIC.jobFailures, help: 'Background job failures (each failed attempt), by queue', labelNames: ['queue'] }),
  makeHistogramProvider({ name: METRIC.syncCycleDuration, help: 'Exchange sync cycle duration', buckets: LATENCY_BUCKETS }),
  makeGaugeProvider({ name: METRIC.syncUsersFailed, help: 'Users whose sync failed in the last exchange sync cycle of this instance' }),
  makeCounterProvider({ name: METRIC.syncUserFailures, help: 'User syncs that failed, all cycles' }),
  makeGaugeProvider({ name: METRIC.outboxBacklog, help: 'Outbox rows not yet relayed to the document store' }),
  makeGaugeProvider({ name: METRIC.outboxOldestAge, help: 'Age of the oldest outbox row not yet relayed (0 when empty)' }),
  makeCounterProvider({
    name: METRIC.moneyMoves,
    help:
      "Fund subscriptions and cancellations committed, by path: cached (one statement from the instance's last known " +
      'account state), read (read, then one statement), locked (the locking transaction)',
    labelNames: ['move', 'path'],
  }),
  makeGaugeProvider({
    name: METRIC.dbPool,
    help: 'Database connection pool of this instance: in_use, idle, waiting (queued requests) and max',
    labelNames: ['state'],
  }),
];

export type JobOutcome = 'completed' | 'failed';
export type MoneyMovePath = 'cached' | 'read' | 'locked';

/**
 * The hooks the rest of the app calls. Job engines call `recordJob` (or wrap a
 * handler with `timeJob`) once per attempt; the sync cycle calls `recordSyncCycle`; the funds
 * account repository calls `recordMoneyMove` after each committed subscribe or cancel.
 */
@Injectable()
export class AppMetrics {
  constructor(
    @InjectMetric(METRIC.httpDuration) private readonly http: Histogram<string>,
    @InjectMetric(METRIC.jobsProcessed) private readonly jobs: Counter<string>,
    @InjectMetric(METRIC.jobDuration) private readonly jobDuration: Histogram<string>,
    @InjectMetric(METRIC.jobFailures) private readonly jobFailures: Counter<string>,
    @InjectMetric(METRIC.syncCycleDuration) private readonly syncDuration: Histogram<string>,
    @InjectMetric(METRIC.syncUsersFailed) private readonly syncUsersFailed: Gauge<string>,
    @InjectMetric(METRIC.syncUserFailures) private readonly syncUserFailures: Counter<string>,
    @InjectMetric(METRIC.moneyMoves) private readonly moneyMoves: Counter<string>,
  ) {}

  recordHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  recordJob(queue: string, outcome: JobOutcome, seconds: number): void {
    this.jobs.inc({ queue, outcome });
    this.jobDuration.observe({ queue, outcome }, seconds);
    if (outcome === 'failed') this.jobFailures.inc({ queue });
  }

  /** Runs one job attempt and records it; the handler's error is rethrown (the engine retries). */
  async timeJob<T>(queue: string, handler: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const out = await handler();
      this.recordJob(queue, 'completed', seconds());
      return out;
    } catch (e) {
      this.recordJob(queue, 'failed', seconds());
      throw e;
    }
  }

  /** A committed fund money move and how it was written (a falling share of `cached` means stale entries). */
  recordMoneyMove(move: 'subscribe' | 'cancel', path: MoneyMovePath): void {
    this.moneyMoves.inc({ move, path });
  }

  recordSyncCycle(durationMs: number, usersFailed: number): void {
    this.syncDuration.observe(durationMs / 1000);
    this.syncUsersFailed.set(usersFailed);
    if (usersFailed > 0) this.syncUserFailures.inc(usersFailed);
  }
}
