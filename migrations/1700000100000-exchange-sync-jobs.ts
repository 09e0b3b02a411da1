import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchange sync on the job engine: a cycle is one job per user, worked by every
 * instance, so several runs may be RUNNING at once (a cycle and users' own syncs)
 * and the per-run lease columns are no longer written. Each user's result in a run
 * is one row (primary key run + user): a job delivered twice commits once.
 */
export class ExchangeSyncJobs1700000100000 implements MigrationInterface {
  name = 'ExchangeSyncJobs1700000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS exchange_sync_runs_one_running`);
    await q.query(`ALTER TABLE exchange_sync_runs ALTER COLUMN heartbeat_at DROP NOT NULL`);
    await q.query(`CREATE INDEX exchange_sync_runs_scope_started ON exchange_sync_runs (scope, started_at DESC)`);
    await q.query(`
      CREATE TABLE exchange_sync_run_users (
        run_id uuid NOT NULL REFERENCES exchange_sync_runs (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status varchar(6) NOT NULL CHECK (status IN ('ok', 'failed')),
        error varchar(300),
        instance_id varchar(64) NOT NULL,
        balances integer NOT NULL DEFAULT 0,
        open_orders integer NOT NULL DEFAULT 0,
        orders_upserted integer NOT NULL DEFAULT 0,
        oco_pairs_created integer NOT NULL DEFAULT 0,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (run_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exchange_sync_run_users`);
    await q.query(`DROP INDEX exchange_sync_runs_scope_started`);
    await q.query(`UPDATE exchange_sync_runs SET heartbeat_at = started_at WHERE heartbeat_at IS NULL`);
    await q.query(`ALTER TABLE exchange_sync_runs ALTER COLUMN heartbeat_at SET NOT NULL`);
  }
}
