import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, DomainEventBus, newId, RequestMeta, SessionActor, UnitOfWork } from '@kernel';
import type { UserRegistered } from '../domain/identity.events';
import { AppConfig } from '@platform/config/app-config';
import { PasswordHasher, SessionRepository, UserRepository } from '../domain/identity.ports';
import { passwordProblems } from '../domain/password-policy';
import { normalizeEmail, notifyDestinationProblem, NotifyChannel, PublicUser, toPublicUser, User } from '../domain/user';
import { AccessTokenClaims, TokenService } from './token.service';
import { SessionService } from './session.service';
import { LoginThrottleService } from './login-throttle.service';
import { INVALID_OTP, TwoFactorService } from './two-factor.service';

export interface RegisterCommand {
  email: string;
  password: string;
  username?: string;
  fullName?: string;
  notifyChannel?: NotifyChannel;
  notifyDestination?: string;
}

export interface LoginCommand {
  login: string; // email or username
  password: string;
  otp?: string;
}

export interface LoginResult {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  user: PublicUser;
}

/** The answer to a password login whose 2FA is mandatory but not enrolled: no access token yet. */
export interface EnrolmentChallenge {
  two_factor_setup_required: true;
  enrolment_token: string;
  expires_in: number;
  secret: string;
  otpauth_url: string;
}

const BAD_CREDENTIALS = 'Incorrect username or password';

@Injectable()
export class AuthService {
  /** Verified against when the login is unknown, so timing does not reveal it. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly sessionStore: SessionRepository,
    private readonly throttle: LoginThrottleService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async register(cmd: RegisterCommand, meta: RequestMeta): Promise<PublicUser> {
    const problems = passwordProblems(cmd.password, this.config.passwordMinLength);
    if (problems.length) {
      throw DomainError.validation([{ field: 'password', messages: problems }], { code: 'weak_password' });
    }
    const destinationProblem = notifyDestinationProblem(cmd.notifyChannel, cmd.notifyDestination);
    if (destinationProblem && cmd.notifyChannel) {
      throw DomainError.invalidField('notify_destination', destinationProblem);
    }
    if (cmd.notifyDestination && !cmd.notifyChannel) {
      throw DomainError.invalidField('notify_channel', 'notify_channel is required with notify_destination', {
        code: 'notify_channel_required',
        summary: 'required with notify_destination',
      });
    }
    const email = normalizeEmail(cmd.email);
    const passwordHash = await this.hasher.hash(cmd.password); // outside the transaction: ~200 ms of CPU
    const user: User = {
      id: newId(),
      email,
      username: cmd.username?.trim() || null,
      passwordHash,
      fullName: cmd.fullName?.trim() || null,
      role: 'user',
      notifyChannel: cmd.notifyChannel ?? (cmd.notifyDestination ? null : 'email'),
      notifyDestination: cmd.notifyDestination ?? (cmd.notifyChannel === 'sms' ? null : email),
      createdAt: this.clock.now(),
    };
    try {
      await this.uow.run(async () => {
        await this.users.insert(user);
        await this.events.publish({ name: 'identity.user_registered', userId: user.id, email } satisfies UserRegistered);
        await this.audit.record({ eventType: 'auth.register', outcome: 'success', userId: user.id, payload: { email } }, meta);
      });
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'conflict') {
        await this.audit.record({ eventType: 'auth.register', outcome: 'failure', payload: { reason: e.code } }, meta);
      }
      throw e;
    }
    return toPublicUser(user);
  }

  /** Checks login + password; the one generic 401 for any bad credential. */
  async verifyCredentials(cmd: LoginCommand, meta: RequestMeta): Promise<User> {
    const user = await this.users.findByLogin(cmd.login);
    const ok = user
      ? await this.hasher.verify(cmd.password, user.passwordHash)
      : await this.hasher.verify(cmd.password, await (this.dummyHash ??= this.hasher.hash(newId())));
    if (!user || !ok) {
      await this.audit.record(
        { eventType: 'auth.login.failed', outcome: 'failure', userId: user?.id ?? null, payload: { reason: 'bad_credentials' } },
        meta,
      );
      throw DomainError.unauthorized('invalid_credentials', BAD_CREDENTIALS);
    }
    return user;
  }

