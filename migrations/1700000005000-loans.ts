import { MigrationInterface, QueryRunner } from 'typeorm';

/** The loans context's tables. */
export class Loans1700000005000 implements MigrationInterface {
  name = 'Loans1700000005000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
