import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RATE_LIMIT } from './auth.decorators';

/**
 * @nestjs/throttler with limits from config: routes marked @RateLimit('register'
 * | 'login') get their own per-minute budget (shared by their alias paths),
 * everything else the default. Counters live in Redis when REDIS_URL is set.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const named = this.reflector.getAllAndOverride<'register' | 'login' | undefined>(RATE_LIMIT, [
      props.context.getHandler(),
      props.context.getClass(),
    ]);
    if (!named) return super.handleRequest(props);
    const limit = named === 'register' ? this.config.rateLimitRegisterPerMin : this.config.rateLimitLoginPerMin;
    return super.handleRequest({ ...props, limit, ttl: 60_000, generateKey: (_ctx, tracker) => `${named}:${tracker}` });
  }
}
