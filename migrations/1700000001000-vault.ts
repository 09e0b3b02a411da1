import { MigrationInterface, QueryRunner } from 'typeorm';

/** The vault context's tables. */
export class Vault1700000001000 implements MigrationInterface {
  name = 'Vault1700000001000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
