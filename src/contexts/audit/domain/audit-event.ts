import { AuditEventInput, DocumentCollection, redact, RequestMeta } from '@kernel';

/** The audit context's document-store collection (Postgres: doc_audit_logs); the chain needs chain_seq unique. */
export const AUDIT_LOGS: DocumentCollection = {
  name: 'audit_logs',
  indexes: [
    { key: { chain_seq: 1 }, unique: true },
    { key: { user_id: 1, ts: -1 } },
    { key: { event_type: 1, ts: -1 } },
    { key: { ts: -1 } },
  ],
};

/** The stored audit document (before the relay seals it into the chain). */
export interface AuditDocument {
  id: string;
  ts: string; // ISO-8601
  user_id: string | null;
  event_type: string;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  path: string | null;
  request_id: string | null;
  payload: Record<string, unknown>;
  chain_seq?: number;
  prev_hash?: string;
  hash?: string;
  [field: string]: unknown;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export function buildAuditDocument(id: string, at: Date, event: AuditEventInput, meta: RequestMeta = {}): AuditDocument {
  if (!EVENT_TYPE.test(event.eventType)) throw new Error(`audit event type must be dotted lower-case: ${event.eventType}`);
  return {
    id,
    ts: at.toISOString(),
    user_id: event.userId ?? null,
    event_type: event.eventType,
    outcome: event.outcome,
    ip: meta.ip ?? null,
    user_agent: meta.userAgent ?? null,
    path: meta.path ?? null,
    request_id: meta.requestId ?? null,
    payload: redact(event.payload ?? {}),
  };
}
