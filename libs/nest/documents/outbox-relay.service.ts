import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DocumentSealer, DocumentStore, OutboxDocument } from '@kernel';
import { AppConfig } from '../config/app-config';

const BATCH = 500;
/** The store itself (the relay writes to it); contexts get the read-your-writes wrapper. */
export const RAW_DOCUMENT_STORE = 'RAW_DOCUMENT_STORE';

interface OutboxRow {
  id: string;
  collection: string;
  payload: OutboxDocument;
}

/**
 * Moves committed outbox rows into the document store.
 * 1. In one short transaction under an advisory xact lock: pick pending rows in
 *    order and let the sealer of their collection seal them (the audit context's
 *    hash chain). Sealing is stored back in the row, so a resend is byte-identical.
 * 2. Upsert by id into the store (idempotent), then mark the rows relayed (the
 *    retention job deletes them after OUTBOX_RETENTION_HOURS).
 * A crash between 1 and 2 just means the next flush resends the same documents.
 * Kicked (not awaited) after every outermost commit, so the write path never
 * waits for the document store; readers call `settle()` first (see
 * SettledDocumentStore) to read their own writes; a periodic sweep retries.
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private inFlight?: Promise<void>;
  private again = false;
  private backoffUntil = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private dirty = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(RAW_DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly config: AppConfig,
    @Optional() private readonly sealer?: DocumentSealer,
  ) {}

  startSweep(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.config.outboxSweepMs);
    this.timer.unref();
  }

  /** Called after each outermost commit; the sweep takes over while the store is down. */
  afterCommit(): void {
    this.dirty = true;
    if (Date.now() < this.backoffUntil) return;
    void this.flush().catch(() => undefined);
  }

  /** Waits until what this process committed is in the store (best effort). */
  async settle(): Promise<void> {
    if (this.dirty || this.inFlight) await this.flush().catch(() => undefined);
  }

  /** Single-flight: callers during a flush wait for one more pass that sees their rows. */
  flush(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.again = false;
          this.dirty = false;
          while ((await this.pass()) === BATCH);
        } while (this.again);
        this.backoffUntil = 0;
      } catch (e) {
        this.backoffUntil = Date.now() + Math.min(this.config.outboxSweepMs, 5000);
        this.logger.warn(`document store unavailable, outbox kept for retry: ${(e as Error).message}`);
        throw e;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Rows still waiting (for /readyz and tests). */
  async pending(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
    return row.n;
  }

  private async pass(): Promise<number> {
    const rows = await this.sealBatch();
    if (!rows.length) return 0;
    const byCollection = new Map<string, OutboxDocument[]>();
    for (const r of rows) byCollection.set(r.collection, [...(byCollection.get(r.collection) ?? []), r.payload]);
    for (const [collection, docs] of byCollection) await this.store.upsertMany(collection, docs);
    await this.dataSource.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::text[])', [rows.map((r) => r.id)]);
    return rows.length;
  }

  private sealBatch(): Promise<OutboxRow[]> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('outbox-relay'))`);
      const rows: OutboxRow[] = await em.query(
        'SELECT id, collection, payload FROM outbox WHERE relayed_at IS NULL ORDER BY seq LIMIT $1',
        [BATCH],
      );
      const sealer = this.sealer;
      if (sealer) {
        const mine = rows.filter((r) => r.collection === sealer.collection);
        const sealed = mine.length
          ? await sealer.seal(
              mine.map((r) => r.payload),
              em,
            )
          : [];
        if (sealed.length) {
          const byId = new Map(sealed.map((d) => [d.id, d]));
          for (const r of mine) r.payload = byId.get(r.payload.id) ?? r.payload;
          await em.query(`UPDATE outbox o SET payload = v.doc FROM jsonb_array_elements($1::jsonb) AS v(doc) WHERE o.id = v.doc->>'id'`, [
            JSON.stringify(sealed),
          ]);
        }
      }
      return rows;
    });
  }

  /** Before TypeORM closes: graceful shutdown drains what it can. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }
}
