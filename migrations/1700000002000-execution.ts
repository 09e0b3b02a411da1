import { MigrationInterface, QueryRunner } from 'typeorm';

/** The execution context's tables. */
export class Execution1700000002000 implements MigrationInterface {
  name = 'Execution1700000002000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
