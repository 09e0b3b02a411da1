import { DocumentCollection } from '@kernel';

const NAME = /^[a-z][a-z0-9_]{0,59}$/;

/**
 * The document-store collections, each registered at boot by the context that owns it (its module's
 * constructor): the adapters learn names and indexes here instead of from a list in the kernel.
 */
export class DocumentCollections {
  private readonly byName = new Map<string, DocumentCollection>();

  constructor(collections: readonly DocumentCollection[] = []) {
    for (const c of collections) this.register(c);
  }

  register(collection: DocumentCollection): void {
    if (!NAME.test(collection.name)) throw new Error(`Invalid collection name ${collection.name}`);
    this.byName.set(collection.name, collection);
  }

  all(): DocumentCollection[] {
    return [...this.byName.values()];
  }

  /** The registered collection of that name; anything else is refused (the Postgres adapter builds a table name from it). */
  get(name: string): DocumentCollection {
    const c = this.byName.get(name);
    if (!c) throw new Error(`Unknown collection ${name}`);
    return c;
  }
}
