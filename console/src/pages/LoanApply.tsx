import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey, post } from '../api/client';
import { ErrorNotice, Field, Section, Success } from '../components/ui';
import { moneyText } from '../lib/money';
import { useAction } from '../lib/use-resource';
import type { Loan, Quote } from './loan-types';

type QuoteState = { kind: 'idle' } | { kind: 'ok'; quote: Quote } | { kind: 'invalid'; message: string } | { kind: 'unavailable' };

/** The monthly payment as the user types, from POST /api/loans/quote (the console computes nothing itself). */
function useQuote(principal: string, rate: string, term: string): QuoteState {
  const [state, setState] = useState<QuoteState>({ kind: 'idle' });
  useEffect(() => {
    if (!principal.trim() || !rate.trim() || !term.trim()) {
      setState({ kind: 'idle' });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      post<Quote>('/api/loans/quote', { body: { principal: principal.trim(), annual_rate: rate.trim(), term_months: Number(term) } })
        .then((quote) => live && setState({ kind: 'ok', quote }))
        .catch((e: unknown) => {
          if (!live) return;
          if (e instanceof ApiError && e.status === 404) setState({ kind: 'unavailable' });
          else setState({ kind: 'invalid', message: e instanceof ApiError ? e.message : 'No quote' });
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [principal, rate, term]);
  return state;
}

export function LoanApply({ onApplied }: { onApplied: (loan: Loan) => void }) {
  const [principal, setPrincipal] = useState('');
  const [rate, setRate] = useState('');
  const [term, setTerm] = useState('12');
  const [purpose, setPurpose] = useState('');
  const [applied, setApplied] = useState<string>();
  const quote = useQuote(principal, rate, term);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setApplied(undefined);
    const body = { principal: principal.trim(), annual_rate: rate.trim(), term_months: Number(term), purpose: purpose.trim() || undefined };
    const loan = await action.run(() => post<Loan>('/api/loans', { body, idempotencyKey: newIdempotencyKey() }));
    if (loan) {
      setApplied(`Application sent: ${moneyText(loan.principal)} over ${loan.term_months} months, status ${loan.status}.`);
      setPrincipal('');
      setPurpose('');
      onApplied(loan);
    }
  };

  return (
    <Section title="Apply for a loan">
      <form className="form" onSubmit={submit}>
        <Field
          label="Principal"
          name="principal"
          inputMode="decimal"
          required
          value={principal}
          onChange={(e) => setPrincipal(e.target.value)}
          hint='e.g. "5000.00"'
        />
        <Field
          label="Annual rate (%)"
          name="annual_rate"
          inputMode="decimal"
          required
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          hint='e.g. "12.5"'
        />
        <Field
          label="Term (months)"
          name="term_months"
          type="number"
          min={1}
          required
          value={term}
          onChange={(e) => setTerm(e.target.value)}
        />
        <Field label="Purpose" name="purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        <div className="quote" aria-live="polite" data-testid="loan-quote">
          {quote.kind === 'ok' && (
            <p>
              Monthly payment <strong className="money">{moneyText(quote.quote.monthly_payment)}</strong> · total interest{' '}
              <span className="money">{moneyText(quote.quote.total_interest)}</span> · total{' '}
              <span className="money">{moneyText(quote.quote.total_payable)}</span>
            </p>
          )}
          {quote.kind === 'invalid' && <p className="muted">No quote yet: {quote.message}</p>}
          {quote.kind === 'unavailable' && <p className="muted">Live quotes are not available on this server.</p>}
          {quote.kind === 'idle' && <p className="muted">Type the principal, rate and term for a quote.</p>}
        </div>
        <ErrorNotice error={action.error} />
        {applied && <Success>{applied}</Success>}
        <button type="submit" className="primary" disabled={action.busy}>
          Apply
        </button>
      </form>
    </Section>
  );
}
