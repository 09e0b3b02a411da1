/** A document bound for the document store (MongoDB or Postgres JSONB). */
export interface OutboxDocument {
  id: string;
  [field: string]: unknown;
}

/**
 * Port for writing documents transactionally: `add` joins the caller's
 * transaction; a relay upserts into the document store after commit (and again
 * from a periodic sweep), idempotently by id.
 */
export abstract class Outbox {
  abstract add(collection: DocumentCollection, doc: OutboxDocument): Promise<void>;
}

export const DOCUMENT_COLLECTIONS = ['audit_logs', 'fund_transactions'] as const;
export type DocumentCollection = (typeof DOCUMENT_COLLECTIONS)[number];
