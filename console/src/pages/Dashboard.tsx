import { get, post, type User } from '../api/client';
import { AllocationDonut } from '../components/AllocationDonut';
import { ErrorNotice, Loading, Section, StatusBadge, Success } from '../components/ui';
import { moneyText } from '../lib/money';
import { DataTable, moneyColumn, timeText, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';
import { useState } from 'react';

interface Order {
  id: string;
  symbol: string;
  side: string;
  type: string;
  status: string;
  quantity: string;
  price: string | null;
  trigger_price: string | null;
  cumulative_quantity: string;
  avg_price: string | null;
  order_role: string | null;
  oco_group_id: string | null;
  parent_order_id: string | null;
  simulated: boolean;
  updated_at: string;
}
interface Balance {
  currency: string;
  quantity: string;
  usd_price: string | null;
  usd_value: string | null;
}
interface Signal {
  symbol: string;
  signal: string | null;
  reason: string | null;
  rsi14: string | null;
  close: string | null;
  computed_at: string | null;
  last_error: string | null;
}
interface DashboardState {
  signals?: Signal[];
  open_orders: Order[];
  executed_orders: Order[];
  portfolio: { balances: Balance[]; total_usd: string };
  watchlist: string[];
  last_sync_at: string | null;
  mode: 'DRY_RUN' | 'LIVE';
}
interface SyncStatus {
  running: boolean;
  interval_seconds: number;
  me: { last_sync_at: string | null; last_status: string | null; last_error: string | null };
}

const balanceColumns: Column<Balance>[] = [
  { key: 'currency', header: 'Currency' },
  { key: 'quantity', header: 'Quantity', numeric: true },
  moneyColumn('usd_price', 'USD price', (b) => b.usd_price),
  moneyColumn('usd_value', 'USD value', (b) => b.usd_value),
];

const signalColumns: Column<Signal>[] = [
  { key: 'symbol', header: 'Symbol' },
  { key: 'signal', header: 'Signal', render: (x) => <StatusBadge value={x.signal ?? 'PENDING'} /> },
  { key: 'reason', header: 'Reason', render: (x) => x.reason ?? x.last_error ?? '—' },
  { key: 'rsi14', header: 'RSI(14)', numeric: true },
  moneyColumn('close', 'Last close', (x) => x.close),
  timeColumn('computed_at', 'Computed', (x) => x.computed_at),
];

const orderColumns: Column<Order>[] = [
  { key: 'symbol', header: 'Symbol' },
  { key: 'side', header: 'Side' },
  { key: 'type', header: 'Type' },
  { key: 'order_role', header: 'Role', render: (o) => o.order_role ?? 'entry' },
  { key: 'status', header: 'Status', render: (o) => <StatusBadge value={o.status} /> },
  { key: 'quantity', header: 'Quantity', numeric: true },
  moneyColumn('price', 'Price', (o) => o.price ?? o.trigger_price),
  { key: 'cumulative_quantity', header: 'Filled', numeric: true },
];

function ExecutedOrders({ state }: { state: DashboardState }) {
  const all = [...state.open_orders, ...state.executed_orders];
  const entries = state.executed_orders.filter((o) => !o.parent_order_id);
  const legsOf = (o: Order) => all.filter((l) => l.parent_order_id === o.id);
  const columns: Column<Order>[] = [
    ...orderColumns.filter((c) => c.key !== 'order_role'),
    moneyColumn('avg_price', 'Avg price', (o) => o.avg_price),
    {
      key: 'oco',
      header: 'OCO legs',
      render: (o) => {
        const legs = legsOf(o);
        if (legs.length === 0) return <span className="muted">none</span>;
        return (
          <ul className="legs">
            {legs.map((l) => (
              <li key={l.id}>
                {l.order_role} at <span className="money">{moneyText(l.trigger_price ?? l.price)}</span> <StatusBadge value={l.status} />
                {l.simulated && <span className="muted"> simulated</span>}
              </li>
            ))}
          </ul>
        );
      },
    },
  ];
  return <DataTable caption="Executed orders" columns={columns} rows={entries} rowKey={(o) => o.id} empty="No executed orders yet." />;
}

export function Dashboard({ user }: { user: User }) {
  const state = useResource(() => get<DashboardState>('/api/dashboard/state'));
  const status = useResource(() => get<SyncStatus>('/ops/exchange-sync/status'));
  const sync = useAction();
  const [synced, setSynced] = useState<string>();

  const syncNow = async () => {
    setSynced(undefined);
    const run = await sync.run(() => post<{ status: string; balances: number; open_orders: number }>('/ops/exchange-sync/run'));
    if (run) setSynced(`Sync ${run.status.toLowerCase()}: ${run.balances} balances, ${run.open_orders} open orders.`);
    state.reload();
    status.reload();
  };

  const s = state.data;
  return (
    <>
      <div className="page-head">
        <h1>Dashboard</h1>
        <button type="button" className="primary" onClick={syncNow} disabled={sync.busy}>
          {sync.busy ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      <ErrorNotice error={sync.error} />
      {synced && <Success>{synced}</Success>}
      <ErrorNotice error={state.error} onRetry={state.reload} />
      <Loading show={state.loading && !s} />
      {s && (
        <>
          <div className="stats">
            <div className="stat">
              <span className="label">Portfolio total</span>
              <span className="value money" data-testid="total-usd">
                {moneyText(s.portfolio.total_usd)} USD
              </span>
            </div>
            <div className="stat">
              <span className="label">Last sync</span>
              <span className="value">{timeText(s.last_sync_at)}</span>
            </div>
            <div className="stat">
              <span className="label">Mode</span>
              <span className="value">{s.mode}</span>
            </div>
            <div className="stat">
              <span className="label">Sync status</span>
              <span className="value">
                {status.data ? (status.data.running ? 'running' : (status.data.me.last_status ?? 'never synced')) : '—'}
              </span>
            </div>
          </div>
          {status.data?.me.last_error && <p className="notice warn">Last sync error: {status.data.me.last_error}</p>}
          <div className="grid2">
            <Section title="Balances">
              <DataTable
                caption="Balances"
                columns={balanceColumns}
                rows={s.portfolio.balances}
                rowKey={(b) => b.currency}
                empty="No balances: add crypto.com credentials in Vault, then Sync now."
              />
            </Section>
            <Section title="Allocation">
              <AllocationDonut balances={s.portfolio.balances} />
            </Section>
          </div>
          <Section title="Open orders">
            <DataTable caption="Open orders" columns={orderColumns} rows={s.open_orders} rowKey={(o) => o.id} empty="No open orders." />
          </Section>
          <Section title="Executed orders">
            <ExecutedOrders state={s} />
          </Section>
          <Section title="Signals">
            <DataTable
              caption="Signals of the watchlist"
              columns={signalColumns}
              rows={
                s.signals ??
                s.watchlist.map((symbol) => ({
                  symbol,
                  signal: null,
                  reason: null,
                  rsi14: null,
                  close: null,
                  computed_at: null,
                  last_error: null,
                }))
              }
              rowKey={(x) => x.symbol}
              empty="Watchlist empty: add symbols through /api/watchlist to get BUY/SELL/HOLD signals."
            />
          </Section>
        </>
      )}
      {user.role === 'admin' && <p className="muted">As an admin, Sync now runs a cycle for every user with crypto.com credentials.</p>}
    </>
  );
}
