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

/**
 * Field names whose values never enter an audit payload or a log line: EXACT names (case-insensitive,
 * `-` read as `_`), not substrings, so `passed`, `tokens_issued` or `secrets_reencrypted` stay readable.
 * A new secret-bearing field must be named here (or use one of these names).
 */
export const SENSITIVE_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'new_password',
  'old_password',
  'current_password',
  'passwd',
  'secret',
  'api_secret',
  'client_secret',
  'api_key',
  'apikey',
  'x_mbx_apikey',
  'token',
  'access',
  'access_token',
  'refresh',
  'refresh_token',
  'id_token',
  'enrolment_token',
  'enrollment_token',
  'otp',
  'totp',
  'totp_secret',
  'otp_secret',
  'otpauth_url',
  'old_key',
  'new_key',
  'encryption_key',
  'secret_key',
  'private_key',
  'authorization',
  'cookie',
  'set_cookie',
  'signature',
]);

export const isSensitiveField = (name: string): boolean => SENSITIVE_FIELDS.has(name.toLowerCase().replace(/-/g, '_'));

/** Deep copy with sensitive values replaced; used before anything is persisted or logged. */
export function redact<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as unknown as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSensitiveField(k) ? '[REDACTED]' : redact(v, depth + 1);
  }
  return out as T;
}
