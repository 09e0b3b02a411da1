import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, DomainEventBus, SystemClock } from '@kernel';
import { AppConfig } from './config/app-config';
import { SeedRegistry } from './seed/seed.registry';
import { ReadinessChecks } from './health/readiness.registry';
import { BearerAuthenticator } from './auth/bearer-authenticator';

/** Process-wide singletons every context may inject: config, clock, events, seeds, the bearer-token check. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: DomainEventBus, useValue: new DomainEventBus() },
        SeedRegistry,
        ReadinessChecks,
        BearerAuthenticator,
      ],
      exports: [AppConfig, Clock, DomainEventBus, SeedRegistry, ReadinessChecks, BearerAuthenticator],
    };
  }
}
