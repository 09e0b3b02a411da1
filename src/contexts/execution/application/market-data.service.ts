import { Injectable } from '@nestjs/common';
import { Clock, Decimal } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { BinanceTarget, ExchangeGateway } from '../domain/execution.ports';
import { SymbolRules } from '../domain/symbol-rules';

interface RulesEntry {
  at: number;
  rules: Map<string, SymbolRules>;
}

/**
 * exchangeInfo filters cached per target for EXCHANGE_INFO_TTL_SECONDS (one
 * /api/v3/exchangeInfo call per TTL, shared by concurrent callers), plus the last
 * price seen per symbol so a dry run can judge notional without calling out.
 */
@Injectable()
export class MarketDataService {
  private readonly rulesCache = new Map<BinanceTarget, RulesEntry>();
  private readonly inflight = new Map<BinanceTarget, Promise<RulesEntry>>();
  private readonly lastPrices = new Map<string, Decimal>();

  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private fresh(target: BinanceTarget): RulesEntry | undefined {
    const e = this.rulesCache.get(target);
    return e && this.clock.now().getTime() - e.at < this.config.exchangeInfoTtlSeconds * 1000 ? e : undefined;
  }

  /** No network: `known` false when nothing fresh is cached. */
  cachedRules(target: BinanceTarget, symbol: string): { known: boolean; rules: SymbolRules | null } {
    const e = this.fresh(target);
    return e ? { known: true, rules: e.rules.get(symbol) ?? null } : { known: false, rules: null };
  }

  async rules(target: BinanceTarget, symbol: string): Promise<SymbolRules | null> {
    let e = this.fresh(target);
    if (!e) {
      let p = this.inflight.get(target);
      if (!p) {
        p = this.gateway
          .exchangeInfo(target)
          .then((rules) => {
            const entry = { at: this.clock.now().getTime(), rules };
            this.rulesCache.set(target, entry);
            return entry;
          })
          .finally(() => this.inflight.delete(target));
        this.inflight.set(target, p);
      }
      e = await p;
    }
    return e.rules.get(symbol) ?? null;
  }

  cachedPrice(target: BinanceTarget, symbol: string): Decimal | null {
    return this.lastPrices.get(`${target}:${symbol}`) ?? null;
  }

  async price(target: BinanceTarget, symbol: string): Promise<Decimal> {
    const p = await this.gateway.lastPrice(target, symbol);
    this.lastPrices.set(`${target}:${symbol}`, p);
    return p;
  }
}
