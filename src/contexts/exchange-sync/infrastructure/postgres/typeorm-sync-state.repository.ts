import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { OcoSettings } from '../../domain/oco';
import { SyncRun, SyncStateRepository, UserSyncState } from '../../domain/exchange-sync.ports';
import { date, dateOrNull, dec, returned } from './sql-helpers';

type Row = Record<string, unknown>;

const toRun = (r: Row): SyncRun => ({
  id: r.id as string,
  trigger: r.trigger as SyncRun['trigger'],
  scope: r.scope as SyncRun['scope'],
  requestedBy: (r.requested_by as string | null) ?? null,
  instanceId: r.instance_id as string,
  status: r.status as SyncRun['status'],
  startedAt: date(r.started_at),
  heartbeatAt: date(r.heartbeat_at),
  finishedAt: dateOrNull(r.finished_at),
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  usersTotal: Number(r.users_total),
  usersOk: Number(r.users_ok),
  usersFailed: Number(r.users_failed),
  balances: Number(r.balances),
  openOrders: Number(r.open_orders),
  ordersUpserted: Number(r.orders_upserted),
  ocoPairsCreated: Number(r.oco_pairs_created),
  failures: (typeof r.failures === 'string' ? JSON.parse(r.failures) : r.failures) as SyncRun['failures'],
});

@Injectable()
export class TypeormSyncStateRepository extends SyncStateRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async claimRun(run: SyncRun): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO exchange_sync_runs (id, trigger, scope, requested_by, instance_id, status, started_at, heartbeat_at)
       VALUES ($1, $2, $3, $4, $5, 'RUNNING', $6, $6)
       ON CONFLICT (status) WHERE status = 'RUNNING' DO NOTHING RETURNING id`,
      [run.id, run.trigger, run.scope, run.requestedBy, run.instanceId, run.startedAt],
    );
    return rows.length === 1;
  }

  async heartbeat(runId: string, at: Date): Promise<void> {
    await this.q(`UPDATE exchange_sync_runs SET heartbeat_at = $2 WHERE id = $1 AND status = 'RUNNING'`, [runId, at]);
  }

  async finishRun(run: SyncRun): Promise<void> {
    await this.q(
      `UPDATE exchange_sync_runs SET status = $2, finished_at = $3, duration_ms = $4, users_total = $5, users_ok = $6,
         users_failed = $7, balances = $8, open_orders = $9, orders_upserted = $10, oco_pairs_created = $11, failures = $12::jsonb,
         heartbeat_at = $3
       WHERE id = $1`,
      [
        run.id,
        run.status,
        run.finishedAt,
        run.durationMs,
        run.usersTotal,
        run.usersOk,
        run.usersFailed,
        run.balances,
        run.openOrders,
        run.ordersUpserted,
        run.ocoPairsCreated,
        JSON.stringify(run.failures.slice(0, 100)),
      ],
    );
  }

  async interruptStale(staleBefore: Date, instanceId?: string): Promise<number> {
    const rows = await this.q(
      `UPDATE exchange_sync_runs SET status = 'INTERRUPTED', finished_at = heartbeat_at
        WHERE status = 'RUNNING' AND (heartbeat_at < $1 OR instance_id = $2) RETURNING id`,
      [staleBefore, instanceId ?? ''],
    );
    return returned(rows).length;
  }

  async lastRun(): Promise<SyncRun | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_runs ORDER BY started_at DESC, id LIMIT 1`);
    return r ? toRun(r) : null;
  }

  async runningRun(): Promise<SyncRun | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_runs WHERE status = 'RUNNING' LIMIT 1`);
    return r ? toRun(r) : null;
  }

  async lastCompletedScheduledStart(): Promise<Date | null> {
    const [r] = await this.q(
      `SELECT max(started_at) AS at FROM exchange_sync_runs WHERE status = 'COMPLETED' AND trigger = 'schedule' AND scope = 'all'`,
    );
    return r?.at ? date(r.at) : null;
  }

  async userState(userId: string, exchange: string): Promise<UserSyncState | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_users WHERE user_id = $1 AND exchange = $2`, [userId, exchange]);
    if (!r) return null;
    return {
      userId,
      firstSyncedAt: dateOrNull(r.first_synced_at),
      lastSyncAt: dateOrNull(r.last_sync_at),
      lastStatus: r.last_status as UserSyncState['lastStatus'],
      lastError: (r.last_error as string | null) ?? null,
    };
  }

  async recordUserResult(userId: string, exchange: string, at: Date, error: string | null): Promise<void> {
    await this.q(
      `INSERT INTO exchange_sync_users (user_id, exchange, first_synced_at, last_sync_at, last_attempt_at, last_status, last_error)
       VALUES ($1, $2, CASE WHEN $4::text IS NULL THEN $3::timestamptz END, CASE WHEN $4::text IS NULL THEN $3::timestamptz END, $3, CASE WHEN $4::text IS NULL THEN 'ok' ELSE 'failed' END, $4)
       ON CONFLICT (user_id, exchange) DO UPDATE SET
         first_synced_at = COALESCE(exchange_sync_users.first_synced_at, EXCLUDED.first_synced_at),
         last_sync_at = COALESCE(EXCLUDED.last_sync_at, exchange_sync_users.last_sync_at),
         last_attempt_at = EXCLUDED.last_attempt_at,
         last_status = EXCLUDED.last_status,
         last_error = EXCLUDED.last_error`,
      [userId, exchange, at, error ? error.slice(0, 300) : null],
    );
  }

  async settings(userId: string): Promise<OcoSettings | null> {
    const [r] = await this.q(`SELECT stop_loss_pct, take_profit_pct FROM exchange_sync_settings WHERE user_id = $1`, [userId]);
    return r ? { stopLossPct: dec(r.stop_loss_pct), takeProfitPct: dec(r.take_profit_pct) } : null;
  }

  async saveSettings(userId: string, s: OcoSettings, at: Date): Promise<void> {
    await this.q(
      `INSERT INTO exchange_sync_settings (user_id, stop_loss_pct, take_profit_pct, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET stop_loss_pct = $2, take_profit_pct = $3, updated_at = $4`,
      [userId, s.stopLossPct, s.takeProfitPct, at],
    );
  }

  async claimAlertDay(day: string, at: Date): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO exchange_alert_days (day, claimed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING day`,
      [day, at],
    );
    return rows.length === 1;
  }
}
