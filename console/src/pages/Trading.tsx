import { useState, type FormEvent } from 'react';
import { get, newIdempotencyKey, post, type User } from '../api/client';
import { ErrorNotice, Field, Section, Select, StatusBadge, Success } from '../components/ui';
import { DataTable, timeText, type Column } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';
import { PerformanceSection } from './Performance';

interface Check {
  name: string;
  passed: boolean;
  skipped?: boolean;
  message: string;
}
interface Prepared {
  passed: boolean;
  exchange: string;
  symbol: string;
  side: string;
  type: string;
  qty: string;
  price: string | null;
  checks: Check[];
  request_preview: { method: string; path: string; params: Record<string, string> };
}
interface TestOrder {
  mode: string;
  client_order_id: string;
  sent: boolean;
  latency_ms: number;
}
interface KillSwitch {
  engaged: boolean;
  reason: string | null;
  changed_by: string | null;
  changed_at: string | null;
}

const checkColumns: Column<Check>[] = [
  { key: 'name', header: 'Check' },
  {
    key: 'passed',
    header: 'Result',
    render: (c) => <StatusBadge value={c.skipped ? 'SKIPPED' : c.passed ? 'PASSED' : 'FAILED'} />,
  },
  { key: 'message', header: 'Message' },
];

function KillSwitchSection({ user }: { user: User }) {
  const state = useResource(() => get<KillSwitch>('/ops/execution/kill-switch'));
  const [reason, setReason] = useState('');
  const action = useAction();
  const ks = state.data;
  const set = async (engaged: boolean) => {
    const r = await action.run(() => post<KillSwitch>('/ops/execution/kill-switch', { body: { engaged, reason: reason.trim() } }));
    if (r) {
      setReason('');
      state.reload();
    }
  };
  return (
    <Section title="Kill switch">
      <ErrorNotice error={state.error} onRetry={state.reload} />
      {ks && (
        <p data-testid="kill-switch">
          <StatusBadge value={ks.engaged ? 'ENGAGED' : 'RELEASED'} /> {ks.engaged ? 'Order placement is halted.' : 'Orders may be placed.'}
          {ks.reason && <> Reason: {ks.reason}.</>} {ks.changed_at && <span className="muted">Changed {timeText(ks.changed_at)}</span>}
        </p>
      )}
      {user.role === 'admin' && (
        <div className="form inline">
          <Field
            label="Reason"
            name="reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            minLength={3}
            maxLength={500}
            hint="At least 3 characters; audited"
          />
          <button type="button" onClick={() => set(true)} disabled={action.busy}>
            Engage kill switch
          </button>
          <button type="button" onClick={() => set(false)} disabled={action.busy}>
            Release kill switch
          </button>
        </div>
      )}
      <ErrorNotice error={action.error} />
    </Section>
  );
}

export default function Trading({ user }: { user: User }) {
  const [exchange, setExchange] = useState('BINANCE');
  const [symbol, setSymbol] = useState('BTCUSDT');
  const [side, setSide] = useState('BUY');
  const [qty, setQty] = useState('0.01');
  const [type, setType] = useState('');
  const [price, setPrice] = useState('');
  const [prepared, setPrepared] = useState<Prepared>();
  const [sent, setSent] = useState<TestOrder>();
  const prepare = useAction();
  const testOrder = useAction();

  const order = () => ({ symbol: symbol.trim(), side, qty: qty.trim(), type: type || undefined, price: price.trim() || undefined });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(undefined);
    const r = await prepare.run(() => post<Prepared>('/ops/execution/prepare', { body: { exchange, ...order() } }));
    setPrepared(r);
  };
  const send = async () => {
    setSent(
      await testOrder.run(() =>
        post<TestOrder>('/ops/execution/binance/test-order', { body: order(), idempotencyKey: newIdempotencyKey() }),
      ),
    );
  };

  return (
    <>
      <h1>Trading</h1>
      <div className="grid2">
        <Section title="Prepare an order (dry run)">
          <form className="form" onSubmit={submit}>
            <Select label="Exchange" value={exchange} onChange={(e) => setExchange(e.target.value)} options={['BINANCE', 'IBKR']} />
            <Field
              label="Symbol"
              name="symbol"
              required
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
              hint="Binance: BTCUSDT; IBKR: AAPL"
            />
            <Select label="Side" value={side} onChange={(e) => setSide(e.target.value)} options={['BUY', 'SELL']} />
            <Field label="Quantity" name="qty" inputMode="decimal" required value={qty} onChange={(e) => setQty(e.target.value)} />
            <Select label="Order type" value={type} onChange={(e) => setType(e.target.value)} options={['', 'MARKET', 'LIMIT']} />
            <Field
              label="Limit price"
              name="price"
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              hint="Only for LIMIT orders"
            />
            <ErrorNotice error={prepare.error} />
            <div className="actions">
              <button type="submit" className="primary" disabled={prepare.busy}>
                Check order
              </button>
              <button type="button" onClick={send} disabled={testOrder.busy || exchange !== 'BINANCE'}>
                Send Binance test order
              </button>
            </div>
          </form>
          <ErrorNotice error={testOrder.error} />
          {sent && (
            <Success>
              Test order sent ({sent.mode}), client order id {sent.client_order_id}, {sent.latency_ms} ms.
            </Success>
          )}
        </Section>
        <Section title="Risk checks">
          {!prepared && <p className="muted">Check an order to see every risk check.</p>}
          {prepared && (
            <>
              <p>
                <StatusBadge value={prepared.passed ? 'PASSED' : 'FAILED'} /> {prepared.side} {prepared.qty} {prepared.symbol} on{' '}
                {prepared.exchange} ({prepared.type}
                {prepared.price ? ` at ${prepared.price}` : ''})
              </p>
              <DataTable caption="Risk checks" columns={checkColumns} rows={prepared.checks} rowKey={(c) => c.name} />
              <p className="muted">
                Would send {prepared.request_preview.method} {prepared.request_preview.path} (signed when sent; no key shown).
              </p>
            </>
          )}
        </Section>
      </div>
      <KillSwitchSection user={user} />
      <PerformanceSection />
    </>
  );
}
