import { EntitySchema } from 'typeorm';

/**
 * Table shapes (see migrations/1700000003000-exchange-sync.ts). The repositories
 * speak SQL through `txHost.tx` for the upserts and conditional updates; these
 * schemas register the tables with TypeORM.
 */
const numeric = { type: 'numeric' as const, precision: 38, scale: 18 };

export const ExchangeOrderEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_orders',
  columns: {
    id: { type: 'uuid', primary: true },
    user_id: { type: 'uuid' },
    exchange: { type: 'varchar', length: 16 },
    exchange_order_id: { type: 'varchar', length: 64, nullable: true },
    client_order_id: { type: 'varchar', length: 64, nullable: true },
    symbol: { type: 'varchar', length: 32 },
    side: { type: 'varchar', length: 4 },
    order_type: { type: 'varchar', length: 24 },
    status: { type: 'varchar', length: 12 },
    quantity: numeric,
    price: { ...numeric, nullable: true },
    trigger_price: { ...numeric, nullable: true },
    cumulative_quantity: numeric,
    avg_price: { ...numeric, nullable: true },
    order_role: { type: 'varchar', length: 12, nullable: true },
    oco_group_id: { type: 'uuid', nullable: true },
    parent_order_id: { type: 'uuid', nullable: true },
    simulated: { type: 'boolean' },
    exchange_created_at: { type: 'timestamptz', nullable: true },
    exchange_updated_at: { type: 'timestamptz', nullable: true },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz' },
  },
});

export const ExchangeBalanceEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_balances',
  columns: {
    user_id: { type: 'uuid', primary: true },
    exchange: { type: 'varchar', length: 16, primary: true },
    currency: { type: 'varchar', length: 20, primary: true },
    quantity: numeric,
    usd_price: { ...numeric, nullable: true },
    usd_value: { type: 'numeric', precision: 38, scale: 8, nullable: true },
    updated_at: { type: 'timestamptz' },
  },
});

export const ExchangeSyncUserEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_sync_users',
  columns: {
    user_id: { type: 'uuid', primary: true },
    exchange: { type: 'varchar', length: 16, primary: true },
    first_synced_at: { type: 'timestamptz', nullable: true },
    last_sync_at: { type: 'timestamptz', nullable: true },
    last_attempt_at: { type: 'timestamptz' },
    last_status: { type: 'varchar', length: 8 },
    last_error: { type: 'varchar', length: 300, nullable: true },
    total_usd: { type: 'numeric', precision: 38, scale: 2, nullable: true },
  },
});

export const ExchangeSyncRunEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_sync_runs',
  columns: {
    id: { type: 'uuid', primary: true },
    trigger: { type: 'varchar', length: 10 },
    scope: { type: 'varchar', length: 6 },
    requested_by: { type: 'uuid', nullable: true },
    instance_id: { type: 'varchar', length: 64 },
    status: { type: 'varchar', length: 12 },
    started_at: { type: 'timestamptz' },
    heartbeat_at: { type: 'timestamptz' },
    finished_at: { type: 'timestamptz', nullable: true },
    duration_ms: { type: 'int', nullable: true },
    users_total: { type: 'int' },
    users_ok: { type: 'int' },
    users_failed: { type: 'int' },
    balances: { type: 'int' },
    open_orders: { type: 'int' },
    orders_upserted: { type: 'int' },
    oco_pairs_created: { type: 'int' },
    failures: { type: 'jsonb' },
  },
});

export const ExchangeSyncSettingsEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_sync_settings',
  columns: {
    user_id: { type: 'uuid', primary: true },
    stop_loss_pct: { type: 'numeric', precision: 7, scale: 4 },
    take_profit_pct: { type: 'numeric', precision: 7, scale: 4 },
    updated_at: { type: 'timestamptz' },
  },
});

export const ExchangeAlertDayEntity = new EntitySchema<Record<string, unknown>>({
  name: 'exchange_alert_days',
  columns: { day: { type: 'date', primary: true }, claimed_at: { type: 'timestamptz' } },
});

export const WatchlistItemEntity = new EntitySchema<Record<string, unknown>>({
  name: 'watchlist_items',
  columns: {
    id: { type: 'uuid', primary: true },
    user_id: { type: 'uuid' },
    symbol: { type: 'varchar', length: 32 },
    created_at: { type: 'timestamptz' },
  },
});

export const EXCHANGE_SYNC_ENTITIES = [
  ExchangeOrderEntity,
  ExchangeBalanceEntity,
  ExchangeSyncUserEntity,
  ExchangeSyncRunEntity,
  ExchangeSyncSettingsEntity,
  ExchangeAlertDayEntity,
  WatchlistItemEntity,
];
