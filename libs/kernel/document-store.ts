import { OutboxDocument } from './outbox';

export type Scalar = string | number | boolean | null;

export interface DocumentQuery {
  /** Equality on top-level fields. */
  where?: Record<string, Scalar>;
  /** Keyset paging / ranges on one field. */
  range?: { field: string; gt?: Scalar; lt?: Scalar };
  sort?: { field: string; direction: 'asc' | 'desc' }[];
  limit?: number;
}

/** An index the MongoDB adapter creates (idempotently) before first use: fields, 1 ascending, -1 descending. */
export interface DocumentIndex {
  key: Record<string, 1 | -1>;
  unique?: boolean;
}

/**
 * A collection of the document store. The context that owns it exports it from its index.ts and
 * registers it at boot; the Postgres adapter keeps it in the migrated table `doc_<name>`.
 */
export interface DocumentCollection {
  readonly name: string;
  readonly indexes: readonly DocumentIndex[];
}

/**
 * Port for the document store. Two adapters: MongoDB (MONGO_URL) and Postgres
 * JSONB tables (default). Only the relay writes; there is no delete.
 */
export abstract class DocumentStore {
  abstract readonly kind: 'mongodb' | 'postgres';
  /** `collection`: a registered DocumentCollection's name. */
  abstract upsertMany(collection: string, docs: OutboxDocument[]): Promise<void>;
  abstract find(collection: string, query: DocumentQuery): Promise<OutboxDocument[]>;
  abstract ping(): Promise<void>;
}
