import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 12: an Idempotency-Key claim has a lease; a retry after it may take the key over. */
export class IdempotencyLease1700000121000 implements MigrationInterface {
  name = 'IdempotencyLease1700000121000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN lease_until timestamptz`);
    await q.query(`UPDATE idempotency_keys SET lease_until = created_at + interval '60 seconds' WHERE state = 'in_progress'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS lease_until`);
  }
}
