import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 item 5: exchange orders are keyed by (user, exchange, exchange order id), so two
 * users who store the same exchange key each hold the account's orders (before, the second
 * user's rows were dropped as conflicts, and OCO legs pointed at an entry that was never
 * written: exchange_orders_parent_order_id_fkey). A leg's parent is the same user's row.
 */
export class ExchangeOrdersPerUser1700000150000 implements MigrationInterface {
  name = 'ExchangeOrdersPerUser1700000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX exchange_orders_exchange_id_uq`);
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_user_exchange_id_uq ON exchange_orders (user_id, exchange, exchange_order_id) WHERE exchange_order_id IS NOT NULL`,
    );
    await q.query(`DROP INDEX exchange_orders_client_id_uq`);
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_user_client_id_uq ON exchange_orders (user_id, exchange, client_order_id) WHERE client_order_id IS NOT NULL AND order_role IS NOT NULL`,
    );
    // The parent of a leg is one of the same user's rows: (user_id, parent_order_id) -> (user_id, id).
    await q.query(`ALTER TABLE exchange_orders ADD CONSTRAINT exchange_orders_user_id_id_uq UNIQUE (user_id, id)`);
    await q.query(`ALTER TABLE exchange_orders DROP CONSTRAINT exchange_orders_parent_order_id_fkey`);
    await q.query(
      `ALTER TABLE exchange_orders ADD CONSTRAINT exchange_orders_parent_order_id_fkey
         FOREIGN KEY (user_id, parent_order_id) REFERENCES exchange_orders (user_id, id) ON DELETE CASCADE`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exchange_orders DROP CONSTRAINT exchange_orders_parent_order_id_fkey`);
    await q.query(
      `ALTER TABLE exchange_orders ADD CONSTRAINT exchange_orders_parent_order_id_fkey
         FOREIGN KEY (parent_order_id) REFERENCES exchange_orders (id) ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE exchange_orders DROP CONSTRAINT exchange_orders_user_id_id_uq`);
    await q.query(`DROP INDEX exchange_orders_user_client_id_uq`);
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_client_id_uq ON exchange_orders (exchange, client_order_id) WHERE client_order_id IS NOT NULL AND order_role IS NOT NULL`,
    );
    await q.query(`DROP INDEX exchange_orders_user_exchange_id_uq`);
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_exchange_id_uq ON exchange_orders (exchange, exchange_order_id) WHERE exchange_order_id IS NOT NULL`,
    );
  }
}
