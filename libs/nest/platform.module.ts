import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from './config/app-config';
import { PersistenceModule } from './persistence/persistence.module';
import { JobsModule } from './jobs/jobs.module';
import { OutboxRelay } from './documents/outbox-relay.service';
import { GlobalErrorFilter } from './http/error.filter';
import { AppThrottlerGuard } from './auth/rate-limit.guard';
import { FixedWindowThrottlerStorage } from './auth/fixed-window-storage';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { lazyRequire } from './lazy-require';

/** Redis (ioredis) is loaded only when REDIS_URL shares the rate-limit counters. */
const redisStorage = lazyRequire<typeof import('@nest-lab/throttler-storage-redis')>('@nest-lab/throttler-storage-redis');

/** Cross-cutting HTTP platform: persistence, throttling, guards, errors, health, scheduler. */
@Module({
  imports: [
    PersistenceModule,
    JobsModule,
    TerminusModule,
    ScheduleModule.forRoot(),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitDefaultPerMin }],
        storage: config.redisUrl ? new (redisStorage().ThrottlerStorageRedisService)(config.redisUrl) : new FixedWindowThrottlerStorage(),
      }),
    }),
  ],
  controllers: [HealthController],
  providers: [
    // Order matters: rate limit first (cheap), then authentication, then roles.
    { provide: APP_GUARD, useClass: AppThrottlerGuard },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_FILTER, useClass: GlobalErrorFilter },
    IdempotencyInterceptor,
  ],
  exports: [PersistenceModule, IdempotencyInterceptor],
})
export class PlatformModule implements OnApplicationBootstrap {
  constructor(private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.startSweep();
  }
}
