import { Injectable } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeAccountGateway, ExchangeAccountGateways } from '../../domain/exchange-account-gateway.ports';
import { CcxtAccountGateway } from './ccxt-account.gateway';
import { CcxtClients, PROFILES, SyncExchange } from './ccxt-clients';
import { WeightBudget } from './weight-budget';

/** One ccxt gateway per exchange in EXCHANGE_SYNC_EXCHANGES, each with its own request-weight budget. */
@Injectable()
export class CcxtAccountGateways extends ExchangeAccountGateways {
  readonly all: readonly ExchangeAccountGateway[];

  constructor(clients: CcxtClients, config: AppConfig) {
    super();
    this.all = config.exchangeSyncExchanges
      .filter((e): e is SyncExchange => e in PROFILES)
      .map((e) => new CcxtAccountGateway(e, clients, config, new WeightBudget(e === 'BINANCE' ? config.binanceSyncWeightPerMinute : 0)));
  }

  get(exchange: string): ExchangeAccountGateway | undefined {
    return this.all.find((g) => g.exchange === exchange);
  }
}
