import { MigrationInterface, QueryRunner } from 'typeorm';

/** The exchange-sync context's tables. */
export class ExchangeSync1700000003000 implements MigrationInterface {
  name = 'ExchangeSync1700000003000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
