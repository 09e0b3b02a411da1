import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: `UnitOfWork.once` sends a use case's writes as ONE autocommit statement whose guarded writes
 * ("this row is still as it was read") must each change a row. The statement ends with
 * `SELECT uow_guard(<every guard changed a row>)`: when one did not, this raises SQLSTATE UW001 and the
 * whole statement, every write in it, is undone.
 */
export class UnitOfWorkGuard1700000170000 implements MigrationInterface {
  name = 'UnitOfWorkGuard1700000170000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION uow_guard(held boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF held IS NOT TRUE THEN
          RAISE EXCEPTION 'a guarded row changed after it was read' USING ERRCODE = 'UW001';
        END IF;
        RETURN true;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS uow_guard(boolean)`);
  }
}
