import { useState, type FormEvent } from 'react';
import { get, newIdempotencyKey, post } from '../api/client';
import { ErrorNotice, Field, Section, StatusBadge, Success } from '../components/ui';
import { moneyText } from '../lib/money';
import { DataTable, moneyColumn, type Column, timeColumn } from '../lib/table';
import { useAction, useResource } from '../lib/use-resource';
import type { Installment, Loan } from './loan-types';

const scheduleColumns: Column<Installment>[] = [
  { key: 'number', header: '#', numeric: true },
  { key: 'due_date', header: 'Due' },
  moneyColumn('amount', 'Amount', (i) => i.amount),
  moneyColumn('principal', 'Principal', (i) => i.principal),
  moneyColumn('interest', 'Interest', (i) => i.interest),
  moneyColumn('remaining', 'Remaining', (i) => i.remaining),
  { key: 'status', header: 'Status', render: (i) => <StatusBadge value={i.status} /> },
  timeColumn('paid_at', 'Paid', (i) => i.paid_at),
];

interface PaymentResult {
  amount: string;
  loan_status: string;
  outstanding_balance: string;
}

/** One loan: its figures, the schedule table and the Pay form. */
export function LoanDetail({ loanId, version, onChanged }: { loanId: string; version: number; onChanged: () => void }) {
  const loan = useResource(() => get<Loan>(`/api/loans/${loanId}`), `${loanId}:${version}`);
  const schedule = useResource(() => get<Installment[]>(`/api/loans/${loanId}/installments`), `${loanId}:${version}`);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [paid, setPaid] = useState<string>();
  const pay = useAction();
  const l = loan.data;
  const next = schedule.data?.find((i) => i.status !== 'PAID');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPaid(undefined);
    const r = await pay.run(() =>
      post<PaymentResult>(`/api/loans/${loanId}/payments`, {
        body: { amount: amount.trim(), reference: reference.trim() },
        idempotencyKey: newIdempotencyKey(),
      }),
    );
    if (r) {
      setPaid(`Paid ${moneyText(r.amount)}. Outstanding ${moneyText(r.outstanding_balance)}; loan ${r.loan_status}.`);
      setAmount('');
      setReference('');
      onChanged();
    }
  };

  return (
    <Section title="Loan detail">
      <ErrorNotice error={loan.error ?? schedule.error} onRetry={() => (loan.reload(), schedule.reload())} />
      {l && (
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge value={l.status} />
          </dd>
          <dt>Principal</dt>
          <dd className="money">{moneyText(l.principal)}</dd>
          <dt>Rate</dt>
          <dd>{l.annual_rate} % a year</dd>
          <dt>Instalment</dt>
          <dd className="money">{moneyText(l.installment_amount)}</dd>
          <dt>Outstanding</dt>
          <dd className="money" data-testid="loan-outstanding">
            {moneyText(l.outstanding_balance)}
          </dd>
          <dt>Next due</dt>
          <dd>{l.next_due_date ?? '—'}</dd>
          {l.rejection_reason && (
            <>
              <dt>Rejected because</dt>
              <dd>{l.rejection_reason}</dd>
            </>
          )}
        </dl>
      )}
      <DataTable
        caption="Schedule"
        columns={scheduleColumns}
        rows={schedule.data ?? []}
        rowKey={(i) => String(i.number)}
        empty="No schedule until the loan is disbursed."
      />
      {l && l.status === 'ACTIVE' && (
        <form className="form inline" onSubmit={submit}>
          <Field
            label="Payment amount"
            name="amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            hint={next ? `Next instalment: ${moneyText(next.remaining)}` : undefined}
          />
          <Field
            label="Payment reference"
            name="reference"
            required
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            hint="Your reference, unique per loan"
          />
          <button type="submit" className="primary" disabled={pay.busy}>
            Pay
          </button>
        </form>
      )}
      <ErrorNotice error={pay.error} />
      {paid && <Success>{paid}</Success>}
    </Section>
  );
}
