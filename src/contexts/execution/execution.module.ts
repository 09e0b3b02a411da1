import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExchangeSyncModule } from '../exchange-sync';
import { PerformanceService } from './application/performance.service';
import { BrokerFills, PaperFills } from './domain/performance.ports';
import { PaperBook, TradingModeRepository } from './domain/paper.ports';
import { PaperBrokerService } from './application/paper-broker.service';
import { PaperFillsJob } from './application/paper-fills.job';
import { PaperLedger } from './application/paper-ledger';
import { TradingModeService } from './application/trading-mode.service';
import { BrokerModeController } from './http/broker-mode.controller';
import { TypeormPaperBook, TypeormTradingModeRepository } from './infrastructure/postgres/typeorm-paper-book';
import { TypeormPaperFills } from './infrastructure/postgres/typeorm-paper-fills';
import { PerformanceController } from './http/performance.controller';
import { TypeormBrokerFills } from './infrastructure/postgres/typeorm-broker-fills';
import { BrokerAccountService } from './application/broker-account.service';
import { BrokerOrdersService } from './application/broker-orders.service';
import { BrokerSession } from './application/broker-session';
import { OcoProtectionService } from './application/oco-protection.service';
import { OrderJournal } from './application/order-journal';
import { OrderPlacementService } from './application/order-placement.service';
import { OrderReconciliationService } from './application/order-reconciliation.service';
import { ExecutionService } from './application/execution.service';
import { RiskManager } from './application/risk-manager.service';
import { KillSwitchService } from './application/kill-switch.service';
import { MarketDataService } from './application/market-data.service';
import { BrokerOrderRepository, IbkrGateway, KillSwitchRepository } from './domain/execution.ports';
import { BinanceAccessModule } from './binance-access.module';
import { IbkrClientPortalGateway } from './infrastructure/ibkr/ibkr-client-portal.gateway';
import { ExecutionOrderEntity, KillSwitchEntity } from './infrastructure/postgres/execution.records';
import { TypeormBrokerOrderRepository, TypeormKillSwitchRepository } from './infrastructure/postgres/typeorm-execution.repositories';
import { BrokerController } from './http/broker.controller';
import { ExecutionController } from './http/execution.controller';

/** Execution: dry run, Binance testnet test orders, IBKR paper check, broker endpoints, risk manager, kill switch. */
@Module({
  imports: [TypeOrmModule.forFeature([KillSwitchEntity, ExecutionOrderEntity]), ExchangeSyncModule, BinanceAccessModule],
  controllers: [ExecutionController, BrokerController, BrokerModeController, PerformanceController],
  providers: [
    ExecutionService,
    BrokerSession,
    BrokerAccountService,
    OrderPlacementService,
    OrderJournal,
    OrderReconciliationService,
    OcoProtectionService,
    BrokerOrdersService,
    RiskManager,
    KillSwitchService,
    MarketDataService,
    PerformanceService,
    TradingModeService,
    PaperLedger,
    PaperBrokerService,
    PaperFillsJob,
    { provide: PaperBook, useClass: TypeormPaperBook },
    { provide: TradingModeRepository, useClass: TypeormTradingModeRepository },
    { provide: PaperFills, useClass: TypeormPaperFills },
    { provide: BrokerFills, useClass: TypeormBrokerFills },
    { provide: IbkrGateway, useClass: IbkrClientPortalGateway },
    { provide: KillSwitchRepository, useClass: TypeormKillSwitchRepository },
    { provide: BrokerOrderRepository, useClass: TypeormBrokerOrderRepository },
  ],
  exports: [KillSwitchService],
})
export class ExecutionModule {}
