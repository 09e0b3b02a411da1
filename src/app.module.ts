import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { CoreModule } from '@platform/core.module';
import { PlatformModule } from '@platform/platform.module';
import { MetricsModule } from '@platform/metrics/metrics.module';
import { NotificationsModule } from '@platform/notifications/notifications.module';
import { AuditModule } from './contexts/audit';
import { IdentityModule } from './contexts/identity';
import { VaultModule } from './contexts/vault';
import { ExecutionModule } from './contexts/execution';
import { ExchangeSyncModule } from './contexts/exchange-sync';
import { FundsModule } from './contexts/funds';
import { LoansModule } from './contexts/loans';

/** Bounded contexts, each a module; they meet only through ports and index.ts. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        PlatformModule,
        MetricsModule,
        NotificationsModule,
        AuditModule,
        IdentityModule,
        VaultModule,
        ExecutionModule,
        ExchangeSyncModule,
        FundsModule,
        LoansModule,
      ],
    };
  }
}
