import { useState } from 'react';
import { get, newIdempotencyKey, post, type User } from '../api/client';
import { ErrorNotice, Field, Section, StatusBadge, Success } from '../components/ui';
import { DataTable, moneyColumn, timeText, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';
import { LoanApply } from './LoanApply';
import { LoanDetail } from './LoanDetail';
import type { Loan, LoanPage } from './loan-types';

const PAGE_SIZE = 10;

/** Admins: SUBMITTED loans to approve or reject, APPROVED ones to disburse. */
function AdminQueue({ version, onChanged }: { version: number; onChanged: () => void }) {
  const submitted = useResource(() => get<LoanPage>('/api/loans', { status: 'SUBMITTED', page_size: 50 }), String(version));
  const approved = useResource(() => get<LoanPage>('/api/loans', { status: 'APPROVED', page_size: 50 }), String(version));
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string>();
  const action = useAction();

  const act = async (loan: Loan, verb: 'approve' | 'reject' | 'disburse') => {
    setDone(undefined);
    const body = verb === 'reject' ? { reason: (reasons[loan.id] ?? '').trim() } : undefined;
    const idempotencyKey = verb === 'disburse' ? newIdempotencyKey() : undefined;
    const r = await action.run(() => post<Loan>(`/api/loans/${loan.id}/${verb}`, { body, idempotencyKey }));
    if (r) {
      setDone(`Loan ${r.id.slice(0, 8)} is now ${r.status}.`);
      onChanged();
    }
  };

  const base: Column<Loan>[] = [
    { key: 'id', header: 'Loan', render: (l) => <code title={l.id}>{l.id.slice(0, 8)}</code> },
    { key: 'user_id', header: 'Applicant', render: (l) => <code title={l.user_id}>{l.user_id.slice(0, 8)}</code> },
    moneyColumn('principal', 'Principal', (l) => l.principal),
    { key: 'annual_rate', header: 'Rate %', numeric: true },
    { key: 'term_months', header: 'Months', numeric: true },
  ];
  const submittedColumns: Column<Loan>[] = [
    ...base,
    {
      key: 'actions',
      header: 'Decision',
      render: (l) => (
        <div className="actions">
          <button type="button" onClick={() => act(l, 'approve')} disabled={action.busy}>
            Approve
          </button>
          <Field
            label="Rejection reason"
            value={reasons[l.id] ?? ''}
            onChange={(e) => setReasons({ ...reasons, [l.id]: e.target.value })}
            maxLength={500}
          />
          <button type="button" onClick={() => act(l, 'reject')} disabled={action.busy}>
            Reject
          </button>
        </div>
      ),
    },
  ];
  const approvedColumns: Column<Loan>[] = [
    ...base,
    {
      key: 'actions',
      header: 'Action',
      render: (l) => (
        <button type="button" onClick={() => act(l, 'disburse')} disabled={action.busy}>
          Disburse
        </button>
      ),
    },
  ];
  return (
    <Section title="Admin queue">
      <ErrorNotice error={submitted.error ?? approved.error} onRetry={() => (submitted.reload(), approved.reload())} />
      <ErrorNotice error={action.error} />
      {done && <Success>{done}</Success>}
      <DataTable
        caption="Submitted: approve or reject"
        columns={submittedColumns}
        rows={submitted.data?.items ?? []}
        rowKey={(l) => l.id}
        empty="No applications waiting."
      />
      <DataTable
        caption="Approved: disburse"
        columns={approvedColumns}
        rows={approved.data?.items ?? []}
        rowKey={(l) => l.id}
        empty="Nothing to disburse."
      />
    </Section>
  );
}

export default function Loans({ user }: { user: User }) {
  const [version, setVersion] = useState(0);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string>();
  const changed = () => setVersion((v) => v + 1);
  const loans = useResource(() => get<LoanPage>('/api/loans', { page, page_size: PAGE_SIZE }), `${page}:${version}`);
  const pages = loans.data ? Math.max(1, Math.ceil(loans.data.total / PAGE_SIZE)) : 1;

  const columns: Column<Loan>[] = [
    timeColumn('created_at', 'Applied', (l) => l.created_at),
    moneyColumn('principal', 'Principal', (l) => l.principal),
    { key: 'annual_rate', header: 'Rate %', numeric: true },
    { key: 'term_months', header: 'Months', numeric: true },
    { key: 'status', header: 'Status', render: (l) => <StatusBadge value={l.status} /> },
    { key: 'purpose', header: 'Purpose' },
    {
      key: 'open',
      header: 'Details',
      render: (l) => (
        <button
          type="button"
          onClick={() => setSelected(l.id)}
          aria-pressed={selected === l.id}
          aria-label={`Schedule of the loan of ${l.principal} applied ${timeText(l.created_at)}`}
        >
          Schedule
        </button>
      ),
    },
  ];

  return (
    <>
      <h1>Loans</h1>
      <div className="grid2">
        <LoanApply
          onApplied={(l) => {
            setSelected(l.id);
            setPage(1);
            changed();
          }}
        />
        <Section title={user.role === 'admin' ? 'All loans' : 'My loans'}>
          <ErrorNotice error={loans.error} onRetry={loans.reload} />
          <DataTable
            caption={`Loans, page ${page} of ${pages}`}
            columns={columns}
            rows={loans.data?.items ?? []}
            rowKey={(l) => l.id}
            empty="No loans yet."
          />
          <div className="pager">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </div>
        </Section>
      </div>
      {selected && <LoanDetail loanId={selected} version={version} onChanged={changed} />}
      {user.role === 'admin' && <AdminQueue version={version} onChanged={changed} />}
    </>
  );
}
