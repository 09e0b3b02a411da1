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
  /** `collection` is a registered DocumentCollection's name. */
  abstract add(collection: string, doc: OutboxDocument): Promise<void>;
}

/** The relay's transaction, as a sealer sees it. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/**
 * Seals one collection's documents before they reach the store (the audit context's hash
 * chain). The relay calls it inside the transaction that picks the batch, in outbox order,
 * and stores what it returns back into the outbox rows, so a resend is byte-identical.
 */
export abstract class DocumentSealer {
  abstract readonly collection: string;
  /** Returns the documents it changed (already sealed ones are left out). */
  abstract seal(docs: OutboxDocument[], tx: SqlRunner): Promise<OutboxDocument[]>;
}
