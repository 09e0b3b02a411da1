import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Filter, MongoClient, Sort } from 'mongodb';
import { DocumentQuery, DocumentStore, OutboxDocument } from '@kernel';
import { DocumentCollections } from './document-collections';
import { lazyRequire } from '../lazy-require';

const mongodb = lazyRequire<typeof import('mongodb')>('mongodb');

/** A document as MongoDB holds it: ours, with `_id` = our id (so an upsert by id is idempotent). */
interface StoredDocument extends OutboxDocument {
  _id: string;
}

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
    private readonly collections: DocumentCollections,
  ) {
    super();
    // Short selection timeout: when Mongo is down the outbox keeps the documents
    // and requests must not hang on the driver.
    this.client = new (mongodb().MongoClient)(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  }

  /** The registered collections' indexes are created on first use (idempotent). */
  private async collection(name: string): Promise<Collection<StoredDocument>> {
    const db = this.client.db(this.dbName);
    this.indexed ??= Promise.all(
      this.collections
        .all()
        .flatMap((c) => c.indexes.map((i) => db.collection<StoredDocument>(c.name).createIndex(i.key, { unique: i.unique ?? false }))),
    ).then(() => undefined);
    await this.indexed.catch((e: unknown) => {
      this.indexed = undefined;
      throw e;
    });
    return db.collection<StoredDocument>(this.collections.get(name).name);
  }

  async upsertMany(collection: string, docs: OutboxDocument[]): Promise<void> {
    if (!docs.length) return;
    // An upsert takes `_id` from the equality filter, so the replacement is the document as it is.
    const writes: AnyBulkWriteOperation<StoredDocument>[] = docs.map((doc) => ({
      replaceOne: { filter: { _id: doc.id }, replacement: doc, upsert: true },
    }));
    await (await this.collection(collection)).bulkWrite(writes, { ordered: false });
  }

  async find(collection: string, query: DocumentQuery): Promise<OutboxDocument[]> {
    const filter: Filter<StoredDocument> = { ...query.where };
    if (query.range) {
      const { field, gt, lt } = query.range;
      filter[field] = { ...(gt !== undefined ? { $gt: gt } : {}), ...(lt !== undefined ? { $lt: lt } : {}) };
    }
    const sort: Sort = Object.fromEntries((query.sort ?? []).map((s) => [s.field, s.direction === 'desc' ? -1 : 1]));
    let cursor = (await this.collection(collection)).find(filter).sort(sort);
    if (query.limit) cursor = cursor.limit(query.limit);
    const found = await cursor.toArray();
    return found.map(({ _id: _mongoId, ...doc }) => doc);
  }

  async ping(): Promise<void> {
    await this.client.db(this.dbName).command({ ping: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}
