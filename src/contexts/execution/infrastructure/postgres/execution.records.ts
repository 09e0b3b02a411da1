import { EntitySchema } from 'typeorm';

export interface KillSwitchRecord {
  id: number;
  engaged: boolean;
  reason: string | null;
  changed_by: string | null;
  changed_at: Date | null;
}

export const KillSwitchEntity = new EntitySchema<KillSwitchRecord>({
  name: 'execution_kill_switch',
  columns: {
    id: { type: 'smallint', primary: true },
    engaged: { type: 'boolean' },
    reason: { type: 'varchar', length: 500, nullable: true },
    changed_by: { type: 'uuid', nullable: true },
    changed_at: { type: 'timestamptz', nullable: true },
  },
});

export interface ExecutionOrderRecord {
  id: string;
  user_id: string;
  exchange: string;
  target: string;
  symbol: string;
  side: string;
  type: string;
  qty: string;
  price: string | null;
  notional_usd: string;
  client_order_id: string;
  exchange_order_id: string | null;
  status: string;
  filled_qty: string;
  filled_quote: string;
  status_reason: string | null;
  /** The measured round trip of the exchange call that placed the order. */
  send_latency_ms?: string | null;
  role: string;
  oco_group_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export const ExecutionOrderEntity = new EntitySchema<ExecutionOrderRecord>({
  name: 'execution_orders',
  columns: {
    id: { type: 'uuid', primary: true },
    user_id: { type: 'uuid' },
    exchange: { type: 'varchar', length: 16 },
    target: { type: 'varchar', length: 8 },
    symbol: { type: 'varchar', length: 20 },
    side: { type: 'varchar', length: 4 },
    type: { type: 'varchar', length: 20 },
    qty: { type: 'numeric', precision: 30, scale: 8 },
    price: { type: 'numeric', precision: 30, scale: 8, nullable: true },
    notional_usd: { type: 'numeric', precision: 30, scale: 8 },
    client_order_id: { type: 'varchar', length: 64 },
    exchange_order_id: { type: 'varchar', length: 40, nullable: true },
    status: { type: 'varchar', length: 20 },
    filled_qty: { type: 'numeric', precision: 30, scale: 8 },
    filled_quote: { type: 'numeric', precision: 30, scale: 8 },
    status_reason: { type: 'varchar', length: 300, nullable: true },
    send_latency_ms: { type: 'numeric', precision: 12, scale: 3, nullable: true },
    role: { type: 'varchar', length: 12 },
    oco_group_id: { type: 'varchar', length: 64, nullable: true },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz' },
  },
});
