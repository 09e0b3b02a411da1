import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DocumentQuery, DocumentStore, OutboxDocument } from '@kernel';
import { DocumentCollections } from './document-collections';

const FIELD = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Documents as JSONB rows: one table per registered collection (`doc_<name>`,
 * created by the owning context's migration with expression indexes).
 * jsonb comparison orders numbers numerically and strings lexically, which is
 * what sort/range need (timestamps are ISO-8601 strings).
 */
@Injectable()
export class TypeormDocumentStore extends DocumentStore {
  readonly kind = 'postgres' as const;

  constructor(
    private readonly dataSource: DataSource,
    private readonly collections: DocumentCollections,
  ) {
    super();
  }

  async upsertMany(collection: string, docs: OutboxDocument[]): Promise<void> {
    if (!docs.length) return;
    const table = this.tableOf(collection);
    await this.dataSource.query(
      `INSERT INTO ${table} (id, doc)
       SELECT d->>'id', d FROM jsonb_array_elements($1::jsonb) AS d
       ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`,
      [JSON.stringify(docs)],
    );
  }

  async find(collection: string, query: DocumentQuery): Promise<OutboxDocument[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.where && Object.keys(query.where).length) {
      params.push(JSON.stringify(query.where));
      where.push(`doc @> $${params.length}::jsonb`);
    }
    if (query.range) {
      const f = field(query.range.field);
      if (query.range.gt !== undefined) {
        params.push(JSON.stringify(query.range.gt));
        where.push(`doc->'${f}' > $${params.length}::jsonb`);
      }
      if (query.range.lt !== undefined) {
        params.push(JSON.stringify(query.range.lt));
        where.push(`doc->'${f}' < $${params.length}::jsonb`);
      }
    }
    const order = (query.sort ?? []).map((s) => `doc->'${field(s.field)}' ${s.direction === 'desc' ? 'DESC' : 'ASC'}`);
    const sql =
      `SELECT doc FROM ${this.tableOf(collection)}` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      (order.length ? ` ORDER BY ${order.join(', ')}` : '') +
      (query.limit ? ` LIMIT ${Math.max(1, Math.floor(query.limit))}` : '');
    const rows: { doc: OutboxDocument }[] = await this.dataSource.query(sql, params);
    return rows.map((r) => r.doc);
  }

  /** The tables are there (migrated) and readable. */
  async ping(): Promise<void> {
    const tables = this.collections.all().map((c) => this.tableOf(c.name));
    await this.dataSource.query(tables.length ? tables.map((t) => `(SELECT 1 FROM ${t} LIMIT 1)`).join(' UNION ALL ') : 'SELECT 1');
  }

  private tableOf(collection: string): string {
    return `doc_${this.collections.get(collection).name}`;
  }
}

function field(name: string): string {
  if (!FIELD.test(name)) throw new Error(`Invalid document field ${name}`);
  return name;
}
