import { DocumentCollection, OutboxDocument } from './outbox';

export type Scalar = string | number | boolean | null;

export interface DocumentQuery {
  /** Equality on top-level fields. */
  where?: Record<string, Scalar>;
  /** Keyset paging / ranges on one field. */
  range?: { field: string; gt?: Scalar; lt?: Scalar };
  sort?: { field: string; direction: 'asc' | 'desc' }[];
  limit?: number;
}

/**
 * Port for the document store. Two adapters: MongoDB (MONGO_URL) and Postgres
 * JSONB tables (default). Only the relay writes; there is no delete.
 */
export abstract class DocumentStore {
  abstract readonly kind: 'mongodb' | 'postgres';
  abstract upsertMany(collection: DocumentCollection, docs: OutboxDocument[]): Promise<void>;
  abstract find(collection: DocumentCollection, query: DocumentQuery): Promise<OutboxDocument[]>;
  abstract ping(): Promise<void>;
}
