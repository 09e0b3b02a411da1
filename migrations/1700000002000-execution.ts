import { MigrationInterface, QueryRunner } from 'typeorm';

/** The execution context's tables: the kill switch (one row) and broker orders. */
export class Execution1700000002000 implements MigrationInterface {
  name = 'Execution1700000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE execution_kill_switch (
        id smallint PRIMARY KEY CHECK (id = 1),
        engaged boolean NOT NULL DEFAULT false,
        reason varchar(500),
        changed_by uuid,
        changed_at timestamptz
      )`);
    await q.query(`INSERT INTO execution_kill_switch (id, engaged) VALUES (1, false)`);
    await q.query(`
      CREATE TABLE execution_orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        exchange varchar(16) NOT NULL,
        target varchar(8) NOT NULL,
        symbol varchar(20) NOT NULL,
        side varchar(4) NOT NULL,
        type varchar(20) NOT NULL,
        qty numeric(30, 8) NOT NULL,
        price numeric(30, 8),
        notional_usd numeric(30, 8) NOT NULL,
        client_order_id varchar(64) NOT NULL,
        exchange_order_id varchar(40) NOT NULL,
        status varchar(20) NOT NULL,
        role varchar(12) NOT NULL,
        oco_group_id varchar(64),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX execution_orders_exchange_id ON execution_orders (exchange, target, symbol, exchange_order_id)`);
    await q.query(`CREATE INDEX execution_orders_user_symbol ON execution_orders (user_id, symbol)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS execution_orders`);
    await q.query(`DROP TABLE IF EXISTS execution_kill_switch`);
  }
}
