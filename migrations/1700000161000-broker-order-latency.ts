import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 13 item 3: each broker order keeps the measured round trip of the exchange call that placed it. */
export class BrokerOrderLatency1700000161000 implements MigrationInterface {
  name = 'BrokerOrderLatency1700000161000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE execution_orders ADD COLUMN send_latency_ms numeric(12, 3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE execution_orders DROP COLUMN IF EXISTS send_latency_ms`);
  }
}
