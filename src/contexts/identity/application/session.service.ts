import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditTrail, Clock, DomainError, newId, RequestMeta, SessionActor, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { SessionRepository, UserRepository } from '../domain/identity.ports';
import { User } from '../domain/user';
import { TokenService } from './token.service';

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

const INVALID_REFRESH = () => DomainError.unauthorized('invalid_refresh_token', 'Invalid or expired refresh token');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const REFRESH = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Sessions: a session is one refresh-token family. Refresh tokens are opaque
 * (`<id>.<32 random bytes>`, only their SHA-256 stored) and rotate on each use;
 * presenting a used one again revokes the whole family (RFC 6819 5.2.2.3).
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Call inside the login's unit of work. */
  async start(user: User, meta: RequestMeta): Promise<IssuedTokens> {
    const sessionId = newId();
    await this.sessions.createSession({
      id: sessionId,
      userId: user.id,
      createdAt: this.clock.now(),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
    });
    return this.issue(user, sessionId);
  }

  async refresh(presented: string, meta: RequestMeta): Promise<{ user: User; tokens: IssuedTokens }> {
    const m = REFRESH.exec(presented.trim());
    if (!m) throw INVALID_REFRESH();
    const [, id, secret] = m;
    const outcome = await this.revoking(async () => {
      const row = await this.sessions.findRefreshTokenForUpdate(id);
      if (!row || !safeEqual(row.tokenHash, sha256(secret))) return { kind: 'invalid' as const };
      if (row.sessionRevokedAt) return { kind: 'invalid' as const, userId: row.userId };
      if (row.usedAt) {
        // Reuse of a rotated token: someone else holds this family. End it.
        await this.sessions.revokeSession(row.sessionId, 'refresh_reuse', this.clock.now());
        await this.audit.record(
          { eventType: 'auth.refresh.reuse_detected', outcome: 'denied', userId: row.userId, payload: { session_id: row.sessionId } },
          meta,
        );
        return { kind: 'reuse' as const };
      }
      if (row.expiresAt.getTime() <= this.clock.now().getTime()) return { kind: 'invalid' as const, userId: row.userId };
      const user = await this.users.findById(row.userId);
      if (!user || !(await this.sessions.markRefreshTokenUsed(row.id, this.clock.now()))) return { kind: 'invalid' as const };
      await this.sessions.touchSession(row.sessionId, this.clock.now());
      const tokens = await this.issue(user, row.sessionId);
      await this.audit.record(
        { eventType: 'auth.refresh', outcome: 'success', userId: user.id, payload: { session_id: row.sessionId } },
        meta,
      );
      return { kind: 'ok' as const, user, tokens };
    });
    if (outcome.kind !== 'ok') {
      if (outcome.kind === 'invalid') {
        await this.audit.record(
          { eventType: 'auth.refresh', outcome: 'denied', userId: outcome.userId ?? null, payload: { reason: 'invalid_refresh_token' } },
          meta,
        );
      }
      throw INVALID_REFRESH();
    }
    return { user: outcome.user, tokens: outcome.tokens };
  }

  /** Revokes this access token and its session (so its refresh token too). */
  async logout(caller: SessionActor, meta: RequestMeta): Promise<void> {
    await this.revoking(async () => {
      await this.revokeAccess(caller);
      if (caller.sid) await this.sessions.revokeSession(caller.sid, 'logout', this.clock.now());
      await this.audit.record(
        { eventType: 'auth.logout', outcome: 'success', userId: caller.id, payload: { session_id: caller.sid ?? null } },
        meta,
      );
    });
  }

  /** Ends every session of the user (every access and refresh token). */
  async revokeAll(caller: SessionActor, meta: RequestMeta): Promise<number> {
    return this.revoking(async () => {
      await this.revokeAccess(caller);
      const n = await this.sessions.revokeAllSessions(caller.id, 'revoke_all', this.clock.now());
      await this.audit.record({ eventType: 'auth.revoke_all', outcome: 'success', userId: caller.id, payload: { sessions: n } }, meta);
      return n;
    });
  }

  /** A revocation answers only once every instance's token check sees it (revocation stays immediate). */
  private async revoking<T>(work: () => Promise<T>): Promise<T> {
    const result = await this.uow.run(work);
    await this.sessions.revocationsDelivered();
    return result;
  }

  private async revokeAccess(caller: SessionActor): Promise<void> {
    const exp = caller.exp ? new Date(caller.exp * 1000) : new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000);
    await this.sessions.revokeAccessToken(caller.jti, caller.id, exp);
  }

  private async issue(user: User, sessionId: string): Promise<IssuedTokens> {
    const access = this.tokens.issueAccessToken(user, sessionId);
    const id = newId();
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.sessions.insertRefreshToken({
      id,
      sessionId,
      tokenHash: sha256(secret),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
    });
    return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: `${id}.${secret}` };
  }
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
