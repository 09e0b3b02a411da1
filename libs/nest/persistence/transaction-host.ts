import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The current transaction, carried by AsyncLocalStorage: repositories read
 * `txHost.tx` and get the open transaction's EntityManager, or the plain one
 * outside a transaction. (We used nestjs-cls for this; it mounts a global
 * interceptor and guard on every route, which cost ~15% of a request's CPU.)
 */
interface PgPool<R> {
  connect(): Promise<{ query(q: object): Promise<{ rows: R[] }>; release(): void }>;
}

interface PendingWrite {
  sql: string;
  params: unknown[];
  mapError?: (e: unknown) => unknown;
  /** A conditional UPDATE that must change a row (no RETURNING of its own). */
  guard?: boolean;
}

/** The writes of one open `batch()` or `once()`; closed once it has been sent. */
interface Batch {
  writes: PendingWrite[];
  open: boolean;
  /** `once()`: no transaction; the writes are one autocommit statement, these run after it. */
  committed?: (() => void)[];
}

/** How many distinct `once()` statement texts get a prepared statement's name (each connection keeps its plans). */
const MAX_NAMED_TEXTS = 64;

/** SQLSTATE raised by `uow_guard()` (migration 1700000170000) when a guarded write changed no row. */
const GUARD_FAILED = 'UW001';
const isGuardFailure = (e: unknown): boolean => (e as { code?: string } | null)?.code === GUARD_FAILED;
/** Deadlock, serialization failure: the statement wrote nothing and the locking path may simply run. */
const isRetryable = (e: unknown): boolean => ['40P01', '40001'].includes((e as { code?: string } | null)?.code ?? '');

@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<EntityManager>();
  private readonly batches = new AsyncLocalStorage<Batch>();
  /** Callbacks to run once the transaction they were registered in has committed. */
  private readonly committed = new WeakMap<EntityManager, (() => void)[]>();

  private readonly clientIds = new WeakMap<object, number>();
  private readonly namedTexts = new Map<string, string>();
  private nextClientId = 0;

  constructor(private readonly dataSource: DataSource) {}

  get tx(): EntityManager {
    return this.active() ?? this.dataSource.manager;
  }

  isTransactionActive(): boolean {
    return this.active() !== undefined;
  }

  /** Background work started inside a transaction (a notification...) outlives it: after commit it gets the plain manager. */
  private active(): EntityManager | undefined {
    const m = this.current.getStore();
    return m && !m.queryRunner?.isReleased ? m : undefined;
  }

  /**
   * For hot read paths (every authenticated request): a named prepared
   * statement, parsed and planned once per pooled connection instead of on
   * every call (names are unique per pooled client). Inside a transaction it is a
   * plain query.
   */
  async queryPrepared<R>(name: string, text: string, values: unknown[]): Promise<R[]> {
    if (this.isTransactionActive()) return this.tx.query(text, values);
    const pool = (this.dataSource.driver as unknown as { master: PgPool<R> }).master;
    const client = await pool.connect();
    try {
      let id = this.clientIds.get(client);
      if (id === undefined) this.clientIds.set(client, (id = ++this.nextClientId));
      return (await client.query({ name: `${name}_${id}`, text, values })).rows;
    } finally {
      client.release();
    }
  }

  /**
   * A name for `once()`'s statement text, so that PostgreSQL parses and plans each of the app's few shapes of
   * it once per connection (measured on a loan payment's write: parse + bind were 0.42 of its 0.8 ms in the
   * server). Texts differ only by shape (the values are parameters), but a shape can vary (a payment's rows
   * per instalment), so only the first MAX_NAMED_TEXTS texts get names, for the process's life; the rest are
   * sent unnamed, as before.
   */
  private nameFor(text: string): string | undefined {
    let name = this.namedTexts.get(text);
    if (name === undefined && this.namedTexts.size < MAX_NAMED_TEXTS) this.namedTexts.set(text, (name = `uow_${this.namedTexts.size}`));
    return name;
  }

  /**
   * A write whose result nobody reads (an INSERT, UPDATE or DELETE with `$n` placeholders, no RETURNING).
   * Inside `batch()` it is held and sent with the batch's other writes as ONE statement when the batch
   * ends (its error, mapped by `mapError`, surfaces there); anywhere else it runs at once.
   */
  async write(sql: string, params: unknown[], mapError?: (e: unknown) => unknown): Promise<void> {
    if (this.hold({ sql, params, mapError })) return;
    try {
      await this.tx.query(sql, params);
    } catch (e) {
      throw mapError?.(e) ?? e;
    }
  }

  /**
   * A guarded write: an `UPDATE ... WHERE <the row is still as it was read>` (no RETURNING) that must change
   * a row. Held like `write()`; when the statement is sent and it changed none, the statement fails
   * (`uow_guard`) and none of its writes happen: `once()` then answers undefined, a transaction rolls back.
   * Anywhere else it runs at once and throws when it changed no row.
   */
  async guard(sql: string, params: unknown[]): Promise<void> {
    if (this.hold({ sql, params, guard: true })) return;
    const rows: unknown = await this.tx.query(`${sql} RETURNING 1`, params);
    if (!(Array.isArray(rows) && Array.isArray(rows[0]) && rows[0].length)) throw new Error('a guarded row changed after it was read');
  }

  /** Inside `once()`: its writes are held for its one statement. */
  isOnceOpen(): boolean {
    return this.batches.getStore()?.committed !== undefined && this.batches.getStore()!.open;
  }

  /** Holds the write for the open batch (in a transaction) or `once()`; false when it must run at once. */
  private hold(w: PendingWrite): boolean {
    const batch = this.batches.getStore();
    if (!batch?.open || !(batch.committed || this.isTransactionActive())) return false;
    batch.writes.push(w);
    return true;
  }

  /**
   * `UnitOfWork.once`: `work` with no transaction, its writes held and sent as ONE autocommit statement
   * (all or nothing), after which the callbacks it registered with `afterCommit` run. Undefined, with
   * nothing written, when `work` answers undefined, a guarded write changed no row, the statement lost a
   * deadlock, or a write's error is one its `mapError` recognises (a refusal the caller's locking path will
   * name); inside a transaction or
   * another `once()` it answers undefined without running `work`.
   */
  async once<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.isTransactionActive() || this.batches.getStore()?.open) return undefined;
    const batch: Batch = { writes: [], open: true, committed: [] };
    let result: T | undefined;
    try {
      result = await this.batches.run(batch, work);
    } finally {
      batch.open = false;
    }
    if (result === undefined) return undefined;
    if (batch.writes.length) {
      const { sql, params } = combineWrites(batch.writes);
      try {
        const name = this.nameFor(sql);
        await (name ? this.queryPrepared(name, sql, params) : this.dataSource.query(sql, params));
      } catch (e) {
        if (isGuardFailure(e) || isRetryable(e) || batch.writes.some((w) => w.mapError?.(e))) return undefined;
        throw e;
      }
    }
    for (const fn of batch.committed!) fn();
    return result;
  }

  /**
   * Runs `work`, holding the writes it makes through `write()`, then sends them as one statement
   * (data-modifying CTEs; rows for the same table in one multi-row INSERT): one round trip instead of
   * one per write. Reads inside `work` run at once, ahead of the held writes, so `work` must not read
   * what it wrote. Outside a transaction, or inside another batch, `work` simply runs.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    if (!this.isTransactionActive() || this.batches.getStore()?.open) return work();
    const batch: Batch = { writes: [], open: true };
    let result: T;
    try {
      result = await this.batches.run(batch, work);
    } finally {
      batch.open = false; // later writes from this context (after-commit work) run at once
    }
    await this.send(batch.writes);
    return result;
  }

  private async send(writes: PendingWrite[]): Promise<void> {
    if (!writes.length) return;
    const { sql, params } = combineWrites(writes);
    try {
      await this.tx.query(sql, params);
    } catch (e) {
      if (isGuardFailure(e)) throw new Error('a guarded row changed after it was read');
      for (const w of writes) {
        const mapped = w.mapError?.(e);
        if (mapped) throw mapped;
      }
      throw e;
    }
  }

  /** Runs `fn` after the current transaction commits (never if it rolls back); at once outside a transaction. */
  afterCommit(fn: () => void): void {
    const once = this.batches.getStore();
    if (once?.open && once.committed) return void once.committed.push(fn);
    const manager = this.current.getStore();
    if (!manager) return fn();
    this.committed.set(manager, [...(this.committed.get(manager) ?? []), fn]);
  }

  /** Runs `work` in a new transaction (committed when it resolves, rolled back when it throws). */
  async withTransaction<T>(work: () => Promise<T>): Promise<T> {
    let used: EntityManager | undefined;
    // exit(): a transaction begun inside `once()` is not part of its statement.
    const result = await this.batches.exit(() =>
      this.dataSource.transaction((manager) => {
        used = manager;
        return this.current.run(manager, work);
      }),
    );
    for (const fn of (used && this.committed.get(used)) ?? []) fn();
    return result;
  }
}