  /**
   * Password, then (when on) TOTP, under per-account and per-IP failure budgets.
   * Every bad credential gets the same 401; a locked account or IP the same 429,
   * whether or not the login exists.
   */
  async login(cmd: LoginCommand, meta: RequestMeta): Promise<LoginResult | EnrolmentChallenge> {
    const user = await this.users.findByLogin(cmd.login);
    const accountKey = user ? `user:${user.id}` : `login:${cmd.login.trim().toLowerCase()}`.slice(0, 254);
    const failed = (reason: string, count: boolean) =>
      this.uow.run(async () => {
        if (count) await this.throttle.recordFailure(accountKey, meta.ip);
        await this.audit.record(
          { eventType: 'auth.login.failed', outcome: 'failure', userId: user?.id ?? null, payload: { reason } },
          meta,
        );
      });
    try {
      await this.throttle.assertAllowed(accountKey, meta.ip, user?.id ?? null);
    } catch (e) {
      await failed('throttled', false);
      throw e;
    }
    const ok = user
      ? await this.hasher.verify(cmd.password, user.passwordHash)
      : await this.hasher.verify(cmd.password, await (this.dummyHash ??= this.hasher.hash(newId())));
    if (!user || !ok) {
      await failed('bad_credentials', true);
      throw DomainError.unauthorized('invalid_credentials', BAD_CREDENTIALS);
    }
    if (user.totpRequired && !user.totpEnabled) {
      const setup = await this.uow.run(async () => {
        await this.throttle.recordSuccess(accountKey, meta.ip, user.id);
        return this.twoFactor.startEnrolment(user, meta);
      });
      const { token, expiresIn } = this.tokens.issueEnrolmentToken(user);
      return { two_factor_setup_required: true, enrolment_token: token, expires_in: expiresIn, ...setup };
    }
    if (user.totpEnabled && !cmd.otp?.trim()) {
      await failed('otp_required', false);
      throw DomainError.unauthorized('otp_required', 'OTP required');
    }
    const tokens = await this.uow.run(async () => {
      if (user.totpEnabled && !(await this.twoFactor.verifyLoginCode(user, cmd.otp!))) return null;
      await this.throttle.recordSuccess(accountKey, meta.ip, user.id);
      const issued = await this.sessions.start(user, meta);
      await this.audit.record(
        { eventType: 'auth.login.success', outcome: 'success', userId: user.id, payload: { two_factor: !!user.totpEnabled } },
        meta,
      );
      return issued;
    });
    if (!tokens) {
      await failed('invalid_otp', true);
      throw INVALID_OTP();
    }
    return this.loginResult(user, tokens);
  }

  /** Confirms the mandatory enrolment with a code from the new secret: 2FA on, then the tokens of a login. */
  async completeEnrolment(enrolmentToken: string, otp: string, meta: RequestMeta): Promise<LoginResult> {
    const userId = this.tokens.verifyEnrolmentToken(enrolmentToken);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw DomainError.unauthorized('invalid_enrolment_token', 'Invalid or expired enrolment token');
    const tokens = await this.uow.run(async () => {
      if (!(await this.twoFactor.activatePending(user.id, otp, meta))) return null;
      const issued = await this.sessions.start(user, meta);
      await this.audit.record(
        { eventType: 'auth.login.success', outcome: 'success', userId: user.id, payload: { two_factor: true } },
        meta,
      );
      return issued;
    });
    if (!tokens) {
      await this.uow.run(async () => {
        await this.throttle.recordFailure(`user:${user.id}`, meta.ip);
        await this.audit.record(
          { eventType: 'auth.2fa.enabled', outcome: 'failure', userId: user.id, payload: { reason: 'invalid_otp' } },
          meta,
        );
      });
      throw INVALID_OTP();
    }
    return this.loginResult({ ...user, totpEnabled: true, totpRequired: false }, tokens);
  }

  async refresh(refreshToken: string, meta: RequestMeta): Promise<LoginResult> {
    const { user, tokens } = await this.sessions.refresh(refreshToken, meta);
    return this.loginResult(user, tokens);
  }

  private loginResult(user: User, tokens: { accessToken: string; expiresIn: number; refreshToken: string }): LoginResult {
    return {
      access_token: tokens.accessToken,
      token_type: 'bearer',
      expires_in: tokens.expiresIn,
      refresh_token: tokens.refreshToken,
      user: toPublicUser(user),
    };
  }

  async me(userId: string): Promise<PublicUser> {
    const user = await this.users.findById(userId);
    if (!user) throw DomainError.notFound('user_not_found', 'User not found');
    return toPublicUser(user);
  }

  /**
   * Called for every bearer token after its signature and claims were checked:
   * one query for the user, a revoked jti (logout) and a revoked session
   * (logout, revoke-all, refresh-token reuse).
   */
  async resolveAccessToken(claims: AccessTokenClaims): Promise<SessionActor> {
    // Every token we issue has exp, jti and a session id: one without them (signed with a leaked or test key,
    // or by an old build) would never expire or could not be revoked with its session, so it is refused.
    if (typeof claims.exp !== 'number' || typeof claims.sid !== 'string' || !claims.sid || typeof claims.jti !== 'string') {
      throw DomainError.unauthorized('invalid_token', 'Invalid or expired token');
    }
    const state = await this.sessionStore.accessState(claims.sub, claims.jti, claims.sid);
    if (!state || state.jtiRevoked || !state.sessionActive) {
      throw DomainError.unauthorized(state ? 'token_revoked' : 'invalid_token', 'Invalid or expired token');
    }
    return { id: state.id, email: state.email, role: state.role, jti: claims.jti, sid: claims.sid, exp: claims.exp };
  }
}
