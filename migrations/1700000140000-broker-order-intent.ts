import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Broker orders are recorded before they are sent (issue 12 item 4): a PENDING row has our client order id and no
 * exchange order id yet; the fills and the reason of a REJECTED / NOT_SENT outcome are kept; one entry per client id.
 */
export class BrokerOrderIntent1700000140000 implements MigrationInterface {
  name = 'BrokerOrderIntent1700000140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE execution_orders ALTER COLUMN exchange_order_id DROP NOT NULL`);
    await q.query(`ALTER TABLE execution_orders ADD COLUMN filled_qty numeric(30, 8) NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE execution_orders ADD COLUMN filled_quote numeric(30, 8) NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE execution_orders ADD COLUMN status_reason varchar(300)`);
    await q.query(`UPDATE execution_orders SET filled_qty = qty WHERE status = 'FILLED'`);
    await q.query(`CREATE UNIQUE INDEX execution_orders_client_id ON execution_orders (user_id, target, client_order_id)`);
    await q.query(
      `CREATE INDEX execution_orders_unsettled ON execution_orders (updated_at) WHERE status IN ('PENDING', 'NEW', 'PARTIALLY_FILLED')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS execution_orders_unsettled`);
    await q.query(`DROP INDEX IF EXISTS execution_orders_client_id`);
    await q.query(`DELETE FROM execution_orders WHERE exchange_order_id IS NULL`);
    await q.query(`ALTER TABLE execution_orders DROP COLUMN status_reason, DROP COLUMN filled_quote, DROP COLUMN filled_qty`);
    await q.query(`ALTER TABLE execution_orders ALTER COLUMN exchange_order_id SET NOT NULL`);
  }
}