const renumber = (sql: string, offset: number): string => sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);

/** `INSERT INTO t (cols) VALUES (...)` and nothing after the tuple: its head and its tuple. */
function splitInsert(sql: string): { head: string; tuple: string } | null {
  const m = /^(INSERT INTO [^()]+\([^()]*\)\s*VALUES\s*)(\(.*\))$/is.exec(sql.trim());
  if (!m) return null;
  let depth = 0;
  for (let i = 0; i < m[2].length; i++) {
    depth += m[2][i] === '(' ? 1 : m[2][i] === ')' ? -1 : 0;
    if (depth === 0 && i < m[2].length - 1) return null; // e.g. "... VALUES (...) ON CONFLICT (...)"
  }
  return { head: m[1], tuple: m[2] };
}

/**
 * One statement for several writes: rows for the same INSERT head become one multi-row INSERT, in order.
 * Guarded writes return a row each and the statement ends by requiring one from each (`uow_guard`).
 */
export function combineWrites(writes: PendingWrite[]): { sql: string; params: unknown[] } {
  if (writes.length === 1 && !writes[0].guard) return writes[0];
  const statements: { head?: string; parts: string[]; guard?: boolean }[] = [];
  const params: unknown[] = [];
  for (const w of writes) {
    const part = renumber(w.sql, params.length);
    params.push(...w.params);
    if (w.guard) {
      statements.push({ parts: [`${part} RETURNING 1`], guard: true });
      continue;
    }
    const insert = splitInsert(part);
    const same = insert && statements.find((s) => s.head === insert.head);
    if (same) same.parts.push(insert.tuple);
    else statements.push(insert ? { head: insert.head, parts: [insert.tuple] } : { parts: [part] });
  }
  const sqls = statements.map((s) => (s.head ? `${s.head}${s.parts.join(', ')}` : s.parts[0]));
  const guards = statements.flatMap((s, i) => (s.guard ? [`EXISTS (SELECT 1 FROM w${i})`] : []));
  if (sqls.length === 1 && !guards.length) return { sql: sqls[0], params };
  const tail = guards.length ? `SELECT uow_guard(${guards.join(' AND ')})` : 'SELECT 1';
  return { sql: `WITH ${sqls.map((q, i) => `w${i} AS (${q})`).join(', ')} ${tail}`, params };
}
