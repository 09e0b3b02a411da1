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

@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<EntityManager>();
  /** Callbacks to run once the transaction they were registered in has committed. */
  private readonly committed = new WeakMap<EntityManager, (() => void)[]>();

  private readonly clientIds = new WeakMap<object, number>();
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

  /** Runs `fn` after the current transaction commits (never if it rolls back); at once outside a transaction. */
  afterCommit(fn: () => void): void {
    const manager = this.current.getStore();
    if (!manager) return fn();
    this.committed.set(manager, [...(this.committed.get(manager) ?? []), fn]);
  }

  /** Runs `work` in a new transaction (committed when it resolves, rolled back when it throws). */
  async withTransaction<T>(work: () => Promise<T>): Promise<T> {
    let used: EntityManager | undefined;
    const result = await this.dataSource.transaction((manager) => {
      used = manager;
      return this.current.run(manager, work);
    });
    for (const fn of (used && this.committed.get(used)) ?? []) fn();
    return result;
  }
}
