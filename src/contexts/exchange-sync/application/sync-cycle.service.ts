import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditTrail, Clock, DomainError, ExchangeCredentialsProvider, newId, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { AdvisoryLocks } from '@platform/persistence/advisory-lock';
import { AppMetrics } from '@platform/metrics/app-metrics';
import { ExchangeGateway, Instrument } from '../domain/exchange-gateway.ports';
import { SyncRun, SyncStateRepository } from '../domain/exchange-sync.ports';
import { tickerMap } from '../domain/valuation';
import { EXCHANGE, failureMessage, MarketSnapshot, UserSyncService } from './user-sync.service';

export const SYNC_LOCK = 'exchange-sync-cycle';

export interface CycleRequest {
  trigger: 'schedule' | 'manual';
  scope: 'all' | 'user';
  requestedBy: string | null;
}

/**
 * The sync cycle. One at a time across instances: the advisory lock (Postgres
 * session lock) plus a RUNNING row in exchange_sync_runs (unique while running,
 * with a heartbeat lease so a crashed instance's cycle is taken over). Users are
 * synced with bounded concurrency; one user's failure is recorded and audited
 * and the others go on.
 */
@Injectable()
export class SyncCycleService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ExchangeSync');
  readonly instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private current?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly users: UserSyncService,
    private readonly gateway: ExchangeGateway,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly state: SyncStateRepository,
    private readonly locks: AdvisoryLocks,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: AppMetrics,
  ) {}

  /** A scheduler tick. Returns the run when this instance ran the cycle, null when it was not its turn. */
  async tick(): Promise<SyncRun | null> {
    let result: SyncRun | null = null;
    await this.locks.runExclusive(SYNC_LOCK, async () => {
      // Another instance already ran this tick's cycle (instances' timers are not aligned).
      const last = await this.state.lastCompletedScheduledStart();
      if (last && this.clock.now().getTime() - last.getTime() < (this.config.exchangeSyncIntervalSeconds * 1000) / 2) return;
      result = await this.runCycle({ trigger: 'schedule', scope: 'all', requestedBy: null });
    });
    return result;
  }

  /** POST /ops/exchange-sync/run: own account now; an admin syncs everyone. */
  async runManual(user: { id: string; role: string }, meta: RequestMeta): Promise<SyncRun> {
    const scope = user.role === 'admin' ? 'all' : 'user';
    if (scope === 'user' && !(await this.credentials.hasCredentials(user.id, EXCHANGE))) {
      throw DomainError.invalid('missing_credentials', 'Missing credentials for CRYPTO_COM');
    }
    let result: SyncRun | null = null;
    const ran = await this.locks.runExclusive(SYNC_LOCK, async () => {
      result = await this.runCycle({ trigger: 'manual', scope, requestedBy: user.id });
    });
    if (!ran || !result)
      throw DomainError.conflict('sync_running', 'An exchange sync cycle is already running; try again when it completes');
    const run = result as SyncRun;
    await this.uow.run(() =>
      this.audit.record(
        {
          eventType: 'exchange_sync.run',
          outcome: 'success',
          userId: user.id,
          payload: { run_id: run.id, scope, users_ok: run.usersOk, users_failed: run.usersFailed, duration_ms: run.durationMs },
        },
        meta,
      ),
    );
    return run;
  }

  isRunningHere(): boolean {
    return this.current !== undefined;
  }

  /** Runs a cycle if no other is RUNNING; null when one is. */
  private async runCycle(req: CycleRequest): Promise<SyncRun | null> {
    const started = this.clock.now();
    const leaseMs = Math.max(3 * this.config.exchangeSyncIntervalSeconds, 120) * 1000;
    await this.state.interruptStale(new Date(started.getTime() - leaseMs), this.instanceId);
    const run: SyncRun = {
      id: newId(),
      ...req,
      instanceId: this.instanceId,
      status: 'RUNNING',
      startedAt: started,
      heartbeatAt: started,
      finishedAt: null,
      durationMs: null,
      usersTotal: 0,
      usersOk: 0,
      usersFailed: 0,
      balances: 0,
      openOrders: 0,
      ordersUpserted: 0,
      ocoPairsCreated: 0,
      failures: [],
    };
    if (!(await this.state.claimRun(run))) return null;
    const work = this.execute(run);
    this.current = work;
    try {
      return await work;
    } finally {
      this.current = undefined;
    }
  }

  private async execute(run: SyncRun): Promise<SyncRun> {
    const t0 = Date.now();
    this.logger.log('Starting exchange sync cycle...');
    try {
      const userIds = run.scope === 'all' ? await this.credentials.usersWith(EXCHANGE) : [run.requestedBy!];
      run.usersTotal = userIds.length;
      const market = userIds.length ? await this.market() : { prices: new Map(), instruments: new Map() };
      let lastBeat = Date.now();
      let next = 0;
      const worker = async () => {
        while (!this.stopping && next < userIds.length) {
          const userId = userIds[next++];
          await this.syncOne(run, userId, market);
          if (Date.now() - lastBeat > 2000) {
            lastBeat = Date.now();
            await this.state.heartbeat(run.id, this.clock.now());
          }
        }
      };
      const width = Math.min(this.config.exchangeSyncConcurrency, Math.max(userIds.length, 1));
      await Promise.all(Array.from({ length: width }, worker));
      run.status = this.stopping ? 'INTERRUPTED' : 'COMPLETED';
    } catch (e) {
      this.logger.error({ message: 'Exchange sync cycle failed', error: failureMessage(e) });
      run.status = 'INTERRUPTED';
    }
    run.finishedAt = this.clock.now();
    run.durationMs = Date.now() - t0;
    this.metrics.recordSyncCycle(run.durationMs, run.usersFailed);
    await this.state
      .finishRun(run)
      .catch((e: unknown) => this.logger.error({ message: 'could not record the sync run', error: (e as Error).message }));
    this.logger.log(`Synced ${run.balances} balances`);
    this.logger.log(`Synced ${run.openOrders} open orders`);
    this.logger.log({
      message: run.status === 'COMPLETED' ? 'Exchange sync cycle completed' : 'Exchange sync cycle interrupted',
      run_id: run.id,
      duration_ms: run.durationMs,
      users_ok: run.usersOk,
      users_failed: run.usersFailed,
      orders_upserted: run.ordersUpserted,
      oco_pairs_created: run.ocoPairsCreated,
    });
    return run;
  }

  /** Tickers (for USD valuation and simulated legs) and instruments (tick sizes), once per cycle. */
  private async market(): Promise<MarketSnapshot> {
    const [tickers, instruments] = await Promise.all([
      this.gateway.fetchTickers().catch((e: unknown) => {
        this.logger.warn({
          message: 'Tickers unavailable: portfolio values and simulated legs wait for the next cycle',
          error: failureMessage(e),
        });
        return [];
      }),
      this.gateway.fetchInstruments().catch(() => [] as Instrument[]),
    ]);
    return { prices: tickerMap(tickers), instruments: new Map(instruments.map((i) => [i.symbol, i])) };
  }

  private async syncOne(run: SyncRun, userId: string, market: MarketSnapshot): Promise<void> {
    try {
      const out = await this.users.syncUser(userId, market);
      run.usersOk++;
      run.balances += out.balances;
      run.openOrders += out.openOrders;
      run.ordersUpserted += out.ordersUpserted;
      run.ocoPairsCreated += out.ocoPairsCreated;
    } catch (e) {
      run.usersFailed++;
      const error = failureMessage(e);
      run.failures.push({ user_id: userId, error });
      this.logger.warn({ message: 'Exchange sync failed for a user', user_id: userId, error });
      if (!(e instanceof Error && e.name === 'ExchangeError') && !(e instanceof DomainError)) {
        this.logger.error({ message: 'unexpected sync error', user_id: userId, error: (e as Error)?.message });
      }
      await this.uow
        .run(async () => {
          await this.state.recordUserResult(userId, EXCHANGE, this.clock.now(), error);
          await this.audit.record({
            eventType: 'exchange_sync.user.failed',
            outcome: 'failure',
            userId,
            payload: { run_id: run.id, error },
          });
        })
        .catch((err: unknown) =>
          this.logger.error({ message: 'could not record a user sync failure', user_id: userId, error: (err as Error).message }),
        );
    }
  }

  /** Graceful shutdown: stop taking users, let the ones in flight commit, mark the run INTERRUPTED. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.current?.catch(() => undefined);
  }
}
