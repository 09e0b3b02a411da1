import { Global, Module } from '@nestjs/common';
import { ExchangeKeyInspector } from '../vault';
import { KeyPermissionsService } from './application/key-permissions.service';
import { ExchangeGateway } from './domain/execution.ports';
import { CcxtBinanceGateway } from './infrastructure/binance/ccxt-binance.gateway';

/**
 * The Binance gateway and the key-permission check built on it. Global so the vault
 * finds its ExchangeKeyInspector port here without importing execution (which uses the vault).
 */
@Global()
@Module({
  providers: [
    { provide: ExchangeGateway, useClass: CcxtBinanceGateway },
    KeyPermissionsService,
    { provide: ExchangeKeyInspector, useExisting: KeyPermissionsService },
  ],
  exports: [ExchangeGateway, KeyPermissionsService, ExchangeKeyInspector],
})
export class BinanceAccessModule {}
