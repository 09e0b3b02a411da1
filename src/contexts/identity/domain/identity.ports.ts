import { User } from './user';

export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByEmail(email: string): Promise<User | null>;
  /** `login` is an email or a username. */
  abstract findByLogin(login: string): Promise<User | null>;
  /** Throws DomainError conflict when the email or username is taken. */
  abstract insert(user: User): Promise<void>;
  abstract updatePasswordHash(id: string, hash: string): Promise<void>;
}

/** bcrypt in production; run off the event loop. */
export abstract class PasswordHasher {
  abstract hash(plain: string): Promise<string>;
  abstract verify(plain: string, hash: string): Promise<boolean>;
}

export interface Session {
  id: string; // the refresh-token family; access tokens carry it as `sid`
  userId: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  sessionRevokedAt: Date | null;
}

/** What one bearer token resolves to, in one round trip. */
export interface AccessState {
  id: string;
  email: string;
  role: User['role'];
  jtiRevoked: boolean;
  sessionActive: boolean;
}

export abstract class SessionRepository {
  abstract createSession(session: Session): Promise<void>;
  abstract insertRefreshToken(row: { id: string; sessionId: string; tokenHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Locked FOR UPDATE: two refreshes with one token are serialised. */
  abstract findRefreshTokenForUpdate(id: string): Promise<RefreshTokenRow | null>;
  abstract markRefreshTokenUsed(id: string, at: Date): Promise<boolean>;
  abstract touchSession(id: string, at: Date): Promise<void>;
  abstract revokeSession(id: string, reason: string, at: Date): Promise<boolean>;
  abstract revokeAllSessions(userId: string, reason: string, at: Date): Promise<number>;
  abstract revokeAccessToken(jti: string, userId: string, expiresAt: Date): Promise<void>;
  abstract accessState(userId: string, jti: string, sessionId: string | null): Promise<AccessState | null>;
  /** Resolves once revocations committed so far are visible to every instance's token check (no cache: at once). */
  revocationsDelivered(): Promise<void> {
    return Promise.resolve();
  }
  /**
   * Retention: refresh tokens past their expiry, sessions unused since `idleBefore`
   * (no refresh token of theirs can still be valid), revoked access tokens past
   * their exp and login failures older than `failuresBefore`. Counts per kind.
   */
  abstract purgeExpired(now: Date, idleBefore: Date, failuresBefore: Date, knownClientsBefore: Date): Promise<Record<string, number>>;
}

/** account: every address; ip: every account from one address; client: one account from one address. */
export type FailureScope = 'account' | 'ip' | 'client';

/** Failed logins in a sliding window, shared by every API instance. */
export abstract class LoginFailureStore {
  /** Count and newest failure since `since`. */
  abstract window(scope: FailureScope, key: string, since: Date): Promise<{ count: number; newest: Date | null }>;
  abstract record(scope: FailureScope, key: string, at: Date, purgeBefore: Date): Promise<void>;
  abstract clear(scope: FailureScope, key: string): Promise<void>;
  /** Whether the user logged in successfully from `ip` since `since`. */
  abstract isKnownClient(userId: string, ip: string, since: Date): Promise<boolean>;
  abstract rememberClient(userId: string, ip: string, at: Date): Promise<void>;
}

export abstract class TwoFactorStateRepository {
  abstract setEnabled(userId: string, enabled: boolean, at: Date): Promise<void>;
  /** 2FA stays mandatory (admin reset): login asks for a new enrolment. */
  abstract setRequired(userId: string, at: Date): Promise<void>;
  /** Accept a TOTP time step once: true only if it is newer than the last one used. */
  abstract consumeStep(userId: string, step: number): Promise<boolean>;
}
