import { useState, type FormEvent } from 'react';
import { get, type User } from '../api/client';
import { ErrorNotice, Field, Section, Select, StatusBadge } from '../components/ui';
import { DataTable, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';

interface AuditEvent {
  id: string;
  ts: string;
  user_id: string | null;
  event_type: string;
  outcome: string;
  ip: string | null;
  path: string | null;
  payload: Record<string, unknown>;
  chain_seq: number;
}
interface Verify {
  valid: boolean;
  checked: number;
  first_broken_id?: string;
  reason?: string;
}
interface Filters {
  user_id: string;
  event_type: string;
  outcome: string;
  since: string;
  until: string;
  limit: string;
}

const payloadText = (p: Record<string, unknown>): string => {
  const text = JSON.stringify(p ?? {});
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

const columns = (withUser: boolean): Column<AuditEvent>[] => [
  { key: 'chain_seq', header: 'Seq', numeric: true },
  timeColumn('ts', 'When', (e) => e.ts),
  ...(withUser
    ? [
        {
          key: 'user_id',
          header: 'User',
          render: (e: AuditEvent) => (e.user_id ? <code title={e.user_id}>{e.user_id.slice(0, 8)}</code> : '—'),
        },
      ]
    : []),
  { key: 'event_type', header: 'Event' },
  { key: 'outcome', header: 'Outcome', render: (e) => <StatusBadge value={e.outcome} /> },
  { key: 'path', header: 'Path' },
  { key: 'payload', header: 'Details', render: (e) => <code className="payload">{payloadText(e.payload)}</code> },
];

function AdminAudit() {
  const empty: Filters = { user_id: '', event_type: '', outcome: '', since: '', until: '', limit: '100' };
  const [form, setForm] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const all = useResource(
    () => get<AuditEvent[]>('/ops/audit/all', { ...applied, limit: applied.limit || '100' }),
    JSON.stringify(applied),
  );
  const verify = useAction();
  const [result, setResult] = useState<Verify>();
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...form, user_id: form.user_id.trim(), event_type: form.event_type.trim() });
  };
  const runVerify = async () => setResult(await verify.run(() => get<Verify>('/ops/audit/verify')));

  return (
    <>
      <Section
        title="Chain integrity"
        actions={
          <button type="button" className="primary" onClick={runVerify} disabled={verify.busy}>
            Verify chain
          </button>
        }
      >
        <ErrorNotice error={verify.error} onRetry={runVerify} />
        <div aria-live="polite" data-testid="verify-result">
          {result?.valid && <p className="notice ok">Chain valid: {result.checked} events checked.</p>}
          {result && !result.valid && (
            <p className="notice error">
              Chain broken after {result.checked} events at {result.first_broken_id}: {result.reason}
            </p>
          )}
          {!result && <p className="muted">Recomputes the SHA-256 hash chain over every event.</p>}
        </div>
      </Section>
      <Section title="All events">
        <form className="form filters" onSubmit={apply}>
          <Field label="User id" name="user_id" value={form.user_id} onChange={set('user_id')} placeholder="UUID" />
          <Field
            label="Event type"
            name="event_type"
            value={form.event_type}
            onChange={set('event_type')}
            placeholder="auth.login.failed"
          />
          <Select label="Outcome" value={form.outcome} onChange={set('outcome')} options={['', 'success', 'failure', 'denied', 'error']} />
          <Field label="Since (ISO-8601)" name="since" value={form.since} onChange={set('since')} placeholder="2026-01-01T00:00:00Z" />
          <Field label="Until (ISO-8601)" name="until" value={form.until} onChange={set('until')} />
          <Field label="Limit" name="limit" type="number" min={1} max={1000} value={form.limit} onChange={set('limit')} />
          <button type="submit">Apply filters</button>
        </form>
        <ErrorNotice error={all.error} onRetry={all.reload} />
        <DataTable
          caption="All audit events, newest first"
          columns={columns(true)}
          rows={all.data ?? []}
          rowKey={(e) => e.id}
          empty="No events match."
        />
      </Section>
    </>
  );
}

export default function Audit({ user }: { user: User }) {
  const mine = useResource(() => get<AuditEvent[]>('/ops/audit/me', { limit: 50 }));
  return (
    <>
      <h1>Audit</h1>
      {user.role === 'admin' && <AdminAudit />}
      <Section title="My events">
        <ErrorNotice error={mine.error} onRetry={mine.reload} />
        <DataTable
          caption="My audit events, newest first"
          columns={columns(false)}
          rows={mine.data ?? []}
          rowKey={(e) => e.id}
          empty="No events yet."
        />
      </Section>
    </>
  );
}
