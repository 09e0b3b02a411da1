import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: a loan payment reads the loan and its open instalments unlocked and writes them in ONE autocommit
 * statement guarded by `WHERE id = $1 AND version = <as read>` (`UnitOfWork.once`). Every write to a loan or to
 * its instalments bumps `version` in the same transaction (the loan's `update`, a payment, the overdue job), so
 * a guard that still matches proves nothing the payment read has changed.
 */
export class LoanVersion1700000190000 implements MigrationInterface {
  name = 'LoanVersion1700000190000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loans ADD COLUMN version int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loans DROP COLUMN IF EXISTS version`);
  }
}
