import { RequestMeta } from './request-meta';

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

export interface AuditEventInput {
  eventType: string; // dotted, e.g. "auth.login.failed"
  outcome: AuditOutcome;
  userId?: string | null;
  payload?: Record<string, unknown>;
}

/**
 * Port every context uses to record a state change that matters. The event is
 * written inside the caller's transaction (outbox), so it exists if and only if
 * the change committed. Append-only: there is no update or delete.
 */
export abstract class AuditTrail {
  abstract record(event: AuditEventInput, meta?: RequestMeta): Promise<void>;
}

/** Keys whose values never enter an audit payload or a log line. */
export const SENSITIVE_KEY = /pass(word)?|secret|token|api_?key|otp|authorization|cookie|signature|private/i;

/** Deep copy with sensitive values replaced; used before anything is persisted or logged. */
export function redact<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as unknown as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SENSITIVE_KEY.test(k) ? '[REDACTED]' : redact(v, depth + 1);
  }
  return out as T;
}
