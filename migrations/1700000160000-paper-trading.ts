import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 13 item 4: the broker mode per user and the paper accounts (balances, simulated orders). */
export class PaperTrading1700000160000 implements MigrationInterface {
  name = 'PaperTrading1700000160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE execution_trading_modes (
        user_id uuid PRIMARY KEY,
        mode varchar(8) NOT NULL CHECK (mode IN ('paper', 'testnet', 'live')),
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE execution_paper_accounts (
        user_id uuid PRIMARY KEY,
        epoch integer NOT NULL,
        started_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE execution_paper_balances (
        user_id uuid NOT NULL REFERENCES execution_paper_accounts (user_id) ON DELETE CASCADE,
        asset varchar(20) NOT NULL,
        free numeric(38, 18) NOT NULL CHECK (free >= 0),
        locked numeric(38, 18) NOT NULL CHECK (locked >= 0),
        PRIMARY KEY (user_id, asset)
      )`);
    await q.query(`CREATE SEQUENCE execution_paper_order_ids START 1`);
    await q.query(`
      CREATE TABLE execution_paper_orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES execution_paper_accounts (user_id) ON DELETE CASCADE,
        epoch integer NOT NULL,
        order_id bigint NOT NULL UNIQUE,
        client_order_id varchar(64) NOT NULL,
        symbol varchar(20) NOT NULL,
        base_asset varchar(20) NOT NULL,
        quote_asset varchar(20) NOT NULL,
        side varchar(4) NOT NULL,
        type varchar(20) NOT NULL,
        status varchar(12) NOT NULL,
        price numeric(38, 18),
        stop_price numeric(38, 18),
        qty numeric(38, 18) NOT NULL,
        executed_qty numeric(38, 18) NOT NULL,
        role varchar(12) NOT NULL,
        oco_group_id varchar(64),
        stop_loss numeric(38, 18),
        take_profit numeric(38, 18),
        reserved numeric(38, 18) NOT NULL,
        reserved_asset varchar(20),
        reference_price numeric(38, 18),
        fill_price numeric(38, 18),
        fee numeric(38, 18),
        latency_ms numeric(12, 3),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        filled_at timestamptz
      )`);
    await q.query(`CREATE INDEX execution_paper_orders_open ON execution_paper_orders (symbol) WHERE status = 'NEW'`);
    await q.query(`CREATE INDEX execution_paper_orders_user ON execution_paper_orders (user_id, epoch, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS execution_paper_orders`);
    await q.query(`DROP SEQUENCE IF EXISTS execution_paper_order_ids`);
    await q.query(`DROP TABLE IF EXISTS execution_paper_balances`);
    await q.query(`DROP TABLE IF EXISTS execution_paper_accounts`);
    await q.query(`DROP TABLE IF EXISTS execution_trading_modes`);
  }
}
