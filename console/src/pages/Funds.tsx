import { useState, type FormEvent } from 'react';
import { call, get, newIdempotencyKey, post } from '../api/client';
import { ErrorNotice, Field, Loading, Section, Select, Success } from '../components/ui';
import { jsonWithAmount, moneyText, moneyWithCurrency } from '../lib/money';
import { DataTable, moneyColumn, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';

interface Fund {
  id: number;
  name: string;
  min_amount: number;
  category: string;
  currency: string;
}
interface Subscription {
  subscription_id: string;
  fund_id: number;
  fund_name: string;
  category: string;
  amount: number;
  created_at: string;
}
interface Account {
  balance: number;
  currency: string;
  invested: number;
  subscriptions: Subscription[];
}
interface Tx {
  id: string;
  fund_name: string;
  type: string;
  amount: number;
  balance_after: number;
  currency: string;
  created_at: string;
}

const PAGE_SIZE = 10;

function History({ version }: { version: number }) {
  // cursors[i] is the cursor of page i (page 0 has none).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const history = useResource(async () => {
    const { data, headers } = await call<Tx[]>('GET', '/api/v1/transactions', { query: { limit: PAGE_SIZE, cursor: cursors[page] } });
    return { items: data, next: headers.get('x-next-cursor') ?? undefined };
  }, `${page}:${version}`);
  const columns: Column<Tx>[] = [
    timeColumn('created_at', 'When', (t) => t.created_at),
    { key: 'type', header: 'Type' },
    { key: 'fund_name', header: 'Fund' },
    moneyColumn('amount', 'Amount', (t) => t.amount),
    moneyColumn('balance_after', 'Balance after', (t) => t.balance_after),
  ];
  const next = history.data?.next;
  return (
    <Section title="History">
      <ErrorNotice error={history.error} onRetry={history.reload} />
      <DataTable
        caption={`Transactions, page ${page + 1}`}
        columns={columns}
        rows={history.data?.items ?? []}
        rowKey={(t) => t.id}
        empty="No transactions yet."
      />
      <div className="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous page
        </button>
        <span>Page {page + 1}</span>
        <button
          type="button"
          disabled={!next}
          onClick={() => {
            setCursors((c) => [...c.slice(0, page + 1), next]);
            setPage(page + 1);
          }}
        >
          Next page
        </button>
      </div>
    </Section>
  );
}

export default function Funds() {
  const funds = useResource(() => get<Fund[]>('/api/v1/funds'));
  const [version, setVersion] = useState(0);
  const account = useResource(() => get<Account>('/api/v1/account'), String(version));
  const [fundId, setFundId] = useState('');
  const [amount, setAmount] = useState('');
  const [done, setDone] = useState<string>();
  const subscribe = useAction();
  const cancel = useAction();

  const catalogue = funds.data ?? [];
  const chosen = catalogue.find((f) => String(f.id) === fundId) ?? catalogue[0];
  const refresh = () => setVersion((v) => v + 1);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    setDone(undefined);
    const tx = await subscribe.run(() =>
      post<Tx>(`/api/v1/subscriptions/${chosen.id}`, {
        rawJson: jsonWithAmount({}, 'amount', amount),
        idempotencyKey: newIdempotencyKey(),
      }),
    );
    if (tx) {
      setDone(
        `Subscribed ${moneyWithCurrency(tx.amount, tx.currency)} to ${tx.fund_name}. Balance now ${moneyWithCurrency(tx.balance_after, tx.currency)}.`,
      );
      setAmount('');
      refresh();
    }
  };

  const cancelSubscription = async (s: Subscription) => {
    setDone(undefined);
    const tx = await cancel.run(() =>
      post<Tx>(`/api/v1/subscriptions/${s.subscription_id}/cancel`, { idempotencyKey: newIdempotencyKey() }),
    );
    if (tx) {
      setDone(`Cancelled ${s.fund_name}: ${moneyWithCurrency(tx.amount, tx.currency)} returned.`);
      refresh();
    }
  };

  const fundColumns: Column<Fund>[] = [
    { key: 'id', header: 'Id', numeric: true },
    { key: 'name', header: 'Fund' },
    { key: 'category', header: 'Category' },
    moneyColumn('min_amount', 'Minimum', (f) => f.min_amount),
    { key: 'currency', header: 'Currency' },
  ];
  const subColumns: Column<Subscription>[] = [
    { key: 'fund_name', header: 'Fund' },
    { key: 'category', header: 'Category' },
    moneyColumn('amount', 'Amount', (s) => s.amount),
    timeColumn('created_at', 'Since', (s) => s.created_at),
    {
      key: 'cancel',
      header: 'Action',
      render: (s) => (
        <button
          type="button"
          onClick={() => cancelSubscription(s)}
          disabled={cancel.busy}
          aria-label={`Cancel subscription to ${s.fund_name}`}
        >
          Cancel subscription
        </button>
      ),
    },
  ];

  const a = account.data;
  return (
    <>
      <h1>Funds</h1>
      <ErrorNotice error={account.error} onRetry={account.reload} />
      <div className="stats">
        <div className="stat">
          <span className="label">Available balance</span>
          <span className="value money" data-testid="funds-balance">
            {a ? moneyWithCurrency(a.balance, a.currency) : '—'}
          </span>
        </div>
        <div className="stat">
          <span className="label">Invested</span>
          <span className="value money">{a ? moneyWithCurrency(a.invested, a.currency) : '—'}</span>
        </div>
      </div>
      {done && <Success>{done}</Success>}
      <ErrorNotice error={cancel.error} />
      <div className="grid2">
        <Section title="Subscribe">
          <form onSubmit={submit} className="form">
            <Select
              label="Fund"
              value={chosen ? String(chosen.id) : ''}
              onChange={(e) => setFundId(e.target.value)}
              options={catalogue.map((f) => ({ value: String(f.id), label: `${f.id} · ${f.name}` }))}
            />
            {chosen && (
              <p className="muted">
                {chosen.name}: minimum {moneyWithCurrency(chosen.min_amount, chosen.currency)}
              </p>
            )}
            <Field
              label="Amount (COP)"
              name="amount"
              inputMode="numeric"
              required
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              hint="Whole pesos, at least the fund's minimum"
            />
            <ErrorNotice error={subscribe.error} />
            <button type="submit" className="primary" disabled={subscribe.busy || !chosen}>
              Subscribe
            </button>
          </form>
        </Section>
        <Section title="Catalogue">
          <ErrorNotice error={funds.error} onRetry={funds.reload} />
          <Loading show={funds.loading && !funds.data} />
          <DataTable caption="Funds and their minimums" columns={fundColumns} rows={catalogue} rowKey={(f) => String(f.id)} />
        </Section>
      </div>
      <Section title="Active subscriptions">
        <DataTable
          caption="Active subscriptions"
          columns={subColumns}
          rows={a?.subscriptions ?? []}
          rowKey={(s) => s.subscription_id}
          empty="No active subscriptions."
        />
        {a && a.subscriptions.length > 0 && (
          <p className="muted">
            Invested in total: {moneyText(a.invested)} {a.currency}
          </p>
        )}
      </Section>
      <History version={version} />
    </>
  );
}
