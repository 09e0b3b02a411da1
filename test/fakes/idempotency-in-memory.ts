import { DataSource } from 'typeorm';

interface KeyRow {
  owner: string;
  key: string;
  requestHash: string;
  state: 'in_progress' | 'completed';
  leaseExpired: boolean;
  statusCode: number | null;
  response: unknown;
}

/**
 * The `idempotency_keys` table in memory, behind the statements the interceptor sends (matched by
 * shape; anything else is refused). Leases and the TTL are flags a spec sets (`leaseExpired`).
 */
export class InMemoryIdempotencyKeys {
  readonly rows = new Map<string, KeyRow>();
  private id = (owner: unknown, key: unknown) => `${String(owner)}\u0000${String(key)}`;

  async query(sql: string, params: unknown[] = []): Promise<any[]> {
    const s = sql.replace(/\s+/g, ' ').trim();
    const [owner, key] = params;
    const row = this.rows.get(this.id(owner, key));
    if (s.startsWith('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2')) {
      this.rows.delete(this.id(owner, key));
      return [];
    }
    if (s.startsWith('INSERT INTO idempotency_keys (owner, key, request_hash, state, lease_until)')) {
      const hash = params[2] as string;
      if (!row) {
        this.rows.set(this.id(owner, key), {
          owner: String(owner),
          key: String(key),
          requestHash: hash,
          state: 'in_progress',
          leaseExpired: false,
          statusCode: null,
          response: null,
        });
        return [{ key }];
      }
      if (row.state === 'in_progress' && row.requestHash === hash && row.leaseExpired) {
        row.leaseExpired = false;
        return [{ key }];
      }
      return [];
    }
    if (s.startsWith("UPDATE idempotency_keys SET state = 'completed'")) {
      if (row) Object.assign(row, { state: 'completed', statusCode: params[2], response: JSON.parse(params[3] as string) });
      return [];
    }
    if (s.startsWith('SELECT request_hash, state, status_code, response FROM idempotency_keys')) {
      return row ? [{ request_hash: row.requestHash, state: row.state, status_code: row.statusCode, response: row.response }] : [];
    }
    throw new Error(`InMemoryIdempotencyKeys: unexpected statement ${s.slice(0, 80)}`);
  }

  asDataSource(): DataSource {
    return { query: (sql: string, params?: unknown[]) => this.query(sql, params) } as unknown as DataSource;
  }
}
