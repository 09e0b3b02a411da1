import { DomainError } from '@kernel';
import {
  AccessState,
  RefreshTokenRow,
  Session,
  SessionRepository,
  UserRepository,
} from '../../src/contexts/identity/domain/identity.ports';
import { User } from '../../src/contexts/identity/domain/user';

/** In-memory UserRepository: the same conflicts as the table's unique indexes. */
export class InMemoryUsers extends UserRepository {
  readonly rows = new Map<string, User>();
  async findById(id: string) {
    return this.rows.get(id) ?? null;
  }
  async findByEmail(email: string) {
    return [...this.rows.values()].find((u) => u.email === email) ?? null;
  }
  async findByLogin(login: string) {
    const l = login.toLowerCase();
    return [...this.rows.values()].find((u) => u.email === l || u.username?.toLowerCase() === l) ?? null;
  }
  async insert(user: User) {
    if (await this.findByEmail(user.email)) throw DomainError.conflict('email_taken', 'That email is already registered');
    if (user.username && (await this.findByLogin(user.username)))
      throw DomainError.conflict('username_taken', 'That username is already registered');
    this.rows.set(user.id, { ...user });
  }
  async updatePasswordHash(id: string, hash: string) {
    const u = this.rows.get(id);
    if (u) u.passwordHash = hash;
  }
}

interface StoredRefresh {
  id: string;
  sessionId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** In-memory SessionRepository: sessions, rotating refresh tokens, revoked access tokens. */
export class InMemorySessions extends SessionRepository {
  readonly sessions = new Map<string, Session & { revokedAt: Date | null; reason: string | null; lastUsedAt: Date }>();
  readonly refresh = new Map<string, StoredRefresh>();
  readonly revokedJtis = new Map<string, Date>();

  constructor(private readonly users: UserRepository) {
    super();
  }

  async createSession(s: Session) {
    this.sessions.set(s.id, { ...s, revokedAt: null, reason: null, lastUsedAt: s.createdAt });
  }
  async insertRefreshToken(row: { id: string; sessionId: string; tokenHash: string; createdAt: Date; expiresAt: Date }) {
    this.refresh.set(row.id, { ...row, usedAt: null });
  }
  async findRefreshTokenForUpdate(id: string): Promise<RefreshTokenRow | null> {
    const r = this.refresh.get(id);
    const s = r && this.sessions.get(r.sessionId);
    if (!r || !s) return null;
    return {
      id: r.id,
      sessionId: r.sessionId,
      userId: s.userId,
      tokenHash: r.tokenHash,
      expiresAt: r.expiresAt,
      usedAt: r.usedAt,
      sessionRevokedAt: s.revokedAt,
    };
  }
  async markRefreshTokenUsed(id: string, at: Date) {
    const r = this.refresh.get(id);
    if (!r || r.usedAt) return false;
    r.usedAt = at;
    return true;
  }
  async touchSession(id: string, at: Date) {
    const s = this.sessions.get(id);
    if (s) s.lastUsedAt = at;
  }
  async revokeSession(id: string, reason: string, at: Date) {
    const s = this.sessions.get(id);
    if (!s || s.revokedAt) return false;
    Object.assign(s, { revokedAt: at, reason });
    return true;
  }
  async revokeAllSessions(userId: string, reason: string, at: Date) {
    let n = 0;
    for (const s of this.sessions.values()) if (s.userId === userId && (await this.revokeSession(s.id, reason, at))) n++;
    return n;
  }
  async revokeAccessToken(jti: string, _userId: string, expiresAt: Date) {
    this.revokedJtis.set(jti, expiresAt);
  }
  async accessState(userId: string, jti: string, sessionId: string | null): Promise<AccessState | null> {
    const u = await this.users.findById(userId);
    if (!u) return null;
    const s = sessionId ? this.sessions.get(sessionId) : undefined;
    return {
      id: u.id,
      email: u.email,
      role: u.role,
      jtiRevoked: this.revokedJtis.has(jti),
      sessionActive: !!s && !s.revokedAt && s.userId === userId,
    };
  }
  async purgeExpired() {
    return {};
  }
}
