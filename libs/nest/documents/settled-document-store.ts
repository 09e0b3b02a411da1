import { DocumentQuery, DocumentStore, OutboxDocument } from '@kernel';
import { OutboxRelay } from './outbox-relay.service';

/**
 * What contexts inject as DocumentStore: reads first let the relay deliver what
 * this process has committed, so a client reads its own writes.
 */
export class SettledDocumentStore extends DocumentStore {
  constructor(
    private readonly inner: DocumentStore,
    private readonly relay: OutboxRelay,
  ) {
    super();
  }

  get kind() {
    return this.inner.kind;
  }

  upsertMany(collection: string, docs: OutboxDocument[]): Promise<void> {
    return this.inner.upsertMany(collection, docs);
  }

  async find(collection: string, query: DocumentQuery): Promise<OutboxDocument[]> {
    await this.relay.settle();
    return this.inner.find(collection, query);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }
}
