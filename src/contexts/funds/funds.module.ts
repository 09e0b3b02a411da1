import { Module, OnModuleInit } from '@nestjs/common';
import { DomainEventBus, UnitOfWork, UserRegistered } from '@kernel';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { IdentityModule } from '../identity';
import { SubscriptionsService } from './application/subscriptions.service';
import { SubscriptionNotifier } from './application/subscription-notifier';
import { SEED_FUNDS } from './domain/fund';
import {
  AccountRepository,
  ExclusiveProductReport,
  FundCatalog,
  FundLedger,
  NotificationLog,
  NotifyPreferences,
  SubscriptionRepository,
} from './domain/funds.ports';
import { DocumentFundLedger } from './infrastructure/document-fund-ledger';
import { SqlAccountRepository } from './infrastructure/postgres/sql-account.repository';
import { SqlExclusiveProductReport } from './infrastructure/postgres/sql-exclusive-product-report';
import { SqlFundCatalog } from './infrastructure/postgres/sql-fund-catalog';
import { SqlNotificationLog } from './infrastructure/postgres/sql-notification-log';
import { IdentityNotifyPreferences } from './infrastructure/identity-notify-preferences';
import { SqlSubscriptionRepository } from './infrastructure/postgres/sql-subscription.repository';
import { FundsController, FundsReportsController } from './http/funds.controller';

/** The funds context (seed 004): catalogue, accounts, subscriptions, history, notifications, SQL part 2 report. */
@Module({
  imports: [IdentityModule],
  controllers: [FundsController, FundsReportsController],
  providers: [
    SubscriptionsService,
    SubscriptionNotifier,
    { provide: FundCatalog, useClass: SqlFundCatalog },
    { provide: AccountRepository, useClass: SqlAccountRepository },
    { provide: SubscriptionRepository, useClass: SqlSubscriptionRepository },
    { provide: FundLedger, useClass: DocumentFundLedger },
    { provide: NotifyPreferences, useClass: IdentityNotifyPreferences },
    { provide: NotificationLog, useClass: SqlNotificationLog },
    { provide: ExclusiveProductReport, useClass: SqlExclusiveProductReport },
  ],
})
export class FundsModule implements OnModuleInit {
  constructor(
    private readonly events: DomainEventBus,
    private readonly seeds: SeedRegistry,
    private readonly service: SubscriptionsService,
    private readonly catalog: FundCatalog,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    // Runs inside identity's registration transaction: no user without an account.
    this.events.subscribe<UserRegistered>('identity.user_registered', (e) => this.service.openAccount(e.userId));
    this.seeds.register({
      name: 'funds-catalogue',
      order: 5,
      devOnly: false,
      run: () => this.uow.run(() => this.catalog.ensure(SEED_FUNDS)),
    });
  }
}
