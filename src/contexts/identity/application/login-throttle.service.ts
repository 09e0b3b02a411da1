import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, DomainError } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { FailureScope, LoginFailureStore } from '../domain/identity.ports';
import { backoffSeconds, BackoffRule, WINDOW_MS } from '../domain/login-throttle';

export const THROTTLED_MESSAGE = 'Too many failed login attempts. Try again later.';

const DAY_MS = 24 * 3600 * 1000;
const clientKey = (accountKey: string, ip: string) => createHash('sha256').update(`${accountKey}\u0000${ip}`).digest('hex');

/** The progressive lockout of domain/login-throttle.ts over the failure store. */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly failures: LoginFailureStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private get rules(): Record<FailureScope, BackoffRule> {
    const c = this.config;
    return {
      client: { free: c.loginBackoffAfterFailures, capSeconds: c.loginBackoffCapSeconds },
      account: { free: c.loginMaxFailuresPerHour, capSeconds: c.loginAccountBackoffCapSeconds },
      ip: { free: c.loginMaxFailuresPerIpPerHour, capSeconds: c.loginBackoffCapSeconds },
    };
  }

  /** Throws 429 (with retry_after_seconds) while any scope that applies is backing off. */
  async assertAllowed(accountKey: string, ip: string | undefined, userId: string | null): Promise<void> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - WINDOW_MS);
    const knownSince = new Date(now.getTime() - this.config.loginKnownClientDays * DAY_MS);
    const known = !!userId && !!ip && this.config.loginKnownClientDays > 0 && (await this.failures.isKnownClient(userId, ip, knownSince));
    const scopes: [FailureScope, string][] = [];
    if (ip) scopes.push(['client', clientKey(accountKey, ip)]);
    if (!known) scopes.push(['account', accountKey]);
    if (ip && !known) scopes.push(['ip', ip]);
    let wait = 0;
    for (const [scope, key] of scopes) {
      wait = Math.max(wait, backoffSeconds(await this.failures.window(scope, key, since), this.rules[scope], now));
    }
    if (wait > 0) throw new DomainError('too_many', 'login_throttled', THROTTLED_MESSAGE, { retry_after_seconds: wait });
  }

  async recordFailure(accountKey: string, ip: string | undefined): Promise<void> {
    const now = this.clock.now();
    const purge = new Date(now.getTime() - WINDOW_MS);
    await this.failures.record('account', accountKey, now, purge);
    if (ip) {
      await this.failures.record('ip', ip, now, purge);
      await this.failures.record('client', clientKey(accountKey, ip), now, purge);
    }
  }

  /**
   * The user's own failures from this address are forgiven and the address becomes known. The account-wide
   * count is NOT cleared: a distributed guesser keeps its backoff (it never applies at the user's known addresses).
   */
  async recordSuccess(accountKey: string, ip: string | undefined, userId: string): Promise<void> {
    if (!ip) return this.failures.clear('account', accountKey);
    await this.failures.clear('client', clientKey(accountKey, ip));
    await this.failures.rememberClient(userId, ip, this.clock.now());
  }
}
