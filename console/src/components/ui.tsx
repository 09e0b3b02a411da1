import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import type { ApiError } from '../api/client';

/** The API's message, Retry-After on a 429, and a Retry button where retrying can help. */
export function ErrorNotice({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      <p>{error.message}</p>
      {error.fields && error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field}>
              {f.field}: {f.messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
      {error.status === 429 && error.retryAfterSeconds !== undefined && <p>Too many requests: retry after {error.retryAfterSeconds} s.</p>}
      {onRetry && error.retryable && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <p className="notice ok" role="status">
      {children}
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string };

/** An input with its visible label (and an optional hint tied by aria-describedby). */
export function Field({ label, hint, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

type Option = string | { value: string; label: string };
type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: readonly Option[] };

export function Select({ label, options, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {options.map((o) => {
          const { value, label: text } = typeof o === 'string' ? { value: o, label: o || 'any' } : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </div>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading({ show }: { show: boolean }) {
  return show ? (
    <p className="muted" role="status">
      Loading…
    </p>
  ) : null;
}

export const StatusBadge = ({ value }: { value: string | null | undefined }) => (
  <span className={`badge badge-${(value ?? 'none').toLowerCase()}`}>{value ?? '—'}</span>
);
