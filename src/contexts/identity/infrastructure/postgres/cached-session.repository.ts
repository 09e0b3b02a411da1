import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { AccessState } from '../../domain/identity.ports';
import { TypeormSessionRepository } from './typeorm-session.repository';

const CHANNEL = 'auth_revocation';
const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

/** The listener connections' application_name: how a revoking instance counts the listeners that must answer. */
const LISTENER_NAME = 'fintech-token-cache';
const ACK_WAIT_MS = 2000;

type Revocation = { k: 'jti' | 'sid' | 'user' | 'echo' | 'ack'; id: string };
interface Entry {
  state: AccessState;
  userId: string;
  jti: string;
  sid: string | null;
  until: number;
}

/**
 * The per-request token check without a query: an access state that allowed a request
 * is kept for up to 30 s, and every revocation (logout, revoke-all, refresh-token reuse)
 * sends NOTIFY auth_revocation inside its own transaction, so every instance drops the
 * entries it covers as the revocation commits. Safety rules:
 * - entries are only served while this instance's LISTEN connection is up; when it drops,
 *   the cache is emptied and every check goes to the database until LISTEN is back;
 * - an answer read while a revocation arrived is not kept (the epoch moved);
 * - a revoking request answers only after every instance's listener has handled it
 *   (`revocationsDelivered`): it sends an echo after its commit, every listener answers the
 *   echo with an ack once it has handled what came before it (PostgreSQL delivers a channel's
 *   notifications in commit order), and the request waits for as many acks as there are
 *   listener connections (pg_stat_activity, by application_name), at most 2 s. Its own
 *   echo coming back was not enough: another instance's listener (a separate PostgreSQL
 *   backend, then a separate event loop) can be later, and on a loaded machine one was: B
 *   still served the logged-out token once.
 * Without LISTEN support (the embedded PGlite) there is no cache at all.
 */
@Injectable()
export class CachedSessionRepository extends TypeormSessionRepository implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TokenCache');
  private readonly entries = new Map<string, Entry>();
  /** echo id -> the acks still awaited for it, and what to call when none are. */
  private readonly echoes = new Map<string, { awaited: number; done: () => void }>();
  private listener?: Client;
  private live = false;
  private epoch = 0;
  private closing = false;
  private retry?: NodeJS.Timeout;

  constructor(
    txHost: TransactionHost,
    private readonly dataSource: DataSource,
  ) {
    super(txHost);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retry);
    this.down();
    await this.listener?.end().catch(() => undefined);
  }

  override async accessState(userId: string, jti: string, sessionId: string | null): Promise<AccessState | null> {
    const key = `${userId}|${jti}|${sessionId ?? ''}`;
    if (this.live) {
      const hit = this.entries.get(key);
      if (hit && hit.until > Date.now()) return hit.state;
    }
    const epoch = this.epoch;
    const state = await super.accessState(userId, jti, sessionId);
    // Only answers that let a request through are kept; a refusal costs its query each time.
    if (this.live && epoch === this.epoch && state && !state.jtiRevoked && state.sessionActive) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { state, userId, jti, sid: sessionId, until: Date.now() + TTL_MS });
    }
    return state;
  }

  override async revokeSession(id: string, reason: string, at: Date): Promise<boolean> {
    const changed = await super.revokeSession(id, reason, at);
    await this.notify({ k: 'sid', id });
    return changed;
  }

  override async revokeAllSessions(userId: string, reason: string, at: Date): Promise<number> {
    const n = await super.revokeAllSessions(userId, reason, at);
    await this.notify({ k: 'user', id: userId });
    return n;
  }

  override async revokeAccessToken(jti: string, userId: string, expiresAt: Date): Promise<void> {
    await super.revokeAccessToken(jti, userId, expiresAt);
    await this.notify({ k: 'jti', id: jti });
  }

  /**
   * Resolves once every listener connection has acked an echo sent after the caller's commit
   * (or after 2 s): PostgreSQL delivers a channel's notifications in commit order to every
   * listener, so an ack means that listener has handled the caller's revocation.
   */
  override async revocationsDelivered(): Promise<void> {
    if (!this.live) return; // no listener here to hear the acks; the other instances' caches follow their own listeners
    const id = randomUUID();
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [LISTENER_NAME],
    );
    const acked = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ACK_WAIT_MS);
      this.echoes.set(id, { awaited: Math.max(n, 1), done: () => (clearTimeout(timer), resolve()) });
    });
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ k: 'echo', id } satisfies Revocation)]);
    await acked;
    this.echoes.delete(id);
  }

  /** In the caller's transaction: delivered when it commits, dropped when it rolls back. */
  private async notify(r: Revocation): Promise<void> {
    await this.txHost.tx.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(r)]);
  }

  private onRevocation(payload: string | undefined): void {
    let r: Revocation;
    try {
      r = JSON.parse(payload ?? '');
    } catch {
      return this.entries.clear();
    }
    if (r.k === 'echo') return this.ack(r.id);
    if (r.k === 'ack') {
      const waiting = this.echoes.get(r.id);
      if (waiting && --waiting.awaited <= 0) waiting.done();
      return;
    }
    this.epoch++;
    for (const [key, e] of this.entries) {
      if ((r.k === 'jti' && e.jti === r.id) || (r.k === 'sid' && e.sid === r.id) || (r.k === 'user' && e.userId === r.id)) {
        this.entries.delete(key);
      }
    }
  }

  /** Everything notified before this echo has been handled here (it arrived in commit order): say so. */
  private ack(id: string): void {
    void this.dataSource
      .query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ k: 'ack', id } satisfies Revocation)])
      .catch(() => undefined); // the revoker stops waiting at its deadline
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url || this.closing) return;
    const client = new Client({ connectionString: url, application_name: LISTENER_NAME });
    try {
      await client.connect();
      if (/PGlite/.test((await client.query('SELECT version() AS v')).rows[0].v)) {
        await client.end();
        return; // one shared session: LISTEN cannot be trusted there, so no cache
      }
      client.on('notification', (m) => m.channel === CHANNEL && this.onRevocation(m.payload));
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      this.epoch++;
      this.live = true;
    } catch (e) {
      await client.end().catch(() => undefined);
      this.logger.warn(`token cache off until LISTEN works: ${(e as Error).message}`);
      this.scheduleReconnect();
    }
  }

  private lost(client: Client): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.down();
    this.scheduleReconnect();
  }

  private down(): void {
    this.live = false;
    this.epoch++;
    this.entries.clear();
    for (const waiting of this.echoes.values()) waiting.done();
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    this.retry = setTimeout(() => void this.connect(), 1000);
    this.retry.unref();
  }
}
