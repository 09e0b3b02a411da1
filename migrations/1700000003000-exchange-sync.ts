import { MigrationInterface, QueryRunner } from 'typeorm';

/** The exchange-sync context's tables. */
export class ExchangeSync1700000003000 implements MigrationInterface {
  name = 'ExchangeSync1700000003000';

  async up(q: QueryRunner): Promise<void> {
    // Orders synced from the exchange plus the OCO legs we create. One row per exchange order id.
    await q.query(`
      CREATE TABLE exchange_orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        exchange varchar(16) NOT NULL,
        exchange_order_id varchar(64),
        client_order_id varchar(64),
        symbol varchar(32) NOT NULL,
        side varchar(4) NOT NULL CHECK (side IN ('BUY', 'SELL')),
        order_type varchar(24) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('PENDING', 'NEW', 'ACTIVE', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')),
        quantity numeric(38, 18) NOT NULL,
        price numeric(38, 18),
        trigger_price numeric(38, 18),
        cumulative_quantity numeric(38, 18) NOT NULL DEFAULT 0,
        avg_price numeric(38, 18),
        order_role varchar(12) CHECK (order_role IN ('STOP_LOSS', 'TAKE_PROFIT')),
        oco_group_id uuid,
        parent_order_id uuid REFERENCES exchange_orders (id) ON DELETE CASCADE,
        simulated boolean NOT NULL DEFAULT false,
        exchange_created_at timestamptz,
        exchange_updated_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_exchange_id_uq ON exchange_orders (exchange, exchange_order_id) WHERE exchange_order_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_client_id_uq ON exchange_orders (exchange, client_order_id) WHERE client_order_id IS NOT NULL AND order_role IS NOT NULL`,
    );
    // Exactly one stop-loss and one take-profit per entry, whatever retries happen.
    await q.query(
      `CREATE UNIQUE INDEX exchange_orders_leg_uq ON exchange_orders (parent_order_id, order_role) WHERE parent_order_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX exchange_orders_user_status ON exchange_orders (user_id, status)`);
    await q.query(`CREATE INDEX exchange_orders_group ON exchange_orders (oco_group_id) WHERE oco_group_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE exchange_balances (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        exchange varchar(16) NOT NULL,
        currency varchar(20) NOT NULL,
        quantity numeric(38, 18) NOT NULL,
        usd_price numeric(38, 18),
        usd_value numeric(38, 8),
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, exchange, currency)
      )`);

    await q.query(`
      CREATE TABLE exchange_sync_users (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        exchange varchar(16) NOT NULL,
        first_synced_at timestamptz,
        last_sync_at timestamptz,
        last_attempt_at timestamptz NOT NULL,
        last_status varchar(8) NOT NULL,
        last_error varchar(300),
        total_usd numeric(38, 2),
        PRIMARY KEY (user_id, exchange)
      )`);

    await q.query(`
      CREATE TABLE exchange_sync_runs (
        id uuid PRIMARY KEY,
        trigger varchar(10) NOT NULL,
        scope varchar(6) NOT NULL,
        requested_by uuid,
        instance_id varchar(64) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'INTERRUPTED')),
        started_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        users_total integer NOT NULL DEFAULT 0,
        users_ok integer NOT NULL DEFAULT 0,
        users_failed integer NOT NULL DEFAULT 0,
        balances integer NOT NULL DEFAULT 0,
        open_orders integer NOT NULL DEFAULT 0,
        orders_upserted integer NOT NULL DEFAULT 0,
        oco_pairs_created integer NOT NULL DEFAULT 0,
        failures jsonb NOT NULL DEFAULT '[]'
      )`);
    // At most one RUNNING cycle, whichever instance started it.
    await q.query(`CREATE UNIQUE INDEX exchange_sync_runs_one_running ON exchange_sync_runs (status) WHERE status = 'RUNNING'`);
    await q.query(`CREATE INDEX exchange_sync_runs_started ON exchange_sync_runs (started_at DESC)`);

    await q.query(`
      CREATE TABLE exchange_sync_settings (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        stop_loss_pct numeric(7, 4) NOT NULL,
        take_profit_pct numeric(7, 4) NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`CREATE TABLE exchange_alert_days (day date PRIMARY KEY, claimed_at timestamptz NOT NULL)`);

    await q.query(`
      CREATE TABLE watchlist_items (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        symbol varchar(32) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX watchlist_items_user_symbol_uq ON watchlist_items (user_id, symbol)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'watchlist_items',
      'exchange_alert_days',
      'exchange_sync_settings',
      'exchange_sync_runs',
      'exchange_sync_users',
      'exchange_balances',
      'exchange_orders',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
