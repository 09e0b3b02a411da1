import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Db, MongoClient, Filter, Document, Sort } from 'mongodb';
import { DocumentCollection, DocumentQuery, DocumentStore, OutboxDocument } from '@kernel';

/** Indexes the design names; created on first use (idempotent). */
export const MONGO_INDEXES: Record<DocumentCollection, { key: Record<string, 1 | -1>; unique?: boolean }[]> = {
  audit_logs: [
    { key: { chain_seq: 1 }, unique: true },
    { key: { user_id: 1, ts: -1 } },
    { key: { event_type: 1, ts: -1 } },
    { key: { ts: -1 } },
  ],
  fund_transactions: [{ key: { user_id: 1, created_at: -1 } }, { key: { user_id: 1, seq: -1 } }, { key: { correlation_id: 1 } }],
};

/**
 * MongoDB adapter (official driver), used when MONGO_URL is set. Documents are
 * stored with `_id` = our id, so an upsert by id is idempotent.
 */
@Injectable()
export class MongoDocumentStore extends DocumentStore implements OnApplicationShutdown {
  readonly kind = 'mongodb' as const;
  private readonly client: MongoClient;
  private indexed?: Promise<void>;

  constructor(
    url: string,
    private readonly dbName: string,
  ) {
    super();
    // Short selection timeout: when Mongo is down the outbox keeps the documents
    // and requests must not hang on the driver.
    this.client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  }

  private async db(): Promise<Db> {
    const db = this.client.db(this.dbName);
    this.indexed ??= Promise.all(
      Object.entries(MONGO_INDEXES).flatMap(([coll, indexes]) =>
        indexes.map((i) => db.collection(coll).createIndex(i.key, { unique: i.unique ?? false })),
      ),
    ).then(() => undefined);
    await this.indexed.catch((e) => {
      this.indexed = undefined;
      throw e;
    });
    return db;
  }

  async upsertMany(collection: DocumentCollection, docs: OutboxDocument[]): Promise<void> {
    if (!docs.length) return;
    const db = await this.db();
    await db.collection(collection).bulkWrite(
      docs.map((doc) => ({
        replaceOne: { filter: { _id: doc.id } as unknown as Filter<Document>, replacement: { ...doc, _id: doc.id }, upsert: true },
      })),
      { ordered: false },
    );
  }

  async find(collection: DocumentCollection, query: DocumentQuery): Promise<OutboxDocument[]> {
    const db = await this.db();
    const filter: Record<string, unknown> = { ...(query.where ?? {}) };
    if (query.range) {
      const cond: Record<string, unknown> = {};
      if (query.range.gt !== undefined) cond.$gt = query.range.gt;
      if (query.range.lt !== undefined) cond.$lt = query.range.lt;
      filter[query.range.field] = cond;
    }
    const sort: Sort = Object.fromEntries((query.sort ?? []).map((s) => [s.field, s.direction === 'desc' ? -1 : 1]));
    let cursor = db
      .collection(collection)
      .find(filter as Filter<Document>, { projection: { _id: 0 } })
      .sort(sort);
    if (query.limit) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()) as unknown as OutboxDocument[];
  }

  async ping(): Promise<void> {
    await this.client.db(this.dbName).command({ ping: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}
