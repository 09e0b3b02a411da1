import { Module, OnModuleInit } from '@nestjs/common';
import { DomainEventBus, UnitOfWork } from '@kernel';
import type { UserRegistered } from '../identity';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { DocumentCollections } from '@platform/documents/document-collections';
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
import { DocumentFundLedger, FUND_TRANSACTIONS } from './infrastructure/document-fund-ledger';
import { TypeormAccountRepository } from './infrastructure/postgres/typeorm-account.repository';
import { TypeormExclusiveProductReport } from './infrastructure/postgres/typeorm-exclusive-product-report';
import { TypeormFundCatalog } from './infrastructure/postgres/typeorm-fund-catalog';
import { TypeormNotificationLog } from './infrastructure/postgres/typeorm-notification-log';
import { IdentityNotifyPreferences } from './infrastructure/identity-notify-preferences';
import { TypeormSubscriptionRepository } from './infrastructure/postgres/typeorm-subscription.repository';
import { KnownFundAccounts } from './infrastructure/postgres/known-fund-accounts';
import { FundsController, FundsReportsController } from './http/funds.controller';

/** The funds context (seed 004): catalogue, accounts, subscriptions, history, notifications, SQL part 2 report. */
@Module({
  imports: [IdentityModule],
  controllers: [FundsController, FundsReportsController],
  providers: [
    SubscriptionsService,
    SubscriptionNotifier,
    KnownFundAccounts,
    { provide: FundCatalog, useClass: TypeormFundCatalog },
    { provide: AccountRepository, useClass: TypeormAccountRepository },
    { provide: SubscriptionRepository, useClass: TypeormSubscriptionRepository },
    { provide: FundLedger, useClass: DocumentFundLedger },
    { provide: NotifyPreferences, useClass: IdentityNotifyPreferences },
    { provide: NotificationLog, useClass: TypeormNotificationLog },
    { provide: ExclusiveProductReport, useClass: TypeormExclusiveProductReport },
  ],
})
export class FundsModule implements OnModuleInit {
  constructor(
    private readonly events: DomainEventBus,
    private readonly seeds: SeedRegistry,
    private readonly service: SubscriptionsService,
    private readonly catalog: FundCatalog,
    private readonly uow: UnitOfWork,
    collections: DocumentCollections,
  ) {
    collections.register(FUND_TRANSACTIONS);
  }

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
