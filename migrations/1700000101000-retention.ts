import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention as scheduled jobs: relayed outbox rows are kept (marked) for
 * OUTBOX_RETENTION_HOURS instead of deleted at once, and the indexes the purges use.
 */
export class Retention1700000101000 implements MigrationInterface {
  name = 'Retention1700000101000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN relayed_at timestamptz`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (seq) WHERE relayed_at IS NULL`);
    await q.query(`CREATE INDEX outbox_relayed ON outbox (relayed_at) WHERE relayed_at IS NOT NULL`);
    await q.query(`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`);
    await q.query(`CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at)`);
    await q.query(`CREATE INDEX auth_sessions_last_used ON auth_sessions (last_used_at)`);
    await q.query(`CREATE INDEX login_failures_at ON login_failures (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of [
      'login_failures_at',
      'auth_sessions_last_used',
      'refresh_tokens_expiry',
      'idempotency_keys_created',
      'outbox_relayed',
      'outbox_pending',
    ]) {
      await q.query(`DROP INDEX ${i}`);
    }
    await q.query(`DELETE FROM outbox WHERE relayed_at IS NOT NULL`);
    await q.query(`ALTER TABLE outbox DROP COLUMN relayed_at`);
  }
}
