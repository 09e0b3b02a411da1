import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import {
  AccessState,
  FailureScope,
  LoginFailureStore,
  RefreshTokenRow,
  Session,
  SessionRepository,
  TwoFactorStateRepository,
} from '../../domain/identity.ports';

/** UPDATE ... RETURNING through the query runner comes back as [rows, count]. */
const affected = (res: unknown): number =>
  Array.isArray(res) && typeof res[1] === 'number' ? res[1] : Array.isArray(res) ? res.length : 0;

@Injectable()
export class TypeormSessionRepository extends SessionRepository {
  constructor(protected readonly txHost: TransactionHost) {
    super();
  }
  private q(sql: string, params: unknown[]) {
    return this.txHost.tx.query(sql, params);
  }

  async createSession(s: Session): Promise<void> {
    await this.q('INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5)', [
      s.id,
      s.userId,
      s.createdAt,
      s.ip,
      s.userAgent,
    ]);
  }

  async insertRefreshToken(r: { id: string; sessionId: string; tokenHash: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.q('INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      r.id,
      r.sessionId,
      r.tokenHash,
      r.createdAt,
      r.expiresAt,
    ]);
  }

  async findRefreshTokenForUpdate(id: string): Promise<RefreshTokenRow | null> {
    const rows = await this.q(
      `SELECT t.id, t.session_id, t.token_hash, t.expires_at, t.used_at, s.user_id, s.revoked_at
         FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id
        WHERE t.id = $1 FOR UPDATE OF t, s`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          sessionId: r.session_id,
          userId: r.user_id,
          tokenHash: r.token_hash,
          expiresAt: new Date(r.expires_at),
          usedAt: r.used_at ? new Date(r.used_at) : null,
          sessionRevokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
        }
      : null;
  }

  async markRefreshTokenUsed(id: string, at: Date): Promise<boolean> {
    return affected(await this.q('UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id', [id, at])) === 1;
  }

  async touchSession(id: string, at: Date): Promise<void> {
    await this.q('UPDATE auth_sessions SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async revokeSession(id: string, reason: string, at: Date): Promise<boolean> {
    return (
      affected(
        await this.q('UPDATE auth_sessions SET revoked_at = $3, revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [
          id,
          reason,
          at,
        ]),
      ) === 1
    );
  }

  async revokeAllSessions(userId: string, reason: string, at: Date): Promise<number> {
    return affected(
      await this.q('UPDATE auth_sessions SET revoked_at = $3, revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id', [
        userId,
        reason,
        at,
      ]),
    );
  }

  async revokeAccessToken(jti: string, userId: string, expiresAt: Date): Promise<void> {
    await this.q('INSERT INTO revoked_access_tokens (jti, user_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING', [
      jti,
      userId,
      expiresAt,
    ]);
    // Housekeeping: an expired token is refused by its exp anyway.
    await this.q('DELETE FROM revoked_access_tokens WHERE expires_at < $1', [new Date(Date.now() - 60_000)]);
  }

  async purgeExpired(now: Date, idleBefore: Date, failuresBefore: Date, knownClientsBefore: Date): Promise<Record<string, number>> {
    const count = async (sql: string, params: unknown[]) =>
      Number((await this.q(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, params))[0].n);
    return {
      refresh_tokens: await count('DELETE FROM refresh_tokens WHERE expires_at < $1', [now]),
      sessions: await count('DELETE FROM auth_sessions WHERE last_used_at < $1', [idleBefore]),
      revoked_access_tokens: await count('DELETE FROM revoked_access_tokens WHERE expires_at < $1', [now]),
      login_failures: await count('DELETE FROM login_failures WHERE at < $1', [failuresBefore]),
      login_known_clients: await count('DELETE FROM login_known_clients WHERE last_success_at < $1', [knownClientsBefore]),
    };
  }

  async accessState(userId: string, jti: string, sessionId: string | null): Promise<AccessState | null> {
    const rows = await this.txHost.queryPrepared<{
      id: string;
      email: string;
      role: AccessState['role'];
      jti_revoked: boolean;
      session_active: boolean;
    }>(
      'identity_access_state',
      `SELECT u.id, u.email, u.role,
              EXISTS (SELECT 1 FROM revoked_access_tokens r WHERE r.jti = $2) AS jti_revoked,
              EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = $3::uuid AND s.revoked_at IS NULL) AS session_active
         FROM users u WHERE u.id = $1`,
      [userId, jti, sessionId],
    );
    const r = rows[0];
    return r ? { id: r.id, email: r.email, role: r.role, jtiRevoked: r.jti_revoked, sessionActive: r.session_active } : null;
  }
}

@Injectable()
export class TypeormLoginFailureStore extends LoginFailureStore {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async window(scope: FailureScope, key: string, since: Date): Promise<{ count: number; newest: Date | null }> {
    const [r] = await this.txHost.tx.query(
      'SELECT count(*)::int AS n, max(at) AS newest FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3',
      [scope, key, since],
    );
    return { count: r.n, newest: r.newest ? new Date(r.newest) : null };
  }

  async isKnownClient(userId: string, ip: string, since: Date): Promise<boolean> {
    const rows = await this.txHost.tx.query('SELECT 1 FROM login_known_clients WHERE user_id = $1 AND ip = $2 AND last_success_at > $3', [
      userId,
      ip.slice(0, 64),
      since,
    ]);
    return rows.length > 0;
  }

  async rememberClient(userId: string, ip: string, at: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO login_known_clients (user_id, ip, last_success_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, ip) DO UPDATE SET last_success_at = GREATEST(login_known_clients.last_success_at, EXCLUDED.last_success_at)`,
      [userId, ip.slice(0, 64), at],
    );
  }

  async record(scope: FailureScope, key: string, at: Date, purgeBefore: Date): Promise<void> {
    await this.txHost.tx.query('DELETE FROM login_failures WHERE scope = $1 AND key = $2 AND at <= $3', [scope, key, purgeBefore]);
    await this.txHost.tx.query('INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3)', [scope, key, at]);
  }

  async clear(scope: FailureScope, key: string): Promise<void> {
    await this.txHost.tx.query('DELETE FROM login_failures WHERE scope = $1 AND key = $2', [scope, key]);
  }
}

@Injectable()
export class TypeormTwoFactorStateRepository extends TwoFactorStateRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async setEnabled(userId: string, enabled: boolean, at: Date): Promise<void> {
    await this.txHost.tx.query(
      enabled
        ? 'UPDATE users SET totp_enabled = true, totp_required = false, totp_enabled_at = $2, updated_at = $2 WHERE id = $1'
        : 'UPDATE users SET totp_enabled = false, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $2 WHERE id = $1',
      [userId, at],
    );
  }

  async setRequired(userId: string, at: Date): Promise<void> {
    await this.txHost.tx.query('UPDATE users SET totp_required = true, updated_at = $2 WHERE id = $1', [userId, at]);
  }

  async consumeStep(userId: string, step: number): Promise<boolean> {
    const res = await this.txHost.tx.query(
      'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id',
      [userId, step],
    );
    return affected(res) === 1;
  }
}
