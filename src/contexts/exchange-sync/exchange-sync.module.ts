import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity';
import { DailyAlertService } from './application/daily-alert.service';
import { DashboardService } from './application/dashboard.service';
import { OcoSettingsService } from './application/oco-settings.service';
import { SyncCycleService } from './application/sync-cycle.service';
import { UserSyncService } from './application/user-sync.service';
import { WatchlistService } from './application/watchlist.service';
import { SignalsScheduler } from './application/signals.scheduler';
import { SignalsService } from './application/signals.service';
import { CandleSource, SignalRepository } from './domain/signals.ports';
import { SignalsController } from './http/signals.controller';
import { ExecutedOrderFills } from './domain/executed-fills.ports';
import { TypeormExecutedOrderFills } from './infrastructure/postgres/typeorm-executed-fills';
import { CcxtCandleSource } from './infrastructure/ccxt/ccxt-candle-source';
import { CcxtClients } from './infrastructure/ccxt/ccxt-clients';
import { TypeormSignalRepository } from './infrastructure/postgres/typeorm-signal.repository';
import { ExchangeAccountGateways } from './domain/exchange-account-gateway.ports';
import { ExchangeOrderRepository, PortfolioRepository, SyncStateRepository, WatchlistRepository } from './domain/exchange-sync.ports';
import { DashboardController, ExchangeSyncOpsController } from './http/exchange-sync.controller';
import { CcxtAccountGateways } from './infrastructure/ccxt/ccxt-account-gateways';
import { OcoProtectionService } from './application/oco-protection.service';
import { TypeormExchangeOrderRepository } from './infrastructure/postgres/typeorm-exchange-order.repository';
import { TypeormPortfolioRepository } from './infrastructure/postgres/typeorm-portfolio.repository';
import { TypeormSyncStateRepository } from './infrastructure/postgres/typeorm-sync-state.repository';
import { TypeormWatchlistRepository } from './infrastructure/postgres/typeorm-watchlist.repository';

/** crypto.com and Binance sync (ccxt) every EXCHANGE_SYNC_INTERVAL_SECONDS, OCO protection, dashboard, watchlist and its signals (seed 003). */
@Module({
  imports: [IdentityModule],
  controllers: [ExchangeSyncOpsController, DashboardController, SignalsController],
  providers: [
    UserSyncService,
    OcoProtectionService,
    SyncCycleService,
    DashboardService,
    WatchlistService,
    OcoSettingsService,
    DailyAlertService,
    SignalsService,
    SignalsScheduler,
    CcxtClients,
    { provide: CandleSource, useClass: CcxtCandleSource },
    { provide: SignalRepository, useClass: TypeormSignalRepository },
    { provide: ExecutedOrderFills, useClass: TypeormExecutedOrderFills },
    { provide: ExchangeAccountGateways, useClass: CcxtAccountGateways },
    { provide: ExchangeOrderRepository, useClass: TypeormExchangeOrderRepository },
    { provide: PortfolioRepository, useClass: TypeormPortfolioRepository },
    { provide: SyncStateRepository, useClass: TypeormSyncStateRepository },
    { provide: WatchlistRepository, useClass: TypeormWatchlistRepository },
  ],
  exports: [SyncCycleService, DailyAlertService, ExecutedOrderFills],
})
export class ExchangeSyncModule {}
