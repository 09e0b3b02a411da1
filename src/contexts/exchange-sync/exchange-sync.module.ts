import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity';
import { DailyAlertService } from './application/daily-alert.service';
import { DashboardService } from './application/dashboard.service';
import { ExchangeSyncScheduler } from './application/exchange-sync.scheduler';
import { OcoSettingsService } from './application/oco-settings.service';
import { SyncCycleService } from './application/sync-cycle.service';
import { UserSyncService } from './application/user-sync.service';
import { WatchlistService } from './application/watchlist.service';
import { ExchangeGateway } from './domain/exchange-gateway.ports';
import { ExchangeOrderRepository, PortfolioRepository, SyncStateRepository, WatchlistRepository } from './domain/exchange-sync.ports';
import { DashboardController, ExchangeSyncOpsController } from './http/exchange-sync.controller';
import { CryptoComGateway } from './infrastructure/cryptocom/cryptocom.gateway';
import { EXCHANGE_SYNC_ENTITIES } from './infrastructure/postgres/exchange-sync.records';
import { TypeormExchangeOrderRepository } from './infrastructure/postgres/typeorm-exchange-order.repository';
import { TypeormPortfolioRepository } from './infrastructure/postgres/typeorm-portfolio.repository';
import { TypeormSyncStateRepository } from './infrastructure/postgres/typeorm-sync-state.repository';
import { TypeormWatchlistRepository } from './infrastructure/postgres/typeorm-watchlist.repository';

/** crypto.com sync every EXCHANGE_SYNC_INTERVAL_SECONDS, OCO protection, dashboard and watchlist (seed 003). */
@Module({
  imports: [TypeOrmModule.forFeature(EXCHANGE_SYNC_ENTITIES), IdentityModule],
  controllers: [ExchangeSyncOpsController, DashboardController],
  providers: [
    UserSyncService,
    SyncCycleService,
    DashboardService,
    WatchlistService,
    OcoSettingsService,
    DailyAlertService,
    ExchangeSyncScheduler,
    { provide: ExchangeGateway, useClass: CryptoComGateway },
    { provide: ExchangeOrderRepository, useClass: TypeormExchangeOrderRepository },
    { provide: PortfolioRepository, useClass: TypeormPortfolioRepository },
    { provide: SyncStateRepository, useClass: TypeormSyncStateRepository },
    { provide: WatchlistRepository, useClass: TypeormWatchlistRepository },
  ],
  exports: [SyncCycleService, DailyAlertService],
})
export class ExchangeSyncModule {}
