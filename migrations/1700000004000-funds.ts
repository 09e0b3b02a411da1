import { MigrationInterface, QueryRunner } from 'typeorm';

/** The funds context's tables. */
export class Funds1700000004000 implements MigrationInterface {
  name = 'Funds1700000004000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
