import { DocumentQuery, DocumentSealer, DocumentStore, OutboxDocument, SqlRunner } from '@kernel';
import { DataSource } from 'typeorm';

interface Row {
  seq: number;
  id: string;
  collection: string;
  payload: OutboxDocument;
  relayed: boolean;
}

/**
 * The `outbox` table in memory, behind the few statements the relay sends (matched by their
 * shape; anything else is refused so a new statement shows up here). A transaction that
 * throws leaves the rows as they were.
 */
export class InMemoryOutboxTable implements SqlRunner {
  rows: Row[] = [];
  private seq = 0;

  add(collection: string, doc: OutboxDocument): void {
    this.rows.push({ seq: ++this.seq, id: doc.id, collection, payload: structuredClone(doc), relayed: false });
  }

  async query(sql: string, params: unknown[] = []): Promise<any[]> {
    const s = sql.replace(/\s+/g, ' ').trim();
    if (s.startsWith('SELECT pg_advisory_xact_lock')) return [];
    if (s.startsWith('SELECT id, collection, payload FROM outbox WHERE relayed_at IS NULL ORDER BY seq LIMIT $1')) {
      return this.pendingRows()
        .slice(0, Number(params[0]))
        .map((r) => ({ id: r.id, collection: r.collection, payload: structuredClone(r.payload) }));
    }
    if (s.startsWith('UPDATE outbox o SET payload = v.doc FROM jsonb_array_elements($1::jsonb)')) {
      for (const doc of JSON.parse(params[0] as string) as OutboxDocument[]) {
        const r = this.rows.find((x) => x.id === doc.id);
        if (r) r.payload = doc;
      }
      return [];
    }
    if (s.startsWith('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::text[])')) {
      for (const r of this.rows) if ((params[0] as string[]).includes(r.id)) r.relayed = true;
      return [];
    }
    if (s.startsWith('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL')) return [{ n: this.pendingRows().length }];
    throw new Error(`InMemoryOutboxTable: unexpected statement ${s.slice(0, 80)}`);
  }

  pendingRows(): Row[] {
    return this.rows.filter((r) => !r.relayed).sort((a, b) => a.seq - b.seq);
  }

  /** The DataSource surface the relay uses: query, and transaction(em => ...) with rollback on throw. */
  asDataSource(): DataSource {
    const ds = {
      query: (sql: string, params?: unknown[]) => this.query(sql, params),
      transaction: async <T>(work: (em: SqlRunner) => Promise<T>): Promise<T> => {
        const before = structuredClone(this.rows);
        try {
          return await work(this);
        } catch (e) {
          this.rows = before;
          throw e;
        }
      },
    };
    return ds as unknown as DataSource;
  }
}

/** A document store that keeps what it is sent (upsert by id) and can be taken down. */
export class RecordingDocumentStore extends DocumentStore {
  readonly kind = 'postgres' as const;
  readonly docs = new Map<string, Map<string, OutboxDocument>>();
  readonly batches: { collection: string; ids: string[] }[] = [];
  down = false;
  /** When set, each upsert waits for it (a spec holds a flush in flight). */
  gate?: Promise<void>;

  async upsertMany(collection: string, docs: OutboxDocument[]) {
    if (this.gate) await this.gate;
    if (this.down) throw new Error('document store down');
    this.batches.push({ collection, ids: docs.map((d) => d.id) });
    const c = this.docs.get(collection) ?? new Map<string, OutboxDocument>();
    for (const d of docs) c.set(d.id, structuredClone(d));
    this.docs.set(collection, c);
  }
  async find(collection: string, _query: DocumentQuery) {
    return [...(this.docs.get(collection)?.values() ?? [])];
  }
  async ping() {
    if (this.down) throw new Error('document store down');
  }
}

/** Seals one collection by numbering its documents; already sealed ones are left out. */
export class NumberingSealer extends DocumentSealer {
  private next = 1;
  calls = 0;
  constructor(readonly collection: string) {
    super();
  }
  async seal(docs: OutboxDocument[]) {
    this.calls++;
    return docs.filter((d) => d.chain_seq === undefined).map((d) => ({ ...d, chain_seq: this.next++ }));
  }
}
