import { Injectable } from '@nestjs/common';
import { Decimal, DomainError } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { BrokerOrderRepository } from '../domain/execution.ports';
import { OrderSpec } from '../domain/order-spec';
import { Check, evaluateRisk, failedChecks } from '../domain/risk';
import { MarketDataService } from './market-data.service';

/** Shared by the test-order and broker paths: the risk manager run before a real call. */
@Injectable()
export class RiskManager {
  constructor(
    private readonly market: MarketDataService,
    private readonly orders: BrokerOrderRepository,
    private readonly config: AppConfig,
  ) {}

  limits() {
    return {
      maxNotionalUsd: new Decimal(this.config.riskMaxNotionalUsd),
      maxExposurePerSymbolUsd: new Decimal(this.config.riskMaxExposurePerSymbolUsd),
    };
  }

  /** Calls out for the (cached) filters and, for MARKET orders, the last price. Throws 400 on any failed check. */
  /** `exposureUsd`: the caller's own (paper trading keeps its exposure in the paper book). */
  async enforce(
    userId: string,
    spec: OrderSpec,
    target: 'testnet' | 'live',
    exposureUsd?: Decimal,
  ): Promise<{ checks: Check[]; notionalUsd: Decimal }> {
    const rules = await this.market.rules(target, spec.symbol);
    const referencePrice = spec.price ?? (rules ? await this.market.price(target, spec.symbol) : null);
    const checks = evaluateRisk({
      spec,
      rules,
      rulesKnown: true,
      referencePrice,
      limits: this.limits(),
      currentExposureUsd: exposureUsd ?? (await this.orders.exposureUsd(userId, spec.symbol)),
    });
    const failed = failedChecks(checks);
    if (failed.length) {
      throw DomainError.invalid('risk_check_failed', `Risk check failed: ${failed.map((c) => c.message).join('; ')}`, { checks });
    }
    return { checks, notionalUsd: referencePrice ? spec.qty.times(referencePrice) : new Decimal(0) };
  }
}
