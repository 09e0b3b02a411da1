// The exchange-sync context's public surface: the only file other contexts may import.
export { ExchangeSyncModule } from './exchange-sync.module';
export { SyncCycleService } from './application/sync-cycle.service';
export { DailyAlertService } from './application/daily-alert.service';
export { ExecutedOrderFills } from './domain/executed-fills.ports';
export type { ExecutedFill } from './domain/executed-fills.ports';
