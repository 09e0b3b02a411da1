import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progressive lockout (issue 12 item 11): failures are also counted per account AND IP ('client'), and the IPs an
 * account logged in from recently are remembered, so a stranger's failures elsewhere never lock the user out there.
 */
export class ProgressiveLockout1700000141000 implements MigrationInterface {
  name = 'ProgressiveLockout1700000141000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_failures DROP CONSTRAINT IF EXISTS login_failures_scope_check`);
    await q.query(`ALTER TABLE login_failures ADD CONSTRAINT login_failures_scope_check CHECK (scope IN ('account', 'ip', 'client'))`);
    await q.query(`
      CREATE TABLE login_known_clients (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        ip varchar(64) NOT NULL,
        last_success_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, ip)
      )`);
    await q.query(`CREATE INDEX login_known_clients_age ON login_known_clients (last_success_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS login_known_clients`);
    await q.query(`DELETE FROM login_failures WHERE scope = 'client'`);
    await q.query(`ALTER TABLE login_failures DROP CONSTRAINT IF EXISTS login_failures_scope_check`);
    await q.query(`ALTER TABLE login_failures ADD CONSTRAINT login_failures_scope_check CHECK (scope IN ('account', 'ip'))`);
  }
}
