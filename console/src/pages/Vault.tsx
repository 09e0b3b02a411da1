import { useState, type FormEvent } from 'react';
import { call, get, post, type User } from '../api/client';
import { ErrorNotice, Field, Section, Select, Success } from '../components/ui';
import { DataTable, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';

const EXCHANGES = ['BINANCE', 'IBKR', 'CRYPTO_COM'] as const;

interface Credential {
  exchange: string;
  api_key_masked: string;
  key_id: string;
  created_at: string;
  updated_at: string;
}
interface KindReport {
  total: number;
  decrypt_with_old_key: number;
  already_new_key: number;
  failed_ids: string[];
}
interface Rotation {
  dry_run: boolean;
  old_key_id: string;
  new_key_id: string;
  exchange_secrets: KindReport;
  totp_secrets: KindReport;
  reencrypted: number;
  active_key_id: string;
}

/** Admin: the re-encryption dry run (reports, writes nothing). The keys typed here are sent once and never shown. */
function RotationDryRun() {
  const [oldKey, setOldKey] = useState('');
  const [newKey, setNewKey] = useState('');
  const [report, setReport] = useState<Rotation>();
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setReport(
      await action.run(() =>
        post<Rotation>('/ops/security/reencrypt-exchange-secrets', { body: { old_key: oldKey, new_key: newKey, dry_run: true } }),
      ),
    );
  };
  const rows = report
    ? [
        { kind: 'Exchange secrets', ...report.exchange_secrets },
        { kind: 'TOTP secrets', ...report.totp_secrets },
      ]
    : [];
  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'kind', header: 'Kind' },
    { key: 'total', header: 'Total', numeric: true },
    { key: 'decrypt_with_old_key', header: 'Open with old key', numeric: true },
    { key: 'already_new_key', header: 'Already new key', numeric: true },
    { key: 'failed_ids', header: 'Failed', render: (r) => (r.failed_ids.length ? r.failed_ids.join(', ') : 'none') },
  ];
  return (
    <Section title="Key rotation dry run">
      <form className="form" onSubmit={submit}>
        <Field
          label="Current key (old_key)"
          name="old_key"
          type="password"
          autoComplete="off"
          required
          value={oldKey}
          onChange={(e) => setOldKey(e.target.value)}
        />
        <Field
          label="New key (new_key)"
          name="new_key"
          type="password"
          autoComplete="off"
          required
          value={newKey}
          onChange={(e) => setNewKey(e.target.value)}
          hint="base64 of 32 bytes: npm run secrets:generate"
        />
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          Run dry run
        </button>
      </form>
      {report && (
        <>
          <p>
            Dry run: key {report.old_key_id} to {report.new_key_id}; nothing written (re-encrypted {report.reencrypted}). Active key{' '}
            {report.active_key_id}.
          </p>
          <DataTable caption="Rotation report" columns={columns} rows={rows} rowKey={(r) => r.kind} />
        </>
      )}
    </Section>
  );
}

export default function Vault({ user }: { user: User }) {
  const list = useResource(() => get<Credential[]>('/users/exchange-secrets'));
  const [exchange, setExchange] = useState<string>('BINANCE');
  const [apiKey, setApiKey] = useState('');
  const [apiSecret, setApiSecret] = useState('');
  const [done, setDone] = useState<string>();
  const save = useAction();
  const remove = useAction();
  const existing = list.data?.find((c) => c.exchange === exchange);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const r = await save.run(() =>
      post<Credential>('/users/exchange-secrets', { body: { exchange, api_key: apiKey, api_secret: apiSecret } }),
    );
    if (r) {
      setApiKey('');
      setApiSecret('');
      setDone(`${exchange} credentials saved (key ${r.api_key_masked ?? 'masked'}).`);
      list.reload();
    }
  };
  const del = async (c: Credential) => {
    setDone(undefined);
    const r = await remove.run(() => call('DELETE', `/users/exchange-secrets/${c.exchange}`));
    if (r) {
      setDone(`${c.exchange} credentials deleted.`);
      list.reload();
    }
  };

  const columns: Column<Credential>[] = [
    { key: 'exchange', header: 'Exchange' },
    { key: 'api_key_masked', header: 'API key', render: (c) => <code>{c.api_key_masked}</code> },
    { key: 'key_id', header: 'Sealed with key' },
    timeColumn('updated_at', 'Updated', (c) => c.updated_at),
    {
      key: 'delete',
      header: 'Action',
      render: (c) => (
        <button type="button" onClick={() => del(c)} disabled={remove.busy} aria-label={`Delete ${c.exchange} credentials`}>
          Delete
        </button>
      ),
    },
  ];

  return (
    <>
      <h1>Vault</h1>
      {done && <Success>{done}</Success>}
      <ErrorNotice error={remove.error} />
      <div className="grid2">
        <Section title="Exchange credentials">
          <ErrorNotice error={list.error} onRetry={list.reload} />
          <DataTable
            caption="Stored credentials (secrets are never shown)"
            columns={columns}
            rows={list.data ?? []}
            rowKey={(c) => c.exchange}
            empty="No credentials stored."
          />
        </Section>
        <Section title={existing ? `Replace ${exchange} credentials` : 'Add credentials'}>
          <form className="form" onSubmit={submit} autoComplete="off">
            <Select label="Exchange" value={exchange} onChange={(e) => setExchange(e.target.value)} options={EXCHANGES} />
            <Field
              label="API key"
              name="api_key"
              type="password"
              autoComplete="off"
              required
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
            />
            <Field
              label="API secret"
              name="api_secret"
              type="password"
              autoComplete="off"
              required
              value={apiSecret}
              onChange={(e) => setApiSecret(e.target.value)}
            />
            <ErrorNotice error={save.error} />
            <button type="submit" className="primary" disabled={save.busy}>
              {existing ? 'Replace credentials' : 'Save credentials'}
            </button>
          </form>
        </Section>
      </div>
      {user.role === 'admin' && <RotationDryRun />}
    </>
  );
}
