import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { LoginFailureStore } from '../domain/identity.ports';
import { lockedForSeconds, WINDOW_MS } from '../domain/login-throttle';

export const THROTTLED_MESSAGE = 'Too many failed login attempts. Try again later.';

/** Per account and per IP failure budgets (see domain/login-throttle.ts). */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly failures: LoginFailureStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 (with retry_after_seconds) when the account or the IP is locked. */
  async assertAllowed(accountKey: string, ip: string | undefined): Promise<void> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - WINDOW_MS);
    let wait = lockedForSeconds(await this.failures.window('account', accountKey, since), this.config.loginMaxFailuresPerHour, now);
    if (ip)
      wait = Math.max(wait, lockedForSeconds(await this.failures.window('ip', ip, since), this.config.loginMaxFailuresPerIpPerHour, now));
    if (wait > 0) throw new DomainError('too_many', 'login_throttled', THROTTLED_MESSAGE, { retry_after_seconds: wait });
  }

  async recordFailure(accountKey: string, ip: string | undefined): Promise<void> {
    const now = this.clock.now();
    const purge = new Date(now.getTime() - WINDOW_MS);
    await this.failures.record('account', accountKey, now, purge);
    if (ip) await this.failures.record('ip', ip, now, purge);
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.failures.clear('account', accountKey);
  }
}
