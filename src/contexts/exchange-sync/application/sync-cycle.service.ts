import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Actor, AuditTrail, Clock, DomainError, JobQueue, newId, RequestMeta, UnitOfWork } from '@kernel';
import { ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { AppMetrics } from '@platform/metrics/app-metrics';
import { ExchangeAccountGateways } from '../domain/exchange-account-gateway.ports';
import { RunUserResult, SyncRun, SyncStateRepository } from '../domain/exchange-sync.ports';
import { newSyncRun, runUserResult } from '../domain/sync-run';
import { RunMarkets } from './run-markets';
import { failureMessage, isUserFailure, UserSyncFailed } from './sync-failure';
import { AlreadySynced, UserSyncOutcome, UserSyncService } from './user-sync.service';

/** The clock's job: plans a cycle (one per tick across instances). */
export const CYCLE_JOB = 'exchange-sync.cycle';
/** One user's sync within a run; every instance works these. */
export const USER_JOB = 'exchange-sync.user';
/** A user's own "sync now" goes ahead of a cycle's backlog. */
const MANUAL_PRIORITY = 10;

interface CycleJobData {
  trigger: 'schedule' | 'manual';
  requestedBy: string | null;
}
interface UserJobData {
  runId: string;
  userId: string;
}

export interface ManualRun {
  run: SyncRun;
  /** false: still running when the wait ran out (the caller answers 202 with a status link). */
  finished: boolean;
}

/**
 * The sync cycle on the job engine. Each tick enqueues one cycle job (keyed by the
 * tick, so N instances make one); its handler creates the run and one job per user
 * with credentials in one transaction. Every instance works user jobs
 * (EXCHANGE_SYNC_CONCURRENCY at once); each user's result commits with its sync,
 * once per run (run + user is unique), and whoever records the last user
 * completes the run. A user's failure is recorded and audited and never stops the
 * others; an instance that dies mid-job leaves its jobs to expire and be retried.
 */
@Injectable()
export class SyncCycleService implements OnModuleInit {
  private readonly logger = new Logger('ExchangeSync');
  private readonly markets: RunMarkets;

  constructor(
    private readonly users: UserSyncService,
    private readonly gateways: ExchangeAccountGateways,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly state: SyncStateRepository,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: AppMetrics,
  ) {
    this.markets = new RunMarkets(gateways, this.logger);
  }

  get instanceId(): string {
    return this.config.instanceId;
  }

  onModuleInit(): void {
    this.jobs.schedule<CycleJobData>(
      { name: CYCLE_JOB, retryLimit: 3, timeoutSeconds: 60 },
      { every: this.config.exchangeSyncIntervalSeconds, data: { trigger: 'schedule', requestedBy: null } },
      async (d, job) => ({ run_id: (await this.plan(job.id, d.trigger, d.requestedBy)).id }),
    );
    this.jobs.define<UserJobData>(
      {
        name: USER_JOB,
        retryLimit: 3,
        retryDelaySeconds: 2,
        timeoutSeconds: this.config.exchangeSyncJobTimeoutSeconds,
        concurrency: this.config.exchangeSyncConcurrency,
      },
      (d, job) => this.syncUserJob(d, job.final),
    );
  }

  /** What a scheduler tick does on each instance; null when another instance already enqueued this tick's cycle. */
  tick(): Promise<string | null> {
    return this.jobs.tick(CYCLE_JOB);
  }

  /** Creates the run and its user jobs in one transaction; a retried planning job (same id) creates nothing more. */
  async plan(runId: string, trigger: 'schedule' | 'manual', requestedBy: string | null): Promise<SyncRun> {
    const userIds = await this.usersWithCredentials();
    const run = this.newRun(runId, trigger, 'all', requestedBy, userIds.length);
    const created = await this.uow.run(async () => {
      if (!(await this.state.createRun(run))) return false;
      await this.jobs.enqueueMany(
        USER_JOB,
        userIds.map((userId) => ({ data: { runId, userId }, key: `${runId}:${userId}` })),
      );
      return true;
    });
    if (created) {
      this.logger.log('Starting exchange sync cycle...');
      if (!userIds.length) await this.finishIfDone(runId);
    }
    return run;
  }

  /** POST /ops/exchange-sync/run: own account now (ahead of any cycle); an admin starts a cycle for everyone. */
  async runManual(user: Actor, meta: RequestMeta): Promise<ManualRun> {
    const scope = user.role === 'admin' ? 'all' : 'user';
    const runId = newId();
    if (scope === 'all') await this.plan(runId, 'manual', user.id);
    else {
      if (!(await this.hasAnyCredentials(user.id))) throw this.users.missingCredentials();
      await this.uow.run(async () => {
        await this.state.createRun(this.newRun(runId, 'manual', 'user', user.id, 1));
        await this.jobs.enqueue<UserJobData>(
          USER_JOB,
          { runId, userId: user.id },
          { key: `${runId}:${user.id}`, priority: MANUAL_PRIORITY },
        );
      });
      this.logger.log('Starting exchange sync cycle...');
    }
    const run = await this.waitFor(runId, this.config.exchangeSyncRunWaitSeconds * 1000);
    const finished = run.status !== 'RUNNING';
    await this.uow.run(() =>
      this.audit.record(
        {
          eventType: 'exchange_sync.run',
          outcome: 'success',
          userId: user.id,
          payload: { run_id: run.id, scope, finished, users_ok: run.usersOk, users_failed: run.usersFailed, duration_ms: run.durationMs },
        },
        meta,
      ),
    );
    return { run, finished };
  }

  /** GET /ops/exchange-sync/runs/:id: admins see every run, users their own. */
  async runFor(viewer: Actor, runId: string): Promise<SyncRun> {
    const run = await this.state.getRun(runId);
    if (!run || (viewer.role !== 'admin' && run.requestedBy !== viewer.id)) {
      throw DomainError.notFound('sync_run_not_found', `Sync run ${runId} not found`);
    }
    return run;
  }

  private async waitFor(runId: string, ms: number): Promise<SyncRun> {
    const deadline = Date.now() + ms;
    for (;;) {
      const run = await this.state.getRun(runId);
      if (run && (run.status !== 'RUNNING' || Date.now() >= deadline)) return run;
      if (!run && Date.now() >= deadline) throw new Error(`sync run ${runId} vanished`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private newRun(id: string, trigger: SyncRun['trigger'], scope: SyncRun['scope'], requestedBy: string | null, usersTotal: number) {
    return newSyncRun({ id, trigger, scope, requestedBy, instanceId: this.instanceId, startedAt: this.clock.now(), usersTotal });
  }

  /** Users with credentials for any synced exchange, each once. */
  private async usersWithCredentials(): Promise<string[]> {
    const ids = new Set<string>();
    for (const g of this.gateways.all) for (const id of await this.credentials.usersWith(g.exchange)) ids.add(id);
    return [...ids];
  }

  private async hasAnyCredentials(userId: string): Promise<boolean> {
    for (const g of this.gateways.all) if (await this.credentials.hasCredentials(userId, g.exchange)) return true;
    return false;
  }

  private result(d: UserJobData, error: string | null, o?: UserSyncOutcome): RunUserResult {
    return runUserResult({ runId: d.runId, userId: d.userId, instanceId: this.instanceId, finishedAt: this.clock.now() }, error, o);
  }

  private async syncUserJob(d: UserJobData, finalAttempt: boolean): Promise<object> {
    // Recorded already (a redelivered job): the instance that recorded it may have died before completing the run.
    if (await this.state.userDone(d.runId, d.userId)) {
      await this.finishIfDone(d.runId);
      return { skipped: 'already synced in this run' };
    }
    try {
      await this.users.syncUser(
        d.userId,
        (exchange) => this.markets.get(d.runId, exchange),
        (o) => this.state.recordRunUser(this.result(d, null, o)),
      );
    } catch (e) {
      if (e instanceof AlreadySynced) {
        await this.finishIfDone(d.runId);
        return { skipped: 'already synced in this run' };
      }
      // The exchange's or the rules' answer is this run's result; anything else is retried by the engine first.
      if (!isUserFailure(e) && !finalAttempt) throw e;
      await this.recordFailure(d, e);
    }
    await this.finishIfDone(d.runId);
    return {};
  }

  private async recordFailure(d: UserJobData, e: unknown): Promise<void> {
    const error = failureMessage(e);
    this.logger.warn({ message: 'Exchange sync failed for a user', user_id: d.userId, error });
    if (!isUserFailure(e)) this.logger.error({ message: 'unexpected sync error', user_id: d.userId, error: (e as Error)?.message });
    await this.uow.run(async () => {
      if (!(await this.state.recordRunUser(this.result(d, error)))) return;
      const exchanges = e instanceof UserSyncFailed ? e.exchanges : [];
      for (const exchange of exchanges) await this.state.recordUserResult(d.userId, exchange, this.clock.now(), error);
      await this.audit.record({
        eventType: 'exchange_sync.user.failed',
        outcome: 'failure',
        userId: d.userId,
        payload: { run_id: d.runId, exchanges, error },
      });
    });
  }

  /** Whoever records a run's last user completes it (the conditional update lets one caller win). */
  private async finishIfDone(runId: string): Promise<void> {
    const run = await this.state.completeIfDone(runId, this.clock.now());
    if (!run) return;
    this.markets.forget(runId);
    this.metrics.recordSyncCycle(run.durationMs ?? 0, run.usersFailed);
    this.logger.log(`Synced ${run.balances} balances`);
    this.logger.log(`Synced ${run.openOrders} open orders`);
    this.logger.log({
      message: 'Exchange sync cycle completed',
      run_id: run.id,
      duration_ms: run.durationMs,
      users_ok: run.usersOk,
      users_failed: run.usersFailed,
      orders_upserted: run.ordersUpserted,
      oco_pairs_created: run.ocoPairsCreated,
      workers: run.workers.map((w) => `${w.instanceId}:${w.users}`).join(','),
    });
  }
}
