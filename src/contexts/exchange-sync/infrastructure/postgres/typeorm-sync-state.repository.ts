import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { OcoSettings } from '../../domain/oco';
import { RunUserResult, SyncRun, SyncStateRepository, UserSyncState } from '../../domain/exchange-sync.ports';
import { date, dateOrNull, dec, returned } from './sql-helpers';

type Row = Record<string, unknown>;

const toRun = (r: Row, workers: SyncRun['workers'] = []): SyncRun => ({
  id: r.id as string,
  trigger: r.trigger as SyncRun['trigger'],
  scope: r.scope as SyncRun['scope'],
  requestedBy: (r.requested_by as string | null) ?? null,
  instanceId: r.instance_id as string,
  status: r.status as SyncRun['status'],
  startedAt: date(r.started_at),
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
  workers,
});

/** A RUNNING run's counts so far, from its users' rows (a COMPLETED one carries its totals). */
const LIVE_COUNTS = `
  SELECT count(*) FILTER (WHERE status = 'ok')::int AS users_ok, count(*) FILTER (WHERE status = 'failed')::int AS users_failed,
         coalesce(sum(balances), 0)::int AS balances, coalesce(sum(open_orders), 0)::int AS open_orders,
         coalesce(sum(orders_upserted), 0)::int AS orders_upserted, coalesce(sum(oco_pairs_created), 0)::int AS oco_pairs_created,
         max(finished_at) AS last_at, count(*)::int AS n
    FROM exchange_sync_run_users WHERE run_id = $1`;

@Injectable()
export class TypeormSyncStateRepository extends SyncStateRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async createRun(run: SyncRun): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO exchange_sync_runs (id, trigger, scope, requested_by, instance_id, status, started_at, users_total)
       VALUES ($1, $2, $3, $4, $5, 'RUNNING', $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [run.id, run.trigger, run.scope, run.requestedBy, run.instanceId, run.startedAt, run.usersTotal],
    );
    return rows.length === 1;
  }

  private async withDetails(r: Row | undefined): Promise<SyncRun | null> {
    if (!r) return null;
    const workers = (
      await this.q(`SELECT instance_id, count(*)::int AS n FROM exchange_sync_run_users WHERE run_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1`, [
        r.id,
      ])
    ).map((w) => ({ instanceId: w.instance_id as string, users: Number(w.n) }));
    if (r.status !== 'RUNNING') return toRun(r, workers);
    const [live] = await this.q(LIVE_COUNTS, [r.id]);
    const failures = await this.q(
      `SELECT user_id, error FROM exchange_sync_run_users WHERE run_id = $1 AND status = 'failed' ORDER BY finished_at LIMIT 100`,
      [r.id],
    );
    return toRun({ ...r, ...live, failures }, workers);
  }

  async getRun(runId: string): Promise<SyncRun | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_runs WHERE id = $1`, [runId]);
    return this.withDetails(r);
  }

  async lastRun(): Promise<SyncRun | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_runs ORDER BY started_at DESC, id LIMIT 1`);
    return this.withDetails(r);
  }

  async lastCycle(): Promise<SyncRun | null> {
    const [r] = await this.q(`SELECT * FROM exchange_sync_runs WHERE scope = 'all' ORDER BY started_at DESC, id LIMIT 1`);
    return this.withDetails(r);
  }

  async userDone(runId: string, userId: string): Promise<boolean> {
    return (await this.q(`SELECT 1 FROM exchange_sync_run_users WHERE run_id = $1 AND user_id = $2`, [runId, userId])).length > 0;
  }

  async recordRunUser(u: RunUserResult): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO exchange_sync_run_users
         (run_id, user_id, status, error, instance_id, balances, open_orders, orders_upserted, oco_pairs_created, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (run_id, user_id) DO NOTHING RETURNING run_id`,
      [
        u.runId,
        u.userId,
        u.status,
        u.error ? u.error.slice(0, 300) : null,
        u.instanceId,
        u.balances,
        u.openOrders,
        u.ordersUpserted,
        u.ocoPairsCreated,
        u.finishedAt,
      ],
    );
    return rows.length === 1;
  }

  async completeIfDone(runId: string, at: Date): Promise<SyncRun | null> {
    const rows = await this.q(
      `WITH c AS (${LIVE_COUNTS}),
            f AS (SELECT coalesce(jsonb_agg(jsonb_build_object('user_id', user_id, 'error', error)), '[]'::jsonb) AS failures
                    FROM (SELECT user_id, error FROM exchange_sync_run_users WHERE run_id = $1 AND status = 'failed'
                          ORDER BY finished_at LIMIT 100) x)
       UPDATE exchange_sync_runs r SET status = 'COMPLETED', finished_at = $2,
              duration_ms = GREATEST(0, round(extract(epoch FROM ($2::timestamptz - r.started_at)) * 1000)),
              users_ok = c.users_ok, users_failed = c.users_failed, balances = c.balances, open_orders = c.open_orders,
              orders_upserted = c.orders_upserted, oco_pairs_created = c.oco_pairs_created, failures = f.failures
         FROM c, f
        WHERE r.id = $1 AND r.status = 'RUNNING' AND c.n >= r.users_total
        RETURNING r.*`,
      [runId, at],
    );
    return this.withDetails(returned(rows)[0]);
  }

  async lockUser(userId: string): Promise<void> {
    await this.q(`SELECT pg_advisory_xact_lock(hashtext('exchange-sync-user'), hashtext($1))`, [userId]);
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
