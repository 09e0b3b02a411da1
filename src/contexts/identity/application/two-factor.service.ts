import { Injectable } from '@nestjs/common';
import * as speakeasy from 'speakeasy';
import { AuditTrail, Clock, DomainError, RequestMeta, UnitOfWork } from '@kernel';
import { SecretVault } from '../../vault';
import { PasswordHasher, TwoFactorStateRepository, UserRepository } from '../domain/identity.ports';
import { normalizeOtp } from '../domain/login-throttle';
import { User } from '../domain/user';

const TOTP = 'totp';
const PENDING = 'totp_pending';
const STEP_SECONDS = 30;
export const INVALID_OTP = () => DomainError.unauthorized('invalid_otp', 'Invalid OTP');

/** TOTP 2FA (RFC 6238, speakeasy). Secrets are sealed by the vault keyring; each code is accepted once. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly vault: SecretVault,
    private readonly state: TwoFactorStateRepository,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async setup(userId: string, meta: RequestMeta): Promise<{ secret: string; otpauth_url: string }> {
    return this.uow.run(async () => {
      const user = await this.userOf(userId);
      if (user.totpEnabled) throw DomainError.conflict('two_factor_enabled', '2FA is already enabled; disable it first');
      const generated = speakeasy.generateSecret({ length: 20, name: `FintechOps (${user.email})`, issuer: 'FintechOps' });
      await this.vault.put(userId, PENDING, generated.base32);
      await this.audit.record({ eventType: 'auth.2fa.setup', outcome: 'success', userId }, meta);
      return { secret: generated.base32, otpauth_url: generated.otpauth_url ?? '' };
    });
  }

  async enable(userId: string, otp: string, meta: RequestMeta): Promise<void> {
    const outcome = await this.uow.run(() => this.activatePending(userId, otp, meta));
    if (!outcome) {
      await this.audit.record({ eventType: 'auth.2fa.enabled', outcome: 'failure', userId, payload: { reason: 'invalid_otp' } }, meta);
      throw INVALID_OTP();
    }
  }

  /**
   * The setup challenge of a password login whose 2FA is mandatory (after an admin reset) but not enrolled:
   * a new pending secret. Joins the caller's transaction.
   */
  async startEnrolment(user: User, meta: RequestMeta): Promise<{ secret: string; otpauth_url: string }> {
    const generated = speakeasy.generateSecret({ length: 20, name: `FintechOps (${user.email})`, issuer: 'FintechOps' });
    await this.vault.put(user.id, PENDING, generated.base32);
    await this.audit.record({ eventType: 'auth.2fa.setup', outcome: 'success', userId: user.id, payload: { mandatory: true } }, meta);
    return { secret: generated.base32, otpauth_url: generated.otpauth_url ?? '' };
  }

  /** A code from the pending secret turns 2FA on (false when the code is wrong). Joins the caller's transaction. */
  async activatePending(userId: string, otp: string, meta: RequestMeta): Promise<boolean> {
    const user = await this.userOf(userId);
    if (user.totpEnabled) throw DomainError.conflict('two_factor_enabled', '2FA is already enabled');
    const secret = await this.vault.get(userId, PENDING);
    if (!secret) throw DomainError.conflict('two_factor_not_set_up', 'Call POST /auth/2fa/setup first');
    if (!(await this.acceptCode(userId, secret, otp))) return false;
    await this.vault.put(userId, TOTP, secret);
    await this.vault.remove(userId, PENDING);
    await this.state.setEnabled(userId, true, this.clock.now());
    await this.audit.record({ eventType: 'auth.2fa.enabled', outcome: 'success', userId }, meta);
    return true;
  }

  async disable(userId: string, otp: string, password: string, meta: RequestMeta): Promise<void> {
    const user = await this.userOf(userId);
    if (!user.totpEnabled) throw DomainError.conflict('two_factor_not_enabled', '2FA is not enabled');
    const passwordOk = await this.hasher.verify(password, user.passwordHash);
    const outcome = await this.uow.run(async () => {
      if (!passwordOk) return 'bad_password' as const;
      if (!(await this.verifyLoginCode(user, otp))) return 'invalid_otp' as const;
      await this.vault.remove(userId, TOTP, PENDING);
      await this.state.setEnabled(userId, false, this.clock.now());
      await this.audit.record({ eventType: 'auth.2fa.disabled', outcome: 'success', userId }, meta);
      return 'ok' as const;
    });
    if (outcome !== 'ok') {
      await this.audit.record({ eventType: 'auth.2fa.disabled', outcome: 'failure', userId, payload: { reason: outcome } }, meta);
      throw outcome === 'bad_password' ? DomainError.unauthorized('invalid_credentials', 'Incorrect password') : INVALID_OTP();
    }
  }

  async adminReset(adminId: string, targetId: string, meta: RequestMeta): Promise<void> {
    await this.uow.run(async () => {
      const user = await this.users.findById(targetId);
      if (!user) throw DomainError.notFound('user_not_found', 'User not found');
      const removed = await this.vault.remove(targetId, TOTP, PENDING);
      await this.state.setEnabled(targetId, false, this.clock.now());
      await this.state.setRequired(targetId, this.clock.now()); // a reset replaces the device; 2FA stays mandatory
      await this.audit.record(
        {
          eventType: 'auth.2fa.reset',
          outcome: 'success',
          userId: targetId,
          payload: { by_admin: adminId, was_enabled: !!user.totpEnabled, removed },
        },
        meta,
      );
    });
  }

  /** For login and disable: the user's enabled secret; the code's time step is consumed. Join the caller's transaction. */
  async verifyLoginCode(user: User, otp: string): Promise<boolean> {
    const secret = await this.vault.get(user.id, TOTP);
    return secret ? this.acceptCode(user.id, secret, otp) : false;
  }

  private async acceptCode(userId: string, secret: string, otp: string): Promise<boolean> {
    const code = normalizeOtp(otp);
    if (!code) return false;
    const time = Math.floor(this.clock.now().getTime() / 1000);
    const match = speakeasy.totp.verifyDelta({ secret, encoding: 'base32', token: code, window: 1, time, step: STEP_SECONDS });
    if (!match) return false;
    const step = Math.floor(time / STEP_SECONDS) + match.delta;
    return this.state.consumeStep(userId, step); // replay of an accepted code (or an older one) is refused
  }

  private async userOf(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw DomainError.notFound('user_not_found', 'User not found');
    return user;
  }
}
